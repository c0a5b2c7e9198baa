/// The header of one line-number program in .debug_line (DWARF 2 to 5, section 6.2.4 of the
/// DWARF 5 standard): the parameters of the state machine and the program's file table.
struct LineProgramHeader {
    var version: UInt16
    var minimumInstructionLength: UInt8
    var defaultIsStmt: Bool
    var lineBase: Int8
    var lineRange: UInt8
    var opcodeBase: UInt8
    /// Operand counts of the standard opcodes 1 ..< opcodeBase (index 0 is opcode 1), so that
    /// opcodes this reader does not know can be skipped.
    var standardOpcodeLengths: [UInt8]
    /// The file table, indexed as the program's DW_LNS_set_file operands index it: from 1 before
    /// DWARF 5 (index 0 holds a placeholder), from 0 in DWARF 5.
    var files: [SourceFile]
    /// Offset in the section of the first opcode, and just past the unit's last.
    var programStart: Int
    var unitEnd: Int

    /// The strings a DWARF 5 file table may point into.
    struct StringSections {
        var str: ArraySlice<UInt8>?
        var lineStr: ArraySlice<UInt8>?
    }

    /// Reads the header at the cursor and leaves the cursor's limit at the unit's end.
    init(_ cursor: inout DWARFCursor, strings: StringSections) throws(DWARFError) {
        let (length, offsetSize) = try cursor.unitLength()
        guard length <= UInt64(cursor.limit - cursor.offset) else { throw cursor.error("unit length \(length) runs past the section") }
        unitEnd = cursor.offset + Int(length)
        cursor.limit = unitEnd
        version = try cursor.u16()
        guard (2...5).contains(version) else { throw cursor.error("unsupported line table version \(version)") }
        if version >= 5 {
            let addressSize = try cursor.u8()
            guard addressSize == 4 || addressSize == 8 else { throw cursor.error("address size \(addressSize)") }
            _ = try cursor.u8()  // segment selector size
        }
        let headerLength = try cursor.unsigned(size: offsetSize)
        guard headerLength <= UInt64(unitEnd - cursor.offset) else { throw cursor.error("header length \(headerLength) runs past the unit") }
        programStart = cursor.offset + Int(headerLength)
        minimumInstructionLength = try cursor.u8()
        if version >= 4 {
            // Only VLIW targets have several operations per instruction; Wasm has one.
            let maximumOperations = try cursor.u8()
            guard maximumOperations == 1 else { throw cursor.error("maximum_operations_per_instruction is \(maximumOperations), not 1") }
        }
        defaultIsStmt = try cursor.u8() != 0
        lineBase = Int8(bitPattern: try cursor.u8())
        lineRange = try cursor.u8()
        guard lineRange != 0 else { throw cursor.error("line_range is 0") }
        opcodeBase = try cursor.u8()
        guard opcodeBase != 0 else { throw cursor.error("opcode_base is 0") }
        standardOpcodeLengths = []
        for _ in 1..<Int(opcodeBase) { standardOpcodeLengths.append(try cursor.u8()) }
        if version >= 5 {
            files = try Self.readVersion5Tables(&cursor, offsetSize: offsetSize, strings: strings)
        } else {
            files = try Self.readLegacyTables(&cursor)
        }
        // The program starts where header_length says, whatever the tables took.
        try cursor.seek(to: programStart)
    }

    /// DWARF 2 to 4: include_directories then file_names, each list ended by an empty string.
    /// Directory 0 is the compilation directory, which .debug_line does not hold: such files
    /// keep an empty directory (relative to wherever the debugger looks).
    private static func readLegacyTables(_ cursor: inout DWARFCursor) throws(DWARFError) -> [SourceFile] {
        var directories = [""]
        while true {
            let directory = try cursor.cString()
            if directory.isEmpty { break }
            directories.append(directory)
        }
        var files = [SourceFile(directory: "", name: "")]
        while true {
            let name = try cursor.cString()
            if name.isEmpty { break }
            let directory = try cursor.index(below: directories.count, "directory index")
            _ = try cursor.uleb()  // modification time
            _ = try cursor.uleb()  // length
            files.append(SourceFile(directory: directories[directory], name: name))
        }
        return files
    }

    // DW_LNCT_* content type codes and the DW_FORM_* codes their entries may use.
    private enum ContentType {
        static let path: UInt64 = 0x1, directoryIndex: UInt64 = 0x2
    }

