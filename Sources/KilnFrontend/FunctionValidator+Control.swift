import WasmParser
import WasmTypes

// Control instructions, calls and the parametric instructions (drop, select).
extension FunctionValidator {
    public mutating func visitUnreachable() throws(WasmError) {
        try markUnreachable()
    }

    public mutating func visitNop() throws(WasmError) {
        if module.legacyOpcode(at: binaryOffset) != nil { return try visitLegacyCatchAll() }
        try requireOpenFrame()
    }

    public mutating func visitBlock(blockType: BlockType) throws(WasmError) {
        if module.legacyOpcode(at: binaryOffset) != nil { return try visitLegacyTry(blockType: blockType) }
        let (start, end) = try blockTypes(blockType)
        try pop(start)
        try pushControl(.block, start: start, end: end)
    }

    public mutating func visitLoop(blockType: BlockType) throws(WasmError) {
        let (start, end) = try blockTypes(blockType)
        try pop(start)
        try pushControl(.loop, start: start, end: end)
    }

    public mutating func visitIf(blockType: BlockType) throws(WasmError) {
        let (start, end) = try blockTypes(blockType)
        try pop(.i32)
        try pop(start)
        try pushControl(.if, start: start, end: end)
    }

    public mutating func visitElse() throws(WasmError) {
        guard let top = controls.last else { throw malformed("section size mismatch") }
        // The binary decoder reads a block's body up to `else` or `end`; an `else` that does not
        // close an `if` leaves it expecting `end`.
        guard top.kind == .if else { throw malformed("END opcode expected") }
        let frame = try popControl()
        try pushControl(.else, start: frame.startTypes, end: frame.endTypes)
    }

    public mutating func visitEnd() throws(WasmError) {
        let frame = try popControl()
        // An `if` without `else` has an implicit empty else branch, which passes its
        // parameters through unchanged.
        if frame.kind == .if, !frame.startTypes.allMatch(frame.endTypes) {
            throw invalid("type mismatch")
        }
        if controls.isEmpty {
            // The function's own frame: its results stay on the stack for `finish()`.
            operands.append(contentsOf: (0..<frame.endTypes.count).lazy.map { frame.endTypes[$0] })
        } else {
            try push(frame.endTypes)
        }
    }

    public mutating func visitBr(relativeDepth: UInt32) throws(WasmError) {
        if let legacy = module.legacyOpcode(at: binaryOffset) { return try visitLegacy(legacy, immediate: relativeDepth) }
        let target = try label(relativeDepth)
        try pop(target.labelTypes)
        try markUnreachable()
    }

    public mutating func visitBrIf(relativeDepth: UInt32) throws(WasmError) {
        let target = try label(relativeDepth)
        try pop(.i32)
        try pop(target.labelTypes)
        try push(target.labelTypes)
    }

    public mutating func visitBrTable(targets: BrTable) throws(WasmError) {
        try pop(.i32)
        let defaultTypes = try label(targets.defaultIndex).labelTypes
        for depth in targets.labelIndices {
            let types = try label(depth).labelTypes
            guard types.count == defaultTypes.count else { throw invalid("type mismatch") }
            try peek(types)
        }
        try pop(defaultTypes)
        try markUnreachable()
    }

    public mutating func visitReturn() throws(WasmError) {
        try pop(functionType.results)
        try markUnreachable()
    }

    public mutating func visitCall(functionIndex: UInt32) throws(WasmError) {
        let type = try functionType(ofFunction: functionIndex)
        try pop(type.parameters)
        try push(type.results)
    }

    public mutating func visitCallIndirect(typeIndex: UInt32, tableIndex: UInt32) throws(WasmError) {
        let type = try indirectCalleeType(typeIndex: typeIndex, tableIndex: tableIndex)
        try pop(try tableIndexType(tableIndex))
        try pop(type.parameters)
        try push(type.results)
    }

    public mutating func visitDrop() throws(WasmError) {
        _ = try pop()
    }

    /// Untyped `select` picks between two numeric or vector operands of the same type;
    /// references need the typed form.
    public mutating func visitSelect() throws(WasmError) {
        try pop(.i32)
        let first = try pop()
        let second = try pop()
        let firstOK = first.isNumericOrVector || first == .unknown
        let secondOK = second.isNumericOrVector || second == .unknown
        guard firstOK, secondOK else { throw invalid("type mismatch") }
        guard first == second || first == .unknown || second == .unknown else { throw invalid("type mismatch") }
        try push(first == .unknown ? second : first)
    }

    public mutating func visitTypedSelect(type: ValueType) throws(WasmError) {
        let operand = try operandType(type)
        try pop(.i32)
        try pop(operand)
        try pop(operand)
        try push(operand)
    }

    // MARK: Variables

    public mutating func visitLocalGet(localIndex: UInt32) throws(WasmError) {
        let type = try localType(localIndex)
        guard localIsSet[Int(localIndex)] else { throw invalid("uninitialized local") }
        try push(type)
    }

    public mutating func visitLocalSet(localIndex: UInt32) throws(WasmError) {
        try pop(localType(localIndex))
        markLocalSet(localIndex)
    }

    public mutating func visitLocalTee(localIndex: UInt32) throws(WasmError) {
        let type = try localType(localIndex)
        try pop(type)
        markLocalSet(localIndex)
        try push(type)
    }

    public mutating func visitGlobalGet(globalIndex: UInt32) throws(WasmError) {
        try push(module.operandType(globalType(globalIndex).valueType))
    }

    public mutating func visitGlobalSet(globalIndex: UInt32) throws(WasmError) {
        let type = try globalType(globalIndex)
        guard type.mutability == .variable else { throw invalid("global is immutable") }
        try pop(module.operandType(type.valueType))
    }

    /// A non-defaultable local counts as set from here to the end of the innermost frame.
    private mutating func markLocalSet(_ index: UInt32) {
        guard !localIsSet[Int(index)] else { return }
        localIsSet[Int(index)] = true
        localsSetSoFar.append(index)
    }

    /// At the end of a frame, the locals first set inside it are unset again: the code after
    /// the frame may be reached by a branch that skipped the set.
    mutating func forgetLocalsSet(since height: Int) {
        while localsSetSoFar.count > height {
            localIsSet[Int(localsSetSoFar.removeLast())] = false
        }
    }

    func localType(_ index: UInt32) throws(WasmError) -> OperandType {
        guard Int(index) < localTypes.count else { throw invalid("unknown local \(index)") }
        return localTypes[Int(index)]
    }

    func globalType(_ index: UInt32) throws(WasmError) -> GlobalType {
        guard Int(index) < module.allGlobalTypes.count else { throw invalid("unknown global \(index)") }
        return module.allGlobalTypes[Int(index)]
    }
}
