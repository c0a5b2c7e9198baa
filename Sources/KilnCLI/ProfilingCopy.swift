import ArgumentParser
import Foundation
import Kiln
import KilnCache

/// What `kiln run --profile` prepares for an outside profiler.
enum ProfilingKind: String, ExpressibleByArgument {
    /// `perf record` / `perf report` name Wasm functions (the .so's symbols, `wasm[N]:name`).
    case perf
}

/// perf reads a module's symbols from its file when it reports, after kiln has exited. A cached
/// module is mapped from a sealed in-memory copy (`CachedArtifact.loadPath`), which perf cannot
/// open then, and perf consults /tmp/perf-PID.map only for anonymous memory, not for such a
/// mapping (tried with perf 6.x). So under `--profile perf` the module is loaded from a copy of
/// the same verified bytes in `directory`, named by the entry's SHA-256, which stays for
/// `perf report` (and for the next profiled run of the same code).
enum ProfilingCopy {
    static let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-perf").path

    /// The cached module of `provided` loaded again from a file perf can read. (A .so given on
    /// the command line is loaded from its own file and needs none of this.)
    static func loadForPerf(_ provided: ProvidedModule, input: String) throws -> ProvidedModule {
        guard let artifact = provided.keepAlive as? CachedArtifact else {
            throw InputError("--profile perf needs the compilation cache (drop --no-cache) or a .so from kiln compile")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/\(artifact.sha256).so"
        if !FileManager.default.fileExists(atPath: path) {
            // Read through the descriptor's name: copying it would copy the /proc symlink.
            let bytes = try FileHandle(forReadingFrom: URL(fileURLWithPath: artifact.loadPath)).readToEnd() ?? Data()
            let temporary = path + ".\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: bytes), rename(temporary, path) == 0 else {
                throw InputError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
        }
        let module = try Kiln.Module(path: path)
        provided.module.close()
        FileHandle.standardError.write(Data("kiln: profiling \(input) from \(path)\n".utf8))
        return ProvidedModule(module: module, keepAlive: artifact, wasCached: provided.wasCached)
    }
}
