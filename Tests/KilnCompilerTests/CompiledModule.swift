import Foundation
import Kiln
import KilnCompiler
import WAT

/// Compiles WAT text to a shared object in a fresh temporary directory and loads it.
func compileAndLoad(_ wat: String, options: CompileOptions = CompileOptions()) throws -> Module {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("module.so").path
    try Compiler(options: options).compile(wasm: try wat2wasm(wat), to: path)
    // The loaded module stays valid after its file is removed: it is mapped.
    return try Module(path: path)
}

func instantiate(_ wat: String, imports: Imports? = nil) throws -> Instance {
    try compileAndLoad(wat).instantiate(imports: imports)
}

extension Value {
    var asI32: Int32? { if case .i32(let value) = self { value } else { nil } }
    var asI64: Int64? { if case .i64(let value) = self { value } else { nil } }
}
