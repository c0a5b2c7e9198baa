;; Imports thread-spawn but exports no wasi_thread_start: spawning must fail with -1.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (func (export "spawn") (param $argument i32) (result i32)
    (call $spawn (local.get $argument))))
