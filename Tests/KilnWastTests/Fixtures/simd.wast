;; v128 results, lane by lane, with NaN patterns.
(module
  (func (export "id") (param v128) (result v128) (local.get 0))
  (func (export "f32x4.nan") (result v128)
    (f32x4.div (v128.const f32x4 0 1 0 2) (v128.const f32x4 0 1 0 1)))
)
(assert_return (invoke "id" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 4))
(assert_return (invoke "id" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1))
               (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1))
(assert_return (invoke "f32x4.nan") (v128.const f32x4 nan:canonical 1 nan:arithmetic 2))
