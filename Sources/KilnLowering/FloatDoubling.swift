import CLLVM
import KilnLLVM

/// Float `x + x` becomes `x * 2.0` before the loop and vector passes, the form in which clang's
/// optimiser left it.
///
/// LLVM's wasm32 code generator writes `2.0f * x` as `f32.add x x` (a DAG combine that saves
/// the constant), and LLVM's IR passes keep the add. The SLP vectoriser prices a pair of
/// `fadd x, x` worse than a pair of `fmul x, 2.0`: in stencil_ptrs' Sobel loop, whose source
/// doubles the middle row and column, the tree that pairs `gx` and `gy` costs 0 (left scalar)
/// with the adds and -2 (vectorised, as in native code) with the multiplies.
///
/// Exact: `x + x` and `x * 2.0` are the same IEEE operation on every input. Both are exact
/// unless they overflow, where both round to the same infinity; both keep the sign of zero and
/// of infinity; a NaN operand gives that NaN quieted, in both (neither is an identity fold that
/// ArithmeticNaN must undo: 2 is not ±1). Where the multiply stays scalar, the code generator
/// turns it back into the add (the same DAG combine), so only vectorised code changes. Nothing
/// fuses the multiply with a following add into an FMA, which would keep an overflowing `2x`
/// finite: Kiln allows no floating-point contraction (FloatDoublingTests checks it).
public enum FloatDoubling {
    /// Rewrites every float or float-vector `fadd x, x` of `module`; returns how many.
    @discardableResult
    public static func writeAsMultiplies(in module: LLVMModuleRef) -> Int {
        let builder = LLVMCreateBuilderInContext(LLVMGetModuleContext(module))!
        defer { LLVMDisposeBuilder(builder) }
        var rewritten = 0
        for function in IRWalk.functions(of: module) {
            for instruction in IRWalk.instructions(of: function) where isDoubling(instruction) {
                let x = LLVMGetOperand(instruction, 0)!
                let type = LLVMTypeOf(x)!
                LLVMPositionBuilderBefore(builder, instruction)
                // Wasm arithmetic has no fast-math flags, so the add has none to carry over.
                let two = IRConstants.splat(LLVMConstReal(IRConstants.scalarType(of: type), 2), as: type)
                let product = LLVMBuildFMul(builder, x, two, "")!
                LLVMReplaceAllUsesWith(instruction, product)
                LLVMInstructionEraseFromParent(instruction)
                rewritten += 1
            }
        }
        PhaseReport.count("float doublings written as multiplies", rewritten)
        return rewritten
    }

    private static func isDoubling(_ instruction: LLVMValueRef) -> Bool {
        LLVMGetInstructionOpcode(instruction) == LLVMFAdd && LLVMGetOperand(instruction, 0) == LLVMGetOperand(instruction, 1)
    }
}
