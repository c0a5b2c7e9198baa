(module
  ;; LLVM believed the load could not read $g, so LICM kept $g in a register through the loop
  ;; and stored it at the exit: the load trapped first and $g stayed 0 (smith seed 100000303838).
  (memory 0)
  (global $g (export "g") (mut i32) (i32.const 0))
  (global $n (mut i32) (i32.const 3))
  (func (export "f") (param i32)
    (loop
      (global.set $g (i32.const 1))
      (drop (i32.load (local.get 0)))
      (global.set $n (i32.sub (global.get $n) (i32.const 1)))
      (br_if 0 (global.get $n)))))
