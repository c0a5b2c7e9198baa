;; The benchmark's module: one page of memory (what instantiation pays for) and a trivial export
;; (what a call's fixed cost is measured with).
(module
  (memory (export "memory") 1)
  (func (export "nop")))
