;; shared.wat — one shared memory, used by instances on several host threads at once
;; (test_shared_memory.c). Layout of the memory:
;;   0   i64  total: every sum_slice adds its partial sum here atomically
;;   8   i32  the lock word of $lock/$unlock: 0 free, 1 held, 2 held with waiters
;;   12  i32  the counter that only the lock protects
;;   16  i32  the flag that wait_flag sleeps on
;;   20  i32  a counter incremented atomically without the lock
;;   64  i32[] the numbers sum_slice adds up
(module
  (import "env" "memory" (memory 1 1024 shared))

  ;; Adds up words first .. first + count - 1 of the numbers, `passes` times over (the sums
  ;; wrap at 32 bits), adds the result to the total and returns it.
  (func (export "sum_slice") (param $first i32) (param $count i32) (param $passes i32) (result i32)
    (local $p i32) (local $end i32) (local $sum i32)
    (block $done
      (loop $pass
        (br_if $done (i32.eqz (local.get $passes)))
        (local.set $p (i32.add (i32.const 64) (i32.shl (local.get $first) (i32.const 2))))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 2))))
        (block $row_done
          (loop $row
            (br_if $row_done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $row)))
        (local.set $passes (i32.sub (local.get $passes) (i32.const 1)))
        (br $pass)))
    (drop (i64.atomic.rmw.add (i32.const 0) (i64.extend_i32_u (local.get $sum))))
    (local.get $sum))

  ;; Sets words first .. first + count - 1 of the numbers to k * 2654435761 (scripts/bench-threads).
  (func (export "fill") (param $first i32) (param $count i32)
    (local $k i32) (local $end i32)
    (local.set $k (local.get $first))
    (local.set $end (i32.add (local.get $first) (local.get $count)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
        (i32.store (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 2)))
          (i32.mul (local.get $k) (i32.const 2654435761)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next))))

  ;; A futex-style mutex: compare-and-exchange to take it, memory.atomic.wait32 to sleep while
  ;; another thread holds it, memory.atomic.notify to wake one sleeper on release.
  (func $lock
    (local $seen i32)
    (local.set $seen (i32.atomic.rmw.cmpxchg (i32.const 8) (i32.const 0) (i32.const 1)))
    (if (local.get $seen)
      (then
        (if (i32.ne (local.get $seen) (i32.const 2))
          (then (local.set $seen (i32.atomic.rmw.xchg (i32.const 8) (i32.const 2)))))
        (block $taken
          (loop $retry
            (br_if $taken (i32.eqz (local.get $seen)))
            (drop (memory.atomic.wait32 (i32.const 8) (i32.const 2) (i64.const -1)))
            (local.set $seen (i32.atomic.rmw.xchg (i32.const 8) (i32.const 2)))
            (br $retry))))))

  (func $unlock
    (if (i32.ne (i32.atomic.rmw.sub (i32.const 8) (i32.const 1)) (i32.const 1))
      (then
        (i32.atomic.store (i32.const 8) (i32.const 0))
        (drop (memory.atomic.notify (i32.const 8) (i32.const 1))))))

  ;; n increments of the counter at 12 with plain loads and stores, each under the lock.
  (func (export "locked_increments") (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (call $lock)
        (i32.store (i32.const 12) (i32.add (i32.load (i32.const 12)) (i32.const 1)))
        (call $unlock)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  ;; n atomic increments of the counter at 20.
  (func (export "atomic_increments") (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (drop (i32.atomic.rmw.add (i32.const 20) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  ;; Sleeps while the flag at 16 is 0, for at most `ms` milliseconds (negative: no limit):
  ;; 0 woken, 1 the flag was already set, 2 timed out.
  (func (export "wait_flag") (param $ms i32) (result i32)
    (memory.atomic.wait32 (i32.const 16) (i32.const 0)
      (i64.mul (i64.extend_i32_s (local.get $ms)) (i64.const 1000000))))

  ;; Wakes at most `count` sleepers on the flag without setting it; returns how many woke.
  (func (export "notify_flag") (param $count i32) (result i32)
    (memory.atomic.notify (i32.const 16) (local.get $count)))

  ;; Sets the flag and wakes at most `count` sleepers; returns how many woke.
  (func (export "set_flag") (param $count i32) (result i32)
    (i32.atomic.store (i32.const 16) (i32.const 1))
    (memory.atomic.notify (i32.const 16) (local.get $count)))

  (func (export "read") (param $address i32) (result i32) (i32.atomic.load (local.get $address)))
  (func (export "grow") (param $pages i32) (result i32) (memory.grow (local.get $pages)))
  (func (export "size") (result i32) (memory.size))
)
