import Kiln
import KilnCompiler

/// A module loaded through the cache, with the artifact it was loaded from. Keep the artifact as
/// long as the module: it holds the verified private copy that the loader mapped.
public struct LoadedModule {
    public let module: Kiln.Module
    public let artifact: CachedArtifact
}

extension CompilationCache {
    /// Gets `wasm`'s compiled code from the cache (compiling on a miss) and loads it.
    ///
    /// A cached entry that the runtime refuses (its descriptor check fails) or that reports a
    /// different compiler fingerprint than its record is removed and compiled again, once; a
    /// freshly compiled module that fails to load is an error.
    public func loadModule(
        for wasm: [UInt8], options: CompileOptions = CompileOptions(),
        progress: CompileProgressHandler? = nil
    ) throws -> LoadedModule {
        let artifact = try compiledModule(for: wasm, options: options, progress: progress)
        do {
            return LoadedModule(module: try load(artifact), artifact: artifact)
        } catch where artifact.wasHit {
            try discard(artifact)
            let rebuilt = try insert(wasm: wasm, options: options, key: artifact.key, progress: progress)
            return LoadedModule(module: try load(rebuilt), artifact: rebuilt)
        }
    }

    func load(_ artifact: CachedArtifact) throws -> Kiln.Module {
        let module = try Kiln.Module(path: artifact.loadPath)
        guard module.fingerprint == artifact.fingerprint else {
            throw CacheError("\(artifact.entryPath) reports the fingerprint \"\(module.fingerprint)\", expected \"\(artifact.fingerprint)\"")
        }
        return module
    }

    /// Removes the entry `artifact` came from, unless another process has already replaced it.
    func discard(_ artifact: CachedArtifact) throws {
        guard let lock = try FileLock(path: lockPath(for: artifact.key), wait: true) else { return }
        withExtendedLifetime(lock) {
            if EntryMetadata.read(metadataPath(for: artifact.key))?.sha256 == artifact.sha256 {
                removeEntryFiles(artifact.key)
            }
        }
    }
}
