// Interrupt checks once per chunk of iterations instead of on every one, so that the loops of
// interruptible code still vectorise.
//
// Why. Code compiled --interruptible checks the instance's stack limit on every loop iteration: a
// volatile load and a branch to the trap (FunctionLowering.checkForInterrupt). The branch is a
// second exit and the load an access that nothing may move, so the loop vectoriser took no such
// loop and memory loop versioning none either: matmul ran 5.8x slower than without the option.
//
// What. An innermost loop whose only exits are the check and its own test, in its latch, and
// whose number of iterations scalar evolution can compute before it starts (the counted form),
// becomes two loops:
//
//   preheader:  total = the loop's back edges, computed
//   chunk:      the header's values at the start of a chunk (phis); `remaining` back edges in
//               all, of which this chunk takes n = min(remaining, chunkIterations - 1)
//   header .. latch:  the loop without the check, leaving after n back edges
//   split:      -> exit when the chunk took all that remained, else -> recheck
//   recheck:    the check; remaining -= chunkIterations; -> chunk
//
// A loop that scalar evolution bounds to at most `chunkIterations` iterations just loses its check.
// Loops are put in LLVM's simplified form first (a preheader, one latch, exits of their own).
//
// The inner loop has one exit, a count scalar evolution reads (a counter down to zero from a
// value computed before it) and no volatile access, so the vectoriser and memory loop versioning
// take it as they take the loop of code compiled without the option. The loop's own test is
// replaced by the count, exactly as LLVM's own exit-test rewriting does, since scalar evolution's
// exact count of a loop with one exit is the number of times it goes round; kept, it would be a
// second exit whose count, from a start that changes every chunk, nothing can compute.
//
// A loop whose test compares an induction stepping by an amount known only at run time with a
// bound (a sieve's `for (j = start; j <= half; j += p)`) has a count scalar evolution does not
// give, since it holds only if the step goes toward the bound and the induction cannot wrap
// before it fails the test. The preheader tests that (`GuardedCount`) and computes the count
// itself; the loop takes the counted form, and a third copy, the loop as it was, check and all,
// runs when the guard does not hold (a step of zero, which goes round forever, or a bound so near
// the type's end that the induction could wrap past it).
//
// Every other check in a loop (a search with two exits, a list walk, an interpreter's dispatch
// loop, an endless loop, and every loop with loops inside) stays where it is, behind a tick: one
// budget per function, `interrupt.ticks`, of `chunkIterations`, that each pass through a check's
// block spends (1 in an innermost loop, `outerTickCost` in a loop with loops inside); the check
// runs only when the budget is spent, and sets it again. A register count and a rarely taken
// branch replace a load that LLVM must treat as a write to memory (a volatile access), which kept
// values in memory across the iterations of the loop; one budget for the whole function costs
// one register however deep the loops are nested.
//
// Why it is still exact. An interrupt is asynchronous: what `kiln_instance_interrupt` promises is
// that a running call stops soon with the trap "interrupted", not at a given iteration. What must
// hold is that no code runs on without a check, and that the trap leaves memory and globals as
// the program had them. The inner loop runs at most `chunkIterations` iterations between two
// checks, and it is innermost, so an iteration is straight-line code and calls (a callee that can
// run long has checks of its own). A ticking function runs at most `chunkIterations` iterations
// of its innermost loops, or `chunkIterations / outerTickCost` of the others, between two checks;
// a loop that lost its check runs whole within one of those. The check in `recheck` is between
// two iterations, where it was in the latch before (a ticking check stays where it was), and it
// branches to a call that may read any memory, so no later pass can keep a store in a register
// past it. The checks are found by the metadata the lowering puts on their loads, so a check
// LLVM has changed beyond recognition stays where it is.
#include "CLLVM.h"
#include "exit_test_unmasking.h"

#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/PromoteMemToReg.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <optional>

using namespace llvm;

