/* test_trap_loop.c — traps leave the process healthy. 100,000 trapping calls of every kind (1 in
 * 100 exhausts the call stack, the others trap explicitly or fault in the guard page) must not
 * grow RSS, and the next normal call must succeed. A trap leaves by siglongjmp, so anything the
 * runtime allocated on the way in, or any signal state it changed, would show up here. */
#define _GNU_SOURCE
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define TRAPS 100000
#define WARMUP 1000
#define MAX_GROWTH (1L * 1024 * 1024)

static const char *const expected[] = {
    "unreachable", "integer divide by zero", "out of bounds memory access", "uninitialized element",
    "call stack exhausted",
};

static bool trap_once(kiln_instance *i, int n)
{
    int32_t kind = n % 100 == 99 ? 4 : n % 4;
    kiln_val in = { .kind = KILN_I32, .of.i32 = kind }, out;
    kiln_error *err = NULL;
    bool ok = kiln_call(i, "trap", &in, 1, &out, 1, &err) != 0 && kiln_error_is_trap(err) &&
              strcmp(kiln_error_message(err), expected[kind]) == 0;
    kiln_error_free(err);
    return ok;
}

void test_trap_loop(void)
{
    const char *env = getenv("EMBEDDING_CYCLES");
    int traps = env ? atoi(env) * 10 : TRAPS;
    kiln_module *m = load(module_path("traps"));
    kiln_instance *i = m ? instantiate(m, NULL) : NULL;
    if (!i)
        return;
    int wrong = 0;
    for (int n = 0; n < WARMUP; n++)
        wrong += !trap_once(i, n);
    long before = rss_bytes();
    for (int n = 0; n < traps; n++)
        wrong += !trap_once(i, n);
    long growth = rss_bytes() - before;
    CHECK(wrong == 0);
    if (rss_meaningful()) {
        if (growth >= MAX_GROWTH)
            fprintf(stderr, "trap loop: RSS grew by %ld KiB over %d traps\n", growth / 1024, traps);
        CHECK(growth < MAX_GROWTH);
    }
    bool ok = false;
    CHECK(call_i32(i, "ok", 1, 41, 0, &ok) == 42 && ok);
    kiln_instance_free(i);
    kiln_module_release(m);
}
