import Kiln
import KilnCompiler
import KilnFrontend
import XCTest

/// Compile real modules, load them through the runtime and check what they compute.
final class EndToEndTests: XCTestCase {
    func testArithmeticAndControlFlow() throws {
        let instance = try instantiate("""
            (module
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func $fac (export "fac") (param i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (i64.const 1))
                  (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
              (func (export "sum") (param i32) (result i32) (local i32)
                (block $done
                  (loop $next
                    (br_if $done (i32.eqz (local.get 0)))
                    (local.set 1 (i32.add (local.get 1) (local.get 0)))
                    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                    (br $next)))
                (local.get 1)))
            """)
        XCTAssertEqual(try instance.call("add", [.i32(40), .i32(2)]).first?.asI32, 42)
        XCTAssertEqual(try instance.call("fac", [.i64(20)]).first?.asI64, 2_432_902_008_176_640_000)
        XCTAssertEqual(try instance.call("sum", [.i32(100)]).first?.asI32, 5050)
    }

    func testMultiValueAndBrTable() throws {
        let instance = try instantiate("""
            (module
              (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
              (func (export "swap") (param i32 i32) (result i32 i32) (call $swap (local.get 0) (local.get 1)))
              (func (export "pick") (param i32) (result i32)
                (block $c (block $b (block $a
                  (br_table $a $b $c (local.get 0)))
                  (return (i32.const 10)))
                  (return (i32.const 20)))
                (i32.const 30)))
            """)
        let swapped = try instance.call("swap", [.i32(1), .i32(2)])
        XCTAssertEqual(swapped.map(\.asI32), [2, 1])
        XCTAssertEqual(try (0...3).map { try instance.call("pick", [.i32($0)]).first?.asI32 }, [10, 20, 30, 30])
    }

    /// Extended constant expressions: globals and segment offsets computed with add, sub and mul
    /// (how LLVM's dynamic linking places data at `__memory_base + offset`), wrapping like the
    /// instructions themselves.
    func testExtendedConstantExpressions() throws {
        let instance = try instantiate("""
            (module
              (memory 1)
              (global $end i32 (i32.add (i32.const 1000) (i32.mul (i32.const 4) (i32.const 6))))
              (global $wrapped i64 (i64.sub (i64.const 0) (i64.mul (i64.const 0x4000000000000001) (i64.const 4))))
              (global $negative i32 (i32.sub (i32.const 3) (i32.const 5)))
              (data (i32.add (i32.const 1000) (i32.const 24)) "*")
              (func (export "end") (result i32) (global.get $end))
              (func (export "wrapped") (result i64) (global.get $wrapped))
              (func (export "negative") (result i32) (global.get $negative))
              (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))
            """)
        XCTAssertEqual(try instance.call("end").first?.asI32, 1024)
        XCTAssertEqual(try instance.call("wrapped").first?.asI64, -4)
        XCTAssertEqual(try instance.call("negative").first?.asI32, -2)
        XCTAssertEqual(try instance.call("byte", [.i32(1024)]).first?.asI32, 42)
    }

    func testTrapsAreErrorsAndTheInstanceStaysUsable() throws {
        let instance = try instantiate("""
            (module
              (memory 1)
              (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "boom") unreachable)
              (func $down (export "down") (param i32) (result i32) (call $down (i32.add (local.get 0) (i32.const 1)))))
            """)
        XCTAssertThrowsError(try instance.call("div", [.i32(1), .i32(0)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "integer divide by zero")
        }
        XCTAssertThrowsError(try instance.call("load", [.i32(65536)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access")
        }
        XCTAssertThrowsError(try instance.call("boom")) { error in
            XCTAssertEqual((error as? KilnError)?.isTrap, true)
        }
        XCTAssertThrowsError(try instance.call("down", [.i32(0)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "call stack exhausted")
        }
        XCTAssertEqual(try instance.call("div", [.i32(84), .i32(2)]).first?.asI32, 42)
    }

    func testMemoryPointerSurvivesGrow() throws {
        let instance = try instantiate("""
            (module
              (memory (export "memory") 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
            """)
        let base = try XCTUnwrap(instance.memory(0)?.baseAddress)
        _ = try instance.call("store", [.i32(100), .i32(0x1234_5678)])
        for _ in 0..<50 { _ = try instance.call("grow", [.i32(1)]) }
        XCTAssertEqual(instance.memory(0)?.baseAddress, base)
        XCTAssertEqual(base.load(fromByteOffset: 100, as: Int32.self), 0x1234_5678)
        _ = try instance.call("store", [.i32(50 * 65536), .i32(7)])
        XCTAssertEqual(base.load(fromByteOffset: 50 * 65536, as: Int32.self), 7)
    }

    func testCallIndirectChecksSignatures() throws {
        let instance = try instantiate("""
            (module
              (type $unary (func (param i32) (result i32)))
              (table 3 funcref)
              (elem (i32.const 0) $double $nullary)
              (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
              (func $nullary (result i32) (i32.const 7))
              (func (export "call") (param i32 i32) (result i32)
                (call_indirect (type $unary) (local.get 1) (local.get 0))))
            """)
        XCTAssertEqual(try instance.call("call", [.i32(0), .i32(21)]).first?.asI32, 42)
        XCTAssertThrowsError(try instance.call("call", [.i32(1), .i32(0)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "indirect call type mismatch")
        }
        XCTAssertThrowsError(try instance.call("call", [.i32(2), .i32(0)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "uninitialized element")
        }
        XCTAssertThrowsError(try instance.call("call", [.i32(3), .i32(0)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "undefined element")
        }
    }

    func testHostFunctionsAreCalledWithTheirArguments() throws {
        let imports = Imports()
        var seen: [Int32] = []
        try imports.define("env", "record", parameters: [.i32], results: [.i32]) { _, args in
            seen.append(args[0].asI32 ?? -1)
            return [.i32((args[0].asI32 ?? 0) + 1)]
        }
        let instance = try instantiate("""
            (module
              (import "env" "record" (func $record (param i32) (result i32)))
              (func (export "twice") (param i32) (result i32) (call $record (call $record (local.get 0)))))
            """, imports: imports)
        XCTAssertEqual(try instance.call("twice", [.i32(5)]).first?.asI32, 7)
        XCTAssertEqual(seen, [5, 6])
    }

    func testMalformedInputIsATypedError() throws {
        let directory = FileManager.default.temporaryDirectory.path
        XCTAssertThrowsError(try Compiler().compile(wasm: [0, 0x61, 0x73, 0x6D, 1, 0, 0], to: directory + "/never.so")) { error in
            XCTAssertEqual((error as? WasmError)?.kind, .malformed)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/never.so"))
    }
}
