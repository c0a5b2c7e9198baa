;; Each load straddles the end of memory (it starts in the last page's final bytes), so it traps
;; "out of bounds memory access", but only its low bytes are used. Kiln 0.4.0 released such loads
;; from their witness, and at -O2 and -O3 the code generator narrowed them to the bytes used,
;; which lie in bounds: the calls returned (store8, mask) instead of trapping. Found by hand while
;; fixing smith seed 1000119 (issue 12); the offsets put every argument the fuzzer passes out of
;; bounds or across the end.
(module
  (memory 1)
  (func (export "store8_of_a_load") (param i32)
    (i32.store8 (i32.const 0) (i32.load offset=65533 (local.get 0))))
  (func (export "mask_of_a_load") (param i32) (result i32)
    (i32.and (i32.load offset=65533 (local.get 0)) (i32.const 0xff)))
  (func (export "wrap_of_a_load") (param i32) (result i32)
    (i32.wrap_i64 (i64.load offset=65530 (local.get 0))))
  (func (export "masked_then_added") (param i32) (result i32)
    (i32.add (i32.and (i32.load offset=65533 (local.get 0)) (i32.const 0xff)) (i32.const 1))))
