/// Why a module was rejected, with the byte offset in the module where the problem is.
///
/// Messages use the wording of the WebAssembly specification's test suite ("type mismatch",
/// "unknown function 3", "unexpected end", ...), so the spec runner can compare them.
public struct WasmError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The bytes are not a well-formed module (the spec's "malformed").
        case malformed
        /// Well-formed, but fails validation (the spec's "invalid").
        case invalid
        /// Valid, but uses something this version of Kiln does not compile.
        case unsupported
    }

    public var kind: Kind
    public var message: String
    /// Byte offset in the module binary, when known.
    public var offset: Int?
    /// The proposal the rejected construct belongs to, when it was rejected for that reason.
    public var feature: Feature?

    public init(_ kind: Kind, _ message: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    public var description: String {
        if let offset { return "\(kind) module at byte offset \(offset) (0x\(String(offset, radix: 16))): \(message)" }
        return "\(kind) module: \(message)"
    }
}
