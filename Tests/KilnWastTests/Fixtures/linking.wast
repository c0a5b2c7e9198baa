;; Imports from the spectest host module and from registered instances.
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_f64_f64" (func (param f64 f64)))
  (import "spectest" "global_i32" (global $g32 i32))
  (import "spectest" "global_f64" (global $g64 f64))
  (import "spectest" "memory" (memory 1 2))
  (import "spectest" "table" (table 10 20 funcref))
  (func (export "print") (call $print_i32 (i32.const 13)))
  (func (export "g32") (result i32) (global.get $g32))
  (func (export "g64") (result f64) (global.get $g64))
  (func (export "pages") (result i32) (memory.size))
)
(invoke "print")
(assert_return (invoke "g32") (i32.const 666))
(assert_return (invoke "g64") (f64.const 666.6))
(assert_return (invoke "pages") (i32.const 1))

(module $Exporter
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (memory (export "mem") 1)
  (table (export "tab") 2 funcref)
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
)
(register "exporter" $Exporter)

(module $Importer
  (import "exporter" "bump" (func $bump (result i32)))
  (import "exporter" "counter" (global $counter (mut i32)))
  (import "exporter" "mem" (memory 1))
  (func (export "bump_twice") (result i32) (drop (call $bump)) (call $bump))
  (func (export "counter") (result i32) (global.get $counter))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
)
(assert_return (invoke "bump_twice") (i32.const 2))
(assert_return (invoke $Exporter "bump") (i32.const 3))
(assert_return (invoke "counter") (i32.const 3))
(assert_return (get $Exporter "counter") (i32.const 3))
;; Shared memory: a store through one instance is seen by the other.
(invoke $Exporter "store" (i32.const 8) (i32.const 0x12345678))
(assert_return (invoke $Importer "load" (i32.const 8)) (i32.const 0x12345678))

(assert_unlinkable
  (module (import "exporter" "no_such_export" (func)))
  "unknown import")
(assert_unlinkable
  (module (import "exporter" "bump" (func (param i64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "nowhere" "f" (func)))
  "unknown import")
