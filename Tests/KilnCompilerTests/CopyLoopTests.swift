import Kiln
import KilnCompiler
import XCTest

/// Loops that copy bytes from one range of linear memory to another, as musl's memmove does in a
/// module built without bulk memory: forwards (`*d++ = *s++`, its pointers used after the loop)
/// and backwards (`d[n] = s[n]` with n counting down). Since Kiln 0.5.37 each is one call of the runtime's memory copy where both
/// ranges are inside the memory, it copies at least 32 bytes, and the ranges do not overlap the
/// way round where the loop and memmove differ (a forward copy onto its own tail repeats a
/// pattern); otherwise the loop runs as written, and traps where it would.
final class CopyLoopTests: XCTestCase {
    private let wat = """
        (module (memory (export "memory") 1)
          (func (export "fill") (local $at i32)
            (loop $next
              (i32.store8 (local.get $at) (i32.add (i32.mul (local.get $at) (i32.const 7)) (i32.shr_u (local.get $at) (i32.const 8))))
              (br_if $next (i32.lt_u (local.tee $at (i32.add (local.get $at) (i32.const 1))) (i32.const 65536)))))
          (func (export "byte") (param $at i32) (result i32) (i32.load8_u (local.get $at)))
          (func (export "copy_forward") (param $d i32) (param $s i32) (param $n i32) (result i32)
            (block $done
              (br_if $done (i32.eqz (local.get $n)))
              (loop $next
                (i32.store8 (local.get $d) (i32.load8_u (local.get $s)))
                (local.set $d (i32.add (local.get $d) (i32.const 1)))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
            (i32.add (local.get $d) (i32.mul (local.get $s) (i32.const 3))))
          (func (export "copy_backward") (param $d i32) (param $s i32) (param $n i32)
            (block $done
              (br_if $done (i32.eqz (local.get $n)))
              (loop $next
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (i32.store8 (i32.add (local.get $d) (local.get $n)) (i32.load8_u (i32.add (local.get $s) (local.get $n))))
                (br_if $next (local.get $n))))))
        """

    private static let memoryBytes = 65536

    /// What the loop leaves in memory (byte i of the memory holds `initial(i)`), and whether it
    /// trapped at its first access outside the memory, after the bytes before it.
    private static func copied(forwards: Bool, to d: Int, from s: Int, count n: Int) -> (bytes: [UInt8], trapped: Bool) {
        var bytes = (0..<memoryBytes).map(initial)
        for step in 0..<n {
            let k = forwards ? step : n - 1 - step
            guard s + k >= 0, s + k < memoryBytes, d + k >= 0, d + k < memoryBytes else { return (bytes, true) }
            bytes[d + k] = bytes[s + k]
        }
        return (bytes, false)
    }

    private static func initial(_ at: Int) -> UInt8 { UInt8(truncatingIfNeeded: at &* 7 &+ at >> 8) }

    func testBothLoopsBecomeAMemoryCopyBehindTheirChecks() throws {
        let copies = try optimisedWasmFunctions(wat).filter { $0.name.hasPrefix("@\"wasm[2]") || $0.name.hasPrefix("@\"wasm[3]") }
        XCTAssertEqual(copies.count, 2)
        for function in copies {
            XCTAssertTrue(function.body.contains(".kiln.fallback"), function.body)
            // The runtime's memory_copy, called with memory 0 as destination and source.
            XCTAssertTrue(function.body.contains("i32 0, i32 0, i64"), function.body)
        }
    }

    /// Disjoint, overlapping either way round, short, and out of bounds at either end, in both
    /// directions and at every level: the same bytes as the loop, and a trap where it traps.
    func testCopiesWhatTheLoopCopiesAndTrapsWhereItTraps() throws {
        let cases: [(d: Int, s: Int, n: Int)] = [
            (20000, 4000, 3000), (4000, 4001, 5000), (4001, 4000, 5000), (4000, 4013, 100), (4013, 4000, 100),
            (4000, 4001, 31), (4001, 4000, 20), (65536 - 1000, 4000, 3000), (4000, 65536 - 1000, 3000), (8000, 8000, 500),
        ]
        for level in [0, 2, 3] {
            let module = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level))
            for forwards in [true, false] {
                for (d, s, n) in cases {
                    let instance = try module.instantiate()
                    _ = try instance.call("fill", [])
                    let want = Self.copied(forwards: forwards, to: d, from: s, count: n)
                    let context = "-O\(level) \(forwards ? "forwards" : "backwards") d=\(d) s=\(s) n=\(n)"
                    let name = forwards ? "copy_forward" : "copy_backward"
                    let results = callAsModelled(instance, name, [.i32(Int32(d)), .i32(Int32(s)), .i32(Int32(n))], trapped: want.trapped, context)
                    // What the forward loop leaves in its pointers, both moved by n.
                    if let results, forwards { XCTAssertEqual(results.first?.asI32, Int32(d + n + 3 * (s + n)), context) }
                    for at in Set([d, s].flatMap { max(0, $0 - 8)..<min(Self.memoryBytes, $0 + n + 8) }).sorted() {
                        let byte = try instance.call("byte", [.i32(Int32(at))]).first?.asI32
                        if byte != Int32(want.bytes[at]) {
                            XCTFail("\(context): byte \(at) is \(byte.map(String.init) ?? "none"), not \(want.bytes[at])")
                            break
                        }
                    }
                }
            }
        }
    }
}
