/* test_backtrace.c — a trap reports the Wasm functions it unwound through, innermost first, by
 * their names from the name section. Compiled at -O2, so the callees must not be inlined away
 * for the check to be meaningful: the test accepts a frame list that starts at any of them but
 * requires the outermost named function and the order. */
#define _GNU_SOURCE
#include "harness.h"

#include <string.h>

/* Index of name in the trap's frames, or -1. */
static long frame_index(const kiln_error *e, const char *name)
{
    for (size_t n = 0; n < kiln_error_frame_count(e); n++)
        if (strcmp(kiln_error_frame(e, n), name) == 0)
            return (long)n;
    return -1;
}

static void check_trap(kiln_instance *i, const char *export_name, int32_t arg, const char *message,
                       const char *inner, const char *outer)
{
    kiln_val in = { .kind = KILN_I32, .of.i32 = arg }, out;
    kiln_error *err = NULL;
    CHECK(kiln_call(i, export_name, &in, 1, &out, 1, &err) != 0);
    CHECK(err && strcmp(kiln_error_message(err), message) == 0);
    CHECK(kiln_error_frame_count(err) >= 1);
    long outer_at = frame_index(err, outer);
    CHECK(outer_at >= 0);
    long inner_at = frame_index(err, inner);
    /* Either LLVM kept the callee as its own frame (then it is inside the caller), or inlined it. */
    CHECK(inner_at < 0 || inner_at < outer_at);
    kiln_error_free(err);
}

void test_backtrace(void)
{
    kiln_module *m = load(module_path("backtrace"));
    kiln_instance *i = m ? instantiate(m, NULL) : NULL;
    if (!i)
        return;
    check_trap(i, "outer", 70000, "out of bounds memory access", "innermost", "outer");
    check_trap(i, "divide", 0, "integer divide by zero", "divide", "divide_entry");
    /* A call that does not trap still works, and errors that are not traps carry no frames. */
    bool ok = false;
    CHECK(call_i32(i, "divide", 1, 5, 0, &ok) == 9 && ok);
    kiln_error *err = NULL;
    CHECK(kiln_call(i, "missing", NULL, 0, NULL, 0, &err) != 0 && kiln_error_frame_count(err) == 0);
    kiln_error_free(err);
    kiln_instance_free(i);
    kiln_module_release(m);
}
