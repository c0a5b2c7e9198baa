import CKilnCache
import Foundation

/// What `kiln cache stats` reports.
public struct CacheStats: Sendable, Equatable {
    public var entries: Int
    /// How many of the entries hold each tier's code (an entry too old to record its level is
    /// counted in `entries` only).
    public var entriesPerTier: [CompilationTier: Int]
    /// The sum of the entries' shared-object sizes.
    public var bytes: UInt64
    public var hits: UInt64
    public var misses: UInt64
    /// Optimised entries compiled in the background after a tiered run (not counted as misses:
    /// the run that caused them already counted its own).
    public var backgroundCompiles: UInt64
    public var maxSize: UInt64
}

/// The hit, miss and background-compile counters, persisted in `<cache>/stats` as little-endian
/// UInt64s (a file of only the first two, as older versions wrote, reads the third as zero).
///
/// Every process updates them, so an update is a read-modify-write under an exclusive flock of
/// the file itself. The write is in place: unlike an entry, nothing maps it, and a counter file
/// that is somehow short simply reads as zeros.
struct HitCounters {
    let path: String

    enum Counter: Int, CaseIterable { case hits = 0, misses = 1, backgroundCompiles = 2 }

    private static var byteCount: Int { Counter.allCases.count * 8 }

    /// The same C function the `kiln` launcher counts its hits with (`kiln_cache_count`).
    func increment(_ counter: Counter) {
        _ = kiln_cache_count(path, UInt32(counter.rawValue))
    }

    func reset() {
        update { $0 = [UInt64](repeating: 0, count: Counter.allCases.count) }
    }

    func read() -> (hits: UInt64, misses: UInt64, backgroundCompiles: UInt64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return (0, 0, 0) }
        defer { close(fd) }
        flock(fd, LOCK_SH)
        let values = load(fd)
        return (values[0], values[1], values[2])
    }

    /// Statistics are best effort: a cache that cannot count still caches.
    private func update(_ change: (inout [UInt64]) -> Void) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { return }
        var values = load(fd)
        change(&values)
        var bytes = [UInt8](repeating: 0, count: Self.byteCount)
        for (index, value) in values.enumerated() {
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(index * 8..<index * 8 + 8, with: $0) }
        }
        _ = pwrite(fd, bytes, Self.byteCount, 0)
    }

    /// Whole counters that are present; a missing or partial one is zero.
    private func load(_ fd: Int32) -> [UInt64] {
        var bytes = [UInt8](repeating: 0, count: Self.byteCount)
        let read = max(0, pread(fd, &bytes, Self.byteCount, 0))
        return Counter.allCases.map { counter in
            let start = counter.rawValue * 8
            guard start + 8 <= read else { return 0 }
            return bytes[start..<start + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
    }
}
