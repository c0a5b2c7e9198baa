import CLLVM
import KilnLLVM
import WasmParser

/// Entry point for `visitSimd`: every Instruction.Simd (fixed-width SIMD of Wasm 2.0, plus the
/// relaxed-SIMD opcodes: the host's instruction where SimdLoweringRelaxed picks one, else their
/// deterministic choices here). Memory and lane-memory instructions are the
/// memory lowering's; v128.const, i8x16.shuffle and the lane instructions have their own entries
/// (`v128Const`, `i8x16Shuffle`, `simdLane`).
extension NumericLowering {
    /// Operands in stack order (the deepest first); `simdOperandCount(op)` of them.
    func simd(_ op: Instruction.Simd, _ operands: [LLVMValueRef]) -> LLVMValueRef {
        precondition(operands.count == Self.simdOperandCount(op), "\(op) takes \(Self.simdOperandCount(op)) operands")
        let a = operands[0]
        let b = operands.count > 1 ? operands[1] : a
        let c = operands.count > 2 ? operands[2] : a
        if let result = relaxedOnHost(op, a, b, c) { return result }
        if let result = simdBitwiseOrConversion(op, a, b, c) { return result }
        if let result = simdInteger(op, a, b) { return result }
        if let result = simdFloat(op, a, b, c) { return result }
        return simdComparison(op, a, b)
    }

    /// Operand count of each SIMD instruction (its result is always one value).
    static func simdOperandCount(_ op: Instruction.Simd) -> Int {
        switch op {
        case .v128Bitselect, .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd,
             .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect,
             .i32x4RelaxedDotI8X16I7X16AddS:
            return 3
        case .i8x16Splat, .i16x8Splat, .i32x4Splat, .i64x2Splat, .f32x4Splat, .f64x2Splat,
             .v128Not, .v128AnyTrue,
             .i8x16Abs, .i8x16Neg, .i8x16Popcnt, .i8x16AllTrue, .i8x16Bitmask,
             .i16x8Abs, .i16x8Neg, .i16x8AllTrue, .i16x8Bitmask,
             .i16x8ExtendLowI8X16S, .i16x8ExtendHighI8X16S, .i16x8ExtendLowI8X16U, .i16x8ExtendHighI8X16U,
             .i16x8ExtaddPairwiseI8X16S, .i16x8ExtaddPairwiseI8X16U,
             .i32x4Abs, .i32x4Neg, .i32x4AllTrue, .i32x4Bitmask,
             .i32x4ExtendLowI16X8S, .i32x4ExtendHighI16X8S, .i32x4ExtendLowI16X8U, .i32x4ExtendHighI16X8U,
             .i32x4ExtaddPairwiseI16X8S, .i32x4ExtaddPairwiseI16X8U,
             .i64x2Abs, .i64x2Neg, .i64x2AllTrue, .i64x2Bitmask,
             .i64x2ExtendLowI32X4S, .i64x2ExtendHighI32X4S, .i64x2ExtendLowI32X4U, .i64x2ExtendHighI32X4U,
             .f32x4Ceil, .f32x4Floor, .f32x4Trunc, .f32x4Nearest, .f32x4Abs, .f32x4Neg, .f32x4Sqrt,
             .f64x2Ceil, .f64x2Floor, .f64x2Trunc, .f64x2Nearest, .f64x2Abs, .f64x2Neg, .f64x2Sqrt,
             .i32x4TruncSatF32X4S, .i32x4TruncSatF32X4U, .f32x4ConvertI32X4S, .f32x4ConvertI32X4U,
             .f64x2ConvertLowI32X4S, .f64x2ConvertLowI32X4U, .i32x4TruncSatF64X2SZero, .i32x4TruncSatF64X2UZero,
             .f32x4DemoteF64X2Zero, .f64x2PromoteLowF32X4,
             .i32x4RelaxedTruncF32X4S, .i32x4RelaxedTruncF32X4U, .i32x4RelaxedTruncF64X2SZero, .i32x4RelaxedTruncF64X2UZero:
            return 1
        default:
            return 2
        }
    }

