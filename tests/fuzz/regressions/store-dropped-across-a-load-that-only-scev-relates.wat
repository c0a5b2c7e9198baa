;; Found by the loop kernels (loop_kernels.py, seed 21000790) on Kiln 0.5.46, at -O3: after three
;; iterations were peeled, the walk's store of `acc`, the load that traps and the store of the new
;; `acc` had addresses that only scalar evolution relates ((i + 65528) & -8 against
;; ((i + 65473) & -7) + 1024). The code generator's loop strength reduction gave them one base
;; register, and SelectionDAG moved the load above the first store and dropped that store as
;; overwritten: the trap came with 8 bytes unwritten (fixed in 0.5.47: kiln_order_trapping_accesses
;; also groups accesses by their scalar-evolution address).
(module
  (memory (export "memory") 1 1)
  (func (export "fill") (local $i i32)
    (loop $l
      (i32.store8 (local.get $i) (i32.add (i32.mul (local.get $i) (i32.const 37)) (i32.const 11)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 65536)))))
  (func $k (export "kernel") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $i i32) (local $row i32) (local $walked i32) (local $acc i32) (local $pa i32) (local $pb i32)
    (local.set $pa (local.get $a))
    (local.set $pb (local.get $b))
    (local.set $acc (i32.const 7))
    (block $done
      (loop $rows
        (local.set $i (i32.sub (i32.const 0) (i32.mul (local.get $n) (i32.const 8))))
        (local.set $walked (i32.const 0))
        (loop $walk
          (i64.store (i32.add (local.get $pa) (local.get $i)) (i64.extend_i32_u (local.get $acc)))
          (if (i32.ge_u (local.get $walked) (i32.const 3)) (then (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (i32.load8_u offset=1024 (i32.add (i32.add (local.get $pb) (local.get $i)) (i32.const 1)))))))
          (if (i32.ge_u (local.get $walked) (i32.const 3)) (then (i64.store (i32.add (local.get $pa) (local.get $i)) (i64.extend_i32_u (local.get $acc)))))
          (br_if $done (i32.eq (i32.and (local.get $acc) (i32.const 255)) (i32.const 199)))
          (local.set $walked (i32.add (local.get $walked) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 8)))
          (br_if $walk (local.get $i)))
        (local.set $pa (i32.add (local.get $pa) (i32.const -64)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 0)))
        (br_if $rows (i32.lt_u (local.tee $row (i32.add (local.get $row) (i32.const 1))) (i32.const 1)))))
    (local.get $acc))
  (func (export "call0") (result i32) (call $k (i32.const 65528) (i32.const 65472) (i32.const 17)))
  (func (export "call1") (result i32) (call $k (i32.const 8) (i32.const 3) (i32.const 3)))
  (func (export "call2") (result i32) (call $k (i32.const 0) (i32.const 3) (i32.const 3)))
  (func (export "call3") (result i32) (call $k (i32.const 0) (i32.const 8) (i32.const 1)))
  (func (export "call4") (result i32) (call $k (i32.const 0) (i32.const 65024) (i32.const 1))))
