// Byte-search loops: the word loops with which musl's `strlen`, `memchr` and `strchrnul` walk an
// array four bytes at a time until a byte equals a value get, after their first iterations, a
// vector prologue that skips 32 bytes at a time without the value, and the loop finds the byte
// from the window where the prologue saw it.
//
// Why Kiln does it. LLVM 19 vectorises no loop with an early exit, and wasi-libc's string
// routines are such loops: a byte loop up to an aligned address, then a word loop that tests
// four bytes at a time with the "has a zero byte" trick, `((y - 0x01010101) & ~y & 0x80808080)
// != 0` with y the word (or the word xor the value repeated four times), then a byte loop over
// the last word. markdown_html spent 64% of its time in `strlen`'s word loop, where native code
// calls glibc's vector routines (docs/benchmarks.md).
//
// Why it finds what the loop finds. The trick is exact for "some byte of y is zero": with no zero
// byte, no byte borrows, and a byte b >= 1 never has the top bit in both b - 1 and ~b; the lowest
// zero byte, with no borrow into it, gives 0xff in both. So the word loop goes on exactly while
// no byte of the word equals the byte of the value at its place, and a window's bytes are
// compared, byte for byte, with the value's four bytes repeated (little-endian: byte j of a word
// is the byte at its address + j). The window where a byte matches is handed to the loop at the
// iteration that reads the word with that byte, so the loop stops in its first iteration.
//
// Why traps stay exact: window_skipping.h.
//
// What it costs a short search. Most searches stop within a few words (a CSV parser's `memchr`
// for the next comma): the loop's first four iterations are peeled off and run before the
// prologue as the loop wrote them, so those pay nothing (csv_report lost 8% without the peeling,
// nothing with it). The byte loops before and after the word loop are left alone: they run at
// most three and four times, and a prologue there only cost time.
//
// It runs after the last IR pass, on loops as the pipeline left them: a header with the load and
// its test, and either a latch with the steps and a count's test or nothing else (the header its
// own latch, as in `strlen`, where only the byte ends the loop). Before the loop passes the same
// loops are marked not to be unrolled, a shape this does not take.
#include "CLLVM.h"
#include "linear_memory_fields.h"
#include "window_skipping.h"

#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/Transforms/Utils/LCSSA.h>
#include <llvm/Transforms/Utils/LoopPeel.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ValueMapper.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

#include <optional>

using namespace llvm;
using namespace llvm::PatternMatch;

