#include "copy_loops.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

using namespace llvm;

namespace {

int64_t widthOf(Instruction *access) {
    return int64_t(access->getModule()->getDataLayout().getTypeStoreSize(getLoadStoreType(access)).getFixedValue());
}

// What `value`, computed in the loop, holds when the loop leaves after `backedges` backedges: a
// value of the loop's invariants for an affine recurrence of the loop, or the value itself if it
// is invariant; nothing otherwise.
const SCEV *exitValue(Value *value, Loop &loop, const SCEV *backedges, ScalarEvolution &se) {
    if (!se.isSCEVable(value->getType())) return nullptr;
    const SCEV *scev = se.getSCEV(value);
    if (se.isLoopInvariant(scev, &loop)) return scev;
    auto *recurrence = dyn_cast<SCEVAddRecExpr>(scev);
    if (!recurrence || recurrence->getLoop() != &loop || !recurrence->isAffine()) return nullptr;
    const SCEV *count = se.getTruncateOrZeroExtend(backedges, recurrence->getType());
    const SCEV *last = recurrence->evaluateAtIteration(count, se);
    return se.isLoopInvariant(last, &loop) ? last : nullptr;
}

// The chunk loop of a copy path: from `sizeTest`, copies too short for the call go round it and
// on to `done`, the rest to the call in `copyBlock`. Its accesses carry no linear-memory tags:
// they cannot trap (the path runs only with both ranges inside the memory), and untagged they are
// no loop for memory-loop versioning to take again.
void addChunkLoop(const kiln::ChunkedCopy &chunked, BasicBlock *sizeTest, BasicBlock *copyBlock, BasicBlock *done,
                  Loop *outer, DominatorTree &dominators, LoopInfo &loops) {
    Function &function = *sizeTest->getParent();
    LLVMContext &context = function.getContext();
    BasicBlock *preheader = BasicBlock::Create(context, "kiln.chunk.ph", &function, copyBlock);
    BasicBlock *body = BasicBlock::Create(context, "kiln.chunk", &function, copyBlock);
    dominators.addNewBlock(preheader, sizeTest);
    dominators.addNewBlock(body, preheader);
    Loop *chunkLoop = loops.AllocateLoop();
    if (outer) {
        outer->addBasicBlockToLoop(preheader, loops);
        outer->addChildLoop(chunkLoop);
    } else {
        loops.addTopLevelLoop(chunkLoop);
    }
    chunkLoop->addBasicBlockToLoop(body, loops);

    IRBuilder<> sizeBuilder(sizeTest);
    sizeBuilder.CreateCondBr(chunked.tooShortForCall(sizeBuilder), preheader, copyBlock);
    IRBuilder<> builder(preheader);
    auto [destination, source] = chunked.pointers(builder);
    Value *bytes = chunked.bytes();
    builder.CreateBr(body);

    builder.SetInsertPoint(body);
    Type *i8 = builder.getInt8Ty(), *i64 = builder.getInt64Ty();
    // 16-byte vectors, one move of each a chunk: with 32-byte ones every return from the
    // function, short copies' too, would clear the registers' upper halves (vzeroupper), and
    // that made xml_dom's memcpy slower than the word loop.
    constexpr unsigned vectorBytes = 16;
    Type *vector = FixedVectorType::get(i8, vectorBytes);
    Value *chunk = builder.getInt64(chunked.chunk);
    PHINode *copied = builder.CreatePHI(i64, 2, "kiln.chunk.copied");
    copied->addIncoming(builder.getInt64(0), preheader);
    // Forwards from the first byte; backwards from the last chunk down.
    Value *start = chunked.forwards ? copied : builder.CreateSub(builder.CreateSub(bytes, chunk), copied);
    for (unsigned k = 0; k < chunked.chunk / vectorBytes; k++) {
        unsigned piece = chunked.forwards ? k : chunked.chunk / vectorBytes - 1 - k;
        Value *offset = builder.CreateAdd(start, builder.getInt64(piece * vectorBytes));
        Value *moved = builder.CreateAlignedLoad(vector, builder.CreateGEP(i8, source, offset), Align(1));
        builder.CreateAlignedStore(moved, builder.CreateGEP(i8, destination, offset), Align(1));
    }
    Value *next = builder.CreateAdd(copied, chunk);
    copied->addIncoming(next, body);
    BranchInst *latch = builder.CreateCondBr(builder.CreateICmpULT(next, bytes), body, done);
    // Already one vector an iteration, and mostly a few iterations: nothing to vectorise or unroll.
    MDNode *vectorised = MDNode::get(context, {MDString::get(context, "llvm.loop.isvectorized"),
                                               ConstantAsMetadata::get(builder.getInt32(1))});
    MDNode *notUnrolled = MDNode::get(context, {MDString::get(context, "llvm.loop.unroll.disable")});
    MDNode *id = MDNode::getDistinct(context, {nullptr, vectorised, notUnrolled});
    id->replaceOperandWith(0, id);
    latch->setMetadata(LLVMContext::MD_loop, id);
}

} // namespace

