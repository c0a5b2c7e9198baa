;; kernels.wat — the relaxed-SIMD instructions in loops that do little else (scripts/bench-relaxed).
;; Each export runs n iterations of four independent chains of one relaxed instruction and returns
;; a checksum of the results. The checksums may differ between engines and modes: that is what
;; relaxed means.
(module
  ;; acc = acc * x + y, fused or not.
  (func (export "madd") (param $n i32) (result i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $x v128) (local $y v128)
    (local.set $x (f32x4.splat (f32.const 0.999)))
    (local.set $y (f32x4.splat (f32.const 0.5)))
    (local.set $b (f32x4.splat (f32.const 1)))
    (local.set $c (f32x4.splat (f32.const 2)))
    (local.set $d (f32x4.splat (f32.const 3)))
    (loop $next
      (local.set $a (f32x4.relaxed_madd (local.get $a) (local.get $x) (local.get $y)))
      (local.set $b (f32x4.relaxed_madd (local.get $b) (local.get $x) (local.get $y)))
      (local.set $c (f32x4.relaxed_madd (local.get $c) (local.get $x) (local.get $y)))
      (local.set $d (f32x4.relaxed_madd (local.get $d) (local.get $x) (local.get $y)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.trunc_sat_f32_s (f32.mul (f32.const 1000)
      (f32x4.extract_lane 0 (f32x4.add (f32x4.add (local.get $a) (local.get $b)) (f32x4.add (local.get $c) (local.get $d)))))))

  ;; v = swizzle(table, v): a permutation walked over and over.
  (func (export "swizzle") (param $n i32) (result i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $table v128)
    (local.set $table (v128.const i8x16 3 7 11 15 2 6 10 14 1 5 9 13 0 4 8 12))
    (local.set $b (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 0))
    (local.set $c (v128.const i8x16 2 3 4 5 6 7 8 9 10 11 12 13 14 15 0 1))
    (local.set $d (v128.const i8x16 3 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2))
    (loop $next
      (local.set $a (i8x16.relaxed_swizzle (local.get $table) (local.get $a)))
      (local.set $b (i8x16.relaxed_swizzle (local.get $table) (local.get $b)))
      (local.set $c (i8x16.relaxed_swizzle (local.get $table) (local.get $c)))
      (local.set $d (i8x16.relaxed_swizzle (local.get $table) (local.get $d)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32x4.extract_lane 0 (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (i32x4.add (local.get $c) (local.get $d)))))

  ;; acc = dot(x, y) + acc, 8-bit by 7-bit, with x stepping so nothing is loop-invariant.
  (func (export "dot") (param $n i32) (result i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $x v128) (local $y v128)
    (local.set $x (v128.const i8x16 1 -2 3 -4 5 -6 7 -8 9 -10 11 -12 13 -14 15 -16))
    (local.set $y (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))
    (loop $next
      (local.set $a (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get $x) (local.get $y) (local.get $a)))
      (local.set $b (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get $y) (local.get $y) (local.get $b)))
      (local.set $c (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get $x) (local.get $y) (local.get $c)))
      (local.set $d (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get $x) (local.get $y) (local.get $d)))
      (local.set $x (i8x16.add (local.get $x) (local.get $y)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32x4.extract_lane 0 (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (i32x4.add (local.get $c) (local.get $d)))))

  ;; v = laneselect(x, y, v) then min with a constant: both relaxed choices.
  (func (export "select_min") (param $n i32) (result i32)
    (local $a v128) (local $b v128) (local $m v128) (local $x v128) (local $y v128)
    (local.set $x (f32x4.splat (f32.const 1.5)))
    (local.set $y (f32x4.splat (f32.const -2.5)))
    (local.set $a (v128.const i32x4 -1 0 -1 0))
    (local.set $b (v128.const i32x4 0 -1 0 -1))
    (loop $next
      (local.set $m (i32x4.relaxed_laneselect (local.get $x) (local.get $y) (local.get $a)))
      (local.set $a (f32x4.relaxed_min (local.get $m) (local.get $b)))
      (local.set $b (f32x4.relaxed_max (local.get $a) (local.get $m)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32x4.extract_lane 0 (i32x4.add (local.get $a) (local.get $b))))
)
