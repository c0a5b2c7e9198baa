;; A wasi-threads program, shaped as clang's wasm32-wasi-threads output: it imports its shared
;; memory and "wasi" "thread-spawn", and exports wasi_thread_start(id, argument).
;;
;; What a thread does depends on its argument: K below 256 records its id at 256 + 4K, adds K + 1
;; to the sum ADDS times with atomic adds, writes "thread KK\n" to fd 1 and counts itself finished;
;; 1000 traps (unreachable), 1001 calls proc_exit(7), 1002 waits forever in memory.atomic.wait32,
;; 1003 sleeps an hour in poll_oneoff.
;;
;; Memory: 0 the finished threads; 4 the sum; 8 a word nobody sets (waits on it last forever);
;; 256 + 4K thread K's id; 1024 a poll_oneoff clock subscription, 1088 its event, 1120 the event
;; count; 2048 fd_read's iovec, 2056 its count, 2064 its byte; 4096 + 16K thread K's line,
;; 8192 + 8K its iovec, 12288 + 4K fd_write's count.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))

  (global $ADDS i32 (i32.const 10000))

  (func (export "wasi_thread_start") (param $id i32) (param $argument i32)
    (if (i32.eq (local.get $argument) (i32.const 1000)) (then unreachable))
    (if (i32.eq (local.get $argument) (i32.const 1001)) (then (call $proc_exit (i32.const 7))))
    (if (i32.eq (local.get $argument) (i32.const 1002)) (then (call $wait_forever)))
    (if (i32.eq (local.get $argument) (i32.const 1003)) (then (call $sleep_an_hour) (return)))
    (i32.store (i32.add (i32.const 256) (i32.shl (local.get $argument) (i32.const 2))) (local.get $id))
    (call $add_many (i32.add (local.get $argument) (i32.const 1)))
    (call $write_line (local.get $argument))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const -1))))

  (func $add_many (param $amount i32)
    (local $n i32)
    (local.set $n (global.get $ADDS))
    (loop $again
      (drop (i32.atomic.rmw.add (i32.const 4) (local.get $amount)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (local.get $n))))

  (func $write_line (param $k i32)
    (local $line i32)
    (local $iovec i32)
    (local.set $line (i32.add (i32.const 4096) (i32.shl (local.get $k) (i32.const 4))))
    (local.set $iovec (i32.add (i32.const 8192) (i32.shl (local.get $k) (i32.const 3))))
    (i64.store (local.get $line) (i64.const 0x0020646165726874)) ;; "thread "
    (i32.store8 offset=7 (local.get $line) (i32.add (i32.const 48) (i32.div_u (local.get $k) (i32.const 10))))
    (i32.store8 offset=8 (local.get $line) (i32.add (i32.const 48) (i32.rem_u (local.get $k) (i32.const 10))))
    (i32.store8 offset=9 (local.get $line) (i32.const 10))
    (i32.store (local.get $iovec) (local.get $line))
    (i32.store offset=4 (local.get $iovec) (i32.const 10))
    (drop (call $fd_write (i32.const 1) (local.get $iovec) (i32.const 1)
                (i32.add (i32.const 12288) (i32.shl (local.get $k) (i32.const 2))))))

  (func $wait_forever
    (loop $again
      (drop (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1)))
      (br $again)))

  (func $sleep_an_hour
    (i64.store (i32.const 1024) (i64.const 0))                 ;; userdata
    (i32.store8 (i32.const 1032) (i32.const 0))                ;; a clock subscription
    (i32.store (i32.const 1040) (i32.const 1))                 ;; on the monotonic clock
    (i64.store (i32.const 1048) (i64.const 3600000000000))     ;; an hour, relative
    (i64.store (i32.const 1056) (i64.const 0))
    (i32.store16 (i32.const 1064) (i32.const 0))
    (drop (call $poll_oneoff (i32.const 1024) (i32.const 1088) (i32.const 1) (i32.const 1120))))

  ;; Spawns threads 0 .. n-1; the number spawned (fewer when a spawn failed).
  (func $spawn_threads (export "spawn_threads") (param $n i32) (result i32)
    (local $k i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (br_if $done (i32.le_s (call $spawn (local.get $k)) (i32.const 0)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $again)))
    (local.get $k))

  ;; Waits until n threads have finished; the sum.
  (func $wait_threads (export "wait_threads") (param $n i32) (result i32)
    (local $finished i32)
    (block $done
      (loop $again
        (local.set $finished (i32.atomic.load (i32.const 0)))
        (br_if $done (i32.ge_u (local.get $finished) (local.get $n)))
        (drop (memory.atomic.wait32 (i32.const 0) (local.get $finished) (i64.const -1)))
        (br $again)))
    (i32.atomic.load (i32.const 4)))

  (func (export "spawn") (param $argument i32) (result i32)
    (call $spawn (local.get $argument)))

  (func (export "thread_id") (param $k i32) (result i32)
    (i32.load (i32.add (i32.const 256) (i32.shl (local.get $k) (i32.const 2)))))

  (func (export "wait_forever") (call $wait_forever))

  (func (export "exit") (param $status i32) (call $proc_exit (local.get $status)))

  ;; A loop with no call and no check (this module is not compiled --interruptible).
  (func $spin_forever (loop $again (br $again)))

  ;; Reads a byte from fd 0 (and traps if that ever returns).
  (func $read_stdin
    (i32.store (i32.const 2048) (i32.const 2064))
    (i32.store (i32.const 2052) (i32.const 1))
    (drop (call $fd_read (i32.const 0) (i32.const 2048) (i32.const 1) (i32.const 2056)))
    unreachable)

  ;; As a command: four threads, then exit 0 when their sum is right. With one argument a
  ;; thread traps instead, with two it calls proc_exit(7), while this thread waits forever; with
  ;; three a thread calls proc_exit(7) while this one spins in a loop that never checks, with
  ;; four while this one reads stdin.
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (if (i32.eq (i32.load (i32.const 16)) (i32.const 2))
      (then (drop (call $spawn (i32.const 1000))) (call $wait_forever)))
    (if (i32.eq (i32.load (i32.const 16)) (i32.const 3))
      (then (drop (call $spawn (i32.const 1001))) (call $wait_forever)))
    (if (i32.eq (i32.load (i32.const 16)) (i32.const 4))
      (then (drop (call $spawn (i32.const 1001))) (call $spin_forever)))
    (if (i32.eq (i32.load (i32.const 16)) (i32.const 5))
      (then (drop (call $spawn (i32.const 1001))) (call $read_stdin)))
    (if (i32.ne (call $spawn_threads (i32.const 4)) (i32.const 4)) (then (call $proc_exit (i32.const 2))))
    ;; 10000 * (1 + 2 + 3 + 4)
    (if (i32.ne (call $wait_threads (i32.const 4)) (i32.const 100000)) (then (call $proc_exit (i32.const 1))))))
