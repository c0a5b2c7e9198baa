#include "window_skipping.h"

#include <llvm/IR/Dominators.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

using namespace llvm;

namespace {

// A window never crosses a multiple of this. The memory's size is a multiple of it (of 64 KiB
// Wasm pages), and so is 2^32, where the 32-bit addresses wrap.
constexpr unsigned pageBytes = 4096;

} // namespace

namespace kiln {

ConstantInt *constantStep(PHINode &phi, BasicBlock *latch) {
    auto *next = dyn_cast<BinaryOperator>(phi.getIncomingValueForBlock(latch));
    return next && next->getOpcode() == Instruction::Add && next->getOperand(0) == &phi
               ? dyn_cast<ConstantInt>(next->getOperand(1)) : nullptr;
}

bool holdsOnly(Loop &loop, ArrayRef<const Instruction *> loads, ArrayRef<unsigned> opcodes) {
    auto isEmptyAsm = [](const Instruction &instruction) {
        auto *call = dyn_cast<CallInst>(&instruction);
        auto *assembly = call ? dyn_cast<InlineAsm>(call->getCalledOperand()) : nullptr;
        return assembly && assembly->getAsmString().empty();
    };
    return all_of(loop.blocks(), [&](BasicBlock *block) {
        return all_of(*block, [&](Instruction &instruction) {
            return is_contained(loads, &instruction) || isEmptyAsm(instruction) ||
                   isa<PHINode, ZExtInst, GetElementPtrInst, ICmpInst, BranchInst>(instruction) ||
                   (isa<BinaryOperator>(instruction) && is_contained(opcodes, instruction.getOpcode()));
        });
    });
}

std::optional<SmallVector<std::pair<PHINode *, ConstantInt *>, 4>> constantSteps(Loop &loop) {
    SmallVector<std::pair<PHINode *, ConstantInt *>, 4> steps;
    for (PHINode &phi : loop.getHeader()->phis()) {
        ConstantInt *step = constantStep(phi, loop.getLoopLatch());
        if (!step) return std::nullopt;
        steps.push_back({&phi, step});
    }
    return steps;
}

unsigned disableUnrollingWhere(Module &module, function_ref<bool(Function &)> mayHave, function_ref<bool(Loop &)> takes) {
    unsigned marked = 0;
    for (Function &function : module) {
        if (function.isDeclaration() || !mayHave(function)) continue;
        DominatorTree dominators(function);
        LoopInfo loops(dominators);
        for (Loop *loop : loops.getLoopsInPreorder()) {
            if (!takes(*loop)) continue;
            LLVMContext &context = function.getContext();
            // Present without a value: with `i32 0` after it the property would read as false.
            MDNode *notUnrolled = MDNode::get(context, {MDString::get(context, "llvm.loop.unroll.disable")});
            loop->setLoopID(makePostTransformationMetadata(context, loop->getLoopID(), {"llvm.loop.unroll."}, {notUnrolled}));
            marked++;
        }
    }
    return marked;
}

const SCEV *latchBackedgeCount(Loop &loop, ScalarEvolution &evolution) {
    const SCEV *count = evolution.getExitCount(&loop, loop.getLoopLatch());
    if (isa<SCEVCouldNotCompute>(count) || count->getType()->getIntegerBitWidth() > 64 || !evolution.isLoopInvariant(count, &loop))
        return nullptr;
    SCEVExpander expander(evolution, loop.getHeader()->getModule()->getDataLayout(), "count");
    return expander.isSafeToExpand(count) ? count : nullptr;
}

Value *expandBackedgeCount(const SCEV *count, BasicBlock *preheader, ScalarEvolution &evolution) {
    SCEVExpander expander(evolution, preheader->getModule()->getDataLayout(), "count");
    Value *expanded = expander.expandCodeFor(count, count->getType(), preheader->getTerminator());
    IRBuilder<> builder(preheader->getTerminator());
    return builder.CreateZExt(expanded, builder.getInt64Ty());
}

void skipWindows(WindowedLoop &loop, const MemoryFields &fields, WindowStops stops, StringRef prefix) {
    LLVMContext &context = loop.header->getContext();
    Function *function = loop.header->getParent();
    Type *i64 = Type::getInt64Ty(context), *i8 = Type::getInt8Ty(context);
    const unsigned windowBytes = loop.windowBytes, windowIterations = windowBytes / loop.bytesPerIteration;
    auto *vector = FixedVectorType::get(i8, windowBytes);
    Type *laneMask = Type::getIntNTy(context, windowBytes);
    auto block = [&](const char *name, BasicBlock *before) {
        return BasicBlock::Create(context, prefix + "." + name, function, before);
    };
    BasicBlock *check = block("window", loop.header);
    BasicBlock *acrossPages = block("across_pages", loop.header);
    BasicBlock *test = block("compare", loop.header);
    BasicBlock *done = block("scalar", loop.header);
    BasicBlock *remaining = block("remaining", acrossPages);
    BasicBlock *stopped = block("different", done);

    // Too few iterations for one window: straight to the loop, as before.
    Instruction *entry = loop.preheader->getTerminator();
    IRBuilder<> builder(entry);
    auto scaled = [&](Value *iterations, unsigned bytes) {
        return bytes == 1 ? iterations : builder.CreateMul(iterations, ConstantInt::get(iterations->getType(), bytes));
    };
    if (loop.backedgeCount)
        builder.CreateCondBr(builder.CreateICmpUGE(loop.backedgeCount, builder.getInt64(windowIterations)), check, loop.header);
    else
        builder.CreateBr(check);
    entry->eraseFromParent();

    builder.SetInsertPoint(check);
    PHINode *skipped = builder.CreatePHI(i64, 2, prefix + ".skipped");
    skipped->addIncoming(builder.getInt64(0), loop.preheader);
    Value *end = builder.CreateAdd(skipped, builder.getInt64(windowIterations));
    // Each window's first byte is the one the loop reads next, at its own 32-bit address.
    SmallVector<Value *, 2> firsts;
    Value *withinPages = builder.getTrue();
    for (Value *start : loop.firstAddresses) {
        Value *first = builder.CreateAdd(start, scaled(builder.CreateTrunc(skipped, start->getType()), loop.bytesPerIteration));
        Value *offsetInPage = builder.CreateAnd(first, builder.getInt32(pageBytes - 1));
        withinPages = builder.CreateAnd(withinPages, builder.CreateICmpULE(offsetInPage, builder.getInt32(pageBytes - windowBytes)));
        firsts.push_back(first);
    }
    // Where the loop has a count, at least one iteration left after the window:
    // skipped + windowIterations <= its back-edge count.
    if (loop.backedgeCount)
        builder.CreateCondBr(builder.CreateICmpULE(end, loop.backedgeCount), remaining, done);
    else
        builder.CreateBr(remaining);
    // Within its page a window is in bounds exactly when its first byte is; a window across pages
    // is tested only when it ends inside the memory.
    builder.SetInsertPoint(remaining);
    builder.CreateCondBr(withinPages, test, acrossPages);
    builder.SetInsertPoint(acrossPages);
    Value *size = memorySize(loop.memory, builder, fields);
    Value *inside = builder.getTrue();
    for (Value *first : firsts) {
        Value *windowEnd = builder.CreateAdd(builder.CreateZExt(first, i64), builder.getInt64(windowBytes));
        inside = builder.CreateAnd(inside, builder.CreateICmpULE(windowEnd, size));
    }
    builder.CreateCondBr(inside, test, done);

    builder.SetInsertPoint(test);
    SmallVector<Value *, 2> windows;
    for (Value *first : firsts) {
        Value *address = builder.CreateGEP(i8, loop.memoryBase, builder.CreateZExt(first, i64));
        LoadInst *window = builder.CreateAlignedLoad(vector, address, Align(1));
        window->setMetadata(LLVMContext::MD_tbaa, loop.loadTag);
        windows.push_back(window);
    }
    Value *stopLanes = builder.CreateBitCast(stops(builder, windows), laneMask);
    builder.CreateCondBr(builder.CreateICmpNE(stopLanes, ConstantInt::get(laneMask, 0)), stopped, check);
    skipped->addIncoming(end, test);
    // The loop does not stop before the first lane that says it would: it starts at that lane's
    // iteration, and so stops in its first iteration (the count leaves it at least that one).
    builder.SetInsertPoint(stopped);
    Value *bytesBefore = builder.CreateZExt(builder.CreateBinaryIntrinsic(Intrinsic::cttz, stopLanes, builder.getTrue()), i64);
    Value *iterationsBefore = loop.bytesPerIteration == 1 ? bytesBefore : builder.CreateUDiv(bytesBefore, builder.getInt64(loop.bytesPerIteration));
    Value *atStop = builder.CreateAdd(skipped, iterationsBefore);
    builder.CreateBr(done);

    // The loop goes on from there, or from the first window not tested, each phi stepped that
    // many times.
    builder.SetInsertPoint(done);
    PHINode *skippedInAll = builder.CreatePHI(i64, 3, prefix + ".skipped.all");
    if (loop.backedgeCount) skippedInAll->addIncoming(skipped, check);
    skippedInAll->addIncoming(skipped, acrossPages);
    skippedInAll->addIncoming(atStop, stopped);
    for (auto [phi, step] : loop.steps) {
        Type *type = phi->getType();
        Value *start = phi->getIncomingValueForBlock(loop.preheader);
        phi->addIncoming(builder.CreateAdd(start, builder.CreateMul(builder.CreateZExtOrTrunc(skippedInAll, type), step)), done);
    }
    builder.CreateBr(loop.header);
    // Without a count the preheader always goes through the windows.
    if (!loop.backedgeCount)
        for (auto [phi, step] : loop.steps) phi->removeIncomingValue(loop.preheader, /*DeletePHIIfEmpty=*/false);
}

} // namespace kiln