namespace kiln {

std::optional<bool> copyDirection(Loop &loop, ArrayRef<OffsetAccess> stores, ArrayRef<OffsetAccess> loads, int64_t step,
                                  ScalarEvolution &se) {
    if (loop.getNumBlocks() != 1 || stores.empty() || stores.size() != loads.size() || step == 0) return std::nullopt;
    DenseMap<const Instruction *, int64_t> loadOffsets;
    for (const OffsetAccess &load : loads) {
        if (!isa<LoadInst>(load.access)) return std::nullopt;
        loadOffsets[load.access] = load.offset;
    }
    // Each store stores one load of its own offset (and so width), each load is stored once, and
    // the stores cover an iteration's bytes without a gap or an overlap.
    SmallPtrSet<const Instruction *, 8> stored;
    SmallVector<std::pair<int64_t, int64_t>, 8> covered;
    for (const OffsetAccess &store : stores) {
        auto *instruction = dyn_cast<StoreInst>(store.access);
        if (!instruction) return std::nullopt;
        auto *load = dyn_cast<LoadInst>(instruction->getValueOperand());
        auto found = load ? loadOffsets.find(load) : loadOffsets.end();
        if (found == loadOffsets.end() || found->second != store.offset || !stored.insert(load).second) return std::nullopt;
        covered.push_back({store.offset, store.offset + widthOf(instruction)});
    }
    sort(covered);
    for (size_t i = 1; i < covered.size(); i++)
        if (covered[i].first != covered[i - 1].second) return std::nullopt;
    if (covered.back().second - covered.front().first != std::abs(step)) return std::nullopt;
    // In program order, a store comes after every load of a byte it may overwrite: copying
    // forwards, the destination is at or below the source, so a store of bytes up to `last`
    // overwrites source bytes at or below `last`; backwards, at or above its first byte.
    bool forwards = step > 0;
    SmallPtrSet<const Instruction *, 8> loaded;
    for (Instruction &instruction : *loop.getHeader()) {
        if (loadOffsets.count(&instruction)) {
            loaded.insert(&instruction);
            continue;
        }
        if (!instruction.mayWriteToMemory()) continue;
        const OffsetAccess *store = find_if(stores, [&](const OffsetAccess &s) { return s.access == &instruction; });
        if (store == stores.end()) return std::nullopt;
        int64_t first = store->offset, last = store->offset + widthOf(store->access) - 1;
        for (const OffsetAccess &load : loads) {
            bool mayBeOverwritten = forwards ? load.offset <= last : load.offset + widthOf(load.access) - 1 >= first;
            if (mayBeOverwritten && !loaded.count(load.access)) return std::nullopt;
        }
    }
    return forwards;
}

bool exitValuesKnown(Loop &loop, const SCEV *backedges, ScalarEvolution &se) {
    for (BasicBlock *block : loop.blocks()) {
        for (Instruction &instruction : *block) {
            bool usedAfter = any_of(instruction.users(), [&](User *user) { return !loop.contains(cast<Instruction>(user)); });
            if (usedAfter && !exitValue(&instruction, loop, backedges, se)) return false;
        }
    }
    return true;
}

Value *emitWrongWayOverlap(IRBuilder<> &builder, Value *destination, Value *source, Value *bytes, bool forwards) {
    // Forwards, the destination must not start inside the source after its first byte;
    // backwards, the source not inside the destination after its first.
    Value *later = forwards ? destination : source, *earlier = forwards ? source : destination;
    return builder.CreateAnd(builder.CreateICmpULT(earlier, later), builder.CreateICmpULT(later, builder.CreateAdd(earlier, bytes)));
}

void addCopyPath(Loop &loop, const SCEV *backedges, BasicBlock *check, ScalarEvolution &se, DominatorTree &dominators,
                 LoopInfo &loops, CopyTests tests, function_ref<void(IRBuilder<> &)> copy, const ChunkedCopy *chunked) {
    auto *branch = cast<BranchInst>(check->getTerminator());
    BasicBlock *fallback = branch->getSuccessor(0), *exit = loop.getExitBlock(), *exiting = loop.getExitingBlock();
    Function &function = *check->getParent();
    LLVMContext &context = function.getContext();
    Loop *outer = loop.getParentLoop();
    auto newBlock = [&](const char *name, BasicBlock *dominator) {
        BasicBlock *block = BasicBlock::Create(context, name, &function, fallback);
        dominators.addNewBlock(block, dominator);
        if (outer) outer->addBasicBlockToLoop(block, loops);
        return block;
    };
    BasicBlock *lengthTest = newBlock("kiln.copy.length", check);
    BasicBlock *test = newBlock("kiln.copy.test", lengthTest);
    BasicBlock *sizeTest = chunked ? newBlock("kiln.copy.size", test) : nullptr;
    BasicBlock *copyBlock = newBlock("kiln.memory.copy", chunked ? sizeTest : test);
    BasicBlock *done = newBlock("kiln.copy.done", chunked ? sizeTest : copyBlock);
    branch->setSuccessor(0, lengthTest);
    dominators.changeImmediateDominator(fallback, lengthTest);
    auto *lengthBranch = BranchInst::Create(fallback, test, ConstantInt::getTrue(context), lengthTest);
    auto *testBranch = BranchInst::Create(fallback, chunked ? sizeTest : copyBlock, ConstantInt::getTrue(context), test);
    BranchInst::Create(done, copyBlock);
    BranchInst *toExit = BranchInst::Create(exit, done);
    // The short copies, most of those that do not take the call (an LZ77 match onto its own tail),
    // leave at the first compare.
    IRBuilder<> lengthBuilder(lengthBranch);
    lengthBranch->setCondition(tests.tooShort(lengthBuilder));
    IRBuilder<> testBuilder(testBranch);
    testBranch->setCondition(tests.unsafe(testBuilder));
    IRBuilder<> builder(copyBlock->getTerminator());
    copy(builder);
    if (chunked) addChunkLoop(*chunked, sizeTest, copyBlock, done, outer, dominators, loops);
    SCEVExpander expander(se, function.getParent()->getDataLayout(), "kiln.copied");
    for (PHINode &phi : exit->phis()) {
        Value *value = phi.getIncomingValueForBlock(exiting);
        if (auto *instruction = dyn_cast<Instruction>(value); instruction && loop.contains(instruction))
            value = expander.expandCodeFor(exitValue(instruction, loop, backedges, se), instruction->getType(), toExit);
        phi.addIncoming(value, done);
    }
}

} // namespace kiln
