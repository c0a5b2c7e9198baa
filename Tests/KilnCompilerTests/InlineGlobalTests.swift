import Kiln
import KilnRuntimeC
import KilnCompiler
import XCTest

/// The first globals a module defines keep their cells just below the vmctx (kiln_abi.h,
/// KILN_INLINE_GLOBALS): generated code reaches one at a constant offset from its context
/// pointer, while the runtime, the host and importers reach the same cell through
/// vmctx->globals. Later defined globals and imported ones are reached through that array.
final class InlineGlobalTests: XCTestCase {
    private static let inlineCount = Int(KILN_INLINE_GLOBALS)

    /// A module defining `count` mutable i32 globals, global k starting at 1000 + k, each
    /// exported as "g<k>", with functions that read, bump and write any of them by index, and
    /// (with `memory`) a memory 0 of its own, which moves the vmctx into that memory's header.
    private static func module(globals count: Int, memory: Bool) -> String {
        let globals = (0..<count).map { "(global $g\($0) (export \"g\($0)\") (mut i32) (i32.const \(1000 + $0)))" }
        let reads = (0..<count).map { "(if (i32.eq (local.get 0) (i32.const \($0))) (then (return (global.get $g\($0)))))" }
        let bumps = (0..<count).map {
            "(if (i32.eq (local.get 0) (i32.const \($0))) (then (global.set $g\($0) (i32.add (global.get $g\($0)) (local.get 1)))))"
        }
        return """
            (module
              \(memory ? "(memory 1)" : "")
              \(globals.joined(separator: "\n  "))
              (func (export "read") (param i32) (result i32) \(reads.joined(separator: " ")) (i32.const -1))
              (func (export "bump") (param i32 i32) \(bumps.joined(separator: " ")))
              (func (export "first") (result i32) (global.get $g0))
              (func (export "last") (result i32) (global.get $g\(count - 1))))
            """
    }

    /// The first defined global is one load at a constant offset from the context pointer, with
    /// no pointer loaded on the way; one past the inline ones goes through vmctx->globals.
    func testOnlyTheFirstDefinedGlobalsAreReadAtAConstantOffset() throws {
        let functions = try optimisedWasmFunctions(
            Self.module(globals: Self.inlineCount + 1, memory: true), options: CompileOptions(optimizationLevel: 2))
        let first = try XCTUnwrap(functions.first { $0.name.contains("wasm[2]") }).body
        let last = try XCTUnwrap(functions.first { $0.name.contains("wasm[3]") }).body
        XCTAssertFalse(first.contains("load ptr"), first)
        XCTAssertTrue(first.contains("getelementptr i8, ptr %0, i64 -"), first)
        XCTAssertTrue(last.contains("load ptr"), last)
    }

    /// The code, the host and the initialisers agree on every global, inline or not, with the
    /// vmctx in the memory's header or in the instance, at every level; each instance has its own.
    func testCodeAndHostSeeTheSameGlobals() throws {
        let count = Self.inlineCount + 3
        for memory in [true, false] {
            for level in 0...3 {
                let where_ = "memory \(memory), -O\(level)"
                let module = try compileAndLoad(Self.module(globals: count, memory: memory), options: CompileOptions(optimizationLevel: level))
                let instance = try module.instantiate(), other = try module.instantiate()
                for k in [0, 1, Self.inlineCount - 1, Self.inlineCount, count - 1] {
                    XCTAssertEqual(try instance.call("read", [.i32(Int32(k))]).first?.asI32, Int32(1000 + k), where_)
                    _ = try instance.call("bump", [.i32(Int32(k)), .i32(5)])
                    guard case .global(let global)? = instance.export("g\(k)") else { return XCTFail("no global g\(k)") }
                    XCTAssertEqual(global.value.asI32, Int32(1005 + k), where_)
                    try global.set(.i32(Int32(-k)))
                    XCTAssertEqual(try instance.call("read", [.i32(Int32(k))]).first?.asI32, Int32(-k), where_)
                    XCTAssertEqual(try other.call("read", [.i32(Int32(k))]).first?.asI32, Int32(1000 + k), where_)
                }
                XCTAssertEqual(try instance.call("first").first?.asI32, 0, where_)
                XCTAssertEqual(try instance.call("last").first?.asI32, Int32(-(count - 1)), where_)
            }
        }
    }

    /// An importer writes the exporter's inline global through the cell vmctx->globals gives it,
    /// and the exporter's code reads it at its constant offset, and the other way round.
    func testAnImporterSharesTheExportersInlineCell() throws {
        let importer = """
            (module
              (import "m" "g0" (global $g (mut i32)))
              (global $own (mut i32) (i32.const 7))
              (func (export "bump") (param i32) (global.set $g (i32.add (global.get $g) (local.get 0))))
              (func (export "read") (result i32) (i32.add (global.get $g) (global.get $own))))
            """
        for level in [0, 2] {
            let exporter = try compileAndLoad(Self.module(globals: 2, memory: true), options: CompileOptions(optimizationLevel: level)).instantiate()
            let imports = Imports()
            try imports.define("m", "g0", try XCTUnwrap(exporter.export("g0")))
            let user = try compileAndLoad(importer, options: CompileOptions(optimizationLevel: level)).instantiate(imports: imports)
            _ = try user.call("bump", [.i32(10)])
            XCTAssertEqual(try exporter.call("first").first?.asI32, 1010, "-O\(level)")
            _ = try exporter.call("bump", [.i32(0), .i32(100)])
            XCTAssertEqual(try user.call("read").first?.asI32, 1117, "-O\(level)")
        }
    }
}
