;; A store that a wider store after it overwrites, where the wider one traps: SelectionDAG deleted
;; the first as dead, so its bytes were missing at the trap (loop kernels, seed 29000438; Kiln 0.5.48).
(module
  (memory (export "memory") 1 1)
  (func (export "fill") (local $i i32)
    (loop $l
      (i32.store8 (local.get $i) (i32.add (i32.mul (local.get $i) (i32.const 37)) (i32.const 11)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 65536)))))
  (func $k (export "kernel") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $i i32) (local $row i32) (local $walked i32) (local $acc i32) (local $pa i32) (local $pb i32)
    (local.set $pa (local.get $a))
    (local.set $pb (local.get $b))
    (local.set $acc (i32.const 7))
    (block $done
      (loop $rows
        (local.set $i (i32.sub (i32.const 0) (i32.mul (local.get $n) (i32.const 1))))
        (local.set $walked (i32.const 0))
        (loop $walk
          (i32.store offset=64 (i32.add (i32.add (local.get $pa) (local.get $i)) (i32.const 3)) (local.get $acc))
          (i64.store offset=64 (i32.add (local.get $pa) (local.get $i)) (i64.extend_i32_u (local.get $acc)))
          (local.set $walked (i32.add (local.get $walked) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $walk (local.get $i)))
        (local.set $pa (i32.add (local.get $pa) (i32.const -64)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 960)))
        (br_if $rows (i32.lt_u (local.tee $row (i32.add (local.get $row) (i32.const 1))) (i32.const 2)))))
    (local.get $acc))
  (func (export "call0") (result i32) (call $k (i32.const 65528) (i32.const 0) (i32.const 200)))
  (func (export "call1") (result i32) (call $k (i32.const 1024) (i32.const 1024) (i32.const 2)))
  (func (export "call2") (result i32) (call $k (i32.const -256) (i32.const 65472) (i32.const 8))))
