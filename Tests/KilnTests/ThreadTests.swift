import Foundation
import Kiln
import Testing

/// Instances on several threads at once; a trap on one thread affects no other.
@Suite struct ThreadTests {
    static let wat = """
        (module
          (memory 1)
          (func (export "work") (param $seed i32) (result i32)
            (local $i i32) (local $sum i32)
            (loop $fill
              (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $seed) (local.get $i)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $fill (i32.lt_u (local.get $i) (i32.const 4096))))
            (local.set $i (i32.const 0))
            (loop $add
              (local.set $sum (i32.add (local.get $sum) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $add (i32.lt_u (local.get $i) (i32.const 4096))))
            (local.get $sum))
          (func (export "unreachable") unreachable)
          (func (export "out_of_bounds") (result i32) (i32.load (i32.const 0x7fff0000))))
        """

    /// What "work" returns: the sum of seed ..< seed + 4096, wrapping.
    static func expected(_ seed: Int32) -> Int32 {
        (0..<Int32(4096)).reduce(Int32(0)) { $0 &+ seed &+ $1 }
    }

    /// Failures found on the threads, collected under a lock.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var problems: [String] = []
        func record(_ problem: String) { lock.withLock { problems.append(problem) } }
        var all: [String] { lock.withLock { problems } }
    }

    @Test func trapsStayOnTheirThread() throws {
        let dir = try Embedding.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/worker.so"
        try Embedding.compile(Self.wat, to: path)
        let tally = Tally()
        // Thread 0 traps over and over; the others compute and check every result. Each thread
        // loads the module and creates its instance itself (one instance per thread at a time).
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            do {
                let instance = try Module(path: path).instantiate()
                for k in 0..<300 {
                    if thread == 0 {
                        for name in ["unreachable", "out_of_bounds"] {
                            do {
                                try instance.call(name)
                                tally.record("\(name) did not trap")
                            } catch let error as KilnError where error.isTrap {
                                // expected
                            } catch {
                                tally.record("\(name): \(error)")
                            }
                        }
                    } else {
                        let seed = Int32(thread * 100_000 + k)
                        let got = try instance.int("work", [.i32(seed)])
                        if got != Self.expected(seed) { tally.record("thread \(thread): \(got)") }
                    }
                }
                // The trapping thread's instance still computes afterwards.
                if try instance.int("work", [.i32(1)]) != Self.expected(1) { tally.record("after traps") }
            } catch {
                tally.record("thread \(thread): \(error)")
            }
        }
        #expect(tally.all == [])
    }
}
