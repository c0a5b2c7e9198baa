//! A wasi-threads program built by Zig's own toolchain and thread library (std.Thread on
//! wasm32-wasi with threads: its wasi_thread_start, a stack and thread-local block per thread).
//! scripts/test-wasi-threads-zig builds it and runs it under kiln and under Wasmtime, whose
//! outputs must be identical.
//!
//! `threads N` (default 4, at most 16) spawns N threads. Thread K sums 0..1000*(K+1) on its own
//! stack into a thread-local variable, then adds it 1000 times to a total under a mutex that sleeps
//! in memory.atomic.wait32 when contended, and once with an atomic add to a second total. The first thread waits for them all with
//! memory.atomic.wait32 (std.Thread.join is not used: Zig 0.17 stores a thread's id after
//! thread-spawn returns, so a thread that ends first can make join wait forever) and prints each
//! thread's sum, both totals and its own thread-local value, which no other thread may touch.
const std = @import("std");
const wasi = std.os.wasi;
pub const panic = std.debug.simple_panic;

const max_threads = 16;
var sums: [max_threads]u64 = @splat(0);
var stacks: [max_threads * 256 * 1024]u8 align(16) = undefined;
var lock: Mutex = .{};
var locked_total: u64 = 0;
var atomic_total = std.atomic.Value(u32).init(0); // Zig allows atomics up to the pointer size
var finished = std.atomic.Value(u32).init(0);
threadlocal var mine: u64 = 7;

fn wait32(address: *const u32, expected: u32) void {
    _ = asm volatile (
        \\ local.get %[address]
        \\ local.get %[expected]
        \\ i64.const -1
        \\ memory.atomic.wait32 0
        \\ local.set %[result]
        : [result] "=r" (-> u32),
        : [address] "r" (address),
          [expected] "r" (expected),
    );
}

fn notifyAll(address: *const u32) void {
    asm volatile (
        \\ local.get %[address]
        \\ i32.const -1
        \\ memory.atomic.notify 0
        \\ drop
        :
        : [address] "r" (address),
    );
}

/// Unlocked, locked, locked with sleepers: the classic three-state futex mutex. (Zig's own
/// std.Io.Mutex needs an std.Io, which this freestanding program has no use for.)
const Mutex = struct {
    state: std.atomic.Value(u32) = .init(0),

    fn lock(m: *Mutex) void {
        if (m.state.cmpxchgStrong(0, 1, .acquire, .monotonic) == null) return;
        while (m.state.swap(2, .acquire) != 0) wait32(&m.state.raw, 2);
    }

    fn unlock(m: *Mutex) void {
        if (m.state.swap(0, .release) == 2) notifyOne(&m.state.raw);
    }
};

fn notifyOne(address: *const u32) void {
    asm volatile (
        \\ local.get %[address]
        \\ i32.const 1
        \\ memory.atomic.notify 0
        \\ drop
        :
        : [address] "r" (address),
    );
}

fn work(k: usize) void {
    mine = 0;
    var i: u64 = 0;
    while (i <= 1000 * (k + 1)) : (i += 1) mine += i;
    sums[k] = mine;
    var n: u32 = 0;
    while (n < 1000) : (n += 1) {
        lock.lock();
        locked_total += mine;
        lock.unlock();
    }
    _ = atomic_total.fetchAdd(@intCast(mine), .seq_cst);
    _ = finished.fetchAdd(1, .seq_cst);
    notifyAll(&finished.raw);
}

fn print(text: []const u8) void {
    var iovec = [_]wasi.ciovec_t{.{ .base = text.ptr, .len = text.len }};
    var written: usize = 0;
    _ = wasi.fd_write(1, &iovec, 1, &written);
}

fn threadCount() usize {
    var argc: usize = 0;
    var size: usize = 0;
    _ = wasi.args_sizes_get(&argc, &size);
    var argv: [32][*:0]u8 = undefined;
    var buffer: [4096]u8 = undefined;
    if (argc < 2 or argc > argv.len or size > buffer.len) return 4;
    _ = wasi.args_get(&argv, &buffer);
    const n = std.fmt.parseInt(usize, std.mem.span(argv[1]), 10) catch return 4;
    return @min(n, max_threads);
}

pub fn main() void {
    const n = threadCount();
    var memory = std.heap.FixedBufferAllocator.init(&stacks);
    var k: usize = 0;
    while (k < n) : (k += 1) {
        _ = std.Thread.spawn(.{ .allocator = memory.allocator(), .stack_size = 64 * 1024 }, work, .{k}) catch {
            print("spawn failed\n");
            return;
        };
    }
    while (true) {
        const done = finished.load(.seq_cst);
        if (done >= n) break;
        wait32(&finished.raw, done);
    }
    var line: [128]u8 = undefined;
    k = 0;
    while (k < n) : (k += 1) print(std.fmt.bufPrint(&line, "thread {d}: {d}\n", .{ k, sums[k] }) catch return);
    print(std.fmt.bufPrint(&line, "locked total: {d}\n", .{locked_total}) catch return);
    print(std.fmt.bufPrint(&line, "atomic total: {d}\n", .{atomic_total.load(.seq_cst)}) catch return);
    print(std.fmt.bufPrint(&line, "first thread's own: {d}\n", .{mine}) catch return);
}