namespace {

// One interrupt check: `load` of the stack limit, compared with the stack pointer by `compare`,
// and `branch` to `trap` (successor `trapIndex`) when it is over.
struct Check {
    LoadInst *load;
    ICmpInst *compare;
    BranchInst *branch;
    unsigned trapIndex;
    BasicBlock *trap;
};

// How a loop's check is moved out.
enum class Form {
    // The loop never goes round more than `chunkIterations` times: the check goes.
    dropped,
    // One exit, and a count known before the loop starts: the chunks count it down.
    counted,
};

// What a pass through a check's block costs of the tick budget in a loop with loops inside: such
// a loop's iteration may run a whole inner loop whose check was dropped.
constexpr uint32_t outerTickCost = 256;

// A count that scalar evolution does not give, since it holds only under conditions it cannot
// prove: the loop's test compares an induction that steps by an amount known only at run time
// (a sieve's `j += p`) with a bound, and stays in the loop while the induction is below it (or
// above it, stepping down). `guard` holds when the step goes toward the bound and the induction
// cannot wrap before it fails the test; then the loop goes round `entered ? distance / stride + 1
// : 0` times. When it does not hold (a step of zero goes round forever), a copy of the loop that
// checks on every iteration runs instead. All four are computed in the preheader.
struct GuardedCount {
    Value *guard, *entered;
    // The distance from the induction's first value to the bound, less one for a strict test
    // (meaningful when the loop is entered), and the step's size.
    Value *distance, *stride;
};

// A loop whose check can move, with everything the rewrite needs, found before any rewrite so
// that one dominator tree and loop forest serve every loop of the function.
struct Plan {
    Form form;
    Check check;
    BasicBlock *preheader, *header;
    // The block that ends in the back edge once the check is gone; `emptiedLatch` is the latch
    // that held only the check, folded away, or null when the check was elsewhere.
    BasicBlock *latch, *emptiedLatch;
    // The counted form's exit, its back edges in all, computed in the preheader (or, for a
    // guarded count, on the way to the chunks), whether that is under a chunk, and its blocks.
    BasicBlock *exit;
    Value *total, *isShort;
    std::optional<GuardedCount> guarded;
    SmallVector<BasicBlock *, 8> blocks;
    // What the trap block's phis receive from the check's block.
    SmallVector<std::pair<PHINode *, Value *>, 4> trapValues;
};

// The check whose load is `load`, in `loop`, when it has the shape the lowering gives it: the
// load, a compare and a branch that leaves the loop for the trap, in one block.
std::optional<Check> matchCheck(LoadInst *load, const Loop &loop) {
    BasicBlock *block = load->getParent();
    if (!load->hasOneUse()) return std::nullopt;
    auto *compare = dyn_cast<ICmpInst>(load->user_back());
    if (!compare || compare->getParent() != block || !compare->hasOneUse()) return std::nullopt;
    auto *branch = dyn_cast<BranchInst>(compare->user_back());
    if (!branch || branch->getParent() != block || !branch->isConditional()) return std::nullopt;
    unsigned trapIndex = loop.contains(branch->getSuccessor(0)) ? 1 : 0;
    if (loop.contains(branch->getSuccessor(trapIndex)) || !loop.contains(branch->getSuccessor(1 - trapIndex)))
        return std::nullopt;
    return Check{load, compare, branch, trapIndex, branch->getSuccessor(trapIndex)};
}

// The check of innermost `loop`, when it has exactly one, of the lowering's shape, with the stack
// pointer and the limit's address computed before the loop (so that it can move out of it).
std::optional<Check> findCheck(const Loop &loop, unsigned kind) {
    std::optional<Check> found;
    for (BasicBlock *block : loop.blocks()) {
        for (Instruction &instruction : *block) {
            auto *load = dyn_cast<LoadInst>(&instruction);
            if (!load || !load->getMetadata(kind)) continue;
            if (found) return std::nullopt;
            found = matchCheck(load, loop);
            if (!found) return std::nullopt;
            Value *stackPointer = found->compare->getOperand(found->compare->getOperand(0) == load ? 1 : 0);
            if (!loop.isLoopInvariant(stackPointer) || !loop.isLoopInvariant(load->getPointerOperand()))
                return std::nullopt;
        }
    }
    return found;
}

bool isCountType(Type *type) {
    return type->isIntegerTy() && type->getIntegerBitWidth() >= 32 && type->getIntegerBitWidth() <= 64;
}

// The guarded count of the loop whose latch ends in `test`, when its test has that shape: an
// affine induction of the loop against a bound that does not change in it.
std::optional<GuardedCount> guardCount(const Loop &loop, BranchInst &test, BasicBlock *backEdgeTarget,
                                       ScalarEvolution &se, SCEVExpander &expander, Instruction *entry) {
    auto *compare = dyn_cast<ICmpInst>(test.getCondition());
    if (!compare || !test.isConditional()) return std::nullopt;
    // The predicate under which the loop goes round, with the induction on its left.
    ICmpInst::Predicate stays = compare->getPredicate();
    if (test.getSuccessor(0) != backEdgeTarget) stays = ICmpInst::getInversePredicate(stays);
    const SCEV *left = se.getSCEV(compare->getOperand(0)), *right = se.getSCEV(compare->getOperand(1));
    if (!isa<SCEVAddRecExpr>(left)) {
        std::swap(left, right);
        stays = ICmpInst::getSwappedPredicate(stays);
    }
    auto *induction = dyn_cast<SCEVAddRecExpr>(left);
    if (!induction || induction->getLoop() != &loop || !induction->isAffine() || !isCountType(induction->getType()) ||
        !se.isLoopInvariant(right, &loop))
        return std::nullopt;
    const SCEV *start = induction->getStart(), *step = induction->getStepRecurrence(se);
    if (!expander.isSafeToExpandAt(start, entry) || !expander.isSafeToExpandAt(step, entry) ||
        !expander.isSafeToExpandAt(right, entry))
        return std::nullopt;
    bool up = ICmpInst::isLT(stays) || ICmpInst::isLE(stays), down = ICmpInst::isGT(stays) || ICmpInst::isGE(stays);
    if (!up && !down) return std::nullopt;

    auto *type = cast<IntegerType>(induction->getType());
    Value *first = expander.expandCodeFor(start, type, entry), *by = expander.expandCodeFor(step, type, entry);
    Value *bound = expander.expandCodeFor(right, type, entry);
    IRBuilder<> builder(entry);
    bool isSigned = ICmpInst::isSigned(stays);
    APInt limit = isSigned ? (up ? APInt::getSignedMaxValue(type->getBitWidth()) : APInt::getSignedMinValue(type->getBitWidth()))
                           : (up ? APInt::getMaxValue(type->getBitWidth()) : APInt::getZero(type->getBitWidth()));
    Value *zero = ConstantInt::get(type, 0);
    Value *stride = up ? by : builder.CreateNeg(by);
    // The step goes toward the bound, and the bound moved by one more step does not pass the
    // type's end: then no value that passes the test wraps when it steps.
    Value *towardBound = isSigned ? builder.CreateICmp(up ? ICmpInst::ICMP_SGT : ICmpInst::ICMP_SLT, by, zero)
                                  : builder.CreateICmpNE(by, zero);
    Value *roomBeyond = builder.CreateSub(ConstantInt::get(type, limit), by);
    Value *noWrap = builder.CreateICmp(up ? (isSigned ? ICmpInst::ICMP_SLE : ICmpInst::ICMP_ULE)
                                          : (isSigned ? ICmpInst::ICMP_SGE : ICmpInst::ICMP_UGE),
                                       bound, up || isSigned ? roomBeyond : stride);
    Value *guard = builder.CreateAnd(towardBound, noWrap, "interrupt.guard");
    Value *entered = builder.CreateICmp(stays, first, bound, "interrupt.entered");
    Value *distance = up ? builder.CreateSub(bound, first) : builder.CreateSub(first, bound);
    if (ICmpInst::isStrictPredicate(stays)) distance = builder.CreateSub(distance, ConstantInt::get(type, 1));
    return GuardedCount{guard, entered, distance, stride};
}

std::optional<Plan> planStripMining(const Loop &loop, unsigned kind, uint64_t chunkIterations,
                                    const DominatorTree &dominators, ScalarEvolution &se, SCEVExpander &expander) {
    BasicBlock *preheader = loop.getLoopPreheader(), *header = loop.getHeader(), *latch = loop.getLoopLatch();
    if (!preheader || !latch) return std::nullopt;
    auto check = findCheck(loop, kind);
    if (!check) return std::nullopt;
    BasicBlock *checkBlock = check->branch->getParent();
    Plan plan{Form::dropped, *check, preheader, header, latch, nullptr, nullptr, nullptr, nullptr, std::nullopt, {}, {}};
    if (checkBlock == latch) {
        // The lowering's latch: the check and the back edge. Entered from the loop's test alone,
        // it goes, and the test's block becomes the latch; what else it computes (the next
        // value of an induction, say) moves up into the test's block, which is safe for code
        // that cannot trap or write. Otherwise (many branches back, which its phis merge) it
        // stays the latch, and the check ticks where it is.
        if (check->branch->getSuccessor(1 - check->trapIndex) != header) return std::nullopt;
        BasicBlock *test = latch->getSinglePredecessor();
        bool foldable = test && loop.contains(test) && all_of(*latch, [&](Instruction &instruction) {
            bool partOfCheck = &instruction == check->load || &instruction == check->compare || &instruction == check->branch;
            return partOfCheck || (!isa<PHINode>(instruction) && isSafeToSpeculativelyExecute(&instruction));
        });
        if (foldable) {
            plan.latch = test;
            plan.emptiedLatch = latch;
        }
    }
    auto *test = dyn_cast<BranchInst>(plan.latch->getTerminator());
    BasicBlock *backEdgeTarget = plan.emptiedLatch ? plan.emptiedLatch : header;
    if (!test || !is_contained(successors(plan.latch), backEdgeTarget)) return std::nullopt;
    // The recheck block passes the trap what the check's block passed; it runs after the latch.
    for (PHINode &phi : check->trap->phis()) {
        Value *value = phi.getIncomingValueForBlock(checkBlock);
        if (auto *definition = dyn_cast<Instruction>(value); definition && !dominators.dominates(definition, test))
            return std::nullopt;
        plan.trapValues.push_back({&phi, value});
    }
    // (A test that instcombine masked is put in a form scalar evolution counts, as memory loop
    // versioning does; without the check, as without the option, that is where it would be.)
    if (checkBlock != plan.latch && kiln::unmaskExitTest(test, header->getModule()->getDataLayout()))
        se.forgetLoop(&loop);
    // A loop that never goes round a whole chunk's worth needs no check of its own: the code
    // around it checks. (The check's exit counts for nothing here: no count can be known for it.)
    auto *most = dyn_cast<SCEVConstant>(se.getConstantMaxBackedgeTakenCount(&loop));
    if (most && most->getAPInt().ult(chunkIterations)) return plan;
    // The counted form: the loop's own test, in the latch, is its one exit besides the check's,
    // and how often it lets the loop go round is known before the loop starts.
    SmallVector<BasicBlock *, 4> exiting;
    loop.getExitingBlocks(exiting);
    if (checkBlock == plan.latch || exiting.size() != 2 || !test->isConditional()) return std::nullopt;
    plan.exit = test->getSuccessor(test->getSuccessor(0) == backEdgeTarget ? 1 : 0);
    if (loop.contains(plan.exit)) return std::nullopt;
    Instruction *entry = preheader->getTerminator();
    const SCEV *backEdges = se.getExitCount(&loop, plan.latch);
    // (At least 32 bits, so that the chunk's size fits the count's type.)
    if (!isa<SCEVCouldNotCompute>(backEdges) && isCountType(backEdges->getType()) &&
        expander.isSafeToExpandAt(backEdges, entry)) {
        plan.total = expander.expandCodeFor(backEdges, backEdges->getType(), entry);
        plan.isShort = IRBuilder<>(entry).CreateICmpULT(
            plan.total, ConstantInt::get(plan.total->getType(), chunkIterations), "interrupt.short");
    } else if ((plan.guarded = guardCount(loop, *test, backEdgeTarget, se, expander, entry))) {
        // Short unless distance / stride + 1 >= chunkIterations, asked without dividing (in twice
        // the width, where the product cannot wrap), since most runs are short.
        IRBuilder<> builder(entry);
        Type *type = plan.guarded->distance->getType(), *wide = builder.getIntNTy(2 * type->getIntegerBitWidth());
        Value *chunkDistance =
            builder.CreateMul(builder.CreateZExt(plan.guarded->stride, wide), ConstantInt::get(wide, chunkIterations - 1));
        Value *shortDistance = builder.CreateICmpULT(builder.CreateZExt(plan.guarded->distance, wide), chunkDistance);
        plan.isShort = builder.CreateOr(builder.CreateNot(plan.guarded->entered), shortDistance, "interrupt.short");
    } else {
        return std::nullopt;
    }
    plan.form = Form::counted;
    for (BasicBlock *block : loop.blocks())
        if (block != plan.emptiedLatch) plan.blocks.push_back(block);
    return plan;
}

// Clones `blocks` (a loop) into their function, with loop IDs of their own; `map` takes each
// original to its copy.
void cloneLoop(ArrayRef<BasicBlock *> blocks, ValueToValueMapTy &map, const char *suffix) {
    Function *function = blocks.front()->getParent();
    SmallVector<BasicBlock *, 8> copies;
    for (BasicBlock *block : blocks) {
        BasicBlock *copy = CloneBasicBlock(block, map, suffix, function);
        map[block] = copy;
        copies.push_back(copy);
    }
    remapInstructionsInBlocks(copies, map);
    for (BasicBlock *copy : copies)
        if (MDNode *loopID = copy->getTerminator()->getMetadata(LLVMContext::MD_loop))
            copy->getTerminator()->setMetadata(LLVMContext::MD_loop,
                                               makePostTransformationMetadata(function->getContext(), loopID, {}, {}));
}

// What `value` is in a copy made by cloneLoop: its copy when the loop defines it, else itself.
Value *copyOf(ValueToValueMapTy &map, Value *value) {
    auto found = map.find(value);
    return found == map.end() ? value : static_cast<Value *>(found->second);
}

// The copy's test leaves to the loop's exit too: the exit's phis (the loop is in LCSSA form)
// take the copy's values from the copy's latch.
void addCopiedExitValues(const Plan &plan, ValueToValueMapTy &map) {
    auto *copiedLatch = cast<BasicBlock>(copyOf(map, plan.latch));
    for (PHINode &phi : plan.exit->phis()) phi.addIncoming(copyOf(map, phi.getIncomingValueForBlock(plan.latch)), copiedLatch);
}

// The counted form also keeps a copy of the loop, without the check, for when it goes round at
// most `chunkIterations` times in all, which most loops do: it starts from the loop's own values
// rather than a chunk's, so scalar evolution knows as much about it as without the option (which
// 32-bit index arithmetic needs to vectorise), and it costs no chunk set-up. The preheader picks
// it or the chunks (`chunk`). The loop is in LCSSA form: what it computes leaves it only
// through its exit's phis, which get the copy's values too.
void addCopyForShortRuns(const Plan &plan, BasicBlock *chunks, MDNode *loopID) {
    Function *function = plan.header->getParent();
    ValueToValueMapTy map;
    cloneLoop(plan.blocks, map, ".short");
    if (loopID)
        cast<BasicBlock>(map[plan.latch])->getTerminator()->setMetadata(
            LLVMContext::MD_loop, makePostTransformationMetadata(function->getContext(), loopID, {}, {}));
    addCopiedExitValues(plan, map);
    Instruction *entry = plan.preheader->getTerminator();
    BranchInst::Create(cast<BasicBlock>(map[plan.header]), chunks, plan.isShort, entry);
    entry->eraseFromParent();
}

// A guarded count also keeps the loop as it is, check and all, for when its guard does not hold:
// the preheader branches to that copy or, through a new preheader, to the rest. Called before the
// check is taken out.
void addCheckedCopyForUnguardedRuns(Plan &plan) {
    SmallVector<BasicBlock *, 8> originals(plan.blocks);
    if (plan.emptiedLatch) originals.push_back(plan.emptiedLatch);
    ValueToValueMapTy map;
    cloneLoop(originals, map, ".checked");
    // Its exits: the test's to the loop's exit, the check's to the trap.
    addCopiedExitValues(plan, map);
    auto *checkBlock = cast<BasicBlock>(copyOf(map, plan.check.branch->getParent()));
    for (auto &[phi, value] : plan.trapValues) phi->addIncoming(copyOf(map, value), checkBlock);
    BasicBlock *guarded = SplitBlock(plan.preheader, plan.preheader->getTerminator(),
                                     static_cast<DominatorTree *>(nullptr), nullptr, nullptr, "interrupt.guarded");
    Instruction *entry = plan.preheader->getTerminator();
    BranchInst::Create(guarded, cast<BasicBlock>(copyOf(map, plan.header)), plan.guarded->guard, entry);
    entry->eraseFromParent();
    plan.preheader = guarded;
}

// Takes the check out of the loop, its load and compare detached for `recheck`, and folds away a
// latch that held only the check. Returns the loop's back-edge metadata (LoopUnrollBudget's, say),
// which was on the check's branch where that ended the latch.
MDNode *detachCheck(Plan &plan) {
    Check &check = plan.check;
    BasicBlock *checkBlock = check.branch->getParent();
    auto *test = cast<BranchInst>(plan.latch->getTerminator());
    MDNode *loopID = (plan.emptiedLatch ? check.branch : test)->getMetadata(LLVMContext::MD_loop);
    BasicBlock *stay = check.branch->getSuccessor(1 - check.trapIndex);
    for (auto &[phi, value] : plan.trapValues) phi->removeIncomingValue(checkBlock, false);
    check.branch->eraseFromParent();
    check.compare->removeFromParent();
    check.load->removeFromParent();
    if (plan.emptiedLatch) {
        while (plan.emptiedLatch->size() > 0) plan.emptiedLatch->front().moveBefore(test);
        for (PHINode &phi : plan.header->phis()) phi.replaceIncomingBlockWith(plan.emptiedLatch, plan.latch);
        test->replaceSuccessorWith(plan.emptiedLatch, plan.header);
        plan.emptiedLatch->eraseFromParent();
    } else {
        BranchInst::Create(stay, checkBlock);
    }
    return loopID;
}

void stripMine(Plan &plan, uint64_t chunkIterations) {
    LLVMContext &context = plan.header->getContext();
    Function *function = plan.header->getParent();
    Check &check = plan.check;
    MDNode *checkWeights = check.branch->getMetadata(LLVMContext::MD_prof);
    if (plan.guarded) addCheckedCopyForUnguardedRuns(plan);
    MDNode *loopID = detachCheck(plan);
    if (plan.form == Form::dropped) {
        check.compare->deleteValue();
        check.load->deleteValue();
        return;
    }
    // (A latch that kept the check ends in the back edge that took its place.)
    auto *test = cast<BranchInst>(plan.latch->getTerminator());

    BasicBlock *chunk = BasicBlock::Create(context, "interrupt.chunk", function, plan.header);
    // A guarded count is worked out (a division) only on the way to the chunks, which the loop
    // takes only when it is entered: most runs are short and skip it.
    // (`chunkEntry`: the chunk's predecessor on entry.)
    BasicBlock *chunkEntry = plan.preheader, *toChunks = chunk;
    if (plan.guarded) {
        chunkEntry = toChunks = BasicBlock::Create(context, "interrupt.count", function, chunk);
        IRBuilder<> counting(chunkEntry);
        Value *stride = plan.guarded->stride;
        plan.total = counting.CreateAdd(counting.CreateUDiv(plan.guarded->distance, stride),
                                        ConstantInt::get(stride->getType(), 1), "interrupt.total");
        counting.CreateBr(chunk);
    }
    addCopyForShortRuns(plan, toChunks, loopID);
    BasicBlock *recheck = BasicBlock::Create(context, "interrupt.recheck", function, plan.latch->getNextNode());

    // chunk: the header's values at the start of each chunk.
    IRBuilder<> builder(chunk);
    for (PHINode &phi : plan.header->phis()) {
        PHINode *start = builder.CreatePHI(phi.getType(), 2, phi.getName() + ".chunk");
        start->addIncoming(phi.getIncomingValueForBlock(plan.preheader), chunkEntry);
        start->addIncoming(phi.getIncomingValueForBlock(plan.latch), recheck);
        phi.setIncomingValue(phi.getBasicBlockIndex(plan.preheader), start);
        phi.replaceIncomingBlockWith(plan.preheader, chunk);
    }
    // The chunk's back edges, counted down to zero: the rest of the loop's count, or a chunk's.
    Type *countType = plan.total->getType();
    Value *mostPerChunk = ConstantInt::get(countType, chunkIterations - 1);
    PHINode *remaining = builder.CreatePHI(countType, 2, "interrupt.remaining");
    remaining->addIncoming(plan.total, chunkEntry);
    Value *backEdges =
        builder.CreateBinaryIntrinsic(Intrinsic::umin, remaining, mostPerChunk, nullptr, "interrupt.back.edges");
    builder.CreateBr(plan.header);
    PHINode *left = PHINode::Create(countType, 2, "interrupt.left", plan.header->getFirstNonPHI());
    left->addIncoming(backEdges, chunk);
    builder.SetInsertPoint(test);
    left->addIncoming(builder.CreateSub(left, ConstantInt::get(countType, 1), "interrupt.left.next"), plan.latch);
    Value *chunkDone = builder.CreateICmpEQ(left, ConstantInt::get(countType, 0), "interrupt.chunk.done");

    // The count replaces the loop's own test, which is left to dead-code elimination; split
    // leaves the loop when this chunk took all the back edges that remained.
    BasicBlock *split = BasicBlock::Create(context, "interrupt.split", function, recheck);
    BranchInst *backEdge = builder.CreateCondBr(chunkDone, split, plan.header);
    if (loopID) backEdge->setMetadata(LLVMContext::MD_loop, loopID);
    test->eraseFromParent();
    builder.SetInsertPoint(split);
    builder.CreateCondBr(builder.CreateICmpEQ(remaining, backEdges, "interrupt.all.done"), plan.exit, recheck);
    for (PHINode &phi : plan.exit->phis()) phi.replaceIncomingBlockWith(plan.latch, split);

    // recheck: the check, between two iterations, as it was in the latch; the chunk took
    // `chunkIterations` back edges, the last of them through here.
    builder.SetInsertPoint(recheck);
    builder.Insert(check.load);
    builder.Insert(check.compare);
    remaining->addIncoming(builder.CreateSub(remaining, ConstantInt::get(countType, chunkIterations)), recheck);
    BasicBlock *successors[2];
    successors[check.trapIndex] = check.trap;
    successors[1 - check.trapIndex] = chunk;
    BranchInst *branch = builder.CreateCondBr(check.compare, successors[0], successors[1]);
    if (checkWeights) branch->setMetadata(LLVMContext::MD_prof, checkWeights);
    for (auto &[phi, value] : plan.trapValues) phi->addIncoming(value, recheck);
}

// A check that stays where it is runs only when the function's tick budget is spent: its block
// spends `cost` and goes on when enough was left, else to `recheck`, which sets the budget again
// and holds the check as it was.
void tickBeforeCheck(const Check &check, AllocaInst *ticks, uint32_t cost, uint32_t chunkIterations) {
    BasicBlock *block = check.branch->getParent();
    BasicBlock *stay = check.branch->getSuccessor(1 - check.trapIndex);
    // The load and the compare go just before the branch (an interrupt is asynchronous, so the
    // check may come a few instructions later), and the three become `recheck`; its successors'
    // phis now name it, and `stay`'s get the same values from `block` too.
    check.load->moveBefore(check.branch);
    check.compare->moveBefore(check.branch);
    BasicBlock *recheck = SplitBlock(block, check.load, static_cast<DominatorTree *>(nullptr), nullptr, nullptr,
                                     "interrupt.recheck");
    for (PHINode &phi : stay->phis()) phi.addIncoming(phi.getIncomingValueForBlock(recheck), block);
    Type *countType = ticks->getAllocatedType();
    IRBuilder<> builder(block->getTerminator());
    Value *left = builder.CreateLoad(countType, ticks, "interrupt.ticks");
    Value *spent = builder.CreateICmpULT(left, ConstantInt::get(countType, cost), "interrupt.spent");
    builder.CreateStore(builder.CreateSub(left, ConstantInt::get(countType, cost)), ticks);
    BranchInst *tick = builder.CreateCondBr(spent, recheck, stay,
                                            MDBuilder(block->getContext()).createBranchWeights(1, chunkIterations / cost));
    if (MDNode *loopID = check.branch->getMetadata(LLVMContext::MD_loop)) tick->setMetadata(LLVMContext::MD_loop, loopID);
    block->getTerminator()->eraseFromParent();
    new StoreInst(ConstantInt::get(countType, chunkIterations), ticks, recheck->getFirstInsertionPt());
}

} // namespace

