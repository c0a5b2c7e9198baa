// Alias analysis that keeps linear-memory traps in program order: the optimising pipelines run
// with it in place of LLVM's basic alias analysis, which it asks and then overrules.
//
// Why. An out-of-bounds access to a 32-bit linear memory faults in the guard region and becomes a
// trap; after the trap the host sees every byte stored before it. LLVM knows nothing of the
// fault: told that two accesses are to different addresses (a constant address against another,
// or one pointer at two constant offsets), it reorders them. It hoists a load out of a loop above
// the loop's store, keeps a stored value in a register until the loop exits, deletes a store that
// a later store overwrites across a load, merges neighbouring stores. If the load, or part of a
// merged store, is out of bounds, the trap then comes with an earlier store not yet made
// (`(i32.store (i32.const 16) ..) (i32.load (i32.const 70000))` leaves address 16 unwritten).
//
// Why this is safe. Where basic alias analysis proves two locations disjoint and either is a
// linear-memory access that may trap, the answer becomes "may alias", so no pass moves one past
// the other: a load that may trap stays after every store before it and before every store after
// it; a store that may trap likewise. What LLVM may still do: reorder two loads (one trap, "out of
// bounds memory access", is like the other, and the load witness keeps each load alive and before
// every other trap, call and return), forward a store to a load of the same address (a must-alias
// answer stands), move accesses of a loop copy that runs only when all of them are inside the
// memory (marked in bounds, accesses_in_bounds.h), and reorder an access with a private alloca's,
// which nothing outside the function sees. A 64-bit memory's accesses are checked explicitly before
// they run, so they cannot fault: their store tag is not one of those asked for (their loads share
// the load tag, which is merely conservative).
//
// Three things no alias answer reaches are handled beside it: dead-store elimination and MemCpyOpt
// do not run (below); loops that store where they may trap are not vectorised
// (memory_loop_versioning.cpp, `keepTrappingStoreLoopsScalar`); and after the last IR pass, the
// pairs of accesses that the code generator could tell apart and reorder, and stores that a later
// store which may trap overwrites, become volatile (`kiln_order_trapping_accesses`), which
// SelectionDAG and the machine passes never reorder or delete:
// pairs that the IR's addresses show, and in loops those that scalar evolution shows, which the
// code generator's loop strength reduction may make as plain to SelectionDAG.
#include "CLLVM.h"
#include "accesses_in_bounds.h"
#include "computed_offset_unrolling.h"
#include "scoped_copy_forwarding.h"

#include <llvm/Analysis/AliasAnalysis.h>
#include <llvm/Analysis/BasicAliasAnalysis.h>
#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/GlobalsModRef.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/ScopedNoAliasAA.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/Analysis/TypeBasedAliasAnalysis.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Operator.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Passes/StandardInstrumentations.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>

using namespace llvm;
using namespace llvm::PatternMatch;

namespace {

using kiln::TrappingAccesses;

class TrapOrderingAAResult : public AAResultBase {
    BasicAAResult &basic;
    TrappingAccesses trapping;

    static bool isPrivate(const MemoryLocation &location) {
        return isa<AllocaInst>(getUnderlyingObject(location.Ptr));
    }

  public:
    TrapOrderingAAResult(BasicAAResult &basic, TrappingAccesses trapping) : basic(basic), trapping(trapping) {}

    AliasResult alias(const MemoryLocation &a, const MemoryLocation &b, AAQueryInfo &query, const Instruction *context) {
        AliasResult result = basic.alias(a, b, query, context);
        if (result != AliasResult::NoAlias) return result;
        bool eitherMayTrap = trapping.contain(a.AATags) || trapping.contain(b.AATags);
        if (eitherMayTrap && !isPrivate(a) && !isPrivate(b)) return AliasResult::MayAlias;
        return result;
    }

