// Exit tests that instcombine masks and scalar evolution cannot count, put back in a countable
// form; shared by the loop rewrites that need a loop's trip count (memory_loop_versioning.cpp,
// interrupt_check_strip_mining.cpp).
#pragma once

#include <llvm/IR/DataLayout.h>
#include <llvm/IR/Instructions.h>

namespace kiln {

// When `branch` tests (x & mask) == 0 (or !=) on a 64-bit x, where the mask keeps only bits of
// the low 32 and the low bits it clears are known zero in x, makes it test the equivalent
// trunc(x) == 0, whose trip count scalar evolution can compute (instcombine folds a 32-bit
// induction's wrap test into the mask). Returns the original compare, for `restoreExitTest`, or
// null when the test is not of that form. The caller tells scalar evolution to forget the loop.
llvm::ICmpInst *unmaskExitTest(llvm::BranchInst *branch, const llvm::DataLayout &dataLayout);

// Puts back the test that `unmaskExitTest` replaced in `branch`, if it replaced one.
void restoreExitTest(llvm::BranchInst *branch, llvm::ICmpInst *original);

} // namespace kiln
