import CKilnCache
import Foundation

/// A process started to outlive the one that starts it, with some bytes on its stdin
/// (`kiln_cache_spawn_detached`: own session, stdout and stderr to /dev/null, nothing else
/// inherited). Nobody waits for it; when the starter exits first it is re-parented and reaped by
/// init.
public enum DetachedProcess {
    /// Starts `executable` as `name` (argv[0]) with `arguments`, reading `input` from stdin.
    /// Returns its pid.
    public static func start(executable: String, name: String, arguments: [String], input: [UInt8]) throws -> Int32 {
        let stdin = input.withUnsafeBufferPointer { kiln_cache_memfd_holding($0.baseAddress, $0.count) }
        guard stdin >= 0 else { throw CacheError("cannot hold a background process's input: \(errnoText())") }
        defer { close(stdin) }

        let argv = ([name] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let pid = kiln_cache_spawn_detached(executable, argv, stdin)
        guard pid > 0 else { throw CacheError("cannot start \(executable): \(errnoText())") }
        return pid
    }
}
