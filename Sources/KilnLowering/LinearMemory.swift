import CLLVM
import KilnFrontend
import KilnLLVM
import WasmParser

/// One linear memory as generated code reaches it. Every access asks this record for its
/// address, so what differs between memories (where the base is read from, the type of an
/// address, how an access is kept inside the memory) lives here and not in the lowering of each
/// instruction.
///
/// Why a 32-bit memory's accesses need no bounds check (`BoundsStrategy.guardRegion`): the
/// memory is a reservation of `KILN_MEMORY32_RESERVATION` bytes (kiln_abi.h) at a base that never
/// moves, 4 GiB for the index plus 4 GiB for the static offset, so base + u32 index + u32 offset
/// always lands inside it. Only the memory's current size is accessible; the rest of the
/// reservation is mapped without access, so an access past the size faults, and the runtime's
/// signal handler turns the fault into the "out of bounds memory access" trap (DESIGN.md,
/// decision 3). That is exact only if every access Wasm executes is executed, in order: stores are
/// (they write memory that escapes, and LLVM never moves one past a call or a branch to a trap);
/// loads are made so by the load witness, or by being volatile at -O0 and -O1 (LoadWitness,
/// LoadKeeping).
///
/// Why a 64-bit memory's are checked in the code (`BoundsStrategy.explicitCheck`): an i64 index
/// and a u64 offset reach anywhere in the address space, which no reservation covers. Each access
/// compares the end of its bytes with the memory's current size and traps first when it is past
/// it, so the access itself never faults; its reservation only has to hold the memory's largest
/// size (memory.c).
///
/// A shared memory (threads) needs nothing more for plain accesses: its base never moves and its
/// size only grows, and the guard region and explicit checks hold whichever thread grew it. An
/// atomic access must also be aligned to its width (`atomicAddress`).
struct LinearMemory {
    enum BoundsStrategy {
        /// The reservation covers every address an access can form; no check in the code.
        case guardRegion
        /// The access's last byte is compared with the memory's size before it is made.
        case explicitCheck
    }

    /// The memory's index in the module's memory index space (imports first).
    let index: UInt32
    /// memory64: addresses, sizes and page counts are i64.
    let is64: Bool
    /// threads: instances on other threads may grow it and access it at the same time.
    let isShared: Bool
    /// Whether the module imports the memory rather than defining it.
    let isImported: Bool

    var bounds: BoundsStrategy { is64 ? .explicitCheck : .guardRegion }

    /// Whether accesses carry AliasTags' linear-memory tags. AddressNoWrap and
    /// MemoryLoopVersioning take an access with those tags for one into a 32-bit memory, whose
    /// largest size their arguments rest on, so a 64-bit memory's loads go untagged, which
    /// alias analysis reads as "may alias anything", and its stores carry a tag of their own
    /// (`AliasTags.Domain.linearMemory64`), which keeps them apart from the runtime's data.
    var carriesAliasTags: Bool { !is64 }

    /// The module's memories, imported ones first.
    static func all(of module: WasmModule) -> [LinearMemory] {
        let importCount = module.importedMemoryTypes.count
        return module.allMemoryTypes.enumerated().map {
            LinearMemory(
                index: UInt32($0.offset), is64: $0.element.isMemory64, isShared: $0.element.shared,
                isImported: $0.offset < importCount)
        }
    }

    /// Where the passes written in C++ find the module's memories (linear_memory_fields.h).
    static func fields(of module: WasmModule) -> kiln_memory_fields {
        let definesMemory0 = all(of: module).first.map { !$0.isImported } ?? false
        return kiln_memory_fields(
            memory0_base: ABI.VMContext.memory0Base, memories: ABI.VMContext.memories, base: ABI.Memory.base,
            size: ABI.Memory.size, memory0_at_context: definesMemory0 ? 1 : 0, vmctx: ABI.VMContext.start,
            runtime: ABI.VMContext.runtime, memory_copy: ABI.Runtime.memoryCopy)
    }

    /// The first byte of the memory. A memory 0 the module defines begins where the vmctx ends,
    /// which is where the context pointer every function receives points (kiln_abi.h,
    /// KILN_MEMORY_HEADER_BYTES), so its accesses are that pointer plus the index and offset: no
    /// register is spent on a base across calls, and no displacement is added. An imported
    /// memory 0 has its base in the vmctx (one load from a register); any other memory's is read
    /// through its `kiln_memory`. Those loads are invariant: a base never changes for the
    /// memory's life, so LLVM reads it once per function.
    func base(_ vm: VMContextAccess) -> LLVMValueRef {
        if index == 0 && !isImported { return vm.vmContext }
        if index == 0 { return vm.loadField(vm.vmContext, ABI.VMContext.memory0Base, vm.ir.ptr, invariant: true) }
        return vm.loadField(object(vm), ABI.Memory.base, vm.ir.ptr, invariant: true)
    }

