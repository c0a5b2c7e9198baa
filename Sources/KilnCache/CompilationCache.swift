import Foundation
import KilnCompiler
import Synchronization

/// The on-disk compilation cache: compiled modules keyed by `CacheKey` (DESIGN.md, decision 7).
///
/// Layout of the directory (mode 0700):
///
///     <key>.so     the shared object, mode 0444, renamed into place and never written again
///     <key>.meta   its `EntryMetadata` (JSON), renamed into place after the .so: the commit record
///     <key>.lock   flock'd while the entry is being compiled, replaced or evicted
///     <key>.attempts  background compiles of the key begun and not finished (BackgroundAttempts)
///     <key>.used   touched by the `kiln` launcher on a hit, instead of rewriting the record: the
///                  entry's last use is the later of the record's and this file's mtime
///     warm/        the warm index: which entry the launcher runs for given wasm bytes (WarmIndex)
///     stats        hit, miss and background-compile counters
///     prune.lock   one eviction pass at a time
///     tmp/         work files, named <pid>-...; those of dead processes are swept away
///
/// Hits take no lock: entries change only by rename and unlink, so a reader sees an entry whole or
/// not at all, and checks the bytes anyway. Whoever compiles holds the key's lock, so concurrent
/// processes compile a module once; the others wait and then find the entry.
public final class CompilationCache: Sendable {
    public let directory: String
    /// Size cap in bytes for the sum of the entries' shared objects; enforced after each insert.
    public let maxSize: UInt64
    /// Test hook: runs after an entry's files are written and before they are renamed into place
    /// (the probe uses it to get itself killed mid-write). Not for production use.
    public let _beforePublish: (@Sendable () -> Void)?

    var scratch: String { directory + "/tmp" }
    var counters: HitCounters { HitCounters(path: directory + "/stats") }

    /// Opens (creating if needed) the cache.
    ///
    /// - Parameters:
    ///   - directory: overrides `$KILN_CACHE_DIR`, `$XDG_CACHE_HOME/kiln` and `~/.cache/kiln`.
    ///   - maxSize: overrides `$KILN_CACHE_MAX_SIZE` and the 1 GiB default.
    ///   - mustExist: refuse to create the directory. For a background compile: if the cache it
    ///     was asked to fill has been deleted meanwhile, nobody wants it back.
    public static func open(
        directory: String? = nil, maxSize: UInt64? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        mustExist: Bool = false,
        _beforePublish: (@Sendable () -> Void)? = nil
    ) throws -> CompilationCache {
        let path = try directory ?? CacheLocation.directory(environment: environment)
        if mustExist, access(path, F_OK) != 0 {
            throw CacheError("the cache directory \(path) does not exist")
        }
        try CacheLocation.prepare(path)
        let cap = try maxSize ?? CacheLocation.maxSize(environment: environment)
        return CompilationCache(directory: path, maxSize: cap, beforePublish: _beforePublish)
    }

    private init(directory: String, maxSize: UInt64, beforePublish: (@Sendable () -> Void)?) {
        self.directory = directory
        self.maxSize = maxSize
        self._beforePublish = beforePublish
    }

    /// The key for `wasm` compiled with `options` on this machine.
    public func key(for wasm: [UInt8], options: CompileOptions) throws -> CacheKey {
        CacheKey(wasm: wasm, fingerprint: try Self.fingerprint(for: options))
    }

    /// Where the entry's shared object lives (whether or not it exists yet).
    public func path(for key: CacheKey) -> String { directory + "/\(key.hex).so" }
    func metadataPath(for key: CacheKey) -> String { directory + "/\(key.hex).meta" }
    func lockPath(for key: CacheKey) -> String { directory + "/\(key.hex).lock" }
    func attemptsPath(for key: CacheKey) -> String { directory + "/\(key.hex).attempts" }

    /// The one call: the cached compiled module for `wasm`, compiling it on a miss.
    public func compiledModule(
        for wasm: [UInt8], options: CompileOptions = CompileOptions(),
        progress: CompileProgressHandler? = nil
    ) throws -> CachedArtifact {
        let key = try key(for: wasm, options: options)
        if let hit = lookup(key) { return hit }
        return try insert(wasm: wasm, options: options, key: key, progress: progress)
    }

