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

    /// Replaces every keeper in `module`: by nothing in a loop that can still leave, by a volatile
    /// publish of its values in one that cannot. Run once simplification has decided which loops
    /// leave, and in any case before code generation.
    public static func settle(in module: LLVMModuleRef) {
        guard let keeper = LLVMGetNamedFunction(module, symbol) else { return }
        let builder = LLVMCreateBuilderInContext(LLVMGetModuleContext(module))!
        defer { LLVMDisposeBuilder(builder) }
        let cell = LLVMGetNamedGlobal(module, LoadWitness.symbol)
        // A block that publishes the witness (a store into its cell) is a way out for the loads
        // before it, as a return is.
        let publishes = { (block: LLVMBasicBlockRef) in
            cell.map { cell in
                IRWalk.instructions(in: block).contains { LLVMIsAStoreInst($0) != nil && LoadWitness.isInCell(LLVMGetOperand($0, 1), cell) }
            } ?? false
        }
        var endless: [LLVMValueRef: Set<LLVMBasicBlockRef>] = [:]
        for call in IRWalk.instructionUsers(of: keeper) {
            let block = LLVMGetInstructionParent(call)!
            let function = LLVMGetBasicBlockParent(block)!
            if endless[function] == nil { endless[function] = Set(EndlessRegions(of: function, isWayOut: publishes).blocks) }
            let sum = LLVMGetOperand(call, 0)!
            if endless[function]!.contains(block), LLVMIsNull(sum) == 0 {
                // A volatile publish of the sum into the cell's 64-bit accumulator.
                LLVMPositionBuilderBefore(builder, call)
                for access in LoadWitness.addIntoCell(sum, width: 64, cell: cell!, builder) { LLVMSetVolatile(access, 1) }
            }
            LLVMInstructionEraseFromParent(call)
        }
        LLVMDeleteFunction(keeper)
    }
}