    private func simdBitwiseOrConversion(_ op: Instruction.Simd, _ a: LLVMValueRef, _ b: LLVMValueRef, _ c: LLVMValueRef) -> LLVMValueRef? {
        switch op {
        case .i8x16Splat: splat(a, as: .i8x16)
        case .i16x8Splat: splat(a, as: .i16x8)
        case .i32x4Splat: splat(a, as: .i32x4)
        case .i64x2Splat: splat(a, as: .i64x2)
        case .f32x4Splat: splat(a, as: .f32x4)
        case .f64x2Splat: splat(a, as: .f64x2)
        case .i8x16Swizzle, .i8x16RelaxedSwizzle: i8x16Swizzle(a, b)

        case .v128Not: LLVMBuildNot(builder, a, "")
        case .v128And: LLVMBuildAnd(builder, a, b, "")
        case .v128Andnot: LLVMBuildAnd(builder, a, LLVMBuildNot(builder, b, ""), "")
        case .v128Or: LLVMBuildOr(builder, a, b, "")
        case .v128Xor: LLVMBuildXor(builder, a, b, "")
        // Relaxed laneselect may use only the top bit of each mask lane; bitselect is one allowed result.
        case .v128Bitselect, .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect:
            LLVMBuildOr(builder, LLVMBuildAnd(builder, a, c, ""), LLVMBuildAnd(builder, b, LLVMBuildNot(builder, c, ""), ""), "")
        case .v128AnyTrue: simdAnyTrue(a)

        case .i8x16NarrowI16X8S: simdNarrow(a, b, from: .i16x8, signed: true)
        case .i8x16NarrowI16X8U: simdNarrow(a, b, from: .i16x8, signed: false)
        case .i16x8NarrowI32X4S: simdNarrow(a, b, from: .i32x4, signed: true)
        case .i16x8NarrowI32X4U: simdNarrow(a, b, from: .i32x4, signed: false)
        case .i16x8ExtendLowI8X16S: simdExtend(a, from: .i8x16, high: false, signed: true)
        case .i16x8ExtendHighI8X16S: simdExtend(a, from: .i8x16, high: true, signed: true)
        case .i16x8ExtendLowI8X16U: simdExtend(a, from: .i8x16, high: false, signed: false)
        case .i16x8ExtendHighI8X16U: simdExtend(a, from: .i8x16, high: true, signed: false)
        case .i32x4ExtendLowI16X8S: simdExtend(a, from: .i16x8, high: false, signed: true)
        case .i32x4ExtendHighI16X8S: simdExtend(a, from: .i16x8, high: true, signed: true)
        case .i32x4ExtendLowI16X8U: simdExtend(a, from: .i16x8, high: false, signed: false)
        case .i32x4ExtendHighI16X8U: simdExtend(a, from: .i16x8, high: true, signed: false)
        case .i64x2ExtendLowI32X4S: simdExtend(a, from: .i32x4, high: false, signed: true)
        case .i64x2ExtendHighI32X4S: simdExtend(a, from: .i32x4, high: true, signed: true)
        case .i64x2ExtendLowI32X4U: simdExtend(a, from: .i32x4, high: false, signed: false)
        case .i64x2ExtendHighI32X4U: simdExtend(a, from: .i32x4, high: true, signed: false)
        case .i16x8ExtmulLowI8X16S: simdExtendedMultiply(a, b, from: .i8x16, high: false, signed: true)
        case .i16x8ExtmulHighI8X16S: simdExtendedMultiply(a, b, from: .i8x16, high: true, signed: true)
        case .i16x8ExtmulLowI8X16U: simdExtendedMultiply(a, b, from: .i8x16, high: false, signed: false)
        case .i16x8ExtmulHighI8X16U: simdExtendedMultiply(a, b, from: .i8x16, high: true, signed: false)
        case .i32x4ExtmulLowI16X8S: simdExtendedMultiply(a, b, from: .i16x8, high: false, signed: true)
        case .i32x4ExtmulHighI16X8S: simdExtendedMultiply(a, b, from: .i16x8, high: true, signed: true)
        case .i32x4ExtmulLowI16X8U: simdExtendedMultiply(a, b, from: .i16x8, high: false, signed: false)
        case .i32x4ExtmulHighI16X8U: simdExtendedMultiply(a, b, from: .i16x8, high: true, signed: false)
        case .i64x2ExtmulLowI32X4S: simdExtendedMultiply(a, b, from: .i32x4, high: false, signed: true)
        case .i64x2ExtmulHighI32X4S: simdExtendedMultiply(a, b, from: .i32x4, high: true, signed: true)
        case .i64x2ExtmulLowI32X4U: simdExtendedMultiply(a, b, from: .i32x4, high: false, signed: false)
        case .i64x2ExtmulHighI32X4U: simdExtendedMultiply(a, b, from: .i32x4, high: true, signed: false)
        case .i16x8ExtaddPairwiseI8X16S: simdExtendedPairwiseAdd(a, from: .i8x16, signed: true)
        case .i16x8ExtaddPairwiseI8X16U: simdExtendedPairwiseAdd(a, from: .i8x16, signed: false)
        case .i32x4ExtaddPairwiseI16X8S: simdExtendedPairwiseAdd(a, from: .i16x8, signed: true)
        case .i32x4ExtaddPairwiseI16X8U: simdExtendedPairwiseAdd(a, from: .i16x8, signed: false)
        case .i32x4DotI16X8S: simdDotI16x8(a, b)
        // Relaxed dots: the second operand's lanes read as signed (an allowed choice), sums wrap.
        case .i16x8RelaxedDotI8X16I7X16S: simdRelaxedDot(a, b)
        case .i32x4RelaxedDotI8X16I7X16AddS:
            LLVMBuildAdd(builder, view(simdExtendedPairwiseAdd(simdRelaxedDot(a, b), from: .i16x8, signed: true), as: .i32x4),
                         view(c, as: .i32x4), "").map(asV128)

        case .f32x4ConvertI32X4S: simdConvertI32x4(a, signed: true)
        case .f32x4ConvertI32X4U: simdConvertI32x4(a, signed: false)
        case .i32x4TruncSatF32X4S, .i32x4RelaxedTruncF32X4S: simdTruncateSaturatingF32x4(a, signed: true)
        case .i32x4TruncSatF32X4U, .i32x4RelaxedTruncF32X4U: simdTruncateSaturatingF32x4(a, signed: false)
        case .f64x2ConvertLowI32X4S: simdConvertLowI32x4(a, signed: true)
        case .f64x2ConvertLowI32X4U: simdConvertLowI32x4(a, signed: false)
        case .i32x4TruncSatF64X2SZero, .i32x4RelaxedTruncF64X2SZero: simdTruncateSaturatingF64x2Zero(a, signed: true)
        case .i32x4TruncSatF64X2UZero, .i32x4RelaxedTruncF64X2UZero: simdTruncateSaturatingF64x2Zero(a, signed: false)
        case .f32x4DemoteF64X2Zero: simdDemoteF64x2Zero(a)
        case .f64x2PromoteLowF32X4: simdPromoteLowF32x4(a)
        default: nil
        }
    }

