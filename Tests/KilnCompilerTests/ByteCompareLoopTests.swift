import Foundation
import Kiln
import KilnCompiler
import XCTest

/// Loops that compare two byte arrays until they differ get a vector prologue at -O2 and -O3
/// (WindowSkipping, byte_compare_loops.cpp). It must find the same first difference as the
/// byte loop wherever the arrays start and end, and trap exactly where the byte loop would.
final class ByteCompareLoopTests: XCTestCase {
    /// musl's `memcmp`, as clang compiles it for wasm32.
    private static let compare = """
        (func $memcmp (export "memcmp") (param $a i32) (param $b i32) (param $n i32) (result i32)
          (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
          (loop $next
            (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b)))
              (then (return (i32.sub (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))))))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
          (i32.const 0))
        """

    /// 2 pages: a copy of 8 KB of pseudo-random bytes at 0 and at 65536, so that any two
    /// starting points a multiple of 65536 apart are equal until a byte changed on purpose.
    private static let bytes = pseudoRandomBytes(8192, seed: 12345)

    private static var module: String {
        let data = bytes.map { String(format: "\\%02x", $0) }.joined()
        return """
            (module (memory 2)
              (data (i32.const 0) "\(data)") (data (i32.const 65536) "\(data)")
              (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
              \(compare)
              \(compareWords))
            """
    }

    /// `memcmp(a, b, n * 4)`: inlined, the byte loop's count is a multiple of 4, which LLVM
    /// would unroll by 4 into a shape the prologue does not take.
    private static let compareWords = """
        (func (export "compare_words") (param $a i32) (param $b i32) (param $n i32) (result i32)
          (call $memcmp (local.get $a) (local.get $b) (i32.shl (local.get $n) (i32.const 2))))
        """

    func testTheLoopGetsAVectorPrologueAtO2AndO3() throws {
        for level in [2, 3] {
            let functions = try optimisedWasmFunctions(Self.module, options: CompileOptions(optimizationLevel: level))
            let memcmp = try XCTUnwrap(functions.first { $0.name == "@\"wasm[1]\"" })
            XCTAssertTrue(memcmp.body.contains("bytes.window"), "-O\(level)")
            XCTAssertTrue(memcmp.body.contains("load <16 x i8>"), "-O\(level)")
        }
    }

    func testAnInlinedCompareOfWordsKeepsOneLoopWithThePrologue() throws {
        for level in [2, 3] {
            let functions = try optimisedWasmFunctions(Self.module, options: CompileOptions(optimizationLevel: level))
            let caller = try XCTUnwrap(functions.first { $0.name == "@\"wasm[2]\"" })
            XCTAssertTrue(caller.body.contains("bytes.window"), "-O\(level)")
            let byteCompares = caller.body.components(separatedBy: "\n").filter { $0.contains("icmp eq i8") || $0.contains("icmp ne i8") }
            XCTAssertEqual(byteCompares.count, 1, "-O\(level): \(byteCompares)")
        }
        for level in [0, 2, 3] {
            let instance = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level)).instantiate()
            for (words, change) in [(1, nil), (9, nil), (100, nil), (100, 0), (100, 37), (100, 399)] as [(Int, Int?)] {
                let a = 4096 - 40 + 1, b = 65536 + 4096 - 40 + 1
                let left = Array(Self.bytes[a..<a + words * 4])
                var right = left
                if let change {
                    right[change] ^= 0x5A
                    _ = try instance.call("poke", [.i32(Int32(b + change)), .i32(Int32(right[change]))])
                }
                let result = try instance.call("compare_words", [.i32(Int32(a)), .i32(Int32(b)), .i32(Int32(words))]).first?.asI32
                XCTAssertEqual(result, Self.firstDifference(left, right), "-O\(level): \(words) words, changed \(change.map(String.init) ?? "none")")
                if let change { _ = try instance.call("poke", [.i32(Int32(b + change)), .i32(Int32(left[change]))]) }
            }
        }
    }

    /// Every start alignment, page crossings, lengths around the window's multiples, and a
    /// difference at each position of the first windows, against the byte loop's answer.
    func testItFindsTheFirstDifferenceWhereverTheArraysStart() throws {
        var cases: [(a: Int, b: Int, n: Int, change: Int?)] = []
        for misalignment in [0, 1, 7, 15] {
            let a = 4096 - 40 + misalignment, b = 65536 + 4096 - 40 + misalignment * 3 % 16
            for n in [1, 15, 16, 17, 31, 32, 33, 100, 4000] { cases.append((a, b, n, nil)) }
            for change in [0, 1, 14, 15, 16, 17, 39, 40, 41, 63, 64, 99] { cases.append((a, b, 200, change)) }
        }
        for level in [0, 2, 3] {
            let module = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level))
            for (a, b, n, change) in cases {
                let instance = try module.instantiate()
                // The bytes at a and at b (65536 further on: the second copy), b's possibly changed.
                let left = Array(Self.bytes[a..<a + n])
                var right = Array(Self.bytes[(b - 65536)..<(b - 65536) + n])
                if let change {
                    right[change] ^= 0x5A
                    _ = try instance.call("poke", [.i32(Int32(b + change)), .i32(Int32(right[change]))])
                }
                let expected = Self.firstDifference(left, right)
                let result = try instance.call("memcmp", [.i32(Int32(a)), .i32(Int32(b)), .i32(Int32(n))]).first?.asI32
                XCTAssertEqual(result, expected, "-O\(level): a \(a), b \(b), n \(n), changed \(change.map(String.init) ?? "none")")
            }
        }
    }

    /// What `memcmp` returns: the difference of the first bytes that differ, or 0.
    private static func firstDifference(_ left: [UInt8], _ right: [UInt8]) -> Int32 {
        for (x, y) in zip(left, right) where x != y { return Int32(x) - Int32(y) }
        return 0
    }

    /// Equal bytes up to the end of memory: the compare traps where the byte loop reaches it, and
    /// not when its count or a difference stops it first.
    func testItTrapsWhereTheByteLoopLeavesTheMemory() throws {
        let wat = """
            (module (memory 1)
              (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
              \(Self.compare))
            """
        for level in [0, 1, 2, 3] {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            func memcmp(_ a: Int32, _ b: Int32, _ n: Int32) throws -> Int32? {
                try instance.call("memcmp", [.i32(a), .i32(b), .i32(n)]).first?.asI32
            }
            for start in [65536 - 4096, 65536 - 40, 65536 - 37] {
                let a = Int32(start), b = Int32(start - 20000)
                XCTAssertEqual(try memcmp(a, b, Int32(65536 - start)), 0, "-O\(level): up to the end, \(start)")
                XCTAssertThrowsError(try memcmp(a, b, Int32(65536 - start + 1)), "-O\(level): one past, \(start)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access")
                }
                XCTAssertThrowsError(try memcmp(b, a, 100_000), "-O\(level): the second array, \(start)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access")
                }
                // A difference in the last bytes of memory stops it before a count past the end.
                _ = try instance.call("poke", [.i32(65533), .i32(9)])
                XCTAssertEqual(try memcmp(a, b, 100_000), 9, "-O\(level): a difference at the end, \(start)")
                _ = try instance.call("poke", [.i32(65533), .i32(0)])
            }
        }
    }
}
