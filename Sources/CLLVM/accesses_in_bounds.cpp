#include "accesses_in_bounds.h"
#include "CLLVM.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/IR/Instruction.h>
#include <llvm/IR/MDBuilder.h>

using namespace llvm;

namespace {
constexpr const char *scopeHolder = "kiln.accesses.in.bounds";
}

MDNode *kiln::existingInBoundsScope(const Module &module) {
    const NamedMDNode *holder = module.getNamedMetadata(scopeHolder);
    return holder && holder->getNumOperands() == 1 ? holder->getOperand(0) : nullptr;
}

MDNode *kiln::inBoundsScope(Module &module) {
    if (MDNode *scope = existingInBoundsScope(module)) return scope;
    MDBuilder metadata(module.getContext());
    MDNode *scope = metadata.createAnonymousAliasScope(
        metadata.createAnonymousAliasScopeDomain("kiln accesses in bounds"), "in bounds");
    module.getOrInsertNamedMetadata(scopeHolder)->addOperand(scope);
    return scope;
}

void kiln::markInBounds(Instruction &access, MDNode *scope) {
    access.setMetadata(LLVMContext::MD_alias_scope,
                       MDNode::concatenate(access.getMetadata(LLVMContext::MD_alias_scope),
                                           MDNode::get(access.getContext(), scope)));
}

bool kiln::isMarkedInBounds(const AAMDNodes &tags, const MDNode *scope) {
    return scope && tags.Scope && is_contained(tags.Scope->operands(), scope);
}

extern "C" int kiln_is_marked_in_bounds(LLVMValueRef accessRef) {
    auto *access = dyn_cast<Instruction>(unwrap(accessRef));
    return access && kiln::isMarkedInBounds(access->getAAMetadata(), kiln::existingInBoundsScope(*access->getModule()));
}