    // The rest is basic alias analysis' own: it asks `alias` (through the query's AAResults)
    // wherever a call's effects depend on where its pointer arguments point.
    ModRefInfo getModRefInfo(const CallBase *call, const MemoryLocation &location, AAQueryInfo &query) {
        return basic.getModRefInfo(call, location, query);
    }
    ModRefInfo getModRefInfo(const CallBase *a, const CallBase *b, AAQueryInfo &query) {
        return basic.getModRefInfo(a, b, query);
    }
    ModRefInfo getModRefInfoMask(const MemoryLocation &location, AAQueryInfo &query, bool ignoreLocals) {
        return basic.getModRefInfoMask(location, query, ignoreLocals);
    }
    ModRefInfo getArgModRefInfo(const CallBase *call, unsigned argument) {
        return basic.getArgModRefInfo(call, argument);
    }
    MemoryEffects getMemoryEffects(const CallBase *call, AAQueryInfo &query) {
        return basic.getMemoryEffects(call, query);
    }
    MemoryEffects getMemoryEffects(const Function *function) { return basic.getMemoryEffects(function); }

    // Stateless, like basic alias analysis: valid as long as the one it asks is.
    bool invalidate(Function &function, const PreservedAnalyses &preserved, FunctionAnalysisManager::Invalidator &inv) {
        return inv.invalidate<BasicAA>(function, preserved);
    }
};

class TrapOrderingAA : public AnalysisInfoMixin<TrapOrderingAA> {
    friend AnalysisInfoMixin<TrapOrderingAA>;
    static AnalysisKey Key;
    const MDNode *storeTag, *loadTag;

  public:
    using Result = TrapOrderingAAResult;
    TrapOrderingAA(const MDNode *storeTag, const MDNode *loadTag) : storeTag(storeTag), loadTag(loadTag) {}

    // The in-bounds mark is made between pipelines (memory loop versioning), so it is looked up
    // with each result.
    Result run(Function &function, FunctionAnalysisManager &analyses) {
        return Result(analyses.getResult<BasicAA>(function),
                      {storeTag, loadTag, kiln::existingInBoundsScope(*function.getParent())});
    }
};

AnalysisKey TrapOrderingAA::Key;

// LLVM's default alias-analysis pipeline (PassBuilder::buildDefaultAAPipeline: basic, scoped
// no-alias, type-based, globals; x86 adds none) with trap ordering in basic analysis' place.
AAManager trapOrderingAAPipeline() {
    AAManager pipeline;
    pipeline.registerFunctionAnalysis<TrapOrderingAA>();
    pipeline.registerFunctionAnalysis<ScopedNoAliasAA>();
    pipeline.registerFunctionAnalysis<TypeBasedAA>();
    pipeline.registerModuleAnalysis<GlobalsAA>();
    return pipeline;
}

// Passes that remove or merge stores by reasoning no alias answer can stop. Dead-store elimination
// deletes a store that a later one overwrites when nothing between them reads its location: a
// store that traps in between reads nothing, so `(i32.store (i32.const 16) ..)` before an
// out-of-bounds store and an overwrite of 16 after it would never be made. MemCpyOpt merges
// neighbouring stores of one byte value into a memset, which writes in an order of its own and
// traps whole where a store of the run straddles the end of memory. Loop idiom recognition makes
// a loop of such stores, or of copies, one memset or memcpy, which traps the same way: a loop
// storing bytes from 4 below the memory's end stored none before its trap (found by the loop
// kernels of tests/fuzz/loop_kernels.py). Kiln versions such loops itself, with their ranges
// checked (copy loops become a memory copy there: copy_loops.h). (Kiln's lowering makes few dead
// stores; C compilers removed the program's own before it became Wasm.)
constexpr StringRef passesThatMoveStoresAcrossTraps[] = {"DSEPass", "MemCpyOptPass", "LoopIdiomRecognizePass"};

} // namespace

