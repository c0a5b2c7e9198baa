import CLLVM
import KilnLLVM

/// Keeps an out-of-bounds access's trap in program order against every other access the host can
/// see, where loads are ordinary loads (-O2, -O3): alias analysis in the IR passes that never
/// calls such an access disjoint from another, and volatile accesses in the code generator. Why
/// it is needed and why it is enough: Sources/CLLVM/trap_ordering_alias_analysis.cpp. At -O0
/// and -O1 loads are volatile from the start (LoadKeeping), which orders them already.
public enum TrapOrdering {
    /// The tags that mark an access that may trap, for `TargetMachine.optimize(orderingTraps:)`.
    public static func trappingAccessTags(of module: LLVMModuleRef) -> TrappingAccessTags {
        let tags = AliasTags.linearMemoryTags(LLVMGetModuleContext(module))
        return TrappingAccessTags(store: LLVMValueAsMetadata(tags.store), load: LLVMValueAsMetadata(tags.load))
    }

    /// After the last IR pass: the code generator reorders memory accesses it can tell apart
    /// (SelectionDAG compares base and offset without asking alias analysis), but never volatile
    /// ones with each other.
    public static func orderInCodeGeneration(_ module: LLVMModuleRef) {
        let tags = trappingAccessTags(of: module)
        let counts = kiln_order_trapping_accesses(module, tags.store, tags.load)
        PhaseReport.count("accesses made volatile to order traps", Int(counts.madeVolatile))
        PhaseReport.count("of them found by scalar evolution", Int(counts.foundByScalarEvolution))
    }
}
