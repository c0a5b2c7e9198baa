/* The parts of the LLVM 19 C API that Kiln uses. */
#pragma once
#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h> /* temporary metadata nodes, for self-referential loop IDs */
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#ifdef __cplusplus
extern "C" {
#endif
/* Nonzero when LLVM's target for `triple` knows the CPU name `cpu` (known_cpu.cpp). */
int kiln_llvm_is_known_cpu(const char *triple, const char *cpu);
/* Where generated code finds the linear memories, as kiln_abi.h lays them out: the offsets from
 * the context pointer of the vmctx's memory0_base (an imported memory 0's base) and memories
 * (negative, as two's complement), kiln_memory's base and size, and whether the module defines
 * its memory 0, which then begins at the context pointer. For copying between them, as
 * memory.copy does: the offsets from the context pointer of the kiln_vmctx itself and of its
 * runtime entry points, and of memory_copy among those entry points. */
typedef struct kiln_memory_fields {
    uint64_t memory0_base, memories, base, size;
    uint32_t memory0_at_context;
    uint64_t vmctx, runtime, memory_copy;
} kiln_memory_fields;
/* Versions the innermost loops of `module` that access linear memory through several pointers
 * behind a check that their ranges are disjoint and inside the memory (memory_loop_versioning.cpp).
 * The tags are AliasTags' for linear-memory stores and loads; memory i is never smaller than
 * `minimumMemoryBytes[i]`, for each of the module's `memoryCount` memories. */
void kiln_version_memory_loops(LLVMModuleRef module, LLVMMetadataRef memoryStoreTag, LLVMMetadataRef memoryLoadTag,
                               kiln_memory_fields fields, const uint64_t *minimumMemoryBytes, unsigned memoryCount);
/* Whether `access` carries the module's in-bounds mark (accesses_in_bounds.h): it is in a loop
 * copy that runs only when every access of the loop is inside the memory, so it cannot trap. */
int kiln_is_marked_in_bounds(LLVMValueRef access);
/* Gives the loops of `module` that walk two byte arrays of linear memory until they differ a
 * vector prologue that skips equal 16-byte windows in bounds (byte_compare_loops.cpp); the tag and
 * fields as for kiln_version_memory_loops. Run after the last IR pass. Returns the loops changed. */
unsigned kiln_skip_equal_bytes(LLVMModuleRef module, LLVMMetadataRef memoryLoadTag, kiln_memory_fields fields);
/* Marks the same loops not to be unrolled, before the loop passes: an unrolled copy compares several
 * byte pairs per iteration, a shape kiln_skip_equal_bytes does not take. Returns the loops marked. */
unsigned kiln_keep_byte_compare_loops_rolled(LLVMModuleRef module, LLVMMetadataRef memoryLoadTag, kiln_memory_fields fields);
/* Gives the loops of `module` that walk one array of linear memory until a byte equals a value
 * (strlen, memchr) a vector prologue that skips 16-byte windows without it (byte_search_loops.cpp);
 * the tag and fields as for kiln_version_memory_loops. Run after the last IR pass. Returns the loops
 * changed. */
unsigned kiln_skip_bytes_searched_for(LLVMModuleRef module, LLVMMetadataRef memoryLoadTag, kiln_memory_fields fields);
/* Marks the same loops not to be unrolled, before the loop passes. Returns the loops marked. */
unsigned kiln_keep_byte_search_loops_rolled(LLVMModuleRef module, LLVMMetadataRef memoryLoadTag, kiln_memory_fields fields);
/* Folds clang's range test around each C cast from float to a signed integer (`fabs(x) < 2^(N-1) ?
 * trunc(x) : INT_MIN`, and what the optimiser made of it) into x86's truncating conversion, which
 * gives INT_MIN where the test fails (guarded_float_to_int.cpp). Run after the last IR pass.
 * Returns the tests folded. */
unsigned kiln_fold_guarded_float_to_int(LLVMModuleRef module);
/* Marks each function of `module` whose vector code takes lanes out to address loads and stores
 * (emulated gathers) as needing no vector wider than the CPU prefers, as clang marks every
 * function, so that x86 keeps its vectors in 256-bit registers where the CPU prefers them
 * (emulated_gather_width.cpp). Run after the last IR pass. Returns the functions marked. */
unsigned kiln_split_vectors_of_emulated_gathers(LLVMModuleRef module);
/* Rewrites every switch of at most `maximumCases` cases into compares and branches, which LLVM's
 * fast instruction selector selects (small_switch_lowering.cpp). */
void kiln_lower_small_switches(LLVMModuleRef module, unsigned maximumCases);
/* Moves the interrupt check (a load carrying metadata `kindName`) out of each counted innermost
 * loop of `module` into a loop around it that runs the check once per `chunkIterations`
 * iterations, and puts every other loop's check behind a per-function tick budget of
 * `chunkIterations` (interrupt_check_strip_mining.cpp). */
void kiln_strip_mine_interrupt_checks(LLVMModuleRef module, const char *kindName, uint32_t chunkIterations);
/* Runs `passes` as LLVMRunPasses does, with alias analysis that never lets a linear-memory access
 * that may trap (one carrying `memoryStoreTag` or `memoryLoadTag`, AliasTags') move past another
 * access to memory the host can see (trap_ordering_alias_analysis.cpp). */
LLVMErrorRef kiln_run_passes_ordering_traps(LLVMModuleRef module, const char *passes, LLVMTargetMachineRef machine,
                                            LLVMMetadataRef memoryStoreTag, LLVMMetadataRef memoryLoadTag);
/* How many accesses kiln_order_trapping_accesses made volatile, and how many of those only the
 * addresses' scalar evolution showed to be neighbours of another. */
typedef struct {
    uint32_t madeVolatile;
    uint32_t foundByScalarEvolution;
} kiln_trap_ordering_counts;
/* Makes the linear-memory accesses of `module` that may trap volatile, so that the code generator
 * keeps them in order too; run after the last IR pass. */
kiln_trap_ordering_counts kiln_order_trapping_accesses(LLVMModuleRef module, LLVMMetadataRef memoryStoreTag,
                                                       LLVMMetadataRef memoryLoadTag);
#ifdef __cplusplus
}
#endif