    private enum Form {
        static let block: UInt64 = 0x09, block1: UInt64 = 0x0a, block2: UInt64 = 0x03, block4: UInt64 = 0x04
        static let data1: UInt64 = 0x0b, data2: UInt64 = 0x05, data4: UInt64 = 0x06, data8: UInt64 = 0x07
        static let data16: UInt64 = 0x1e, string: UInt64 = 0x08, strp: UInt64 = 0x0e, lineStrp: UInt64 = 0x1f
        static let udata: UInt64 = 0x0f
    }

    /// One attribute of an entry: a string or a number, the rest (MD5s, sizes) skipped.
    private enum Value {
        case string(String), number(UInt64), skipped
    }

    /// DWARF 5: directories and files are described by (content type, form) formats.
    private static func readVersion5Tables(
        _ cursor: inout DWARFCursor, offsetSize: Int, strings: StringSections
    ) throws(DWARFError) -> [SourceFile] {
        let directoryEntries = try readEntries(&cursor, offsetSize: offsetSize, strings: strings)
        let directories = directoryEntries.map { entry in
            if case .string(let path)? = entry[ContentType.path] { path } else { "" }
        }
        let fileEntries = try readEntries(&cursor, offsetSize: offsetSize, strings: strings)
        var files: [SourceFile] = []
        for entry in fileEntries {
            guard case .string(let name)? = entry[ContentType.path] else { throw cursor.error("a file entry without a path") }
            var directory = ""
            if case .number(let index)? = entry[ContentType.directoryIndex] {
                guard index < UInt64(directories.count) else { throw cursor.error("directory index \(index) is out of range") }
                directory = directories[Int(index)]
            }
            files.append(SourceFile(directory: directory, name: name))
        }
        return files
    }

    /// An entry format (pairs of content type and form), then a count of entries in that format.
    private static func readEntries(
        _ cursor: inout DWARFCursor, offsetSize: Int, strings: StringSections
    ) throws(DWARFError) -> [[UInt64: Value]] {
        let formatCount = try cursor.u8()
        var format: [(type: UInt64, form: UInt64)] = []
        for _ in 0..<formatCount { format.append((try cursor.uleb(), try cursor.uleb())) }
        let count = try cursor.uleb()
        // Each entry takes at least a byte per field: a count beyond the unit is malformed
        // (and must not size an allocation).
        guard count <= UInt64(cursor.limit - cursor.offset) else { throw cursor.error("entry count \(count) runs past the unit") }
        var entries: [[UInt64: Value]] = []
        for _ in 0..<count {
            var entry: [UInt64: Value] = [:]
            for (type, form) in format {
                entry[type] = try readValue(&cursor, form: form, offsetSize: offsetSize, strings: strings)
            }
            entries.append(entry)
        }
        return entries
    }

    private static func readValue(
        _ cursor: inout DWARFCursor, form: UInt64, offsetSize: Int, strings: StringSections
    ) throws(DWARFError) -> Value {
        switch form {
        case Form.string: return .string(try cursor.cString())
        case Form.lineStrp: return .string(try dwarfString(in: strings.lineStr, named: ".debug_line_str", at: try cursor.unsigned(size: offsetSize)))
        case Form.strp: return .string(try dwarfString(in: strings.str, named: ".debug_str", at: try cursor.unsigned(size: offsetSize)))
        case Form.udata: return .number(try cursor.uleb())
        case Form.data1: return .number(try cursor.unsigned(size: 1))
        case Form.data2: return .number(try cursor.unsigned(size: 2))
        case Form.data4: return .number(try cursor.unsigned(size: 4))
        case Form.data8: return .number(try cursor.unsigned(size: 8))
        case Form.data16: try cursor.skip(16)
        case Form.block: try cursor.skip(Int(clamping: try cursor.uleb()))
        case Form.block1: try cursor.skip(Int(try cursor.unsigned(size: 1)))
        case Form.block2: try cursor.skip(Int(try cursor.unsigned(size: 2)))
        case Form.block4: try cursor.skip(Int(try cursor.unsigned(size: 4)))
        default: throw cursor.error("unsupported form 0x\(String(form, radix: 16)) in the file table")
        }
        return .skipped
    }
}

/// A source file as a line table names it.
public struct SourceFile: Hashable, Sendable {
    /// The directory, possibly relative to the compilation directory; empty when unknown.
    public var directory: String
    public var name: String

    public init(directory: String, name: String) {
        self.directory = directory
        self.name = name
    }

    /// The directory and name joined, or the name alone when it is absolute or has no directory.
    public var path: String {
        if directory.isEmpty || name.hasPrefix("/") { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
