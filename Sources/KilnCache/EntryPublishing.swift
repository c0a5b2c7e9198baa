import Foundation
import KilnCompiler

extension CompilationCache {
    /// Compiles into a private work directory, then renames the shared object and then its record
    /// into place. A process killed at any point leaves either no entry or a complete one: a
    /// work directory is invisible to lookups, and a `.so` without its record is a miss. The
    /// caller holds the key's lock.
    func compileAndPublish(
        wasm: [UInt8], options: CompileOptions, key: CacheKey, progress: CompileProgressHandler?
    ) throws -> CachedArtifact {
        sweepWorkFiles()
        let work = scratch + "/\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        guard mkdir(work, 0o700) == 0 else { throw CacheError("cannot create \(work): \(errnoText())") }
        defer { try? FileManager.default.removeItem(atPath: work) }

        let built = work + "/module.so"
        let fingerprint = try Self.fingerprint(for: options)
        try Compiler(options: options).compile(wasm: wasm, to: built, progress: progress)
        // Read-only from here on: an entry is replaced by rename, never rewritten.
        chmod(built, 0o444)
        guard let copy = VerifiedCopy.make(path: built) else {
            throw CacheError("cannot read back the compiled module \(built): \(errnoText())")
        }
        let now = Date().timeIntervalSince1970
        let metadata = EntryMetadata(
            key: key.hex, size: copy.size, sha256: copy.sha256, wasmSHA256: key.wasmSHA256,
            wasmSize: UInt64(wasm.count), fingerprint: fingerprint.description,
            optimizationLevel: fingerprint.optimizationLevel, created: now, lastUsed: now)
        let record = work + "/module.meta"
        do {
            try metadata.write(to: record, scratch: work)
        } catch {
            close(copy.descriptor)
            throw error
        }
        _beforePublish?()
        guard rename(built, path(for: key)) == 0, rename(record, metadataPath(for: key)) == 0 else {
            let message = errnoText()
            close(copy.descriptor)
            removeEntryFiles(key)
            throw CacheError("cannot publish the cache entry \(path(for: key)): \(message)")
        }
        return CachedArtifact(key: key, origin: .compiled, entryPath: path(for: key), verified: copy, fingerprint: fingerprint.description)
    }

    /// Whether `pid` names a process that may still write. A zombie (killed, not yet reaped by
    /// its parent or init) never will, though `kill(pid, 0)` still finds it.
    static func isLive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")")
        else { return true }
        // "pid (name) S ...": the state letter follows the name, which may itself hold ')'.
        return stat[stat.index(after: end)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    /// Removes work files and directories left in `tmp/` by processes that died (SIGKILL, power
    /// loss), and any older than a day in case a pid was reused.
    func sweepWorkFiles() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: scratch) else { return }
        let dayAgo = Date().addingTimeInterval(-86_400)
        for name in names {
            guard let pid = Int32(name.prefix { $0 != "-" }) else { continue }
            let path = scratch + "/" + name
            let alive = pid == getpid() || Self.isLive(pid)
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
            if !alive || (modified.map { $0 < dayAgo } ?? false) {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}
