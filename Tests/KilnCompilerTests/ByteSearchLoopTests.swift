import Foundation
import Kiln
import KilnCompiler
import XCTest

/// Loops that walk one array a word at a time until a byte equals a value, with the has-zero-byte
/// trick, get a vector prologue after their first four iterations at -O2 and -O3
/// (WindowSkipping, byte_search_loops.cpp). They must find the byte the loop finds wherever the
/// array starts and ends, near (the peeled iterations) or far (the windows), and trap exactly
/// where the loop would.
final class ByteSearchLoopTests: XCTestCase {
    /// A C library's `strlen` and `memchr` in the usual shape: bytes up to a 4-byte boundary, then
    /// words while no byte of the word is the one sought, then bytes again.
    private static let routines = """
        (func $strlen (export "strlen") (param $s i32) (result i32)
          (local $p i32) (local $w i32)
          (local.set $p (local.get $s))
          (block $aligned
            (loop $bytes
              (br_if $aligned (i32.eqz (i32.and (local.get $p) (i32.const 3))))
              (if (i32.eqz (i32.load8_u (local.get $p))) (then (return (i32.sub (local.get $p) (local.get $s)))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $bytes)))
          (block $found
            (loop $words
              (local.set $w (i32.load (local.get $p)))
              (br_if $found (i32.and (i32.and (i32.sub (local.get $w) (i32.const 0x01010101))
                                              (i32.xor (local.get $w) (i32.const -1)))
                                     (i32.const 0x80808080)))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (br $words)))
          (loop $last
            (if (i32.load8_u (local.get $p))
              (then (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $last))))
          (i32.sub (local.get $p) (local.get $s)))
        (func $memchr (export "memchr") (param $s i32) (param $c i32) (param $n i32) (result i32)
          (local $k i32) (local $w i32)
          (local.set $c (i32.and (local.get $c) (i32.const 255)))
          (block $aligned
            (loop $bytes
              (br_if $aligned (i32.eqz (i32.and (local.get $s) (i32.const 3))))
              (if (i32.eqz (local.get $n)) (then (return (i32.const -1))))
              (if (i32.eq (i32.load8_u (local.get $s)) (local.get $c)) (then (return (local.get $s))))
              (local.set $s (i32.add (local.get $s) (i32.const 1)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $bytes)))
          (local.set $k (i32.mul (local.get $c) (i32.const 0x01010101)))
          (block $found
            (loop $words
              (br_if $found (i32.lt_u (local.get $n) (i32.const 4)))
              (local.set $w (i32.xor (i32.load (local.get $s)) (local.get $k)))
              (br_if $found (i32.and (i32.and (i32.sub (local.get $w) (i32.const 0x01010101))
                                              (i32.xor (local.get $w) (i32.const -1)))
                                     (i32.const 0x80808080)))
              (local.set $s (i32.add (local.get $s) (i32.const 4)))
              (local.set $n (i32.sub (local.get $n) (i32.const 4)))
              (br $words)))
          (block $none
            (loop $rest
              (br_if $none (i32.eqz (local.get $n)))
              (if (i32.eq (i32.load8_u (local.get $s)) (local.get $c)) (then (return (local.get $s))))
              (local.set $s (i32.add (local.get $s) (i32.const 1)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $rest)))
          (i32.const -1))
        """

    /// 8 KB of pseudo-random bytes, none of them zero, at 0 and at 65536.
    private static let bytes = pseudoRandomBytes(8192, seed: 2024).map { $0 | 1 }

    private static var module: String {
        let data = bytes.map { String(format: "\\%02x", $0) }.joined()
        return """
            (module (memory 2)
              (data (i32.const 0) "\(data)") (data (i32.const 65536) "\(data)")
              (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
              \(routines))
            """
    }

