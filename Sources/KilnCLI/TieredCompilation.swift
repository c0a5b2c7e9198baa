import Foundation
import Kiln
import KilnCache
import KilnCompiler

/// `kiln run` at the default level: the optimised entry if the cache has it; else the fast tier's
/// (compiled on a miss, several times faster than optimising), run at once, while a detached
/// `kiln cache background-compile` fills the optimised entry for the next run.
struct TieredCompilation: CompiledModuleProvider {
    let cache: CompilationCache
    /// The run's compile flags as words (`CompileFlags.arguments`), for the background compile.
    let compileArguments: [String]
    /// Whether to record the optimised entry in the warm index (`kiln run`); a fast-tier stand-in
    /// never is, so that the launcher hands such a run back and the optimised entry is found.
    var recordsWarmIndex = false

    func module(for wasm: [UInt8], options: CompileOptions, progress: ProgressLine?) throws -> ProvidedModule {
        defer { progress?.finish() }
        let tiered = try cache.loadModuleTiered(for: wasm, options: options) { progress?.update($0) }
        // Also after a fast-tier hit: an earlier background compile may have been killed.
        if let key = tiered.pendingKey, cache.wantsBackgroundCompile(key) {
            startBackgroundCompile(wasm, options: options, key: key)
        }
        let loaded = tiered.loaded
        if recordsWarmIndex, tiered.pendingKey == nil { cache.recordWarmIndex(for: loaded.artifact, options: options) }
        return ProvidedModule(module: loaded.module, keepAlive: loaded.artifact, wasCached: loaded.artifact.wasHit)
    }

    /// Starts the optimising compile in its own process, so that it outlives this run. Failing to
    /// start it costs only speed on later runs, so it is a warning.
    private func startBackgroundCompile(_ wasm: [UInt8], options: CompileOptions, key: CacheKey) {
        let arguments = ["cache", "background-compile", "--key", key.hex] + compileArguments
        do {
            // /proc/self/exe: this very binary, even if the file on disk is replaced meanwhile.
            _ = try DetachedProcess.start(executable: "/proc/self/exe", name: "kiln", arguments: arguments, input: wasm)
        } catch {
            printError("kiln: warning: cannot start the background compile: \(error)")
        }
    }
}
