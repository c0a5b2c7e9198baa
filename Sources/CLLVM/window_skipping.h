// A vector prologue for loops that walk linear memory until a byte test stops them: it tests 16
// or 32 bytes at a time, skips the windows where the loop would not stop, and hands the loop the
// iteration where it will. Shared by byte_compare_loops.cpp (two arrays until they differ) and
// byte_search_loops.cpp (one array until a byte value, as strlen and memchr do).
//
// Why traps stay exact. A window is the next 16 or 32 bytes the loop reads, at its own 32-bit
// addresses, one load per iteration of 1 or 4 bytes. A 32-bit memory's accessible bytes end at a
// multiple of its 64 KiB pages, so a window inside one 4 KiB page is in bounds exactly when its
// first byte is, which the loop reads next: if that byte would trap, the window's load traps in
// its place, before anything else happens, with the same trap. A window that crosses a page is
// tested only when it ends inside the memory's current size, read then (once a page at most). The
// size never shrinks, and nothing in the loop grows it: the matchers admit only the loads, their
// arithmetic and the load witness's empty asm (no store, no other call), so skipping iterations
// skips nothing else. Windows do not cross 2^32 (a multiple of the page, past the memory's
// largest size), so they read the bytes the loop would. Where the loop has a count, a window is
// tested only when the count leaves at least one more iteration after it.
#pragma once

#include "linear_memory_fields.h"

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/IRBuilder.h>

#include <optional>

namespace kiln {

struct WindowedLoop {
    llvm::BasicBlock *preheader, *header;
    llvm::Value *memoryBase;
    MemoryOfBase memory;
    // The i32 address of each array the loop reads, at its first iteration, valid in the preheader.
    llvm::SmallVector<llvm::Value *, 2> firstAddresses;
    // The type-based alias tag of the loop's loads, for the windows' loads.
    llvm::MDNode *loadTag;
    // Bytes of each array read per iteration: 1 or 4 (a power of two dividing windowBytes).
    unsigned bytesPerIteration;
    // Bytes of each array a window tests at once: 16 or 32 (at most a page's 4096).
    unsigned windowBytes;
    // Every header phi and its constant step per iteration.
    llvm::SmallVector<std::pair<llvm::PHINode *, llvm::ConstantInt *>, 4> steps;
    // How many times the latch's test lets the loop go round again, 64-bit, from the preheader;
    // null when only the byte test leaves the loop.
    llvm::Value *backedgeCount = nullptr;
};

// The lanes (<N x i1>, one a byte) of the windows, one a loaded <N x i8> per array, where the
// loop would stop.
using WindowStops = llvm::function_ref<llvm::Value *(llvm::IRBuilder<> &, llvm::ArrayRef<llvm::Value *>)>;

// Inserts the prologue between the preheader and the header; `prefix` names its blocks.
void skipWindows(WindowedLoop &loop, const MemoryFields &fields, WindowStops stops, llvm::StringRef prefix);

// The step of `phi` per iteration, when the latch adds a constant to it.
llvm::ConstantInt *constantStep(llvm::PHINode &phi, llvm::BasicBlock *latch);

// Whether the loop holds nothing but `loads`, the load witness's empty asm, phis, address
// arithmetic, compares, branches and binary operators of `opcodes`: nothing that skipping
// iterations would skip.
bool holdsOnly(llvm::Loop &loop, llvm::ArrayRef<const llvm::Instruction *> loads, llvm::ArrayRef<unsigned> opcodes);

// Every header phi of `loop` with its constant step per iteration; none when a phi has none.
std::optional<llvm::SmallVector<std::pair<llvm::PHINode *, llvm::ConstantInt *>, 4>> constantSteps(llvm::Loop &loop);

// Marks the loops of the module's functions that `takes` not to be unrolled, keeping their other
// loop properties; `mayHave` says cheaply which functions to look at. Returns the loops marked.
unsigned disableUnrollingWhere(llvm::Module &module, llvm::function_ref<bool(llvm::Function &)> mayHave,
                               llvm::function_ref<bool(llvm::Loop &)> takes);

// How many times the latch of `loop` lets it go round again, when scalar evolution can say and
// the count can be computed in the preheader; null otherwise.
const llvm::SCEV *latchBackedgeCount(llvm::Loop &loop, llvm::ScalarEvolution &evolution);

// `count` computed at the end of the preheader, zero-extended to 64 bits.
llvm::Value *expandBackedgeCount(const llvm::SCEV *count, llvm::BasicBlock *preheader, llvm::ScalarEvolution &evolution);

} // namespace kiln
