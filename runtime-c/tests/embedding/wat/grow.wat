;; Memory that starts at one page and grows on request; the host keeps a pointer from
;; kiln_memory_data across the growth and compares bytes with what Wasm reads and writes.
(module
  (memory (export "memory") 1)
  (func (export "grow") (param $pages i32) (result i32) (memory.grow (local.get $pages)))
  (func (export "pages") (result i32) (memory.size))
  (func (export "load") (param $addr i32) (result i32) (i32.load (local.get $addr)))
  (func (export "store") (param $addr i32) (param $value i32) (i32.store (local.get $addr) (local.get $value))))
