import CLLVM
import KilnLLVM
import WasmParser

/// Float lane arithmetic. The scalar helpers are shape-agnostic, so each lane gets exactly the
/// scalar semantics (NaN quieting, -0 < +0 in min/max, round-half-even nearest).
extension NumericLowering {
    /// Runs a scalar float binary lowering (`.f32Add` etc.; the operand types decide the width)
    /// on the lanes of `shape`.
    func simdFloatBinary(_ shape: SimdShape, _ scalarOp: Instruction.Binary, _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        lanewise(shape, a, b) { floatBinary(scalarOp, $0, $1) }
    }

    func simdFloatUnary(_ shape: SimdShape, _ scalarOp: Instruction.Unary, _ x: LLVMValueRef) -> LLVMValueRef {
        lanewise(shape, x) { floatUnary(scalarOp, $0) }
    }

    /// `pmin`: b < a ? b : a, lane-wise, exactly as the spec defines it (so NaNs and signed zeros
    /// pass through from a unless b is strictly less); x86 minps computes this very expression.
    func simdPseudoMinimum(_ shape: SimdShape, _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        lanewise(shape, a, b) { a, b in
            LLVMBuildSelect(builder, LLVMBuildFCmp(builder, LLVMRealOLT, b, a, ""), b, a, "")
        }
    }

    /// `pmax`: a < b ? b : a.
    func simdPseudoMaximum(_ shape: SimdShape, _ a: LLVMValueRef, _ b: LLVMValueRef) -> LLVMValueRef {
        lanewise(shape, a, b) { a, b in
            LLVMBuildSelect(builder, LLVMBuildFCmp(builder, LLVMRealOLT, a, b, ""), b, a, "")
        }
    }

    /// Relaxed madd/nmadd, fixed to the unfused choice: one rounding after the multiply and one
    /// after the add, deterministic on every CPU (fusing is allowed, not required).
    func simdMultiplyAdd(_ shape: SimdShape, _ a: LLVMValueRef, _ b: LLVMValueRef, _ c: LLVMValueRef, negate: Bool) -> LLVMValueRef {
        let product = LLVMBuildFMul(builder, view(a, as: shape), view(b, as: shape), "")!
        let term = negate ? LLVMBuildFNeg(builder, product, "")! : product
        return asV128(LLVMBuildFAdd(builder, term, view(c, as: shape), ""))
    }
}