namespace {

// The has-zero-byte trick's constants, as instcombine leaves its negation:
// `((0x01010100 - y) | y) & 0x80808080 == 0x80808080` exactly when no byte of y is zero.
constexpr uint64_t belowOnes = 0x01010100, topBits = 0x80808080;

// Bytes a window tests at once.
constexpr unsigned windowBytes = 32;
// Iterations the loop runs before the prologue.
constexpr unsigned peeledIterations = 4;

struct ByteSearchLoop {
    BasicBlock *preheader, *header;
    LoadInst *load;
    // The i32 whose bytes the loaded word's are compared with, byte for byte (the byte sought
    // repeated, or whatever the loop xors; 0 for strlen). Defined outside the loop.
    Value *value;
    // The load's i32 address, as a header phi plus a constant.
    PHINode *addressPhi;
    uint64_t addressOffset;
    Value *memoryBase;
    kiln::MemoryOfBase memory;
    SmallVector<std::pair<PHINode *, ConstantInt *>, 4> steps;
    Value *backedgeCount = nullptr;
};

bool definedOutside(Value *value, Loop &loop) {
    auto *instruction = dyn_cast<Instruction>(value);
    return !instruction || !loop.contains(instruction);
}

struct SearchTest {
    LoadInst *load;
    Value *value;
    // Whether the condition is true where the loop stops.
    bool stopsWhenTrue;
};

// `condition` as the has-zero-byte trick's test of a word loaded in the loop (xor a value).
std::optional<SearchTest> searchTest(Value *condition, Loop &loop) {
    ICmpInst::Predicate predicate;
    Value *left, *right;
    if (!match(condition, m_ICmp(predicate, m_Value(left), m_Value(right))) || !ICmpInst::isEquality(predicate))
        return std::nullopt;
    bool equal = predicate == ICmpInst::ICMP_EQ;
    // ((0x01010100 - y) | y) & 0x80808080 == 0x80808080, y = word or word ^ value.
    Value *y = nullptr, *yAgain = nullptr;
    if (!match(left, m_And(m_c_Or(m_Sub(m_SpecificInt(belowOnes), m_Value(y)), m_Value(yAgain)), m_SpecificInt(topBits))) ||
        y != yAgain || !match(right, m_SpecificInt(topBits)))
        return std::nullopt;
    Value *word = y, *value = ConstantInt::get(y->getType(), 0);
    if (Value *x, *other; match(y, m_c_Xor(m_Value(x), m_Value(other)))) {
        if (isa<LoadInst>(x) && definedOutside(other, loop)) word = x, value = other;
        else if (isa<LoadInst>(other) && definedOutside(x, loop)) word = other, value = x;
    }
    auto *load = dyn_cast<LoadInst>(word);
    if (!load || !load->getType()->isIntegerTy(32)) return std::nullopt;
    // Equal: no byte matched, the loop goes on.
    return SearchTest{load, value, !equal};
}

// A loop that leaves where a byte of one memory's array equals a value, reading a word an
// iteration at addresses that step by four. Whether or not it has a preheader yet, and
// whatever else it does (before the last IR pass, the load witness's sums are in it too).
std::optional<ByteSearchLoop> matchShape(Loop &loop, const kiln::MemoryFields &fields, MDNode *loadTag) {
    ByteSearchLoop match;
    BasicBlock *latch = loop.getLoopLatch();
    match.header = loop.getHeader();
    match.preheader = loop.getLoopPreheader();
    if (!loop.getSubLoops().empty() || !latch || loop.getNumBlocks() != (latch == match.header ? 1 : 2)) return std::nullopt;
    auto *exitBranch = dyn_cast<BranchInst>(match.header->getTerminator());
    if (!exitBranch || !exitBranch->isConditional()) return std::nullopt;
    auto test = searchTest(exitBranch->getCondition(), loop);
    if (!test) return std::nullopt;
    // The header leaves the loop where a byte matches and otherwise goes on to the latch.
    BasicBlock *onMatch = exitBranch->getSuccessor(test->stopsWhenTrue ? 0 : 1);
    BasicBlock *onNoMatch = exitBranch->getSuccessor(test->stopsWhenTrue ? 1 : 0);
    if (loop.contains(onMatch) || onNoMatch != (latch == match.header ? match.header : latch)) return std::nullopt;
    match.load = test->load;
    match.value = test->value;
    LoadInst *load = match.load;
    unsigned size = load->getType()->getIntegerBitWidth() / 8;
    if (load->getParent() != match.header || !load->isSimple() || load->getMetadata(LLVMContext::MD_tbaa) != loadTag)
        return std::nullopt;
    // Its address: base + zext(phi [+ constant]), the phi stepping by the load's size.
    auto *gep = dyn_cast<GetElementPtrInst>(load->getPointerOperand());
    if (!gep || gep->getNumIndices() != 1 || !gep->getSourceElementType()->isIntegerTy(8)) return std::nullopt;
    Value *address;
    if (!PatternMatch::match(gep->getOperand(1), m_ZExt(m_Value(address))) || !address->getType()->isIntegerTy(32))
        return std::nullopt;
    const APInt *offset = nullptr;
    Value *phiValue = address;
    if (PatternMatch::match(address, m_Add(m_Value(phiValue), m_APInt(offset))) && offset) match.addressOffset = offset->getZExtValue();
    else match.addressOffset = 0, phiValue = address;
    match.addressPhi = dyn_cast<PHINode>(phiValue);
    if (!match.addressPhi || match.addressPhi->getParent() != match.header) return std::nullopt;
    ConstantInt *step = kiln::constantStep(*match.addressPhi, latch);
    if (!step || step->getZExtValue() != size) return std::nullopt;
    match.memoryBase = gep->getPointerOperand();
    auto memory = kiln::memoryOfBase(match.memoryBase, fields);
    if (!memory || !definedOutside(match.memoryBase, loop)) return std::nullopt;
    match.memory = *memory;
    if (latch != match.header) {
        auto *backBranch = dyn_cast<BranchInst>(latch->getTerminator());
        if (!backBranch || !backBranch->isConditional()) return std::nullopt;
    }
    return match;
}

// A byte-search loop with a preheader for the prologue, as the last IR pass left it.
std::optional<ByteSearchLoop> match(Loop &loop, const kiln::MemoryFields &fields, MDNode *loadTag) {
    auto match = matchShape(loop, fields, loadTag);
    if (!match || !match->preheader) return std::nullopt;
    // Nothing else in the loop: the load, its address, the test, the witness's use, steps and the
    // count's test.
    if (!kiln::holdsOnly(loop, {match->load},
                         {Instruction::Add, Instruction::Sub, Instruction::Xor, Instruction::Or, Instruction::And}))
        return std::nullopt;
    auto steps = kiln::constantSteps(loop);
    if (!steps) return std::nullopt;
    match->steps = *steps;
    return match;
}

// Inserts the vector prologue between the preheader and the header.
void skipWindowsWithoutTheValue(ByteSearchLoop &loop, const kiln::MemoryFields &fields) {
    IRBuilder<> builder(loop.preheader->getTerminator());
    Value *start = loop.addressPhi->getIncomingValueForBlock(loop.preheader);
    Value *first = builder.CreateAdd(start, builder.getInt32(uint32_t(loop.addressOffset)));
    unsigned size = loop.load->getType()->getIntegerBitWidth() / 8;
    kiln::WindowedLoop windowed{loop.preheader, loop.header, loop.memoryBase, loop.memory, {first},
                                loop.load->getMetadata(LLVMContext::MD_tbaa), size, windowBytes, loop.steps, loop.backedgeCount};
    Value *value = loop.value;
    kiln::skipWindows(windowed, fields, [value, size](IRBuilder<> &builder, ArrayRef<Value *> windows) {
        // The value's bytes at their places in the window: a byte or a word, repeated.
        auto *window = cast<FixedVectorType>(windows[0]->getType());
        Value *repeated = builder.CreateVectorSplat(windowBytes / size, value);
        return builder.CreateICmpEQ(windows[0], builder.CreateBitCast(repeated, window));
    }, "search");
}

// How many times the latch lets the loop go round again, when the prologue can use it: null for a
// loop that only the byte ends; none for a count scalar evolution cannot give in the preheader,
// or one that ends the loop within a window anyway (a loop up to an aligned address).
std::optional<const SCEV *> usableCount(Loop &loop, const ByteSearchLoop &found, ScalarEvolution &evolution) {
    if (loop.getLoopLatch() == found.header) return nullptr;
    const SCEV *count = kiln::latchBackedgeCount(loop, evolution);
    if (!count) return std::nullopt;
    unsigned maxTrips = evolution.getSmallConstantMaxTripCount(&loop);
    unsigned size = found.load->getType()->getIntegerBitWidth() / 8;
    if (maxTrips != 0 && maxTrips <= windowBytes / size) return std::nullopt;
    return count;
}

// Whether some block tests a word by the has-zero-byte trick: only such functions get the loop
// analyses.
bool mayHaveSearchLoops(Function &function) {
    return any_of(instructions(function), [&](Instruction &instruction) {
        auto *compare = dyn_cast<ICmpInst>(&instruction);
        return compare && compare->isEquality() && match(compare->getOperand(1), m_SpecificInt(topBits));
    });
}

} // namespace

