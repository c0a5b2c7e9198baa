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
    /// The last `BackgroundAttempts.limit` compiles of this key died or failed within a day.
    case gaveUp
}

extension CompilationCache {
    /// Whether a background compile of `key` has anything to do now: no entry, nobody holding
    /// the key's lock, and not too many recent attempts that never finished. Only a hint, so
    /// that a run does not start a process for nothing; the compile decides again under the lock.
    public func wantsBackgroundCompile(_ key: CacheKey) -> Bool {
        guard access(metadataPath(for: key), F_OK) != 0 else { return false }
        guard !BackgroundAttempts(path: attemptsPath(for: key)).exhausted else { return false }
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
    /// Each attempt is recorded before it starts (`BackgroundAttempts`), and after too many that
    /// never finished the key is left alone for a while.
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
            var attempts = BackgroundAttempts(path: attemptsPath(for: key))
            guard !attempts.exhausted else { return .gaveUp }
            try attempts.recordAttempt(scratch: scratch)
            let artifact = try compileAndPublish(wasm: wasm, options: options, key: key, progress: nil)
            attempts.remove()
            // The run that asked for this entry was tiered, so the next run of these bytes wants
            // it: indexed now, the launcher serves that run (WarmIndex.swift).
            recordWarmIndex(for: artifact, options: options)
            counters.increment(.backgroundCompiles)
        }
        prune(maxSize: maxSize, keeping: key, waitForOtherPass: false)
        return .compiled
    }
}
