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
                 LoopInfo &loops, CopyTests tests, function_ref<void(IRBuilder<> &)> copy) {
    auto *branch = cast<BranchInst>(check->getTerminator());
    BasicBlock *fallback = branch->getSuccessor(0), *exit = loop.getExitBlock(), *exiting = loop.getExitingBlock();
    Function &function = *check->getParent();
    LLVMContext &context = function.getContext();
    BasicBlock *lengthTest = BasicBlock::Create(context, "kiln.copy.length", &function, fallback);
    BasicBlock *test = BasicBlock::Create(context, "kiln.copy.test", &function, fallback);
    BasicBlock *copyBlock = BasicBlock::Create(context, "kiln.memory.copy", &function, fallback);
    branch->setSuccessor(0, lengthTest);
    auto *lengthBranch = BranchInst::Create(fallback, test, ConstantInt::getTrue(context), lengthTest);
    auto *testBranch = BranchInst::Create(fallback, copyBlock, ConstantInt::getTrue(context), test);
    BranchInst *toExit = BranchInst::Create(exit, copyBlock);
    dominators.addNewBlock(lengthTest, check);
    dominators.addNewBlock(test, lengthTest);
    dominators.addNewBlock(copyBlock, test);
    dominators.changeImmediateDominator(fallback, lengthTest);
    if (Loop *outer = loop.getParentLoop()) {
        for (BasicBlock *block : {lengthTest, test, copyBlock}) outer->addBasicBlockToLoop(block, loops);
    }
    // The short copies, most of those that do not take the call (an LZ77 match onto its own tail),
    // leave at the first compare.
    IRBuilder<> lengthBuilder(lengthBranch);
    lengthBranch->setCondition(tests.tooShort(lengthBuilder));
    IRBuilder<> testBuilder(testBranch);
    testBranch->setCondition(tests.unsafe(testBuilder));
    IRBuilder<> builder(toExit);
    copy(builder);
    SCEVExpander expander(se, function.getParent()->getDataLayout(), "kiln.copied");
    for (PHINode &phi : exit->phis()) {
        Value *value = phi.getIncomingValueForBlock(exiting);
        if (auto *instruction = dyn_cast<Instruction>(value); instruction && loop.contains(instruction))
            value = expander.expandCodeFor(exitValue(instruction, loop, backedges, se), instruction->getType(), toExit);
        phi.addIncoming(value, copyBlock);
    }
}

} // namespace kiln
