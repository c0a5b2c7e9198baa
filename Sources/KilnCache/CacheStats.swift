import Foundation

/// What `kiln cache stats` reports.
public struct CacheStats: Sendable, Equatable {
    public var entries: Int
    /// The sum of the entries' shared-object sizes.
    public var bytes: UInt64
    public var hits: UInt64
    public var misses: UInt64
    public var maxSize: UInt64
}

/// The hit and miss counters, persisted in `<cache>/stats` as two little-endian UInt64s.
///
/// Every process updates them, so an update is a read-modify-write under an exclusive flock of
/// the file itself. The 16-byte write is rewritten in place: unlike an entry, nothing maps it, and
/// a counter file that is somehow short simply reads as zeros.
struct HitCounters {
    let path: String

    enum Counter: Int { case hits = 0, misses = 1 }

    func increment(_ counter: Counter) {
        update { $0[counter.rawValue] &+= 1 }
    }

    func reset() {
        update { $0 = [0, 0] }
    }

    func read() -> (hits: UInt64, misses: UInt64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return (0, 0) }
        defer { close(fd) }
        flock(fd, LOCK_SH)
        let values = load(fd)
        return (values[0], values[1])
    }

    /// Statistics are best effort: a cache that cannot count still caches.
    private func update(_ change: (inout [UInt64]) -> Void) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { return }
        var values = load(fd)
        change(&values)
        var bytes = [UInt8](repeating: 0, count: 16)
        for (index, value) in values.enumerated() {
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(index * 8..<index * 8 + 8, with: $0) }
        }
        _ = pwrite(fd, bytes, 16, 0)
    }

    private func load(_ fd: Int32) -> [UInt64] {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard pread(fd, &bytes, 16, 0) == 16 else { return [0, 0] }
        return (0..<2).map { index in
            bytes[index * 8..<index * 8 + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
    }
}
