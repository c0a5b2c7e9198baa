// GVN once more, after memory-loop versioning, in the functions whose scoped loop copies access
// fixed places (scoped_copy_forwarding.cpp).
#pragma once

#include <llvm/IR/Function.h>
#include <llvm/Passes/PassBuilder.h>

namespace kiln {

// Asks for the pass on `function`: memory_loop_versioning.cpp marks a function so when it gives a
// loop with a group of step 0 its scopes.
void markForScopedCopyForwarding(llvm::Function &function);

// Makes `kiln-scoped-copy-forwarding` a function pass name of `builder`'s pipelines.
void registerScopedCopyForwarding(llvm::PassBuilder &builder);

} // namespace kiln
