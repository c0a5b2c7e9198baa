import WasmParser

/// Turns WasmParser's errors into `WasmError`s worded as the spec test suite words them.
///
/// WasmParserError keeps its kind and location `package`-internal, so they are read back by
/// reflection. That only happens on the error path, once per rejected module.
struct ParserErrorMapping {
    /// The bytes the parser read, indexed by module offset (a body is a slice of the module),
    /// to look at the bytes around an error.
    var bytes: ArraySlice<UInt8>
    /// The section being read when the error happened (its id), if known.
    var sectionID: UInt8?
    /// Added to the error's location: non-zero for expression parsers over a slice.
    var baseOffset: Int = 0
    /// Where the parser was when it threw, used when the error carries no location.
    var fallbackOffset: Int

    func map(_ error: WasmParserError) -> WasmError {
        let mirror = Mirror(reflecting: error)
        var location: Int? = nil
        var kind: Any? = nil
        for child in mirror.children {
            if child.label == "location" { location = child.value as? Int }
            if child.label == "kind" { kind = child.value }
        }
        let offset = location.map { $0 + baseOffset } ?? fallbackOffset
        guard let kind else { return WasmError(.malformed, "\(error)", offset: offset) }
        let kindMirror = Mirror(reflecting: kind)
        guard let payload = kindMirror.children.first else {
            return WasmError(.malformed, "\(error)", offset: offset)
        }
        switch payload.label {
        case "message":
            let text = Mirror(reflecting: payload.value).children.first { $0.label == "text" }?.value as? String
            return mapMessage(text ?? "\(error)", offset: offset)
        case "parserUnexpectedEnd":
            // WasmParser reads sections from the whole stream, as the reference decoder does,
            // so running out of bytes can only happen at the end of the module.
            return WasmError(.malformed, "unexpected end of section or function", offset: offset)
        case "parserUnexpectedByte":
            return WasmError(.malformed, unexpectedByteMessage(payload.value), offset: offset)
        case "leb":
            return mapLEB(payload.value as? LEBError, offset: offset)
        default:
            return WasmError(.malformed, "\(error)", offset: offset)
        }
    }

    private func unexpectedByteMessage(_ payload: Any) -> String {
        // The payload is (byte, expected: Set<UInt8>?): a reference type was expected when a
        // set is given (table types), otherwise an import or export kind.
        let parts = Mirror(reflecting: payload).children.map(\.value)
        let expectsReferenceType = parts.count > 1 && (parts[1] as? Set<UInt8>) != nil
        if expectsReferenceType { return "malformed reference type" }
        switch sectionID {
        case 2: return "malformed import kind"
        case 7: return "malformed export kind"
        default: return "malformed reference type"
        }
    }

    private func mapLEB(_ error: LEBError?, offset: Int) -> WasmError {
        switch error {
        case .overflow:
            return WasmError(.malformed, "integer too large", offset: offset)
        case .integerRepresentationTooLong:
            // WasmParser's unsigned decoder reports both spec cases this way; the last byte
            // read tells them apart: with its continuation bit set the encoding is too long,
            // otherwise its unused high bits were set and the value is too large.
            let last = offset - 1
            if bytes.indices.contains(last), bytes[last] & 0x80 == 0 {
                return WasmError(.malformed, "integer too large", offset: offset)
            }
            return WasmError(.malformed, "integer representation too long", offset: offset)
        case .insufficientBytes, nil:
            return WasmError(.malformed, "unexpected end", offset: offset)
        }
    }

    private func mapMessage(_ text: String, offset: Int) -> WasmError {
        // Prefixes of WasmParser's message texts, and the spec's wording for each.
        let table: [(String, WasmError.Kind, String)] = [
            ("magic header not detected", .malformed, "magic header not detected"),
            ("unknown binary version", .malformed, "unknown binary version"),
            ("malformed UTF-8 encoding", .malformed, "malformed UTF-8 encoding"),
            ("unexpected end-of-file", .malformed, "unexpected end"),
            ("malformed section id", .malformed, "malformed section id"),
            ("malformed value type", .malformed, "malformed value type"),
            ("Zero expected", .malformed, "zero byte expected"),
            ("Too many locals", .malformed, "too many locals"),
            ("Expected reference type", .malformed, "malformed reference type"),
            ("Unexpected element kind", .malformed, "malformed element kind"),
            ("Integer representation is too long", .malformed, "integer representation too long"),
            ("`end` opcode expected", .malformed, "END opcode expected"),
            ("Unexpected end of the stream", .malformed, "unexpected end"),
            ("Section size mismatch", .malformed, "section size mismatch"),
            ("Illegal opcode", .malformed, "illegal opcode"),
            ("Malformed mutability", .malformed, "malformed mutability"),
            ("Sections in the module are out of order", .malformed, "unexpected content after last section"),
            ("Malformed indirect call", .malformed, "zero byte expected"),
            ("malformed memop flags", .malformed, "malformed memop flags"),
            ("Malformed data segment kind", .malformed, "malformed data segment kind"),
            ("invalid result arity", .invalid, "invalid result arity"),
            ("invalid function type index", .malformed, "malformed block type"),
        ]
        for (prefix, kind, message) in table where text.hasPrefix(prefix) {
            return WasmError(kind, message, offset: offset)
        }
        if text.hasPrefix("Malformed limit") {
            // 2.0 reads the limits flag as a LEB128 integer that must be 0 or 1.
            let at = offset - 1
            let tooLong = bytes.indices.contains(at) && bytes[at] & 0x80 != 0
            return WasmError(.malformed, tooLong ? "integer representation too long" : "integer too large", offset: offset)
        }
        if text.hasPrefix("Malformed function type") || text.hasPrefix("Malformed composite type") {
            // GC's rec, sub, struct and array forms: ProposalDiagnosis names the proposal.
            return WasmError(.malformed, "malformed function type", offset: offset)
        }
        return WasmError(.malformed, text, offset: offset)
    }
}
