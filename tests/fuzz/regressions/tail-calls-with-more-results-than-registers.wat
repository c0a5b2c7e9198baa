;; return_call and return_call_indirect of functions with four integer results and a float: more
;; than x86-64's three integer return registers hold, so LLVM returned them through a hidden
;; pointer into the caller's frame, which a musttail call cannot forward ("LLVM ERROR: failed to
;; perform tail call elimination on a call site marked musttail", a compiler crash). Found by
;; wasm-tools smith with tail calls enabled. Functions with more than two results now take an
;; explicit results area, which a tail call hands on (WasmCallingConvention).
(module
  (type $results (func (param i64) (result i64 i32 i64 i32 f64)))
  (table 1 funcref)
  (elem (i32.const 0) $results)
  (func $results (type $results)
    (local.get 0) (i32.wrap_i64 (local.get 0)) (i64.mul (local.get 0) (i64.const 3)) (i32.const -1)
    (f64.convert_i64_s (local.get 0)))
  (func (export "direct") (type $results) (return_call $results (local.get 0)))
  (func (export "indirect") (type $results) (return_call_indirect (type $results) (local.get 0) (i32.const 0))))
