;; The module examples/reload.c starts with: a counter that steps by 1.
(module
  (global $counter (mut i32) (i32.const 0))
  (func (export "version") (result i32) (i32.const 1))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter)))
