import CLLVM
import KilnFrontend
import WasmParser

/// The threads proposal: atomic loads, stores and read-modify-writes, fences, and
/// memory.atomic.wait and notify.
///
/// Every atomic access is sequentially consistent, as the proposal requires, and aligned to its
/// width (LinearMemory.atomicAddress traps first otherwise), so LLVM emits it as one native atomic
/// instruction: a plain load, an xchg for a store, a lock-prefixed instruction or a
/// compare-and-exchange loop for a read-modify-write on x86-64. An atomic access is never deleted or
/// merged by LLVM (stronger than unordered, it counts as writing memory), which is what keeps its
/// trap: it needs no load witness, and carries no alias tags (LLVM orders it against every other
/// access anyway). A read-modify-write is volatile as well, for x86's code generator (below).
extension FunctionLowering {
    private static let sequentiallyConsistent = LLVMAtomicOrderingSequentiallyConsistent

    /// `i32.atomic.load8_u` and the others: a zero-extended atomic load.
    mutating func lowerAtomicLoad(_ load: Instruction.Load, memarg: MemArg) {
        let width = UInt64(1) << load.naturalAlignment
        let address = popAtomicAddress(memarg, width: width)
        let loaded = LLVMBuildLoad2(ir.builder, integerType(bytes: width), address.pointer, "")!
        makeAtomic(loaded, width: width)
        push(zeroExtended(loaded, to: load.type == .i64 ? ir.i64 : ir.i32))
    }

    /// `i64.atomic.store32` and the others: an atomic store of the value wrapped to its width.
    mutating func lowerAtomicStore(_ store: Instruction.Store, memarg: MemArg) {
        let width = UInt64(1) << store.naturalAlignment
        let value = pop()
        let address = popAtomicAddress(memarg, width: width)
        let stored = LLVMBuildStore(ir.builder, wrapped(value, toBytes: width), address.pointer)!
        makeAtomic(stored, width: width)
    }

    mutating func lowerAtomic(_ rmw: AtomicReadModifyWrite) {
        let width = UInt64(rmw.width)
        let resultType = rmw.type == .i64 ? ir.i64 : ir.i32
        let value = pop()
        let replaced = rmw.operation == .cmpxchg ? pop() : nil
        let operand = wrapped(value, toBytes: width)
        let expected = replaced.map { wrapped($0, toBytes: width) }
        let address = popAtomicAddress(rmw.memarg, width: width)
        let old: LLVMValueRef
        if let expected {
            let exchange = LLVMBuildAtomicCmpXchg(
                ir.builder, address.pointer, expected, operand, Self.sequentiallyConsistent, Self.sequentiallyConsistent, 0)!
            old = LLVMBuildExtractValue(ir.builder, exchange, 0, "")!
        } else {
            let operation: LLVMAtomicRMWBinOp = switch rmw.operation {
            case .add: LLVMAtomicRMWBinOpAdd
            case .sub: LLVMAtomicRMWBinOpSub
            case .and: LLVMAtomicRMWBinOpAnd
            case .or: LLVMAtomicRMWBinOpOr
            case .xor: LLVMAtomicRMWBinOpXor
            case .xchg, .cmpxchg: LLVMAtomicRMWBinOpXchg
            }
            let modify = LLVMBuildAtomicRMW(ir.builder, operation, address.pointer, operand, Self.sequentiallyConsistent, 0)!
            // Volatile: one whose operand leaves memory as it is (or 0, add 0, and -1, perhaps
            // only once constants are propagated) and whose result is unused is otherwise only
            // a fence to x86's code generator, which then makes a locked access to the stack
            // instead, and an out-of-bounds access no longer traps.
            LLVMSetVolatile(modify, 1)
            old = modify
        }
        push(zeroExtended(old, to: resultType))
    }

    mutating func visitAtomicFence() throws(WasmError) {
        try validator.visitAtomicFence()
        guard isReachable else { return }
        LLVMBuildFence(ir.builder, Self.sequentiallyConsistent, 0, "")
    }

    mutating func visitMemoryAtomicWait32(memarg: MemArg) throws(WasmError) {
        try validator.visitMemoryAtomicWait32(memarg: memarg)
        guard isReachable else { return }
        lowerWait(memarg, width: 4)
    }

    mutating func visitMemoryAtomicWait64(memarg: MemArg) throws(WasmError) {
        try validator.visitMemoryAtomicWait64(memarg: memarg)
        guard isReachable else { return }
        lowerWait(memarg, width: 8)
    }

    /// The runtime reads the value and sleeps (atomics.c); the address it gets is checked here,
    /// in bounds and aligned, since a fault inside the runtime is not a trap. Waiting on an
    /// unshared memory traps: no other thread could ever notify it.
    private mutating func lowerWait(_ memarg: MemArg, width: UInt64) {
        let timeout = pop(), expectedValue = pop(), index = pop()
        let expected = widenedAddress(expectedValue)
        let memory = context.memories[Int(memarg.memory)]
        let address = memory.atomicAddress(vm, traps, index: index, offset: memarg.offset, width: width, checkedInCode: true)
        guard memory.isShared else {
            trapIf(LLVMConstInt(ir.i1, 1, 0), ABI.Trap.expectedSharedMemory)
            return push(ir.i32(UInt32(0)))
        }
        loadWitness.publish()
        let type = ir.functionType(ir.i32, [ir.ptr, ir.ptr, ir.i64, ir.i64, ir.i32])
        push(vm.callRuntime(ABI.Runtime.atomicWait, type, [address.pointer, expected, timeout, ir.i32(UInt32(width))]))
    }

    /// Wakes waiters of a shared memory; on an unshared one there are none, and the runtime finds
    /// none. The address is checked as wait's is, though nothing reads it.
    mutating func visitMemoryAtomicNotify(memarg: MemArg) throws(WasmError) {
        try validator.visitMemoryAtomicNotify(memarg: memarg)
        guard isReachable else { return }
        let count = pop(), index = pop()
        let memory = context.memories[Int(memarg.memory)]
        let address = memory.atomicAddress(vm, traps, index: index, offset: memarg.offset, width: 4, checkedInCode: true)
        loadWitness.publish()
        let type = ir.functionType(ir.i32, [ir.ptr, ir.ptr, ir.i32])
        push(vm.callRuntime(ABI.Runtime.atomicNotify, type, [address.pointer, count]))
    }

    // MARK: Helpers

    /// `popAddress` for an atomic access, which must be aligned.
    private mutating func popAtomicAddress(_ memarg: MemArg, width: UInt64) -> MemoryAddress {
        let index = pop()
        return context.memories[Int(memarg.memory)].atomicAddress(vm, traps, index: index, offset: memarg.offset, width: width)
    }

    private func makeAtomic(_ access: LLVMValueRef, width: UInt64) {
        LLVMSetAlignment(access, UInt32(width))
        LLVMSetOrdering(access, Self.sequentiallyConsistent)
    }

    private func integerType(bytes: UInt64) -> LLVMTypeRef { LLVMIntTypeInContext(ir.context, UInt32(bytes * 8))! }

    private func wrapped(_ value: LLVMValueRef, toBytes width: UInt64) -> LLVMValueRef {
        let type = integerType(bytes: width)
        return LLVMTypeOf(value) == type ? value : LLVMBuildTrunc(ir.builder, value, type, "")!
    }
}
