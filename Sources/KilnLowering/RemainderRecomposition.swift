import CLLVM
import KilnLLVM

/// `x - (x / c) * c` becomes `x % c` again, for a constant divisor, unsigned or signed.
///
/// Where a C program takes both `x / c` and `x % c`, clang's wasm32 code generator computes the
/// remainder from the quotient (Wasm has no instruction that gives both; LLVM's DivRemPairs
/// decomposes it), and instcombine leaves it as `x + q * -c`. Native code keeps the remainder,
/// and x86's instruction selector knows that it is below `c`, which later arithmetic uses:
/// bignum conversion carries the remainder of a division by 10^9 into the next limb's
/// `rem << 32 | limb`, which native code divides with one multiply and one shift, knowing the
/// dividend is below 2^63, and Kiln's with a pre-shift more (bignum_fact).
///
/// Run before the loop and vector optimisation (at -O2 and -O3), whose instcombines then know
/// the remainder's range as they do in native code (they mark bignum_fact's `rem << 32` as not
/// overflowing, from which the selector knows the dividend is below 2^63), and whose DivRemPairs
/// keeps the pair together on x86, which divides once for both.
///
/// Exact: for c other than 0 (and than -1, signed, where the quotient of the smallest integer
/// traps in Wasm and is not this form's to change), `x - (x / c) * c` is `x % c` on every x, in
/// wrapping arithmetic, for truncating division.
public enum RemainderRecomposition {
    /// Rewrites every such remainder of `module`; returns how many.
    @discardableResult
    public static func recompose(in module: LLVMModuleRef) -> Int {
        let builder = LLVMCreateBuilderInContext(LLVMGetModuleContext(module))!
        defer { LLVMDisposeBuilder(builder) }
        var recomposed = 0
        for function in IRWalk.functions(of: module) {
            for instruction in IRWalk.instructions(of: function) {
                guard let (x, divisor, signed) = decomposedRemainder(instruction) else { continue }
                LLVMPositionBuilderBefore(builder, instruction)
                let remainder = signed ? LLVMBuildSRem(builder, x, divisor, "")! : LLVMBuildURem(builder, x, divisor, "")!
                LLVMReplaceAllUsesWith(instruction, remainder)
                let operands = [LLVMGetOperand(instruction, 0)!, LLVMGetOperand(instruction, 1)!]
                LLVMInstructionEraseFromParent(instruction)
                // The product, if nothing else uses it; the quotient stays for its own users.
                for operand in operands where operand != x && LLVMGetFirstUse(operand) == nil {
                    LLVMInstructionEraseFromParent(operand)
                }
                recomposed += 1
            }
        }
        PhaseReport.count("remainders recomposed", recomposed)
        return recomposed
    }

    /// For `add x, (mul (div x, c), -c)` (either operand order) or `sub x, (mul (div x, c), c)`:
    /// x, c and whether the division is signed; nil otherwise.
    private static func decomposedRemainder(_ instruction: LLVMValueRef) -> (LLVMValueRef, LLVMValueRef, Bool)? {
        let opcode = LLVMGetInstructionOpcode(instruction)
        guard opcode == LLVMAdd || opcode == LLVMSub, LLVMGetTypeKind(LLVMTypeOf(instruction)) == LLVMIntegerTypeKind
        else { return nil }
        let orders: [(UInt32, UInt32)] = opcode == LLVMAdd ? [(0, 1), (1, 0)] : [(0, 1)]
        for (xIndex, productIndex) in orders {
            if let found = decomposedRemainder(opcode, x: LLVMGetOperand(instruction, xIndex)!,
                                               product: LLVMGetOperand(instruction, productIndex)!) {
                return found
            }
        }
        return nil
    }

    private static func decomposedRemainder(
        _ opcode: LLVMOpcode, x: LLVMValueRef, product: LLVMValueRef
    ) -> (LLVMValueRef, LLVMValueRef, Bool)? {
        guard LLVMIsAInstruction(product) != nil, LLVMGetInstructionOpcode(product) == LLVMMul,
              let quotient = LLVMGetOperand(product, 0), let factor = LLVMGetOperand(product, 1),
              LLVMIsAInstruction(quotient) != nil, LLVMIsAConstantInt(factor) != nil
        else { return nil }
        let division = LLVMGetInstructionOpcode(quotient)
        guard division == LLVMUDiv || division == LLVMSDiv, LLVMGetOperand(quotient, 0) == x,
              let divisor = LLVMGetOperand(quotient, 1), LLVMIsAConstantInt(divisor) != nil
        else { return nil }
        let bits = LLVMGetIntTypeWidth(LLVMTypeOf(divisor))
        guard bits <= 64 else { return nil }
        let mask = bits == 64 ? UInt64.max : (UInt64(1) << bits) - 1
        let c = LLVMConstIntGetZExtValue(divisor) & mask
        let f = LLVMConstIntGetZExtValue(factor) & mask
        guard c != 0, division == LLVMUDiv || c != mask else { return nil }
        let expected = opcode == LLVMSub ? c : (0 &- c) & mask
        guard f == expected else { return nil }
        return (x, divisor, division == LLVMSDiv)
    }
}
