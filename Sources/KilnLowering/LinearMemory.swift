import CLLVM
import KilnFrontend
import KilnLLVM
import WasmParser

/// One linear memory as generated code reaches it. Every access asks this record for the memory's
/// base and for the address of an access, so what differs between memories (where the base is
/// read from, the type of an address, how an access is kept inside the memory) lives here and not
/// in the lowering of each instruction.
///
/// Why an access needs no bounds check (`BoundsStrategy.guardRegion`): a 32-bit memory is a
/// reservation of `KILN_MEMORY32_RESERVATION` bytes (kiln_abi.h) at a base that never moves,
/// 4 GiB for the index plus 4 GiB for the static offset, so base + u32 index + u32 offset always
/// lands inside it. Only the memory's current size is accessible; the rest of the reservation is
/// mapped without access, so an access past the size faults, and the runtime's signal handler
/// turns the fault into the "out of bounds memory access" trap (DESIGN.md, decision 3). That is
/// exact only if every access Wasm executes is executed, in order: stores are (they write memory
/// that escapes, and LLVM never moves one past a call or a branch to a trap); loads are made so by
/// the load witness, or by being volatile at -O0 and -O1 (LoadWitness, LoadKeeping).
struct LinearMemory {
    enum BoundsStrategy {
        /// The reservation covers every address an access can form; no check in the code.
        case guardRegion
    }

    /// The memory's index in the module's memory index space (imports first).
    let index: UInt32
    let bounds: BoundsStrategy

    /// The module's memories, imported ones first. Every memory Kiln compiles is 32-bit, whose
    /// reservation makes the guard region enough; memory64 is refused by the front end.
    static func all(of module: WasmModule) -> [LinearMemory] {
        module.allMemoryTypes.indices.map { LinearMemory(index: UInt32($0), bounds: .guardRegion) }
    }

    /// The first byte of the memory. Memory 0 has its base in the vmctx itself (one load from a
    /// register); any other is read through its `kiln_memory`. Both loads are invariant: a base
    /// never changes for the memory's life, so LLVM reads it once per function.
    func base(_ vm: VMContextAccess) -> LLVMValueRef {
        if index == 0 { return vm.loadField(vm.vmContext, ABI.VMContext.memory0Base, vm.ir.ptr, invariant: true) }
        let memory = vm.arrayElement(ABI.VMContext.memories, index)
        return vm.loadField(memory, ABI.Memory.base, vm.ir.ptr, invariant: true)
    }

    /// base + zext(index) + offset. Both terms are below 2^32, so the sum cannot wrap, and it is
    /// below the 8 GiB the memory reserves, so the address is `inbounds` of that reservation.
    /// LLVM's dependence analysis needs that to know an access stepping through a loop does not
    /// wrap around the address space; without it every pair of accesses in a vectorised loop is
    /// checked at run time, and interleaved ones (`c[j]`, `c[j + 1]`) always fail the check.
    func address(_ vm: VMContextAccess, index: LLVMValueRef, offset: UInt64) -> LLVMValueRef {
        let ir = vm.ir
        var byteOffset = LLVMBuildZExt(ir.builder, index, ir.i64, "")!
        if offset != 0 {
            byteOffset = LLVMBuildNUWAdd(ir.builder, byteOffset, ir.i64(offset), "")!
        }
        let address = LLVMBuildGEP2(ir.builder, ir.i8, base(vm), [byteOffset], "")!
        LLVMSetIsInBounds(address, 1)
        return address
    }
}
