// Marks for full unrolling the short counted loops whose memory accesses land at offsets computed
// from the loop's counter by more than a stride: `d[i % 5]`, `b[y + 5 * ((2 * x + 3 * y) % 5)]`.
//
// Why. A C compiler fully unrolls such a loop for a native target because once every counter is
// a constant, the small local array it indexes becomes registers (SROA) and a table it reads
// folds to constants. Built for wasm32, clang unrolls less, so such loops reach Kiln rolled, and
// their arrays live in linear memory, where neither fold exists: LLVM's unroller, asked by cost,
// sees a `urem` and a load per access that unrolling would not remove, and keeps the loop. A
// Keccak permutation's `a[i] ^= d[i % 5]` over 25 lanes ran 2.5x native code's time, 1.4x
// unrolled. Unrolled, each access's offset is a constant: the arithmetic goes, and the loads
// become loads at fixed offsets from one base, which later passes can keep in registers or
// forward from the stores before them.
//
// Which loops: innermost, with an exact trip count of at most `mostTrips`, at most
// `mostUnrolledInstructions` once unrolled and within its function's budget, not marked by Kiln's own unrolling budget
// (LoopUnrollBudget) or by anything else about unrolling, with a load or store whose address
// does not move by a fixed stride (seen through the extensions of 32-bit address arithmetic: a
// strided walk gains nothing from unrolling that the vectoriser or the partial unroller would not
// give it) and is computed from the loop's recurrences and values from outside it by arithmetic
// alone (no load, call or phi but the recurrences).
#include "computed_offset_unrolling.h"

#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Utils/LoopUtils.h>

using namespace llvm;

namespace {

constexpr unsigned mostTrips = 32;
constexpr size_t mostUnrolledInstructions = 1024;
// What these unrollings may add to one function, so that a function of many such loops grows by
// a bounded amount, not by up to `mostTrips` times (400 of them in 25 KB of Wasm doubled its
// compile time and tripled its code before this budget).
constexpr size_t mostAddedInstructionsPerFunction = 4096;

// Whether `address` is worked out in `loop` from its recurrences and outside values by
// arithmetic, casts, selects and compares alone.
bool isComputedFromTheCounter(const Value *address, const Loop &loop, ScalarEvolution &evolution) {
    SmallVector<const Value *, 16> work{address};
    SmallPtrSet<const Value *, 16> seen;
    while (!work.empty()) {
        const Value *value = work.pop_back_val();
        auto *instruction = dyn_cast<Instruction>(value);
        if (!instruction || !loop.contains(instruction) || !seen.insert(value).second) continue;
        if (auto *phi = dyn_cast<PHINode>(instruction)) {
            if (phi->getParent() != loop.getHeader() || !isa<SCEVAddRecExpr>(evolution.getSCEV(const_cast<PHINode *>(phi))))
                return false;
            continue;
        }
        bool isArithmetic = instruction->isBinaryOp() || instruction->isCast() || isa<GetElementPtrInst>(instruction) ||
                            isa<SelectInst>(instruction) || isa<CmpInst>(instruction);
        if (!isArithmetic) return false;
        for (const Value *operand : instruction->operands()) work.push_back(operand);
    }
    return true;
}

// Whether `offset` moves by a fixed stride per iteration of `loop`, seen through the extensions
// and truncations of 32-bit address arithmetic (`zext(a + 4 * i)`), which scalar evolution does
// not fold into a recurrence when the sum may wrap.
bool isStrided(const SCEV *offset, const Loop &loop, ScalarEvolution &evolution) {
    if (evolution.isLoopInvariant(offset, &loop)) return true;
    if (auto *recurrence = dyn_cast<SCEVAddRecExpr>(offset))
        return recurrence->getLoop() == &loop && recurrence->isAffine() &&
               evolution.isLoopInvariant(recurrence->getStepRecurrence(evolution), &loop) &&
               evolution.isLoopInvariant(recurrence->getStart(), &loop);
    if (auto *cast = dyn_cast<SCEVCastExpr>(offset)) return isStrided(cast->getOperand(0), loop, evolution);
    if (auto *sum = dyn_cast<SCEVAddExpr>(offset))
        return all_of(sum->operands(), [&](const SCEV *operand) { return isStrided(operand, loop, evolution); });
    if (auto *product = dyn_cast<SCEVMulExpr>(offset))
        return product->getNumOperands() == 2 && isa<SCEVConstant>(product->getOperand(0)) &&
               isStrided(product->getOperand(1), loop, evolution);
    return false;
}

bool accessesAComputedOffset(const Loop &loop, ScalarEvolution &evolution) {
    for (BasicBlock *block : loop.blocks()) {
        for (Instruction &instruction : *block) {
            Value *address = getLoadStorePointerOperand(&instruction);
            if (!address) continue;
            if (isStrided(evolution.getSCEV(address), loop, evolution)) continue;
            if (isComputedFromTheCounter(address, loop, evolution)) return true;
        }
    }
    return false;
}

struct ComputedOffsetUnrolling : PassInfoMixin<ComputedOffsetUnrolling> {
    // Instructions granted so far, by function. One pass object serves one pipeline run, on one
    // thread.
    DenseMap<const Function *, size_t> added;

    PreservedAnalyses run(Loop &loop, LoopAnalysisManager &, LoopStandardAnalysisResults &results, LPMUpdater &) {
        if (!loop.isInnermost() || hasUnrollTransformation(&loop) != TM_Unspecified) return PreservedAnalyses::all();
        unsigned trips = results.SE.getSmallConstantTripCount(&loop);
        if (trips < 2 || trips > mostTrips) return PreservedAnalyses::all();
        size_t instructions = 0;
        for (BasicBlock *block : loop.blocks()) instructions += block->size();
        if (instructions * trips > mostUnrolledInstructions) return PreservedAnalyses::all();
        size_t &addedToFunction = added[loop.getHeader()->getParent()];
        size_t growth = instructions * (trips - 1);
        if (addedToFunction + growth > mostAddedInstructionsPerFunction) return PreservedAnalyses::all();
        if (!accessesAComputedOffset(loop, results.SE)) return PreservedAnalyses::all();
        addedToFunction += growth;
        LLVMContext &context = loop.getHeader()->getContext();
        MDNode *full = MDNode::get(context, {MDString::get(context, "llvm.loop.unroll.full")});
        loop.setLoopID(makePostTransformationMetadata(context, loop.getLoopID(), {}, {full}));
        return PreservedAnalyses::all();
    }
};

} // namespace

void kiln::registerComputedOffsetUnrolling(PassBuilder &builder) {
    builder.registerLateLoopOptimizationsEPCallback(
        [](LoopPassManager &loops, OptimizationLevel) { loops.addPass(ComputedOffsetUnrolling()); });
}
