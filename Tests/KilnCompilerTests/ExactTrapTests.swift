import Kiln
import KilnCompiler
import XCTest

/// Traps are exact (DESIGN.md, decision 10): an out-of-bounds load traps even when the optimiser
/// can prove its value unused, and before any later trap, at every optimisation level. These are
/// the differential fuzzer's first findings (issue 12); tests/fuzz/regressions holds them too.
final class ExactTrapTests: XCTestCase {
    private let levels = [0, 1, 2, 3]

    func testLoadsWhoseValueIsProvablyUnusedTrap() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "brif") (block i32.const 70000 i32.load br_if 0))
              (func (export "mul0") (result i32) i32.const 70000 i32.load i32.const 0 i32.mul)
              (func (export "sel") (param i32) (result i32)
                (select (i32.load (i32.const 70000)) (i32.const 7) (local.get 0))))
            """, calls: [("brif", []), ("mul0", []), ("sel", [.i32(0)])])
    }

    func testLoadsWhoseValueIsDiscardedByABranchTrap() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "br0") (block i32.const 70000 i32.load br 0))
              (func (export "ret") i32.const 70000 i32.load return)
              (func (export "lane") (block i32.const 70000 v128.const i64x2 0 0 v128.load32_lane 0 br 0)))
            """, calls: [("br0", []), ("ret", []), ("lane", [])])
    }

    func testALoadTrapsBeforeALaterDivisionByZero() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "order") (param i32) (result i32)
                (i32.load (i32.const 70000)) (i32.div_s (i32.const 1) (local.get 0)) i32.add))
            """, calls: [("order", [.i32(0)])])
    }

    /// Smith seed 1000119: the value reaches the result only through a chain the code generator
    /// can decide (a bitmask of a splatted boolean is always 0), after the IR passes could not.
    func testALoadWhoseValueOnlyTheCodeGeneratorProvesUnusedTraps() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "bitmask_of_a_splat") (param i32 i32) (result i32)
                (i32.ge_u
                  (i8x16.bitmask (i32x4.splat (i32x4.all_true (v128.load16x4_s offset=70000 align=1 (local.get 0)))))
                  (local.get 1))))
            """, calls: [("bitmask_of_a_splat", [.i32(0), .i32(1)])])
    }

    /// A load across the end of memory traps even when only its low bytes are used, which the
    /// code generator would otherwise load on their own, in bounds.
    func testALoadStraddlingTheEndOfMemoryTrapsWhenOnlyItsLowBytesAreUsed() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "store8") (param i32) (i32.store8 (i32.const 0) (i32.load (local.get 0))))
              (func (export "mask") (param i32) (result i32) (i32.and (i32.load (local.get 0)) (i32.const 0xff)))
              (func (export "wrap") (param i32) (result i32) (i32.wrap_i64 (i64.load (local.get 0)))))
            """, calls: [("store8", [.i32(65533)]), ("mask", [.i32(65534)]), ("wrap", [.i32(65532)])])
    }

    /// The load only feeds its own next address through a loop-carried value that is never used:
    /// the loop has no other effect, so it must keep the load's witness or it is deleted whole.
    func testAPointerChaseWhoseResultIsUnusedTraps() throws {
        try assertEveryCallTraps("""
            (module (memory 1)
              (func (export "chase") (param i32 i32) (local $p i32)
                (local.set $p (local.get 0))
                (loop $next
                  (local.set $p (i32.load (local.get $p)))
                  (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
                  (br_if $next (i32.ne (local.get 1) (i32.const 0))))))
            """, calls: [("chase", [.i32(70000), .i32(3)])])
    }

    func testAStoreBeforeATrappingLoadHappens() throws {
        let wat = """
            (module (memory 1)
              (func (export "store_then_load") (param i32) (result i32)
                (i32.store (i32.const 16) (i32.const 42))
                (i32.load (local.get 0)))
              (func (export "peek") (result i32) (i32.load (i32.const 16))))
            """
        for level in levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            XCTAssertThrowsError(try instance.call("store_then_load", [.i32(70000)])) { error in
                XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "-O\(level)")
            }
            XCTAssertEqual(try instance.call("peek").first?.asI32, 42, "-O\(level)")
        }
    }

    /// Makes each call at each level and expects it to trap "out of bounds memory access".
    private func assertEveryCallTraps(_ wat: String, calls: [(String, [Value])]) throws {
        for level in levels {
            let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            for (name, args) in calls {
                XCTAssertThrowsError(try instance.call(name, args)) { error in
                    XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access", "\(name) at -O\(level)")
                }
            }
        }
    }
}