    func testTheWordLoopsGetAVectorPrologueAtO2AndO3() throws {
        for level in [2, 3] {
            let functions = try optimisedWasmFunctions(Self.module, options: CompileOptions(optimizationLevel: level))
            for (name, index) in [("strlen", 1), ("memchr", 2)] {
                let body = try XCTUnwrap(functions.first { $0.name == "@\"wasm[\(index)]\"" }).body
                // The word loop's; the byte loops around it are short.
                XCTAssertEqual(body.components(separatedBy: "\nsearch.window").count - 1, 1, "\(name) -O\(level)")
                XCTAssertTrue(body.contains("load <32 x i8>"), "\(name) -O\(level)")
            }
        }
    }

    /// Every start alignment, page crossings and string ends at each position of the first
    /// windows, against a plain search of the same bytes.
    func testTheyFindWhatTheLoopsFindWhereverTheArrayStarts() throws {
        let starts = [0, 1, 2, 3, 5, 4096 - 40, 4096 - 37, 4096 - 18, 65536 + 4096 - 35]
        let ends = [0, 1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 3000]
        for level in [0, 2, 3] {
            let instance = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level)).instantiate()
            func call(_ name: String, _ arguments: [Int]) throws -> Int32? {
                try instance.call(name, arguments.map { .i32(Int32($0)) }).first?.asI32
            }
            for start in starts {
                let base = start >= 65536 ? 65536 : 0
                for end in ends {
                    let at = start + end
                    let original = Self.bytes[at - base]
                    // A zero byte (strlen) that is also the byte memchr looks for.
                    _ = try call("poke", [at, 0])
                    XCTAssertEqual(try call("strlen", [start]), Int32(end), "-O\(level): strlen from \(start), zero at +\(end)")
                    XCTAssertEqual(try call("memchr", [start, 0, end + 50]), Int32(at), "-O\(level): memchr from \(start), zero at +\(end)")
                    // A count that ends before it: not found.
                    XCTAssertEqual(try call("memchr", [start, 0, end]), -1, "-O\(level): memchr from \(start), \(end) bytes")
                    _ = try call("poke", [at, Int(original)])
                    // A byte of the data itself, where it first occurs.
                    let sought = Self.bytes[at - base]
                    let first = Self.bytes[(start - base)...].firstIndex(of: sought)! + base
                    XCTAssertEqual(try call("memchr", [start, Int(sought), 4000]), Int32(first), "-O\(level): memchr of \(sought) from \(start)")
                }
            }
        }
    }

    /// Bytes without the one sought up to the end of memory: the search traps where the loop
    /// reaches it, and not when its count or the byte stops it first.
    func testTheyTrapWhereTheLoopLeavesTheMemory() throws {
        let wat = """
            (module (memory 1)
              (func (export "fill") (param $from i32)
                (memory.fill (local.get $from) (i32.const 7) (i32.sub (i32.const 65536) (local.get $from))))
              (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
              \(Self.routines))
            """
        for level in [0, 1, 2, 3] {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            func call(_ name: String, _ arguments: [Int]) throws -> Int32? {
                try instance.call(name, arguments.map { .i32(Int32($0)) }).first?.asI32
            }
            _ = try call("fill", [65536 - 8192])
            for start in [65536 - 4096, 65536 - 40, 65536 - 37] {
                let left = 65536 - start
                XCTAssertThrowsError(try call("strlen", [start]), "-O\(level): strlen from \(start)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access")
                }
                XCTAssertThrowsError(try call("memchr", [start, 0, left + 1]), "-O\(level): memchr one past, \(start)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access")
                }
                XCTAssertEqual(try call("memchr", [start, 0, left]), -1, "-O\(level): memchr up to the end, \(start)")
                XCTAssertEqual(try call("memchr", [start, 7, 100_000]), Int32(start), "-O\(level): memchr found at once, \(start)")
                // The last byte of memory is the one: found, no trap.
                _ = try call("poke", [65535, 0])
                XCTAssertEqual(try call("strlen", [start]), Int32(left - 1), "-O\(level): strlen up to the last byte, \(start)")
                XCTAssertEqual(try call("memchr", [start, 0, 100_000]), 65535, "-O\(level): memchr of the last byte, \(start)")
                _ = try call("poke", [65535, 7])
            }
        }
    }
}
