import Foundation

/// The small JSON record stored next to each entry's shared object as `<key>.meta`.
///
/// It is the entry's commit record: it is renamed into place after the `.so`, so an entry exists
/// only once both are there, and a hit requires the `.so`'s bytes to match `sha256` and `size`.
struct EntryMetadata: Codable, Sendable {
    /// Bumped when the record's meaning changes; a record of another format is a miss.
    static let currentFormat = 1

    var format = EntryMetadata.currentFormat
    /// The cache key (hex); must match the file name, so a record copied onto another key is a miss.
    var key: String
    /// The shared object's size and SHA-256, checked on every hit before it is loaded.
    var size: UInt64
    var sha256: String
    var wasmSHA256: String
    var wasmSize: UInt64
    /// `CompilerFingerprint.description`; the loaded module must report the same.
    var fingerprint: String
    /// The optimisation level, for `kiln cache list` and `stats` (the key already covers it).
    /// Optional so that records written before it was added still read; `level` recovers it.
    var optimizationLevel: Int?
    /// Seconds since 1970.
    var created: Double
    /// Seconds since 1970, updated on every hit; eviction removes the smallest first.
    var lastUsed: Double

    /// The optimisation level; for a record without the field, from the fingerprint's "; O<n>;".
    var level: Int? {
        if let optimizationLevel { return optimizationLevel }
        let field = fingerprint.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.count == 2 && $0.hasPrefix("O") }
        return field.flatMap { Int($0.dropFirst()) }
    }

    static func read(_ path: String) -> EntryMetadata? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(EntryMetadata.self, from: data)
    }

    /// Writes the record to a temporary file in `scratch` and renames it to `path`: readers see
    /// the old record or the new one, never a mixture.
    ///
    /// No fsync (Foundation's `Data.write` does one, which costs milliseconds on every hit): after
    /// a power loss a record may be empty or stale, and either fails a hit's checks and is
    /// rebuilt, so durability would buy nothing here.
    func write(to path: String, scratch: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let temporary = scratch + "/\(getpid())-\(UInt64.random(in: 0...UInt64.max)).meta"
        let bytes = try [UInt8](encoder.encode(self))
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CacheError("cannot write \(temporary): \(errnoText())") }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            let message = errnoText()
            unlink(temporary)
            throw CacheError("cannot write \(path): \(message)")
        }
    }
}
