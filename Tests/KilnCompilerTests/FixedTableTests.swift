import Kiln
import KilnCompiler
import XCTest

/// `call_indirect` through a table whose slots are known at compile time (FixedTables): it calls
/// and traps exactly as through the table, at every level; only a private table that no
/// instruction changes is fixed; and where nothing else can reach the table's functions, they
/// and the calls through it have the C convention (ConventionChoice).
final class FixedTableTests: XCTestCase {
    /// Slot 0 empty, 1 and 2 of type $ii (2 declared under a structurally equal type), 3 of type
    /// $v; the table has five slots, so 4 is empty too and 5 is out of bounds.
    private static func module(table: String, extra: String = "", tailCalls: Bool = true) -> String {
        """
        (module
          (type $ii (func (param i32) (result i32)))
          (type $ii2 (func (param i32) (result i32)))
          (type $v (func))
          \(table)
          (elem (i32.const 1) $double $square $nothing)
          (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
          (func $square (type $ii2) (i32.mul (local.get 0) (local.get 0)))
          (func $nothing (type $v))
          (func (export "call") (param i32 i32) (result i32)
            (call_indirect (type $ii) (local.get 1) (local.get 0)))
          (func (export "tail_call") (param i32 i32) (result i32)
            (\(tailCalls ? "return_call_indirect" : "call_indirect") (type $ii2) (local.get 1) (local.get 0)))
          \(extra)
        )
        """
    }

    private static let fixed = module(table: "(table 5 funcref)")
    /// Fixed and sealed, its functions with the C convention.
    private static let sealed = module(table: "(table 5 funcref)", tailCalls: false)
    private static let exported = module(table: "(table (export \"t\") 5 funcref)")
    private static let changed = module(
        table: "(table 5 funcref)",
        extra: "(func (export \"clear\") (param i32) (table.set 0 (local.get 0) (ref.null func)))")
    /// Fixed, but table.get hands its functions out.
    private static let read = module(
        table: "(table 5 funcref)", extra: "(func (export \"get\") (param i32) (result funcref) (table.get 0 (local.get 0)))")
    /// Fixed and sealed, but one of its functions is exported.
    private static let memberExported = module(table: "(table 5 funcref)", extra: "(export \"double\" (func $double))")

    func testCallsThroughAFixedTableCallAndTrapAsThroughTheTable() throws {
        for wat in [Self.fixed, Self.sealed, Self.exported, Self.changed, Self.read, Self.memberExported] {
            for level in 0...3 {
                let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
                for name in ["call", "tail_call"] {
                    let label = "-O\(level) \(name)"
                    XCTAssertEqual(try instance.call(name, [.i32(1), .i32(21)]).first?.asI32, 42, label)
                    XCTAssertEqual(try instance.call(name, [.i32(2), .i32(7)]).first?.asI32, 49, label)
                    for (slot, message) in [(0, "uninitialized element"), (3, "indirect call type mismatch"),
                                            (4, "uninitialized element"), (5, "undefined element"), (-1, "undefined element")] {
                        XCTAssertThrowsError(try instance.call(name, [.i32(Int32(slot)), .i32(1)]), "\(label) slot \(slot)") {
                            XCTAssertEqual(($0 as? KilnError)?.message, message, "\(label) slot \(slot)")
                        }
                    }
                }
                if wat == Self.changed {
                    _ = try instance.call("clear", [.i32(1)])
                    XCTAssertThrowsError(try instance.call("call", [.i32(1), .i32(1)]), "-O\(level) after table.set") {
                        XCTAssertEqual(($0 as? KilnError)?.message, "uninitialized element")
                    }
                }
            }
        }
    }

    func testOnlyAPrivateTableThatNoInstructionChangesIsFixed() throws {
        for (wat, isFixed) in [(Self.fixed, true), (Self.exported, false), (Self.changed, false), (Self.read, true)] {
            let functions = try optimisedWasmFunctions(wat, options: CompileOptions(optimizationLevel: 2))
            let caller = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[3]") }).body
            XCTAssertEqual(caller.contains("@kiln.table0,"), isFixed, caller)
        }
    }

    /// The functions of a fixed table that nothing can read, none of them escaping otherwise,
    /// have the C convention, and calls through the table use it; one exported function, or a
    /// table.get, keeps them all `tailcc`.
    func testASealedTablesFunctionsAndItsCallsHaveTheCConvention() throws {
        let table = "(table 5 funcref)"
        let withoutTailCalls = [
            (Self.sealed, true),
            (Self.module(table: table, tailCalls: true), false),
            (Self.module(table: table, extra: "(func (result funcref) (table.get 0 (i32.const 1)))", tailCalls: false), false),
            (Self.module(table: table, extra: "(export \"double\" (func $double))", tailCalls: false), false),
            (Self.module(table: "(table (export \"t\") 5 funcref)", tailCalls: false), false),
        ]
        for (wat, isC) in withoutTailCalls {
            let functions = try optimisedWasmFunctions(wat, options: CompileOptions(optimizationLevel: 1))
            for index in 0...2 {
                let callee = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[\(index)]") }).body
                let definition = try XCTUnwrap(callee.split(separator: "\n").dropFirst().first)
                XCTAssertEqual(!definition.contains("tailcc"), isC, String(definition))
            }
            let caller = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[3]") }).body
            let indirectCalls = caller.split(separator: "\n").filter { $0.contains("call i32 %") || $0.contains("call tailcc i32 %") }
            XCTAssertFalse(indirectCalls.isEmpty, caller)
            for call in indirectCalls { XCTAssertEqual(!call.contains("tailcc"), isC, String(call)) }
        }
    }
}
