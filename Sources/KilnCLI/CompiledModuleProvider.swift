import Foundation
import Kiln
import KilnCompiler

/// A loaded module and whatever must stay alive as long as it does.
struct ProvidedModule {
    let module: Kiln.Module
    /// For a cached module: the `CachedArtifact` whose verified copy the loader mapped.
    let keepAlive: AnyObject?
    /// True when the compiled code came from the cache without compiling.
    let wasCached: Bool
}

/// Where `kiln run` and `kiln bench` get a loadable module for some Wasm bytes: the on-disk
/// cache (`CachedCompilation`), or a fresh compile each time (`TemporaryCompilation`, for
/// `--no-cache`).
protocol CompiledModuleProvider {
    func module(for wasm: [UInt8], options: CompileOptions, progress: ProgressLine?) throws -> ProvidedModule
}

/// Compiles to a temporary .so, loads it and deletes it (a loaded shared object may be unlinked).
struct TemporaryCompilation: CompiledModuleProvider {
    func module(for wasm: [UInt8], options: CompileOptions, progress: ProgressLine?) throws -> ProvidedModule {
        var template = Array((NSTemporaryDirectory() + "/kiln-run-XXXXXX").utf8CString)
        guard let dir = mkdtemp(&template) else {
            throw InputError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: dir)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/module.so"
        defer { progress?.finish() }
        try Compiler(options: options).compile(wasm: wasm, to: path) { progress?.update($0) }
        return ProvidedModule(module: try Kiln.Module(path: path), keepAlive: nil, wasCached: false)
    }
}
