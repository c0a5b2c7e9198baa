import Kiln
import KilnCompiler
import XCTest

/// A memory 0 that the module defines begins where the instance's vmctx ends, at the context
/// pointer every function receives (kiln_abi.h, KILN_MEMORY_HEADER_BYTES), so its addresses are
/// that pointer plus the index and no register holds a base across calls; an imported memory 0 is
/// reached through the base its importer's vmctx holds.
final class MemoryBaseTests: XCTestCase {
    private static let definer = """
        (module
          (memory (export "memory") 1)
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
        """
    private static let importer = """
        (module
          (import "m" "memory" (memory 1))
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
        """

    /// A defined memory's load is the context argument plus the index: no base is loaded. An
    /// imported memory's code loads its base (vmctx->memory0_base).
    func testOnlyAnImportedMemory0IsReachedThroughTheBaseInTheVMContext() throws {
        for (wat, readsBase) in [(Self.definer, false), (Self.importer, true)] {
            let functions = try optimisedWasmFunctions(wat, options: CompileOptions(optimizationLevel: 2))
            let load = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[0]") }).body
            XCTAssertEqual(load.contains("load ptr"), readsBase, load)
            if !readsBase { XCTAssertTrue(load.contains("getelementptr inbounds i8, ptr %0, i64 %"), load) }
        }
    }

    /// Each instance has its own memory after its own vmctx; an importer sees the exporter's bytes,
    /// and keeps the memory after the exporter is gone, at every level.
    func testEachInstanceReachesItsOwnMemoryAndAnImporterTheExporters() throws {
        for level in 0...3 {
            let options = CompileOptions(optimizationLevel: level)
            let definer = try compileAndLoad(Self.definer, options: options)
            let first = try definer.instantiate(), second = try definer.instantiate()
            _ = try first.call("store", [.i32(65532), .i32(11)])
            _ = try second.call("store", [.i32(65532), .i32(22)])
            XCTAssertEqual(try first.call("load", [.i32(65532)]).first?.asI32, 11, "-O\(level)")
            XCTAssertEqual(try second.call("load", [.i32(65532)]).first?.asI32, 22, "-O\(level)")
            XCTAssertEqual(first.memory(0)?.bytes[65532], 11, "-O\(level)")

            let imports = Imports()
            try imports.define("m", "memory", try XCTUnwrap(first.export("memory")))
            var importer: Instance? = try compileAndLoad(Self.importer, options: options).instantiate(imports: imports)
            _ = try importer?.call("store", [.i32(8), .i32(33)])
            XCTAssertEqual(try first.call("load", [.i32(8)]).first?.asI32, 33, "-O\(level)")
            XCTAssertEqual(try second.call("load", [.i32(8)]).first?.asI32, 0, "-O\(level)")
            _ = try first.call("store", [.i32(12), .i32(44)])
            XCTAssertEqual(try importer?.call("load", [.i32(12)]).first?.asI32, 44, "-O\(level)")
            importer = nil
        }
    }

    /// The memory outlives the instance that defined it (and whose vmctx its header held): an
    /// importer still reads and writes it.
    func testAnImportedMemoryOutlivesItsDefiner() throws {
        var definer: Instance? = try compileAndLoad(Self.definer).instantiate()
        _ = try definer?.call("store", [.i32(100), .i32(55)])
        let imports = Imports()
        try imports.define("m", "memory", try XCTUnwrap(definer?.export("memory")))
        let importer = try compileAndLoad(Self.importer).instantiate(imports: imports)
        definer = nil
        XCTAssertEqual(try importer.call("load", [.i32(100)]).first?.asI32, 55)
        _ = try importer.call("store", [.i32(104), .i32(66)])
        XCTAssertEqual(try importer.call("load", [.i32(104)]).first?.asI32, 66)
    }
}
