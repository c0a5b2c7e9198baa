// Loops that copy one range of linear memory to another, which memory-loop versioning gives a
// path through one call of the runtime's memory copy (memory_loop_versioning.cpp).
//
// Modules built without bulk memory (clang's default for wasm32 up to LLVM 19, and Debian's
// wasi-libc) have no memory.copy: memmove is musl's C, a byte loop wherever source and
// destination are not equally aligned, which is every shift of a text buffer by one character.
// Such a loop cannot be vectorised behind the usual check that the two ranges are disjoint,
// since a memmove's ranges overlap, and alias scopes that said otherwise would let LLVM reorder
// a store before a load of the same byte. But a loop that copies forwards, element by element,
// does what memmove does whenever the destination does not start inside the source after its
// first byte (it never reads a byte it has already written), and one that copies backwards
// whenever the source does not start inside the destination after its first byte. So where the
// ranges are inside the memory and lie that way round, the copy is one call, exact in every
// case; otherwise (a forward copy onto its own tail replicates a pattern, LZ77-style) the loop
// runs as written. Disjoint ranges still take the scoped, vectorised copy, which beats a call for
// the short copies that are most of them.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>

#include <optional>

namespace kiln {

// A linear-memory access of a loop and its byte offset from its group's recurrence.
struct OffsetAccess {
    llvm::Instruction *access;
    int64_t offset;
};

// Whether `loop` (one block) does nothing but copy: each store stores what one load read, at the
// same offset from the loads' recurrence as the store's from the stores', the stores covering
// each byte of an iteration's `step` bytes once, nothing else writing memory, and every load
// placed before each store that may overwrite its byte in the direction of the copy. Returns
// whether it copies forwards.
std::optional<bool> copyDirection(llvm::Loop &loop, llvm::ArrayRef<OffsetAccess> stores, llvm::ArrayRef<OffsetAccess> loads,
                                  int64_t step, llvm::ScalarEvolution &se);

// Whether every value of `loop` used after it is one that can be given at its exit after
// `backedges` backedges (so that a copy path can leave them as the loop would).
bool exitValuesKnown(llvm::Loop &loop, const llvm::SCEV *backedges, llvm::ScalarEvolution &se);

// True (an i1 built at the builder) when the destination range [destination, destination + bytes)
// and the source range starting at `source` overlap the way round that the loop and memmove
// disagree on.
llvm::Value *emitWrongWayOverlap(llvm::IRBuilder<> &builder, llvm::Value *destination, llvm::Value *source,
                                 llvm::Value *bytes, bool forwards);

// The tests before a copy call, each an i1 built at the builder it is given: that the copy is too
// short for a call to pay, then that it may not run for any other reason.
struct CopyTests {
    llvm::function_ref<llvm::Value *(llvm::IRBuilder<> &)> tooShort, unsafe;
};

// Copies too short for the call to pay but long enough for the tests: a loop of its own that moves
// one iteration's bytes, `chunk` of them (16, 32 or 64), with a 16-byte vector load and store each
// 16 of them, in the loop's direction. As exact as the call wherever the call may run: the ranges are inside the
// memory, so nothing traps, and where they overlap they lie the way round where every byte is
// read before a store overwrites it, whether the loop reads an iteration's bytes as it does or
// all at once. The copy's length is a whole number of iterations, so of chunks.
struct ChunkedCopy {
    unsigned chunk;
    bool forwards;
    // True (an i1 built at the builder) when the copy is too short for the call.
    llvm::function_ref<llvm::Value *(llvm::IRBuilder<> &)> tooShortForCall;
    // The destination and source as pointers, built at the builder.
    llvm::function_ref<std::pair<llvm::Value *, llvm::Value *>(llvm::IRBuilder<> &)> pointers;
    // The length in bytes, an i64 the tests computed.
    llvm::function_ref<llvm::Value *()> bytes;
};

// Gives the branch from `check` to the fallback loop's preheader (its first successor: the loop
// versioning made, or the loop itself where there is no scoped copy) the copy's tests: where both
// are false, a block runs `copy` (built at the builder it is given) instead, or with `chunked`
// the chunk loop where it is too short for that, and goes to `loop`'s exit with each value the
// loop leaves as it leaves it after `backedges` backedges (exitValuesKnown).
void addCopyPath(llvm::Loop &loop, const llvm::SCEV *backedges, llvm::BasicBlock *check, llvm::ScalarEvolution &se,
                 llvm::DominatorTree &dominators, llvm::LoopInfo &loops, CopyTests tests,
                 llvm::function_ref<void(llvm::IRBuilder<> &)> copy, const ChunkedCopy *chunked);

} // namespace kiln
