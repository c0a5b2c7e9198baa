import CLLVM
import KilnLLVM

/// Type-based alias analysis tags that tell LLVM linear memory and the runtime's data never
/// overlap.
///
/// Linear memory is its own reservation; the vmctx, global cells, tables, function records and
/// memory objects are runtime allocations outside it. Without this, every store to linear memory
/// may clobber a global cell (so `__stack_pointer` is reloaded after each store, and its stores
/// cannot be merged) and every `global.set` may clobber linear memory (so loads are repeated).
/// Accesses that carry no tag (locals, trampolines) still alias everything, which is safe. The
/// load witness' cell (LoadWitness) is a third domain: its updates never make LLVM reload memory
/// or globals around them.
///
/// Loads from linear memory are the exception to the split: they carry the tag of the two
/// domains' common parent, so they may alias a store to either. An out-of-bounds load traps,
/// and after a trap the host sees every global, table and memory byte stored before it; LLVM
/// knows nothing of that trap and, told that the load cannot read a global, would sink the
/// global's store past it (LICM keeps a global written in a loop in a register until the loop
/// exits) or hoist the load above it (smith seed 100000303838). A store to linear memory still
/// never makes LLVM reload a global, which is what `__stack_pointer` needs.
///
/// Only alias analysis reads the tags, and only -O2 and -O3 run passes that ask it: at -O0 and
/// -O1 the tags are left out (`isEnabled`), since attaching them, checking them in the verifier
/// and copying them through every pass was 4% of a fast-tier compile.
struct AliasTags {
    enum Domain {
        /// Stores to a 32-bit linear memory.
        case linearMemory
        /// Stores to a 64-bit linear memory: linear memory, so never runtime data, but a tag of
        /// its own, which AddressNoWrap and MemoryLoopVersioning (whose arguments rest on a 32-bit
        /// memory's 4 GiB bound) do not take for theirs.
        case linearMemory64
        /// Loads from linear memory: they may alias `linearMemory` and `runtimeData`.
        case linearMemoryLoad
        /// Globals' cells, tables, the vmctx and other runtime records.
        case runtimeData
        case loadWitness
    }

    let ir: IRBuilder
    let isEnabled: Bool

    func tag(_ access: LLVMValueRef, _ domain: Domain) {
        guard isEnabled else { return }
        let path = Self.path(domain)
        let tag = ir.cachedMetadata(path.joined(separator: "/")) { Self.accessTag(path: path, ir.context) }
        LLVMSetMetadata(access, LLVMGetMDKindIDInContext(ir.context, "tbaa", 4), tag)
    }

    /// The tags of stores to and loads from linear memory, as `tag` attaches them: an access
    /// carrying one of them addresses a linear memory (AddressNoWrap, MemoryLoopVersioning).
    static func linearMemoryTags(_ context: LLVMContextRef) -> (store: LLVMValueRef, load: LLVMValueRef) {
        (accessTag(path: path(.linearMemory), context), accessTag(path: path(.linearMemoryLoad), context))
    }

    private static func path(_ domain: Domain) -> [String] {
        switch domain {
        case .linearMemory: [observableState, "wasm linear memory"]
        case .linearMemory64: [observableState, "wasm linear memory", "64-bit"]
        case .linearMemoryLoad: [observableState]
        case .runtimeData: [observableState, "kiln runtime data"]
        case .loadWitness: ["kiln load witness"]
        }
    }

    /// The parent of linear memory and runtime data: what a trap leaves for the host to see.
    private static let observableState = "wasm observable state"

    /// The access tag of the type at the end of `path`, each name a child of the one before and
    /// the first a child of the root. LLVM's metadata nodes are uniqued, so each name's node is
    /// the same whichever path reaches it.
    private static func accessTag(path: [String], _ context: LLVMContextRef) -> LLVMValueRef {
        let zero = LLVMValueAsMetadata(LLVMConstInt(LLVMInt64TypeInContext(context), 0, 0))
        var type = node(context, [string(context, "kiln alias domains")])
        for name in path { type = node(context, [string(context, name), type, zero]) }
        return LLVMMetadataAsValue(context, node(context, [type, type, zero]))
    }

    private static func string(_ context: LLVMContextRef, _ text: String) -> LLVMMetadataRef {
        LLVMMDStringInContext2(context, text, text.utf8.count)
    }

    private static func node(_ context: LLVMContextRef, _ operands: [LLVMMetadataRef?]) -> LLVMMetadataRef {
        var operands = operands
        return operands.withUnsafeMutableBufferPointer { LLVMMDNodeInContext2(context, $0.baseAddress, $0.count) }
    }
}
