// Full unrolling of short counted loops whose memory accesses land at offsets the loop computes
// from its counter (computed_offset_unrolling.cpp).
#pragma once

#include <llvm/Passes/PassBuilder.h>

namespace kiln {

// Adds the marking pass where LLVM's simplification pipeline runs its late loop passes, just
// before it unrolls loops fully.
void registerComputedOffsetUnrolling(llvm::PassBuilder &builder);

} // namespace kiln
