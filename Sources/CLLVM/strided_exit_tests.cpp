#include "strided_exit_tests.h"

#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

using namespace llvm;

std::optional<kiln::StridedExitTest> kiln::findStridedExitTest(Loop &loop, ScalarEvolution &se) {
    BasicBlock *latch = loop.getLoopLatch();
    if (!latch || !loop.isLoopExiting(latch)) return std::nullopt;
    auto *branch = dyn_cast<BranchInst>(latch->getTerminator());
    if (!branch || !branch->isConditional()) return std::nullopt;
    auto *test = dyn_cast<ICmpInst>(branch->getCondition());
    if (!test || !test->getOperand(0)->getType()->isIntegerTy(32)) return std::nullopt;
    const SCEV *left = se.getSCEV(test->getOperand(0)), *right = se.getSCEV(test->getOperand(1));
    CmpInst::Predicate predicate = test->getPredicate();
    if (se.isLoopInvariant(left, &loop)) {
        std::swap(left, right);
        predicate = CmpInst::getSwappedPredicate(predicate);
    }
    // The predicate on which the loop stays.
    if (!loop.contains(branch->getSuccessor(0))) predicate = CmpInst::getInversePredicate(predicate);
    auto *recurrence = dyn_cast<SCEVAddRecExpr>(left);
    if (!recurrence || recurrence->getLoop() != &loop || !recurrence->isAffine() || !se.isLoopInvariant(right, &loop))
        return std::nullopt;
    auto *step = dyn_cast<SCEVConstant>(recurrence->getStepRecurrence(se));
    if (!step) return std::nullopt;
    APInt magnitude = step->getAPInt().abs();
    if (!magnitude.isPowerOf2() || magnitude.ult(2)) return std::nullopt;
    if (predicate == CmpInst::ICMP_NE) {
        // x meets the bound after (bound - x0) / step iterations, modulo 2^32.
        const SCEV *distance = se.getMinusSCEV(right, recurrence->getStart());
        if (step->getAPInt().isNegative()) distance = se.getNegativeSCEV(distance);
        return StridedExitTest{branch, test, distance, magnitude.getZExtValue(), 0};
    }
    if (predicate == CmpInst::ICMP_ULT && step->getAPInt().isStrictlyPositive()) {
        // Scalar evolution gives up on x + step wrapping past a bound near 2^32; below 2^32 - step
        // it cannot, and x passes the bound after ceil((bound - x0) / step) iterations, none if x0
        // is there already.
        const SCEV *first = recurrence->getStart();
        const SCEV *distance = se.getAddExpr(se.getMinusSCEV(se.getUMaxExpr(right, first), first),
                                             se.getConstant(magnitude - 1));
        return StridedExitTest{branch, test, distance, magnitude.getZExtValue(), 0, right};
    }
    // Counting down while x > c for a constant c below the step less one (`while (n >= 4) n -= 4`,
    // unrolled by four: n - 16 > 3): x leaves at x0 mod step without wrapping if that is at most
    // c, after x0 / step iterations. (With a larger c, x never wraps, but such loops were not
    // measured.)
    auto *bound = dyn_cast<SCEVConstant>(right);
    if (!bound || !step->getAPInt().isNegative()) return std::nullopt;
    APInt last = bound->getAPInt();
    if (predicate == CmpInst::ICMP_UGE && !last.isZero()) {
        predicate = CmpInst::ICMP_UGT;
        last -= 1;
    }
    if (predicate != CmpInst::ICMP_UGT || last.uge(magnitude - 1)) return std::nullopt;
    return StridedExitTest{branch, test, recurrence->getStart(), magnitude.getZExtValue(), last.getZExtValue()};
}

const SCEV *kiln::StridedExitTest::backedgesIfCounted(ScalarEvolution &se) const {
    return se.getUDivExpr(distance, se.getConstant(distance->getType(), step));
}

Value *kiln::StridedExitTest::emitUncounted(Instruction *at, ScalarEvolution &se) const {
    SCEVExpander expander(se, at->getModule()->getDataLayout(), "kiln.stride");
    IRBuilder<> builder(at);
    if (upperBound) {
        Value *bound = expander.expandCodeFor(upperBound, upperBound->getType(), at);
        return builder.CreateICmpUGT(bound, builder.getInt32(uint32_t(-step)));
    }
    Value *value = expander.expandCodeFor(distance, distance->getType(), at);
    Value *remainder = builder.CreateAnd(value, builder.getInt32(uint32_t(step - 1)));
    if (largestRemainder == 0) return builder.CreateICmpNE(remainder, builder.getInt32(0));
    return builder.CreateICmpUGT(remainder, builder.getInt32(uint32_t(largestRemainder)));
}

void kiln::StridedExitTest::countByOne(Loop &loop, ScalarEvolution &se) const {
    Instruction *at = loop.getLoopPreheader()->getTerminator();
    SCEVExpander expander(se, at->getModule()->getDataLayout(), "kiln.stride");
    Value *count = expander.expandCodeFor(backedgesIfCounted(se), distance->getType(), at);
    BasicBlock *header = loop.getHeader();
    PHINode *left = PHINode::Create(count->getType(), 2, "kiln.left", header->getFirstNonPHI());
    left->addIncoming(count, loop.getLoopPreheader());
    IRBuilder<> builder(latchBranch);
    // Taken only on an iteration that does not leave, where `left` is above zero.
    Value *next = builder.CreateSub(left, builder.getInt32(1), "kiln.left.next", /*HasNUW=*/true);
    left->addIncoming(next, loop.getLoopLatch());
    bool staysWhenTrue = loop.contains(latchBranch->getSuccessor(0));
    latchBranch->setCondition(staysWhenTrue ? builder.CreateICmpNE(left, builder.getInt32(0))
                                            : builder.CreateICmpEQ(left, builder.getInt32(0)));
    if (test->use_empty()) test->eraseFromParent();
}
