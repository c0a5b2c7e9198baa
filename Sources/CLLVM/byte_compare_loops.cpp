// Byte-compare loops: loops that walk two byte arrays until they differ, as musl's `memcmp` and
// `strncmp`-like code do, get a vector prologue that skips 16 equal bytes at a time, and the
// scalar loop finds the first difference from where the prologue stopped.
//
// Why Kiln does it. LLVM 19 vectorises no loop with an early exit, and wasi-libc's `memcmp` is
// such a byte loop (one load pair, a compare and a branch per byte): base64 spent a quarter of
// its time there, where native code calls glibc's vector `memcmp` (docs/benchmarks.md). LLVM's
// own pass for this idiom (LoopIdiomVectorize) needs scalable vectors and 64-bit indices.
//
// Why traps stay exact. The scalar loop reads the two arrays' bytes at each index, first one then
// the other, until they differ or its count runs out. A pair of 16-byte windows is compared only
// when the count leaves at least one more byte after them, so the loop would read every byte of
// both unless a difference comes first (then the scalar loop reads them again from the windows'
// start). Whether a window can trap: a 32-bit memory's accessible bytes end at a multiple of its
// 64 KiB pages, so a window inside one 4 KiB page is in bounds exactly when its first byte is, the
// byte the scalar loop reads next; if that byte would trap, the window's load traps in its place,
// before anything else happens, with the same trap. A window that crosses a page is compared only
// when it ends inside the memory's current size, read then (once a page at most). The size never
// shrinks, and nothing in the loop grows it: only the two loads and their arithmetic may be there
// (no store, no call but the load witness's empty asm), so skipping iterations skips nothing else.
// Windows start at the scalar loop's own 32-bit addresses and do not cross 2^32 (a multiple of
// the page, and past the memory's largest size), so they read the bytes the loop would.
//
// It runs after the last IR pass, on loops as the pipeline left them: a header with the two loads
// and their compare, a latch with the steps and the count's test.
#include "CLLVM.h"
#include "linear_memory_fields.h"

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

constexpr unsigned windowBytes = 16;
// A window never crosses a multiple of this. The memory's size is a multiple of it (of 64 KiB
// Wasm pages), and so is 2^32, where the 32-bit addresses wrap.
constexpr unsigned pageBytes = 4096;

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

bool isEmptyAsm(const Instruction &instruction) {
    auto *call = dyn_cast<CallInst>(&instruction);
    auto *assembly = call ? dyn_cast<InlineAsm>(call->getCalledOperand()) : nullptr;
    return assembly && assembly->getAsmString().empty();
}

// The header phi a byte load's address is, as base + zext(phi), and the base.
std::optional<std::pair<PHINode *, Value *>> addressOf(LoadInst *load, BasicBlock *header) {
    auto *gep = dyn_cast<GetElementPtrInst>(load->getPointerOperand());
    if (!gep || gep->getNumIndices() != 1 || !gep->getSourceElementType()->isIntegerTy(8)) return std::nullopt;
    auto *extension = dyn_cast<ZExtInst>(gep->getOperand(1));
    auto *phi = extension ? dyn_cast<PHINode>(extension->getOperand(0)) : nullptr;
    if (!phi || phi->getParent() != header || !phi->getType()->isIntegerTy(32)) return std::nullopt;
    return std::make_pair(phi, gep->getPointerOperand());
}

std::optional<ByteCompareLoop> match(Loop &loop, const kiln::MemoryFields &fields, MDNode *loadTag) {
    ByteCompareLoop match;
    BasicBlock *latch = loop.getLoopLatch();
    match.header = loop.getHeader();
    match.preheader = loop.getLoopPreheader();
    if (!loop.getSubLoops().empty() || loop.getNumBlocks() != 2 || !latch || latch == match.header || !match.preheader)
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
    // Nothing else in the loop: the loads, their addresses, the witness's uses, steps and tests.
    for (BasicBlock *block : loop.blocks()) {
        for (Instruction &instruction : *block) {
            if (&instruction == match.loads[0] || &instruction == match.loads[1] || isEmptyAsm(instruction)) continue;
            if (!isa<PHINode, ZExtInst, GetElementPtrInst, ICmpInst, BranchInst>(instruction) &&
                !(isa<BinaryOperator>(instruction) && instruction.getOpcode() == Instruction::Add))
                return std::nullopt;
        }
    }
    for (PHINode &phi : match.header->phis()) {
        auto *next = dyn_cast<BinaryOperator>(phi.getIncomingValueForBlock(latch));
        auto *step = next && next->getOpcode() == Instruction::Add && next->getOperand(0) == &phi
                         ? dyn_cast<ConstantInt>(next->getOperand(1)) : nullptr;
        if (!step) return std::nullopt;
        match.steps.push_back({&phi, step});
    }
    for (PHINode *address : match.addresses) {
        auto found = find_if(match.steps, [&](auto &entry) { return entry.first == address; });
        if (found == match.steps.end() || !found->second->isOne()) return std::nullopt;
    }
    return match;
}

