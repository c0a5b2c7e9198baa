import CLLVM
import WasmParser
@testable import KilnLowering

/// Routes a decoded instruction to the numeric lowering, the way the function lowering's
/// InstructionVisitor does. Nil for instructions that are not the numeric lowering's.
func lowerNumeric(_ instruction: Instruction, _ lowering: NumericLowering, _ operands: [LLVMValueRef]) -> LLVMValueRef? {
    switch instruction {
    case .i32Eqz, .i64Eqz: return lowering.eqz(operands[0])
    case .unary(let op): return lowering.unary(op, operands[0])
    case .binary(let op): return lowering.binary(op, operands[0], operands[1])
    case .cmp(let op): return lowering.compare(op, operands[0], operands[1])
    case .conversion(let op): return lowering.convert(op, operands[0])
    case .v128Const(let value): return lowering.v128Const(value.bytes)
    case .i8x16Shuffle(let lanes): return lowering.i8x16Shuffle(lanes.lanes, operands[0], operands[1])
    case .simd(let op): return lowering.simd(op, operands)
    case .simdLane(let op, let lane): return lowering.simdLane(op, lane: lane, operands)
    default: return nil
    }
}

func isNumeric(_ instruction: Instruction) -> Bool {
    switch instruction {
    case .i32Eqz, .i64Eqz, .unary, .binary, .cmp, .conversion, .v128Const, .i8x16Shuffle, .simd, .simdLane: return true
    default: return false
    }
}
