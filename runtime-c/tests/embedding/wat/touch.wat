;; The load/instantiate/call/free/release cycle's module: 16 pages (1 MiB) that "touch" writes,
;; so every cycle really commits a megabyte that the free must give back.
(module
  (memory (export "memory") 16)
  (func (export "touch") (param $seed i32) (result i32)
    (local $addr i32)
    (memory.fill (i32.const 0) (local.get $seed) (i32.const 1048576))
    ;; Read one byte per page back so the result depends on every page.
    (local.set $addr (i32.const 0))
    (local.get $seed)
    (loop $pages (param i32) (result i32)
      (i32.add (i32.load8_u (local.get $addr)))
      (local.set $addr (i32.add (local.get $addr) (i32.const 4096)))
      (br_if $pages (i32.lt_u (local.get $addr) (i32.const 1048576))))))