extern "C" LLVMErrorRef kiln_run_passes_ordering_traps(LLVMModuleRef moduleRef, const char *passes,
                                                       LLVMTargetMachineRef machine,
                                                       LLVMMetadataRef memoryStoreTag, LLVMMetadataRef memoryLoadTag) {
    // As LLVMRunPasses does it, but for the alias-analysis pipeline, which the C API cannot set.
    const MDNode *storeTag = cast<MDNode>(unwrap(memoryStoreTag)), *loadTag = cast<MDNode>(unwrap(memoryLoadTag));
    PassInstrumentationCallbacks instrumentation;
    instrumentation.registerShouldRunOptionalPassCallback(
        [](StringRef pass, Any) { return !is_contained(passesThatMoveStoresAcrossTraps, pass); });
    // What `opt` and LLVMRunPasses have, for debugging through KILN_LLVM_OPTIONS: -time-passes
    // (a report per pipeline and partition on stderr), -print-before/-print-after, -opt-bisect-limit.
    StandardInstrumentations standard(unwrap(moduleRef)->getContext(), false);
    standard.registerCallbacks(instrumentation);
    PassBuilder builder(reinterpret_cast<TargetMachine *>(machine), PipelineTuningOptions(), std::nullopt,
                        &instrumentation);
    kiln::registerComputedOffsetUnrolling(builder);
    kiln::registerScopedCopyForwarding(builder);
    LoopAnalysisManager loopAnalyses;
    FunctionAnalysisManager functionAnalyses;
    CGSCCAnalysisManager sccAnalyses;
    ModuleAnalysisManager moduleAnalyses;
    // Registered first, so that the builder's own alias-analysis pipeline is ignored.
    functionAnalyses.registerPass([] { return trapOrderingAAPipeline(); });
    functionAnalyses.registerPass([&] { return TrapOrderingAA(storeTag, loadTag); });
    builder.registerModuleAnalyses(moduleAnalyses);
    builder.registerCGSCCAnalyses(sccAnalyses);
    builder.registerFunctionAnalyses(functionAnalyses);
    builder.registerLoopAnalyses(loopAnalyses);
    builder.crossRegisterProxies(loopAnalyses, functionAnalyses, sccAnalyses, moduleAnalyses);
    ModulePassManager pipeline;
    if (Error error = builder.parsePassPipeline(pipeline, passes)) return wrap(std::move(error));
    pipeline.run(*unwrap(moduleRef), moduleAnalyses);
    return nullptr;
}

namespace {

// An address as the code generator compares two (SelectionDAG's BaseIndexOffset, after its
// combines have moved constants out of shifts, multiplications and no-wrap extensions): a base
// pointer, at most one variable index with a constant scale, and a constant offset. Accesses
// that differ in base or index are, to the code generator, accesses it cannot tell apart; this
// takes off at least every constant it can, so that no pair it could reorder goes unseen.
struct DecomposedAddress {
    // The index: a value, how it was widened (an extension the code generator may move a
    // constant through), and its scale.
    struct Index {
        const Value *value = nullptr;
        unsigned widening = 0;
        int64_t scale = 0;
    };
    const Value *pointer;
    Index index;
    int64_t offset = 0;

    DecomposedAddress(const Value *address, const DataLayout &layout) : pointer(address) {
        while (auto *step = dyn_cast<GEPOperator>(pointer)) {
            Type *element = step->getSourceElementType();
            if (step->getNumIndices() != 1 || !element->isSized() || element->isScalableTy()) break;
            Index part = decomposeIndex(step->getOperand(1), int64_t(layout.getTypeAllocSize(element).getFixedValue()));
            if (part.value && index.value) break;
            if (part.value) index = part;
            pointer = step->getPointerOperand();
        }
    }

  private:
    // Takes the constants off `amount` (scaled by `scale`) into `offset`; returns what is left.
    Index decomposeIndex(const Value *amount, int64_t scale) {
        unsigned widening = 0;
        for (unsigned steps = 0; steps < 16; steps++) {
            const Value *rest;
            const APInt *constant;
            if (match(amount, m_APInt(constant))) {
                offset += constant->getSExtValue() * scale;
                return {};
            }
            if (match(amount, m_Add(m_Value(rest), m_APInt(constant))) ||
                match(amount, m_DisjointOr(m_Value(rest), m_APInt(constant)))) {
                offset += constant->getSExtValue() * scale;
            } else if (match(amount, m_Shl(m_Value(rest), m_APInt(constant))) && constant->ult(32)) {
                scale <<= constant->getZExtValue();
            } else if (match(amount, m_Mul(m_Value(rest), m_APInt(constant))) && constant->getSignificantBits() <= 32) {
                scale *= constant->getSExtValue();
            } else if (auto *widened = dyn_cast<CastInst>(amount); widened && (isa<ZExtInst>(widened) || isa<SExtInst>(widened))) {
                rest = widened->getOperand(0);
                widening = widened->getOpcode();
            } else {
                break;
            }
            amount = rest;
        }
        return {amount, widening, scale};
    }
};

// An access among those of one base and index.
struct Access {
    Instruction *instruction;
    int64_t offset, size;
    bool isStore, mayTrap;

