// Small switches as compare-and-branch chains, for LLVM's fast instruction selector.
//
// Why. The fast tier (and the bounded pipeline of oversized functions) generates code with X86's
// fast instruction selector, which selects no `switch`: a block that ends in one goes through
// SelectionDAG instead, the whole block, with its set-up cost. A C `switch` of two or three cases
// compiles to a small `br_table`, so graphviz.wasm has 534 of them, and SelectionDAG would lower
// each one to the same few compares and branches anyway (it makes a jump table only from four
// cases up). Building those compares here keeps the block on the fast path. Larger switches stay
// switches: SelectionDAG's jump tables and bit tests are worth its cost there.
#include "CLLVM.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

using namespace llvm;

namespace {

// Replaces `sw` by `if (x == case0) goto dest0; else if (x == case1) ... else goto default`, one
// block per compare after the first. Each phi of a successor had one entry per edge from the
// switch's block (the same value for all of them); it gets one entry per new edge instead, from
// the block the edge now leaves.
void lowerToCompares(SwitchInst *sw) {
    BasicBlock *block = sw->getParent();
    Function *function = block->getParent();
    Value *condition = sw->getCondition();
    BasicBlock *defaultDest = sw->getDefaultDest();

    SmallVector<std::pair<ConstantInt *, BasicBlock *>, 4> cases;
    for (auto &c : sw->cases()) cases.push_back({c.getCaseValue(), c.getCaseSuccessor()});

    // What each successor's phis receive from this block, taken before the edges change.
    SmallVector<std::pair<PHINode *, Value *>, 8> incoming;
    SmallVector<BasicBlock *, 4> successors;
    for (unsigned i = 0; i < sw->getNumSuccessors(); ++i) {
        BasicBlock *successor = sw->getSuccessor(i);
        if (is_contained(successors, successor)) continue;
        successors.push_back(successor);
        for (PHINode &phi : successor->phis()) {
            incoming.push_back({&phi, phi.getIncomingValueForBlock(block)});
            for (int index; (index = phi.getBasicBlockIndex(block)) >= 0;)
                phi.removeIncomingValue(index, /*DeletePHIIfEmpty=*/false);
        }
    }
    auto addEdge = [&](BasicBlock *from, BasicBlock *to) {
        for (auto &[phi, value] : incoming)
            if (phi->getParent() == to) phi->addIncoming(value, from);
    };

    IRBuilder<> builder(sw);
    BasicBlock *current = block;
    for (size_t i = 0; i < cases.size(); ++i) {
        bool last = i + 1 == cases.size();
        BasicBlock *next = last ? defaultDest
                                : BasicBlock::Create(block->getContext(), "", function, current->getNextNode());
        Value *equal = builder.CreateICmpEQ(condition, cases[i].first);
        builder.CreateCondBr(equal, cases[i].second, next);
        addEdge(current, cases[i].second);
        if (last) addEdge(current, defaultDest);
        current = next;
        if (!last) builder.SetInsertPoint(next);
    }
    sw->eraseFromParent();
}

} // namespace

extern "C" void kiln_lower_small_switches(LLVMModuleRef moduleRef, unsigned maximumCases) {
    Module *module = unwrap(moduleRef);
    SmallVector<SwitchInst *, 64> small;
    for (Function &function : *module)
        for (BasicBlock &block : function)
            if (auto *sw = dyn_cast_or_null<SwitchInst>(block.getTerminator()))
                if (sw->getNumCases() >= 1 && sw->getNumCases() <= maximumCases) small.push_back(sw);
    for (SwitchInst *sw : small) lowerToCompares(sw);
}
