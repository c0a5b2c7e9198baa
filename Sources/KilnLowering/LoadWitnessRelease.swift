import CLLVM

/// Takes the load witness off the loads that no longer need it, once LLVM has simplified the
/// module (inlined, folded, deleted dead code) and before it vectorises and unrolls it, so hot
/// loops pay nothing for it.
///
/// A load needs the witness while the optimiser or the code generator might delete it, narrow it
/// or sink it past a trap. A load is released when bits of each of its bytes certainly reach,
/// within its own block, an instruction nothing deletes: a store, a call that may have effects,
/// a return, the address of a load that stays, or a phi taking the value from that block whose
/// value is live (LoadBits says which bits survive which operations). That chain keeps it in
/// place: no later fold can make those instructions independent of it, no narrower load gives
/// them the same bits, and an instruction is only sunk when all its users are in one successor.
/// So its uses by the witness are replaced by zero, which the rest of the pipeline folds away.
/// Every other load (one whose value is only compared, selected or masked away, that only
/// flows into later blocks, or nowhere) keeps its witness. Kiln 0.4.0 followed any pure
/// operation, and the code generator decided an `i8x16.bitmask` chain and deleted an
/// out-of-bounds load (smith seed 1000119; tests/fuzz/regressions).
public enum LoadWitnessRelease {
    /// Instructions of the witness' own plumbing: add chains (and what InstCombine makes of them:
    /// `x + x` becomes a shift, an add of disjoint bits an or), phis, casts and lane moves.
    private static let plumbing: Set<LLVMOpcode> = [
        LLVMAdd, LLVMShl, LLVMOr, LLVMXor, LLVMPHI, LLVMBitCast, LLVMShuffleVector, LLVMExtractElement, LLVMInsertElement,
        LLVMSelect, LLVMFreeze, LLVMZExt, LLVMTrunc, LLVMLoad,
    ]
    /// How far to follow a load's users looking for one that stays in the block.
    private static let searchDepth = 32

    public static func releaseAnchoredLoads(in module: LLVMModuleRef) {
        guard let cell = LLVMGetNamedGlobal(module, LoadWitness.symbol) else { return }
        for function in IRWalk.functions(of: module) {
            releaseAnchoredLoads(in: function, cell: cell)
        }
    }

    private static func releaseAnchoredLoads(in function: LLVMValueRef, cell: LLVMValueRef) {
        let instructions = IRWalk.instructions(of: function)
        let witness = witnessPlumbing(instructions, cell: cell)
        guard !witness.isEmpty else { return }
        var decisions = AnchorDecisions(witness: witness)
        for load in instructions where LLVMIsALoadInst(load) != nil && decisions.isWitnessed(load) {
            guard decisions.isAnchored(load) else { continue }
            let zero = LLVMConstNull(LLVMTypeOf(load))!
            for user in IRWalk.instructionUsers(of: load) where witness.contains(user) {
                for index in 0..<UInt32(max(0, LLVMGetNumOperands(user))) where LLVMGetOperand(user, index) == load {
                    LLVMSetOperand(user, index, zero)
                }
            }
        }
    }

    /// The instructions whose every use ends, through plumbing, in a store to the witness cell:
    /// the greatest such set, found by discarding any candidate with a use outside it.
    private static func witnessPlumbing(_ instructions: [LLVMValueRef], cell: LLVMValueRef) -> Set<LLVMValueRef> {
        let sinks = Set(instructions.filter { LLVMIsAStoreInst($0) != nil && LoadWitness.isInCell(LLVMGetOperand($0, 1), cell) })
        guard !sinks.isEmpty else { return [] }
        var set = Set(instructions.filter { instruction in
            guard plumbing.contains(LLVMGetInstructionOpcode(instruction)) else { return false }
            // The only loads in the witness' plumbing are reads of the cell itself.
            return LLVMIsALoadInst(instruction) == nil || LoadWitness.isInCell(LLVMGetOperand(instruction, 0), cell)
        })
        var changed = true
        while changed {
            changed = false
            for instruction in set where IRWalk.instructionUsers(of: instruction).contains(where: { !set.contains($0) && !sinks.contains($0) }) {
                set.remove(instruction)
                changed = true
            }
        }
        return set
    }

    /// Which of a function's witnessed loads are anchored, decided once each. A load may be
    /// anchored by a load through its value only if that load stays without it: loads that
    /// only feed each other's addresses (`p = *p` in a loop whose result is unused) would
    /// otherwise all be released and then deleted together. So a load whose decision is under
    /// way does not count as an anchor for the loads its own decision looks at.
    private struct AnchorDecisions {
        let witness: Set<LLVMValueRef>
        private var decided: [LLVMValueRef: Bool] = [:]
        private var underWay: Set<LLVMValueRef> = []

        init(witness: Set<LLVMValueRef>) { self.witness = witness }

        func isWitnessed(_ load: LLVMValueRef) -> Bool {
            !witness.contains(load) && IRWalk.instructionUsers(of: load).contains { witness.contains($0) }
        }

