;; Traps a few named calls deep, through a guard-page fault and an explicit trap.
(module
  (memory 1)
  (func $innermost (param i32) (result i32) (i32.load (local.get 0)))
  (func $middle (param i32) (result i32) (i32.add (call $innermost (local.get 0)) (i32.const 1)))
  (func $outer (export "outer") (param i32) (result i32) (i32.mul (call $middle (local.get 0)) (i32.const 3)))
  (func $divide (param i32) (result i32) (i32.div_u (i32.const 10) (local.get 0)))
  (func $divide_entry (export "divide") (param i32) (result i32) (i32.add (call $divide (local.get 0)) (i32.const 7))))
