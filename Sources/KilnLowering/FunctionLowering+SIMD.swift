import KilnFrontend
import WasmParser
import WasmTypes

/// Fixed-width SIMD: validation here, the lane arithmetic in the SimdLowering extensions of
/// NumericLowering. SIMD loads and stores are with the other memory instructions.
extension FunctionLowering {
    mutating func visitV128Const(value: V128) throws(WasmError) {
        try validator.visitV128Const(value: value)
        if isReachable { push(numeric.v128Const(value.bytes)) }
    }

    mutating func visitI8x16Shuffle(lanes: V128ShuffleMask) throws(WasmError) {
        try validator.visitI8x16Shuffle(lanes: lanes)
        guard isReachable else { return }
        let second = pop()
        let first = pop()
        push(numeric.i8x16Shuffle(lanes.lanes, first, second))
    }

    mutating func visitSimd(_ op: Instruction.Simd) throws(WasmError) {
        try validator.visitSimd(op)
        guard isReachable else { return }
        let operands = pop(NumericLowering.simdOperandCount(op))
        push(numeric.simd(op, operands))
    }

    mutating func visitSimdLane(_ op: Instruction.SimdLane, lane: UInt8) throws(WasmError) {
        try validator.visitSimdLane(op, lane: lane)
        guard isReachable else { return }
        let operandCount = switch op {
        case .i8x16ReplaceLane, .i16x8ReplaceLane, .i32x4ReplaceLane, .i64x2ReplaceLane, .f32x4ReplaceLane,
             .f64x2ReplaceLane: 2
        default: 1
        }
        push(numeric.simdLane(op, lane: lane, pop(operandCount)))
    }
}
