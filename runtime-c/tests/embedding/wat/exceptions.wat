;; Exceptions across the C API (test_exceptions.c): a host tag and a host function that throws
;; with it, an exported tag, exnrefs held by the instance, and uncaught exceptions.
(module
  (import "host" "tag" (tag $host (param i32)))
  (import "host" "throw" (func $host_throw (param i32)))
  (tag $own (export "own") (param i64 f32))
  ;; The host's exception, caught here by the imported tag: returns its value + 1.
  (func (export "catch_host") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $host $h) (call $host_throw (local.get 0)))
      (i32.const -1))
    (i32.const 1) (i32.add))
  ;; The host's exception, not caught.
  (func (export "pass_host") (param i32) (call $host_throw (local.get 0)))
  (func (export "throw_own") (throw $own (i64.const -9) (f32.const 0.5)))
  ;; Catches by reference n times and keeps nothing: the instance holds them until it is freed.
  (func (export "hold") (param i32)
    (loop $again
      (block $h (result exnref)
        (try_table (catch_all_ref $h) (throw $own (i64.const 1) (f32.const 1)))
        (unreachable))
      (drop)
      (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))