        /// Whether the bits of `load` that certainly reach an instruction nothing can delete
        /// (LoadBits) include at least one bit of every byte, so that it is neither deleted nor
        /// narrowed. They must reach it within the load's own block, so that the load is not sunk
        /// out of it either, or reach a phi that takes them from that block (a phi's use is at the
        /// end of the block it comes from) and is live (`isLive`).
        mutating func isAnchored(_ load: LLVMValueRef) -> Bool {
            if let known = decided[load] { return known }
            underWay.insert(load)
            let block = LLVMGetInstructionParent(load)
            var needed: Set<Int> = []
            var visited: Set<LLVMValueRef> = []
            func follow(_ value: LLVMValueRef, _ state: LoadBits, _ depth: Int) {
                guard depth < searchDepth, visited.insert(value).inserted else { return }
                for user in IRWalk.instructionUsers(of: value) where !witness.contains(user) {
                    if LLVMIsAPHINode(user) != nil {
                        let fromLoadBlock = (0..<LLVMCountIncoming(user)).contains {
                            LLVMGetIncomingValue(user, $0) == value && LLVMGetIncomingBlock(user, $0) == block
                        }
                        if fromLoadBlock, isLive(user) { needed.formUnion(state.bits) }
                        continue
                    }
                    guard LLVMGetInstructionParent(user) == block else { continue }
                    let step = state.step(to: user, from: value, isKeptLoad: { self.isKept($0) },
                                          dependsOnLoad: { dependsInBlock($0, on: load, block) })
                    switch step {
                    case .anchor(let bits): needed.formUnion(bits)
                    case .carrier(let next): follow(user, next, depth + 1)
                    case .neither: break
                    }
                }
            }
            let width = bitWidth(of: LLVMTypeOf(load))
            follow(load, .whole(load, width: width), 0)
            let anchored = stride(from: 0, to: width, by: 8).allSatisfy { byte in (byte..<byte + 8).contains { needed.contains($0) } }
            underWay.remove(load)
            decided[load] = anchored
            return anchored
        }

        /// Whether a phi's value reaches, through any users, an instruction nothing can delete: a
        /// loop-carried value that only feeds its own loop's addresses (`p = *p` with `p` unused
        /// afterwards) does not, and the loop is deleted. The value is not followed bit by bit
        /// here, so a later fold could still make it dead (README, "Known deviations").
        private mutating func isLive(_ phi: LLVMValueRef) -> Bool {
            var visited: Set<LLVMValueRef> = []
            var frontier = [phi]
            for _ in 0..<searchDepth where !frontier.isEmpty {
                var next: [LLVMValueRef] = []
                for value in frontier {
                    for user in IRWalk.instructionUsers(of: value) where !witness.contains(user) && visited.insert(user).inserted {
                        if LLVMIsAStoreInst(user) != nil, !LoadBits.isIntoAlloca(LLVMGetOperand(user, 1)) { return true }
                        if LLVMIsAReturnInst(user) != nil { return true }
                        if LLVMIsACallInst(user) != nil || LLVMIsAInvokeInst(user) != nil, LoadBits.mayHaveEffects(user) { return true }
                        if LLVMIsALoadInst(user) != nil {
                            if isKept(user) { return true }
                            continue
                        }
                        next.append(user)
                    }
                }
                guard visited.count < 1024 else { return false }
                frontier = next
            }
            return false
        }

        /// A load through an address stays if it keeps its witness or is anchored itself, but
        /// not if its own decision is under way.
        private mutating func isKept(_ load: LLVMValueRef) -> Bool {
            guard isWitnessed(load), !underWay.contains(load) else { return false }
            _ = isAnchored(load)
            return true
        }
    }

    /// Whether `value` is computed from this execution of `load`: only instructions of the load's
    /// block after it can be (a phi is evaluated on entry, before the load; other blocks' values
    /// used here were computed before the block was entered).
    private static func dependsInBlock(_ value: LLVMValueRef, on load: LLVMValueRef, _ block: LLVMBasicBlockRef?) -> Bool {
        var visited: Set<LLVMValueRef> = []
        func depends(_ current: LLVMValueRef, _ depth: Int) -> Bool {
            if current == load { return true }
            guard LLVMIsAInstruction(current) != nil, LLVMIsAPHINode(current) == nil,
                  LLVMGetInstructionParent(current) == block, visited.insert(current).inserted else { return false }
            // Too deep to tell: assume it does.
            guard depth < searchDepth else { return true }
            return (0..<UInt32(max(0, LLVMGetNumOperands(current)))).contains { index in
                LLVMGetOperand(current, index).map { depends($0, depth + 1) } ?? false
            }
        }
        return depends(value, 0)
    }

    /// Loads of Wasm values: integers, floats and vectors of them (a pointer counts as 64 bits).
    private static func bitWidth(of type: LLVMTypeRef) -> Int {
        switch LLVMGetTypeKind(type) {
        case LLVMFloatTypeKind: 32
        case LLVMDoubleTypeKind: 64
        case LLVMIntegerTypeKind: Int(LLVMGetIntTypeWidth(type))
        case LLVMVectorTypeKind: Int(LLVMGetVectorSize(type)) * bitWidth(of: LLVMGetElementType(type))
        default: 64
        }
    }
}
