// GVN once more, after memory-loop versioning, in the functions it marked.
//
// Why. The simplification pipeline's GVN runs before loops are versioned, when all of linear
// memory is one object: a function's frame in the shadow stack (the arrays clang keeps there,
// such as keccak's b, c and d) may be where any pointer points, and every access may trap, so
// no store to the frame reaches a load of it across a store through a pointer. A versioned loop's
// scoped copy knows its groups apart and in bounds (memory_loop_versioning.cpp), and where a
// group is fixed places (step 0), that is what GVN needs to forward its stores to its loads and
// LICM to keep them in registers; the loop pipeline that follows has LICM but no GVN. Only the
// marked functions pay for the pass: it costs what the first pipeline's GVN costs on them.
//
// Why it keeps traps exact. It is the first pipeline's GVN under the same trap-ordering alias
// analysis: what it may move in the copy are accesses marked in bounds, and elsewhere what it
// could move before.
#include "CLLVM.h"
#include "scoped_copy_forwarding.h"

#include <llvm/Transforms/Scalar/GVN.h>

using namespace llvm;

namespace {

constexpr const char *forwardingRequest = "kiln-scoped-copy-forwarding";

class ScopedCopyForwarding : public PassInfoMixin<ScopedCopyForwarding> {
  public:
    PreservedAnalyses run(Function &function, FunctionAnalysisManager &analyses) {
        if (!function.hasFnAttribute(forwardingRequest)) return PreservedAnalyses::all();
        // The request is not code: it leaves with the pass, whatever GVN finds.
        function.removeFnAttr(forwardingRequest);
        return GVNPass().run(function, analyses);
    }
};

} // namespace

void kiln::markForScopedCopyForwarding(Function &function) { function.addFnAttr(forwardingRequest); }

void kiln::registerScopedCopyForwarding(PassBuilder &builder) {
    builder.registerPipelineParsingCallback(
        [](StringRef name, FunctionPassManager &passes, ArrayRef<PassBuilder::PipelineElement>) {
            if (name != forwardingRequest) return false;
            passes.addPass(ScopedCopyForwarding());
            return true;
        });
}
