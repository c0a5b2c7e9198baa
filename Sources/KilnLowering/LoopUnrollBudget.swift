import CLLVM
import KilnLLVM

/// Loop unrolling has a budget per function (DESIGN.md, decision 12): in a function with a body
/// over `largestUnrolledFunction` bytes, no loop is unrolled, fully or partly.
///
/// Full unrolling multiplies a function's code by its small counted loops, and everything after
/// it pays for the copies: in a 250 KB interpreter function it made LLVM's simplification half
/// take 56 s of CPU instead of 8, and the code generator as much again. In a function that large
/// a loop's unrolled copies are also the least likely to be hot.
enum LoopUnrollBudget {
    static let largestUnrolledFunction = 64 * 1024

    static func allowsUnrolling(inFunctionOfSize size: Int) -> Bool { size <= largestUnrolledFunction }

    /// Marks `backEdge`, a loop's only latch branch, with a loop ID that carries
    /// `llvm.loop.unroll.disable`, which LLVM's full and partial unrollers both honour.
    static func disableUnrolling(of backEdge: LLVMValueRef, _ ir: IRBuilder) {
        let context = ir.context
        let name = "llvm.loop.unroll.disable"
        var disable: LLVMMetadataRef? = LLVMMDStringInContext2(context, name, name.utf8.count)
        let property = LLVMMDNodeInContext2(context, &disable, 1)
        // A loop ID is a node whose first operand is itself: made through a placeholder.
        let placeholder = LLVMTemporaryMDNode(context, nil, 0)
        var operands: [LLVMMetadataRef?] = [placeholder, property]
        let loopID = operands.withUnsafeMutableBufferPointer { LLVMMDNodeInContext2(context, $0.baseAddress, $0.count) }!
        LLVMMetadataReplaceAllUsesWith(placeholder, loopID)
        LLVMSetMetadata(backEdge, LLVMGetMDKindIDInContext(context, "llvm.loop", 9), LLVMMetadataAsValue(context, loopID))
    }
}