    private func simdRelaxedDot(_ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        let products = view(simdExtendedMultiply(a, b, from: .i8x16, high: false, signed: true), as: .i16x8)
        let highProducts = view(simdExtendedMultiply(a, b, from: .i8x16, high: true, signed: true), as: .i16x8)
        // Products of lanes 0..7 and 8..15; pair them up as (0,1), (2,3), ... across both halves.
        let even = shuffle(products, highProducts, [0, 2, 4, 6, 8, 10, 12, 14])
        let odd = shuffle(products, highProducts, [1, 3, 5, 7, 9, 11, 13, 15])
        return asV128(LLVMBuildAdd(builder, even, odd, ""))
    }

    private func simdInteger(_ op: Instruction.Simd, _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef? {
        let add = { (x: LLVMValueRef, y: LLVMValueRef) in LLVMBuildAdd(self.builder, x, y, "")! }
        let sub = { (x: LLVMValueRef, y: LLVMValueRef) in LLVMBuildSub(self.builder, x, y, "")! }
        let mul = { (x: LLVMValueRef, y: LLVMValueRef) in LLVMBuildMul(self.builder, x, y, "")! }
        switch op {
        case .i8x16Abs: return simdAbs(.i8x16, a)
        case .i16x8Abs: return simdAbs(.i16x8, a)
        case .i32x4Abs: return simdAbs(.i32x4, a)
        case .i64x2Abs: return simdAbs(.i64x2, a)
        case .i8x16Neg: return simdNegate(.i8x16, a)
        case .i16x8Neg: return simdNegate(.i16x8, a)
        case .i32x4Neg: return simdNegate(.i32x4, a)
        case .i64x2Neg: return simdNegate(.i64x2, a)
        case .i8x16Popcnt: return simdPopcount(a)
        case .i8x16AllTrue: return simdAllTrue(.i8x16, a)
        case .i16x8AllTrue: return simdAllTrue(.i16x8, a)
        case .i32x4AllTrue: return simdAllTrue(.i32x4, a)
        case .i64x2AllTrue: return simdAllTrue(.i64x2, a)
        case .i8x16Bitmask: return simdBitmask(.i8x16, a)
        case .i16x8Bitmask: return simdBitmask(.i16x8, a)
        case .i32x4Bitmask: return simdBitmask(.i32x4, a)
        case .i64x2Bitmask: return simdBitmask(.i64x2, a)

        case .i8x16Shl: return simdShift(.i8x16, .left, a, b)
        case .i8x16ShrS: return simdShift(.i8x16, .arithmeticRight, a, b)
        case .i8x16ShrU: return simdShift(.i8x16, .logicalRight, a, b)
        case .i16x8Shl: return simdShift(.i16x8, .left, a, b)
        case .i16x8ShrS: return simdShift(.i16x8, .arithmeticRight, a, b)
        case .i16x8ShrU: return simdShift(.i16x8, .logicalRight, a, b)
        case .i32x4Shl: return simdShift(.i32x4, .left, a, b)
        case .i32x4ShrS: return simdShift(.i32x4, .arithmeticRight, a, b)
        case .i32x4ShrU: return simdShift(.i32x4, .logicalRight, a, b)
        case .i64x2Shl: return simdShift(.i64x2, .left, a, b)
        case .i64x2ShrS: return simdShift(.i64x2, .arithmeticRight, a, b)
        case .i64x2ShrU: return simdShift(.i64x2, .logicalRight, a, b)

        case .i8x16Add: return lanewise(.i8x16, a, b, add)
        case .i16x8Add: return lanewise(.i16x8, a, b, add)
        case .i32x4Add: return lanewise(.i32x4, a, b, add)
        case .i64x2Add: return lanewise(.i64x2, a, b, add)
        case .i8x16Sub: return lanewise(.i8x16, a, b, sub)
        case .i16x8Sub: return lanewise(.i16x8, a, b, sub)
        case .i32x4Sub: return lanewise(.i32x4, a, b, sub)
        case .i64x2Sub: return lanewise(.i64x2, a, b, sub)
        case .i16x8Mul: return lanewise(.i16x8, a, b, mul)
        case .i32x4Mul: return lanewise(.i32x4, a, b, mul)
        case .i64x2Mul: return lanewise(.i64x2, a, b, mul)

        case .i8x16AddSatS: return laneIntrinsic("llvm.sadd.sat", .i8x16, a, b)
        case .i8x16AddSatU: return laneIntrinsic("llvm.uadd.sat", .i8x16, a, b)
        case .i8x16SubSatS: return laneIntrinsic("llvm.ssub.sat", .i8x16, a, b)
        case .i8x16SubSatU: return laneIntrinsic("llvm.usub.sat", .i8x16, a, b)
        case .i16x8AddSatS: return laneIntrinsic("llvm.sadd.sat", .i16x8, a, b)
        case .i16x8AddSatU: return laneIntrinsic("llvm.uadd.sat", .i16x8, a, b)
        case .i16x8SubSatS: return laneIntrinsic("llvm.ssub.sat", .i16x8, a, b)
        case .i16x8SubSatU: return laneIntrinsic("llvm.usub.sat", .i16x8, a, b)

        case .i8x16MinS: return laneIntrinsic("llvm.smin", .i8x16, a, b)
        case .i8x16MinU: return laneIntrinsic("llvm.umin", .i8x16, a, b)
        case .i8x16MaxS: return laneIntrinsic("llvm.smax", .i8x16, a, b)
        case .i8x16MaxU: return laneIntrinsic("llvm.umax", .i8x16, a, b)
        case .i16x8MinS: return laneIntrinsic("llvm.smin", .i16x8, a, b)
        case .i16x8MinU: return laneIntrinsic("llvm.umin", .i16x8, a, b)
        case .i16x8MaxS: return laneIntrinsic("llvm.smax", .i16x8, a, b)
        case .i16x8MaxU: return laneIntrinsic("llvm.umax", .i16x8, a, b)
        case .i32x4MinS: return laneIntrinsic("llvm.smin", .i32x4, a, b)
        case .i32x4MinU: return laneIntrinsic("llvm.umin", .i32x4, a, b)
        case .i32x4MaxS: return laneIntrinsic("llvm.smax", .i32x4, a, b)
        case .i32x4MaxU: return laneIntrinsic("llvm.umax", .i32x4, a, b)
        case .i8x16AvgrU: return simdAverageRoundingUp(.i8x16, a, b)
        case .i16x8AvgrU: return simdAverageRoundingUp(.i16x8, a, b)
        case .i16x8Q15MulrSatS, .i16x8RelaxedQ15MulrS: return simdQ15MultiplyRoundSaturate(a, b)
        default: return nil
        }
    }

    private func simdFloat(_ op: Instruction.Simd, _ a: LLVMValueRef, _ b: LLVMValueRef, _ c: LLVMValueRef) -> LLVMValueRef? {
        switch op {
        case .f32x4Add: simdFloatBinary(.f32x4, .f32Add, a, b)
        case .f32x4Sub: simdFloatBinary(.f32x4, .f32Sub, a, b)
        case .f32x4Mul: simdFloatBinary(.f32x4, .f32Mul, a, b)
        case .f32x4Div: simdFloatBinary(.f32x4, .f32Div, a, b)
        case .f32x4Min, .f32x4RelaxedMin: simdFloatBinary(.f32x4, .f32Min, a, b)
        case .f32x4Max, .f32x4RelaxedMax: simdFloatBinary(.f32x4, .f32Max, a, b)
        case .f64x2Add: simdFloatBinary(.f64x2, .f64Add, a, b)
        case .f64x2Sub: simdFloatBinary(.f64x2, .f64Sub, a, b)
        case .f64x2Mul: simdFloatBinary(.f64x2, .f64Mul, a, b)
        case .f64x2Div: simdFloatBinary(.f64x2, .f64Div, a, b)
        case .f64x2Min, .f64x2RelaxedMin: simdFloatBinary(.f64x2, .f64Min, a, b)
        case .f64x2Max, .f64x2RelaxedMax: simdFloatBinary(.f64x2, .f64Max, a, b)
        case .f32x4Pmin: simdPseudoMinimum(.f32x4, a, b)
        case .f32x4Pmax: simdPseudoMaximum(.f32x4, a, b)
        case .f64x2Pmin: simdPseudoMinimum(.f64x2, a, b)
        case .f64x2Pmax: simdPseudoMaximum(.f64x2, a, b)
        case .f32x4Abs: simdFloatUnary(.f32x4, .f32Abs, a)
        case .f32x4Neg: simdFloatUnary(.f32x4, .f32Neg, a)
        case .f32x4Sqrt: simdFloatUnary(.f32x4, .f32Sqrt, a)
        case .f32x4Ceil: simdFloatUnary(.f32x4, .f32Ceil, a)
        case .f32x4Floor: simdFloatUnary(.f32x4, .f32Floor, a)
        case .f32x4Trunc: simdFloatUnary(.f32x4, .f32Trunc, a)
        case .f32x4Nearest: simdFloatUnary(.f32x4, .f32Nearest, a)
        case .f64x2Abs: simdFloatUnary(.f64x2, .f64Abs, a)
        case .f64x2Neg: simdFloatUnary(.f64x2, .f64Neg, a)
        case .f64x2Sqrt: simdFloatUnary(.f64x2, .f64Sqrt, a)
        case .f64x2Ceil: simdFloatUnary(.f64x2, .f64Ceil, a)
        case .f64x2Floor: simdFloatUnary(.f64x2, .f64Floor, a)
        case .f64x2Trunc: simdFloatUnary(.f64x2, .f64Trunc, a)
        case .f64x2Nearest: simdFloatUnary(.f64x2, .f64Nearest, a)
        case .f32x4RelaxedMadd: simdMultiplyAdd(.f32x4, a, b, c, negate: false)
        case .f32x4RelaxedNmadd: simdMultiplyAdd(.f32x4, a, b, c, negate: true)
        case .f64x2RelaxedMadd: simdMultiplyAdd(.f64x2, a, b, c, negate: false)
        case .f64x2RelaxedNmadd: simdMultiplyAdd(.f64x2, a, b, c, negate: true)
        default: nil
        }
    }

    private func simdComparison(_ op: Instruction.Simd, _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        switch op {
        case .i8x16Eq: simdCompare(.i8x16, LLVMIntEQ, a, b)
        case .i8x16Ne: simdCompare(.i8x16, LLVMIntNE, a, b)
        case .i8x16LtS: simdCompare(.i8x16, LLVMIntSLT, a, b)
        case .i8x16LtU: simdCompare(.i8x16, LLVMIntULT, a, b)
        case .i8x16GtS: simdCompare(.i8x16, LLVMIntSGT, a, b)
        case .i8x16GtU: simdCompare(.i8x16, LLVMIntUGT, a, b)
        case .i8x16LeS: simdCompare(.i8x16, LLVMIntSLE, a, b)
        case .i8x16LeU: simdCompare(.i8x16, LLVMIntULE, a, b)
        case .i8x16GeS: simdCompare(.i8x16, LLVMIntSGE, a, b)
        case .i8x16GeU: simdCompare(.i8x16, LLVMIntUGE, a, b)
        case .i16x8Eq: simdCompare(.i16x8, LLVMIntEQ, a, b)
        case .i16x8Ne: simdCompare(.i16x8, LLVMIntNE, a, b)
        case .i16x8LtS: simdCompare(.i16x8, LLVMIntSLT, a, b)
        case .i16x8LtU: simdCompare(.i16x8, LLVMIntULT, a, b)
        case .i16x8GtS: simdCompare(.i16x8, LLVMIntSGT, a, b)
        case .i16x8GtU: simdCompare(.i16x8, LLVMIntUGT, a, b)
        case .i16x8LeS: simdCompare(.i16x8, LLVMIntSLE, a, b)
        case .i16x8LeU: simdCompare(.i16x8, LLVMIntULE, a, b)
        case .i16x8GeS: simdCompare(.i16x8, LLVMIntSGE, a, b)
        case .i16x8GeU: simdCompare(.i16x8, LLVMIntUGE, a, b)
        case .i32x4Eq: simdCompare(.i32x4, LLVMIntEQ, a, b)
        case .i32x4Ne: simdCompare(.i32x4, LLVMIntNE, a, b)
        case .i32x4LtS: simdCompare(.i32x4, LLVMIntSLT, a, b)
        case .i32x4LtU: simdCompare(.i32x4, LLVMIntULT, a, b)
        case .i32x4GtS: simdCompare(.i32x4, LLVMIntSGT, a, b)
        case .i32x4GtU: simdCompare(.i32x4, LLVMIntUGT, a, b)
        case .i32x4LeS: simdCompare(.i32x4, LLVMIntSLE, a, b)
        case .i32x4LeU: simdCompare(.i32x4, LLVMIntULE, a, b)
        case .i32x4GeS: simdCompare(.i32x4, LLVMIntSGE, a, b)
        case .i32x4GeU: simdCompare(.i32x4, LLVMIntUGE, a, b)
        case .i64x2Eq: simdCompare(.i64x2, LLVMIntEQ, a, b)
        case .i64x2Ne: simdCompare(.i64x2, LLVMIntNE, a, b)
        case .i64x2LtS: simdCompare(.i64x2, LLVMIntSLT, a, b)
        case .i64x2GtS: simdCompare(.i64x2, LLVMIntSGT, a, b)
        case .i64x2LeS: simdCompare(.i64x2, LLVMIntSLE, a, b)
        case .i64x2GeS: simdCompare(.i64x2, LLVMIntSGE, a, b)
        case .f32x4Eq: simdCompare(.f32x4, LLVMRealOEQ, a, b)
        case .f32x4Ne: simdCompare(.f32x4, LLVMRealUNE, a, b)
        case .f32x4Lt: simdCompare(.f32x4, LLVMRealOLT, a, b)
        case .f32x4Gt: simdCompare(.f32x4, LLVMRealOGT, a, b)
        case .f32x4Le: simdCompare(.f32x4, LLVMRealOLE, a, b)
        case .f32x4Ge: simdCompare(.f32x4, LLVMRealOGE, a, b)
        case .f64x2Eq: simdCompare(.f64x2, LLVMRealOEQ, a, b)
        case .f64x2Ne: simdCompare(.f64x2, LLVMRealUNE, a, b)
        case .f64x2Lt: simdCompare(.f64x2, LLVMRealOLT, a, b)
        case .f64x2Gt: simdCompare(.f64x2, LLVMRealOGT, a, b)
        case .f64x2Le: simdCompare(.f64x2, LLVMRealOLE, a, b)
        case .f64x2Ge: simdCompare(.f64x2, LLVMRealOGE, a, b)
        default: preconditionFailure("SIMD instruction without a lowering: \(op)")
        }
    }
}
