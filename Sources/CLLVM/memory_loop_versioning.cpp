// Loop versioning for linear-memory loops: a copy of an innermost loop that runs only when the
// ranges it accesses through different pointers are disjoint and inside the memory, with alias
// scopes that tell LLVM so, and the original loop for every other case.
//
// Why Kiln does its own. All of linear memory is one object to LLVM, so two arrays in a loop
// (c[j] += a * b[j]) may alias and the loop vectoriser checks at run time that they do not. When
// its dependence analysis has failed once, it checks every pointer against every other, each
// pointer its own range. clang unrolls such loops by two for wasm32, so c[j] and c[j + 1] are two
// pointers whose ranges interleave: the check always fails and the vector loop never runs. Here
// the accesses are grouped by base (same recurrence, constant offsets apart), one range per group,
// so the check is the one a C compiler makes for two arrays.
//
// Why it keeps traps exact. The copy also requires every group's range to end inside the memory's
// current size, so no access in it can trap; it has no calls and no exit to a trap (Kiln's
// explicit traps are calls in blocks of their own that end in `unreachable`), so nothing in it
// traps at all, and vectorising or reordering its accesses cannot move a trap. A loop may have
// exits of the program's own besides the latch's (a decoder that meets a bad byte): its ranges
// are then taken for the most iterations the latch allows, so they hold every byte it accesses
// wherever it leaves, and a loop that leaves before it would reach the memory's end runs as
// written when the check fails. The size cannot change during the
// loop: only a call grows memory. Where the check fails, the original loop runs, marked so that it
// is neither vectorised nor unrolled. That is also why a loop that writes through one pointer alone
// is versioned: LLVM vectorises it with no check at all, and a vector access that traps would take
// the stores of the lanes before it along (README, "Exact traps"). Loops this pass does not
// version are not vectorised at all where they store (`keepTrappingStoreLoopsScalar`). A loop
// that only copies has a third version, one call of the runtime's memory copy, for ranges that
// overlap the way round where it does what memmove does (copy_loops.h).
//
// Addresses that are 32-bit sums. clang's wasm32 code often walks a pointer p with p + c as the
// address, an i32 sum that may wrap at 2^32, so Kiln's address is base + zext(p + c): not an
// affine recurrence in 64 bits, and LLVM vectorises such a loop only under run-time wrap checks of
// its own. Such an access is taken here as the recurrence zext(p) + c + step * i, which it is
// unless the i32 sum wraps during the loop; since the copy runs only when every such range starts
// at or above the memory's base and ends inside the memory, below 2^32, the sum cannot have
// wrapped there, whichever way it steps.
// The same holds for a sum that does not step: a function's frame in the shadow stack, addressed
// `sp - 48 + k` in 32 bits, is one group of fixed places (`widenedInvariant`), and a function with
// such a group in a scoped copy gets GVN once more after versioning (scoped_copy_forwarding.h).
// Such loops often count an i32 index up to zero, which LLVM rewrites into a test of the low bits
// of a 64-bit counter ((i + 4) & 0xFFFFFFFC == 0) whose trip count scalar evolution cannot find,
// so neither LLVM nor this pass would take the loop: the test is put back as a 32-bit compare
// (trunc(i + 4) == 0) for the loops versioned here, and only for them, so that no loop that
// stores becomes vectorisable without the in-bounds condition.
#include "CLLVM.h"
#include "accesses_in_bounds.h"
#include "copy_loops.h"
#include "exit_test_unmasking.h"
#include "linear_memory_fields.h"
#include "scoped_copy_forwarding.h"
#include "strided_exit_tests.h"

#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <optional>

using namespace llvm;

