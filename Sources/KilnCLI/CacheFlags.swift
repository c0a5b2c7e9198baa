import ArgumentParser
import KilnCache

/// `--no-cache`, shared by the commands that load compiled code.
struct CacheFlags: ParsableArguments {
    @Flag(name: .customLong("no-cache"), help: "Compile into a temporary file; neither read nor fill the compilation cache.")
    var noCache = false

    /// The cache unless `--no-cache`. A cache that cannot be opened (no writable home, a cache
    /// directory owned by someone else) costs speed, not correctness: warn and compile anyway.
    var provider: any CompiledModuleProvider { provider(tieringWith: nil) }

    /// The same; given the compile flags as words (`CompileFlags.arguments`), a miss runs the fast
    /// tier and optimises in the background with those flags (`TieredCompilation`). Without a
    /// cache there is nowhere to put the optimised code, so a temporary compile is always at the
    /// level asked for. `recordingWarmIndex`: `kiln run`'s, whose optimised entries for the default
    /// options the `kiln` launcher may then run itself (`CompilationCache.recordWarmIndex`).
    func provider(tieringWith compileArguments: [String]?, recordingWarmIndex: Bool = false) -> any CompiledModuleProvider {
        if noCache { return TemporaryCompilation() }
        do {
            let cache = try CompilationCache.open()
            guard let compileArguments else { return CachedCompilation(cache: cache, recordsWarmIndex: recordingWarmIndex) }
            return TieredCompilation(cache: cache, compileArguments: compileArguments, recordsWarmIndex: recordingWarmIndex)
        } catch {
            printError("kiln: warning: compilation cache unavailable (\(error)); compiling without it")
            return TemporaryCompilation()
        }
    }
}
