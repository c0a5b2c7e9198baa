import KilnFrontend
import WasmParser
import WasmTypes

/// Fixed-width SIMD. (Being wired to SimdLowering.)
extension FunctionLowering {
    mutating func visitV128Const(value: V128) throws(WasmError) {
        try validator.visitV128Const(value: value)
        throw unsupported("V128Const")
    }

    mutating func visitI8x16Shuffle(lanes: V128ShuffleMask) throws(WasmError) {
        try validator.visitI8x16Shuffle(lanes: lanes)
        throw unsupported("I8x16Shuffle")
    }

    mutating func visitSimd(_ operand: Instruction.Simd) throws(WasmError) {
        try validator.visitSimd(operand)
        throw unsupported("Simd")
    }

    mutating func visitSimdLane(_ operand: Instruction.SimdLane, lane: UInt8) throws(WasmError) {
        try validator.visitSimdLane(operand, lane: lane)
        throw unsupported("SimdLane")
    }
}
