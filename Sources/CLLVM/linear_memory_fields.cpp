#include "linear_memory_fields.h"

#include <llvm/IR/Module.h>

using namespace llvm;

namespace {

// `pointer` as the value it is a constant offset from and that offset. The lowering's field
// addresses are plain (not inbounds) GEPs (VMContextAccess.fieldAddress).
std::pair<Value *, uint64_t> constantOffsetFrom(Value *pointer, const Module &module) {
    APInt offset(64, 0);
    Value *object = pointer->stripAndAccumulateConstantOffsets(module.getDataLayout(), offset, /*AllowNonInbounds=*/true);
    return {object, offset.getZExtValue()};
}

// The pointer a load reads, as the value it is a constant offset from and that offset.
std::pair<Value *, uint64_t> loadedField(LoadInst *load) {
    return constantOffsetFrom(load->getPointerOperand(), *load->getModule());
}

} // namespace

namespace kiln {

std::optional<MemoryOfBase> memoryOfBase(Value *base, const MemoryFields &fields) {
    if (fields.defined_memory0) {
        // The vmctx is the function's first argument; memory 0 begins a fixed distance past it.
        if (auto *vmctx = dyn_cast<Argument>(base); vmctx && vmctx->getArgNo() == 0)
            return MemoryOfBase{vmctx, 0, fields.defined_memory0};
        if (auto *address = dyn_cast<GetElementPtrInst>(base)) {
            auto [object, offset] = constantOffsetFrom(address, *address->getModule());
            if (auto *vmctx = dyn_cast<Argument>(object); vmctx && vmctx->getArgNo() == 0 && offset == fields.defined_memory0)
                return MemoryOfBase{vmctx, 0, 0};
        }
    }
    auto *baseLoad = dyn_cast<LoadInst>(base);
    if (!baseLoad) return std::nullopt;
    auto [object, field] = loadedField(baseLoad);
    if (auto *vmctx = dyn_cast<Argument>(object); vmctx && field == fields.memory0_base)
        return MemoryOfBase{vmctx, 0, 0};
    auto *memoryLoad = dyn_cast<LoadInst>(object);
    if (!memoryLoad || field != fields.base) return std::nullopt;
    auto [array, element] = loadedField(memoryLoad);
    auto *arrayLoad = dyn_cast<LoadInst>(array);
    if (!arrayLoad || element % sizeof(void *) != 0) return std::nullopt;
    auto [vmctxValue, arrayField] = loadedField(arrayLoad);
    auto *vmctx = dyn_cast<Argument>(vmctxValue);
    if (!vmctx || arrayField != fields.memories) return std::nullopt;
    return MemoryOfBase{vmctx, element / sizeof(void *), 0};
}

Value *memorySize(MemoryOfBase memory, IRBuilder<> &builder, const MemoryFields &fields) {
    Type *pointer = builder.getPtrTy(), *i8 = builder.getInt8Ty();
    Value *memories = builder.CreateLoad(pointer, builder.CreateConstGEP1_64(i8, memory.vmctx, fields.memories));
    Value *object = builder.CreateLoad(pointer, builder.CreateConstGEP1_64(i8, memories, memory.index * sizeof(void *)));
    return builder.CreateLoad(builder.getInt64Ty(), builder.CreateConstGEP1_64(i8, object, fields.size));
}

} // namespace kiln
