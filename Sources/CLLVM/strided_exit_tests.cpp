#include "strided_exit_tests.h"

#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

using namespace llvm;

std::optional<kiln::StridedExitTest> kiln::findStridedExitTest(Loop &loop, ScalarEvolution &se) {
    BasicBlock *latch = loop.getLoopLatch();
    if (!latch || loop.getExitingBlock() != latch) return std::nullopt;
    auto *branch = dyn_cast<BranchInst>(latch->getTerminator());
    if (!branch || !branch->isConditional()) return std::nullopt;
    auto *test = dyn_cast<ICmpInst>(branch->getCondition());
    if (!test || !test->isEquality() || !test->getOperand(0)->getType()->isIntegerTy(32)) return std::nullopt;
    // The loop must be left exactly when the two sides are equal.
    bool leavesWhenEqual = test->getPredicate() == CmpInst::ICMP_EQ;
    if (loop.contains(branch->getSuccessor(leavesWhenEqual ? 0 : 1))) return std::nullopt;
    const SCEV *left = se.getSCEV(test->getOperand(0)), *right = se.getSCEV(test->getOperand(1));
    if (se.isLoopInvariant(left, &loop)) std::swap(left, right);
    auto *recurrence = dyn_cast<SCEVAddRecExpr>(left);
    if (!recurrence || recurrence->getLoop() != &loop || !recurrence->isAffine() || !se.isLoopInvariant(right, &loop))
        return std::nullopt;
    auto *step = dyn_cast<SCEVConstant>(recurrence->getStepRecurrence(se));
    if (!step) return std::nullopt;
    APInt magnitude = step->getAPInt().abs();
    if (!magnitude.isPowerOf2() || magnitude.ult(2)) return std::nullopt;
    // x meets the bound after (bound - x0) / step iterations, modulo 2^32.
    const SCEV *distance = se.getMinusSCEV(right, recurrence->getStart());
    if (step->getAPInt().isNegative()) distance = se.getNegativeSCEV(distance);
    return StridedExitTest{branch, test, distance, magnitude.getZExtValue()};
}

const SCEV *kiln::StridedExitTest::backedgesIfMultiple(ScalarEvolution &se) const {
    return se.getUDivExpr(distance, se.getConstant(distance->getType(), step));
}

Value *kiln::StridedExitTest::emitNotMultiple(Instruction *at, ScalarEvolution &se) const {
    SCEVExpander expander(se, at->getModule()->getDataLayout(), "kiln.stride");
    Value *value = expander.expandCodeFor(distance, distance->getType(), at);
    IRBuilder<> builder(at);
    return builder.CreateICmpNE(builder.CreateAnd(value, builder.getInt32(uint32_t(step - 1))), builder.getInt32(0));
}

void kiln::StridedExitTest::countByOne(Loop &loop, ScalarEvolution &se) const {
    Instruction *at = loop.getLoopPreheader()->getTerminator();
    SCEVExpander expander(se, at->getModule()->getDataLayout(), "kiln.stride");
    Value *count = expander.expandCodeFor(backedgesIfMultiple(se), distance->getType(), at);
    BasicBlock *header = loop.getHeader();
    PHINode *left = PHINode::Create(count->getType(), 2, "kiln.left", header->getFirstNonPHI());
    left->addIncoming(count, loop.getLoopPreheader());
    IRBuilder<> builder(latchBranch);
    // Taken only on an iteration that does not leave, where `left` is above zero.
    Value *next = builder.CreateSub(left, builder.getInt32(1), "kiln.left.next", /*HasNUW=*/true);
    left->addIncoming(next, loop.getLoopLatch());
    latchBranch->setCondition(builder.CreateICmp(test->getPredicate(), left, builder.getInt32(0)));
    if (test->use_empty()) test->eraseFromParent();
}
