#include "exit_test_unmasking.h"

#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/PatternMatch.h>

using namespace llvm;
using namespace llvm::PatternMatch;

ICmpInst *kiln::unmaskExitTest(BranchInst *branch, const DataLayout &dataLayout) {
    if (!branch || !branch->isConditional()) return nullptr;
    auto *compare = dyn_cast<ICmpInst>(branch->getCondition());
    if (!compare || !compare->isEquality() || !match(compare->getOperand(1), m_Zero())) return nullptr;
    Value *x;
    const APInt *mask;
    if (!match(compare->getOperand(0), m_And(m_Value(x), m_APInt(mask))) || !x->getType()->isIntegerTy(64)) return nullptr;
    APInt low32 = APInt::getLowBitsSet(64, 32);
    if (!mask->isSubsetOf(low32)) return nullptr;
    if (!(low32 & ~*mask).isSubsetOf(computeKnownBits(x, dataLayout).Zero)) return nullptr;
    IRBuilder<> builder(compare);
    branch->setCondition(builder.CreateICmp(compare->getPredicate(), builder.CreateTrunc(x, builder.getInt32Ty()),
                                            builder.getInt32(0)));
    return compare;
}

void kiln::restoreExitTest(BranchInst *branch, ICmpInst *original) {
    if (!original) return;
    auto *replacement = cast<Instruction>(branch->getCondition());
    branch->setCondition(original);
    auto *truncated = cast<Instruction>(replacement->getOperand(0));
    replacement->eraseFromParent();
    truncated->eraseFromParent();
}
