;; smith seed 1000119, shrunk by hand (issue 12). The loaded vector only reaches the result
;; through `all_true`, `splat` and `bitmask`: a splat of 0 or 1 has no byte with its top bit set,
;; so the bitmask is always 0, which LLVM's IR passes do not see but the code generator does.
;; Kiln 0.4.0 released the load from its witness (its value fed the return through pure
;; operations) and at -O2 and -O3 returned 0 instead of trapping "out of bounds memory access".
(module
  (memory 1)
  (func (export "bitmask_of_a_splat") (param i32 i32) (result i32)
    local.get 0
    v128.load16x4_s offset=70000 align=1
    i32x4.all_true
    i32x4.splat
    i8x16.bitmask
    local.get 1
    i32.ge_u))
