import Foundation

/// One entry as `kiln cache list` shows it.
public struct CacheEntry: Sendable {
    public let key: String
    public let size: UInt64
    public let sha256: String
    public let wasmSHA256: String
    public let wasmSize: UInt64
    public let fingerprint: String
    /// The optimisation level the code was compiled at, and so its tier (nil only for a record
    /// too old to say).
    public let optimizationLevel: Int?
    public var tier: CompilationTier? { optimizationLevel.map(CompilationTier.init(optimizationLevel:)) }
    public let created: Date
    public let lastUsed: Date
}

/// What a `prune` pass removed.
public struct PruneResult: Sendable, Equatable {
    public var removedEntries = 0
    public var removedBytes: UInt64 = 0
    /// Entries over the cap that were left because another process held their lock.
    public var skippedBusy = 0
}

extension CompilationCache {
    /// The complete entries (those with a readable record), least recently used first. The
    /// shared objects are not hashed here; a hit does that.
    public func list() -> [CacheEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".meta") }.compactMap { name -> CacheEntry? in
            // A record whose .so is gone (a hit refreshed it while an eviction removed the entry)
            // is not an entry; the next lookup of its key clears it away.
            guard let m = EntryMetadata.read(directory + "/" + name), m.key + ".meta" == name,
                  access(directory + "/\(m.key).so", F_OK) == 0
            else { return nil }
            return CacheEntry(
                key: m.key, size: m.size, sha256: m.sha256, wasmSHA256: m.wasmSHA256, wasmSize: m.wasmSize,
                fingerprint: m.fingerprint, optimizationLevel: m.level, created: Date(timeIntervalSince1970: m.created),
                lastUsed: Date(timeIntervalSince1970: max(m.lastUsed, launcherUse(of: m.key) ?? 0)))
        }.sorted { $0.lastUsed < $1.lastUsed }
    }

    /// When the `kiln` launcher last ran the entry: the mtime of `<key>.used`, which it touches
    /// on a hit instead of rewriting the JSON record (it has no JSON writer and need not have one).
    func launcherUse(of key: String) -> Double? {
        var info = stat()
        guard stat(directory + "/\(key).used", &info) == 0 else { return nil }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }

    public func stats() -> CacheStats {
        let entries = list()
        let counts = counters.read()
        var perTier: [CompilationTier: Int] = [:]
        for entry in entries { if let tier = entry.tier { perTier[tier, default: 0] += 1 } }
        return CacheStats(
            entries: entries.count, entriesPerTier: perTier, bytes: entries.reduce(0) { $0 + $1.size },
            hits: counts.hits, misses: counts.misses, backgroundCompiles: counts.backgroundCompiles,
            maxSize: maxSize)
    }

    /// Removes one entry (waiting for its lock). Returns whether there was one.
    @discardableResult
    public func remove(_ key: CacheKey) throws -> Bool {
        guard let lock = try FileLock(path: lockPath(for: key), wait: true) else { return false }
        let existed = access(metadataPath(for: key), F_OK) == 0 || access(path(for: key), F_OK) == 0
        removeEntryFiles(key)
        lock.removeFile()
        return existed
    }

    /// Removes every entry not being compiled right now, stray files of interrupted writes, and
    /// resets the hit and miss counters.
    @discardableResult
    public func clear() -> PruneResult {
        let result = prune(maxSize: 0)
        forgetAttempts(all: true)
        forgetWarmIndex(all: true)
        counters.reset()
        return result
    }

    /// Evicts least-recently-used entries until the entries total at most `maxSize` bytes
    /// (default: the cache's cap), and clears files left by interrupted writes.
    ///
    /// Never waits: an entry whose lock another process holds is being compiled or replaced and
    /// is skipped. Removal is by unlink, so a process that has loaded an evicted module keeps
    /// running it (and modules loaded from the cache run from a private copy anyway).
    @discardableResult
    public func prune(maxSize: UInt64? = nil) -> PruneResult {
        prune(maxSize: maxSize, keeping: nil, waitForOtherPass: true)
    }

    /// - Parameters:
    ///   - keeping: an entry never to evict (the one just inserted, which the caller is using).
    ///   - waitForOtherPass: false after an insert, where a concurrent pass does the same work.
    @discardableResult
    func prune(maxSize: UInt64?, keeping: CacheKey?, waitForOtherPass: Bool) -> PruneResult {
        var result = PruneResult()
        guard let passLock = try? FileLock(path: directory + "/prune.lock", wait: waitForOtherPass) else { return result }
        defer { withExtendedLifetime(passLock) {} }
        sweepWorkFiles()
        removeStrays()
        forgetAttempts(all: false)
        let cap = maxSize ?? self.maxSize
        var entries = list()
        var total = entries.reduce(0) { $0 + $1.size }
        while total > cap, !entries.isEmpty {
            let victim = entries.removeFirst()
            guard victim.key != keeping?.hex else { continue }
            guard let lock = try? FileLock(path: directory + "/\(victim.key).lock", wait: false) else {
                result.skippedBusy += 1
                continue
            }
            removeEntryFiles(hex: victim.key)
            lock.removeFile()
            total -= victim.size
            result.removedEntries += 1
            result.removedBytes += victim.size
        }
        forgetWarmIndex(all: false)
        return result
    }

    /// Removes background-compile attempt records (`BackgroundAttempts`) whose key is not being
    /// compiled: all of them, or only those that no longer hold anything back (older than the
    /// window, or whose entry exists after all).
    func forgetAttempts(all: Bool) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(".attempts") {
            let stem = String(name.dropLast(".attempts".count))
            guard stem.count == 64 else { continue }
            let path = directory + "/" + name
            let attempts = BackgroundAttempts(path: path)
            let stale = Date().timeIntervalSince1970 - attempts.last >= BackgroundAttempts.window
            guard all || stale || access(directory + "/\(stem).meta", F_OK) == 0 else { continue }
            guard let lock = try? FileLock(path: directory + "/\(stem).lock", wait: false) else { continue }
            withExtendedLifetime(lock) { attempts.remove() }
        }
    }

    /// Shared objects without a record (a publish interrupted between its two renames), and lock
    /// and last-use files of entries that no longer exist, each removed only if its key's lock is
    /// free.
    private func removeStrays() {
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        for name in names where name.hasSuffix(".so") || name.hasSuffix(".lock") || name.hasSuffix(".used") {
            let stem = String(name.prefix { $0 != "." })
            guard stem.count == 64, !names.contains(stem + ".meta") else { continue }
            guard let lock = try? FileLock(path: directory + "/\(stem).lock", wait: false) else { continue }
            // Checked again under the lock: the publish may have completed meanwhile.
            if access(directory + "/\(stem).meta", F_OK) != 0 {
                removeEntryFiles(hex: stem)
                lock.removeFile()
            }
        }
    }
}
