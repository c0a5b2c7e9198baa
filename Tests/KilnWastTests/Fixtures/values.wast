;; Results of every numeric type, compared bit for bit, and the NaN classes.
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "i64.neg") (param i64) (result i64) (i64.sub (i64.const 0) (local.get 0)))
  (func (export "f32.id") (param f32) (result f32) (local.get 0))
  (func (export "f64.id") (param f64) (result f64) (local.get 0))
  (func (export "f32.nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "f64.nan") (result f64) (f64.div (f64.const 0) (f64.const 0)))
  (func (export "f32.add") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func (export "pair") (result i32 i64) (i32.const -1) (i64.const 0x7fffffffffffffff))
  (func (export "nothing"))
  (global (export "answer") i32 (i32.const 42))
  (global (export "pi") f64 (f64.const 3.141592653589793))
)

(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const 0x7fffffff) (i32.const 1)) (i32.const 0x80000000))
(assert_return (invoke "add" (i32.const -1) (i32.const -1)) (i32.const -2))
(assert_return (invoke "i64.neg" (i64.const 5)) (i64.const -5))
(assert_return (invoke "f32.id" (f32.const -0.0)) (f32.const -0.0))
(assert_return (invoke "f32.id" (f32.const 0x1p-149)) (f32.const 0x1p-149))
;; Payloads, including a signalling NaN, must come back exactly.
(assert_return (invoke "f32.id" (f32.const nan:0x200000)) (f32.const nan:0x200000))
(assert_return (invoke "f32.id" (f32.const -nan:0x1)) (f32.const -nan:0x1))
(assert_return (invoke "f64.id" (f64.const nan:0x4000000000000)) (f64.const nan:0x4000000000000))
(assert_return (invoke "f64.id" (f64.const -inf)) (f64.const -inf))
(assert_return (invoke "f32.nan") (f32.const nan:canonical))
(assert_return (invoke "f64.nan") (f64.const nan:canonical))
(assert_return (invoke "f32.add" (f32.const nan:0x200000) (f32.const 1)) (f32.const nan:arithmetic))
(assert_return (invoke "pair") (i32.const -1) (i64.const 0x7fffffffffffffff))
(assert_return (invoke "nothing"))
(invoke "nothing")
(assert_return (get "answer") (i32.const 42))
(assert_return (get "pi") (f64.const 3.141592653589793))

;; Named modules stay reachable after another module becomes the current one.
(module $First (func (export "which") (result i32) (i32.const 1)))
(module $Second (func (export "which") (result i32) (i32.const 2)))
(assert_return (invoke "which") (i32.const 2))
(assert_return (invoke $First "which") (i32.const 1))
(assert_return (invoke $Second "which") (i32.const 2))

;; The same module written in binary.
(module binary
  "\00asm" "\01\00\00\00"
  "\01\05\01\60\00\01\7f"            ;; type 0: [] -> [i32]
  "\03\02\01\00"                     ;; func 0: type 0
  "\07\05\01\01\66\00\00"            ;; export "f" = func 0
  "\0a\06\01\04\00\41\07\0b"         ;; code: i32.const 7
)
(assert_return (invoke "f") (i32.const 7))
