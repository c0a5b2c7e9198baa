import WasmParser
import WasmTypes

/// Validates one function body, instruction by instruction, with the algorithm of the
/// WebAssembly 2.0 specification's validation appendix: an operand stack whose entries may be
/// Unknown (the polymorphic stack after an unconditional branch) and a stack of control frames,
/// each with its start types, end types, the operand height at entry and an unreachable flag.
///
/// The lowering drives this visitor in the same pass as code generation, so each visit method
/// runs before the lowering sees the instruction, and errors carry `binaryOffset`, the offset
/// of the instruction in the module binary. Call `finish()` after the function's final `end`.
///
/// The instruction families live in the `FunctionValidator+*.swift` files. Being an
/// `AnyInstructionVisitor`, every visit method it does not implement leads to `visit(_:)`, which
/// rejects the instruction: none slips through one of InstructionVisitor's do-nothing defaults.
public struct FunctionValidator: AnyInstructionVisitor {
    public typealias VisitorError = WasmError

    /// Offset in the module binary of the instruction being visited.
    public var binaryOffset: Int = 0
    /// Parameters followed by declared locals.
    public private(set) var locals: [ValueType]

    let module: WasmModule
    let localTypes: [OperandType]
    /// The function's own signature, as operand types.
    let functionType: Signature
    var operands: [OperandType] = []
    var controls: [ControlFrame] = []
    /// Which locals hold a value: parameters and defaultable locals always, a non-null reference
    /// local once set (the spec's `inits`). Only the non-defaultable ones are ever false.
    var localIsSet: [Bool]
    /// Non-defaultable locals set since the function started, in order; a frame forgets those
    /// set inside it when it ends (`initHeight`), as the spec's validation of local.get asks.
    var localsSetSoFar: [UInt32] = []

    typealias Signature = (parameters: [OperandType], results: [OperandType])

    enum FrameKind: UInt8 { case function, block, loop, `if`, `else`, legacyTry, legacyCatch, legacyCatchAll }

    struct ControlFrame {
        var kind: FrameKind
        var startTypes: TypeList
        var endTypes: TypeList
        /// Operand stack height when the frame was entered (after popping its parameters).
        var height: Int
        /// Set once the rest of the frame is unreachable: the stack below is then polymorphic.
        var unreachable: Bool
        /// Length of `localsSetSoFar` when the frame was entered.
        var initHeight: Int = 0

        /// What a branch to this frame carries: a loop's start, any other frame's end.
        var labelTypes: TypeList { kind == .loop ? startTypes : endTypes }
    }

    /// Prepares validation of the body of defined function `definedFunctionIndex` (0 is the
    /// first function of the function section, not counting imports).
    public init(module: WasmModule, definedFunctionIndex: Int) throws(WasmError) {
        guard definedFunctionIndex >= 0, definedFunctionIndex < module.functionTypeIndices.count,
            definedFunctionIndex < module.codes.count
        else {
            throw WasmError(.invalid, "unknown function \(definedFunctionIndex)")
        }
        let typeIndex = Int(module.functionTypeIndices[definedFunctionIndex])
        guard typeIndex < module.types.count else {
            throw WasmError(.invalid, "unknown type \(typeIndex)")
        }
        let type = module.types[typeIndex]
        let code = module.codes[definedFunctionIndex]
        self.module = module
        self.functionType = module.signature(typeIndex)
        self.locals = type.parameters + code.locals
        self.binaryOffset = code.expression.startIndex
        for local in code.locals { try module.checkTypeIndex(of: local, offset: code.expression.startIndex) }
        let localTypes = locals.map { module.operandType($0) }
        self.localTypes = localTypes
        self.localIsSet = localTypes.indices.map { $0 < type.parameters.count || localTypes[$0].isDefaultable }
        operands.reserveCapacity(16)
        controls.reserveCapacity(8)
        controls.append(ControlFrame(kind: .function, startTypes: .empty, endTypes: .list(functionType.results), height: 0, unreachable: false))
    }

    /// Checks that the body ended: its final `end` closed the function's frame.
    public func finish() throws(WasmError) {
        guard controls.isEmpty else {
            throw WasmError(.malformed, "unexpected end of section or function", offset: binaryOffset)
        }
    }

    // MARK: Queries for the lowering

