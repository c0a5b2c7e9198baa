import Foundation
import Kiln
import Testing

/// A shared memory (threads) that the host creates and gives to instances on several threads.
@Suite struct SharedMemoryTests {
    static let wat = """
        (module
          (import "host" "memory" (memory 1 4 shared))
          ;; n atomic increments of the word at 0, and n increments of the word at 8 under a spin
          ;; lock at 4 taken with compare-and-exchange.
          (func (export "count") (param $n i32)
            (loop $next
              (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
              (loop $acquire
                (br_if $acquire (i32.atomic.rmw.cmpxchg (i32.const 4) (i32.const 0) (i32.const 1))))
              (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (i32.const 1)))
              (i32.atomic.store (i32.const 4) (i32.const 0))
              (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $next)))
          (func (export "grow") (result i32) (memory.grow (i32.const 1))))
        """

    /// The memory, handed to every thread: a shared memory is meant to be used from several.
    struct Shared: @unchecked Sendable { let memory: Memory }

    @Test func instancesOnSeveralThreadsShareOneMemory() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/counter.so"
        try Embedding.compile(Self.wat, to: path)
        let shared = Shared(memory: try Memory.createShared(minPages: 1, maxPages: 4))
        let tally = ThreadTests.Tally()
        let threads = 4, increments: Int32 = 20_000
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            do {
                let imports = Imports()
                try imports.define("host", "memory", .memory(shared.memory))
                let instance = try Module(path: path).instantiate(imports: imports)
                try instance.call("count", [.i32(increments)])
                if thread == 0 { _ = try instance.call("grow") }
            } catch {
                tally.record("thread \(thread): \(error)")
            }
        }
        #expect(tally.all == [])
        let words = shared.memory.bytes.bindMemory(to: Int32.self)
        #expect(words[0] == Int32(threads) * increments, "atomic increments")
        #expect(words[2] == Int32(threads) * increments, "increments under the lock")
        #expect(words[1] == 0, "the lock ends free")
        #expect(shared.memory.byteCount == 2 * 65_536, "growth on one thread is the memory's")
    }

    @Test func onlyASharedImportTakesASharedMemory() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/counter.so"
        try Embedding.compile(Self.wat, to: path)
        let imports = Imports()
        try imports.define("host", "memory", .memory(try Memory.create(minPages: 1, maxPages: 4)))
        #expect(throws: KilnError.self) { try Module(path: path).instantiate(imports: imports) }
        #expect(throws: KilnError.self) { try Memory.createShared(minPages: 2, maxPages: 1) }
    }
}
