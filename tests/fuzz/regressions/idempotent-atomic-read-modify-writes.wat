;; Issue 12: an atomic read-modify-write that leaves memory as it is (or 0, add 0, xor 0, and -1,
;; perhaps only once constants are folded) and whose result is unused was only a fence to x86's
;; code generator, which made a locked access to the stack instead; out of bounds, it did not trap
;; (at -O2 and -O3; `or 0` at -O0 too). Found by wasm-smith seed 2105007489 (campaign seed 2105,
;; module 1174, `xor_zero_once_folded` below), reduced by hand. Every export traps.
(module (memory (export "memory") 14 15)
  (global $far (mut i32) (i32.const 2147483648))
  (func (export "xor_zero_once_folded")
    (drop (i64.atomic.rmw16.xor_u offset=527261
      (i32.trunc_sat_f32_s (f32.const 0x1.e5e18ep+68))
      (i64.extend16_s (i64.trunc_sat_f64_u (f64.const 0x1p-1039))))))
  (func (export "or_zero") (drop (i32.atomic.rmw.or (global.get $far) (i32.const 0))))
  (func (export "add_zero") (drop (i64.atomic.rmw.add (global.get $far) (i64.const 0))))
  (func (export "and_ones") (drop (i32.atomic.rmw8.and_u (global.get $far) (i32.const 255))))
  (func (export "sub_zero_discarded_by_a_branch")
    (block (i32.atomic.rmw16.sub_u (global.get $far) (i32.const 0)) (br 0))))
