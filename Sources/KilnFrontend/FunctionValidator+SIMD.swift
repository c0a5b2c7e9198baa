import WasmParser
import WasmTypes

// The fixed-width SIMD instructions of 2.0 and the relaxed SIMD ones of 3.0 (which share
// WasmParser's `Simd` enum; `Feature.introducing` gates them).
extension FunctionValidator {
    /// Operand shapes of the plain SIMD instructions.
    enum SimdShape {
        case unary  // v128 -> v128
        case binary  // v128 v128 -> v128
        case ternary  // v128 v128 v128 -> v128
        case test  // v128 -> i32
        case shift  // v128 i32 -> v128
        case splat(OperandType)  // scalar -> v128
    }

    static func shape(_ simd: Instruction.Simd) -> SimdShape {
        switch simd {
        case .i8x16Splat, .i16x8Splat, .i32x4Splat: .splat(.i32)
        case .i64x2Splat: .splat(.i64)
        case .f32x4Splat: .splat(.f32)
        case .f64x2Splat: .splat(.f64)
        case .v128Bitselect,
            .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd,
            .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect,
            .i32x4RelaxedDotI8X16I7X16AddS:
            .ternary
        case .v128AnyTrue, .i8x16AllTrue, .i16x8AllTrue, .i32x4AllTrue, .i64x2AllTrue,
            .i8x16Bitmask, .i16x8Bitmask, .i32x4Bitmask, .i64x2Bitmask:
            .test
        case .i8x16Shl, .i8x16ShrS, .i8x16ShrU, .i16x8Shl, .i16x8ShrS, .i16x8ShrU,
            .i32x4Shl, .i32x4ShrS, .i32x4ShrU, .i64x2Shl, .i64x2ShrS, .i64x2ShrU:
            .shift
        case .v128Not,
            .i8x16Abs, .i8x16Neg, .i8x16Popcnt,
            .i16x8Abs, .i16x8Neg, .i32x4Abs, .i32x4Neg, .i64x2Abs, .i64x2Neg,
            .i16x8ExtendLowI8X16S, .i16x8ExtendHighI8X16S, .i16x8ExtendLowI8X16U, .i16x8ExtendHighI8X16U,
            .i32x4ExtendLowI16X8S, .i32x4ExtendHighI16X8S, .i32x4ExtendLowI16X8U, .i32x4ExtendHighI16X8U,
            .i64x2ExtendLowI32X4S, .i64x2ExtendHighI32X4S, .i64x2ExtendLowI32X4U, .i64x2ExtendHighI32X4U,
            .i16x8ExtaddPairwiseI8X16S, .i16x8ExtaddPairwiseI8X16U,
            .i32x4ExtaddPairwiseI16X8S, .i32x4ExtaddPairwiseI16X8U,
            .f32x4Ceil, .f32x4Floor, .f32x4Trunc, .f32x4Nearest, .f32x4Abs, .f32x4Neg, .f32x4Sqrt,
            .f64x2Ceil, .f64x2Floor, .f64x2Trunc, .f64x2Nearest, .f64x2Abs, .f64x2Neg, .f64x2Sqrt,
            .i32x4TruncSatF32X4S, .i32x4TruncSatF32X4U, .f32x4ConvertI32X4S, .f32x4ConvertI32X4U,
            .f64x2ConvertLowI32X4S, .f64x2ConvertLowI32X4U, .i32x4TruncSatF64X2SZero, .i32x4TruncSatF64X2UZero,
            .f32x4DemoteF64X2Zero, .f64x2PromoteLowF32X4,
            .i32x4RelaxedTruncF32X4S, .i32x4RelaxedTruncF32X4U, .i32x4RelaxedTruncF64X2SZero, .i32x4RelaxedTruncF64X2UZero:
            .unary
        case .i8x16Swizzle,
            .i8x16Eq, .i8x16Ne, .i8x16LtS, .i8x16LtU, .i8x16GtS, .i8x16GtU, .i8x16LeS, .i8x16LeU, .i8x16GeS, .i8x16GeU,
            .i16x8Eq, .i16x8Ne, .i16x8LtS, .i16x8LtU, .i16x8GtS, .i16x8GtU, .i16x8LeS, .i16x8LeU, .i16x8GeS, .i16x8GeU,
            .i32x4Eq, .i32x4Ne, .i32x4LtS, .i32x4LtU, .i32x4GtS, .i32x4GtU, .i32x4LeS, .i32x4LeU, .i32x4GeS, .i32x4GeU,
            .i64x2Eq, .i64x2Ne, .i64x2LtS, .i64x2GtS, .i64x2LeS, .i64x2GeS,
            .f32x4Eq, .f32x4Ne, .f32x4Lt, .f32x4Gt, .f32x4Le, .f32x4Ge,
            .f64x2Eq, .f64x2Ne, .f64x2Lt, .f64x2Gt, .f64x2Le, .f64x2Ge,
            .v128And, .v128Andnot, .v128Or, .v128Xor,
            .i8x16NarrowI16X8S, .i8x16NarrowI16X8U, .i16x8NarrowI32X4S, .i16x8NarrowI32X4U,
            .i8x16Add, .i8x16AddSatS, .i8x16AddSatU, .i8x16Sub, .i8x16SubSatS, .i8x16SubSatU,
            .i8x16MinS, .i8x16MinU, .i8x16MaxS, .i8x16MaxU, .i8x16AvgrU,
            .i16x8Add, .i16x8AddSatS, .i16x8AddSatU, .i16x8Sub, .i16x8SubSatS, .i16x8SubSatU, .i16x8Mul,
            .i16x8MinS, .i16x8MinU, .i16x8MaxS, .i16x8MaxU, .i16x8AvgrU, .i16x8Q15MulrSatS,
            .i32x4Add, .i32x4Sub, .i32x4Mul, .i32x4MinS, .i32x4MinU, .i32x4MaxS, .i32x4MaxU, .i32x4DotI16X8S,
            .i64x2Add, .i64x2Sub, .i64x2Mul,
            .i16x8ExtmulLowI8X16S, .i16x8ExtmulHighI8X16S, .i16x8ExtmulLowI8X16U, .i16x8ExtmulHighI8X16U,
            .i32x4ExtmulLowI16X8S, .i32x4ExtmulHighI16X8S, .i32x4ExtmulLowI16X8U, .i32x4ExtmulHighI16X8U,
            .i64x2ExtmulLowI32X4S, .i64x2ExtmulHighI32X4S, .i64x2ExtmulLowI32X4U, .i64x2ExtmulHighI32X4U,
            .f32x4Add, .f32x4Sub, .f32x4Mul, .f32x4Div, .f32x4Min, .f32x4Max, .f32x4Pmin, .f32x4Pmax,
            .f64x2Add, .f64x2Sub, .f64x2Mul, .f64x2Div, .f64x2Min, .f64x2Max, .f64x2Pmin, .f64x2Pmax,
            .i8x16RelaxedSwizzle, .f32x4RelaxedMin, .f32x4RelaxedMax, .f64x2RelaxedMin, .f64x2RelaxedMax,
            .i16x8RelaxedQ15MulrS, .i16x8RelaxedDotI8X16I7X16S:
            .binary
        }
    }

