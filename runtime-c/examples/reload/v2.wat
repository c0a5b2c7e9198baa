;; The new version examples/reload.c switches to: the counter steps by 100.
(module
  (global $counter (mut i32) (i32.const 0))
  (func (export "version") (result i32) (i32.const 2))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 100)))
    (global.get $counter)))
