import WasmParser
import WasmTypes

// The legacy exception instructions (try, catch, catch_all, delegate, rethrow), which toolchains
// still emit. WasmParser does not decode them: LegacyExceptionRewriter gives each a placeholder
// of the same length (block, br, nop) and WasmModule.legacyOpcodes says which placeholders stand
// for what, so the visit methods of the placeholders hand them over to these.
extension FunctionValidator {
    /// `catch`, `delegate` and `rethrow`, all of which stand in a `br`'s place with its immediate.
    mutating func visitLegacy(_ opcode: UInt8, immediate: UInt32) throws(WasmError) {
        switch opcode {
        case LegacyExceptionOpcode.catch: try visitLegacyCatch(tagIndex: immediate)
        case LegacyExceptionOpcode.delegate: try visitLegacyDelegate(relativeDepth: immediate)
        default: try visitLegacyRethrow(relativeDepth: immediate)
        }
    }

    public mutating func visitLegacyTry(blockType: BlockType) throws(WasmError) {
        let (start, end) = try blockTypes(blockType)
        try pop(start)
        try pushControl(.legacyTry, start: start, end: end)
    }

    /// Ends the try body (or the previous catch) as `else` ends an `if`, and starts a handler
    /// whose operands are the tag's parameters.
    public mutating func visitLegacyCatch(tagIndex: UInt32) throws(WasmError) {
        let parameters = try tagParameters(tagIndex)
        let frame = try closeForHandler()
        try pushControl(.legacyCatch, start: .list(parameters), end: frame.endTypes)
    }

    public mutating func visitLegacyCatchAll() throws(WasmError) {
        let frame = try closeForHandler()
        try pushControl(.legacyCatchAll, start: .empty, end: frame.endTypes)
    }

    /// Ends a try body that has no handlers of its own: its exceptions go to the try at `depth`
    /// (counted outside this one), or leave the function when that is the function's label.
    public mutating func visitLegacyDelegate(relativeDepth: UInt32) throws(WasmError) {
        guard let top = controls.last, top.kind == .legacyTry else { throw malformed("delegate without try") }
        let frame = try popControl()
        _ = try label(relativeDepth)
        if controls.isEmpty {
            operands.append(contentsOf: (0..<frame.endTypes.count).lazy.map { frame.endTypes[$0] })
        } else {
            try push(frame.endTypes)
        }
    }

    /// Throws again the exception the handler at `depth` caught.
    public mutating func visitLegacyRethrow(relativeDepth: UInt32) throws(WasmError) {
        let target = try label(relativeDepth)
        guard target.kind == .legacyCatch || target.kind == .legacyCatchAll else { throw invalid("invalid rethrow label") }
        try markUnreachable()
    }

    private mutating func closeForHandler() throws(WasmError) -> ControlFrame {
        guard let top = controls.last else { throw malformed("section size mismatch") }
        guard top.kind == .legacyTry || top.kind == .legacyCatch else { throw malformed("catch without try") }
        return try popControl()
    }
}

/// The opcodes of the legacy exception instructions.
public enum LegacyExceptionOpcode {
    public static let `try`: UInt8 = 0x06
    public static let `catch`: UInt8 = 0x07
    public static let `rethrow`: UInt8 = 0x09
    public static let delegate: UInt8 = 0x18
    public static let catchAll: UInt8 = 0x19
}
