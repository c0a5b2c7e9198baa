;; Waiting on a memory that is not shared traps: no other thread could ever notify it.
(module
  (memory 1)
  (func (export "wait") (param $address i32) (result i32)
    (memory.atomic.wait32 (local.get $address) (i32.const 0) (i64.const 0)))
  (func (export "notify") (param $address i32) (result i32)
    (memory.atomic.notify (local.get $address) (i32.const 1))))
