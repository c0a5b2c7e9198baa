// Byte-compare loops: loops that walk two byte arrays until they differ, as musl's `memcmp` and
// `strncmp`-like code do, get a vector prologue that skips 16 equal bytes at a time, and the
// scalar loop finds the first difference from where the prologue stopped.
//
// Why Kiln does it. LLVM 19 vectorises no loop with an early exit, and wasi-libc's `memcmp` is
// such a byte loop (one load pair, a compare and a branch per byte): base64 spent a quarter of
// its time there, where native code calls glibc's vector `memcmp` (docs/benchmarks.md). LLVM's
// own pass for this idiom (LoopIdiomVectorize) needs scalable vectors and 64-bit indices.
//
// Why traps stay exact: window_skipping.h. The loop reads the two arrays' bytes at each index,
// first one then the other, until they differ or its count runs out; windows are compared only
// where it would read every byte of both unless a difference comes first (then the loop reads
// them again from the first difference).
//
// It runs after the last IR pass, on loops as the pipeline left them: a header with the two loads
// and their compare, a latch with the steps and the count's test. Before the loop passes the same
// loops are marked not to be unrolled: inlined with a count LLVM knows to be a multiple of four
// (`memcmp(a, b, n * 4)`), such a loop was unrolled into four compares an iteration, a shape this
// does not take, and compared byte by byte (posting_codec, 0.86 of its time with the mark).
#include "CLLVM.h"
#include "linear_memory_fields.h"
#include "window_skipping.h"

#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

#include <optional>

using namespace llvm;

namespace {

struct ByteCompareLoop {
    BasicBlock *preheader, *header;
    // The two loads, and the i32 addresses they read at, header phis stepping by one.
    LoadInst *loads[2];
    PHINode *addresses[2];
    Value *memoryBase;
    kiln::MemoryOfBase memory;
    // Every header phi and its constant step per iteration.
    SmallVector<std::pair<PHINode *, ConstantInt *>, 4> steps;
    // How many times the latch's test lets the loop go round again, 64-bit, from the preheader.
    Value *backedgeCount = nullptr;
};

// The header phi a byte load's address is, as base + zext(phi), and the base.
std::optional<std::pair<PHINode *, Value *>> addressOf(LoadInst *load, BasicBlock *header) {
    auto *gep = dyn_cast<GetElementPtrInst>(load->getPointerOperand());
    if (!gep || gep->getNumIndices() != 1 || !gep->getSourceElementType()->isIntegerTy(8)) return std::nullopt;
    auto *extension = dyn_cast<ZExtInst>(gep->getOperand(1));
    auto *phi = extension ? dyn_cast<PHINode>(extension->getOperand(0)) : nullptr;
    if (!phi || phi->getParent() != header || !phi->getType()->isIntegerTy(32)) return std::nullopt;
    return std::make_pair(phi, gep->getPointerOperand());
}

// A loop that leaves where two bytes of one memory differ, at addresses that step by one. Whether
// or not it has a preheader yet, and whatever else it does (before the last IR pass, the load
// witness's sums of the loaded bytes are in it too).
std::optional<ByteCompareLoop> matchShape(Loop &loop, const kiln::MemoryFields &fields, MDNode *loadTag) {
    ByteCompareLoop match;
    BasicBlock *latch = loop.getLoopLatch();
    match.header = loop.getHeader();
    match.preheader = loop.getLoopPreheader();
    if (!loop.getSubLoops().empty() || loop.getNumBlocks() != 2 || !latch || latch == match.header)
        return std::nullopt;
    // The header leaves the loop where the two loaded bytes differ.
    auto *exitBranch = dyn_cast<BranchInst>(match.header->getTerminator());
    auto *compare = exitBranch && exitBranch->isConditional() ? dyn_cast<ICmpInst>(exitBranch->getCondition()) : nullptr;
    if (!compare || !compare->isEquality()) return std::nullopt;
    BasicBlock *onEqual = exitBranch->getSuccessor(compare->getPredicate() == CmpInst::ICMP_EQ ? 0 : 1);
    BasicBlock *onDifferent = exitBranch->getSuccessor(compare->getPredicate() == CmpInst::ICMP_EQ ? 1 : 0);
    if (onEqual != latch || loop.contains(onDifferent)) return std::nullopt;
    for (unsigned i = 0; i < 2; i++) {
        auto *load = dyn_cast<LoadInst>(compare->getOperand(i));
        if (!load || load->getParent() != match.header || !load->isSimple() || !load->getType()->isIntegerTy(8) ||
            load->getMetadata(LLVMContext::MD_tbaa) != loadTag)
            return std::nullopt;
        auto address = addressOf(load, match.header);
        if (!address) return std::nullopt;
        ConstantInt *step = kiln::constantStep(*address->first, latch);
        if (!step || !step->isOne()) return std::nullopt;
        match.loads[i] = load;
        match.addresses[i] = address->first;
        if (i == 1 && address->second != match.memoryBase) return std::nullopt;
        match.memoryBase = address->second;
    }
    auto memory = kiln::memoryOfBase(match.memoryBase, fields);
    auto *computedBase = dyn_cast<Instruction>(match.memoryBase);
    if (!memory || (computedBase && loop.contains(computedBase))) return std::nullopt;
    match.memory = *memory;
    // The latch steps and tests the count.
    auto *backBranch = dyn_cast<BranchInst>(latch->getTerminator());
    if (!backBranch || !backBranch->isConditional()) return std::nullopt;
    return match;
}

// A byte-compare loop with a preheader for the prologue, as the last IR pass left it.
std::optional<ByteCompareLoop> match(Loop &loop, const kiln::MemoryFields &fields, MDNode *loadTag) {
    auto match = matchShape(loop, fields, loadTag);
    if (!match || !match->preheader) return std::nullopt;
    // Nothing else in the loop: the loads, their addresses, the witness's uses, steps and tests.
    if (!kiln::holdsOnly(loop, {match->loads[0], match->loads[1]}, {Instruction::Add})) return std::nullopt;
    auto steps = kiln::constantSteps(loop);
    if (!steps) return std::nullopt;
    match->steps = *steps;
    return match;
}

// Inserts the vector prologue between the preheader and the header.
void skipEqualWindows(ByteCompareLoop &loop, const kiln::MemoryFields &fields) {
    kiln::WindowedLoop windowed{loop.preheader, loop.header, loop.memoryBase, loop.memory, {},
                                loop.loads[0]->getMetadata(LLVMContext::MD_tbaa), 1, 16, loop.steps, loop.backedgeCount};
    for (PHINode *address : loop.addresses) windowed.firstAddresses.push_back(address->getIncomingValueForBlock(loop.preheader));
    kiln::skipWindows(windowed, fields, [](IRBuilder<> &builder, ArrayRef<Value *> windows) {
        return builder.CreateICmpNE(windows[0], windows[1]);
    }, "bytes");
}

// Whether `instruction` compares two byte loads for equality.
bool comparesLoadedBytes(Instruction &instruction, MDNode *loadTag) {
    auto *compare = dyn_cast<ICmpInst>(&instruction);
    if (!compare || !compare->isEquality()) return false;
    return all_of(compare->operands(), [&](Value *operand) {
        auto *load = dyn_cast<LoadInst>(operand);
        return load && load->getType()->isIntegerTy(8) && load->getMetadata(LLVMContext::MD_tbaa) == loadTag;
    });
}

// Whether some block compares two byte loads: only such functions get the loop analyses.
bool comparesLoadedBytes(Function &function, MDNode *loadTag) {
    return any_of(instructions(function), [&](Instruction &instruction) { return comparesLoadedBytes(instruction, loadTag); });
}

// Gives each two-block loop whose header compares loaded bytes a preheader, where the prologue
// goes. The optimiser leaves none when nothing was hoisted out of the loop: a memory 0 the module
// defines begins at the context argument, so not even its base is.
void insertPreheaders(LoopInfo &loops, DominatorTree &dominators, MDNode *loadTag) {
    for (Loop *loop : loops.getLoopsInPreorder()) {
        if (loop->getLoopPreheader() || loop->getNumBlocks() != 2) continue;
        if (any_of(*loop->getHeader(), [&](Instruction &instruction) { return comparesLoadedBytes(instruction, loadTag); }))
            InsertPreheaderForLoop(loop, &dominators, &loops, nullptr, /*PreserveLCSSA=*/false);
    }
}

} // namespace

