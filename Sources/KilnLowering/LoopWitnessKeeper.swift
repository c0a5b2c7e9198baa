import CLLVM
import KilnLLVM

/// Keeps a loop's loads when the loop has, or is left with, no way out.
///
/// The load witness is published on every way out of a function: a return, a trap, a call. A
/// loop that never leaves has none of these, so its accumulators would be dead, and with them
/// every load whose value the loop does not otherwise need: `(loop (drop (i32.load ..)) (br 0))`
/// spun for ever at -O2 where Wasm traps on the first out-of-bounds load. A loop can also lose
/// its ways out during optimisation: an exit on a condition that inlining or propagation makes
/// constant, or one on a loop-invariant condition that unswitching moves in front of a copy of
/// the loop that never leaves.
///
/// The accumulators may hold loads from before the loop, too: `(i32.load ..) (loop (br 0))`
/// never publishes the load's value either (smith seed 1803006816, without its fuel).
///
/// So each loop, once the function has loaded anything, keeps its accumulators live through a
/// call atop its header (`LoadWitness.keepRoundLoop`), `kiln.witness.keep(i64)`, taking their
/// sum, declared to write only memory nothing else can reach: no pass deletes it or the values
/// it takes, and no alias query, hoist or unswitch is held up by it. Once the module is
/// simplified (`settle`, before the load witness is released), a keeper in a loop that still
/// has a way out (or keeps only zeros) goes, and one in a loop with none becomes a volatile
/// publish, which no later pass deletes or merges. The call never reaches the code generator,
/// so the function is only ever declared.
///
/// A loop whose keeper went because it could leave relies on that way out staying through the
/// passes after simplification (vectorising, unrolling, the late cleanup). None has been seen to
/// remove one, but that is checked, not assumed: `functionsThatLostAWayOut` finds a function
/// left looping for ever without a publish after the last pass, and PartitionCompilation then
/// compiles its partition again holding that function's keepers to the end.
public enum LoopWitnessKeeper {
    static let symbol = "kiln.witness.keep"

    /// Emits the call, keeping `sum`, an i64 that depends on every accumulator the loop feeds.
    static func emitCall(keeping sum: LLVMValueRef, _ ir: IRBuilder) {
        let type = ir.functionType(ir.void, [ir.i64])
        _ = ir.call(type, declaration(type, ir), [sum])
    }

