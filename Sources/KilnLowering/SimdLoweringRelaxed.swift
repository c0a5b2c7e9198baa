import CLLVM
import KilnLLVM
import KilnRuntimeC
import WasmParser

/// How relaxed-SIMD instructions are lowered. The proposal lets each one return any of a few
/// listed results where its inputs are out of the common range (an out-of-range swizzle index, a
/// NaN, a float past an integer's range), precisely so that every CPU can use its own instruction.
///
/// `host` (the default) takes the target CPU's instruction where it is faster than the
/// deterministic choice and its result is one of those the proposal lists; the same module may
/// then compute different bits on different CPUs, and the CPU's features are in every cache key.
/// `deterministic` (`kiln compile --deterministic-relaxed-simd`, also in the cache key) gives
/// every relaxed instruction the result of its non-relaxed counterpart (SimdLoweringDispatch),
/// the same bits everywhere.
public struct RelaxedSimdChoice: Sendable, Hashable {
    let isDeterministic: Bool
    /// x86-64, whose SSE2 every such CPU has; the other two are the CPU's.
    let isX86_64: Bool
    let hasSSSE3: Bool
    let hasSSE41: Bool
    /// A fused multiply-add instruction (x86's FMA, every AArch64).
    let hasFMA: Bool

    public static let deterministic = RelaxedSimdChoice(
        isDeterministic: true, isX86_64: false, hasSSSE3: false, hasSSE41: false, hasFMA: false)

    /// The target's fastest allowed instructions; `cpuFeatures` are the KILN_CPU_* bits of the CPU
    /// the code is compiled for. Elsewhere than x86-64 only the portable forms (fused
    /// multiply-add, compare-and-select min and max) are used.
    public static func host(triple: String, cpuFeatures: UInt32) -> RelaxedSimdChoice {
        let isX86_64 = triple.hasPrefix("x86_64")
        func has(_ feature: kiln_cpu_feature) -> Bool { isX86_64 && cpuFeatures & feature.rawValue != 0 }
        return RelaxedSimdChoice(
            isDeterministic: false, isX86_64: isX86_64, hasSSSE3: has(KILN_CPU_SSSE3), hasSSE41: has(KILN_CPU_SSE41),
            hasFMA: has(KILN_CPU_FMA) || triple.hasPrefix("aarch64"))
    }
}

