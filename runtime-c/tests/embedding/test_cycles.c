/* test_cycles.c — no growth over many load -> instantiate -> call -> free -> release cycles.
 *
 * Each cycle commits 1 MiB of linear memory (touch.so fills it) and maps the shared object anew,
 * so a leak of either, or of any per-module or per-instance bookkeeping, adds up quickly. After a
 * warm-up (allocator and loader steady state), 10,000 cycles must grow RSS by less than 2 MiB.
 *
 * EMBEDDING_CYCLES overrides the count: the leak-checker runs (valgrind, LeakSanitizer) use fewer
 * cycles and skip the RSS bound, which is meaningless under instrumentation. */
#define _GNU_SOURCE
#include "harness.h"

#include <stdlib.h>

#define DEFAULT_CYCLES 10000
#define WARMUP_CYCLES 200
#define MAX_GROWTH (2L * 1024 * 1024)

static bool cycle(const char *path, int32_t seed)
{
    kiln_error *err = NULL;
    kiln_module *m = kiln_module_load(path, &err);
    kiln_instance *i = m ? kiln_instance_new(m, NULL, &err) : NULL;
    bool ok = false;
    if (i) {
        /* touch returns seed + the byte it wrote on each of the 256 pages = seed * 257 (mod 2^8
         * per byte): check it so a cycle that silently did nothing cannot pass. */
        int32_t expect = seed + 256 * (seed & 0xff);
        ok = call_i32(i, "touch", 1, seed, 0, NULL) == expect;
    } else {
        fprintf(stderr, "cycle: %s\n", kiln_error_message(err));
    }
    kiln_error_free(err);
    kiln_instance_free(i);
    kiln_module_release(m);
    return ok;
}

void test_cycles(void)
{
    const char *env = getenv("EMBEDDING_CYCLES");
    int cycles = env ? atoi(env) : DEFAULT_CYCLES;
    const char *path = module_path("touch");
    int warmup = cycles < WARMUP_CYCLES ? cycles : WARMUP_CYCLES, failures = 0;
    for (int k = 0; k < warmup; k++)
        failures += !cycle(path, k);
    long before = rss_bytes();
    for (int k = 0; k < cycles; k++)
        failures += !cycle(path, k);
    long after = rss_bytes();
    fprintf(stderr, "cycles: %d cycles after %d warm-up, RSS %ld KiB -> %ld KiB (%+ld KiB)\n", cycles, warmup,
            before / 1024, after / 1024, (after - before) / 1024);
    CHECK(failures == 0);
    CHECK(!maps_contain(path));
    if (cycles >= DEFAULT_CYCLES && rss_meaningful())
        CHECK(after - before < MAX_GROWTH);
}