    /// The memory's `kiln_memory`, where its size is.
    func object(_ vm: VMContextAccess) -> LLVMValueRef { vm.arrayElement(ABI.VMContext.memories, index) }

    /// The memory's current size in bytes: it changes with memory.grow, so it is read each time.
    /// A shared memory's may change on another thread at any moment, so its read is atomic
    /// (monotonic, which is a plain load on x86-64 and AArch64): LLVM may not assume two reads
    /// agree.
    func byteSize(_ vm: VMContextAccess) -> LLVMValueRef {
        let size = vm.loadField(object(vm), ABI.Memory.size, vm.ir.i64, invariant: false)
        if isShared {
            LLVMSetAlignment(size, 8)
            LLVMSetOrdering(size, LLVMAtomicOrderingMonotonic)
        }
        return size
    }

    /// The address of the `width` bytes an access reads or writes at `index` (an i32, or an i64
    /// for a 64-bit memory) plus the static `offset`, after the check its bounds strategy needs.
    ///
    /// For a 32-bit memory, base + zext(index) + offset: both terms are below 2^32, so the sum
    /// cannot wrap, and it is below the 8 GiB the memory reserves, so the address is `inbounds` of
    /// that reservation. LLVM's dependence analysis needs that to know an access stepping through
    /// a loop does not wrap around the address space; without it every pair of accesses in a
    /// vectorised loop is checked at run time, and interleaved ones (`c[j]`, `c[j + 1]`) always
    /// fail the check.
    ///
    /// `checkedInCode` asks for the explicit check whatever the memory's strategy: for an address
    /// the runtime reads rather than the generated code (memory.atomic.wait), where a fault in the
    /// guard region would not be a trap.
    func address(
        _ vm: VMContextAccess, _ traps: TrapEmitter, index: LLVMValueRef, offset: UInt64, width: UInt64,
        checkedInCode: Bool = false
    ) -> MemoryAddress {
        let ir = vm.ir
        let base = base(vm)
        var byteOffset: LLVMValueRef
        switch checkedInCode ? .explicitCheck : bounds {
        case .guardRegion:
            byteOffset = LLVMBuildZExt(ir.builder, index, ir.i64, "")!
            if offset != 0 { byteOffset = LLVMBuildNUWAdd(ir.builder, byteOffset, ir.i64(offset), "")! }
        case .explicitCheck:
            // In bounds when index + offset + width <= size, computed without wrapping: an
            // offset + width past 2^64 is out of bounds wherever the index is.
            let index = is64 ? index : LLVMBuildZExt(ir.builder, index, ir.i64, "")!
            let (reach, overflows) = offset.addingReportingOverflow(width)
            let end = LLVMBuildAdd(ir.builder, index, ir.i64(reach), "")!
            let wraps = LLVMBuildICmp(ir.builder, LLVMIntULT, end, index, "")!
            let beyond = LLVMBuildICmp(ir.builder, LLVMIntUGT, end, byteSize(vm), "")!
            let outside = overflows ? LLVMConstInt(LLVMInt1TypeInContext(ir.context), 1, 0)! : LLVMBuildOr(ir.builder, wraps, beyond, "")!
            traps.trapIf(outside, ABI.Trap.memoryOutOfBounds)
            byteOffset = offset == 0 ? index : LLVMBuildNUWAdd(ir.builder, index, ir.i64(offset), "")!
        }
        let address = LLVMBuildInBoundsGEP2(ir.builder, ir.i8, base, [byteOffset], "")!
        return MemoryAddress(pointer: address, memory: self)
    }

    /// The address of an atomic access: as `address`, after trapping "unaligned atomic" when
    /// index + offset is not a multiple of `width`. Alignment is checked first, as in the
    /// reference interpreter and Wasmtime, so an access both misaligned and out of bounds traps
    /// as misaligned. The base is page-aligned, so the low bits of index + offset (which
    /// wrapping does not change) are those of the address.
    func atomicAddress(
        _ vm: VMContextAccess, _ traps: TrapEmitter, index: LLVMValueRef, offset: UInt64, width: UInt64,
        checkedInCode: Bool = false
    ) -> MemoryAddress {
        if width > 1 {
            let ir = vm.ir
            let type = LLVMTypeOf(index)!
            let sum = LLVMBuildAdd(ir.builder, index, LLVMConstInt(type, offset, 0), "")!
            let low = LLVMBuildAnd(ir.builder, sum, LLVMConstInt(type, width - 1, 0), "")!
            traps.trapIf(LLVMBuildICmp(ir.builder, LLVMIntNE, low, LLVMConstInt(type, 0, 0), "")!, ABI.Trap.unalignedAtomic)
        }
        return address(vm, traps, index: index, offset: offset, width: width, checkedInCode: checkedInCode)
    }
}

/// Where an access goes, and the memory it goes into (which decides how the access is tagged).
struct MemoryAddress {
    let pointer: LLVMValueRef
    let memory: LinearMemory
}
