// Where a linear memory's base and current size are read from, as Kiln's lowering reads them
// (LinearMemory, VMContextAccess): a memory 0 the module defines begins at the context pointer,
// an imported memory 0's base is read from the vmctx, any memory's base and size from its
// kiln_memory, vmctx->memories[index]. Shared by the passes that check accesses against the
// memory's size before they run (memory_loop_versioning.cpp, byte_compare_loops.cpp).
#pragma once

#include "CLLVM.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>

#include <optional>

namespace kiln {

using MemoryFields = kiln_memory_fields;

// A memory, as the function's context argument that its fields are read from and its index.
struct MemoryOfBase {
    llvm::Argument *vmctx;
    uint64_t index;
};

// Which memory `base` is the first byte of: the context argument itself for a memory 0 the module
// defines, otherwise a load of a memory's base.
std::optional<MemoryOfBase> memoryOfBase(llvm::Value *base, const MemoryFields &fields);

// The memory's current size in bytes, read at the builder's position through the vmctx's memory
// table (from the argument, which every block of the function can reach).
llvm::Value *memorySize(MemoryOfBase memory, llvm::IRBuilder<> &builder, const MemoryFields &fields);

// Copies `bytes` bytes within the memory from offset `source` to offset `destination` (i64s) at the
// builder's position, as memory.copy does: through the runtime's memory_copy, since a shared
// object Kiln generates imports no symbol (it would need libc's memmove). The caller has checked
// that both ranges are inside the memory, so the call never traps.
void copyWithinMemory(MemoryOfBase memory, llvm::Value *destination, llvm::Value *source, llvm::Value *bytes,
                      llvm::IRBuilder<> &builder, const MemoryFields &fields);

} // namespace kiln