extern "C" void kiln_strip_mine_interrupt_checks(LLVMModuleRef moduleRef, const char *kindName,
                                                 uint32_t chunkIterations) {
    Module &module = *unwrap(moduleRef);
    unsigned kind = module.getContext().getMDKindID(kindName);
    TargetLibraryInfoImpl libraryInfo(Triple(module.getTargetTriple()));
    for (Function &function : module) {
        // Only a function with a check in a loop has anything to rewrite; the rest skip the analyses.
        bool checks = any_of(instructions(function), [&](const Instruction &instruction) {
            return isa<LoadInst>(instruction) && instruction.getMetadata(kind);
        });
        if (!checks) continue;
        DominatorTree dominators(function);
        LoopInfo loops(dominators);
        TargetLibraryInfo library(libraryInfo, &function);
        AssumptionCache assumptions(function);
        ScalarEvolution se(function, library, assumptions, dominators, loops);
        // Innermost loops are disjoint, and each rewrite touches only its loop, its preheader's
        // branch, its exit's phis and the trap's phis: every plan, made before any rewrite, stays
        // valid while the others are carried out. A ticking check's rewrite splits its own block.
        SmallVector<Plan, 8> plans;
        SmallVector<std::pair<Check, uint32_t>, 8> ticking;
        {
            SCEVExpander expander(se, module.getDataLayout(), "interrupt.total");
            for (Loop *loop : loops.getLoopsInPreorder()) {
                if (!loop->isInnermost()) continue;
                // A preheader, one latch and exits of its own (LLVM keeps the analyses up to date).
                simplifyLoop(loop, &dominators, &loops, &se, &assumptions, nullptr, false);
                formLCSSA(*loop, dominators, &loops, &se);
                if (auto plan = planStripMining(*loop, kind, chunkIterations, dominators, se, expander)) plans.push_back(*plan);
            }
            for (Instruction &instruction : instructions(function)) {
                auto *load = dyn_cast<LoadInst>(&instruction);
                Loop *loop = load && load->getMetadata(kind) ? loops.getLoopFor(load->getParent()) : nullptr;
                if (!loop || any_of(plans, [&](const Plan &plan) { return plan.check.load == load; })) continue;
                if (auto check = matchCheck(load, *loop)) ticking.push_back({*check, loop->isInnermost() ? 1 : outerTickCost});
            }
        }
        for (Plan &plan : plans) stripMine(plan, chunkIterations);
        if (ticking.empty()) continue;
        IRBuilder<> builder(&*function.getEntryBlock().getFirstInsertionPt());
        AllocaInst *ticks = builder.CreateAlloca(builder.getInt32Ty(), nullptr, "interrupt.ticks");
        builder.CreateStore(builder.getInt32(chunkIterations), ticks);
        for (auto &[check, cost] : ticking) tickBeforeCheck(check, ticks, cost, chunkIterations);
        DominatorTree rewritten(function);
        PromoteMemToReg({ticks}, rewritten, &assumptions);
    }
}
