import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// Linear-memory access. Each access asks its memory's `LinearMemory` for its address, which
/// says how the access is kept inside the memory and why that is safe.
extension FunctionLowering {
    mutating func visitLoad(_ load: Instruction.Load, memarg: MemArg) throws(WasmError) {
        try validator.visitLoad(load, memarg: memarg)
        guard isReachable else { return }
        if load.isAtomic { return lowerAtomicLoad(load, memarg: memarg) }
        let address = popAddress(memarg, width: 1 << load.naturalAlignment)
        push(emitLoad(load, at: address))
    }

    mutating func visitStore(_ store: Instruction.Store, memarg: MemArg) throws(WasmError) {
        try validator.visitStore(store, memarg: memarg)
        guard isReachable else { return }
        if store.isAtomic { return lowerAtomicStore(store, memarg: memarg) }
        let value = pop()
        let address = popAddress(memarg, width: 1 << store.naturalAlignment)
        let stored: LLVMValueRef
        switch store {
        case .i32Store, .i64Store, .f32Store, .f64Store, .v128Store: stored = value
        case .i32Store8, .i64Store8: stored = LLVMBuildTrunc(ir.builder, value, ir.i8, "")!
        case .i32Store16, .i64Store16: stored = LLVMBuildTrunc(ir.builder, value, ir.i16, "")!
        case .i64Store32: stored = LLVMBuildTrunc(ir.builder, value, ir.i32, "")!
        default: preconditionFailure("atomic stores are lowered by lowerAtomicStore")
        }
        storeUnaligned(stored, address)
    }

    mutating func visitSimdMemLane(_ op: Instruction.SimdMemLane, memarg: MemArg, lane: UInt8) throws(WasmError) {
        try validator.visitSimdMemLane(op, memarg: memarg, lane: lane)
        guard isReachable else { return }
        let vector = pop()
        let laneType: LLVMTypeRef = switch op {
        case .v128Load8Lane, .v128Store8Lane: ir.i8
        case .v128Load16Lane, .v128Store16Lane: ir.i16
        case .v128Load32Lane, .v128Store32Lane: ir.i32
        case .v128Load64Lane, .v128Store64Lane: ir.i64
        }
        let address = popAddress(memarg, width: UInt64(LLVMGetIntTypeWidth(laneType) / 8))
        let lanes = UInt32(128 / LLVMGetIntTypeWidth(laneType))
        let shaped = LLVMBuildBitCast(ir.builder, vector, ir.vector(laneType, lanes), "")!
        switch op {
        case .v128Load8Lane, .v128Load16Lane, .v128Load32Lane, .v128Load64Lane:
            let scalar = loadUnaligned(laneType, address)
            let inserted = LLVMBuildInsertElement(ir.builder, shaped, scalar, ir.i32(UInt32(lane)), "")!
            push(LLVMBuildBitCast(ir.builder, inserted, ir.v128, "")!)
        case .v128Store8Lane, .v128Store16Lane, .v128Store32Lane, .v128Store64Lane:
            storeUnaligned(LLVMBuildExtractElement(ir.builder, shaped, ir.i32(UInt32(lane)), "")!, address)
        }
    }

    mutating func visitMemorySize(memory: UInt32) throws(WasmError) {
        try validator.visitMemorySize(memory: memory)
        guard isReachable else { return }
        let linearMemory = context.memories[Int(memory)]
        let pages = LLVMBuildLShr(ir.builder, linearMemory.byteSize(vm), ir.i64(UInt64(16)), "")!
        push(linearMemory.is64 ? pages : LLVMBuildTrunc(ir.builder, pages, ir.i32, "")!)
    }

    mutating func visitMemoryGrow(memory: UInt32) throws(WasmError) {
        try validator.visitMemoryGrow(memory: memory)
        guard isReachable else { return }
        // The runtime takes and returns page counts in 64 bits (-1 for a failure), which a
        // 32-bit memory's code narrows.
        let pages = pop()
        let delta = widenedAddress(pages)
        let type = ir.functionType(ir.i64, [ir.ptr, ir.i32, ir.i64])
        loadWitness.publish()
        let old = vm.callRuntime(ABI.Runtime.memoryGrow, type, [ir.i32(memory), delta])
        push(context.memories[Int(memory)].is64 ? old : LLVMBuildTrunc(ir.builder, old, ir.i32, "")!)
    }

    /// An address, size or page count of either kind of memory as the runtime's entry points take
    /// it: zero-extended to an i64.
    func widenedAddress(_ value: LLVMValueRef) -> LLVMValueRef { zeroExtended(value, to: ir.i64) }

    /// `value` as `type`, zero-extended unless it already is one.
    func zeroExtended(_ value: LLVMValueRef, to type: LLVMTypeRef) -> LLVMValueRef {
        LLVMTypeOf(value) == type ? value : LLVMBuildZExt(ir.builder, value, type, "")!
    }

    // MARK: Addressing

    /// The address of an access of `width` bytes at the index on top of the stack, popped.
    mutating func popAddress(_ memarg: MemArg, width: UInt64) -> MemoryAddress {
        let index = pop()
        return context.memories[Int(memarg.memory)].address(vm, traps, index: index, offset: memarg.offset, width: width)
    }

