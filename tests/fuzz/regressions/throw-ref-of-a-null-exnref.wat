;; throw_ref of a null exnref traps, and a trap is not an exception: catch_all does not catch it.
;; Smith seed 7000056 (campaign seed 7, module 35) did this inside a try_table; Kiln trapped "null
;; exception reference" as the spec says, Wasmtime "null reference", which the fuzzer did not
;; know yet (issue 12).
(module
  (tag $t)
  (func (export "throw_null")
    (throw_ref (ref.null exn)))
  (func (export "throw_null_under_catch_all") (result i32)
    (block $caught
      (try_table (catch_all $caught)
        (throw_ref (ref.null exn))))
    (i32.const 1)))