namespace {

// Loops larger than this are rarely vectorised, and copying them costs compile time. Counted in IR
// instructions, the load witness' adds included: a loop of three if-else updates over six arrays
// (soa_particles' wall bounce, about 100) vectorises with masked stores and ran 1.45x faster once
// versioned; 80 left it out. A column pass of an 8x8 transform (eight sums of eight products an
// iteration, about 200) vectorises whole, eight lanes wide; 160 left it out, and scalar.
constexpr unsigned largestLoop = 320;
// A larger loop is versioned only where it accesses fixed places (a group of step 0: a frame's
// arrays, a state pointed to), which are what its scoped copy gains without vectorising: with the
// places known apart, GVN keeps them in registers (scoped_copy_forwarding.h). Keccak's round
// loop, its 5x5 steps unrolled, is about 400 (keccak_merkle: 0.68 of its time).
constexpr unsigned largestLoopWithFixedPlaces = 2000;
// A loop known to run fewer iterations is not worth a vector loop. Eight fill one AVX2 vector of
// 32-bit lanes: the 8x8 transform's row and column passes (jpeg_dct took 0.56 of its time with
// both versioned).
constexpr uint64_t fewestIterations = 8;
// The analyses are rebuilt after each loop versioned, so a cap per function keeps the cost
// linear in the function's size.
constexpr unsigned mostLoopsPerFunction = 32;

struct Layout {
    MDNode *memoryStoreTag, *memoryLoadTag;
    kiln::MemoryFields fields;
    // Each memory's declared minimum in bytes, by memory index: it is never smaller.
    ArrayRef<uint64_t> minimumMemoryBytes;
};

// The memory a loop's accesses address.
using MemoryOfLoop = kiln::MemoryOfBase;

// Accesses whose addresses are one recurrence plus constant offsets.
struct Group {
    const SCEV *base;
    int64_t step;
    int64_t lowestOffset, highestEnd;
    bool writes = false;
    // The recurrence is a 32-bit sum taken as 64-bit (the top of the file): valid only while the
    // range ends inside the memory, so that range is always checked, and while no member's sum
    // goes below zero, which `lowestSum` is for.
    bool wraps32 = false;
    // The lowest offset from `base` of a member's 32-bit sum itself, before the constant its
    // address adds after the extension (a memarg offset): with `p + i` at -1024 and offset=1024,
    // the access is at zext(p + i) + 1024, which for p = 0 wraps and traps, while the range from
    // zext(p) - 1024 + 1024 starts at 0.
    int64_t lowestSum = std::numeric_limits<int64_t>::max();
    SmallVector<Instruction *, 4> members;
    // Each member's offset from `base`.
    SmallVector<int64_t, 4> offsets;
    // The distinct 32-bit sums its members' addresses extend, when it wraps32.
    SmallPtrSet<const SCEV *, 4> sums;
    // And the distinct values that compute them: one sum may be computed several times over, as
    // masks of p + 1, p + 2, p + 3 that scalar evolution sees as p and displacements.
    SmallPtrSet<Value *, 4> sumComputations;
};

// The constant k of a sum x + k, also where the sum steps through outer loops: the start of a walk
// along a row of an image, {{img - 3,+,960}<rows>,+,1}, begins with the constant of its outermost
// start (all of it for a static image, {{1021,+,960}<rows>,+,1}), and so does a term of a sum that
// steps so: {188040,+,8m}<columns> + 8j, a column of a static matrix from a row j the outer loop
// computes (Householder QR's col and col + 8, one array). Nothing if there is none.
const SCEVConstant *constantAddend(const SCEV *sum) {
    bool stepped = false;
    for (; auto *recurrence = dyn_cast<SCEVAddRecExpr>(sum); stepped = true) sum = recurrence->getStart();
    if (auto *constant = dyn_cast<SCEVConstant>(sum); constant && stepped) return constant;
    auto *terms = dyn_cast<SCEVAddExpr>(sum);
    if (!terms) return nullptr;
    if (auto *constant = dyn_cast<SCEVConstant>(terms->getOperand(0))) return constant;
    for (const SCEV *term : terms->operands())
        if (isa<SCEVAddRecExpr>(term))
            if (const SCEVConstant *constant = constantAddend(term)) return constant;
    return nullptr;
}

struct WidenedAddress {
    const SCEV *start;
    int64_t step;
    // c: what the address adds after the extension, so outside the 32-bit sum.
    int64_t afterExtension;
};

// An address as base + offset + c: the memory's base, what is added to it, and the constant c
// added after that (a memarg offset, mostly; 0 if there is none).
struct SplitAddress {
    const SCEV *base, *offset;
    const SCEVConstant *constant;
};

SplitAddress splitAddress(const SCEV *address, ScalarEvolution &se) {
    const SCEV *base = se.getPointerBase(address);
    const SCEV *offset = se.getMinusSCEV(address, base);
    if (auto *sum = dyn_cast<SCEVAddExpr>(offset); sum && sum->getNumOperands() == 2 && isa<SCEVConstant>(sum->getOperand(0)))
        return {base, sum->getOperand(1), cast<SCEVConstant>(sum->getOperand(0))};
    return {base, offset, cast<SCEVConstant>(se.getZero(offset->getType()))};
}

// For an address base + zext({x + k,+,step}) (+ c) with an i32 recurrence of `loop`, a constant k
// (`constantAddend`) and a constant step other than zero (a downward walk's range is checked at
// both ends, like any 32-bit sum's: `belowTheBase`): the address of the first iteration as if the
// sum never wrapped, base + zext(x) + k + c, the step and c; `sum`, if given, is set to the
// extended recurrence. Nothing for any other address. Taking the constant out of the extension
// lets accesses to one array (w[i - 2], w[i - 16] and w[i]) fall into one group, a constant
// distance apart. The sum may also be scaled by a power of two, 2^s * zext({..}) with an
// i(32 - s) recurrence: scalar evolution's form of the 32-bit i * 8 (top bits shifted out) when it
// cannot prove that i stays small, as for an index that does not start at a constant.
std::optional<WidenedAddress> widenedRecurrence(const SCEV *address, const Loop &loop, ScalarEvolution &se,
                                                const SCEV **sum = nullptr) {
    auto [base, offset, memargOffset] = splitAddress(address, se);
    const SCEV *constant = memargOffset;
    // A memarg offset, never negative: a sum's top is then below the access's, which the range
    // keeps inside the memory, so the sum cannot wrap upwards either.
    if (cast<SCEVConstant>(constant)->getAPInt().isNegative()) return std::nullopt;
    int64_t afterExtension = cast<SCEVConstant>(constant)->getAPInt().getSExtValue();
    const SCEV *scale = se.getOne(offset->getType());
    if (auto *product = dyn_cast<SCEVMulExpr>(offset); product && product->getNumOperands() == 2) {
        auto *factor = dyn_cast<SCEVConstant>(product->getOperand(0));
        if (!factor || !factor->getAPInt().isPowerOf2()) return std::nullopt;
        scale = factor;
        offset = product->getOperand(1);
    }
    auto *extended = dyn_cast<SCEVZeroExtendExpr>(offset);
    if (!extended) return std::nullopt;
    auto *recurrence = dyn_cast<SCEVAddRecExpr>(extended->getOperand());
    if (!recurrence || recurrence->getLoop() != &loop || !recurrence->isAffine()) return std::nullopt;
    // The scaled sum wraps exactly where the 32-bit address does.
    unsigned scaleBits = cast<SCEVConstant>(scale)->getAPInt().logBase2();
    if (recurrence->getType()->getIntegerBitWidth() + scaleBits != 32) return std::nullopt;
    auto *step = dyn_cast<SCEVConstant>(recurrence->getStepRecurrence(se));
    if (!step || step->getAPInt().isZero()) return std::nullopt;
    const SCEV *first = recurrence->getStart();
    if (const SCEVConstant *addend = constantAddend(first)) {
        constant = se.getAddExpr(constant, se.getMulExpr(scale, se.getSignExtendExpr(addend, offset->getType())));
        first = se.getMinusSCEV(first, addend);
    }
    const SCEV *start = se.getAddExpr(base, se.getMulExpr(scale, se.getZeroExtendExpr(first, offset->getType())), constant);
    if (sum) *sum = recurrence;
    return WidenedAddress{start, (step->getAPInt().sext(64) << scaleBits).getSExtValue(), afterExtension};
}

// For a loop-invariant address base + zext(x + k) (+ c), with k a constant or nothing: the same
// address as if the 32-bit sum never wrapped, base + zext(x) + k + c, and c. A function's frame
// in the shadow stack is addressed so: clang's wasm32 code adds each array's displacement to the
// stack pointer in 32 bits (sp - 40, sp - 32, ...), and taken as they are, such addresses are
// groups of their own that scalar evolution cannot tell apart from the frame's other accesses,
// so that the copy's check found the frame overlapping itself and never ran it (keccak's
// rounds). As for a recurrence's 32-bit sum, the copy runs only where the group's range lies
// inside the memory (`pastTheEnd`) and no sum goes below zero (`belowTheBase`), where the two
// forms are the same address.
std::optional<WidenedAddress> widenedInvariant(const SCEV *address, const Loop &loop, ScalarEvolution &se) {
    if (!se.isLoopInvariant(address, &loop)) return std::nullopt;
    auto [base, offset, memargOffset] = splitAddress(address, se);
    // A memarg offset is never negative (widenedRecurrence says why that matters).
    auto *extended = dyn_cast<SCEVZeroExtendExpr>(offset);
    if (memargOffset->getAPInt().isNegative() || !extended || extended->getOperand()->getType()->getIntegerBitWidth() != 32)
        return std::nullopt;
    Type *i64 = offset->getType();
    const SCEV *sum = extended->getOperand(), *constant = memargOffset;
    if (const SCEVConstant *addend = constantAddend(sum)) {
        constant = se.getAddExpr(constant, se.getSignExtendExpr(addend, i64));
        sum = se.getMinusSCEV(sum, addend);
    }
    return WidenedAddress{se.getAddExpr(base, se.getZeroExtendExpr(sum, i64), constant), 0,
                          memargOffset->getAPInt().getSExtValue()};
}

// A 32-bit sum as if it never wrapped: a recurrence's (`sum` set as widenedRecurrence sets it), or
// a fixed one's.
std::optional<WidenedAddress> widenedSum(const SCEV *address, const Loop &loop, ScalarEvolution &se, const SCEV **sum) {
    if (auto widened = widenedRecurrence(address, loop, se, sum)) return widened;
    return widenedInvariant(address, loop, se);
}

// Whether some group is of fixed places (step 0: a frame's words, a state pointed to, a table).
bool hasFixedPlaces(ArrayRef<Group> groups) {
    return any_of(groups, [](const Group &group) { return group.step == 0; });
}

// Lookup tables. For an address that is no recurrence but whose offset from the memory's base
// scalar evolution bounds to a small span (digits[v & 63], or `1024 | v >> 18` as clang folds a
// static table's address), the span's first byte and its length less one, as a group of step 0
// whose range the copy checks like any other.
std::optional<std::pair<const SCEV *, uint64_t>> boundedSpan(const SCEV *address, ScalarEvolution &se) {
    constexpr uint64_t largestTable = 1 << 16;
    const SCEV *base = se.getPointerBase(address);
    ConstantRange offsets = se.getUnsignedRange(se.getMinusSCEV(address, base));
    if (offsets.isFullSet() || offsets.isWrappedSet()) return std::nullopt;
    APInt span = offsets.getUnsignedMax() - offsets.getUnsignedMin();
    if (span.uge(largestTable)) return std::nullopt;
    const SCEV *first = se.getAddExpr(base, se.getConstant(offsets.getUnsignedMin()));
    return std::make_pair(first, span.getZExtValue());
}

// What an access's address adds to the memory's base, below constant displacements: the value
// that computes its offset.
Value *addressIndex(Instruction &access) {
    Value *pointer = getLoadStorePointerOperand(&access);
    while (auto *address = dyn_cast<GetElementPtrInst>(pointer)) {
        if (!address->hasAllConstantIndices()) return address->getNumIndices() == 1 ? address->getOperand(1) : nullptr;
        pointer = address->getPointerOperand();
    }
    return nullptr;
}

bool isLinearMemoryAccess(const Instruction &instruction, const Layout &layout) {
    MDNode *tag = instruction.getMetadata(LLVMContext::MD_tbaa);
    return tag && (tag == layout.memoryStoreTag || tag == layout.memoryLoadTag);
}

// A loop that only copies one group's range to the other's (copy_loops.h). Where the ranges
// overlap, so that the scoped copy may not run, it is one memory copy if they lie the right way
// round.
struct CopyLoop {
    size_t destination, source;
    bool forwards;
};

// A loop's linear-memory accesses that step through it, grouped. `widenOnly` when the loop also
// has accesses at addresses no recurrence describes (data-dependent: `sa[--cnt[rank[tmp[j]]]]`):
// those may alias any group and may trap anywhere, so their loop gets no scopes and keeps its
// order; what versioning still gives it is its 32-bit sums widened (`widenAddresses`), in a copy
// that runs when the groups' ranges are inside the memory, where the widening is exact. The copy
// stays scalar where it stores (`keepTrappingStoreLoopsScalar`: its stores keep their traps).
struct LoopAccesses {
    SmallVector<Group, 4> groups;
    bool widenOnly = false;
    std::optional<CopyLoop> copy;
};

// The loop as a copy between its two groups, if it is one.
std::optional<CopyLoop> asCopyLoop(Loop &loop, ArrayRef<Group> groups, ScalarEvolution &se) {
    if (groups.size() != 2 || groups[0].step != groups[1].step) return std::nullopt;
    size_t destination = groups[0].writes ? 0 : 1, source = 1 - destination;
    auto withOffsets = [](const Group &group) {
        SmallVector<kiln::OffsetAccess, 8> accesses;
        for (size_t i = 0; i < group.members.size(); i++) accesses.push_back({group.members[i], group.offsets[i]});
        return accesses;
    };
    auto forwards = kiln::copyDirection(loop, withOffsets(groups[destination]), withOffsets(groups[source]), groups[0].step, se);
    if (!forwards) return std::nullopt;
    return CopyLoop{destination, source, *forwards};
}

// The groups of a loop's linear-memory accesses, or nothing if the loop is not one to version.
std::optional<LoopAccesses> groupAccesses(Loop &loop, bool singleExit, ScalarEvolution &se, const DataLayout &dl,
                                          const Layout &layout, const SCEV *&memoryBase,
                                          std::optional<MemoryOfLoop> &memory) {
    SmallVector<Group, 4> groups;
    bool irregular = false, stores = false;
    unsigned size = 0;
    memoryBase = nullptr;
    for (BasicBlock *block : loop.blocks()) {
        for (Instruction &instruction : *block) {
            // Kiln's arithmetic-NaN markers are settled before code generation, mostly to nothing.
            if (auto *intrinsic = dyn_cast<IntrinsicInst>(&instruction); intrinsic && intrinsic->getIntrinsicID() == Intrinsic::canonicalize) continue;
            if (++size > largestLoopWithFixedPlaces) return std::nullopt;
            if (auto *call = dyn_cast<CallBase>(&instruction)) {
                // No calls (a call may grow memory or trap), and no intrinsic that touches memory.
                if (!isa<IntrinsicInst>(call) || call->mayReadOrWriteMemory()) return std::nullopt;
                continue;
            }
            if (!isa<LoadInst>(instruction) && !isa<StoreInst>(instruction)) continue;
            // Runtime data (globals, the load witness' cell) is never linear memory; an access
            // that lost its tag might be, and would escape the ranges.
            if (!instruction.getMetadata(LLVMContext::MD_tbaa)) return std::nullopt;
            if (!isLinearMemoryAccess(instruction, layout)) continue;
            bool simple = isa<LoadInst>(instruction) ? cast<LoadInst>(instruction).isSimple() : cast<StoreInst>(instruction).isSimple();
            if (!simple) return std::nullopt;
            stores |= isa<StoreInst>(instruction);
            const SCEV *address = se.getSCEV(getLoadStorePointerOperand(&instruction));
            const SCEV *start = address, *sum = nullptr;
            int64_t step = 0, afterExtension = 0;
            bool wraps32 = false;
            uint64_t width = dl.getTypeStoreSize(getLoadStoreType(&instruction)).getFixedValue();
            // The bytes it may access from `start` on: its width, or a table's span.
            uint64_t extent = width;
            bool dataDependent = false;
            if (auto *recurrence = dyn_cast<SCEVAddRecExpr>(address)) {
                if (recurrence->getLoop() != &loop || !recurrence->isAffine()) return std::nullopt;
                auto *stepConstant = dyn_cast<SCEVConstant>(recurrence->getStepRecurrence(se));
                if (!stepConstant || stepConstant->getAPInt().getSignificantBits() > 32) return std::nullopt;
                step = stepConstant->getAPInt().getSExtValue();
                start = recurrence->getStart();
            } else if (auto widened = widenedSum(address, loop, se, &sum)) {
                start = widened->start;
                step = widened->step;
                afterExtension = widened->afterExtension;
                wraps32 = true;
            } else if (auto table = boundedSpan(address, se)) {
                std::tie(start, extent) = *table;
                extent += width;
            } else if (!se.isLoopInvariant(address, &loop)) {
                dataDependent = true;
            }
            const SCEV *base = se.getPointerBase(address);
            if (memoryBase && base != memoryBase) return std::nullopt;
            memoryBase = base;
            irregular |= dataDependent;
            if (dataDependent) continue;
            Group *home = nullptr;
            int64_t offset = 0;
            for (Group &group : groups) {
                if (group.step != step || group.wraps32 != wraps32) continue;
                auto *distance = dyn_cast<SCEVConstant>(se.getMinusSCEV(start, group.base));
                if (!distance || distance->getAPInt().getSignificantBits() > 32) continue;
                home = &group;
                offset = distance->getAPInt().getSExtValue();
                break;
            }
            if (!home) {
                groups.push_back(Group{start, step, 0, int64_t(extent), false, wraps32});
                home = &groups.back();
            }
            home->lowestOffset = std::min(home->lowestOffset, offset);
            if (wraps32) home->lowestSum = std::min(home->lowestSum, offset - afterExtension);
            home->highestEnd = std::max(home->highestEnd, offset + int64_t(extent));
            home->writes |= isa<StoreInst>(instruction);
            home->members.push_back(&instruction);
            home->offsets.push_back(offset);
            if (sum) {
                home->sums.insert(sum);
                home->sumComputations.insert(addressIndex(instruction));
            }
        }
    }
    bool anyWrites = false, sumsToWiden = false;
    for (Group &group : groups) {
        anyWrites |= group.writes;
        sumsToWiden |= group.sums.size() > 1 || group.sumComputations.size() > 1;
    }
    // A loop that only reads may have its loads reordered freely: whichever traps first, the
    // trap is the same and no store lies between them. It is versioned only for its 32-bit sums,
    // where several accesses a constant distance apart in one array extend different sums
    // (p + 4 and p + 8, rather than one p with displacements 4 and 8 after the extension): each
    // is otherwise an induction variable and an address computation of its own, since
    // zext(p + 4) is not zext(p) + 4 where the sum may wrap (kmeans' distance loop: eight).
    // Where they share one sum, versioning gains an extension per iteration and was seen to
    // lose more: freed of their witness, cpp_matrix_tmpl's min/max loops were SLP-vectorised
    // into shuffles on their critical path (1.19x its time).
    if (groups.empty() || !(anyWrites || sumsToWiden) || !memoryBase) return std::nullopt;
    if (size > largestLoop && !hasFixedPlaces(groups)) return std::nullopt;
    // A loop with several exits that only reads is a search, which mostly ends early, where a
    // check of the whole range would cost more than it saves; and the byte searches and compares
    // of the C library get window prologues of their own, which their scoped copy would escape
    // (window_skipping.h).
    if (!singleExit && !stores) return std::nullopt;
    // With data-dependent accesses, only the sums are worth a copy: an unrolled `tmp[j]` whose
    // four sums were four induction variables beside three arrays' bases spilled bwt_mtf's
    // radix-sort scatter loop.
    if (irregular && !sumsToWiden) return std::nullopt;
    // A copy's memory-copy path stands for the whole loop, which it cannot where the loop may leave early.
    std::optional<CopyLoop> copy = irregular || !singleExit ? std::nullopt : asCopyLoop(loop, groups, se);
    // A downward walk is taken only beside data-dependent accesses, or as a copy. Where every
    // access steps, the walks are short more often than not (fannkuch's flips, i up and j down
    // the same few bytes: 1.39x its time when versioned, the check and the unvectorised copy run
    // for a handful of iterations).
    if (!irregular && !copy && any_of(groups, [](const Group &group) { return group.wraps32 && group.step < 0; }))
        return std::nullopt;
    auto *base = dyn_cast<SCEVUnknown>(memoryBase);
    if (!base || !(memory = kiln::memoryOfBase(base->getValue(), layout.fields))) return std::nullopt;
    return LoopAccesses{groups, irregular, copy};
}

// The bytes a group may access over the whole loop, as offsets from the memory's base; for a group
// of 32-bit sums, also the lowest value a sum takes, as if it never wrapped.
struct Range {
    const SCEV *low, *high;
    const SCEV *lowestSum = nullptr;
};

// The conditions under which the loop may not run as the scoped copy: two groups, one of them
// writing, overlap, or a group reaches past the memory's end. What scalar evolution proves false
// is left out: ranges that are disjoint whatever the loop's inputs, and ranges that end inside the
// memory's declared minimum, which it never shrinks below (static arrays, mostly).
struct Hazards {
    SmallVector<Range, 4> ranges;
    SmallVector<size_t, 4> pastTheEnd;
    // Groups of 32-bit sums that may go below zero: the sum x + k with a negative k wraps when
    // x < -k, and the range taken for it does not hold.
    SmallVector<size_t, 4> belowTheBase;
    SmallVector<std::pair<size_t, size_t>, 4> overlaps;
    // What the trip count assumes, when scalar evolution could count the loop only under
    // conditions (that an induction variable does not wrap, say).
    SmallVector<const SCEVPredicate *, 4> countConditions;
    // Or that its strided exit test counts it (strided_exit_tests.h).
    std::optional<kiln::StridedExitTest> stridedExit;
    // The loop's backedge-taken count, under those conditions; for a loop with several exits, the
    // most it can be (the count of the exits scalar evolution can count), so that the ranges hold
    // every byte the loop may access, wherever it leaves.
    const SCEV *backedges = nullptr;
    // The scoped copy is not to run: only a copy loop's memory-copy path.
    bool onlyAsCopy = false;
    bool none() const {
        return pastTheEnd.empty() && belowTheBase.empty() && overlaps.empty() && countConditions.empty() && !stridedExit &&
               !onlyAsCopy;
    }
};

std::optional<Hazards> findHazards(Loop &loop, bool singleExit, const LoopAccesses &accesses, const SCEV *memoryBase,
                                   MemoryOfLoop memory, ScalarEvolution &se, const Layout &layout) {
    ArrayRef<Group> groups = accesses.groups;
    if (memory.index >= layout.minimumMemoryBytes.size()) return std::nullopt;
    Hazards hazards;
    const SCEV *backedges = singleExit ? se.getBackedgeTakenCount(&loop) : se.getSymbolicMaxBackedgeTakenCount(&loop);
    // A loop whose count holds only under conditions is versioned on them too (clang's
    // `for (i = 0; i + 3 <= n; i += 3)` counts only if i + 3 does not wrap).
    if (isa<SCEVCouldNotCompute>(backedges))
        backedges = singleExit ? se.getPredicatedBackedgeTakenCount(&loop, hazards.countConditions)
                               : se.getPredicatedSymbolicMaxBackedgeTakenCount(&loop, hazards.countConditions);
    if (isa<SCEVCouldNotCompute>(backedges) && (hazards.stridedExit = kiln::findStridedExitTest(loop, se)))
        backedges = hazards.stridedExit->backedgesIfCounted(se);
    if (isa<SCEVCouldNotCompute>(backedges)) return std::nullopt;
    // A count down to a remainder (`while (n >= 4) n -= 4`) is how musl's memcpy and memmove copy
    // words, for copies mostly too short for a scoped copy's checks to pay (log_analytics took
    // 1.04-1.06x its time so); such a loop is taken only as a copy, for its memory-copy path.
    if (hazards.stridedExit && hazards.stridedExit->largestRemainder > 0) {
        if (!accesses.copy || !kiln::exitValuesKnown(loop, backedges, se)) return std::nullopt;
        hazards.onlyAsCopy = true;
    }
    hazards.backedges = backedges;
    if (auto *count = dyn_cast<SCEVConstant>(backedges); count && count->getAPInt().ult(fewestIterations - 1))
        return std::nullopt;  // a count of backedges: one fewer than the iterations
    Type *i64 = Type::getInt64Ty(loop.getHeader()->getContext());
    const SCEV *iterations = se.getTruncateOrZeroExtend(backedges, i64);
    for (const Group &group : groups) {
        const SCEV *travel = se.getMulExpr(se.getConstant(i64, std::abs(group.step)), iterations);
        const SCEV *start = se.getMinusSCEV(group.base, memoryBase);
        const SCEV *low = se.getAddExpr(start, se.getConstant(i64, group.lowestOffset, true));
        const SCEV *high = se.getAddExpr(start, se.getConstant(i64, group.highestEnd, true));
        if (group.step < 0) low = se.getMinusSCEV(low, travel);
        else high = se.getAddExpr(high, travel);
        if (isa<SCEVCouldNotCompute>(low) || isa<SCEVCouldNotCompute>(high)) return std::nullopt;
        const SCEV *lowestSum = nullptr;
        if (group.wraps32) {
            lowestSum = se.getAddExpr(start, se.getConstant(i64, group.lowestSum, true));
            if (group.step < 0) lowestSum = se.getMinusSCEV(lowestSum, travel);
            if (isa<SCEVCouldNotCompute>(lowestSum)) return std::nullopt;
        }
        hazards.ranges.push_back({low, high, lowestSum});
    }
    for (size_t i = 0; i < groups.size(); i++) {
        if (se.getUnsignedRangeMax(hazards.ranges[i].high).ugt(layout.minimumMemoryBytes[memory.index])) hazards.pastTheEnd.push_back(i);
        if (groups[i].wraps32 && !se.isKnownNonNegative(hazards.ranges[i].lowestSum)) hazards.belowTheBase.push_back(i);
        // Without scopes, overlapping groups are only accesses in the program's order.
        if (accesses.widenOnly) continue;
        for (size_t j = i + 1; j < groups.size(); j++) {
            if (!groups[i].writes && !groups[j].writes) continue;
            const Range &a = hazards.ranges[i], &b = hazards.ranges[j];
            if (se.isKnownPredicate(CmpInst::ICMP_ULE, a.high, b.low) || se.isKnownPredicate(CmpInst::ICMP_ULE, b.high, a.low))
                continue;
            hazards.overlaps.push_back({i, j});
        }
    }
    return hazards;
}

// What the versioned loop's preheader tests: `unsafe` when the scoped copy may not run, and, within
// that, `outside` when a range may leave the memory. A loop taken only as a copy has no scoped
// copy to choose: its `unsafe` is null.
struct HazardChecks {
    Value *unsafe, *outside;
};

// Expands offsets from the memory's base (the ends of ranges) as i64 values right before `at`.
struct OffsetExpander {
    SCEVExpander expander;
    Instruction *at;
    OffsetExpander(ScalarEvolution &se, Instruction *at, const char *name)
        : expander(se, at->getModule()->getDataLayout(), name), at(at) {}
    Value *operator()(const SCEV *offset) { return expander.expandCodeFor(offset, Type::getInt64Ty(at->getContext()), at); }
};

// Evaluates the hazards in the loop's preheader.
HazardChecks emitHazardCheck(Loop &loop, const Hazards &hazards, MemoryOfLoop memory, ScalarEvolution &se,
                             const Layout &layout) {
    Instruction *at = loop.getLoopPreheader()->getTerminator();
    OffsetExpander offset(se, at, "kiln.range");
    // Both insert right before `at`, so each value is defined before the compare that uses it.
    IRBuilder<> builder(at);
    Value *unsafe = builder.getFalse();
    for (const SCEVPredicate *condition : hazards.countConditions)
        unsafe = builder.CreateOr(unsafe, offset.expander.expandCodeForPredicate(condition, at));
    if (hazards.stridedExit) unsafe = builder.CreateOr(unsafe, hazards.stridedExit->emitUncounted(at, se));
    if (!hazards.pastTheEnd.empty()) {
        Value *size = kiln::memorySize(memory, builder, layout.fields);
        for (size_t i : hazards.pastTheEnd)
            unsafe = builder.CreateOr(unsafe, builder.CreateICmpUGT(offset(hazards.ranges[i].high), size));
    }
    for (size_t i : hazards.belowTheBase)
        unsafe = builder.CreateOr(unsafe, builder.CreateICmpSLT(offset(hazards.ranges[i].lowestSum), builder.getInt64(0)));
    Value *outside = unsafe;
    if (hazards.onlyAsCopy) return {nullptr, outside};
    for (auto [i, j] : hazards.overlaps) {
        const Range &a = hazards.ranges[i], &b = hazards.ranges[j];
        Value *aLow = offset(a.low), *aHigh = offset(a.high), *bLow = offset(b.low), *bHigh = offset(b.high);
        unsafe = builder.CreateOr(unsafe, builder.CreateAnd(builder.CreateICmpULT(aLow, bHigh), builder.CreateICmpULT(bLow, aHigh)));
    }
    return {unsafe, outside};
}

// A call pays once the loop would store this many times (memmove's set-up and the call against a
// store a cycle).
constexpr uint64_t fewestCopiedStores = 32;
// Shorter copies of a loop that moves 16, 32 or 64 bytes an iteration take the chunk loop
// (copy_loops.h) from this length on. Below it the tests (the memory's size read through three
// dependent loads, four compares) cost about what vector moves save, and most copies are that short (a
// string, a small struct): they go straight to the loop, at one compare. A 200-byte struct
// copied through musl's memcpy (chess_perft's positions) ran 143 instructions in its 32-byte
// word loop, the call was no cheaper (its checks and glibc's dispatch), and with chunks it runs
// 131, in fewer cycles (chess_perft 0.88-0.95 of its time).
constexpr uint64_t fewestChunkedBytes = 64;

// The bytes of one of the loop's iterations where the chunk loop can move them (16, 32 or 64), else 0.
unsigned chunkOf(const Group &stores) {
    uint64_t step = std::abs(stores.step);
    return step == 16 || step == 32 || step == 64 ? unsigned(step) : 0;
}

// Where a copy loop's ranges overlap, so that its scoped copy may not run, gives it one memory copy
// instead of the fallback loop when the ranges are inside the memory, lie the right way round and
// hold enough bytes, and the chunk loop for fewer bytes down to `fewestChunkedBytes` (copy_loops.h).
void addMemoryCopy(Loop &loop, const LoopAccesses &accesses, const Hazards &hazards, BasicBlock *check, Value *outside,
                   MemoryOfLoop memory, const SCEV *memoryBase, ScalarEvolution &se, DominatorTree &dominators,
                   LoopInfo &loops, const Layout &layout) {
    const CopyLoop &copy = *accesses.copy;
    const Group &stores = accesses.groups[copy.destination];
    uint64_t fewestCalledBytes = fewestCopiedStores * std::abs(stores.step) / stores.members.size();
    // The memory's first byte, for the chunk loop's pointers: the context argument or a load of
    // the base before the loop.
    auto *unknownBase = dyn_cast<SCEVUnknown>(memoryBase);
    Value *base = unknownBase ? unknownBase->getValue() : nullptr;
    auto *baseLoad = dyn_cast_or_null<Instruction>(base);
    unsigned chunk = !base || (baseLoad && !dominators.dominates(baseLoad, check)) ? 0 : chunkOf(stores);
    bool chunked = chunk && fewestChunkedBytes < fewestCalledBytes;
    Value *to = nullptr, *from = nullptr, *bytes = nullptr;
    auto tooShort = [&](IRBuilder<> &builder) {
        OffsetExpander offset(se, &*builder.GetInsertPoint(), "kiln.copy");
        const Range &destination = hazards.ranges[copy.destination], &source = hazards.ranges[copy.source];
        to = offset(destination.low);
        from = offset(source.low);
        bytes = offset(se.getMinusSCEV(destination.high, destination.low));
        return builder.CreateICmpULT(bytes, builder.getInt64(chunked ? fewestChunkedBytes : fewestCalledBytes));
    };
    auto unsafe = [&](IRBuilder<> &builder) {
        return builder.CreateOr(outside, kiln::emitWrongWayOverlap(builder, to, from, bytes, copy.forwards));
    };
    auto tooShortForCall = [&](IRBuilder<> &builder) { return builder.CreateICmpULT(bytes, builder.getInt64(fewestCalledBytes)); };
    auto pointers = [&](IRBuilder<> &builder) {
        return std::make_pair(builder.CreateGEP(builder.getInt8Ty(), base, to), builder.CreateGEP(builder.getInt8Ty(), base, from));
    };
    auto length = [&] { return bytes; };
    kiln::ChunkedCopy chunkLoop{chunk, copy.forwards, tooShortForCall, pointers, length};
    kiln::addCopyPath(loop, hazards.backedges, check, se, dominators, loops, {tooShort, unsafe},
                      [&](IRBuilder<> &builder) { kiln::copyWithinMemory(memory, to, from, bytes, builder, layout.fields); },
                      chunked ? &chunkLoop : nullptr);
}

// The loop's masked exit test in a form scalar evolution can count (exit_test_unmasking.h).
ICmpInst *unmaskExitTest(Loop &loop, const DataLayout &dl, ScalarEvolution &se) {
    ICmpInst *original = kiln::unmaskExitTest(dyn_cast<BranchInst>(loop.getExitingBlock()->getTerminator()), dl);
    if (original) se.forgetLoop(&loop);
    return original;
}

// Puts back the exit test that `unmaskExitTest` replaced, if it replaced one.
void restoreExitTest(Loop &loop, ICmpInst *original, ScalarEvolution &se) {
    if (!original) return;
    kiln::restoreExitTest(cast<BranchInst>(loop.getExitingBlock()->getTerminator()), original);
    se.forgetLoop(&loop);
}

// In the copy, rewrites every address that is a 32-bit sum as the 64-bit recurrence it was taken
// for: base + zext(p) + c + step * i, which it equals there (the top of the file). The sums and
// extensions were an instruction or two per access that kept each address out of x86's addressing
// modes and made loops too large for LLVM to unroll (stencil_ptrs' Sobel loop: six loads from
// row pointers, each `zext(row + i + c)`). A group's recurrence is expanded once, and each member
// addresses it at its constant distance, so that the members share one induction variable and
// take their distances as displacements; expanded one by one, each member's start was a
// loop-invariant pointer of its own (32 of them in cpp_matrix_tmpl's unrolled column sum, which
// spilled). The old address arithmetic is left for dead-code elimination. Each member's distance
// is taken from scalar evolution again rather than from the group's `offsets`: the expressions
// this creates are ones the expander then reuses, and without them a dozen benchmark programs'
// hot loops compile differently.
void widenAddresses(ArrayRef<Group> groups, Loop &loop, ScalarEvolution &se) {
    SCEVExpander expander(se, loop.getHeader()->getModule()->getDataLayout(), "kiln.address");
    Type *i64 = Type::getInt64Ty(loop.getHeader()->getContext());
    for (const Group &group : groups) {
        if (!group.wraps32) continue;
        const SCEV *step = se.getConstant(i64, group.step, true);
        Value *groupAddress = nullptr;
        for (Instruction *member : group.members) {
            Value *pointer = getLoadStorePointerOperand(member);
            auto widened = widenedRecurrence(se.getSCEV(pointer), loop, se);
            if (!widened) continue;
            auto *distance = dyn_cast<SCEVConstant>(se.getMinusSCEV(widened->start, group.base));
            if (!distance || widened->step != group.step) continue;
            if (!groupAddress) {
                const SCEV *recurrence = se.getAddRecExpr(group.base, step, &loop, SCEV::FlagAnyWrap);
                groupAddress = expander.expandCodeFor(recurrence, pointer->getType(), &*loop.getHeader()->getFirstInsertionPt());
            }
            IRBuilder<> builder(member);
            Value *address = builder.CreateGEP(builder.getInt8Ty(), groupAddress, distance->getValue(), "kiln.member");
            member->setOperand(isa<LoadInst>(member) ? LoadInst::getPointerOperandIndex() : StoreInst::getPointerOperandIndex(),
                               address);
        }
    }
}

// Replaces the exit test that `unmaskExitTest` made countable, trunc(x) == 0 (or !=), with
// x == its value on the exiting iteration, computed in the preheader: the test LLVM's own
// induction-variable pass would have written. Later instcombines fold the truncation back into a
// mask, which no pass after this one can count, so the copy could be neither unrolled nor
// vectorised (stencil_ptrs' Sobel loop, which counts an i32 index up to zero). Sound because x
// steps without wrapping, so it takes that value only on the exiting iteration.
void countExitTest(Loop &loop, ScalarEvolution &se) {
    auto *branch = cast<BranchInst>(loop.getExitingBlock()->getTerminator());
    auto *compare = dyn_cast<ICmpInst>(branch->getCondition());
    if (!compare || !isa<TruncInst>(compare->getOperand(0))) return;
    Value *x = cast<TruncInst>(compare->getOperand(0))->getOperand(0);
    auto *recurrence = dyn_cast<SCEVAddRecExpr>(se.getSCEV(x));
    const SCEV *backedges = se.getBackedgeTakenCount(&loop);
    if (!recurrence || recurrence->getLoop() != &loop || !recurrence->isAffine() || isa<SCEVCouldNotCompute>(backedges))
        return;
    if (!recurrence->hasNoUnsignedWrap() && !recurrence->hasNoSignedWrap()) return;
    if (recurrence->getStepRecurrence(se)->isZero()) return;
    const SCEV *last = recurrence->evaluateAtIteration(se.getTruncateOrZeroExtend(backedges, x->getType()), se);
    Instruction *at = loop.getLoopPreheader()->getTerminator();
    SCEVExpander expander(se, at->getModule()->getDataLayout(), "kiln.exit");
    Value *end = expander.expandCodeFor(last, x->getType(), at);
    IRBuilder<> builder(compare);
    branch->setCondition(builder.CreateICmp(compare->getPredicate(), x, end));
    if (compare->use_empty()) {
        Instruction *truncated = cast<Instruction>(compare->getOperand(0));
        compare->eraseFromParent();
        if (truncated->use_empty()) truncated->eraseFromParent();
    }
    se.forgetLoop(&loop);
}

MDNode *isVectorized(LLVMContext &context) {
    return MDNode::get(context, {MDString::get(context, "llvm.loop.isvectorized"),
                                 ConstantAsMetadata::get(ConstantInt::get(Type::getInt32Ty(context), 1))});
}

// Marks a loop so that LLVM neither vectorises nor unrolls it.
void markAsFallback(Loop &loop) {
    LLVMContext &context = loop.getHeader()->getContext();
    MDNode *notUnrolled = MDNode::get(context, {MDString::get(context, "llvm.loop.unroll.disable")});
    loop.setLoopID(makePostTransformationMetadata(context, loop.getLoopID(), {"llvm.loop.vectorize.", "llvm.loop.unroll."},
                                                  {isVectorized(context), notUnrolled}));
}

// Keeps every other innermost loop that stores where it may trap from being vectorised. LLVM
// vectorises such a loop behind checks that its pointers' ranges do not overlap and do not wrap,
// never that they are in bounds (trap-ordering alias analysis does not stop that: the vectoriser
// compares addresses by scalar evolution), and a vector store that traps comes after the stores
// of the lanes before it through the other pointers. Unrolling keeps the accesses in order.
void keepTrappingStoreLoopsScalar(Function &function, const Layout &layout) {
    DominatorTree dominators(function);
    LoopInfo loops(dominators);
    kiln::TrappingAccesses trapping{layout.memoryStoreTag, layout.memoryLoadTag,
                                    kiln::existingInBoundsScope(*function.getParent())};
    auto mayTrapStoring = [&](const Instruction &instruction) {
        return isa<StoreInst>(instruction) && trapping.contain(instruction.getAAMetadata());
    };
    for (Loop *loop : loops.getLoopsInPreorder()) {
        if (!loop->isInnermost() || !loop->getLoopLatch()) continue;
        if (none_of(loop->blocks(), [&](BasicBlock *block) { return any_of(*block, mayTrapStoring); })) continue;
        LLVMContext &context = function.getContext();
        loop->setLoopID(makePostTransformationMetadata(context, loop->getLoopID(), {"llvm.loop.vectorize."},
                                                       {isVectorized(context)}));
    }
}

// Tells LLVM that the groups of `loop` access disjoint ranges.
void addScopes(ArrayRef<Group> groups, LLVMContext &context) {
    MDBuilder metadata(context);
    MDNode *domain = metadata.createAnonymousAliasScopeDomain("kiln disjoint ranges");
    SmallVector<Metadata *, 4> scopes;
    for (size_t i = 0; i < groups.size(); i++) scopes.push_back(metadata.createAnonymousAliasScope(domain));
    for (size_t i = 0; i < groups.size(); i++) {
        SmallVector<Metadata *, 4> others;
        for (size_t j = 0; j < groups.size(); j++)
            if (j != i) others.push_back(scopes[j]);
        MDNode *scope = MDNode::get(context, scopes[i]), *disjoint = MDNode::get(context, others);
        for (Instruction *member : groups[i].members) {
            member->setMetadata(LLVMContext::MD_alias_scope,
                                MDNode::concatenate(member->getMetadata(LLVMContext::MD_alias_scope), scope));
            member->setMetadata(LLVMContext::MD_noalias,
                                MDNode::concatenate(member->getMetadata(LLVMContext::MD_noalias), disjoint));
        }
    }
}

// What the loop may assume where its accesses are known to be in bounds and apart (its versioned
// copy, or the loop itself when that holds for every execution): the groups' scopes, the mark
// that lets LLVM reorder the accesses (trap_ordering_alias_analysis.cpp), 64-bit
// addresses, and, where the exit test was unmasked, the counted one.
void rewriteScopedLoop(Loop &loop, const LoopAccesses &accesses, bool exitTestWasMasked, ScalarEvolution &se) {
    ArrayRef<Group> groups = accesses.groups;
    if (!accesses.widenOnly) {
        if (groups.size() > 1) addScopes(groups, loop.getHeader()->getContext());
        MDNode *inBounds = kiln::inBoundsScope(*loop.getHeader()->getModule());
        for (const Group &group : groups)
            for (Instruction *member : group.members) kiln::markInBounds(*member, inBounds);
        if (hasFixedPlaces(groups)) kiln::markForScopedCopyForwarding(*loop.getHeader()->getParent());
    }
    widenAddresses(groups, loop, se);
    if (exitTestWasMasked) countExitTest(loop, se);
}

// Copies `loop` behind the check, which the preheader's terminator now branches on: the original
// runs when it passes. Returns the copy's header.
BasicBlock *version(Loop &loop, Value *unsafe, LoopInfo &loops, DominatorTree &dominators) {
    BasicBlock *check = loop.getLoopPreheader();
    SmallVector<BasicBlock *, 4> exits;
    loop.getUniqueExitBlocks(exits);
    BasicBlock *preheader = SplitBlock(check, check->getTerminator(), &dominators, &loops, nullptr, "kiln.versioned.ph");
    ValueToValueMapTy map;
    SmallVector<BasicBlock *, 8> copies;
    Loop *fallback = cloneLoopWithPreheader(preheader, check, &loop, map, ".kiln.fallback", &loops, &dominators, copies);
    remapInstructionsInBlocks(copies, map);
    // The exits are dedicated (loop-simplify form): each of their phis takes the copy's values too.
    for (BasicBlock *exit : exits) {
        for (PHINode &phi : exit->phis()) {
            for (unsigned i = 0, n = phi.getNumIncomingValues(); i < n; i++) {
                BasicBlock *from = phi.getIncomingBlock(i);
                if (!loop.contains(from)) continue;
                Value *value = phi.getIncomingValue(i);
                Value *copied = map.count(value) ? static_cast<Value *>(map[value]) : value;
                phi.addIncoming(copied, cast<BasicBlock>(map[from]));
            }
        }
    }
    check->getTerminator()->eraseFromParent();
    BranchInst::Create(cast<BasicBlock>(map[preheader]), preheader, unsafe, check);
    markAsFallback(*fallback);
    return fallback->getHeader();
}

// Whether every exit of a loop with several leads on to code: none to a trap (a block that ends in
// `unreachable`: Kiln's explicit traps), so that leaving early is only ever the program's own
// choice (a search that found its value, a decoder that met a bad byte). Where a loop may trap
// partway, its copy would need the trap's place in the order of its stores kept as well.
bool leavesOnlyToCode(const Loop &loop) {
    SmallVector<BasicBlock *, 4> exits;
    loop.getUniqueExitBlocks(exits);
    return none_of(exits, [](BasicBlock *exit) { return isa<UnreachableInst>(exit->getTerminator()); });
}

// Versions one candidate loop of `function` not yet in `seen`; false when none is left.
bool versionOneLoop(Function &function, const Layout &layout, const TargetLibraryInfoImpl &libraryInfo,
                    SmallPtrSetImpl<BasicBlock *> &seen) {
    DominatorTree dominators(function);
    LoopInfo loops(dominators);
    TargetLibraryInfo library(libraryInfo, &function);
    AssumptionCache assumptions(function);
    ScalarEvolution se(function, library, assumptions, dominators, loops);
    for (Loop *loop : loops.getLoopsInPreorder()) {
        if (!loop->isInnermost() || !seen.insert(loop->getHeader()).second) continue;
        bool singleExit = loop->getExitBlock() && loop->getExitingBlock();
        if (!singleExit && !leavesOnlyToCode(*loop)) continue;
        const SCEV *memoryBase = nullptr;
        std::optional<MemoryOfLoop> memory;
        auto accesses = groupAccesses(*loop, singleExit, se, function.getParent()->getDataLayout(), layout, memoryBase, memory);
        if (!accesses) continue;
        simplifyLoop(loop, &dominators, &loops, &se, &assumptions, nullptr, false);
        if (!loop->isLoopSimplifyForm()) continue;
        formLCSSA(*loop, dominators, &loops, &se);
        ICmpInst *maskedExitTest = singleExit && isa<SCEVCouldNotCompute>(se.getBackedgeTakenCount(loop))
                                       ? unmaskExitTest(*loop, function.getParent()->getDataLayout(), se)
                                       : nullptr;
        auto hazards = findHazards(*loop, singleExit, *accesses, memoryBase, *memory, se, layout);
        if (!hazards) {
            restoreExitTest(*loop, maskedExitTest, se);
            continue;
        }
        if (hazards->none()) {
            // Nothing to check at run time: the facts hold for every execution.
            rewriteScopedLoop(*loop, *accesses, maskedExitTest != nullptr, se);
            continue;
        }
        HazardChecks checks = emitHazardCheck(*loop, *hazards, *memory, se, layout);
        BasicBlock *check = loop->getLoopPreheader();
        if (hazards->onlyAsCopy) {
            // No scoped copy: the loop itself, as it is, is the memory-copy path's fallback.
            SplitBlock(check, check->getTerminator(), &dominators, &loops, nullptr, "kiln.copy.ph");
            markAsFallback(*loop);
            addMemoryCopy(*loop, *accesses, *hazards, check, checks.outside, *memory, memoryBase, se, dominators, loops, layout);
            return true;
        }
        seen.insert(version(*loop, checks.unsafe, loops, dominators));
        if (accesses->copy && !hazards->overlaps.empty() && kiln::exitValuesKnown(*loop, hazards->backedges, se))
            addMemoryCopy(*loop, *accesses, *hazards, check, checks.outside, *memory, memoryBase, se, dominators, loops, layout);
        if (hazards->stridedExit) {
            hazards->stridedExit->countByOne(*loop, se);
            se.forgetLoop(loop);
        }
        rewriteScopedLoop(*loop, *accesses, maskedExitTest != nullptr, se);
        return true;
    }
    return false;
}

} // namespace