    bool isApartFrom(const Access &other) const {
        return offset + size <= other.offset || other.offset + other.size <= offset;
    }

    // Whether this access, a store, writes every byte that `earlier`, a store before it, writes,
    // and more: SelectionDAG then deletes `earlier` as dead. (One that writes the same bytes
    // cannot trap where `earlier` did not.)
    bool overwritesAndReachesPast(const Access &earlier) const {
        return isStore && earlier.isStore && size > earlier.size && offset <= earlier.offset &&
               earlier.offset + earlier.size <= offset + size;
    }
};

constexpr size_t mostAccessesComparedInPairs = 64;

// Whether the access was not volatile before.
bool makeVolatile(Instruction *access) {
    if (auto *load = dyn_cast<LoadInst>(access)) {
        if (load->isVolatile()) return false;
        load->setVolatile(true);
    } else {
        auto *store = cast<StoreInst>(access);
        if (store->isVolatile()) return false;
        store->setVolatile(true);
    }
    return true;
}

// Whether `accesses` hold a store and an access that may trap: only then can any pair of them
// need ordering.
bool holdAStoreAndATrap(const SmallVectorImpl<Access> &accesses) {
    return any_of(accesses, [](const Access &access) { return access.isStore; }) &&
           any_of(accesses, [](const Access &access) { return access.mayTrap; });
}

// Makes volatile every pair of one group (accesses whose addresses differ by their constant
// offsets alone) that the code generator could reorder across a trap: a store and another access,
// either of which may trap, whose byte ranges do not meet. And, of a store that a later store
// which may trap overwrites, the earlier one, which the code generator would delete as dead: a
// store that traps writes nothing, so the earlier one's bytes must be there when it does (an i32
// at p + 3, then an i64 at p, the end of memory at p + 5). `accesses` are in program order.
// Returns how many it made volatile.
uint32_t orderGroup(const SmallVectorImpl<Access> &accesses) {
    uint32_t madeVolatile = 0;
    // Pairs are few in real code; a huge straight-line block of constant addresses pays linearly
    // instead, with all of its accesses of the group in order.
    if (accesses.size() > mostAccessesComparedInPairs) {
        if (holdAStoreAndATrap(accesses))
            for (const Access &access : accesses) madeVolatile += makeVolatile(access.instruction);
        return madeVolatile;
    }
    for (size_t i = 0; i < accesses.size(); i++) {
        for (size_t j = i + 1; j < accesses.size(); j++) {
            const Access &a = accesses[i], &b = accesses[j];
            if ((a.isStore || b.isStore) && (a.mayTrap || b.mayTrap) && a.isApartFrom(b)) {
                madeVolatile += makeVolatile(a.instruction);
                madeVolatile += makeVolatile(b.instruction);
            } else if (b.mayTrap && b.overwritesAndReachesPast(a)) {
                madeVolatile += makeVolatile(a.instruction);
            }
        }
    }
    return madeVolatile;
}

// An address as scalar evolution sees it, split into what varies and a constant offset:
// `{(65416 + %base),+,8}` is `{%base,+,8}` at 65416. Loop strength reduction and CodeGenPrepare,
// which run inside the code generator after the last IR pass, rewrite addresses into exactly such
// a shared base register plus constants, so two accesses that no GEP shows to be neighbours
// (`(i + 65528) & -8` against `((i + 65473) & -7) + 1024` while i counts in eights) reach
// SelectionDAG as one base at offsets 65416 and 66385, which it reorders.
std::pair<const SCEV *, int64_t> splitConstantOffset(const SCEV *address, ScalarEvolution &evolution) {
    if (auto *sum = dyn_cast<SCEVAddExpr>(address)) {
        if (auto *constant = dyn_cast<SCEVConstant>(sum->getOperand(0)))
            return {evolution.getMinusSCEV(address, constant), constant->getAPInt().getSExtValue()};
    } else if (auto *recurrence = dyn_cast<SCEVAddRecExpr>(address); recurrence && recurrence->isAffine()) {
        auto [start, offset] = splitConstantOffset(recurrence->getStart(), evolution);
        if (offset != 0)
            return {evolution.getAddRecExpr(start, recurrence->getStepRecurrence(evolution), recurrence->getLoop(),
                                            SCEV::FlagAnyWrap),
                    offset};
    }
    return {address, 0};
}

// Loops and scalar evolution for one function, made only when a block could need them.
class FunctionEvolution {
    Function &function;
    TargetLibraryInfoImpl libraryInfoImpl;
    std::optional<TargetLibraryInfo> libraryInfo;
    std::optional<DominatorTree> dominators;
    std::optional<LoopInfo> loops;
    std::optional<AssumptionCache> assumptions;
    std::optional<ScalarEvolution> evolution;

