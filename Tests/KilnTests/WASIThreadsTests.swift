import Foundation
import Kiln
import Testing

/// wasi-threads through the Swift API: `bindWASI` binds thread-spawn, `createSharedMemories`
/// gives the program its memory, and the program's threads call the host's closures.
@Suite struct WASIThreadsTests {
    static let wat = """
        (module
          (import "env" "memory" (memory 1 1 shared))
          (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
          (import "host" "square" (func $square (param i32) (result i32)))
          ;; A thread stores square(argument) at 64 + 4 * argument, then counts itself finished
          ;; at 0 and wakes the waiter; with a negative argument it traps instead.
          (func (export "wasi_thread_start") (param $id i32) (param $argument i32)
            (if (i32.lt_s (local.get $argument) (i32.const 0)) (then unreachable))
            (i32.store (i32.add (i32.const 64) (i32.shl (local.get $argument) (i32.const 2)))
                       (call $square (local.get $argument)))
            (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
            (drop (memory.atomic.notify (i32.const 0) (i32.const -1))))
          (func (export "spawn") (param $argument i32) (result i32) (call $spawn (local.get $argument)))
          ;; Waits until n threads have finished; then the sum of what they stored.
          (func (export "wait") (param $n i32) (result i32)
            (local $seen i32) (local $k i32) (local $sum i32)
            (block $all
              (loop $again
                (local.set $seen (i32.atomic.load (i32.const 0)))
                (br_if $all (i32.ge_u (local.get $seen) (local.get $n)))
                (drop (memory.atomic.wait32 (i32.const 0) (local.get $seen) (i64.const -1)))
                (br $again)))
            (block $done
              (loop $add
                (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
                (local.set $sum (i32.add (local.get $sum)
                  (i32.load (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 2))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $add)))
            (local.get $sum)))
        """

    /// What the program's threads report to the host, in the order they do.
    final class Reports<Element>: @unchecked Sendable {
        private let lock = NSLock()
        private var elements: [Element] = []
        func record(_ element: Element) { lock.withLock { elements.append(element) } }
        var all: [Element] { lock.withLock { elements } }
    }

    @Test func threadsRunAndCallTheHostsClosures() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/threads.so"
        try Embedding.compile(Self.wat, to: path)
        let module = try Module(path: path)
        let calls = Reports<Int32>()
        let imports = Imports()
        try imports.bindWASI(arguments: ["threads"])
        try imports.define("host", "square", parameters: [.i32], results: [.i32]) { _, args in
            guard case .i32(let n) = args[0] else { return [.i32(-1)] }
            calls.record(n)
            return [.i32(n * n)]
        }
        try imports.createSharedMemories(for: module)
        let instance = try module.instantiate(imports: imports)
        let threads: Int32 = 6
        var ids: Set<Int32> = []
        for k in 0..<threads {
            guard case .i32(let id) = try instance.call("spawn", [.i32(k)]).first else { throw KilnError("no id") }
            ids.insert(id)
        }
        #expect(ids.count == Int(threads) && ids.allSatisfy { $0 > 0 }, "distinct positive thread ids: \(ids)")
        let sum = try instance.call("wait", [.i32(threads)])
        #expect(sum == [.i32((0..<threads).reduce(0) { $0 + $1 * $1 })])
        #expect(calls.all.sorted() == Array(0..<threads))
        instance.close()
    }

    @Test func aThreadsTrapEndsTheProgramAndTheHostHearsOfItOnce() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/threads.so"
        try Embedding.compile(Self.wat, to: path)
        let module = try Module(path: path)
        let imports = Imports()
        try imports.bindWASI(arguments: ["threads"])
        try imports.define("host", "square", parameters: [.i32], results: [.i32]) { _, args in args }
        try imports.createSharedMemories(for: module)
        let ends = Reports<KilnError>()
        try imports.onWASIProgramEnd { end in ends.record(end) }
        let instance = try module.instantiate(imports: imports)
        defer { instance.close() }
        _ = try instance.call("spawn", [.i32(-1)])
        // Waits for a thread that never finishes: the trap on the other thread ends the wait.
        #expect {
            _ = try instance.call("wait", [.i32(1)])
        } throws: { error in
            (error as? KilnError)?.isTrap == true && (error as? KilnError)?.message == "unreachable"
        }
        #expect(ends.all.map(\.message) == ["unreachable"])
        #expect(ends.all.first?.isTrap == true)
    }

    @Test func withoutTheMemoryTheProgramCannotLink() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/threads.so"
        try Embedding.compile(Self.wat, to: path)
        let imports = Imports()
        try imports.bindWASI(arguments: ["threads"])
        try imports.define("host", "square", parameters: [.i32], results: [.i32]) { _, args in args }
        #expect(throws: KilnError.self) { _ = try Module(path: path).instantiate(imports: imports) }
    }
}
