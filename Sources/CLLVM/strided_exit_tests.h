// Loops whose induction steps by a power of two onto a bound it must meet exactly, whose trip
// count scalar evolution cannot find; for the loop rewrites that need a loop's trip count
// (memory_loop_versioning.cpp).
//
// clang unrolls a loop by two for wasm32 after running one iteration first when the count is odd,
// and leaves the unrolled loop's exit test as `i == n` with i stepping by two (or a byte address
// stepping by 16 up to the row's end, lu_solve's `ri[j] -= l * rk[j]`, or a count of the rest
// down to zero). Scalar evolution does not know that the distance is a multiple of the step, and
// where it is not the induction steps over the bound and wraps round, so it finds no count, and
// neither LLVM's loop passes nor Kiln's loop versioning take the loop. Where the distance is a
// multiple of the step, the count is the distance divided by it: a rewrite may test that before
// it runs a copy that assumes it, and give that copy an exit test scalar evolution can count.
#pragma once

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/IR/Instructions.h>

#include <optional>

namespace kiln {

// A latch's exit test `x == bound` (or `x != bound` to stay), where x is an i32 recurrence of the
// loop stepping by plus or minus a power of two of at least 2 and the bound is loop-invariant; or
// `x > c` to stay (unsigned), x stepping down and c a constant below the step less one, which x
// leaves without wrapping where it starts at most c above a multiple of the step; or `x < bound`
// to stay (unsigned), x stepping up, which x leaves without wrapping where the bound is at most
// 2^32 - step (base64's decoder: `for (i = 0; i < n; i += 4)`).
struct StridedExitTest {
    llvm::BranchInst *latchBranch;
    llvm::ICmpInst *test;
    // Whose quotient by the step is the count: bound - x on the first iteration, times the step's
    // sign; for `x > c`, x's first value; for `x < bound`, max(bound, x0) - x0 + step - 1.
    const llvm::SCEV *distance;
    uint64_t step; // its magnitude
    // The largest remainder of that division under which the count holds: 0, or c.
    uint64_t largestRemainder;
    // For `x < bound`, the bound, which the count needs at most 2^32 - step instead.
    const llvm::SCEV *upperBound = nullptr;

    // The loop's backedge-taken count where the distance's remainder is at most the largest (the
    // loop is counted).
    const llvm::SCEV *backedgesIfCounted(llvm::ScalarEvolution &se) const;
    // Emits before `at` the i1 that is true when the distance's remainder is over the largest.
    llvm::Value *emitUncounted(llvm::Instruction *at, llvm::ScalarEvolution &se) const;
    // In a loop entered only when it is counted (for an equality test, the distance a multiple of
    // the step), makes the latch test a new counter that steps by one from the count to zero. The
    // old test's operands are left for dead-code elimination; the caller tells scalar evolution
    // to forget the loop.
    void countByOne(llvm::Loop &loop, llvm::ScalarEvolution &se) const;
};

// The loop's strided exit test, if its latch ends in one. Where the latch is not the loop's only
// exiting block, the count is the most the loop can run, for it may leave earlier.
std::optional<StridedExitTest> findStridedExitTest(llvm::Loop &loop, llvm::ScalarEvolution &se);

} // namespace kiln
