import WasmParser

/// Reads function names from the "name" custom section.
///
/// The name section is advisory: engines ignore a malformed one rather than rejecting the
/// module, so any error here just yields the names read so far (or none).
enum NameSectionReader {
    static func functionNames(_ bytes: ArraySlice<UInt8>) -> [UInt32: String] {
        var parser = NameSectionParser(stream: StaticByteStreamSource(bytes: bytes))
        guard let subsections = try? parser.parseAll() else { return [:] }
        for subsection in subsections {
            if case .functions(let names) = subsection { return names }
        }
        return [:]
    }
}
