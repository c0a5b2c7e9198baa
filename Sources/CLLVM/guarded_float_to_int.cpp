// Guarded float-to-integer conversions: clang's range test around a C cast, folded into the one x86
// instruction that already gives the test's answer.
//
// Why. Without the nontrapping-fptoint feature (clang's default before LLVM 20), clang compiles
// every C cast from float or double to a signed integer for wasm32 as
// `fabs(x) < 2^(N-1) ? trunc(x) : INT_MIN`, because Wasm's `trunc` traps where the C cast is
// undefined. Kiln's own `trunc` checks are then redundant and go (NumericLoweringConversion), but
// the program's test stays: a compare and a select (a `cmov`) around each conversion, where native
// code converts with one `cvttss2si`. The benchmark suite's stencil_ptrs spent 0.23 s in its
// histogram loop where native code spends 0.15 s, and 0.18 s with this (docs/benchmarks.md,
// Kiln 0.5.27).
//
// Why it is exact. x86's truncating conversions (cvttss2si, cvttsd2si and their 64-bit forms)
// return the "integer indefinite" value, INT_MIN of the width, for NaN and for every x whose
// truncation does not fit, and the truncation itself otherwise. So where the test fails (x is NaN
// or |x| >= 2^(N-1)) the conversion gives INT_MIN, what the program substitutes; where it holds,
// the truncation, what `fptosi` gives. Rewritten: a `select` that picks a constant K when a
// condition says x is out of range and E otherwise, where E is `fptosi x` under operations with
// constant operands (the optimiser sinks the program's arithmetic into the select: `INT_MIN << 2`
// is the 0 of `select c, (fptosi x) << 2, 0`), and those operations applied to INT_MIN give K.
// The select becomes E, and `fptosi x` the x86 conversion: every value the select chose is still
// what it was, and `fptosi` was poison exactly where the conversion now gives INT_MIN.
//
// The condition may say it through and/or (the select picks K when all of an `and` holds or none
// of an `or` does), and x may be a select itself whose condition that settles (a clamp,
// `v >= 255 ? 255 : v`, that the optimiser pulled out of the program's `fabs`).
//
// It runs after the last IR pass, so that no optimisation has to understand the x86 intrinsic.
#include "CLLVM.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/Analysis/ConstantFolding.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Transforms/Utils/Local.h>

using namespace llvm;
using namespace llvm::PatternMatch;

namespace {

// What a select's condition tells on the side where it picks the constant: i1 values known true or
// false. Only values of the select's own block are read, so that every value reasoned about is from
// the same pass through that block.
struct Facts {
    BasicBlock *block = nullptr;
    SmallDenseMap<Value *, bool, 8> known;

    bool inBlock(Value *value) const {
        auto *instruction = dyn_cast<Instruction>(value);
        return instruction && instruction->getParent() == block;
    }

    // Records what `condition` having `value` implies, through and/or/not.
    void gather(Value *condition, bool value, unsigned depth = 0) {
        if (!inBlock(condition)) return;
        known[condition] = value;
        if (depth == 4) return;
        Value *a, *b;
        if (value && match(condition, m_LogicalAnd(m_Value(a), m_Value(b)))) {
            gather(a, true, depth + 1);
            gather(b, true, depth + 1);
        } else if (!value && match(condition, m_LogicalOr(m_Value(a), m_Value(b)))) {
            gather(a, false, depth + 1);
            gather(b, false, depth + 1);
        } else if (match(condition, m_Not(m_Value(a)))) {
            gather(a, !value, depth + 1);
        }
    }

    // The value `x` has where the facts hold: selects of the block whose condition they settle,
    // followed.
    Value *settle(Value *x) const {
        for (unsigned step = 0; step < 4; step++) {
            auto *select = dyn_cast<SelectInst>(x);
            if (!select || !inBlock(select)) break;
            auto fact = known.find(select->getCondition());
            if (fact == known.end()) break;
            x = fact->second ? select->getTrueValue() : select->getFalseValue();
        }
        return x;
    }

