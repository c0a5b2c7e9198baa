;; Every way a call can trap, for the trap-loop test.
(module
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $ok)
  (type $nullary (func (result i32)))
  (func $ok (result i32) (i32.const 1))
  (func (export "ok") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $recurse (param i32) (result i32) (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  ;; Recursion n calls deep, for the stack-limit test; returns n.
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  ;; kind: 0 unreachable, 1 divide by zero, 2 out-of-bounds load (guard page), 3 null table entry,
  ;; 4 stack exhaustion
  (func (export "trap") (param $kind i32) (result i32)
    (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
      (br_table $b0 $b1 $b2 $b3 $b4 (local.get $kind)))
      unreachable)
      (return (i32.div_u (i32.const 1) (i32.sub (local.get $kind) (i32.const 1)))))
      (return (i32.load (i32.const 0x7fff0000))))
      (return (call_indirect (type $nullary) (i32.const 1))))
    (call $recurse (i32.const 0))))
