/// A first, cheap pass over the module's outer structure: the header and each section's id and
/// size, without looking inside.
///
/// WasmParser reads sections from the whole stream and does not check a section's declared size
/// against the bytes that remain, so some outer-structure errors would otherwise surface later,
/// with different wording, or not at all. Knowing the section boundaries up front also gives the
/// decoder the context (which section is being read) that its error messages need.
struct SectionScanner {
    struct Section {
        var id: UInt8
        /// Offset of the id byte.
        var start: Int
        /// Offset of the first content byte.
        var contentStart: Int
        /// Offset just past the content.
        var end: Int
    }

    /// Sections in order, up to (not including) the first one whose header is broken.
    var sections: [Section] = []
    /// The structural error found after `sections`, if any.
    var error: WasmError?

    init(_ bytes: [UInt8]) {
        guard bytes.count >= 4 else {
            error = WasmError(.malformed, "unexpected end", offset: bytes.count)
            return
        }
        guard bytes[0] == 0x00, bytes[1] == 0x61, bytes[2] == 0x73, bytes[3] == 0x6D else {
            error = WasmError(.malformed, "magic header not detected", offset: 0)
            return
        }
        guard bytes.count >= 8 else {
            error = WasmError(.malformed, "unexpected end", offset: bytes.count)
            return
        }
        // The component model's binaries share the magic number and say so in the version's
        // second half, the layer (1; core modules have 0).
        if bytes[4] == 0x0D, bytes[5] == 0x00, bytes[6] == 0x01, bytes[7] == 0x00 {
            error = WasmError(.unsupported, "a WebAssembly component, not a core module: Kiln compiles core modules", offset: 4)
            return
        }
        guard bytes[4] == 0x01, bytes[5] == 0x00, bytes[6] == 0x00, bytes[7] == 0x00 else {
            error = WasmError(.malformed, "unknown binary version", offset: 4)
            return
        }
        var position = 8
        while position < bytes.count {
            let start = position
            let id = bytes[position]
            // 0...12 are the 2.0 sections; 13 (tags) belongs to exception handling, which the
            // decoder reports by name.
            guard id <= 13 else {
                error = WasmError(.malformed, "malformed section id", offset: start)
                return
            }
            position += 1
            let size: UInt32
            switch LEB128.readUnsigned32(bytes, at: &position) {
            case .success(let value): size = value
            case .failure(let failure):
                error = failure
                return
            }
            guard Int(size) <= bytes.count - position else {
                error = WasmError(.malformed, "length out of bounds", offset: position)
                return
            }
            sections.append(Section(id: id, start: start, contentStart: position, end: position + Int(size)))
            position += Int(size)
        }
    }
}

/// A bounds-checked unsigned LEB128 reader with the spec suite's error wording.
enum LEB128 {
    static func readUnsigned32(_ bytes: [UInt8], at position: inout Int) -> Result<UInt32, WasmError> {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard position < bytes.count else {
                return .failure(WasmError(.malformed, "unexpected end", offset: position))
            }
            let byte = bytes[position]
            position += 1
            if shift == 28 {
                // The fifth byte holds the top 4 bits; anything more is too long or too large.
                if byte & 0x80 != 0 {
                    return .failure(WasmError(.malformed, "integer representation too long", offset: position - 1))
                }
                if byte & 0x70 != 0 {
                    return .failure(WasmError(.malformed, "integer too large", offset: position - 1))
                }
            }
            result |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return .success(result) }
            shift += 7
        }
    }
}
