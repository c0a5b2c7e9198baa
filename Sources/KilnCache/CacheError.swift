/// Why the cache could not be used at all. A bad or missing entry is never one of these: it is a
/// miss, and the entry is rebuilt.
public struct CacheError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The text of the current `errno`.
func errnoText() -> String { String(cString: strerror(errno)) }

#if canImport(Glibc)
import Glibc
#endif
