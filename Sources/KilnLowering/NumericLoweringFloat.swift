import CLLVM
import KilnLLVM
import WasmParser
import WasmTypes

/// Float arithmetic, f32 and f64 alike. The helpers are shape-agnostic, so the SIMD lowering
/// reuses them for f32x4 and f64x2.
extension NumericLowering {
    func floatUnary(_ op: Instruction.Unary, _ x: LLVMValueRef) -> LLVMValueRef {
        let x = [.f32Abs, .f64Abs, .f32Neg, .f64Neg].contains(op) ? x : ArithmeticNaN.unmarked(x)
        switch op {
        // fabs and fneg are bitwise in LLVM (only the sign bit changes), as Wasm requires even
        // for NaNs, whose payload must survive.
        case .f32Abs, .f64Abs: return intrinsic("llvm.fabs", x)
        case .f32Neg, .f64Neg: return LLVMBuildFNeg(builder, x, "")
        case .f32Ceil, .f64Ceil: return intrinsic("llvm.ceil", x)
        case .f32Floor, .f64Floor: return intrinsic("llvm.floor", x)
        case .f32Trunc, .f64Trunc: return intrinsic("llvm.trunc", x)
        // Wasm's nearest rounds half to even, which is roundeven (llvm.round rounds half away).
        case .f32Nearest, .f64Nearest: return intrinsic("llvm.roundeven", x)
        case .f32Sqrt, .f64Sqrt: return intrinsic("llvm.sqrt", x)
        default: preconditionFailure("not a float unary operator: \(op)")
        }
    }

    func floatBinary(_ op: Instruction.Binary, _ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        let isBitwise = op == .f32Copysign || op == .f64Copysign
        let (lhs, rhs) = isBitwise ? (lhs, rhs) : (ArithmeticNaN.unmarked(lhs), ArithmeticNaN.unmarked(rhs))
        switch op {
        // LLVM folds x * 1, x + -0 and others to x, even for a signalling NaN x: the markers
        // keep the results quiet (ArithmeticNaN).
        case .f32Add, .f64Add: return ArithmeticNaN.mark(LLVMBuildFAdd(builder, lhs, rhs, "")!, ir)
        case .f32Sub, .f64Sub: return ArithmeticNaN.mark(LLVMBuildFSub(builder, lhs, rhs, "")!, ir)
        case .f32Mul, .f64Mul: return ArithmeticNaN.mark(LLVMBuildFMul(builder, lhs, rhs, "")!, ir)
        case .f32Div, .f64Div: return ArithmeticNaN.mark(LLVMBuildFDiv(builder, lhs, rhs, "")!, ir)
        case .f32Min, .f64Min: return floatMinimum(lhs, rhs)
        case .f32Max, .f64Max: return floatMaximum(lhs, rhs)
        // copysign is bitwise too: magnitude bits from lhs, sign bit from rhs.
        case .f32Copysign, .f64Copysign: return intrinsic("llvm.copysign", lhs, rhs)
        default: preconditionFailure("not a float binary operator: \(op)")
        }
    }

    /// Wasm `min`: NaN if either operand is NaN, and -0 < +0.
    func floatMinimum(_ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        nanPropagating("llvm.minimum", lhs, rhs)
    }

    /// Wasm `max`: NaN if either operand is NaN, and -0 < +0.
    func floatMaximum(_ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        nanPropagating("llvm.maximum", lhs, rhs)
    }

    /// llvm.minimum/maximum have the right ordering (-0 < +0) and LLVM 19's x86 backend selects
    /// them for scalars and vectors, but for a NaN operand it returns that operand unchanged: a
    /// signalling NaN stays signalling, where Wasm requires an arithmetic (quiet) NaN. So NaN
    /// cases yield the canonical NaN instead, which Wasm allows whatever the inputs were.
    private func nanPropagating(_ name: String, _ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        let unordered = LLVMBuildFCmp(builder, LLVMRealUNO, lhs, rhs, "")
        let ordered = intrinsic(name, lhs, rhs)
        return LLVMBuildSelect(builder, unordered, ArithmeticNaN.canonicalNaN(of: LLVMTypeOf(lhs)), ordered, "")
    }
}
