import CLLVM
import KilnLLVM

/// Lane comparisons (all-ones or all-zeros lanes) and the reductions to an i32.
extension NumericLowering {
    func simdCompare(_ shape: SimdShape, _ predicate: LLVMIntPredicate, _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        let flags = LLVMBuildICmp(builder, predicate, view(a, as: shape), view(b, as: shape), "")!
        return asV128(LLVMBuildSExt(builder, flags, vectorType(shape), ""))
    }

    /// Float lane comparisons, with the scalar predicates (ordered, except `ne`); the result lanes
    /// are integers of the same width.
    func simdCompare(_ shape: SimdShape, _ predicate: LLVMRealPredicate, _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        let flags = LLVMBuildFCmp(builder, predicate, view(a, as: shape), view(b, as: shape), "")!
        let integerLanes = ir.vector(LLVMIntTypeInContext(ir.context, shape.laneBits), shape.laneCount)
        return asV128(LLVMBuildSExt(builder, flags, integerLanes, ""))
    }

    /// `v128.any_true`: any bit set.
    func simdAnyTrue(_ x: LLVMValueRef) -> LLVMValueRef {
        let whole = LLVMBuildBitCast(builder, x, ir.i128, "")
        return boolToI32(LLVMBuildICmp(builder, LLVMIntNE, whole, ir.zero(ir.i128), ""))
    }

    /// `all_true`: every lane non-zero.
    func simdAllTrue(_ shape: SimdShape, _ x: LLVMValueRef) -> LLVMValueRef {
        let typed = view(x, as: shape)
        let nonZero = LLVMBuildICmp(builder, LLVMIntNE, typed, ir.zero(LLVMTypeOf(typed)), "")!
        return boolToI32(intrinsic("llvm.vector.reduce.and", nonZero))
    }

    /// `bitmask`: bit i of the i32 is lane i's sign bit (pmovmskb and friends).
    func simdBitmask(_ shape: SimdShape, _ x: LLVMValueRef) -> LLVMValueRef {
        let typed = view(x, as: shape)
        let negative = LLVMBuildICmp(builder, LLVMIntSLT, typed, ir.zero(LLVMTypeOf(typed)), "")
        let bits = LLVMBuildBitCast(builder, negative, LLVMIntTypeInContext(ir.context, shape.laneCount), "")
        return LLVMBuildZExt(builder, bits, ir.i32, "")
    }
}
