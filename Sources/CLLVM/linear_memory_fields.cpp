#include "linear_memory_fields.h"

#include <llvm/IR/Module.h>

using namespace llvm;

namespace {

// The pointer a load reads, as the value it is a constant offset from and that offset (the vmctx's
// fields are at negative offsets from the context pointer: two's complement). The lowering's
// field addresses are plain (not inbounds) GEPs (VMContextAccess.fieldAddress).
std::pair<Value *, uint64_t> loadedField(LoadInst *load) {
    APInt offset(64, 0);
    Value *object = load->getPointerOperand()->stripAndAccumulateConstantOffsets(
        load->getModule()->getDataLayout(), offset, /*AllowNonInbounds=*/true);
    return {object, offset.getZExtValue()};
}

} // namespace

namespace kiln {

std::optional<MemoryOfBase> memoryOfBase(Value *base, const MemoryFields &fields) {
    // The context is the function's first argument.
    if (auto *context = dyn_cast<Argument>(base); context && context->getArgNo() == 0 && fields.memory0_at_context)
        return MemoryOfBase{context, 0};
    auto *baseLoad = dyn_cast<LoadInst>(base);
    if (!baseLoad) return std::nullopt;
    auto [object, field] = loadedField(baseLoad);
    if (auto *vmctx = dyn_cast<Argument>(object); vmctx && field == fields.memory0_base)
        return MemoryOfBase{vmctx, 0};
    auto *memoryLoad = dyn_cast<LoadInst>(object);
    if (!memoryLoad || field != fields.base) return std::nullopt;
    auto [array, element] = loadedField(memoryLoad);
    auto *arrayLoad = dyn_cast<LoadInst>(array);
    if (!arrayLoad || element % sizeof(void *) != 0) return std::nullopt;
    auto [vmctxValue, arrayField] = loadedField(arrayLoad);
    auto *vmctx = dyn_cast<Argument>(vmctxValue);
    if (!vmctx || arrayField != fields.memories) return std::nullopt;
    return MemoryOfBase{vmctx, element / sizeof(void *)};
}

Value *memorySize(MemoryOfBase memory, IRBuilder<> &builder, const MemoryFields &fields) {
    Type *pointer = builder.getPtrTy(), *i8 = builder.getInt8Ty();
    Value *memories = builder.CreateLoad(pointer, builder.CreateConstGEP1_64(i8, memory.vmctx, fields.memories));
    Value *object = builder.CreateLoad(pointer, builder.CreateConstGEP1_64(i8, memories, memory.index * sizeof(void *)));
    return builder.CreateLoad(builder.getInt64Ty(), builder.CreateConstGEP1_64(i8, object, fields.size));
}

void copyWithinMemory(MemoryOfBase memory, Value *destination, Value *source, Value *bytes, IRBuilder<> &builder,
                      const MemoryFields &fields) {
    Type *pointer = builder.getPtrTy(), *i8 = builder.getInt8Ty(), *i32 = builder.getInt32Ty(), *i64 = builder.getInt64Ty();
    Value *entryPoints = builder.CreateLoad(pointer, builder.CreateConstGEP1_64(i8, memory.vmctx, fields.runtime));
    Value *copy = builder.CreateLoad(pointer, builder.CreateConstGEP1_64(i8, entryPoints, fields.memory_copy));
    Value *vmctx = builder.CreateConstGEP1_64(i8, memory.vmctx, fields.vmctx);
    auto *type = FunctionType::get(builder.getVoidTy(), {pointer, i32, i32, i64, i64, i64}, false);
    Value *index = builder.getInt32(uint32_t(memory.index));
    builder.CreateCall(type, copy, {vmctx, index, index, destination, source, bytes});
}

} // namespace kiln
