;; Issue 12: loads whose value `br` or `return` discards must still trap.
(module (memory 1)
  (func (export "br0") (block i32.const 70000 i32.load br 0))
  (func (export "ret") i32.const 70000 i32.load return)
  (func (export "lane") (block i32.const 70000 v128.const i64x2 0 0 v128.load32_lane 0 br 0)))
