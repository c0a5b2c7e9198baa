// Where a linear memory's base and current size are read from, as Kiln's lowering reads them
// (LinearMemory, VMContextAccess): memory 0's base from the vmctx, any memory's base and size from
// its kiln_memory, vmctx->memories[index]. Shared by the passes that check accesses against the
// memory's size before they run (memory_loop_versioning.cpp, byte_compare_loops.cpp).
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>

#include <optional>

namespace kiln {

// kiln_abi.h's offsets: the vmctx's memory0_base and memories, kiln_memory's base and size.
struct MemoryFields {
    uint64_t memory0BaseOffset, memoriesOffset, baseOffset, sizeOffset;
};

// A memory, as the function's vmctx argument that its fields are read from and its index.
struct MemoryOfBase {
    llvm::Argument *vmctx;
    uint64_t index;
};

// Which memory `base` is the first byte of, if it is a load of a memory's base.
std::optional<MemoryOfBase> memoryOfBase(llvm::Value *base, const MemoryFields &fields);

// The memory's current size in bytes, read at the builder's position through the vmctx's memory
// table (from the argument, which every block of the function can reach).
llvm::Value *memorySize(MemoryOfBase memory, llvm::IRBuilder<> &builder, const MemoryFields &fields);

} // namespace kiln