    // Whether they say that `x` is NaN or at least 2^(bits-1) in magnitude: a fact about
    // `fabs(x) <predicate> C` (both of the block) that holds only for such x.
    bool sayOutOfRange(Value *x, unsigned bits) const {
        for (auto [condition, value] : known) {
            FCmpInst::Predicate predicate;
            Value *magnitude;
            const APFloat *bound;
            if (!match(condition, m_FCmp(predicate, m_Value(magnitude), m_APFloat(bound)))) continue;
            if (!inBlock(magnitude) || !match(magnitude, m_FAbs(m_Specific(x)))) continue;
            if (!value) predicate = FCmpInst::getInversePredicate(predicate);
            // NaN may pass it (unordered) or not (ordered); either way only |x| >= bound may.
            bool onlyLarge = predicate == FCmpInst::FCMP_UGE || predicate == FCmpInst::FCMP_OGE ||
                             predicate == FCmpInst::FCMP_UGT || predicate == FCmpInst::FCMP_OGT;
            if (!onlyLarge) continue;
            // 2^(bits-1): exact in float and double.
            APFloat threshold(bound->getSemantics());
            threshold.convertFromAPInt(APInt::getOneBitSet(bits + 1, bits - 1), false, APFloat::rmTowardZero);
            APFloat::cmpResult order = bound->compare(threshold);
            if (order == APFloat::cmpGreaterThan || order == APFloat::cmpEqual) return true;
        }
        return false;
    }
};

// The x86 conversion that truncates `from` to an integer of `bits`.
Intrinsic::ID conversionFor(Type *from, unsigned bits) {
    if (from->isFloatTy()) return bits == 32 ? Intrinsic::x86_sse_cvttss2si : Intrinsic::x86_sse_cvttss2si64;
    return bits == 32 ? Intrinsic::x86_sse2_cvttsd2si : Intrinsic::x86_sse2_cvttsd2si64;
}

// An operation between the conversion and the select: which operand carries the conversion (the
// other is a constant).
struct Step {
    BinaryOperator *operation;
    unsigned variable;
};

struct Guarded {
    SelectInst *select;
    Value *kept;  // the arm that stays: `fptosi x` under `steps`
    FPToSIInst *conversion;
    SmallVector<Step, 4> steps;
};

// `steps` applied to INT_MIN, innermost first; null if something does not fold.
Constant *applyToIntegerMinimum(const Guarded &guarded, const DataLayout &dataLayout) {
    auto *integer = guarded.conversion->getType();
    Constant *value = ConstantInt::get(integer, APInt::getSignedMinValue(integer->getIntegerBitWidth()));
    for (auto step = guarded.steps.rbegin(); step != guarded.steps.rend() && value; ++step) {
        Constant *other = cast<Constant>(step->operation->getOperand(1 - step->variable));
        Constant *left = step->variable == 0 ? value : other, *right = step->variable == 0 ? other : value;
        value = ConstantFoldBinaryOpOperands(step->operation->getOpcode(), left, right, dataLayout);
    }
    return value;
}

// Integer operations that the optimiser sinks into a select and that are defined for every
// operand value (no division, whose divisor could be the conversion).
bool isTotalStep(const BinaryOperator *step) {
    switch (step->getOpcode()) {
    case Instruction::Add: case Instruction::Sub: case Instruction::Mul: case Instruction::Shl:
    case Instruction::LShr: case Instruction::AShr: case Instruction::And: case Instruction::Or:
    case Instruction::Xor:
        return true;
    default:
        return false;
    }
}

// `select` as a guarded conversion, if it is one.
std::optional<Guarded> guardedConversion(SelectInst *select, const DataLayout &dataLayout) {
    auto *type = dyn_cast<IntegerType>(select->getType());
    if (!type || (type->getBitWidth() != 32 && type->getBitWidth() != 64)) return std::nullopt;
    BasicBlock *block = select->getParent();
    for (bool constantIsTrueArm : {true, false}) {
        auto *constant = dyn_cast<ConstantInt>(constantIsTrueArm ? select->getTrueValue() : select->getFalseValue());
        if (!constant) continue;
        Guarded guarded{select, constantIsTrueArm ? select->getFalseValue() : select->getTrueValue(), nullptr, {}};
        // Down from the kept arm through single-use operations of the block with a constant operand.
        Value *value = guarded.kept;
        while (!(guarded.conversion = dyn_cast<FPToSIInst>(value))) {
            auto *step = dyn_cast<BinaryOperator>(value);
            if (!step || !isTotalStep(step) || !step->hasOneUse() || step->getParent() != block || guarded.steps.size() == 4)
                break;
            unsigned variable = isa<Constant>(step->getOperand(1)) ? 0 : 1;
            if (!isa<Constant>(step->getOperand(1 - variable))) break;
            guarded.steps.push_back({step, variable});
            value = step->getOperand(variable);
        }
        if (!guarded.conversion || guarded.conversion->getParent() != block) continue;
        unsigned bits = guarded.conversion->getType()->getIntegerBitWidth();
        Value *x = guarded.conversion->getOperand(0);
        if ((bits != 32 && bits != 64) || !(x->getType()->isFloatTy() || x->getType()->isDoubleTy())) continue;
        if (applyToIntegerMinimum(guarded, dataLayout) != constant) continue;
        // Where the select picks the constant, x must be NaN or out of range there.
        Facts facts;
        facts.block = block;
        facts.gather(select->getCondition(), constantIsTrueArm);
        if (facts.sayOutOfRange(facts.settle(x), bits)) return guarded;
    }
    return std::nullopt;
}

unsigned foldIn(Function &function) {
    const DataLayout &dataLayout = function.getDataLayout();
    SmallVector<Guarded, 8> found;
    for (Instruction &instruction : instructions(function))
        if (auto *select = dyn_cast<SelectInst>(&instruction))
            if (auto guarded = guardedConversion(select, dataLayout)) found.push_back(*guarded);
    SmallDenseMap<FPToSIInst *, Value *, 8> converted;
    SmallVector<WeakTrackingVH, 8> conditions;
    for (Guarded &guarded : found) {
        FPToSIInst *conversion = guarded.conversion;
        if (!converted.count(conversion)) {
            Value *x = conversion->getOperand(0);
            IRBuilder<> builder(conversion);
            auto *lanes = FixedVectorType::get(x->getType(), x->getType()->isFloatTy() ? 4 : 2);
            Value *vector = builder.CreateInsertElement(PoisonValue::get(lanes), x, uint64_t(0));
            converted[conversion] = builder.CreateIntrinsic(
                conversionFor(x->getType(), conversion->getType()->getIntegerBitWidth()), {}, {vector});
        }
        // INT_MIN goes through these where the test fails: no flag may make that poison.
        for (Step &step : guarded.steps) step.operation->dropPoisonGeneratingFlags();
        conditions.push_back(guarded.select->getCondition());
        guarded.select->replaceAllUsesWith(guarded.kept);
        guarded.select->eraseFromParent();
    }
    for (auto [conversion, replacement] : converted) {
        conversion->replaceAllUsesWith(replacement);
        conversion->eraseFromParent();
    }
    for (WeakTrackingVH &condition : conditions)
        if (condition) RecursivelyDeleteTriviallyDeadInstructions(condition);
    return found.size();
}

} // namespace

extern "C" unsigned kiln_fold_guarded_float_to_int(LLVMModuleRef moduleRef) {
    unsigned folded = 0;
    for (Function &function : *unwrap(moduleRef))
        if (!function.isDeclaration()) folded += foldIn(function);
    return folded;
}