    /// The verified entry for `key`, or nil. An entry that is incomplete, truncated, altered or
    /// recorded under another key is removed (under the key's lock, after checking again, so an
    /// entry another process has just finished is never taken for a broken one). Counts a hit.
    public func lookup(_ key: CacheKey) -> CachedArtifact? {
        switch verifiedEntry(key) {
        case .valid(let artifact):
            counters.increment(.hits)
            return artifact
        case .absent:
            return nil
        case .invalid:
            guard let lock = try? FileLock(path: lockPath(for: key), wait: true) else { return nil }
            return withExtendedLifetime(lock) {
                if case .valid(let artifact) = verifiedEntry(key) {
                    counters.increment(.hits)
                    return artifact
                }
                removeEntryFiles(key)
                return nil
            }
        }
    }

    /// Compiles `wasm` into the entry for `key` (which must be `key(for: wasm, options:)`) unless
    /// another process has meanwhile, then evicts down to `maxSize`. Counts a miss if it compiled,
    /// a hit if it found the entry after waiting for the lock.
    public func insert(
        wasm: [UInt8], options: CompileOptions, key: CacheKey,
        progress: CompileProgressHandler? = nil
    ) throws -> CachedArtifact {
        let artifact: CachedArtifact
        do {
            guard let lock = try FileLock(path: lockPath(for: key), wait: true) else {
                throw CacheError("cannot lock \(lockPath(for: key))")
            }
            defer { withExtendedLifetime(lock) {} }
            switch verifiedEntry(key) {
            case .valid(let found):
                counters.increment(.hits)
                return found
            case .invalid:
                removeEntryFiles(key)
            case .absent:
                break
            }
            artifact = try compileAndPublish(wasm: wasm, options: options, key: key, progress: progress)
            counters.increment(.misses)
        }
        // Outside the key's lock: eviction takes other keys' locks, never waiting for them.
        prune(maxSize: maxSize, keeping: key, waitForOtherPass: false)
        return artifact
    }

    enum EntryState {
        case absent
        case invalid
        case valid(CachedArtifact)
    }

    /// Reads and checks an entry without locking; on success refreshes its last-used time unless
    /// told not to (a check that uses nothing must not keep an entry from eviction).
    func verifiedEntry(_ key: CacheKey, refreshingLastUse: Bool = true) -> EntryState {
        guard let metadata = EntryMetadata.read(metadataPath(for: key)) else {
            // A .so with no record is an interrupted publish (or a record unlinked by a concurrent
            // eviction): not an entry, but worth clearing away.
            return access(path(for: key), F_OK) == 0 || access(metadataPath(for: key), F_OK) == 0 ? .invalid : .absent
        }
        guard metadata.format == EntryMetadata.currentFormat, metadata.key == key.hex,
              let copy = VerifiedCopy.make(path: path(for: key), expectedSize: metadata.size)
        else { return .invalid }
        guard copy.sha256 == metadata.sha256 else {
            close(copy.descriptor)
            return .invalid
        }
        if refreshingLastUse {
            var used = metadata
            used.lastUsed = Date().timeIntervalSince1970
            try? used.write(to: metadataPath(for: key), scratch: scratch)
        }
        return .valid(CachedArtifact(key: key, origin: .hit, entryPath: path(for: key), verified: copy, fingerprint: metadata.fingerprint))
    }

    /// Deletes an entry's record and shared object (the caller holds its lock). Unlinking a
    /// shared object another process has mapped is safe: its mapping keeps the inode alive.
    func removeEntryFiles(_ key: CacheKey) { removeEntryFiles(hex: key.hex) }

    /// The same, for a key as `list()` and file names give it: every file an entry has
    /// (`<key>.used` is the launcher's last use; the lock file is the caller's to remove).
    func removeEntryFiles(hex key: String) {
        for suffix in [".meta", ".so", ".used"] { unlink(directory + "/" + key + suffix) }
    }

    /// Fingerprints per options, computed once per process: creating a target machine and asking
    /// LLVM for the host's CPU features costs more than the rest of a hit.
    private static let fingerprints = Mutex<[CompileOptions: CompilerFingerprint]>([:])

    static func fingerprint(for options: CompileOptions) throws -> CompilerFingerprint {
        if let known = fingerprints.withLock({ $0[options] }) { return known }
        let computed = try CompilerFingerprint.current(for: options)
        fingerprints.withLock { $0[options] = computed }
        return computed
    }
}
