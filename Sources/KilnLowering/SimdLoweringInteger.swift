import CLLVM
import KilnLLVM

/// Integer lane arithmetic. Wasm's integer lanes wrap like scalars, so plain LLVM vector
/// operations (no nsw/nuw) and the generic saturating/min/max/abs intrinsics express them
/// exactly; LLVM's x86 backend selects the matching SSE instructions.
extension NumericLowering {
    /// Applies `build` to both operands viewed as `shape`, returning a v128.
    func lanewise(_ shape: SimdShape, _ a: LLVMValueRef, _ b: LLVMValueRef,
                  _ build: (LLVMValueRef, LLVMValueRef) -> LLVMValueRef) -> LLVMValueRef {
        asV128(build(view(a, as: shape), view(b, as: shape)))
    }

    func lanewise(_ shape: SimdShape, _ x: LLVMValueRef, _ build: (LLVMValueRef) -> LLVMValueRef) -> LLVMValueRef {
        asV128(build(view(x, as: shape)))
    }

    /// A lane-wise overloaded intrinsic such as llvm.sadd.sat or llvm.umin.
    func laneIntrinsic(_ name: String, _ shape: SimdShape, _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        lanewise(shape, a, b) { intrinsic(name, $0, $1) }
    }

    func simdNegate(_ shape: SimdShape, _ x: LLVMValueRef) -> LLVMValueRef {
        lanewise(shape, x) { LLVMBuildSub(builder, ir.zero(LLVMTypeOf($0)), $0, "") }
    }

    /// `abs`: the minimum lane value stays as it is (it has no positive counterpart), so the
    /// intrinsic's is_int_min_poison flag must be false.
    func simdAbs(_ shape: SimdShape, _ x: LLVMValueRef) -> LLVMValueRef {
        lanewise(shape, x) { intrinsic("llvm.abs", $0, LLVMConstInt(ir.i1, 0, 0)) }
    }

    enum ShiftKind { case left, arithmeticRight, logicalRight }

    /// Shifts every lane by the i32 `count` taken modulo the lane width, as Wasm specifies.
    func simdShift(_ shape: SimdShape, _ kind: ShiftKind, _ vector: LLVMValueRef, _ count: LLVMValueRef) -> LLVMValueRef {
        let masked = LLVMBuildAnd(builder, count, ir.i32(shape.laneBits - 1), "")!
        let laneCount = shape == .i64x2 ? LLVMBuildZExt(builder, masked, ir.i64, "")!
            : shape == .i32x4 ? masked : LLVMBuildTrunc(builder, masked, laneType(shape), "")!
        let counts = splatVector(laneCount, count: shape.laneCount)
        return lanewise(shape, vector) { lanes in
            switch kind {
            case .left: LLVMBuildShl(builder, lanes, counts, "")
            case .arithmeticRight: LLVMBuildAShr(builder, lanes, counts, "")
            case .logicalRight: LLVMBuildLShr(builder, lanes, counts, "")
            }
        }
    }

    /// `avgr_u`: (a + b + 1) / 2 without losing the carry, computed in lanes twice as wide; LLVM
    /// recognises the pattern as pavgb/pavgw.
    func simdAverageRoundingUp(_ shape: SimdShape, _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        let wide = ir.vector(LLVMIntTypeInContext(ir.context, shape.laneBits * 2), shape.laneCount)
        return lanewise(shape, a, b) { a, b in
            let sum = LLVMBuildAdd(builder, LLVMBuildZExt(builder, a, wide, ""), LLVMBuildZExt(builder, b, wide, ""), "")!
            let rounded = LLVMBuildAdd(builder, sum, constant(wide, 1), "")!
            return LLVMBuildTrunc(builder, LLVMBuildLShr(builder, rounded, constant(wide, 1), ""), LLVMTypeOf(a), "")
        }
    }

    /// `i16x8.q15mulr_sat_s`: (a * b + 2^14) >> 15, saturated. Only -32768 * -32768 overflows.
    func simdQ15MultiplyRoundSaturate(_ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        let wide8 = ir.vector(ir.i32, 8)
        return lanewise(.i16x8, a, b) { a, b in
            let product = LLVMBuildMul(builder, LLVMBuildSExt(builder, a, wide8, ""), LLVMBuildSExt(builder, b, wide8, ""), "")!
            let rounded = LLVMBuildAdd(builder, product, constant(wide8, 0x4000), "")!
            let shifted = LLVMBuildAShr(builder, rounded, constant(wide8, 15), "")!
            let clamped = intrinsic("llvm.smin", shifted, constant(wide8, 0x7fff))
            return LLVMBuildTrunc(builder, clamped, LLVMTypeOf(a), "")
        }
    }

    func simdPopcount(_ x: LLVMValueRef) -> LLVMValueRef {
        lanewise(.i8x16, x) { intrinsic("llvm.ctpop", $0) }
    }
}
