import CLLVM
import KilnLLVM

/// Takes the load witness off the loads that no longer need it, once LLVM has simplified the
/// module (inlined, folded, deleted dead code) and before it vectorises and unrolls it, so hot
/// loops pay nothing for it.
///
/// A load needs the witness while the optimiser or the code generator might delete it, narrow it
/// or sink it past a trap. A load is released when bits of each of its bytes certainly reach,
/// within its own block, an instruction nothing deletes: a store, a call that may have effects,
/// a return, the address of a load that stays; or reach a phi taking the value from that block,
/// and from it, as certainly, such an instruction anywhere (LoadBits says which bits survive
/// which operations). That chain keeps it in place: no later fold can make those instructions
/// independent of it, no narrower load gives them the same bits, and an instruction is only
/// sunk when all its users are in one successor.
/// So its uses by the witness are replaced by zero, which the rest of the pipeline folds away.
/// Every other load (one whose value is only compared, selected or masked away, that only
/// flows into later blocks, or nowhere) keeps its witness. Kiln 0.4.0 followed any pure
/// operation, and the code generator decided an `i8x16.bitmask` chain and deleted an
/// out-of-bounds load (smith seed 1000119; tests/fuzz/regressions).
public enum LoadWitnessRelease {
    /// How far to follow a load's users looking for one that stays in the block.
    private static let searchDepth = 32
    /// How many values one load's decision may go through, over all its walks. From a phi the walk
    /// may go anywhere: in an interpreter's loop a value carried by the latch's phis reaches every
    /// handler, so without a bound the pass grows with the loads times the function's size.
    /// Running out only keeps the load witnessed. No decision of graphviz.wasm or the benchmark
    /// programs goes through more than 256 values.
    public static let walkBudget = 4096

    public static func releaseAnchoredLoads(in module: LLVMModuleRef, walkBudget: Int = walkBudget) {
        guard let cell = LLVMGetNamedGlobal(module, LoadWitness.symbol) else { return }
        var (decisionCount, stepCount) = (0, 0)
        for function in IRWalk.functions(of: module) {
            guard let decisions = releaseAnchoredLoads(in: function, cell: cell, walkBudget: walkBudget) else { continue }
            decisionCount += decisions.decisionCount
            stepCount += decisions.stepCount
        }
        // Once a partition, not once a function: the report reads the environment.
        PhaseReport.count("load witness release: decisions", decisionCount)
        PhaseReport.count("load witness release: values walked through", stepCount)
    }

    /// The decisions taken, nil where the function holds no witness.
    private static func releaseAnchoredLoads(in function: LLVMValueRef, cell: LLVMValueRef, walkBudget: Int) -> AnchorDecisions? {
        let instructions = IRWalk.instructions(of: function)
        let witness = LoadWitness.Plumbing(of: instructions, cell: cell).instructions
        guard !witness.isEmpty else { return nil }
        var decisions = AnchorDecisions(witness: witness, walkBudget: walkBudget)
        for load in instructions where LLVMIsALoadInst(load) != nil && decisions.isWitnessed(load) {
            guard decisions.isAnchored(load) else { continue }
            release(load, from: witness)
        }
        return decisions
    }

    /// Takes the witness off the loads that cannot trap: those MemoryLoopVersioning marked in
    /// bounds, in a loop copy that runs only when every access of the loop is inside the memory.
    /// Run right after it, so that the loop optimisation's instcombines fold the zeros away;
    /// otherwise the vectoriser vectorises the witness' additions along with the loads
    /// (a reduction of the loaded bits in every iteration).
    public static func releaseLoadsInBounds(in module: LLVMModuleRef) {
        guard let cell = LLVMGetNamedGlobal(module, LoadWitness.symbol) else { return }
        for function in IRWalk.functions(of: module) {
            let instructions = IRWalk.instructions(of: function)
            let inBounds = instructions.filter { LLVMIsALoadInst($0) != nil && kiln_is_marked_in_bounds($0) != 0 }
            guard !inBounds.isEmpty else { continue }
            let witness = LoadWitness.Plumbing(of: instructions, cell: cell).instructions
            for load in inBounds { release(load, from: witness) }
        }
    }