    private static func declaration(_ type: LLVMTypeRef, _ ir: IRBuilder) -> LLVMValueRef {
        if let existing = LLVMGetNamedFunction(ir.module, symbol) { return existing }
        let function = LLVMAddFunction(ir.module, symbol, type)!
        let index = LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex))
        // It returns, so nothing after it counts as conditionally executed (LICM still hoists
        // loads out of the loop, GVN still moves them); it writes memory nobody else touches
        // (memory(inaccessiblemem: write): two bits per location, inaccessible memory second),
        // which is what stops LLVM from deleting it without making it alias any access. And it
        // is `noinline`: the ThinLTO pre-link pipeline does not rotate a loop whose header calls
        // a function it might inline later, which changed loops' shapes (and gdb's view of them).
        for name in ["nounwind", "willreturn", "nocallback", "nofree", "nosync", "norecurse", "noinline"] {
            LLVMAddAttributeAtIndex(function, index, ir.enumAttribute(name))
        }
        LLVMAddAttributeAtIndex(function, index, ir.enumAttribute("memory", 0b10 << 2))
        return function
    }

    /// Replaces the keepers in `module`: by nothing in a loop that can still leave, by a volatile
    /// publish of their values in one that cannot. Run once simplification has decided which
    /// loops leave. The keepers of the functions named in `holding` stay, for
    /// `settleAfterTheLastPass`.
    ///
    /// - Returns: the functions that lost a keeper of some loads because its loop could leave.
    ///   Their loads now rely on those ways out staying; `functionsThatLostAWayOut` checks that
    ///   they did, and so that it can tell, every part of these functions that could not leave
    ///   already gets a volatile publish too, of zero where there is no keeper's sum.
    public static func settle(in module: LLVMModuleRef, holding: Set<String>) -> Set<String> {
        let trustingTheirExits = replaceKeepers(in: module, holding: holding)
        let cell = LLVMGetNamedGlobal(module, LoadWitness.symbol)
        for function in trustingTheirExits { publishInEveryEndlessRegion(of: function, cell: cell!) }
        return Set(trustingTheirExits.map(IRWalk.name(of:)))
    }

    /// Replaces the keepers left (held ones, or all of a pipeline without a cleanup phase) when no
    /// pass comes any more, so no way out can be lost after it and nothing is checked.
    public static func settleAfterTheLastPass(in module: LLVMModuleRef) {
        _ = replaceKeepers(in: module, holding: [])
    }

    /// Replaces the keepers of every function not in `holding`; the functions that gave up a
    /// keeper of some loads because its loop could leave.
    private static func replaceKeepers(in module: LLVMModuleRef, holding: Set<String>) -> [LLVMValueRef] {
        guard let keeper = LLVMGetNamedFunction(module, symbol) else { return [] }
        let builder = LLVMCreateBuilderInContext(LLVMGetModuleContext(module))!
        defer { LLVMDisposeBuilder(builder) }
        let cell = LLVMGetNamedGlobal(module, LoadWitness.symbol)
        var endless: [LLVMValueRef: Set<LLVMBasicBlockRef>] = [:]
        var trustingTheirExits: [LLVMValueRef] = []
        var held = 0
        for call in IRWalk.instructionUsers(of: keeper) {
            let block = LLVMGetInstructionParent(call)!
            let function = LLVMGetBasicBlockParent(block)!
            if holding.contains(IRWalk.name(of: function)) {
                held += 1
                continue
            }
            if endless[function] == nil { endless[function] = Set(endlessRegions(of: function, cell: cell).blocks) }
            let sum = LLVMGetOperand(call, 0)!
            if LLVMIsNull(sum) == 0 {
                if endless[function]!.contains(block) {
                    LLVMPositionBuilderBefore(builder, call)
                    publishVolatile(sum, cell: cell!, builder)
                } else if !trustingTheirExits.contains(function) {
                    trustingTheirExits.append(function)
                }
            }
            LLVMInstructionEraseFromParent(call)
        }
        if held == 0 { LLVMDeleteFunction(keeper) }
        return trustingTheirExits
    }

    /// Those of `functions` (from `settle`) left with code that loops for ever without
    /// publishing the witness: a pass after settling removed the last way out of a loop whose
    /// keeper had gone, so its loads may have gone too. No pass has been seen to do that (LLVM's
    /// loop and vector passes, unrolling and the late cleanup run after settling); if one ever
    /// does, the partition is compiled again with these functions' keepers held to the end.
    public static func functionsThatLostAWayOut(in module: LLVMModuleRef, among functions: Set<String>) -> Set<String> {
        let cell = LLVMGetNamedGlobal(module, LoadWitness.symbol)
        return functions.filter { name in
            guard let function = LLVMGetNamedFunction(module, name) else { return false }
            return !endlessRegions(of: function, cell: cell).blocks.isEmpty
        }
    }

    /// Makes every part of `function` that loops for ever publish the witness, so that one found
    /// at the end without a publish is known to have lost its way out later. Such code has no
    /// loads to keep (or it would have had a keeper), and how fast it spins does not matter.
    private static func publishInEveryEndlessRegion(of function: LLVMValueRef, cell: LLVMValueRef) {
        let context = LLVMGetModuleContext(LLVMGetGlobalParent(function))
        let builder = LLVMCreateBuilderInContext(context)!
        defer { LLVMDisposeBuilder(builder) }
        let zero = LLVMConstInt(LLVMInt64TypeInContext(context), 0, 0)!
        // One publish per region suffices: every block that can reach it now has a way out.
        while let block = endlessRegions(of: function, cell: cell).blocks.last {
            LLVMPositionBuilderBefore(builder, LLVMGetBasicBlockTerminator(block))
            publishVolatile(zero, cell: cell, builder)
        }
    }

    /// A volatile publish of `sum` into the cell's 64-bit accumulator, which no pass deletes.
    private static func publishVolatile(_ sum: LLVMValueRef, cell: LLVMValueRef, _ builder: LLVMBuilderRef) {
        for access in LoadWitness.addIntoCell(sum, width: 64, cell: cell, builder) { LLVMSetVolatile(access, 1) }
    }

    /// A block that publishes the witness (a store into its cell) is a way out for the loads
    /// before it, as a return is.
    private static func endlessRegions(of function: LLVMValueRef, cell: LLVMValueRef?) -> EndlessRegions {
        EndlessRegions(of: function) { block in
            cell.map { cell in
                IRWalk.instructions(in: block).contains { LLVMIsAStoreInst($0) != nil && LoadWitness.isInCell(LLVMGetOperand($0, 1), cell) }
            } ?? false
        }
    }

    /// Whether `call` is a keeper's: it writes nothing a Wasm program can see, so it is no anchor
    /// for a load (LoadBits), even where it stays until the end.
    static func isKeeper(_ call: LLVMValueRef) -> Bool {
        guard let callee = LLVMGetCalledValue(call), LLVMIsAFunction(callee) != nil else { return false }
        return callee == LLVMGetNamedFunction(LLVMGetGlobalParent(callee), symbol)
    }
}
