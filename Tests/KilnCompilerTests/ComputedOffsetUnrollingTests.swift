import Kiln
import KilnCompiler
import XCTest

/// Full unrolling of a short counted loop whose accesses land at offsets computed from its
/// counter (computed_offset_unrolling.cpp): a Keccak-style `a[i] ^= d[i % 5]` over 25 lanes, as
/// clang leaves it rolled for wasm32. Unrolled, each `i % 5` is a constant and no remainder is
/// left; the lanes are updated, and a `d` that runs off the end of memory traps, as the loop would.
final class ComputedOffsetUnrollingTests: XCTestCase {
    private let wat = """
        (module (memory (export "memory") 1)
          \(patternFillFunction)
          (func (export "lane") (param $at i32) (result i64) (i64.load (local.get $at)))
          (func (export "mix") (param $a i32) (param $d i32) (local $i i32) (local $p i32)
            (local.set $p (local.get $a))
            (loop $lane
              (i64.store (local.get $p)
                (i64.xor (i64.load (local.get $p))
                  (i64.load (i32.add (local.get $d) (i32.shl (i32.rem_u (local.get $i) (i32.const 5)) (i32.const 3))))))
              (local.set $p (i32.add (local.get $p) (i32.const 8)))
              (br_if $lane (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 25))))))
        """

    /// The 25 lanes at `a` after `fill` and `mix(a, d)`, lane by lane in the loop's order, and
    /// whether it trapped (at the first `d` lane outside the 64 KiB).
    private func expectedLanes(a: Int, d: Int) -> (lanes: [UInt64], trapped: Bool) {
        var memory = patternFilledMemory()
        func load(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(memory[at + $1]) << (8 * $1) } }
        var trapped = false
        for i in 0..<25 {
            let source = d + 8 * (i % 5)
            if source + 8 > 65536 { trapped = true; break }
            let value = load(a + 8 * i) ^ load(source)
            for byte in 0..<8 { memory[a + 8 * i + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
        }
        return ((0..<25).map { load(a + 8 * $0) }, trapped)
    }

    func testTheLoopIsUnrolledAndLeavesNoRemainder() throws {
        let functions = try optimisedWasmFunctions(wat, options: CompileOptions(optimizationLevel: 2))
        let mix = try XCTUnwrap(functions.first { $0.name.contains("wasm[2]") })
        XCTAssertFalse(mix.body.contains("urem"), mix.body)
        XCTAssertFalse(mix.body.contains("br i1"), "no loop is left: \(mix.body)")
    }

    func testTheUnrolledLoopComputesAndTrapsAsTheLoopWould() throws {
        for level in [0, 2, 3] {
            let module = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level))
            for (a, d) in [(1024, 4096), (1024, 1040), (0, 65536 - 24), (8, 65536 - 40)] {
                let instance = try module.instantiate()
                _ = try instance.call("fill")
                let expected = expectedLanes(a: a, d: d)
                if expected.trapped {
                    XCTAssertThrowsError(try instance.call("mix", [.i32(Int32(a)), .i32(Int32(d))]), "-O\(level)") { error in
                        XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "-O\(level)")
                    }
                } else {
                    _ = try instance.call("mix", [.i32(Int32(a)), .i32(Int32(d))])
                }
                for lane in 0..<25 {
                    XCTAssertEqual(try instance.call("lane", [.i32(Int32(a + 8 * lane))]).first?.asI64,
                                   Int64(bitPattern: expected.lanes[lane]), "-O\(level), a \(a), d \(d), lane \(lane)")
                }
            }
        }
    }
}
