import KilnRuntimeC

/// An exception tag: an instance's export or import, or one the host creates. Exceptions match
/// by tag identity, so two tags of the same type never catch each other's exceptions.
public struct Tag {
    let raw: UnsafeMutablePointer<kiln_tag>
    /// Keeps the instance that defined the tag (or the host tag itself) alive.
    let owner: AnyObject?

    /// Creates a tag owned by the host, to give to instances as an import.
    public static func create(parameters: [ValueType]) throws(KilnError) -> Tag {
        var error: OpaquePointer?
        let kinds = parameters.map(\.cKind)
        guard let raw = kinds.withUnsafeBufferPointer({ kiln_tag_new($0.baseAddress, $0.count, &error) }) else {
            throw KilnError(consuming: error, fallback: "cannot create tag")
        }
        return Tag(raw: raw, owner: Releaser { kiln_tag_release(raw) })
    }

    /// The types of the values its exceptions carry.
    public var parameters: [ValueType] {
        (0..<kiln_tag_param_count(raw)).compactMap { ValueType(kiln_tag_param(raw, $0)) }
    }

    /// What exceptions match by; equal to `KilnError.UncaughtException.tagIdentity` of an
    /// exception of this tag.
    public var identity: UInt { UInt(bitPattern: raw) }
}
