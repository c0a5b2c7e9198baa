;; A loop that only follows a chain of pointers, `p = *p`, a fixed number of times, and never uses
;; the result. The load's value only feeds its own address in the next iteration, through a
;; loop-carried phi: Kiln 0.4.0 released it from its witness on the strength of that phi, LLVM
;; then deleted the loop as side-effect free, and at -O2 and -O3 the call returned where the first
;; load traps "out of bounds memory access" (arguments 0xffffffff, 70000, 0x80000000). Found by
;; hand while fixing smith seed 1000119 (issue 12).
(module
  (memory 1)
  (func (export "chase") (param i32 i32) (local $p i32)
    (local.set $p (i32.add (local.get 0) (i32.const 65534)))
    (loop $next
      (local.set $p (i32.load (local.get $p)))
      (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
      (br_if $next (i32.ne (local.get 1) (i32.const 0))))))