    LoopInfo &loopInfo() {
        if (!loops) {
            dominators.emplace(function);
            loops.emplace(*dominators);
        }
        return *loops;
    }

  public:
    explicit FunctionEvolution(Function &function)
        : function(function), libraryInfoImpl(Triple(function.getParent()->getTargetTriple())) {}

    bool isInLoop(const BasicBlock &block) { return loopInfo().getLoopFor(&block) != nullptr; }

    ScalarEvolution &get() {
        if (!evolution) {
            LoopInfo &loopsMade = loopInfo();
            libraryInfo.emplace(libraryInfoImpl, &function);
            assumptions.emplace(function);
            evolution.emplace(function, *libraryInfo, *assumptions, *dominators, loopsMade);
        }
        return *evolution;
    }
};

} // namespace

extern "C" kiln_trap_ordering_counts kiln_order_trapping_accesses(LLVMModuleRef moduleRef,
                                                                  LLVMMetadataRef memoryStoreTag,
                                                                  LLVMMetadataRef memoryLoadTag) {
    kiln_trap_ordering_counts counts{0, 0};
    Module &module = *unwrap(moduleRef);
    const DataLayout &layout = module.getDataLayout();
    TrappingAccesses trapping{cast<MDNode>(unwrap(memoryStoreTag)), cast<MDNode>(unwrap(memoryLoadTag)),
                              kiln::existingInBoundsScope(module)};
    for (Function &function : module) {
        FunctionEvolution evolution(function);
        for (BasicBlock &block : function) {
            // The code generator reorders only within a block, and only accesses it can tell
            // apart: the same base and index at offsets whose ranges do not meet. Volatile, such
            // a pair keeps its order; every other pair may move (a read-modify-write of one
            // address still folds into one instruction). Pairs are found twice: by the address
            // as the IR spells it, and in loops by the address as scalar evolution sees it,
            // which is how the code generator's loop strength reduction may rewrite it.
            MapVector<std::tuple<const Value *, const Value *, unsigned, int64_t>, SmallVector<Access, 4>> byBase;
            SmallVector<Access, 16> accesses;
            for (Instruction &instruction : block) {
                if (!trapping.isLinearMemory(instruction.getMetadata(LLVMContext::MD_tbaa))) continue;
                auto *load = dyn_cast<LoadInst>(&instruction);
                auto *store = dyn_cast<StoreInst>(&instruction);
                if (!(load && load->isSimple()) && !(store && store->isSimple())) continue;
                DecomposedAddress address(getLoadStorePointerOperand(&instruction), layout);
                accesses.push_back({&instruction, address.offset,
                                    int64_t(layout.getTypeStoreSize(getLoadStoreType(&instruction)).getKnownMinValue()),
                                    store != nullptr, trapping.contain(instruction.getAAMetadata())});
                byBase[{address.pointer, address.index.value, address.index.widening, address.index.scale}].push_back(
                    accesses.back());
            }
            for (auto &[base, group] : byBase) counts.madeVolatile += orderGroup(group);

            if (!holdAStoreAndATrap(accesses) || !evolution.isInLoop(block)) continue;
            ScalarEvolution &scalarEvolution = evolution.get();
            MapVector<const SCEV *, SmallVector<Access, 4>> byEvolution;
            for (Access access : accesses) {
                const SCEV *address = scalarEvolution.getSCEV(getLoadStorePointerOperand(access.instruction));
                auto [rest, offset] = splitConstantOffset(address, scalarEvolution);
                access.offset = offset;
                byEvolution[rest].push_back(access);
            }
            for (auto &[rest, group] : byEvolution) counts.foundByScalarEvolution += orderGroup(group);
        }
    }
    counts.madeVolatile += counts.foundByScalarEvolution;
    return counts;
}
