import WasmParser
import WasmTypes

// Exception handling: throw, throw_ref and try_table (WebAssembly 3.0).
extension FunctionValidator {
    /// The parameters of tag `index`: the values its exceptions carry.
    func tagParameters(_ index: UInt32) throws(WasmError) -> [OperandType] {
        guard Int(index) < module.allTagTypeIndices.count else { throw invalid("unknown tag \(index)") }
        let typeIndex = Int(module.allTagTypeIndices[Int(index)])
        guard typeIndex < module.types.count else { throw invalid("unknown type \(typeIndex)") }
        return module.signature(typeIndex).parameters
    }

    static let caughtException = OperandType.reference(.exception, nullable: false)

    public mutating func visitThrow(tagIndex: UInt32) throws(WasmError) {
        try pop(try tagParameters(tagIndex))
        try markUnreachable()
    }

    public mutating func visitThrowRef() throws(WasmError) {
        try pop(.exnRef)
        try markUnreachable()
    }

    /// Each clause branches to a label of the enclosing context (the try_table's own label is
    /// not yet in scope for them) with the values it provides: the tag's parameters, then a
    /// non-null exnref for the `_ref` forms (the caught exception exists).
    public mutating func visitTryTable(blockType: BlockType, tryCatch: TryCatch) throws(WasmError) {
        let (start, end) = try blockTypes(blockType)
        for clause in tryCatch.catches {
            var provided: [OperandType]
            let depth: UInt32
            switch clause {
            case .catch(let tag, let label): (provided, depth) = (try tagParameters(tag), label)
            case .catchRef(let tag, let label): (provided, depth) = (try tagParameters(tag) + [Self.caughtException], label)
            case .catchAll(let label): (provided, depth) = ([], label)
            case .catchAllRef(let label): (provided, depth) = ([Self.caughtException], label)
            }
            let target = try label(depth).labelTypes
            guard target.count == provided.count else { throw invalid("type mismatch") }
            for (index, type) in provided.enumerated() where !type.matches(target[index]) {
                throw invalid("type mismatch")
            }
        }
        try pop(start)
        try pushControl(.block, start: start, end: end)
    }
}
