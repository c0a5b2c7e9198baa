/* test_stack_limit.c — kiln_thread_max_stack caps the native stack Wasm code may use on the
 * calling thread: recursion that fits the default stack traps "call stack exhausted" under a
 * small cap, shallow calls still run, the instance stays usable, and removing the cap gives the
 * deep recursion back. */
#define _GNU_SOURCE
#include "harness.h"

#include <string.h>

/* Deep enough to need far more than the cap below (every frame is at least 16 bytes), shallow
 * enough for the default stack of the test's main thread (8 MiB, less the runtime's margin). */
#define DEEP 20000
#define CAP (64 * 1024)

static bool depth_traps(kiln_instance *i, int32_t n)
{
    kiln_val in = { .kind = KILN_I32, .of.i32 = n }, out;
    kiln_error *err = NULL;
    bool trapped = kiln_call(i, "depth", &in, 1, &out, 1, &err) != 0 && kiln_error_is_trap(err) &&
                   strcmp(kiln_error_message(err), "call stack exhausted") == 0;
    kiln_error_free(err);
    return trapped;
}

void test_stack_limit(void)
{
    kiln_module *m = load(module_path("traps"));
    kiln_instance *i = m ? instantiate(m, NULL) : NULL;
    if (!i)
        return;
    bool ok = false;
    CHECK(call_i32(i, "depth", 1, DEEP, 0, &ok) == DEEP && ok);

    CHECK(kiln_thread_max_stack(CAP) == CAP);
    CHECK(depth_traps(i, DEEP));
    CHECK(call_i32(i, "depth", 1, 100, 0, &ok) == 100 && ok);
    CHECK(depth_traps(i, DEEP));

    /* No cap: the whole stack again, and more than the cap. */
    CHECK(kiln_thread_max_stack(0) > CAP);
    CHECK(call_i32(i, "depth", 1, DEEP, 0, &ok) == DEEP && ok);
    /* A cap larger than the thread's stack leaves the default. */
    size_t whole = kiln_thread_max_stack(0);
    CHECK(kiln_thread_max_stack((size_t)1 << 40) == whole);
    kiln_thread_max_stack(0);
    kiln_instance_free(i);
    kiln_module_release(m);
}
