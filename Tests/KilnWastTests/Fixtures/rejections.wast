;; Modules that must be refused. Text the WAT parser already refuses counts as refused.
(assert_malformed (module quote "(func") "unexpected end")
(assert_malformed (module quote "(module (func (i32.const)))") "unexpected token")
(assert_malformed (module binary "\00asm") "unexpected end")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "\00bsm\01\00\00\00") "magic header not detected")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_invalid (module (func (drop (local.get 3)))) "unknown local")
(assert_invalid (module (memory 2 1)) "size minimum must not be greater than maximum")
;; A valid module still loads after all the refusals.
(module (func (export "ok") (result i32) (i32.const 1)))
(assert_return (invoke "ok") (i32.const 1))
