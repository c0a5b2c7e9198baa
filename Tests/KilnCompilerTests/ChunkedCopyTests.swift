import Kiln
import KilnCompiler
import XCTest

/// The word loops of musl's memcpy and memmove as clang builds them for wasm32 without bulk
/// memory: four 64-bit moves an iteration forwards, counting n down to a remainder
/// (`n - 32 > 15`), and four 32-bit moves an iteration backwards from the end (`n - 16 > 3`).
/// A count that steps over the remainder wraps, and the loop runs on until it traps.
/// Since Kiln 0.5.52 a copy of at least 64 bytes but too short for the runtime's memory copy,
/// with both ranges inside the memory and not overlapping the wrong way round, runs as a loop of
/// one vector load and store an iteration (copy_loops.h, ChunkedCopy); every other copy runs the
/// loop as written, and traps where it does.
final class ChunkedCopyTests: XCTestCase {
    private static let wat = """
        (module (memory (export "memory") 1)
          \(patternFillFunction)
          (func (export "copy_words") (param $d i32) (param $s i32) (param $n i32) (result i32)
            (block $done
              (br_if $done (i32.lt_u (local.get $n) (i32.const 32)))
              (loop $next
                (i64.store (local.get $d) (i64.load (local.get $s)))
                (i64.store (i32.add (local.get $d) (i32.const 8)) (i64.load (i32.add (local.get $s) (i32.const 8))))
                (i64.store (i32.add (local.get $d) (i32.const 16)) (i64.load (i32.add (local.get $s) (i32.const 16))))
                (i64.store (i32.add (local.get $d) (i32.const 24)) (i64.load (i32.add (local.get $s) (i32.const 24))))
                (local.set $d (i32.add (local.get $d) (i32.const 32)))
                (local.set $s (i32.add (local.get $s) (i32.const 32)))
                (br_if $next (i32.gt_u (local.tee $n (i32.add (local.get $n) (i32.const -32))) (i32.const 15)))))
            (i32.add (i32.mul (local.get $d) (i32.const 3)) (i32.add (local.get $s) (i32.mul (local.get $n) (i32.const 7)))))
          (func (export "copy_words_back") (param $d i32) (param $s i32) (param $n i32) (result i32)
            (block $done
              (br_if $done (i32.lt_u (local.get $n) (i32.const 16)))
              (loop $next
                (local.set $n (i32.add (local.get $n) (i32.const -16)))
                (i32.store (i32.add (local.get $d) (i32.add (local.get $n) (i32.const 12)))
                  (i32.load (i32.add (local.get $s) (i32.add (local.get $n) (i32.const 12)))))
                (i32.store (i32.add (local.get $d) (i32.add (local.get $n) (i32.const 8)))
                  (i32.load (i32.add (local.get $s) (i32.add (local.get $n) (i32.const 8)))))
                (i32.store (i32.add (local.get $d) (i32.add (local.get $n) (i32.const 4)))
                  (i32.load (i32.add (local.get $s) (i32.add (local.get $n) (i32.const 4)))))
                (i32.store (i32.add (local.get $d) (local.get $n)) (i32.load (i32.add (local.get $s) (local.get $n))))
                (br_if $next (i32.gt_u (local.get $n) (i32.const 3)))))
            (local.get $n)))
        """

    /// What `copy_words` (`forwards`) or `copy_words_back` leaves in memory, whether it trapped at
    /// its first access outside the memory after the moves before it, and what it returns.
    private static func modelled(forwards: Bool, to d: Int, from s: Int, count n: Int) -> (memory: [UInt8], trapped: Bool, result: Int32) {
        var memory = patternFilledMemory()
        var d = d, s = s, n = UInt32(truncatingIfNeeded: n)
        // One move of `width` bytes, the load before the store, each checked against the memory.
        func move(_ to: Int, _ from: Int, _ width: Int) -> Bool {
            guard from + width <= memory.count else { return false }
            let bytes = Array(memory[from..<from + width])
            guard to + width <= memory.count else { return false }
            memory.replaceSubrange(to..<to + width, with: bytes)
            return true
        }
        if forwards {
            if n >= 32 {
                repeat {
                    for k in stride(from: 0, to: 32, by: 8) where !move(d + k, s + k, 8) { return (memory, true, 0) }
                    d += 32
                    s += 32
                    n &-= 32
                } while n > 15
            }
            return (memory, false, Int32(truncatingIfNeeded: d &* 3 &+ s &+ Int(n) &* 7))
        }
        // Its addresses are 32-bit sums: a count that steps over zero wraps them round.
        func at(_ base: Int, _ k: UInt32) -> Int { Int(UInt32(truncatingIfNeeded: base) &+ n &+ k) }
        if n >= 16 {
            repeat {
                n &-= 16
                for k: UInt32 in [12, 8, 4, 0] where !move(at(d, k), at(s, k), 4) { return (memory, true, 0) }
            } while n > 3
        }
        return (memory, false, Int32(bitPattern: n))
    }

    /// At -O2 each loop gets its chunk loop of 16-byte vector moves (two an iteration forwards,
    /// one backwards) beside the call.
    func testBothLoopsGetAChunkLoopBesideTheCall() throws {
        let functions = try optimisedWasmFunctions(Self.wat, options: CompileOptions(optimizationLevel: 2))
        for (index, moves) in [(1, 2), (2, 1)] {
            let body = try XCTUnwrap(functions.first { $0.name.contains("wasm[\(index)]") }).body
            XCTAssertEqual(body.components(separatedBy: "load <16 x i8>").count - 1, moves, body)
            XCTAssertTrue(body.contains("i32 0, i32 0, i64"), body)  // the call
        }
    }

    /// Disjoint, overlapping either way round, below the chunk loop's length, in its range, past it
    /// (the call), and out of bounds at the end, both directions, at -O0, -O2 and -O3: the same
    /// bytes as the loop, the same result, and a trap where it traps.
    func testCopiesWhatTheLoopCopiesAndTrapsWhereItTraps() throws {
        var cases: [(d: Int, s: Int, n: Int)] = []
        for n in [40, 64, 96, 200, 255, 256, 300, 1000] {
            cases += [(20000, 4000, n), (4000, 4008, n), (4008, 4000, n), (4000, 4040, n), (4040, 4000, n), (4000, 4000, n)]
        }
        cases += [(65536 - 100, 4000, 200), (4000, 65536 - 100, 200), (65536 - 64, 4000, 64), (65536 - 200, 4000, 200)]
        for level in [0, 2, 3] {
            let module = try compileAndLoad(Self.wat, options: CompileOptions(optimizationLevel: level))
            for forwards in [true, false] {
                for (d, s, n) in cases {
                    let instance = try module.instantiate()
                    _ = try instance.call("fill", [])
                    let want = Self.modelled(forwards: forwards, to: d, from: s, count: n)
                    let context = "-O\(level) \(forwards ? "forwards" : "backwards") d=\(d) s=\(s) n=\(n)"
                    let results = callAsModelled(instance, forwards ? "copy_words" : "copy_words_back",
                                                 [.i32(Int32(d)), .i32(Int32(s)), .i32(Int32(n))], trapped: want.trapped, context)
                    if let results { XCTAssertEqual(results.first?.asI32, want.result, context) }
                    try assertMemoryIsModelled(instance, want.memory, context)
                }
            }
        }
    }
}
