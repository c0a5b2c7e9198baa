import Kiln
import KilnCompiler

/// What a tiered load found: the module to run now, and the optimised entry it stands in for
/// when that one is not in the cache yet.
public struct TieredModule {
    public let loaded: LoadedModule
    /// The optimised entry's key when `loaded` is fast-tier code standing in for it; nil when
    /// `loaded` is the optimised code itself.
    public let pendingKey: CacheKey?
}

extension CompilationCache {
    /// For a run that should not wait for the optimiser: the entry for `options` if the cache has
    /// it, else the fast tier's (`CompilationTier.fastLevel`), compiled on a miss, which costs a
    /// fraction of the optimised compile. Counts one hit or one miss, as `loadModule` does.
    ///
    /// Compiles nothing at `options`' level: filling the optimised entry is for
    /// `compileInBackground`, in a process that may outlive this one.
    public func loadModuleTiered(
        for wasm: [UInt8], options: CompileOptions, progress: CompileProgressHandler? = nil
    ) throws -> TieredModule {
        guard options.optimizationLevel > CompilationTier.fastLevel else {
            return TieredModule(loaded: try loadModule(for: wasm, options: options, progress: progress), pendingKey: nil)
        }
        let key = try key(for: wasm, options: options)
        if let hit = lookup(key) {
            if let module = try? load(hit) {
                return TieredModule(loaded: LoadedModule(module: module, artifact: hit), pendingKey: nil)
            }
            // The loader refused it (see loadModule): gone, and rebuilt like any missing entry.
            try discard(hit)
        }
        var fast = options
        fast.optimizationLevel = CompilationTier.fastLevel
        return TieredModule(loaded: try loadModule(for: wasm, options: fast, progress: progress), pendingKey: key)
    }
}
