import CLLVM
import KilnLLVM

/// Lane-width changes: extend, extended multiply and pairwise add, dot product, saturating
/// narrow, and the int/float conversions.
extension NumericLowering {
    /// Lanes first..<first+count of a shape-typed vector, as a shorter vector.
    func lanes(_ vector: LLVMValueRef, from first: UInt32, count: UInt32) -> LLVMValueRef {
        shuffle(vector, LLVMGetPoison(LLVMTypeOf(vector)), (first..<first + count).map { $0 })
    }

    /// The low or high half of `vector` (viewed as `shape`), each lane extended to twice its
    /// width: `extend_low/high_*_s/u` and the first step of `extmul`.
    func extendedHalf(_ vector: LLVMValueRef, _ shape: SimdShape, high: Bool, signed: Bool) -> LLVMValueRef {
        let half = shape.laneCount / 2
        let narrow = lanes(view(vector, as: shape), from: high ? half : 0, count: half)
        let wide = vectorType(shape.widened)
        return signed ? LLVMBuildSExt(builder, narrow, wide, "") : LLVMBuildZExt(builder, narrow, wide, "")
    }

    func simdExtend(_ vector: LLVMValueRef, from shape: SimdShape, high: Bool, signed: Bool) -> LLVMValueRef {
        asV128(extendedHalf(vector, shape, high: high, signed: signed))
    }

    /// `extmul_low/high`: products of the extended halves; they cannot overflow the wide lanes.
    func simdExtendedMultiply(_ a: LLVMValueRef, _ b: LLVMValueRef, from shape: SimdShape, high: Bool, signed: Bool) -> LLVMValueRef {
        asV128(LLVMBuildMul(builder, extendedHalf(a, shape, high: high, signed: signed),
                            extendedHalf(b, shape, high: high, signed: signed), ""))
    }

    /// Even and odd lanes of `vector` (viewed as `shape`), each extended to twice the width.
    private func extendedEvenOdd(_ vector: LLVMValueRef, _ shape: SimdShape, signed: Bool) -> (even: LLVMValueRef, odd: LLVMValueRef) {
        let typed = view(vector, as: shape), half = shape.laneCount / 2, wide = vectorType(shape.widened)
        let even = shuffle(typed, LLVMGetPoison(LLVMTypeOf(typed)), (0..<half).map { $0 * 2 })
        let odd = shuffle(typed, LLVMGetPoison(LLVMTypeOf(typed)), (0..<half).map { $0 * 2 + 1 })
        let extend = { (v: LLVMValueRef) in signed ? LLVMBuildSExt(self.builder, v, wide, "")! : LLVMBuildZExt(self.builder, v, wide, "")! }
        return (extend(even), extend(odd))
    }

    /// `extadd_pairwise`: sums of adjacent lanes in lanes twice as wide.
    func simdExtendedPairwiseAdd(_ vector: LLVMValueRef, from shape: SimdShape, signed: Bool) -> LLVMValueRef {
        let (even, odd) = extendedEvenOdd(vector, shape, signed: signed)
        return asV128(LLVMBuildAdd(builder, even, odd, ""))
    }

    /// `i32x4.dot_i16x8_s`: adjacent signed products summed (wrapping only for -32768^2 * 2, as
    /// the spec's modular i32 add does); LLVM selects pmaddwd.
    func simdDotI16x8(_ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        let (evenA, oddA) = extendedEvenOdd(a, .i16x8, signed: true)
        let (evenB, oddB) = extendedEvenOdd(b, .i16x8, signed: true)
        let evenProducts = LLVMBuildMul(builder, evenA, evenB, "")
        let oddProducts = LLVMBuildMul(builder, oddA, oddB, "")
        return asV128(LLVMBuildAdd(builder, evenProducts, oddProducts, ""))
    }

    /// `narrow_*_s/u`: both inputs' signed lanes, saturated to the half-width signed or unsigned
    /// range, a's lanes first.
    func simdNarrow(_ a: LLVMValueRef, _ b: LLVMValueRef, from shape: SimdShape, signed: Bool) -> LLVMValueRef {
        let count = shape.laneCount
        let joined = shuffle(view(a, as: shape), view(b, as: shape), (0..<count * 2).map { $0 })
        let narrowBits = UInt64(shape.laneBits / 2)
        let (low, high): (Int64, Int64) = signed ? (-(1 << (narrowBits - 1)), (1 << (narrowBits - 1)) - 1) : (0, (1 << narrowBits) - 1)
        let joinedType = LLVMTypeOf(joined)!
        let clamped = intrinsic("llvm.smin", intrinsic("llvm.smax", joined, constant(joinedType, UInt64(bitPattern: low))),
                                constant(joinedType, UInt64(bitPattern: high)))
        let narrowType = ir.vector(LLVMIntTypeInContext(ir.context, UInt32(narrowBits)), count * 2)
        return asV128(LLVMBuildTrunc(builder, clamped, narrowType, ""))
    }

    func simdConvertI32x4(_ x: LLVMValueRef, signed: Bool) -> LLVMValueRef {
        let lanes = view(x, as: .i32x4), type = vectorType(.f32x4)
        return asV128(signed ? LLVMBuildSIToFP(builder, lanes, type, "") : LLVMBuildUIToFP(builder, lanes, type, ""))
    }

    /// `f64x2.convert_low_i32x4_s/u`: exact, every i32 fits in a double.
    func simdConvertLowI32x4(_ x: LLVMValueRef, signed: Bool) -> LLVMValueRef {
        let low = lanes(view(x, as: .i32x4), from: 0, count: 2), type = vectorType(.f64x2)
        return asV128(signed ? LLVMBuildSIToFP(builder, low, type, "") : LLVMBuildUIToFP(builder, low, type, ""))
    }

    func simdTruncateSaturatingF32x4(_ x: LLVMValueRef, signed: Bool) -> LLVMValueRef {
        asV128(truncateSaturating(view(x, as: .f32x4), to: vectorType(.i32x4), signed: signed))
    }

    /// `i32x4.trunc_sat_f64x2_s/u_zero`: two saturated results, then two zero lanes.
    func simdTruncateSaturatingF64x2Zero(_ x: LLVMValueRef, signed: Bool) -> LLVMValueRef {
        let two = truncateSaturating(view(x, as: .f64x2), to: ir.vector(ir.i32, 2), signed: signed)
        return asV128(shuffle(two, ir.zero(LLVMTypeOf(two)), [0, 1, 2, 3]))
    }

    /// `f32x4.demote_f64x2_zero`: fptrunc rounds to nearest even and quiets NaNs, as Wasm wants,
    /// unless LLVM folds it with a promotion before it (ArithmeticNaN).
    func simdDemoteF64x2Zero(_ x: LLVMValueRef) -> LLVMValueRef {
        let two = ArithmeticNaN.mark(LLVMBuildFPTrunc(builder, view(x, as: .f64x2), ir.vector(ir.f32, 2), "")!, ir)
        return asV128(shuffle(two, ir.zero(LLVMTypeOf(two)), [0, 1, 2, 3]))
    }

    func simdPromoteLowF32x4(_ x: LLVMValueRef) -> LLVMValueRef {
        asV128(LLVMBuildFPExt(builder, lanes(view(x, as: .f32x4), from: 0, count: 2), vectorType(.f64x2), ""))
    }
}