    /// Whether the code at the current point is unreachable (after `br`, `return`,
    /// `unreachable`, ... until the end of the enclosing block).
    public var isUnreachable: Bool { controls.last?.unreachable ?? true }
    /// Number of open control frames, the function's own included.
    public var controlDepth: Int { controls.count }
    /// Number of operands on the stack.
    public var operandCount: Int { operands.count }
    /// Type of the operand `depth` entries below the top (0 is the top); nil when it is the
    /// polymorphic Unknown or does not exist.
    public func operandType(fromTop depth: Int) -> ValueType? {
        guard depth >= 0, depth < operands.count else { return nil }
        return operands[operands.count - 1 - depth].valueType
    }

    // MARK: Errors

    func invalid(_ message: String) -> WasmError {
        WasmError(.invalid, message, offset: binaryOffset)
    }

    func malformed(_ message: String) -> WasmError {
        WasmError(.malformed, message, offset: binaryOffset)
    }

    /// Every instruction without a visit method of its own arrives here: the atomic
    /// read-modify-writes, which are validated from their description, and otherwise one whose
    /// proposal is enabled but whose validation is not written yet (the decoder has already
    /// refused those of proposals that are off or unsupported).
    public mutating func visit(_ instruction: Instruction) throws(WasmError) {
        if let rmw = AtomicReadModifyWrite(instruction) { return try validate(rmw) }
        throw unimplemented(instruction)
    }

    func unimplemented(_ instruction: Instruction) -> WasmError {
        module.features.rejection(of: instruction, at: binaryOffset)
    }

    // MARK: Operand stack (the spec's push_val / pop_val)

    /// Any instruction after the function's final `end` means the body has bytes left over.
    func requireOpenFrame() throws(WasmError) {
        if controls.isEmpty { throw malformed("section size mismatch") }
    }

    mutating func push(_ type: OperandType) throws(WasmError) {
        try requireOpenFrame()
        operands.append(type)
    }

    mutating func pop() throws(WasmError) -> OperandType {
        guard let frame = controls.last else { throw malformed("section size mismatch") }
        if operands.count == frame.height {
            if frame.unreachable { return .unknown }
            throw invalid("type mismatch")
        }
        return operands.removeLast()
    }

    @discardableResult
    mutating func pop(_ expected: OperandType) throws(WasmError) -> OperandType {
        let actual = try pop()
        guard actual.matches(expected) else { throw invalid("type mismatch") }
        return actual
    }

    mutating func pop(_ types: TypeList) throws(WasmError) {
        var i = types.count
        while i > 0 {
            i -= 1
            try pop(types[i])
        }
    }

    mutating func push(_ types: TypeList) throws(WasmError) {
        try requireOpenFrame()
        for i in 0..<types.count { operands.append(types[i]) }
    }

    mutating func pop(_ types: [OperandType]) throws(WasmError) {
        var i = types.count
        while i > 0 {
            i -= 1
            try pop(types[i])
        }
    }

    mutating func push(_ types: [OperandType]) throws(WasmError) {
        try requireOpenFrame()
        operands.append(contentsOf: types)
    }

    /// Pops a reference operand (the spec's pop_ref): Unknown when the stack is polymorphic.
    mutating func popReference() throws(WasmError) -> OperandType {
        let operand = try pop()
        guard operand.isReference || operand == .unknown else { throw invalid("type mismatch") }
        return operand
    }

    /// Checks that the top of the stack matches `types` without changing it, as the spec's
    /// `push_vals(pop_vals(types))` does for `br_table` targets.
    func peek(_ types: TypeList) throws(WasmError) {
        guard let frame = controls.last else { throw malformed("section size mismatch") }
        let count = types.count
        for i in 0..<count {
            let position = operands.count - 1 - i
            if position < frame.height {
                if frame.unreachable { continue }
                throw invalid("type mismatch")
            }
            guard operands[position].matches(types[count - 1 - i]) else { throw invalid("type mismatch") }
        }
    }

    // MARK: Control stack (the spec's push_ctrl / pop_ctrl / unreachable)

    mutating func pushControl(_ kind: FrameKind, start: TypeList, end: TypeList) throws(WasmError) {
        try requireOpenFrame()
        controls.append(ControlFrame(
            kind: kind, startTypes: start, endTypes: end, height: operands.count, unreachable: false,
            initHeight: localsSetSoFar.count))
        try push(start)
    }

    mutating func popControl() throws(WasmError) -> ControlFrame {
        guard let frame = controls.last else { throw malformed("section size mismatch") }
        try pop(frame.endTypes)
        guard operands.count == frame.height else { throw invalid("type mismatch") }
        controls.removeLast()
        forgetLocalsSet(since: frame.initHeight)
        return frame
    }

