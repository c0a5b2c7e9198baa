/// One row of a line-number matrix (DWARF 5, section 6.2.2).
public struct LineRow: Equatable, Sendable {
    /// For Wasm, an offset into the Code section's contents (see `WasmLineMap`).
    public var address: UInt64
    /// Index into the program's file table (`LineProgramHeader.files`).
    public var file: Int
    public var line: UInt32
    public var column: UInt32
    public var isStmt: Bool
    /// The first instruction after the source function's prologue (where a debugger breaks on
    /// the function); for Wasm, after clang's shadow-stack set-up.
    public var prologueEnd: Bool
    /// The first address past a sequence; this row describes no instruction.
    public var endSequence: Bool
}

/// Runs the line-number program of one unit (the state machine of DWARF 5, section 6.2.5) and
/// collects its rows, in program order.
struct LineProgram {
    let header: LineProgramHeader
    private(set) var rows: [LineRow] = []

    // Standard opcodes (DW_LNS_*) and extended ones (DW_LNE_*).
    private enum Standard {
        static let copy: UInt8 = 1, advancePC: UInt8 = 2, advanceLine: UInt8 = 3, setFile: UInt8 = 4
        static let setColumn: UInt8 = 5, negateStmt: UInt8 = 6, setBasicBlock: UInt8 = 7, constAddPC: UInt8 = 8
        static let fixedAdvancePC: UInt8 = 9, setPrologueEnd: UInt8 = 10, setEpilogueBegin: UInt8 = 11, setISA: UInt8 = 12
    }

    private enum Extended {
        static let endSequence: UInt8 = 1, setAddress: UInt8 = 2, defineFile: UInt8 = 3, setDiscriminator: UInt8 = 4
    }

    /// Reads the header and program of the unit at the cursor, leaving the cursor at the unit's end.
    init(_ cursor: inout DWARFCursor, strings: LineProgramHeader.StringSections) throws(DWARFError) {
        var header = try LineProgramHeader(&cursor, strings: strings)
        let initial = LineRow(address: 0, file: 1, line: 1, column: 0, isStmt: header.defaultIsStmt, prologueEnd: false, endSequence: false)
        var state = initial
        let minimumLength = UInt64(header.minimumInstructionLength)
        while !cursor.isAtEnd {
            let opcode = try cursor.u8()
            if opcode >= header.opcodeBase {
                // A special opcode advances address and line together, then appends a row.
                let adjusted = Int(opcode - header.opcodeBase)
                state.address &+= UInt64(adjusted / Int(header.lineRange)) &* minimumLength
                state.line = Self.advance(state.line, by: Int64(header.lineBase) + Int64(adjusted % Int(header.lineRange)))
                rows.append(state)
                state.prologueEnd = false
                continue
            }
            switch opcode {
            case 0:
                let length = try cursor.uleb()
                guard length > 0, length <= UInt64(cursor.limit - cursor.offset) else {
                    throw cursor.error("extended opcode length \(length)")
                }
                let end = cursor.offset + Int(length)
                switch try cursor.u8() {
                case Extended.endSequence:
                    state.endSequence = true
                    rows.append(state)
                    state = initial
                case Extended.setAddress:
                    state.address = try cursor.unsigned(size: min(Int(length) - 1, 8))
                case Extended.defineFile:
                    // DWARF 2 to 4 only: a file entry, as in the header's table.
                    let name = try cursor.cString()
                    _ = try cursor.uleb()
                    _ = try cursor.uleb()
                    _ = try cursor.uleb()
                    header.files.append(SourceFile(directory: "", name: name))
                case Extended.setDiscriminator:
                    _ = try cursor.uleb()
                default:
                    break  // unknown: its length says how much to skip
                }
                try cursor.seek(to: end)
            case Standard.copy:
                rows.append(state)
                state.prologueEnd = false
            case Standard.advancePC:
                state.address &+= try cursor.uleb() &* minimumLength
            case Standard.advanceLine:
                state.line = Self.advance(state.line, by: try cursor.sleb())
            case Standard.setFile:
                state.file = Int(clamping: try cursor.uleb())
            case Standard.setColumn:
                state.column = UInt32(clamping: try cursor.uleb())
            case Standard.negateStmt:
                state.isStmt.toggle()
            case Standard.constAddPC:
                state.address &+= UInt64((255 - Int(header.opcodeBase)) / Int(header.lineRange)) &* minimumLength
            case Standard.fixedAdvancePC:
                state.address &+= UInt64(try cursor.u16())
            case Standard.setPrologueEnd:
                state.prologueEnd = true
            case Standard.setBasicBlock, Standard.setEpilogueBegin:
                break  // flags a debugger may use; the rows Kiln needs do not carry them
            case Standard.setISA:
                _ = try cursor.uleb()
            default:
                // A standard opcode newer than this reader: skip its ULEB operands.
                for _ in 0..<header.standardOpcodeLengths[Int(opcode) - 1] { _ = try cursor.uleb() }
            }
        }
        self.header = header
    }

    /// `line + delta`, kept within UInt32 (a line below 1 or past 2^32 is meaningless anyway).
    private static func advance(_ line: UInt32, by delta: Int64) -> UInt32 {
        let (sum, overflow) = Int64(line).addingReportingOverflow(delta)
        return overflow ? (delta < 0 ? 0 : UInt32.max) : UInt32(clamping: sum)
    }
}
