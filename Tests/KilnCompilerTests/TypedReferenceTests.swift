import Kiln
import KilnCompiler
import XCTest

/// Typed function references compiled and run: calls through references, the null traps with the
/// spec's wording, the null tests' branches, table initialisers, and the link-time checks of
/// typed global and table imports.
final class TypedReferenceTests: XCTestCase {
    static let module = """
        (module
          (type $unary (func (param i32) (result i32)))
          (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
          (func $negate (type $unary) (i32.sub (i32.const 0) (local.get 0)))
          (elem declare func $double $negate)
          (table $ops 2 (ref $unary) (ref.func $double))
          (global $null (mut (ref null $unary)) (ref.null $unary))

          (func (export "apply") (param $which i32) (param $x i32) (result i32)
            (call_ref $unary (local.get $x)
              (select (result (ref $unary)) (ref.func $double) (ref.func $negate) (local.get $which))))
          (func (export "from_table") (param $x i32) (result i32)
            (call_ref $unary (local.get $x) (table.get $ops (i32.const 1))))
          (func (export "call_null") (result i32)
            (call_ref $unary (i32.const 1) (global.get $null)))
          (func (export "tail_null") (result i32)
            (return_call_ref $unary (i32.const 1) (global.get $null)))
          (func (export "as_non_null_null")
            (drop (ref.as_non_null (global.get $null))))
          ;; 1 if the reference is null (taken branch), else its result for 5.
          (func (export "on_null") (param $null i32) (result i32)
            (block $isNull
              (return (call_ref $unary (i32.const 5)
                (br_on_null $isNull (select (result (ref null $unary))
                  (global.get $null) (ref.func $double) (local.get $null))))))
            (i32.const 1))
          (func (export "on_non_null") (param $null i32) (result i32)
            (call_ref $unary (i32.const 7)
              (block $isFunction (result (ref $unary))
                (br_on_non_null $isFunction (select (result (ref null $unary))
                  (global.get $null) (ref.func $negate) (local.get $null)))
                (return (i32.const -1)))))
          ;; Counts down through return_call_ref: constant stack however deep.
          (func $down (export "down") (param $n i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n))
              (then (i64.const 42))
              (else (return_call_ref $countdown (i64.sub (local.get $n) (i64.const 1)) (ref.func $down)))))
          (type $countdown (func (param i64) (result i64)))
          (elem declare func $down))
        """

    func testCallsThroughReferencesAndNullTraps() throws {
        for level in [0, 2] {
            let instance = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level)).instantiate()
            XCTAssertEqual(try instance.call("apply", [.i32(1), .i32(21)]).first?.asI32, 42)
            XCTAssertEqual(try instance.call("apply", [.i32(0), .i32(21)]).first?.asI32, -21)
            // The table's initialiser filled every slot, not only the first.
            XCTAssertEqual(try instance.call("from_table", [.i32(4)]).first?.asI32, 8)
            for export in ["call_null", "tail_null"] {
                XCTAssertThrowsError(try instance.call(export), "\(export) at -O\(level)") { error in
                    XCTAssertEqual((error as? KilnError)?.message, "null function reference")
                }
            }
            XCTAssertThrowsError(try instance.call("as_non_null_null")) { error in
                XCTAssertEqual((error as? KilnError)?.message, "null reference")
            }
            XCTAssertEqual(try instance.call("on_null", [.i32(1)]).first?.asI32, 1)
            XCTAssertEqual(try instance.call("on_null", [.i32(0)]).first?.asI32, 10)
            XCTAssertEqual(try instance.call("on_non_null", [.i32(1)]).first?.asI32, -1)
            XCTAssertEqual(try instance.call("on_non_null", [.i32(0)]).first?.asI32, -7)
            XCTAssertEqual(try instance.call("down", [.i64(10_000_000)]).first?.asI64, 42, "-O\(level)")
        }
    }

    /// The descriptor carries full reference types, so linking checks them: an immutable global
    /// may be imported at a supertype, a mutable one and a table only at an equivalent type.
    func testImportsOfTypedReferencesAreCheckedAtLinkTime() throws {
        let exporter = try instantiate("""
            (module
              (type $t (func))
              (func $f (type $t))
              (global (export "nonNull") (ref $t) (ref.func $f))
              (global (export "mutable") (mut (ref null $t)) (ref.null $t))
              (table (export "table") 1 (ref null $t)))
            """)
        let imports = Imports()
        for name in ["nonNull", "mutable", "table"] {
            try imports.define("lib", name, try XCTUnwrap(exporter.export(name)))
        }
        func links(_ imported: String) throws -> Bool {
            do {
                _ = try instantiate("(module (type $t (func)) (type $u (func (param i32))) \(imported))", imports: imports)
                return true
            } catch let error as KilnError {
                XCTAssertTrue(error.message.contains("incompatible import type"), error.message)
                return false
            }
        }
        XCTAssertTrue(try links(#"(global (import "lib" "nonNull") (ref $t))"#))
        XCTAssertTrue(try links(#"(global (import "lib" "nonNull") (ref null $t))"#))
        XCTAssertTrue(try links(#"(global (import "lib" "nonNull") funcref)"#))
        XCTAssertFalse(try links(#"(global (import "lib" "nonNull") (ref $u))"#))
        XCTAssertTrue(try links(#"(global (import "lib" "mutable") (mut (ref null $t)))"#))
        XCTAssertFalse(try links(#"(global (import "lib" "mutable") (mut funcref))"#))
        XCTAssertFalse(try links(#"(global (import "lib" "mutable") (mut (ref $t)))"#))
        XCTAssertTrue(try links(#"(table (import "lib" "table") 1 (ref null $t))"#))
        XCTAssertFalse(try links(#"(table (import "lib" "table") 1 funcref)"#))
        XCTAssertFalse(try links(#"(table (import "lib" "table") 1 (ref null $u))"#))
    }

    /// Function types are identified at run time by their recursion group and position: a
    /// function of a group's second type links only where that same group's second type is
    /// expected, not as the group's first type nor as a lone type of the same structure.
    func testRecursionGroupsAreMatchedByStructureAndPosition() throws {
        let exporter = try instantiate("""
            (module (rec (type $a (func)) (type $b (func))) (func (export "f") (type $b)))
            """)
        let imports = Imports()
        try imports.define("lib", "f", try XCTUnwrap(exporter.export("f")))
        func links(_ types: String, _ imported: String) throws -> Bool {
            do {
                _ = try instantiate("(module \(types) (func (import \"lib\" \"f\") (type \(imported))))", imports: imports)
                return true
            } catch let error as KilnError {
                XCTAssertTrue(error.message.contains("incompatible import type"), error.message)
                return false
            }
        }
        XCTAssertTrue(try links("(rec (type $x (func)) (type $y (func)))", "$y"))
        XCTAssertFalse(try links("(rec (type $x (func)) (type $y (func)))", "$x"))
        XCTAssertFalse(try links("(type $x (func))", "$x"))
    }
}
