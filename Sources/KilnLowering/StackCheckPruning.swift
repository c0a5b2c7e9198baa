import CLLVM
import KilnLLVM

/// Removes the stack-limit checks that inlining copied into the middle of other functions.
///
/// Every function that makes calls checks the native stack pointer against vmctx.stack_limit in its
/// entry block. When LLVM inlines such a function, its check comes along and runs on every
/// iteration of the caller's loop (a non-invariant load, a compare and a branch), although the
/// caller's own entry check already covers the combined frame: the runtime keeps a margin below the
/// limit for a frame, and every call that is still a call enters a function with its own entry
/// check, so unbounded recursion still traps (it always passes through a call that was not
/// inlined). So after the optimisation pipeline, a tagged limit load outside its function's entry
/// block is replaced by 0 (the check can never fire), and a small cleanup pipeline deletes it.
public enum StackCheckPruning {
    static let kind = "kiln.stack_limit"

    static func tag(_ load: LLVMValueRef, _ ir: IRBuilder) {
        LLVMSetMetadata(load, LLVMGetMDKindIDInContext(ir.context, kind, UInt32(kind.utf8.count)),
                        LLVMMDNodeInContext(ir.context, nil, 0))
    }

    /// Run after the main pipeline. Returns the number of checks removed.
    @discardableResult
    public static func prune(_ module: LLVMModuleRef) -> Int {
        let context = LLVMGetModuleContext(module)
        let kindID = LLVMGetMDKindIDInContext(context, kind, UInt32(kind.utf8.count))
        var removed = 0
        var function = LLVMGetFirstFunction(module)
        while let f = function {
            function = LLVMGetNextFunction(f)
            guard let entry = LLVMGetEntryBasicBlock(f), LLVMCountBasicBlocks(f) > 1 else { continue }
            var block = LLVMGetNextBasicBlock(entry)
            while let b = block {
                block = LLVMGetNextBasicBlock(b)
                var instruction = LLVMGetFirstInstruction(b)
                while let i = instruction {
                    instruction = LLVMGetNextInstruction(i)
                    guard LLVMIsALoadInst(i) != nil, LLVMGetMetadata(i, kindID) != nil else { continue }
                    LLVMReplaceAllUsesWith(i, LLVMConstNull(LLVMTypeOf(i)))
                    LLVMInstructionEraseFromParent(i)
                    removed += 1
                }
            }
        }
        guard removed > 0 else { return 0 }
        // Fold the now-constant compares and branches, drop the dead blocks and stack saves.
        let options = LLVMCreatePassBuilderOptions()
        defer { LLVMDisposePassBuilderOptions(options) }
        if let error = LLVMRunPasses(module, "function(instsimplify,simplifycfg,dce)", nil, options) {
            LLVMConsumeError(error)
        }
        eraseUnusedStackSaves(module)
        return removed
    }

    private static func eraseUnusedStackSaves(_ module: LLVMModuleRef) {
        var function = LLVMGetFirstFunction(module)
        while let f = function {
            function = LLVMGetNextFunction(f)
            guard IRWalk.name(of: f).hasPrefix("llvm.stacksave") else { continue }
            var use = LLVMGetFirstUse(f)
            var dead: [LLVMValueRef] = []
            while let u = use {
                use = LLVMGetNextUse(u)
                if let call = LLVMGetUser(u), LLVMGetFirstUse(call) == nil { dead.append(call) }
            }
            dead.forEach { LLVMInstructionEraseFromParent($0) }
        }
    }
}
