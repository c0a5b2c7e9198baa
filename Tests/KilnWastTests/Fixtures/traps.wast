;; Traps in calls and in instantiation, and stack exhaustion: each must fail only the
;; assertion, and the instance must stay usable afterwards.
(module
  (func (export "unreachable") (unreachable))
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func $loop (export "loop") (call $loop))
  (memory 1)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (table 2 funcref)
  (func (export "call_indirect") (param i32) (call_indirect (local.get 0)))
)

(assert_trap (invoke "unreachable") "unreachable")
(assert_trap (invoke "div_s" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div_s" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
(assert_return (invoke "div_s" (i32.const 7) (i32.const 2)) (i32.const 3))
(assert_trap (invoke "trunc" (f32.const nan)) "invalid conversion to integer")
(assert_trap (invoke "load" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "load" (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65532)) (i32.const 0))
(assert_trap (invoke "call_indirect" (i32.const 5)) "undefined element")
(assert_trap (invoke "call_indirect" (i32.const 1)) "uninitialized element")
(assert_exhaustion (invoke "loop") "call stack exhausted")
;; Still usable after all that.
(assert_return (invoke "div_s" (i32.const -9) (i32.const 3)) (i32.const -3))

;; A trap in the start function fails instantiation with that trap.
(assert_trap (module (func $start (unreachable)) (start $start)) "unreachable")
;; An out-of-bounds data segment fails instantiation.
(assert_trap (module (memory 1) (data (i32.const 65536) "x")) "out of bounds memory access")
