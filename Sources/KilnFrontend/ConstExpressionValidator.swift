import WasmParser
import WasmTypes

/// Validates a constant expression (global initialisers, segment offsets, element initialisers):
/// only constants, `ref.null`, `ref.func`, `global.get` of an immutable imported global and, with
/// extended constant expressions, i32 and i64 `add`, `sub` and `mul`, leaving exactly one value
/// of the expected type.
struct ConstExpressionValidator {
    let module: WasmModule
    /// Offset reported with errors (the start of the section holding the expression).
    let offset: Int?

    func validate(_ expression: ConstExpression, expecting expected: OperandType) throws(WasmError) {
        var stack: [OperandType] = []
        for (position, instruction) in expression.enumerated() {
            switch instruction {
            case .i32Const: stack.append(.i32)
            case .i64Const: stack.append(.i64)
            case .f32Const: stack.append(.f32)
            case .f64Const: stack.append(.f64)
            case .v128Const: stack.append(.v128)
            case .refNull(let heapType):
                try module.checkTypeIndex(of: heapType, offset: offset)
                let type = module.operandType(ReferenceType(isNullable: true, heapType: heapType))
                guard type != .unsupported else { throw WasmError(.malformed, "malformed reference type", offset: offset) }
                stack.append(type)
            case .refFunc(let index):
                guard Int(index) < module.allFunctionTypeIndices.count else {
                    throw WasmError(.invalid, "unknown function \(index)", offset: offset)
                }
                let typeIndex = module.allFunctionTypeIndices[Int(index)]
                stack.append(module.operandType(ReferenceType(isNullable: false, heapType: .concrete(typeIndex: typeIndex))))
            case .globalGet(let index):
                // 2.0 lets constant expressions see only imported globals, and only immutable
                // ones count as constant.
                guard Int(index) < module.importedGlobalCount else {
                    throw WasmError(.invalid, "unknown global \(index)", offset: offset)
                }
                let type = module.allGlobalTypes[Int(index)]
                guard type.mutability == .constant else {
                    throw WasmError(.invalid, "constant expression required", offset: offset)
                }
                stack.append(module.operandType(type.valueType))
            case .binary(let operation):
                guard module.features.allows(.extendedConstantExpressions), let type = Self.operandType(ofExtended: operation) else {
                    throw rejection(of: instruction)
                }
                guard stack.count >= 2, stack.removeLast() == type, stack.removeLast() == type else {
                    throw WasmError(.invalid, "type mismatch", offset: offset)
                }
                stack.append(type)
            case .end:
                guard position == expression.count - 1 else {
                    throw WasmError(.invalid, "constant expression required", offset: offset)
                }
            default:
                throw rejection(of: instruction)
            }
        }
        guard stack.count == 1, stack[0].matches(expected) else {
            throw WasmError(.invalid, "type mismatch", offset: offset)
        }
    }

    /// The operand type of an arithmetic instruction that extended constant expressions allow.
    private static func operandType(ofExtended operation: Instruction.Binary) -> OperandType? {
        switch operation {
        case .i32Add, .i32Sub, .i32Mul: .i32
        case .i64Add, .i64Sub, .i64Mul: .i64
        default: nil
        }
    }

    /// Why `instruction` may not appear in a constant expression: its proposal is off, or it is
    /// an arithmetic instruction that only extended constant expressions allow there.
    private func rejection(of instruction: Instruction) -> WasmError {
        let features = module.features
        if !features.allows(Feature.introducing(instruction)) {
            return features.rejection(of: instruction, at: offset ?? 0)
        }
        switch instruction {
        case .binary(.i32Add), .binary(.i32Sub), .binary(.i32Mul), .binary(.i64Add), .binary(.i64Sub), .binary(.i64Mul):
            return WasmError.unavailable(
                .extendedConstantExpressions, "\(InstructionName.of(instruction)) in a constant expression", under: features,
                rejectedAs: "constant expression required", kind: .invalid, offset: offset)
        default:
            return WasmError(.invalid, "constant expression required", offset: offset)
        }
    }
}
