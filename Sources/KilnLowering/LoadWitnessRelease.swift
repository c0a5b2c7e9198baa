import CLLVM

/// Takes the load witness off the loads that no longer need it, once LLVM has simplified the
/// module (inlined, folded, deleted dead code) and before it vectorises and unrolls it, so hot
/// loops pay nothing for it.
///
/// A load needs the witness while the optimiser might delete it or sink it past a trap. After
/// simplification, a load that feeds, through pure operations in its own basic block, an
/// instruction that cannot leave that block (a store, a call, the block's branch or return, or a
/// phi's incoming value from that block) is kept in place by that chain: nothing left to run
/// folds the chain away, and an instruction is only sunk when all its users are in one successor
/// (a select's chosen operands do not count: they can end up in branch arms). So its uses by the
/// witness are replaced by zero, which the rest of the pipeline folds away. Every other load (a
/// value that only flows into later blocks, or nowhere) keeps its witness.
public enum LoadWitnessRelease {
    /// Instructions of the witness' own plumbing: xor chains, phis, casts and lane moves.
    private static let plumbing: Set<LLVMOpcode> = [
        LLVMXor, LLVMPHI, LLVMBitCast, LLVMShuffleVector, LLVMExtractElement, LLVMInsertElement,
        LLVMSelect, LLVMFreeze, LLVMZExt, LLVMTrunc, LLVMLoad,
    ]
    /// How far to follow a load's users looking for one that stays in the block.
    private static let searchDepth = 16

    public static func releaseAnchoredLoads(in module: LLVMModuleRef) {
        guard let cell = LLVMGetNamedGlobal(module, LoadWitness.symbol) else { return }
        var function = LLVMGetFirstFunction(module)
        while let current = function {
            releaseAnchoredLoads(in: current, cell: cell)
            function = LLVMGetNextFunction(current)
        }
    }

    private static func releaseAnchoredLoads(in function: LLVMValueRef, cell: LLVMValueRef) {
        let instructions = allInstructions(of: function)
        let witness = witnessPlumbing(instructions, cell: cell)
        guard !witness.isEmpty else { return }
        for load in instructions where LLVMIsALoadInst(load) != nil && !witness.contains(load) {
            let witnessUsers = users(of: load).filter { witness.contains($0) }
            guard !witnessUsers.isEmpty, isAnchored(load, excluding: witness) else { continue }
            let zero = LLVMConstNull(LLVMTypeOf(load))!
            for user in witnessUsers {
                for index in 0..<UInt32(max(0, LLVMGetNumOperands(user))) where LLVMGetOperand(user, index) == load {
                    LLVMSetOperand(user, index, zero)
                }
            }
        }
    }

    /// The instructions whose every use ends, through plumbing, in a store to the witness cell:
    /// the greatest such set, found by discarding any candidate with a use outside it.
    private static func witnessPlumbing(_ instructions: [LLVMValueRef], cell: LLVMValueRef) -> Set<LLVMValueRef> {
        let sinks = Set(instructions.filter { LLVMIsAStoreInst($0) != nil && isInCell(LLVMGetOperand($0, 1), cell) })
        guard !sinks.isEmpty else { return [] }
        var set = Set(instructions.filter { instruction in
            guard plumbing.contains(LLVMGetInstructionOpcode(instruction)) else { return false }
            // The only loads in the witness' plumbing are reads of the cell itself.
            return LLVMIsALoadInst(instruction) == nil || isInCell(LLVMGetOperand(instruction, 0), cell)
        })
        var changed = true
        while changed {
            changed = false
            for instruction in set where users(of: instruction).contains(where: { !set.contains($0) && !sinks.contains($0) }) {
                set.remove(instruction)
                changed = true
            }
        }
        return set
    }

    /// Whether `load` reaches a store, call or terminator of its own block, or a phi that takes it
    /// from that block, through users in that block that are not witness plumbing. (A phi's use
    /// is at the end of the block it comes from, so that is where the value must exist.)
    private static func isAnchored(_ load: LLVMValueRef, excluding witness: Set<LLVMValueRef>) -> Bool {
        let block = LLVMGetInstructionParent(load)
        var visited: Set<LLVMValueRef> = []
        func reachesAnchor(_ value: LLVMValueRef, _ depth: Int) -> Bool {
            guard depth < searchDepth, visited.insert(value).inserted else { return false }
            for user in users(of: value) where !witness.contains(user) {
                if LLVMIsAPHINode(user) != nil {
                    let incoming = (0..<LLVMCountIncoming(user)).contains {
                        LLVMGetIncomingValue(user, $0) == value && LLVMGetIncomingBlock(user, $0) == block
                    }
                    if incoming { return true }
                    continue
                }
                guard LLVMGetInstructionParent(user) == block else { continue }
                if LLVMIsAStoreInst(user) != nil || LLVMIsATerminatorInst(user) != nil { return true }
                if LLVMIsACallInst(user) != nil, !isIntrinsicCall(user) { return true }
                // Code generation may turn a select into a branch and sink the chosen operands
                // into its arms (CodeGenPrepare does, for a load); only the condition is certain
                // to be computed first.
                if LLVMIsASelectInst(user) != nil, LLVMGetOperand(user, 0) != value { continue }
                if reachesAnchor(user, depth + 1) { return true }
            }
            return false
        }
        return reachesAnchor(load, 0)
    }

    private static func isIntrinsicCall(_ call: LLVMValueRef) -> Bool {
        guard let callee = LLVMGetCalledValue(call), LLVMIsAFunction(callee) != nil else { return false }
        return LLVMGetIntrinsicID(callee) != 0
    }

    /// Whether `pointer` is the witness cell or a constant offset into it.
    private static func isInCell(_ pointer: LLVMValueRef?, _ cell: LLVMValueRef) -> Bool {
        var current = pointer
        while let value = current, value != cell {
            guard LLVMIsAConstantExpr(value) != nil || LLVMIsAGetElementPtrInst(value) != nil else { return false }
            current = LLVMGetOperand(value, 0)
        }
        return current == cell
    }

    private static func users(of value: LLVMValueRef) -> [LLVMValueRef] {
        var result: [LLVMValueRef] = []
        var use = LLVMGetFirstUse(value)
        while let current = use {
            if let user = LLVMGetUser(current), LLVMIsAInstruction(user) != nil { result.append(user) }
            use = LLVMGetNextUse(current)
        }
        return result
    }

    private static func allInstructions(of function: LLVMValueRef) -> [LLVMValueRef] {
        var result: [LLVMValueRef] = []
        var block = LLVMGetFirstBasicBlock(function)
        while let currentBlock = block {
            var instruction = LLVMGetFirstInstruction(currentBlock)
            while let current = instruction {
                result.append(current)
                instruction = LLVMGetNextInstruction(current)
            }
            block = LLVMGetNextBasicBlock(currentBlock)
        }
        return result
    }
}
