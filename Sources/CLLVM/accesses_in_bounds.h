// Which linear-memory accesses may trap, and the mark of those that cannot: those of a loop copy that runs only when
// every access of the loop is inside the memory (memory_loop_versioning.cpp). Trap-ordering alias
// analysis (trap_ordering_alias_analysis.cpp) lets LLVM reorder such accesses with each other,
// and no others.
//
// The mark is an alias scope of a domain of its own, one per module, in the accesses'
// `!alias.scope` list: no access's `!noalias` list names that domain, so scoped no-alias analysis
// ignores it, and where LLVM merges two accesses it keeps a scope only if both had it.
#pragma once

#include <llvm/Analysis/MemoryLocation.h>
#include <llvm/IR/Module.h>

namespace kiln {

// The module's in-bounds scope, made on first use; null from `existingInBoundsScope` before that.
llvm::MDNode *inBoundsScope(llvm::Module &module);
llvm::MDNode *existingInBoundsScope(const llvm::Module &module);

// Adds the in-bounds scope to `access`'s `!alias.scope` list.
void markInBounds(llvm::Instruction &access, llvm::MDNode *scope);

// Whether `tags` carry the in-bounds scope `scope` (which may be null: then nothing does).
bool isMarkedInBounds(const llvm::AAMDNodes &tags, const llvm::MDNode *scope);

// The accesses that may fault: linear-memory loads and 32-bit stores (AliasTags' tags, as
// Kiln's lowering attaches them) without the module's in-bounds mark.
struct TrappingAccesses {
    const llvm::MDNode *storeTag, *loadTag;
    const llvm::MDNode *inBoundsScope;

    bool isLinearMemory(const llvm::MDNode *tag) const { return tag && (tag == storeTag || tag == loadTag); }
    bool contain(const llvm::AAMDNodes &tags) const {
        return isLinearMemory(tags.TBAA) && !isMarkedInBounds(tags, inBoundsScope);
    }
};

} // namespace kiln