    mutating func markUnreachable() throws(WasmError) {
        guard let top = controls.indices.last else { throw malformed("section size mismatch") }
        operands.removeSubrange(controls[top].height...)
        controls[top].unreachable = true
    }

    /// The frame a branch with this relative depth targets.
    func label(_ depth: UInt32) throws(WasmError) -> ControlFrame {
        guard Int(depth) < controls.count else { throw invalid("unknown label \(depth)") }
        return controls[controls.count - 1 - Int(depth)]
    }

    /// Parameter and result types of a block type.
    func blockTypes(_ blockType: BlockType) throws(WasmError) -> (start: TypeList, end: TypeList) {
        switch blockType {
        case .empty:
            return (.empty, .empty)
        case .type(let type):
            return (.empty, .single(try operandType(type)))
        case .funcType(let index):
            guard Int(index) < module.types.count else { throw invalid("unknown type \(index)") }
            let type = module.signature(Int(index))
            if type.parameters.count + type.results.count > 1, !module.features.allows(.multiValue) {
                throw WasmError.unavailable(
                    .multiValue, "a block type with parameters or results", under: module.features,
                    rejectedAs: "invalid result arity", kind: .invalid, offset: binaryOffset)
            }
            return (.list(type.parameters), .list(type.results))
        }
    }

    // MARK: Module lookups

    func functionType(ofFunction index: UInt32) throws(WasmError) -> Signature {
        module.signature(Int(try typeIndex(ofFunction: index)))
    }

    func typeIndex(ofFunction index: UInt32) throws(WasmError) -> UInt32 {
        guard Int(index) < module.allFunctionTypeIndices.count else { throw invalid("unknown function \(index)") }
        let typeIndex = module.allFunctionTypeIndices[Int(index)]
        guard Int(typeIndex) < module.types.count else { throw invalid("unknown type \(typeIndex)") }
        return typeIndex
    }

    /// The signature of type `index`, which must exist.
    func signature(ofType index: UInt32) throws(WasmError) -> Signature {
        guard Int(index) < module.types.count else { throw invalid("unknown type \(index)") }
        return module.signature(Int(index))
    }

    /// An immediate's value type as an operand type: its type index checked, a type Kiln does
    /// not compile refused as the decoder would.
    func operandType(_ type: ValueType) throws(WasmError) -> OperandType {
        try module.checkTypeIndex(of: type, offset: binaryOffset)
        let operand = module.operandType(type)
        if operand == .unsupported { throw unsupportedType(type, rejectedAs: "malformed value type") }
        return operand
    }

    /// A type Kiln does not compile, named by its proposal when the decoder let it through (GC
    /// types, readable when a module's recursion groups switched WasmParser's GC decoding on).
    func unsupportedType(_ type: ValueType, rejectedAs wording: String) -> WasmError {
        if let (feature, name) = ModuleFeatureCheck.introducing(type), !module.features.allows(feature) {
            return WasmError.unavailable(feature, name, under: module.features, rejectedAs: wording, offset: binaryOffset)
        }
        return malformed(wording)
    }

    func tableType(_ index: UInt32) throws(WasmError) -> OperandType {
        guard Int(index) < module.allTableTypes.count else { throw invalid("unknown table \(index)") }
        return module.operandType(module.allTableTypes[Int(index)].elementType)
    }

    /// The type of the table's indices and sizes: i64 for a 64-bit table (table64), else i32.
    func tableIndexType(_ index: UInt32) throws(WasmError) -> OperandType {
        _ = try tableType(index)
        return module.allTableTypes[Int(index)].limits.isMemory64 ? .i64 : .i32
    }

    func requireMemory(_ index: UInt32) throws(WasmError) {
        guard Int(index) < module.allMemoryTypes.count else { throw invalid("unknown memory \(index)") }
    }

    func elementType(_ index: UInt32) throws(WasmError) -> OperandType {
        guard Int(index) < module.elements.count else { throw invalid("unknown elem segment \(index)") }
        return module.operandType(module.elements[Int(index)].type)
    }

    /// `memory.init` and `data.drop` name data segments before the data section is read, which
    /// is why 2.0 requires the data count section for them (a binary-format rule).
    func requireDataSegment(_ index: UInt32) throws(WasmError) {
        guard let count = module.dataCount else { throw malformed("data count section required") }
        guard index < count else { throw invalid("unknown data segment \(index)") }
    }
}
