(module
  (memory 1)
  ;; Loops that never leave, loading values nothing uses. With no return, trap or call, nothing
  ;; published the load witness, so -O2 and -O3 deleted the loads and spun for ever where Wasm
  ;; traps on the first out-of-bounds load (Kiln 0.5.17; the campaign's modules cannot show it,
  ;; since wasm-smith's --ensure-termination gives every loop a fuel exit).
  (func (export "endless")
    (loop (drop (i32.load (i32.const 70000))) (br 0)))
  ;; The load comes before the loop; its value waits on the stack for code after the loop, which
  ;; never runs (smith seed 1803006816, a campaign with --unbounded-loops, reduced by hand).
  (func (export "load-then-spin") (result i32)
    (i32.load (i32.const 70000))
    (loop (br 0)))
  ;; The loop's only exit is on a parameter that inlining makes the constant 0.
  (func $walk-until (param i32 i32)
    (loop
      (drop (i32.load (local.get 0)))
      (local.set 0 (i32.add (local.get 0) (i32.const 4)))
      (br_if 1 (local.get 1))
      (br 0)))
  (func (export "exit-folded-by-inlining") (call $walk-until (i32.const 0) (i32.const 0)))
  ;; The only exit is on a loop-invariant condition, which -O3's unswitching hoists in front of
  ;; a copy of the loop that never leaves.
  (func (export "exit-unswitched") (local i32)
    (loop
      (drop (i64.load (local.get 0)))
      (local.set 0 (i32.add (local.get 0) (i32.const 8)))
      (br_if 1 (i32.eq (memory.size) (i32.const 5)))
      (br 0))))
