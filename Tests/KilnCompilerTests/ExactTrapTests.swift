import Kiln
import KilnCompiler
import XCTest

/// Traps are exact (DESIGN.md, decision 10): an out-of-bounds load traps even when the optimiser
/// can prove its value unused, and before any later trap, at every optimisation level. These are
/// the differential fuzzer's first findings (issue 12); tests/fuzz/regressions holds them too.
final class ExactTrapTests: XCTestCase {
    private let levels = [0, 2, 3]

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