// Inserts the vector prologue between the preheader and the header.
void skipEqualWindows(ByteCompareLoop &loop, const kiln::MemoryFields &fields) {
    LLVMContext &context = loop.header->getContext();
    Function *function = loop.header->getParent();
    Type *i64 = Type::getInt64Ty(context), *i8 = Type::getInt8Ty(context);
    auto *vector = FixedVectorType::get(i8, windowBytes);
    BasicBlock *check = BasicBlock::Create(context, "bytes.window", function, loop.header);
    BasicBlock *acrossPages = BasicBlock::Create(context, "bytes.across_pages", function, loop.header);
    BasicBlock *compare = BasicBlock::Create(context, "bytes.compare", function, loop.header);
    BasicBlock *done = BasicBlock::Create(context, "bytes.scalar", function, loop.header);
    // Too few bytes for one window: straight to the scalar loop, as before.
    Instruction *entry = loop.preheader->getTerminator();
    IRBuilder<> builder(entry);
    Value *enoughBytes = builder.CreateICmpUGE(loop.backedgeCount, builder.getInt64(windowBytes));
    builder.CreateCondBr(enoughBytes, check, loop.header);
    entry->eraseFromParent();

    builder.SetInsertPoint(check);
    PHINode *skipped = builder.CreatePHI(i64, 2, "bytes.skipped");
    skipped->addIncoming(builder.getInt64(0), loop.preheader);
    Value *end = builder.CreateAdd(skipped, builder.getInt64(windowBytes));
    // Each window's first byte is the one the scalar loop reads next, at its own 32-bit address.
    Value *firsts[2];
    Value *withinPages = builder.getTrue();
    for (unsigned i = 0; i < 2; i++) {
        Value *start = loop.addresses[i]->getIncomingValueForBlock(loop.preheader);
        firsts[i] = builder.CreateAdd(start, builder.CreateTrunc(skipped, start->getType()));
        Value *offsetInPage = builder.CreateAnd(firsts[i], builder.getInt32(pageBytes - 1));
        withinPages = builder.CreateAnd(withinPages, builder.CreateICmpULE(offsetInPage, builder.getInt32(pageBytes - windowBytes)));
    }
    // Within its page a window is in bounds exactly when its first byte is, which the scalar loop
    // would read next: if that traps, so does the window's load, before anything else happens.
    // A window across pages is compared only when it ends inside the memory (once a page).
    BasicBlock *remaining = BasicBlock::Create(context, "bytes.remaining", function, acrossPages);
    // At least one byte left for the scalar loop after the windows: skipped + 16 <= its back-edge count.
    builder.CreateCondBr(builder.CreateICmpULE(end, loop.backedgeCount), remaining, done);
    builder.SetInsertPoint(remaining);
    builder.CreateCondBr(withinPages, compare, acrossPages);
    builder.SetInsertPoint(acrossPages);
    Value *size = kiln::memorySize(loop.memory, builder, fields);
    Value *inside = builder.getTrue();
    for (Value *first : firsts) {
        Value *windowEnd = builder.CreateAdd(builder.CreateZExt(first, i64), builder.getInt64(windowBytes));
        inside = builder.CreateAnd(inside, builder.CreateICmpULE(windowEnd, size));
    }
    builder.CreateCondBr(inside, compare, done);

    builder.SetInsertPoint(compare);
    Value *windows[2];
    for (unsigned i = 0; i < 2; i++) {
        Value *address = builder.CreateGEP(i8, loop.memoryBase, builder.CreateZExt(firsts[i], i64));
        LoadInst *window = builder.CreateAlignedLoad(vector, address, Align(1));
        window->setMetadata(LLVMContext::MD_tbaa, loop.loads[i]->getMetadata(LLVMContext::MD_tbaa));
        windows[i] = window;
    }
    Value *differences = builder.CreateBitCast(builder.CreateICmpNE(windows[0], windows[1]), builder.getInt16Ty());
    BasicBlock *different = BasicBlock::Create(context, "bytes.different", function, done);
    builder.CreateCondBr(builder.CreateICmpNE(differences, builder.getInt16(0)), different, check);
    skipped->addIncoming(end, compare);
    // The bytes before the first difference are equal: the scalar loop starts at it, and so leaves
    // in its first iteration (at most 15 more, and the count leaves it at least 16).
    builder.SetInsertPoint(different);
    Value *equalBytes = builder.CreateZExt(builder.CreateBinaryIntrinsic(Intrinsic::cttz, differences, builder.getTrue()), i64);
    Value *atDifference = builder.CreateAdd(skipped, equalBytes);
    builder.CreateBr(done);

    // The scalar loop goes on from there, or from the first window not compared, each phi stepped
    // that many times.
    builder.SetInsertPoint(done);
    PHINode *bytesSkipped = builder.CreatePHI(i64, 3, "bytes.skipped.all");
    bytesSkipped->addIncoming(skipped, check);
    bytesSkipped->addIncoming(skipped, acrossPages);
    bytesSkipped->addIncoming(atDifference, different);
    for (auto [phi, step] : loop.steps) {
        Type *type = phi->getType();
        Value *start = phi->getIncomingValueForBlock(loop.preheader);
        phi->addIncoming(builder.CreateAdd(start, builder.CreateMul(builder.CreateZExtOrTrunc(bytesSkipped, type), step)), done);
    }
    builder.CreateBr(loop.header);
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
            const SCEV *count = evolution.getExitCount(loop, loop->getLoopLatch());
            if (isa<SCEVCouldNotCompute>(count) || count->getType()->getIntegerBitWidth() > 64 ||
                !evolution.isLoopInvariant(count, loop))
                continue;
            SCEVExpander expander(evolution, module.getDataLayout(), "bytes");
            if (!expander.isSafeToExpand(count)) continue;
            Value *expanded = expander.expandCodeFor(count, count->getType(), found->preheader->getTerminator());
            IRBuilder<> builder(found->preheader->getTerminator());
            found->backedgeCount = builder.CreateZExt(expanded, builder.getInt64Ty());
            matches.push_back(*found);
        }
        for (ByteCompareLoop &loop : matches) skipEqualWindows(loop, fields);
        rewritten += matches.size();
    }
    return rewritten;
}