extern "C" unsigned kiln_skip_bytes_searched_for(LLVMModuleRef moduleRef, LLVMMetadataRef memoryLoadTag, kiln_memory_fields fields) {
    Module &module = *unwrap(moduleRef);
    auto *loadTag = cast<MDNode>(unwrap(memoryLoadTag));
    TargetLibraryInfoImpl libraryInfo(Triple(module.getTargetTriple()));
    unsigned rewritten = 0;
    for (Function &function : module) {
        if (function.isDeclaration() || !mayHaveSearchLoops(function)) continue;
        DominatorTree dominators(function);
        LoopInfo loops(dominators);
        // Cheap to find before building scalar evolution: most functions have no such loop.
        SmallVector<Loop *, 4> candidates;
        for (Loop *loop : loops.getLoopsInPreorder())
            if (matchShape(*loop, fields, loadTag)) candidates.push_back(loop);
        if (candidates.empty()) continue;
        for (Loop *loop : candidates)
            if (!loop->getLoopPreheader()) InsertPreheaderForLoop(loop, &dominators, &loops, nullptr, /*PreserveLCSSA=*/false);
        AssumptionCache assumptions(function);
        TargetLibraryInfo library(libraryInfo, &function);
        ScalarEvolution evolution(function, library, assumptions, dominators, loops);
        SmallVector<Loop *, 4> searches;
        for (Loop *loop : candidates) {
            auto found = match(*loop, fields, loadTag);
            if (found && usableCount(*loop, *found, evolution)) searches.push_back(loop);
        }
        // The first iterations run before the windows, as the loop wrote them.
        for (Loop *loop : searches) {
            formLCSSA(*loop, dominators, &loops, &evolution);
            formDedicatedExitBlocks(loop, &dominators, &loops, nullptr, /*PreserveLCSSA=*/true);
            if (!canPeel(loop)) continue;
            ValueToValueMapTy map;
            peelLoop(loop, peeledIterations, &loops, &evolution, dominators, &assumptions, /*PreserveLCSSA=*/true, map);
        }
        // Every match and its count are found before any block changes that the analyses do not
        // follow.
        SmallVector<ByteSearchLoop, 2> matches;
        for (Loop *loop : searches) {
            auto found = match(*loop, fields, loadTag);
            auto count = found ? usableCount(*loop, *found, evolution) : std::nullopt;
            if (!count) continue;
            if (*count) found->backedgeCount = kiln::expandBackedgeCount(*count, found->preheader, evolution);
            matches.push_back(*found);
        }
        for (ByteSearchLoop &loop : matches) skipWindowsWithoutTheValue(loop, fields);
        rewritten += matches.size();
    }
    return rewritten;
}

extern "C" unsigned kiln_keep_byte_search_loops_rolled(LLVMModuleRef moduleRef, LLVMMetadataRef memoryLoadTag, kiln_memory_fields fields) {
    auto *loadTag = cast<MDNode>(unwrap(memoryLoadTag));
    return kiln::disableUnrollingWhere(
        *unwrap(moduleRef), mayHaveSearchLoops, [&](Loop &loop) { return matchShape(loop, fields, loadTag).has_value(); });
}
