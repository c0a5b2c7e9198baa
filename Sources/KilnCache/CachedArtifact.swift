import CKilnCache
import Crypto
import Foundation

/// A compiled module from the cache, verified and ready to load.
///
/// Load it from `loadPath`, not `entryPath`: `loadPath` names a sealed in-memory copy of the
/// entry whose SHA-256 was checked after sealing, so nothing can change the bytes between the
/// check and the dynamic loader mapping them. The copy lives as long as this object; a module
/// loaded from it stays valid after that (its pages are mapped), and keeping the object alive as
/// long as the module keeps the `/proc/self/fd/N` name unique.
public final class CachedArtifact: Sendable {
    public enum Origin: Sendable {
        /// Found in the cache (possibly just compiled by another process).
        case hit
        /// Compiled by this call.
        case compiled
    }

    public let key: CacheKey
    public let origin: Origin
    /// The entry's shared object in the cache directory (for display: load `loadPath`).
    public let entryPath: String
    /// A path the dynamic loader can open that names exactly the verified bytes.
    public let loadPath: String
    public let size: UInt64
    /// The SHA-256 of the shared object, in hex.
    public let sha256: String
    /// The compiler fingerprint the entry was compiled with; the loaded module reports the same.
    public let fingerprint: String
    private let descriptor: Int32

    public var wasHit: Bool { origin == .hit }

    init(key: CacheKey, origin: Origin, entryPath: String, verified: VerifiedCopy, fingerprint: String) {
        self.key = key
        self.origin = origin
        self.entryPath = entryPath
        self.loadPath = "/proc/self/fd/\(verified.descriptor)"
        self.size = verified.size
        self.sha256 = verified.sha256
        self.fingerprint = fingerprint
        self.descriptor = verified.descriptor
    }

    deinit { close(descriptor) }
}

/// An immutable copy of a file and the digest of exactly those bytes.
struct VerifiedCopy {
    let descriptor: Int32
    let size: UInt64
    let sha256: String

    /// Copies the file at `path` into a sealed memfd and hashes the copy. Returns nil if the file
    /// is missing, or its size differs from `expectedSize` (when given).
    ///
    /// Where the kernel has no sealed memfds, falls back to hashing through a descriptor of the
    /// file itself: entries are never written in place (they are renamed into a 0700 directory
    /// with mode 0444), so only a deliberate writer with our uid could race that, and such a
    /// writer could rewrite the metadata as well.
    static func make(path: String, expectedSize: UInt64? = nil) -> VerifiedCopy? {
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return nil }
        var info = stat()
        guard fstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(file)
            return nil
        }
        let size = UInt64(info.st_size)
        if let expectedSize, expectedSize != size {
            close(file)
            return nil
        }
        var descriptor = kiln_cache_sealed_copy(file, size)
        if descriptor >= 0 {
            close(file)
        } else if errno == ENOSYS || errno == EINVAL {
            descriptor = file
        } else {
            close(file)
            return nil
        }
        guard let digest = sha256(of: descriptor, size: size) else {
            close(descriptor)
            return nil
        }
        return VerifiedCopy(descriptor: descriptor, size: size, sha256: digest)
    }

    private static func sha256(of descriptor: Int32, size: UInt64) -> String? {
        guard size > 0 else { return SHA256.hash(data: [UInt8]()).hexString }
        guard let base = mmap(nil, Int(size), PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            return nil
        }
        defer { munmap(base, Int(size)) }
        return SHA256.hash(data: UnsafeRawBufferPointer(start: base, count: Int(size))).hexString
    }
}
