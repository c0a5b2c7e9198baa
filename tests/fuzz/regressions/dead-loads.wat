;; Issue 12: loads whose value LLVM could prove unused (or that it could sink past another trap)
;; must still trap "out of bounds memory access", at every optimisation level. "sel" is export 0,
;; so kiln_fuzz_host.c calls it with 0: the select picks 7.
(module (memory 1)
  (func (export "sel") (param i32) (result i32)
    (select (i32.load (i32.const 70000)) (i32.const 7) (local.get 0)))
  (func (export "brif") (block i32.const 70000 i32.load br_if 0))
  (func (export "mul0") (result i32) i32.const 70000 i32.load i32.const 0 i32.mul))
