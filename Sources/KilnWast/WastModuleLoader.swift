import Foundation
import Kiln
import KilnCompiler
// Only WasmError: KilnFrontend re-exports WasmTypes, whose `Value` would clash with Kiln's.
import struct KilnFrontend.WasmError
import WAT
import WasmParser

/// Turns a script's modules into loaded Kiln modules: text and quoted text are assembled with
/// WasmKit's WAT, the binary is compiled by the real `Compiler` into a private temporary directory,
/// and the resulting shared object is loaded through the Kiln API.
final class WastModuleLoader {
    private let compiler: Compiler
    /// What quoted modules are assembled with: the proposals the compiler accepts.
    private let textFeatures: WasmFeatureSet
    private let directory: String
    private var modulesCompiled = 0

    init(options: CompileOptions) throws(WastCheckFailure) {
        compiler = Compiler(options: options)
        textFeatures = options.features.parserFeatures
        var template = Array((NSTemporaryDirectory() + "/kiln-wast-XXXXXX").utf8CString)
        guard let path = mkdtemp(&template) else {
            throw WastCheckFailure("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: path)
    }

    /// Removes the temporary directory. Loaded modules stay usable: a dlopened file may be unlinked.
    func removeTemporaryFiles() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The binary of a script module. Throws `WatParserError` when the text does not parse or
    /// assemble, which for assert_malformed/assert_invalid counts as a rejection.
    func binary(of source: ModuleSource) throws -> [UInt8] {
        switch source {
        case .binary(let bytes): return bytes
        case .text(let wat): return try wat.encode()
        case .quote(let text): return try wat2wasm(String(decoding: text, as: UTF8.self), features: textFeatures)
        }
    }

    /// Compiles and loads `wasm`. Throws `WasmError` when the compiler rejects the module,
    /// `CompileError` when code generation fails, `KilnError` when the loader refuses the result.
    func load(_ wasm: [UInt8]) throws -> Kiln.Module {
        modulesCompiled += 1
        let path = "\(directory)/module\(modulesCompiled).so"
        try compiler.compile(wasm: wasm, to: path)
        // Unlinking right after loading keeps disk use flat over scripts with hundreds of modules.
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Kiln.Module(path: path)
    }
}

/// How `describeError` starts the line for a module the compiler refused.
let compilerRejectionPrefix = "compiler rejected the module: "

/// One line for any error the pipeline can throw.
func describeError(_ error: any Error) -> String {
    switch error {
    case let e as WasmError: compilerRejectionPrefix + "\(e)"
    case let e as CompileError: "compilation failed: \(e)"
    case let e as KilnError: e.isTrap ? "trap: \(e.message)" : "runtime error: \(e.message)"
    case let e as WatParserError: "text format error: \(e.description)"
    case let e as WastCheckFailure: e.message
    default: "\(error)"
    }
}
