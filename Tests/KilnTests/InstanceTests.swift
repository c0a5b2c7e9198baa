import Foundation
import Kiln
import KilnCompiler
import Testing
import WAT

/// Module, Instance, Memory and Imports end to end: each test compiles a small module with the
/// real compiler. Until the compiler lands they fail with "not implemented yet".
@Suite struct InstanceTests {
    /// Compiles WAT into a temporary .so and loads it (the file is deleted once loaded).
    func load(_ wat: String) throws -> Module {
        let path = NSTemporaryDirectory() + "/kiln-api-test-\(UUID().uuidString).so"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Compiler(options: CompileOptions(optimizationLevel: 1)).compile(wasm: try wat2wasm(wat), to: path)
        return try Module(path: path)
    }

    @Test func callsReturnTypedResults() throws {
        let module = try load("""
            (module
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
              (func (export "nan") (param f32) (result f32) (local.get 0)))
            """)
        let instance = try module.instantiate()
        #expect(try instance.call("add", [.i32(2), .i32(40)]) == [.i32(42)])
        #expect(try instance.call("swap", [.i64(-1), .f64(0.5)]) == [.f64(0.5), .i64(-1)])
        // A signalling NaN passes through unchanged.
        #expect(try instance.call("nan", [.f32(bits: 0x7FA0_0001)]) == [.f32(bits: 0x7FA0_0001)])
        #expect(instance.exportNames == ["add", "swap", "nan"])
        #expect(try instance.function("add").parameters == [.i32, .i32])
    }

    @Test func trapsAreThrownAndTheInstanceStaysUsable() throws {
        let instance = try load("""
            (module
              (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))
            """).instantiate()
        #expect {
            try instance.call("div", [.i32(1), .i32(0)])
        } throws: { error in
            (error as? KilnError).map { $0.isTrap && $0.message == "integer divide by zero" } ?? false
        }
        #expect(try instance.call("div", [.i32(9), .i32(3)]) == [.i32(3)])
        #expect {
            try instance.call("nope")
        } throws: { error in
            (error as? KilnError).map { !$0.isTrap } ?? false
        }
    }

    @Test func memoryBaseStaysValidAcrossGrow() throws {
        let instance = try load("""
            (module
              (memory (export "mem") 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
            """).instantiate()
        let memory = try #require(instance.memory(0))
        let base = try #require(memory.baseAddress)
        #expect(memory.byteCount == 65536)
        base.storeBytes(of: UInt32(0xCAFE_F00D), toByteOffset: 16, as: UInt32.self)
        #expect(try instance.call("load", [.i32(16)]) == [.i32(Int32(bitPattern: 0xCAFE_F00D))])

        #expect(try instance.call("grow", [.i32(3)]) == [.i32(1)])
        #expect(memory.baseAddress == base)
        #expect(memory.byteCount == 4 * 65536)
        base.storeBytes(of: UInt32(7), toByteOffset: 3 * 65536, as: UInt32.self)
        #expect(try instance.call("load", [.i32(3 * 65536)]) == [.i32(7)])
        #expect(instance.memory(1) == nil)
    }

    @Test func hostFunctionsAreSwiftClosures() throws {
        let module = try load("""
            (module
              (import "host" "twice" (func $twice (param i32) (result i32)))
              (import "host" "fail" (func $fail))
              (import "host" "peek" (func $peek (param i32) (result i32)))
              (memory (export "mem") 1)
              (data (i32.const 100) "\\2a")
              (func (export "quad") (param i32) (result i32) (call $twice (call $twice (local.get 0))))
              (func (export "fail") (call $fail))
              (func (export "peek") (param i32) (result i32) (call $peek (local.get 0))))
            """)
        struct Refused: Error {}
        var calls = 0
        let imports = Imports()
        try imports.define("host", "twice", parameters: [.i32], results: [.i32]) { _, args in
            calls += 1
            guard case .i32(let x) = args[0] else { return [] }
            return [.i32(x * 2)]
        }
        try imports.define("host", "fail", parameters: [], results: []) { _, _ in throw Refused() }
        try imports.define("host", "peek", parameters: [.i32], results: [.i32]) { caller, args in
            guard case .i32(let address) = args[0], let memory = caller.memory() else { return [] }
            return [.i32(Int32(memory[Int(address)]))]
        }
        let instance = try module.instantiate(imports: imports)
        #expect(try instance.call("quad", [.i32(5)]) == [.i32(20)])
        #expect(calls == 2)
        #expect(try instance.call("peek", [.i32(100)]) == [.i32(42)])
        #expect {
            try instance.call("fail")
        } throws: { error in
            (error as? KilnError)?.isTrap ?? false
        }
    }

    @Test func instancesLinkThroughExports() throws {
        let exporter = try load("""
            (module
              (global (export "g") (mut i32) (i32.const 1))
              (memory (export "mem") 1)
              (func (export "f") (result i32) (i32.const 7)))
            """).instantiate()
        let importer = try load("""
            (module
              (import "m" "f" (func $f (result i32)))
              (import "m" "g" (global $g (mut i32)))
              (import "m" "mem" (memory 1))
              (func (export "run") (result i32)
                (global.set $g (i32.add (global.get $g) (call $f)))
                (i32.store (i32.const 0) (global.get $g))
                (global.get $g)))
            """)
        let imports = Imports()
        for name in exporter.exportNames {
            try imports.define("m", name, try #require(exporter.export(name)))
        }
        let instance = try importer.instantiate(imports: imports)
        #expect(try instance.call("run") == [.i32(8)])
        #expect(try exporter.global("g").value == .i32(8))
        #expect(exporter.memory(0)?.bytes.load(as: Int32.self) == 8)
    }

    @Test func hostCreatedObjectsCanBeImported() throws {
        let module = try load("""
            (module
              (import "env" "memory" (memory 1 2))
              (import "env" "limit" (global $limit i32))
              (func (export "limit") (result i32) (global.get $limit))
              (func (export "size") (result i32) (memory.size)))
            """)
        let memory = try Memory.create(minPages: 1, maxPages: 2)
        let imports = Imports()
        try imports.define("env", "memory", .memory(memory))
        try imports.define("env", "limit", .global(try Global.create(.i32(99))))
        let instance = try module.instantiate(imports: imports)
        #expect(try instance.call("limit") == [.i32(99)])
        #expect(try instance.call("size") == [.i32(1)])
        #expect(memory.byteCount == 65536)
    }

    @Test func closingIsExplicitAndIdempotent() throws {
        let module = try load("(module (func (export \"f\")))")
        let instance = try module.instantiate()
        module.close()
        module.close()
        // The instance keeps the code loaded after the module handle is gone.
        try instance.call("f")
        instance.close()
        instance.close()
        #expect(throws: KilnError.self) { try instance.call("f") }
        #expect(throws: KilnError.self) { try module.instantiate() }
    }

    @Test func unlinkableImportsFailInstantiation() throws {
        let module = try load("(module (import \"env\" \"missing\" (func)))")
        #expect {
            try module.instantiate(imports: Imports())
        } throws: { error in
            (error as? KilnError).map { !$0.isTrap } ?? false
        }
    }
}
