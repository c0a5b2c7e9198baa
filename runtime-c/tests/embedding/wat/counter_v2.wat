;; Version 2: same exports as counter_v1.wat, different code (steps of 10), so a test can tell
;; which version answered and whether its state started fresh.
(module
  (memory (export "memory") 1)
  (global $count (mut i32) (i32.const 0))
  (func (export "version") (result i32) (i32.const 2))
  (func (export "bump") (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 10)))
    (i32.store (i32.const 0) (global.get $count))
    (global.get $count))
  (func (export "stored") (result i32) (i32.load (i32.const 0))))
