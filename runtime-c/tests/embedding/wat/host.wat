;; Host functions seen from Wasm: a callback that re-enters this instance, host reads and writes
;; of the caller's memory, and a host function that fails (the Wasm caller traps).
(module
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (import "env" "upcase" (func $upcase (param i32 i32)))
  (import "env" "fail" (func $fail (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "hello, host")
  (global $after (mut i32) (i32.const 0))
  (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "unreachable") unreachable)
  ;; The host squares through "square" (and may call "unreachable" when asked to): x^2 + 1.
  (func (export "via_host") (param i32) (result i32)
    (i32.add (call $reenter (local.get 0)) (i32.const 1)))
  ;; The host upper-cases memory[64..64+len); returns the first byte afterwards.
  (func (export "upcase") (param $len i32) (result i32)
    (call $upcase (i32.const 64) (local.get $len))
    (i32.load8_u (i32.const 64)))
  ;; Traps inside $fail when the host refuses; $after must then stay unchanged.
  (func (export "guarded") (param i32) (result i32)
    (call $fail (local.get 0))
    (global.set $after (i32.add (global.get $after) (i32.const 1)))
    (global.get $after)))
