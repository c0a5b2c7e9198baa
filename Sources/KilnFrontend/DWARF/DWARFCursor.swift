/// Why a DWARF section could not be read: the section and what is wrong with it. Debug info is
/// advisory, so this never fails a compile; the compiler reports it and drops the debug info.
public struct DWARFError: Error, CustomStringConvertible, Sendable {
    /// The custom section, e.g. ".debug_line".
    public var section: String
    public var reason: String
    /// Offset in the section where the problem was found.
    public var offset: Int

    public init(section: String, reason: String, offset: Int) {
        self.section = section
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "\(section) at offset \(offset): \(reason)" }
}

/// A bounds-checked little-endian reader over one DWARF section. Every read checks the bytes
/// that remain (and `limit`, the end of the unit being read), so a truncated or hostile section
/// throws instead of trapping. Offsets are relative to the start of the section.
struct DWARFCursor {
    let bytes: ArraySlice<UInt8>
    let section: String
    private(set) var offset = 0
    /// The end of what may be read (the current unit's end); the section's end by default.
    var limit: Int

    init(_ bytes: ArraySlice<UInt8>, section: String) {
        self.bytes = bytes
        self.section = section
        self.limit = bytes.count
    }

    var isAtEnd: Bool { offset >= limit }

    func error(_ reason: String, at position: Int? = nil) -> DWARFError {
        DWARFError(section: section, reason: reason, offset: position ?? offset)
    }

    mutating func seek(to position: Int) throws(DWARFError) {
        guard position >= 0, position <= limit else { throw error("offset \(position) is past the end") }
        offset = position
    }

    mutating func skip(_ count: Int) throws(DWARFError) {
        guard count >= 0, count <= limit - offset else { throw error("unexpected end of data") }
        offset += count
    }

    mutating func u8() throws(DWARFError) -> UInt8 {
        guard offset < limit else { throw error("unexpected end of data") }
        defer { offset += 1 }
        return bytes[bytes.startIndex + offset]
    }

    /// An unsigned little-endian integer of `size` bytes (1 to 8).
    mutating func unsigned(size: Int) throws(DWARFError) -> UInt64 {
        guard size <= limit - offset else { throw error("unexpected end of data") }
        var value: UInt64 = 0
        for index in 0..<size {
            value |= UInt64(bytes[bytes.startIndex + offset + index]) << (8 * UInt64(index))
        }
        offset += size
        return value
    }

    mutating func u16() throws(DWARFError) -> UInt16 { UInt16(try unsigned(size: 2)) }
    mutating func u32() throws(DWARFError) -> UInt32 { UInt32(try unsigned(size: 4)) }

    /// ULEB128. Bits beyond 64 are dropped (the value is then meaningless, and whatever uses it
    /// as an offset or index fails its own bounds check), but the encoding is consumed whole.
    mutating func uleb() throws(DWARFError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8()
            if shift < 64 { result |= UInt64(byte & 0x7F) << shift }
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// SLEB128, with the same treatment of over-long encodings.
    mutating func sleb() throws(DWARFError) -> Int64 {
        var result: Int64 = 0
        var shift: Int64 = 0
        var byte: UInt8
        repeat {
            byte = try u8()
            if shift < 64 { result |= Int64(byte & 0x7F) << shift }
            shift += 7
        } while byte & 0x80 != 0
        if shift < 64, byte & 0x40 != 0 { result |= -(Int64(1) << shift) }
        return result
    }

    /// A ULEB128 that must fit an `Int` below `bound` (a count or index).
    mutating func index(below bound: Int, _ what: String) throws(DWARFError) -> Int {
        let start = offset
        let value = try uleb()
        guard value < UInt64(bound) else { throw error("\(what) \(value) is out of range", at: start) }
        return Int(value)
    }

    /// A NUL-terminated string, decoded as UTF-8 (invalid sequences replaced).
    mutating func cString() throws(DWARFError) -> String {
        let start = bytes.startIndex + offset
        let end = bytes.startIndex + limit
        guard let nul = bytes[start..<end].firstIndex(of: 0) else { throw error("unterminated string") }
        offset = nul - bytes.startIndex + 1
        return String(decoding: bytes[start..<nul], as: UTF8.self)
    }

    /// The initial length of a unit: 32-bit DWARF, or 0xffffffff and a 64-bit length. Returns the
    /// unit's length and the size of its section offsets (4 or 8).
    mutating func unitLength() throws(DWARFError) -> (length: UInt64, offsetSize: Int) {
        let length = try u32()
        if length == 0xFFFF_FFFF { return (try unsigned(size: 8), 8) }
        guard length < 0xFFFF_FFF0 else { throw error("reserved unit length 0x\(String(length, radix: 16))") }
        return (UInt64(length), 4)
    }
}

/// The NUL-terminated string at `offset` of a string section (.debug_str, .debug_line_str).
func dwarfString(in section: ArraySlice<UInt8>?, named name: String, at offset: UInt64) throws(DWARFError) -> String {
    guard let section else { throw DWARFError(section: name, reason: "the section is missing", offset: 0) }
    guard offset < UInt64(section.count) else {
        throw DWARFError(section: name, reason: "string offset \(offset) is past the end", offset: section.count)
    }
    var cursor = DWARFCursor(section, section: name)
    try cursor.seek(to: Int(offset))
    return try cursor.cString()
}
