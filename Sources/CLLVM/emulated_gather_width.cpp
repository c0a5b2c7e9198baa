// Functions whose vector code emulates gathers keep their vectors in the registers the CPU prefers.
//
// Why. Where the loop vectoriser vectorises table lookups without gather instructions (bytes
// cannot be gathered, and Kiln prefers no gathers: TargetMachine.tuning), it computes a vector of
// offsets and takes each lane out to address one scalar load (base64's encoder: `digits[v >> 18]`
// for 32 lanes of input). On x86 CPUs that prefer 256-bit vectors (AVX-512 Xeons), LLVM's
// vectorisers still produce wider vectors, and a function's code generator splits them into
// 256-bit registers only if the function says that nothing in it needs wider ones: clang says so
// of every function ("min-legal-vector-width"="0"); a Kiln function that does not say it keeps
// its wide vectors in 512-bit registers. That pays in arithmetic (matmul's multiply-adds: 0.66x of native's time
// with 256-bit registers, 0.47x with 512) but not in emulated gathers, which are lane traffic:
// base64 took 2.09 s with 512-bit registers, 1.70 s with 256-bit ones (native 1.57-1.69 s),
// the difference all in its encoder. Splitting every function's vectors, as clang does, was
// level over the benchmark suite and three holdout sets (1.039x against 1.031x, 1.086x/1.070x,
// 1.162x/1.172x, 1.207x/1.223x), so only functions with emulated gathers are split.
//
// Why it is exact: the attribute chooses registers, not what the code computes.
//
// It runs after the last IR pass, on the vector code the vectorisers left.
#include "CLLVM.h"

#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

using namespace llvm;

namespace {

// Lanes taken out to address memory before a function counts as emulating a gather: one
// vectorised lookup of eight lanes.
constexpr unsigned fewestAddressLanes = 8;
// How far back through vector operations a lookup's offsets are followed to the data they index by.
constexpr unsigned deepestOffsetComputation = 8;

// Whether `value` is, or is the offset of, the address of a load or store.
bool addressesMemory(const Value &value) {
    return any_of(value.users(), [&](const User *user) {
        if (auto *load = dyn_cast<LoadInst>(user)) return load->getPointerOperand() == &value;
        if (auto *store = dyn_cast<StoreInst>(user)) return store->getPointerOperand() == &value;
        if (auto *address = dyn_cast<GetElementPtrInst>(user))
            return address->getPointerOperand() != &value && addressesMemory(*address);
        return false;
    });
}

// Whether the lanes of vector `value` are computed from a vector load's lanes: a lookup indexed by
// data, rather than addresses a constant stride apart (a splat plus a constant vector), which
// were seen to run faster in 512-bit registers (regex_logs: 1.06x its time split).
bool fromLoadedLanes(const Value &value, unsigned depth = 0) {
    if (!value.getType()->isVectorTy() || depth > deepestOffsetComputation) return false;
    if (isa<LoadInst>(value)) return true;
    auto *instruction = dyn_cast<Instruction>(&value);
    if (!instruction || !(isa<BinaryOperator>(instruction) || isa<CastInst>(instruction) ||
                          isa<ShuffleVectorInst>(instruction) || isa<SelectInst>(instruction)))
        return false;
    return any_of(instruction->operands(), [&](const Use &operand) { return fromLoadedLanes(*operand, depth + 1); });
}

bool emulatesGathers(Function &function) {
    unsigned addressLanes = 0;
    for (Instruction &instruction : instructions(function)) {
        auto *extract = dyn_cast<ExtractElementInst>(&instruction);
        if (extract && addressesMemory(*extract) && fromLoadedLanes(*extract->getVectorOperand()) &&
            ++addressLanes >= fewestAddressLanes)
            return true;
    }
    return false;
}

} // namespace

extern "C" unsigned kiln_split_vectors_of_emulated_gathers(LLVMModuleRef moduleRef) {
    unsigned split = 0;
    for (Function &function : *unwrap(moduleRef)) {
        if (function.isDeclaration() || function.hasFnAttribute("min-legal-vector-width") || !emulatesGathers(function))
            continue;
        function.addFnAttr("min-legal-vector-width", "0");
        split++;
    }
    return split;
}
