/* test_host.c — host functions: calling back into Wasm, reading and writing the caller's memory,
 * and trapping (directly, or because the Wasm they called back into trapped). */
#define _GNU_SOURCE
#include "harness.h"

#include <ctype.h>
#include <string.h>

/* reenter(x): returns square(x) computed by the calling instance. x == -1 asks it to call
 * "unreachable" instead: that inner trap must stop at the inner entry and come back here as an
 * error, which this function then reports as its own failure (the outer call traps). */
static int reenter(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results)
{
    int *depth_seen = env;
    kiln_error *err = NULL;
    if (args[0].of.i32 == -1) {
        int rc = kiln_call(caller, "unreachable", NULL, 0, NULL, 0, &err);
        *depth_seen = rc != 0 && kiln_error_is_trap(err) && strcmp(kiln_error_message(err), "unreachable") == 0;
        kiln_error_free(err);
        return 1;
    }
    kiln_val in = { .kind = KILN_I32, .of.i32 = args[0].of.i32 }, out;
    if (kiln_call(caller, "square", &in, 1, &out, 1, &err) != 0) {
        kiln_error_free(err);
        return 1;
    }
    results[0].of.i32 = out.of.i32;
    return 0;
}

/* upcase(ptr, len): edits the caller's memory in place. */
static int upcase(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results)
{
    (void)env, (void)results;
    uint8_t *mem = kiln_memory_data(caller, 0);
    uint64_t size = kiln_memory_size(caller, 0);
    uint32_t ptr = (uint32_t)args[0].of.i32, len = (uint32_t)args[1].of.i32;
    if (!mem || (uint64_t)ptr + len > size)
        return 1; /* a host checks bounds itself: out of range traps the caller */
    for (uint32_t k = 0; k < len; k++)
        mem[ptr + k] = (uint8_t)toupper(mem[ptr + k]);
    return 0;
}

/* fail(x): refuses when x != 0. */
static int fail(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results)
{
    (void)env, (void)caller, (void)results;
    return args[0].of.i32 != 0;
}

void test_host(void)
{
    static int inner_trap_seen;
    kiln_imports *im = kiln_imports_new();
    kiln_valkind i1[] = { KILN_I32 }, i2[] = { KILN_I32, KILN_I32 };
    CHECK(kiln_imports_func(im, "env", "reenter", i1, 1, i1, 1, reenter, &inner_trap_seen) == 0);
    CHECK(kiln_imports_func(im, "env", "upcase", i2, 2, NULL, 0, upcase, NULL) == 0);
    CHECK(kiln_imports_func(im, "env", "fail", i1, 1, NULL, 0, fail, NULL) == 0);
    kiln_module *m = load(module_path("host"));
    kiln_instance *i = instantiate(m, im);
    kiln_instance *other = instantiate(m, im);
    /* The instance keeps what it needs from the imports object. */
    kiln_imports_free(im);
    if (!i || !other)
        return;

    bool ok;
    CHECK(call_i32(i, "via_host", 1, 7, 0, &ok) == 50 && ok);

    /* Host writes to the caller's memory are what Wasm reads next, and only in that instance. */
    CHECK(call_i32(i, "upcase", 1, 5, 0, &ok) == 'H' && ok);
    CHECK(memcmp(kiln_memory_data(i, 0) + 64, "HELLO, host", 11) == 0);
    CHECK(memcmp(kiln_memory_data(other, 0) + 64, "hello, host", 11) == 0);
    const char *t = call_trap(i, "upcase", 1, 70000);
    CHECK(t && strcmp(t, "host function failed") == 0);

    /* A host failure traps the Wasm caller before its next instruction. */
    CHECK(call_i32(i, "guarded", 1, 0, 0, &ok) == 1 && ok);
    t = call_trap(i, "guarded", 1, 1);
    CHECK(t && strcmp(t, "host function failed") == 0);
    CHECK(call_i32(i, "guarded", 1, 0, 0, &ok) == 2 && ok);

    /* A trap in Wasm called back from the host unwinds to the host, not past it. */
    t = call_trap(i, "via_host", 1, -1);
    CHECK(inner_trap_seen == 1);
    CHECK(t && strcmp(t, "host function failed") == 0);
    CHECK(call_i32(i, "via_host", 1, 3, 0, &ok) == 10 && ok);
    CHECK(call_i32(other, "via_host", 1, 4, 0, &ok) == 17 && ok);

    kiln_instance_free(i);
    kiln_instance_free(other);
    kiln_module_release(m);
}
