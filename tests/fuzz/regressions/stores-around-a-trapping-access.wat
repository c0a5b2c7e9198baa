;; Issue 12, README deviation 1 until Kiln 0.5.21: an access that traps must stay in program order
;; against the stores around it. LLVM, and its code generator, moved or merged accesses whose
;; addresses they could tell apart (trap_ordering_alias_analysis.cpp). Every export traps; the
;; memory digest shows which stores were made. The words start as 0xFFFFFFFF, so zeros show, and
;; most addresses and counts come from globals, which LLVM cannot fold.
(module (memory (export "memory") 1)
  (data (i32.const 0) "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff") (data (i32.const 65520) "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff")
  (data (i32.const 992) "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff")
  (global $end (mut i32) (i32.const 65520))
  (global $nearEnd (mut i32) (i32.const 65528))
  (global $sixtyFour (mut i32) (i32.const 64))
  ;; LICM hoisted the load above the loop's store.
  (func (export "store_in_a_loop") (result i32) (local $i i32)
    (loop
      (i32.store (i32.const 0) (i32.add (local.get $i) (i32.const 5)))
      (local.set $i (i32.add (local.get $i) (i32.load (i32.const 70000))))
      (br_if 0 (i32.lt_u (local.get $i) (i32.const 100))))
    (local.get $i))
  ;; The code generator deleted the first store, overwritten across a load or a store that traps.
  (func (export "overwritten_across_a_load")
    (i32.store (i32.const 4) (i32.const 7))
    (drop (i32.load (i32.const 70000)))
    (i32.store (i32.const 4) (i32.const 9)))
  (func (export "overwritten_across_a_store")
    (i32.store (i32.const 8) (i32.const 7))
    (i32.store (i32.const 70000) (i32.const 1))
    (i32.store (i32.const 8) (i32.const 9)))
  ;; Merged into one 32-byte store (the code generator) or a memset (MemCpyOpt): at 65520 the
  ;; first four stores are in bounds and the fifth is not.
  (func (export "zeroed_run") (local $p i32)
    (local.set $p (global.get $end))
    (i32.store offset=0 (local.get $p) (i32.const 0))
    (i32.store offset=4 (local.get $p) (i32.const 0))
    (i32.store offset=8 (local.get $p) (i32.const 0))
    (i32.store offset=12 (local.get $p) (i32.const 0))
    (i32.store offset=16 (local.get $p) (i32.const 0))
    (i32.store offset=20 (local.get $p) (i32.const 0))
    (i32.store offset=24 (local.get $p) (i32.const 0))
    (i32.store offset=28 (local.get $p) (i32.const 0)))
  ;; The SLP vectoriser's one 16-byte store.
  (func (export "computed_run") (local $p i32)
    (local.set $p (global.get $nearEnd))
    (i32.store offset=0 (local.get $p) (i32.mul (local.get $p) (i32.const 3)))
    (i32.store offset=4 (local.get $p) (i32.mul (local.get $p) (i32.const 5)))
    (i32.store offset=8 (local.get $p) (i32.mul (local.get $p) (i32.const 7)))
    (i32.store offset=12 (local.get $p) (i32.mul (local.get $p) (i32.const 9))))
  ;; Two pointers walking down, the second from the end of memory: the loop vectoriser's copy
  ;; (checked for overlap, never for bounds) stored four words through the first before the
  ;; second's store trapped, where one is due.
  (func (export "two_pointers_down") (local $a i32) (local $b i32) (local $n i32)
    (local.set $a (i32.const 1024))
    (local.set $b (i32.add (global.get $end) (i32.const 32)))
    (local.set $n (global.get $sixtyFour))
    (loop
      (local.set $a (i32.sub (local.get $a) (i32.const 4)))
      (local.set $b (i32.sub (local.get $b) (i32.const 4)))
      (i32.store (local.get $a) (local.get $n))
      (i32.store (local.get $b) (local.get $n))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if 0 (local.get $n)))))
