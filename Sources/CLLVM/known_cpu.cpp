// Whether LLVM knows a CPU name for a target. The C API has no such query, and code generation
// for a name it does not know ends in a fatal error inside LLVM on x86-64 ("64-bit code requested
// on a subtarget that doesn't support it"), so Kiln checks a user's name before using it.
#include "CLLVM.h"

#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>

#include <memory>
#include <string>

extern "C" int kiln_llvm_is_known_cpu(const char *triple, const char *cpu) {
    std::string error;
    const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
    if (!target) return 0;
    std::unique_ptr<llvm::MCSubtargetInfo> info(target->createMCSubtargetInfo(triple, "", ""));
    return info && info->isCPUStringValid(cpu);
}