extern "C" unsigned kiln_skip_equal_bytes(LLVMModuleRef moduleRef, LLVMMetadataRef memoryLoadTag, kiln_memory_fields fields) {
    Module &module = *unwrap(moduleRef);
    auto *loadTag = cast<MDNode>(unwrap(memoryLoadTag));
    TargetLibraryInfoImpl libraryInfo(Triple(module.getTargetTriple()));
    unsigned rewritten = 0;
    for (Function &function : module) {
        if (function.isDeclaration() || !comparesLoadedBytes(function, loadTag)) continue;
        DominatorTree dominators(function);
        LoopInfo loops(dominators);
        insertPreheaders(loops, dominators, loadTag);
        AssumptionCache assumptions(function);
        TargetLibraryInfo library(libraryInfo, &function);
        ScalarEvolution evolution(function, library, assumptions, dominators, loops);
        // Every match and its count are found before any block changes, which would leave the
        // analyses stale.
        SmallVector<ByteCompareLoop, 2> matches;
        for (Loop *loop : loops.getLoopsInPreorder()) {
            auto found = match(*loop, fields, loadTag);
            if (!found) continue;
            const SCEV *count = kiln::latchBackedgeCount(*loop, evolution);
            if (!count) continue;
            found->backedgeCount = kiln::expandBackedgeCount(count, found->preheader, evolution);
            matches.push_back(*found);
        }
        for (ByteCompareLoop &loop : matches) skipEqualWindows(loop, fields);
        rewritten += matches.size();
    }
    return rewritten;
}

extern "C" unsigned kiln_keep_byte_compare_loops_rolled(LLVMModuleRef moduleRef, LLVMMetadataRef memoryLoadTag, kiln_memory_fields fields) {
    auto *loadTag = cast<MDNode>(unwrap(memoryLoadTag));
    return kiln::disableUnrollingWhere(
        *unwrap(moduleRef), [&](Function &function) { return comparesLoadedBytes(function, loadTag); },
        [&](Loop &loop) { return matchShape(loop, fields, loadTag).has_value(); });
}
