;; Found by the loop kernels (loop_kernels.py, seed 11000304) on Kiln 0.5.45: a loop storing a
;; constant byte from 4 bytes below the end of memory, inlined with its arguments. LLVM's loop
;; idiom recognition made it one memset, which trapped before it stored the 4 bytes inside the
;; memory (fixed in 0.5.46: trap_ordering_alias_analysis.cpp keeps that pass from running).
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
        (local.set $i (i32.const 0))
        (local.set $walked (i32.const 0))
        (loop $walk
          (i32.store8 offset=4 (i32.add (local.get $pb) (local.get $i)) (local.get $acc))
          (local.set $walked (i32.add (local.get $walked) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $walk (i32.lt_u (local.get $i) (i32.mul (local.get $n) (i32.const 1)))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 960)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 960)))
        (br_if $rows (i32.lt_u (local.tee $row (i32.add (local.get $row) (i32.const 1))) (i32.const 2)))))
    (local.get $acc))
  (func (export "call0") (result i32) (call $k (i32.const -8) (i32.const -8) (i32.const 8)))
  (func (export "call1") (result i32) (call $k (i32.const 0) (i32.const -8) (i32.const 2)))
  (func (export "call2") (result i32) (call $k (i32.const 30000) (i32.const 4096) (i32.const 1)))
  (func (export "call3") (result i32) (call $k (i32.const -8) (i32.const 0) (i32.const 17)))
  (func (export "call4") (result i32) (call $k (i32.const 65024) (i32.const 65528) (i32.const 64))))