extern "C" void kiln_version_memory_loops(LLVMModuleRef moduleRef, LLVMMetadataRef memoryStoreTag,
                                          LLVMMetadataRef memoryLoadTag, kiln_memory_fields fields,
                                          const uint64_t *minimumMemoryBytes, unsigned memoryCount) {
    Module &module = *unwrap(moduleRef);
    Layout layout{cast<MDNode>(unwrap(memoryStoreTag)), cast<MDNode>(unwrap(memoryLoadTag)),
                  fields, ArrayRef(minimumMemoryBytes, memoryCount)};
    TargetLibraryInfoImpl libraryInfo(Triple(module.getTargetTriple()));
    for (Function &function : module) {
        // Only a function that accesses memory has loops to version; the rest skip the analyses.
        bool accessesMemory = any_of(instructions(function), [&](const Instruction &instruction) {
            return (isa<LoadInst>(instruction) || isa<StoreInst>(instruction)) && isLinearMemoryAccess(instruction, layout);
        });
        if (!accessesMemory) continue;
        SmallPtrSet<BasicBlock *, 16> seen;
        for (unsigned versioned = 0;
             versioned < mostLoopsPerFunction && versionOneLoop(function, layout, libraryInfo, seen); versioned++) {
        }
        keepTrappingStoreLoopsScalar(function, layout);
    }
}
