;; Work for the thread tests: a long deterministic loop over the instance's own memory, and every
;; kind of trap (explicit, memory fault, stack overflow) to fire on one thread while others run.
(module
  (memory (export "memory") 1)
  ;; Writes seed, seed+1, ... into 1024 words n times, returns the final sum: depends on the
  ;; instance's memory staying its own for the whole call.
  (func (export "work") (param $seed i32) (param $rounds i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $round
      (local.set $i (i32.const 0))
      (loop $fill
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $seed) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $fill (i32.lt_u (local.get $i) (i32.const 1024))))
      (local.set $i (i32.const 0))
      (loop $sum
        (local.set $sum (i32.add (local.get $sum) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $sum (i32.lt_u (local.get $i) (i32.const 1024))))
      (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
      (br_if $round (i32.gt_s (local.get $rounds) (i32.const 0))))
    (local.get $sum))
  (func (export "unreachable") unreachable)
  (func (export "out_of_bounds") (result i32) (i32.load (i32.const 0x7fff0000)))
  (func (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))
