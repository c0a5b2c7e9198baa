/// A source location: a file of `WasmLineMap.files`, a line (0: no line) and a column.
public struct SourceLocation: Equatable, Sendable {
    public var file: Int
    public var line: UInt32
    public var column: UInt32

    public init(file: Int, line: UInt32, column: UInt32) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// The line tables of a Wasm module's DWARF (.debug_line), as a map from each instruction's
/// offset to the source location it was compiled from.
///
/// In WebAssembly DWARF, addresses are offsets from the start of the Code section's contents
/// (the byte after the section's size, where the function count is), so
/// `codeOffset = binaryOffset - codeSectionContentStart`.
public struct WasmLineMap: Sendable {
    /// The source files of all units, without duplicates.
    public private(set) var files: [SourceFile] = []
    /// Address ranges [start, end) and the location of each, sorted by start, not overlapping.
    private var ranges: [(start: UInt64, end: UInt64, location: SourceLocation)] = []
    /// Addresses of the rows that end a function's prologue, sorted.
    private var prologueEnds: [UInt64] = []
    /// Where the Code section's contents start in the module's binary.
    public let codeSectionContentStart: Int

    /// Reads every line program of `.debug_line`. Returns nil when the module has no
    /// `.debug_line` (or no Code section); throws when the DWARF is malformed.
    public static func read(_ module: WasmModule) throws(DWARFError) -> WasmLineMap? {
        guard let lines = module.debugSections[".debug_line"], let codeStart = module.codeSectionContentStart else { return nil }
        let strings = LineProgramHeader.StringSections(
            str: module.debugSections[".debug_str"], lineStr: module.debugSections[".debug_line_str"])
        return try WasmLineMap(debugLine: lines, strings: strings, codeSectionContentStart: codeStart)
    }

    init(debugLine: ArraySlice<UInt8>, strings: LineProgramHeader.StringSections, codeSectionContentStart: Int) throws(DWARFError) {
        self.codeSectionContentStart = codeSectionContentStart
        var fileIndices: [SourceFile: Int] = [:]
        var cursor = DWARFCursor(debugLine, section: ".debug_line")
        while !cursor.isAtEnd {
            let program = try LineProgram(&cursor, strings: strings)
            cursor.limit = debugLine.count
            // This unit's file indices, renumbered into `files`.
            var renumbered: [Int] = []
            for file in program.header.files {
                if let index = fileIndices[file] {
                    renumbered.append(index)
                } else {
                    fileIndices[file] = files.count
                    renumbered.append(files.count)
                    files.append(file)
                }
            }
            try addRanges(of: program.rows, renumbered: renumbered, cursor: cursor)
        }
        ranges.sort { $0.start < $1.start }
        prologueEnds.sort()
    }

    /// Each row but the last of a sequence covers the addresses up to the next row's.
    private mutating func addRanges(of rows: [LineRow], renumbered: [Int], cursor: DWARFCursor) throws(DWARFError) {
        var sequenceStart = 0
        for (index, row) in rows.enumerated() where row.endSequence {
            let sequence = rows[sequenceStart...index]
            sequenceStart = index + 1
            // A linker that drops a function (wasm-ld --gc-sections) points its sequence at a
            // tombstone: 0 (older lld) or ~0. Offset 0 is the function count, never code.
            guard let first = sequence.first, first.address != 0, first.address < UInt64(UInt32.max) else { continue }
            for (row, next) in zip(sequence, sequence.dropFirst()) where next.address > row.address {
                guard row.file < renumbered.count else {
                    throw cursor.error("file index \(row.file) is out of range in a unit with \(renumbered.count) files")
                }
                let location = SourceLocation(file: renumbered[row.file], line: row.line, column: row.column)
                ranges.append((row.address, next.address, location))
                if row.prologueEnd { prologueEnds.append(row.address) }
            }
        }
    }

    /// The index of the range holding `codeOffset`, if any.
    private func rangeIndex(at codeOffset: UInt64) -> Int? {
        // The last range that starts at or before the offset.
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].start <= codeOffset { low = middle + 1 } else { high = middle }
        }
        guard low > 0, codeOffset < ranges[low - 1].end else { return nil }
        return low - 1
    }

    /// The location of the instruction at `binaryOffset` (an offset in the module's bytes).
    public func location(atBinaryOffset binaryOffset: Int) -> SourceLocation? {
        guard binaryOffset >= codeSectionContentStart else { return nil }
        return rangeIndex(at: UInt64(binaryOffset - codeSectionContentStart)).map { ranges[$0].location }
    }

    /// The first location among the bytes `binaryOffsets` (a function's body), if any.
    public func firstLocation(in binaryOffsets: Range<Int>) -> SourceLocation? {
        guard binaryOffsets.lowerBound >= codeSectionContentStart else { return nil }
        let lower = UInt64(binaryOffsets.lowerBound - codeSectionContentStart)
        let upper = UInt64(binaryOffsets.upperBound - codeSectionContentStart)
        if let index = rangeIndex(at: lower) { return ranges[index].location }
        // Else the first range starting inside.
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].start < lower { low = middle + 1 } else { high = middle }
        }
        guard low < ranges.count, ranges[low].start < upper else { return nil }
        return ranges[low].location
    }

    /// The binary offset of the first prologue-end row among `binaryOffsets` (a function's
    /// body), if any.
    public func prologueEnd(in binaryOffsets: Range<Int>) -> Int? {
        guard binaryOffsets.lowerBound >= codeSectionContentStart else { return nil }
        let lower = UInt64(binaryOffsets.lowerBound - codeSectionContentStart)
        let upper = UInt64(binaryOffsets.upperBound - codeSectionContentStart)
        var low = 0, high = prologueEnds.count
        while low < high {
            let middle = (low + high) / 2
            if prologueEnds[middle] < lower { low = middle + 1 } else { high = middle }
        }
        guard low < prologueEnds.count, prologueEnds[low] < upper else { return nil }
        return Int(prologueEnds[low]) + codeSectionContentStart
    }

    /// Every row range, for tests: (code offset, location).
    public var rangeStarts: [(codeOffset: UInt64, location: SourceLocation)] {
        ranges.map { ($0.start, $0.location) }
    }
}