    public mutating func visitV128Const(value: V128) throws(WasmError) {
        try push(.v128)
    }

    public mutating func visitI8x16Shuffle(lanes: V128ShuffleMask) throws(WasmError) {
        for lane in lanes.lanes where lane >= 32 { throw invalid("invalid lane index") }
        try pop(.v128)
        try pop(.v128)
        try push(.v128)
    }

    public mutating func visitSimd(_ simd: Instruction.Simd) throws(WasmError) {
        switch Self.shape(simd) {
        case .unary:
            try pop(.v128)
            try push(.v128)
        case .binary:
            try pop(.v128)
            try pop(.v128)
            try push(.v128)
        case .ternary:
            try pop(.v128)
            try pop(.v128)
            try pop(.v128)
            try push(.v128)
        case .test:
            try pop(.v128)
            try push(.i32)
        case .shift:
            try pop(.i32)
            try pop(.v128)
            try push(.v128)
        case .splat(let scalar):
            try pop(scalar)
            try push(.v128)
        }
    }

    public mutating func visitSimdLane(_ simdLane: Instruction.SimdLane, lane: UInt8) throws(WasmError) {
        let laneCount: UInt8
        let scalar: OperandType
        let isReplace: Bool
        switch simdLane {
        case .i8x16ExtractLaneS, .i8x16ExtractLaneU: (laneCount, scalar, isReplace) = (16, .i32, false)
        case .i8x16ReplaceLane: (laneCount, scalar, isReplace) = (16, .i32, true)
        case .i16x8ExtractLaneS, .i16x8ExtractLaneU: (laneCount, scalar, isReplace) = (8, .i32, false)
        case .i16x8ReplaceLane: (laneCount, scalar, isReplace) = (8, .i32, true)
        case .i32x4ExtractLane: (laneCount, scalar, isReplace) = (4, .i32, false)
        case .i32x4ReplaceLane: (laneCount, scalar, isReplace) = (4, .i32, true)
        case .i64x2ExtractLane: (laneCount, scalar, isReplace) = (2, .i64, false)
        case .i64x2ReplaceLane: (laneCount, scalar, isReplace) = (2, .i64, true)
        case .f32x4ExtractLane: (laneCount, scalar, isReplace) = (4, .f32, false)
        case .f32x4ReplaceLane: (laneCount, scalar, isReplace) = (4, .f32, true)
        case .f64x2ExtractLane: (laneCount, scalar, isReplace) = (2, .f64, false)
        case .f64x2ReplaceLane: (laneCount, scalar, isReplace) = (2, .f64, true)
        }
        guard lane < laneCount else { throw invalid("invalid lane index") }
        if isReplace {
            try pop(scalar)
            try pop(.v128)
            try push(.v128)
        } else {
            try pop(.v128)
            try push(scalar)
        }
    }

    public mutating func visitSimdMemLane(_ simdMemLane: Instruction.SimdMemLane, memarg: MemArg, lane: UInt8) throws(WasmError) {
        let naturalAlignment: Int
        let isStore: Bool
        switch simdMemLane {
        case .v128Load8Lane: (naturalAlignment, isStore) = (0, false)
        case .v128Load16Lane: (naturalAlignment, isStore) = (1, false)
        case .v128Load32Lane: (naturalAlignment, isStore) = (2, false)
        case .v128Load64Lane: (naturalAlignment, isStore) = (3, false)
        case .v128Store8Lane: (naturalAlignment, isStore) = (0, true)
        case .v128Store16Lane: (naturalAlignment, isStore) = (1, true)
        case .v128Store32Lane: (naturalAlignment, isStore) = (2, true)
        case .v128Store64Lane: (naturalAlignment, isStore) = (3, true)
        }
        let address = try addressType(memarg)
        try checkAlignment(memarg, natural: naturalAlignment)
        // Lanes are 2^alignment bytes wide, so there are 16 >> alignment of them.
        guard Int(lane) < 16 >> naturalAlignment else { throw invalid("invalid lane index") }
        try pop(.v128)
        try pop(address)
        if !isStore { try push(.v128) }
    }
}
