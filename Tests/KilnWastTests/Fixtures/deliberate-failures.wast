;; Every check below is wrong on purpose: the runner must report each one as a failure on its
;; own line and carry on (the test reads the line numbers, so keep them stable).
(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "nan") (result f32) (f32.const nan:0x200000))
  (func (export "trap") (unreachable))
)
(assert_return (invoke "one") (i32.const 2))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_trap (invoke "one") "unreachable")
(assert_trap (invoke "trap") "integer overflow")
(assert_return (invoke "missing"))
(assert_invalid (module (func)) "type mismatch")
(assert_unlinkable (module) "unknown import")
(assert_return (invoke "one") (i32.const 1))
