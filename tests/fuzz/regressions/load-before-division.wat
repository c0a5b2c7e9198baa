;; Issue 12: a load before a division by zero traps first: "out of bounds memory access".
(module (memory 1)
  (func (export "order") (param i32) (result i32)
    (i32.load (i32.const 70000)) (i32.div_s (i32.const 1) (local.get 0)) i32.add))
