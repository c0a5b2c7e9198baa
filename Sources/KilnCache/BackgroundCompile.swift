import Foundation
import KilnCompiler

/// What `compileInBackground` did.
public enum BackgroundCompileOutcome: String, Sendable {
    /// Compiled and published the entry.
    case compiled
    /// The entry was already there (another process finished it first).
    case alreadyCached
    /// Another process holds the key's lock: it is compiling, replacing or evicting the entry.
    case busy
}

extension CompilationCache {
    /// Whether a background compile of `key` has anything to do now: no entry, and nobody holding
    /// the key's lock. Only a hint, so that a run does not start a process for nothing; the
    /// compile decides again under the lock.
    public func wantsBackgroundCompile(_ key: CacheKey) -> Bool {
        guard access(metadataPath(for: key), F_OK) != 0 else { return false }
        // Taken and dropped at once. A background compile that tries the lock in this instant
        // gives up, but then this caller found the key idle and starts its own.
        guard let probe = try? FileLock(path: lockPath(for: key), wait: false) else { return false }
        withExtendedLifetime(probe) {}
        return true
    }

    /// Compiles `wasm` into the entry for `key` (which must be `key(for: wasm, options:)`),
    /// unless the entry exists or another process holds the key's lock: it never waits, so at most
    /// one process compiles a key at any time, and every other one returns at once.
    ///
    /// The lock is held for the whole compile and published as `insert` publishes (a work
    /// directory, then two renames), so a process killed at any moment leaves no partial entry
    /// and, the lock being an flock, no held lock. Counts a background compile, not a miss.
    public func compileInBackground(
        wasm: [UInt8], options: CompileOptions, key: CacheKey
    ) throws -> BackgroundCompileOutcome {
        do {
            guard let lock = try FileLock(path: lockPath(for: key), wait: false) else { return .busy }
            defer { withExtendedLifetime(lock) {} }
            switch verifiedEntry(key, refreshingLastUse: false) {
            case .valid:
                return .alreadyCached
            case .invalid:
                removeEntryFiles(key)
            case .absent:
                break
            }
            _ = try compileAndPublish(wasm: wasm, options: options, key: key, progress: nil)
            counters.increment(.backgroundCompiles)
        }
        prune(maxSize: maxSize, keeping: key, waitForOtherPass: false)
        return .compiled
    }
}