    /// Wasm's alignment is only a hint, so every access is emitted with alignment 1. The load
    /// witness (or volatility) keeps the load, and so its trap, whatever becomes of its value.
    func loadUnaligned(_ type: LLVMTypeRef, _ address: MemoryAddress) -> LLVMValueRef {
        let load = LLVMBuildLoad2(ir.builder, type, address.pointer, "")!
        LLVMSetAlignment(load, 1)
        if address.memory.carriesAliasTags { vm.aliasTags.tag(load, .linearMemoryLoad) }
        loadWitness.observe(load)
        return load
    }

    func storeUnaligned(_ value: LLVMValueRef, _ address: MemoryAddress) {
        let store = LLVMBuildStore(ir.builder, value, address.pointer)!
        LLVMSetAlignment(store, 1)
        vm.aliasTags.tag(store, address.memory.carriesAliasTags ? .linearMemory : .linearMemory64)
    }

    private func emitLoad(_ load: Instruction.Load, at address: MemoryAddress) -> LLVMValueRef {
        let b = ir.builder
        switch load {
        case .i32Load: return loadUnaligned(ir.i32, address)
        case .i64Load: return loadUnaligned(ir.i64, address)
        case .f32Load: return loadUnaligned(ir.f32, address)
        case .f64Load: return loadUnaligned(ir.f64, address)
        case .v128Load: return loadUnaligned(ir.v128, address)
        case .i32Load8S: return LLVMBuildSExt(b, loadUnaligned(ir.i8, address), ir.i32, "")!
        case .i32Load8U: return LLVMBuildZExt(b, loadUnaligned(ir.i8, address), ir.i32, "")!
        case .i32Load16S: return LLVMBuildSExt(b, loadUnaligned(ir.i16, address), ir.i32, "")!
        case .i32Load16U: return LLVMBuildZExt(b, loadUnaligned(ir.i16, address), ir.i32, "")!
        case .i64Load8S: return LLVMBuildSExt(b, loadUnaligned(ir.i8, address), ir.i64, "")!
        case .i64Load8U: return LLVMBuildZExt(b, loadUnaligned(ir.i8, address), ir.i64, "")!
        case .i64Load16S: return LLVMBuildSExt(b, loadUnaligned(ir.i16, address), ir.i64, "")!
        case .i64Load16U: return LLVMBuildZExt(b, loadUnaligned(ir.i16, address), ir.i64, "")!
        case .i64Load32S: return LLVMBuildSExt(b, loadUnaligned(ir.i32, address), ir.i64, "")!
        case .i64Load32U: return LLVMBuildZExt(b, loadUnaligned(ir.i32, address), ir.i64, "")!
        case .v128Load8X8S: return extendingVectorLoad(ir.i8, ir.i16, 8, signed: true, address)
        case .v128Load8X8U: return extendingVectorLoad(ir.i8, ir.i16, 8, signed: false, address)
        case .v128Load16X4S: return extendingVectorLoad(ir.i16, ir.i32, 4, signed: true, address)
        case .v128Load16X4U: return extendingVectorLoad(ir.i16, ir.i32, 4, signed: false, address)
        case .v128Load32X2S: return extendingVectorLoad(ir.i32, ir.i64, 2, signed: true, address)
        case .v128Load32X2U: return extendingVectorLoad(ir.i32, ir.i64, 2, signed: false, address)
        case .v128Load8Splat: return splatLoad(ir.i8, 16, address)
        case .v128Load16Splat: return splatLoad(ir.i16, 8, address)
        case .v128Load32Splat: return splatLoad(ir.i32, 4, address)
        case .v128Load64Splat: return splatLoad(ir.i64, 2, address)
        case .v128Load32Zero: return zeroExtendedLoad(ir.i32, 4, address)
        case .v128Load64Zero: return zeroExtendedLoad(ir.i64, 2, address)
        default: preconditionFailure("atomic loads are lowered by lowerAtomicLoad")
        }
    }

    private func extendingVectorLoad(
        _ narrow: LLVMTypeRef, _ wide: LLVMTypeRef, _ lanes: UInt32, signed: Bool, _ address: MemoryAddress
    ) -> LLVMValueRef {
        let loaded = loadUnaligned(ir.vector(narrow, lanes), address)
        let extended = signed
            ? LLVMBuildSExt(ir.builder, loaded, ir.vector(wide, lanes), "")!
            : LLVMBuildZExt(ir.builder, loaded, ir.vector(wide, lanes), "")!
        return LLVMBuildBitCast(ir.builder, extended, ir.v128, "")!
    }

    private func splatLoad(_ lane: LLVMTypeRef, _ lanes: UInt32, _ address: MemoryAddress) -> LLVMValueRef {
        let scalar = loadUnaligned(lane, address)
        let vectorType = ir.vector(lane, lanes)
        let first = LLVMBuildInsertElement(ir.builder, LLVMGetUndef(vectorType), scalar, ir.i32(UInt32(0)), "")!
        let mask = LLVMConstNull(ir.vector(ir.i32, lanes))!
        let splat = LLVMBuildShuffleVector(ir.builder, first, LLVMGetUndef(vectorType), mask, "")!
        return LLVMBuildBitCast(ir.builder, splat, ir.v128, "")!
    }

    private func zeroExtendedLoad(_ lane: LLVMTypeRef, _ lanes: UInt32, _ address: MemoryAddress) -> LLVMValueRef {
        let scalar = loadUnaligned(lane, address)
        let vector = LLVMBuildInsertElement(ir.builder, LLVMConstNull(ir.vector(lane, lanes)), scalar, ir.i32(UInt32(0)), "")!
        return LLVMBuildBitCast(ir.builder, vector, ir.v128, "")!
    }
}
