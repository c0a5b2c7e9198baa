import Foundation

/// Where the cache lives and how large it may grow, from the environment.
enum CacheLocation {
    /// `$KILN_CACHE_DIR`, else `$XDG_CACHE_HOME/kiln`, else `~/.cache/kiln`. Empty variables count
    /// as unset, and a relative `XDG_CACHE_HOME` is ignored, as the XDG specification says.
    static func directory(environment: [String: String]) throws -> String {
        if let dir = environment["KILN_CACHE_DIR"], !dir.isEmpty { return dir }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/kiln" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.cache/kiln" }
        if let entry = getpwuid(geteuid()), let home = entry.pointee.pw_dir {
            return String(cString: home) + "/.cache/kiln"
        }
        throw CacheError("cannot find a cache directory: set KILN_CACHE_DIR or HOME")
    }

    /// One GiB.
    static let defaultMaxSize: UInt64 = 1 << 30

    /// `KILN_CACHE_MAX_SIZE`: a byte count, optionally with a binary suffix (K, M, G, T, with or
    /// without "iB"/"B": "512M", "2GiB").
    static func maxSize(environment: [String: String]) throws -> UInt64 {
        guard let text = environment["KILN_CACHE_MAX_SIZE"], !text.isEmpty else { return defaultMaxSize }
        guard let size = parseSize(text) else {
            throw CacheError("KILN_CACHE_MAX_SIZE=\(text) is not a size (use e.g. 1073741824, 512M or 2GiB)")
        }
        return size
    }

    static func parseSize(_ text: String) -> UInt64? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) {
            digits = digits.dropLast(suffix.count)
            break
        }
        let shifts: [Character: UInt64] = ["K": 10, "M": 20, "G": 30, "T": 40]
        var shift: UInt64 = 0
        if let last = digits.last, let s = shifts[last] {
            shift = s
            digits = digits.dropLast()
        }
        guard let value = UInt64(digits), value <= UInt64.max >> shift else { return nil }
        return value << shift
    }

    /// Creates `path` (and missing parents) with mode 0700, and refuses a directory that another
    /// user owns: whoever can write into the cache decides what code a hit runs.
    static func prepare(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                // Another process may have created it first; the checks below decide.
                if !FileManager.default.fileExists(atPath: path) {
                    throw CacheError("cannot create the cache directory \(path): \(error.localizedDescription)")
                }
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw CacheError("the cache path \(path) is not a directory")
        }
        guard info.st_uid == geteuid() else {
            throw CacheError("the cache directory \(path) belongs to another user; refusing to use it")
        }
        let tmp = path + "/tmp"
        if mkdir(tmp, 0o700) != 0 && errno != EEXIST {
            throw CacheError("cannot create \(tmp): \(errnoText())")
        }
    }
}