    /// Replaces the load's uses by the witness with zero.
    private static func release(_ load: LLVMValueRef, from witness: Set<LLVMValueRef>) {
        let zero = LLVMConstNull(LLVMTypeOf(load))!
        for user in IRWalk.instructionUsers(of: load) where witness.contains(user) {
            for index in 0..<UInt32(max(0, LLVMGetNumOperands(user))) where LLVMGetOperand(user, index) == load {
                LLVMSetOperand(user, index, zero)
            }
        }
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
        /// The work done: decisions taken, values their walks went through.
        private(set) var stepCount = 0
        var decisionCount: Int { decided.count }

        let walkBudget: Int

        init(witness: Set<LLVMValueRef>, walkBudget: Int) { (self.witness, self.walkBudget) = (witness, walkBudget) }

        func isWitnessed(_ load: LLVMValueRef) -> Bool {
            !witness.contains(load) && IRWalk.instructionUsers(of: load).contains { witness.contains($0) }
        }

        /// Whether the bits of `load` that certainly reach an instruction nothing can delete
        /// (LoadBits) include at least one bit of every byte, so that it is neither deleted nor
        /// narrowed. They must reach it within the load's own block, so that the load is not sunk
        /// out of it either, or reach a phi that takes them from that block (a phi's use is at the
        /// end of the block it comes from) and from there, still certainly, such an instruction
        /// anywhere: a loop-carried value that only feeds its own loop's addresses (`p = *p`
        /// with `p` unused afterwards) does not, and the loop is deleted; nor does one that a
        /// later fold could make independent of the load (before Kiln 0.5.19 any path from the
        /// phi counted).
        mutating func isAnchored(_ load: LLVMValueRef) -> Bool {
            if let known = decided[load] { return known }
            underWay.insert(load)
            let block = LLVMGetInstructionParent(load)
            var needed: Set<Int> = []
            var visited: Set<LLVMValueRef> = []
            var pins: [(phi: LLVMValueRef, state: LoadBits)] = []
            var selfKept = false
            let width = LoadWitness.bitWidth(of: LLVMTypeOf(load))
            // The walks stop once the needed bits cover every byte: more anchors change nothing.
            // (A 100 KB interpreter function spent 4.6 s of its 9 s compile here, most of it
            // walking on from anchored loads; 0.35 s after.) Decisions the walk would have taken
            // on its way are taken later, on their own, which is as sound: what must not happen is
            // a load anchoring the loads its own decision looks at, and that one is under way.
            var covered = false
            var budget = walkBudget
            // Within the block (`fromPin` false), a phi that takes the bits from the load's block
            // would pin the load there if the phi stays; so from each such phi the walk goes on
            // anywhere, phis passing the bits on unchanged, and an anchor it finds keeps both the
            // phi and those bits. Beyond the load's execution, an operand may hold the bits
            // followed only through a value the walk from the phi has been through.
            func follow(_ value: LLVMValueRef, _ state: LoadBits, _ depth: Int, fromPin: Bool) {
                guard !covered, budget > 0, depth < searchDepth, visited.insert(value).inserted else { return }
                budget -= 1
                stepCount += 1
                for user in IRWalk.instructionUsers(of: value) where !witness.contains(user) {
                    if covered { return }
                    if LLVMIsAPHINode(user) != nil {
                        if fromPin {
                            follow(user, state, depth + 1, fromPin: true)
                        } else if (0..<LLVMCountIncoming(user)).contains(where: {
                            LLVMGetIncomingValue(user, $0) == value && LLVMGetIncomingBlock(user, $0) == block
                        }) {
                            pins.append((user, state))
                        }
                        continue
                    }
                    if !fromPin, LLVMGetInstructionParent(user) != block { continue }
                    let step = state.step(to: user, from: value, isKeptLoad: { (selfKept && $0 == load) || self.isKept($0) },
                                          dependsOnLoad: { fromPin ? dependsOnAny($0, of: visited) : dependsInBlock($0, on: load, block) })
                    switch step {
                    case .anchor(let bits):
                        needed.formUnion(bits)
                        covered = covers(needed, width)
                    case .carrier(let next): follow(user, next, depth + 1, fromPin: fromPin)
                    case .neither: break
                    }
                }
            }
            func walk() {
                (visited, pins) = ([], [])
                follow(load, .whole(load, width: width), 0, fromPin: false)
                for pin in pins where !covered {
                    visited = []
                    follow(pin.phi, pin.state, 1, fromPin: true)
                }
            }
            walk()
            // Once some of its bits certainly reach an anchor, the load itself stays, so its next
            // execution's address counts too (crc32's table lookup: the low byte of one lookup
            // indexes the next, the rest reaches the result).
            if !covered, !needed.isEmpty {
                selfKept = true
                walk()
            }
            let anchored = covered
            underWay.remove(load)
            decided[load] = anchored
            return anchored
        }

        /// Whether `needed` holds a bit of every byte of a `width`-bit value.
        private func covers(_ needed: Set<Int>, _ width: Int) -> Bool {
            stride(from: 0, to: width, by: 8).allSatisfy { byte in (byte..<byte + 8).contains { needed.contains($0) } }
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
        isComputed(value, from: { $0 == load }, through: { LLVMIsAPHINode($0) == nil && LLVMGetInstructionParent($0) == block })
    }

    /// Whether `value` may be computed from any of `followed` (the values a load's bits were
    /// followed through from a phi), through any block and phi. A load's result does not count
    /// as computed from its address: a fold could only see through it by forwarding a stored
    /// value that cancels the bits followed, and that store, taking them, is itself an anchor.
    private static func dependsOnAny(_ value: LLVMValueRef, of followed: Set<LLVMValueRef>) -> Bool {
        isComputed(value, from: followed.contains, through: { LLVMIsALoadInst($0) == nil }, widest: 1024)
    }

    /// Whether `value` is, or is computed from, a value `isSource` accepts, going up the operands
    /// of the instructions `passes` lets through. Too deep (or, past `widest` instructions, too
    /// wide) to tell counts as computed.
    private static func isComputed(_ value: LLVMValueRef, from isSource: (LLVMValueRef) -> Bool,
                                   through passes: (LLVMValueRef) -> Bool, widest: Int = .max) -> Bool {
        var visited: Set<LLVMValueRef> = []
        func computed(_ current: LLVMValueRef, _ depth: Int) -> Bool {
            if isSource(current) { return true }
            guard LLVMIsAInstruction(current) != nil, passes(current), visited.insert(current).inserted else { return false }
            guard depth < searchDepth, visited.count < widest else { return true }
            return (0..<UInt32(max(0, LLVMGetNumOperands(current)))).contains { index in
                LLVMGetOperand(current, index).map { computed($0, depth + 1) } ?? false
            }
        }
        return computed(value, 0)
    }

}
