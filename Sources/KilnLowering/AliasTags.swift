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
/// Only alias analysis reads the tags, and only -O2 and -O3 run passes that ask it: at -O0 and
/// -O1 the tags are left out (`isEnabled`), since attaching them, checking them in the verifier
/// and copying them through every pass was 4% of a fast-tier compile.
struct AliasTags {
    enum Domain { case linearMemory, runtimeData, loadWitness }

    let ir: IRBuilder
    let isEnabled: Bool

    func tag(_ access: LLVMValueRef, _ domain: Domain) {
        guard isEnabled else { return }
        let name = switch domain {
        case .linearMemory: "wasm linear memory"
        case .runtimeData: "kiln runtime data"
        case .loadWitness: "kiln load witness"
        }
        let tag = ir.cachedMetadata(name) { Self.accessTag(named: name, ir.context) }
        LLVMSetMetadata(access, LLVMGetMDKindIDInContext(ir.context, "tbaa", 4), tag)
    }

    private static func accessTag(named name: String, _ context: LLVMContextRef) -> LLVMValueRef {
        let root = node(context, [string(context, "kiln alias domains")])
        let zero = LLVMValueAsMetadata(LLVMConstInt(LLVMInt64TypeInContext(context), 0, 0))
        let type = node(context, [string(context, name), root, zero])
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
