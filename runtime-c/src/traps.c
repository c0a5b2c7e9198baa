/* traps.c — the trap-code -> message table and the noreturn unwinding to the armed call frame. */
#include "internal.h"

#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>

/* The spec test suite's wording, so `assert_trap` messages compare equal. */
static const char *const trap_messages[KILN_TRAP_CODE_COUNT] = {
    [KILN_TRAP_NONE] = "no trap",
    [KILN_TRAP_UNREACHABLE] = "unreachable",
    [KILN_TRAP_INT_DIVIDE_BY_ZERO] = "integer divide by zero",
    [KILN_TRAP_INT_OVERFLOW] = "integer overflow",
    [KILN_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
    [KILN_TRAP_MEMORY_OUT_OF_BOUNDS] = "out of bounds memory access",
    [KILN_TRAP_TABLE_OUT_OF_BOUNDS] = "out of bounds table access",
    [KILN_TRAP_UNDEFINED_ELEMENT] = "undefined element",
    [KILN_TRAP_UNINITIALIZED_ELEMENT] = "uninitialized element",
    [KILN_TRAP_INDIRECT_CALL_MISMATCH] = "indirect call type mismatch",
    [KILN_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
    [KILN_TRAP_NULL_REFERENCE] = "null reference",
    [KILN_TRAP_HOST] = "host function failed",
    [KILN_TRAP_EXIT] = "exit",
    [KILN_TRAP_NULL_EXCEPTION] = "null exception reference",
    [KILN_TRAP_NULL_FUNCTION_REFERENCE] = "null function reference",
    [KILN_TRAP_OUT_OF_MEMORY] = "out of memory",
    [KILN_TRAP_INTERRUPTED] = "interrupted",
    [KILN_TRAP_UNKNOWN_IMPORT] = "call to an unknown import",
    [KILN_TRAP_OUT_OF_FUEL] = "all fuel consumed",
    [KILN_TRAP_UNALIGNED_ATOMIC] = "unaligned atomic",
    [KILN_TRAP_EXPECTED_SHARED_MEMORY] = "expected shared memory",
};

void kiln__backtrace_warm_up(void)
{
    void *pc[1];
    backtrace(pc, 1);
}

const char *kiln__trap_message(uint32_t code)
{
    if (code < KILN_TRAP_CODE_COUNT && trap_messages[code])
        return trap_messages[code];
    return "unknown trap";
}

void kiln__raise(uint32_t code, int exit_status)
{
    kiln_call_frame *f = kiln__tls.top;
    if (KILN_UNLIKELY(!f)) {
        /* Only code entered through kiln__invoke can trap; anything else is a runtime bug. */
        fprintf(stderr, "kiln: trap \"%s\" outside any Wasm call\n", kiln__trap_message(code));
        abort();
    }
    if (code == KILN_TRAP_NONE) /* the frame uses 0 for "no trap" */
        code = KILN_TRAP_UNREACHABLE;
    f->trap_code = code;
    f->exit_status = exit_status;
    /* The stack still holds the Wasm frames here (the fault handler runs on the alternate stack
     * and unwinds through the signal frame); after the siglongjmp they are gone. */
    f->backtrace_length = code == KILN_TRAP_EXIT ? 0 : backtrace(f->backtrace, KILN_BACKTRACE_MAX);
    siglongjmp(f->jb, 1);
}

void kiln__rt_trap(kiln_vmctx *vm, uint32_t code)
{
    (void)vm;
    kiln__raise(code, 0);
}
