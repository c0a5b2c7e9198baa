import CLLVM
import KilnLLVM

/// In interruptible code, a counted innermost loop checks for an interrupt once per chunk of
/// `chunkIterations` iterations, in a loop around it, instead of on every iteration, so that it
/// still vectorises (matmul ran 5.8x slower with a check in its inner loop); every other loop's
/// check runs when a per-function budget of `chunkIterations` ticks is spent. Why an interrupt
/// may come that much later, and how the loops are rewritten, is at the top of
/// Sources/CLLVM/interrupt_check_strip_mining.cpp.
public enum InterruptCheckStripMining {
    /// The metadata kind on each check's load, by which the pass finds the checks.
    static let checkKind = "kiln.interrupt.check"

    /// Iterations between two checks. Each chunk of a counted loop sets up its vector loop (and
    /// memory loop versioning's range checks) again, which at 1,024 iterations cost stencil_ptrs
    /// and matmul_rows 10-40%; at 16,384 a loop body of a hundred instructions still sees an
    /// interrupt within about half a millisecond.
    static let chunkIterations: UInt32 = 16384

    /// Marks `load` as the load of an interrupt check.
    static func markCheck(_ load: LLVMValueRef, _ ir: IRBuilder) {
        let kind = LLVMGetMDKindIDInContext(ir.context, checkKind, UInt32(checkKind.utf8.count))
        LLVMSetMetadata(load, kind, LLVMMetadataAsValue(ir.context, LLVMMDNodeInContext2(ir.context, nil, 0)))
    }

    public static func stripMine(_ module: LLVMModuleRef) {
        kiln_strip_mine_interrupt_checks(module, checkKind, chunkIterations)
    }
}
