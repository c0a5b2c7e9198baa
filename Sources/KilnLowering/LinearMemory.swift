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

    var bounds: BoundsStrategy { is64 ? .explicitCheck : .guardRegion }

    /// Whether accesses carry AliasTags' linear-memory tags. AddressNoWrap and
    /// MemoryLoopVersioning take an access with those tags for one into a 32-bit memory, whose
    /// largest size their arguments rest on, so a 64-bit memory's accesses go untagged, which
    /// alias analysis reads as "may alias anything".
    var carriesAliasTags: Bool { !is64 }

    /// The module's memories, imported ones first.
    static func all(of module: WasmModule) -> [LinearMemory] {
        module.allMemoryTypes.enumerated().map { LinearMemory(index: UInt32($0.offset), is64: $0.element.isMemory64) }
    }

    /// The first byte of the memory. Memory 0 has its base in the vmctx itself (one load from a
    /// register); any other is read through its `kiln_memory`. Both loads are invariant: a base
    /// never changes for the memory's life, so LLVM reads it once per function.
    func base(_ vm: VMContextAccess) -> LLVMValueRef {
        if index == 0 { return vm.loadField(vm.vmContext, ABI.VMContext.memory0Base, vm.ir.ptr, invariant: true) }
        return vm.loadField(object(vm), ABI.Memory.base, vm.ir.ptr, invariant: true)
    }

    /// The memory's `kiln_memory`, where its size is.
    func object(_ vm: VMContextAccess) -> LLVMValueRef { vm.arrayElement(ABI.VMContext.memories, index) }

    /// The memory's current size in bytes: it changes with memory.grow, so it is read each time.
    func byteSize(_ vm: VMContextAccess) -> LLVMValueRef {
        vm.loadField(object(vm), ABI.Memory.size, vm.ir.i64, invariant: false)
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
    func address(_ vm: VMContextAccess, _ traps: TrapEmitter, index: LLVMValueRef, offset: UInt64, width: UInt64) -> MemoryAddress {
        let ir = vm.ir
        let base = base(vm)
        var byteOffset: LLVMValueRef
        switch bounds {
        case .guardRegion:
            byteOffset = LLVMBuildZExt(ir.builder, index, ir.i64, "")!
            if offset != 0 { byteOffset = LLVMBuildNUWAdd(ir.builder, byteOffset, ir.i64(offset), "")! }
        case .explicitCheck:
            // In bounds when index + offset + width <= size, computed without wrapping: an
            // offset + width past 2^64 is out of bounds wherever the index is.
            let (reach, overflows) = offset.addingReportingOverflow(width)
            let end = LLVMBuildAdd(ir.builder, index, ir.i64(reach), "")!
            let wraps = LLVMBuildICmp(ir.builder, LLVMIntULT, end, index, "")!
            let beyond = LLVMBuildICmp(ir.builder, LLVMIntUGT, end, byteSize(vm), "")!
            let outside = overflows ? LLVMConstInt(LLVMInt1TypeInContext(ir.context), 1, 0)! : LLVMBuildOr(ir.builder, wraps, beyond, "")!
            traps.trapIf(outside, ABI.Trap.memoryOutOfBounds)
            byteOffset = offset == 0 ? index : LLVMBuildNUWAdd(ir.builder, index, ir.i64(offset), "")!
        }
        let address = LLVMBuildGEP2(ir.builder, ir.i8, base, [byteOffset], "")!
        LLVMSetIsInBounds(address, 1)
        return MemoryAddress(pointer: address, memory: self)
    }
}

/// Where an access goes, and the memory it goes into (which decides how the access is tagged).
struct MemoryAddress {
    let pointer: LLVMValueRef
    let memory: LinearMemory
}
