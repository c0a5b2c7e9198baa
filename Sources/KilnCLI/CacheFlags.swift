import ArgumentParser
import KilnCache

/// `--no-cache`, shared by the commands that load compiled code.
struct CacheFlags: ParsableArguments {
    @Flag(name: .customLong("no-cache"), help: "Compile into a temporary file; neither read nor fill the compilation cache.")
    var noCache = false

    /// The cache unless `--no-cache`. A cache that cannot be opened (no writable home, a cache
    /// directory owned by someone else) costs speed, not correctness: warn and compile anyway.
    var provider: any CompiledModuleProvider {
        if noCache { return TemporaryCompilation() }
        do {
            return CachedCompilation(cache: try CompilationCache.open())
        } catch {
            printError("kiln: warning: compilation cache unavailable (\(error)); compiling without it")
            return TemporaryCompilation()
        }
    }
}