extension NumericLowering {
    /// The host lowering of a relaxed instruction, or nil to use the deterministic one (always
    /// with `.deterministic`, and for an instruction the CPU has nothing faster for).
    func relaxedOnHost(_ op: Instruction.Simd, _ a: LLVMValueRef, _ b: LLVMValueRef, _ c: LLVMValueRef) -> LLVMValueRef? {
        guard !relaxed.isDeterministic else { return nil }
        switch op {
        // One rounding, where the CPU fuses. Not llvm.fmuladd ("fuse if profitable"): LLVM folds
        // constant operands fused and emits a multiply and an add without FMA, so one module
        // would give both results (relaxed_madd_nmadd.wast's consistency test).
        case .f32x4RelaxedMadd where relaxed.hasFMA: return fusedMultiplyAdd(.f32x4, a, b, c, negate: false)
        case .f32x4RelaxedNmadd where relaxed.hasFMA: return fusedMultiplyAdd(.f32x4, a, b, c, negate: true)
        case .f64x2RelaxedMadd where relaxed.hasFMA: return fusedMultiplyAdd(.f64x2, a, b, c, negate: false)
        case .f64x2RelaxedNmadd where relaxed.hasFMA: return fusedMultiplyAdd(.f64x2, a, b, c, negate: true)
        // minps/maxps: a < b ? a : b (a > b ? a : b). A NaN or a pair of zeros gives b, one of the
        // allowed results. On x86-64 the instructions themselves: LLVM turns a chain of such
        // selects into compares and blends.
        case .f32x4RelaxedMin: return minimumOrMaximum(.f32x4, "llvm.x86.sse.min.ps", LLVMRealOLT, a, b)
        case .f32x4RelaxedMax: return minimumOrMaximum(.f32x4, "llvm.x86.sse.max.ps", LLVMRealOGT, a, b)
        case .f64x2RelaxedMin: return minimumOrMaximum(.f64x2, "llvm.x86.sse2.min.pd", LLVMRealOLT, a, b)
        case .f64x2RelaxedMax: return minimumOrMaximum(.f64x2, "llvm.x86.sse2.max.pd", LLVMRealOGT, a, b)
        // cvttps2dq and cvttpd2dq (SSE2): INT32_MIN for a NaN or an out-of-range lane, which is
        // allowed. The unsigned forms have no such instruction before AVX-512 and stay saturating.
        case .i32x4RelaxedTruncF32X4S where relaxed.isX86_64:
            return asV128(ir.callIntrinsic("llvm.x86.sse2.cvttps2dq", [], [view(a, as: .f32x4)]))
        case .i32x4RelaxedTruncF64X2SZero where relaxed.isX86_64:
            return asV128(ir.callIntrinsic("llvm.x86.sse2.cvttpd2dq", [], [view(a, as: .f64x2)]))
        // pshufb: an index of 16 or more with its top bit clear picks lane index % 16 instead of 0.
        case .i8x16RelaxedSwizzle where relaxed.hasSSSE3:
            return asV128(ir.callIntrinsic("llvm.x86.ssse3.pshuf.b.128", [], [view(a, as: .i8x16), view(b, as: .i8x16)]))
        // pmulhrsw: 0x8000 * 0x8000 gives 0x8000 rather than the saturated 0x7fff.
        case .i16x8RelaxedQ15MulrS where relaxed.hasSSSE3:
            return asV128(ir.callIntrinsic("llvm.x86.ssse3.pmul.hr.sw.128", [], [view(a, as: .i16x8), view(b, as: .i16x8)]))
        // pmaddubsw reads its first operand unsigned and its second signed, so b (the 7-bit one)
        // goes first: a b lane with its top bit set reads as unsigned, and pair sums saturate.
        case .i16x8RelaxedDotI8X16I7X16S where relaxed.hasSSSE3:
            return asV128(unsignedBySignedDot(a, b))
        case .i32x4RelaxedDotI8X16I7X16AddS where relaxed.hasSSSE3:
            let ones = constantVector(Array(repeating: LLVMConstInt(ir.i16, 1, 0)!, count: 8))
            let sums = ir.callIntrinsic("llvm.x86.sse2.pmadd.wd", [], [unsignedBySignedDot(a, b), ones])
            return asV128(LLVMBuildAdd(builder, sums, view(c, as: .i32x4), "")!)
        // pblendvb, blendvps, blendvpd: only the top bit of each mask lane selects.
        case .i8x16RelaxedLaneselect where relaxed.hasSSE41: return topBitSelect(.i8x16, a, b, mask: c)
        case .i16x8RelaxedLaneselect where relaxed.hasSSE41: return topBitSelect(.i16x8, a, b, mask: c)
        case .i32x4RelaxedLaneselect where relaxed.hasSSE41: return topBitSelect(.i32x4, a, b, mask: c)
        case .i64x2RelaxedLaneselect where relaxed.hasSSE41: return topBitSelect(.i64x2, a, b, mask: c)
        default: return nil
        }
    }

    private func fusedMultiplyAdd(_ shape: SimdShape, _ a: LLVMValueRef, _ b: LLVMValueRef, _ c: LLVMValueRef, negate: Bool) -> LLVMValueRef {
        let type = vectorType(shape)
        let factor = negate ? LLVMBuildFNeg(builder, view(a, as: shape), "")! : view(a, as: shape)
        return asV128(ir.callIntrinsic("llvm.fma", [type], [factor, view(b, as: shape), view(c, as: shape)]))
    }

    private func minimumOrMaximum(
        _ shape: SimdShape, _ x86: String, _ predicate: LLVMRealPredicate, _ a: LLVMValueRef, _ b: LLVMValueRef
    ) -> LLVMValueRef {
        let x = view(a, as: shape), y = view(b, as: shape)
        if relaxed.isX86_64 { return asV128(ir.callIntrinsic(x86, [], [x, y])) }
        return asV128(LLVMBuildSelect(builder, LLVMBuildFCmp(builder, predicate, x, y, ""), x, y, "")!)
    }

    private func unsignedBySignedDot(_ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        ir.callIntrinsic("llvm.x86.ssse3.pmadd.ub.sw.128", [], [view(b, as: .i8x16), view(a, as: .i8x16)])
    }

    private func topBitSelect(_ shape: SimdShape, _ a: LLVMValueRef, _ b: LLVMValueRef, mask: LLVMValueRef) -> LLVMValueRef {
        let lanes = view(mask, as: shape)
        let negative = LLVMBuildICmp(builder, LLVMIntSLT, lanes, ir.zero(vectorType(shape)), "")!
        return asV128(LLVMBuildSelect(builder, negative, view(a, as: shape), view(b, as: shape), "")!)
    }
}
