;; Version 1 of the module the reload tests replace in place: a counter in a global and in memory.
(module
  (memory (export "memory") 1)
  (global $count (mut i32) (i32.const 0))
  (func (export "version") (result i32) (i32.const 1))
  ;; Adds 1 to the counter and mirrors it at address 0, so both kinds of state can be checked.
  (func (export "bump") (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (i32.store (i32.const 0) (global.get $count))
    (global.get $count))
  (func (export "stored") (result i32) (i32.load (i32.const 0))))
