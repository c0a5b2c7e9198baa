import CLLVM
import KilnLLVM

/// Reads of the runtime structures reachable from a function's vmctx, and calls into the runtime.
struct VMContextAccess {
    let ir: IRBuilder
    let vmContext: LLVMValueRef
    let aliasTags: AliasTags

    /// Loads a field at `offset` bytes from `base`. `invariant` marks fields that never change
    /// after instantiation (the vmctx arrays, function records, the memory base), which lets LLVM
    /// hoist them out of loops and merge repeated loads.
    func loadField(_ base: LLVMValueRef, _ offset: UInt64, _ type: LLVMTypeRef, invariant: Bool) -> LLVMValueRef {
        let load = LLVMBuildLoad2(ir.builder, type, fieldAddress(base, offset), "")!
        aliasTags.tag(load, .runtimeData)
        if invariant {
            LLVMSetMetadata(load, LLVMGetMDKindIDInContext(ir.context, "invariant.load", 14), LLVMMDNodeInContext(ir.context, nil, 0))
        }
        return load
    }

    func fieldAddress(_ base: LLVMValueRef, _ offset: UInt64) -> LLVMValueRef {
        offset == 0 ? base : LLVMBuildGEP2(ir.builder, ir.i8, base, [ir.i64(offset)], "")!
    }

    /// Element `index` of a pointer array that is itself a vmctx field (memories, tables, globals, funcs).
    func arrayElement(_ field: UInt64, _ index: UInt32) -> LLVMValueRef {
        let array = loadField(vmContext, field, ir.ptr, invariant: true)
        return loadField(array, UInt64(index) * 8, ir.ptr, invariant: true)
    }

    /// The kiln_vmctx itself, which the runtime's entry points take as their first argument: the
    /// context pointer is just past it (ABI.VMContext).
    var runtimeContext: LLVMValueRef { fieldAddress(vmContext, ABI.VMContext.start) }

    /// Calls a kiln_runtime_api entry point with `args` after the kiln_vmctx (`type` has both).
    @discardableResult
    func callRuntime(_ entry: UInt64, _ type: LLVMTypeRef, _ args: [LLVMValueRef], _ label: String = "") -> LLVMValueRef {
        ir.call(type, runtimeEntry(entry), [runtimeContext] + args, label)
    }

    /// The address of a kiln_runtime_api entry point, for a call or an invoke.
    func runtimeEntry(_ entry: UInt64) -> LLVMValueRef {
        let api = loadField(vmContext, ABI.VMContext.runtime, ir.ptr, invariant: true)
        return loadField(api, entry, ir.ptr, invariant: true)
    }
}

/// Emits traps. Conditional traps share one cold block per trap code in each function. Each
/// publishes the load witness before calling the runtime, so every load before the trap happens
/// (and faults first, if it must) before it.
final class TrapEmitter {
    let ir: IRBuilder
    let function: LLVMValueRef
    let vm: VMContextAccess
    let loadWitness: LoadWitness
    private var blocks: [UInt32: LLVMBasicBlockRef] = [:]

    init(ir: IRBuilder, function: LLVMValueRef, vm: VMContextAccess, loadWitness: LoadWitness) {
        self.ir = ir
        self.function = function
        self.vm = vm
        self.loadWitness = loadWitness
    }

    /// Branches to the trap with `code` when `condition` (i1) holds, and continues otherwise.
    func trapIf(_ condition: LLVMValueRef, _ code: UInt32) {
        let continuation = ir.appendBlock("ok", to: function)
        ir.conditionalBranch(condition, block(for: code), continuation, rarely: true)
        ir.position(at: continuation)
    }

    /// Unconditional trap: ends the current block.
    func trap(_ code: UInt32) {
        LLVMBuildBr(ir.builder, block(for: code))
    }

    private func block(for code: UInt32) -> LLVMBasicBlockRef {
        if let block = blocks[code] { return block }
        let current = LLVMGetInsertBlock(ir.builder)!
        let block = ir.appendBlock("trap\(code)", to: function)
        ir.position(at: block)
        loadWitness.publish()
        vm.callRuntime(ABI.Runtime.trap, ir.functionType(ir.void, [ir.ptr, ir.i32]), [ir.i32(code)])
        LLVMBuildUnreachable(ir.builder)
        ir.position(at: current)
        blocks[code] = block
        return block
    }
}

/// LLVMBuildInBoundsGEP2 with Swift arrays. (LLVMSetIsInBounds on a GEP the builder folded into a
/// constant expression, as it does when every operand is constant, writes past the constant.)
func LLVMBuildInBoundsGEP2(_ builder: LLVMBuilderRef, _ type: LLVMTypeRef, _ pointer: LLVMValueRef, _ indices: [LLVMValueRef], _ name: String) -> LLVMValueRef? {
    var indices: [LLVMValueRef?] = indices
    return indices.withUnsafeMutableBufferPointer {
        LLVMBuildInBoundsGEP2(builder, type, pointer, $0.baseAddress, UInt32($0.count), name)
    }
}

/// LLVMBuildGEP2 with Swift arrays.
func LLVMBuildGEP2(_ builder: LLVMBuilderRef, _ type: LLVMTypeRef, _ pointer: LLVMValueRef, _ indices: [LLVMValueRef], _ name: String) -> LLVMValueRef? {
    var indices: [LLVMValueRef?] = indices
    return indices.withUnsafeMutableBufferPointer {
        LLVMBuildGEP2(builder, type, pointer, $0.baseAddress, UInt32($0.count), name)
    }
}
