import Foundation
import Kiln
import KilnCompiler

/// Where `kiln run` gets a loadable module for some Wasm bytes.
///
/// Today it compiles into a fresh temporary directory every time. This is the seam for the
/// compilation cache (DESIGN.md, decision 7): a cached provider looks the bytes up by content
/// hash and compiles only on a miss, and `kiln run` does not change.
protocol CompiledModuleProvider {
    func module(for wasm: [UInt8], options: CompileOptions, progress: ProgressLine?) throws -> Kiln.Module
}

/// Compiles to a temporary .so, loads it and deletes it (a loaded shared object may be unlinked).
struct TemporaryCompilation: CompiledModuleProvider {
    func module(for wasm: [UInt8], options: CompileOptions, progress: ProgressLine?) throws -> Kiln.Module {
        var template = Array((NSTemporaryDirectory() + "/kiln-run-XXXXXX").utf8CString)
        guard let dir = mkdtemp(&template) else {
            throw InputError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: dir)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/module.so"
        defer { progress?.finish() }
        try Compiler(options: options).compile(wasm: wasm, to: path) { done, total in
            progress?.update(done, of: total)
        }
        return try Kiln.Module(path: path)
    }
}
