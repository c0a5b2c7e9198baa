import Kiln
import KilnCache
import KilnCompiler

/// Gets compiled code from the on-disk cache (DESIGN.md, decision 7): a hit loads the stored
/// shared object, a miss compiles and stores it first.
struct CachedCompilation: CompiledModuleProvider {
    let cache: CompilationCache
    /// Whether to record the entry in the warm index (`kiln run`).
    var recordsWarmIndex = false

    func module(for wasm: [UInt8], options: CompileOptions, progress: ProgressLine?) throws -> ProvidedModule {
        defer { progress?.finish() }
        let loaded = try cache.loadModule(for: wasm, options: options) { progress?.update($0) }
        if recordsWarmIndex { cache.recordWarmIndex(for: loaded.artifact, options: options) }
        return ProvidedModule(module: loaded.module, keepAlive: loaded.artifact, wasCached: loaded.artifact.wasHit)
    }
}
