/* test_threads.c — instances on several threads at once; a trap on one thread touches no other.
 *
 * Each worker thread loads the module (concurrent loads share the loader and the runtime's
 * registries), creates its own instance and runs a long loop over its memory, checking every
 * result. One more thread traps over and over, in every way a trap can arrive: an explicit trap,
 * a fault in the guard region, and stack exhaustion. The traps must unwind only their own thread,
 * and every worker result must stay exact. */
#define _GNU_SOURCE
#include "harness.h"

#include <pthread.h>
#include <string.h>

#define WORKERS 3
#define ITERATIONS 200
#define ROUNDS 50

static _Atomic int workers_running;
/* Every thread has loaded and instantiated before any starts calling, so the calls overlap. */
static pthread_barrier_t start;

/* The sum "work" computes: ROUNDS rounds over 1024 words holding seed .. seed+1023. */
static int32_t expected_work(int32_t seed)
{
    uint32_t sum = 0;
    for (int r = 0; r < ROUNDS; r++)
        for (uint32_t k = 0; k < 1024; k++)
            sum += (uint32_t)seed + k;
    return (int32_t)sum;
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    kiln_module *m = load(module_path("worker"));
    kiln_instance *i = instantiate(m, NULL);
    int wrong = 0;
    pthread_barrier_wait(&start);
    for (int k = 0; k < ITERATIONS && i; k++) {
        int32_t seed = id * 100000 + k;
        bool ok;
        if (call_i32(i, "work", 2, seed, ROUNDS, &ok) != expected_work(seed) || !ok)
            wrong++;
        /* This thread's own traps leave its instance usable too. */
        if (k % 50 == 0) {
            const char *t = call_trap(i, "divide", 2, 1);
            if (!t || strcmp(t, "integer divide by zero") != 0)
                wrong++;
        }
    }
    CHECK(wrong == 0);
    kiln_instance_free(i);
    kiln_module_release(m);
    workers_running--;
    return NULL;
}

static void *trapper(void *arg)
{
    (void)arg;
    kiln_module *m = load(module_path("worker"));
    kiln_instance *i = instantiate(m, NULL);
    int wrong = 0, traps = 0;
    pthread_barrier_wait(&start);
    /* Keep trapping for as long as any worker is running, so traps overlap their calls. */
    while (i && (traps == 0 || workers_running > 0)) {
        const char *t = call_trap(i, "unreachable", 0, 0);
        wrong += !t || strcmp(t, "unreachable") != 0;
        t = call_trap(i, "out_of_bounds", 0, 0);
        wrong += !t || strcmp(t, "out of bounds memory access") != 0;
        if (traps % 8 == 0) {
            t = call_trap(i, "recurse", 1, 0);
            wrong += !t || strcmp(t, "call stack exhausted") != 0;
        }
        traps++;
    }
    CHECK(wrong == 0);
    CHECK(traps > 0);
    /* After all that, this instance still computes. */
    bool ok;
    CHECK(call_i32(i, "work", 2, 5, ROUNDS, &ok) == expected_work(5) && ok);
    kiln_instance_free(i);
    kiln_module_release(m);
    return NULL;
}

void test_threads(void)
{
    pthread_t workers[WORKERS], trap_thread;
    workers_running = WORKERS;
    pthread_barrier_init(&start, NULL, WORKERS + 1);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    /* A small stack, so stack exhaustion comes quickly and is caught on a non-main thread. */
    pthread_attr_setstacksize(&attr, 512 * 1024);
    CHECK(pthread_create(&trap_thread, &attr, trapper, NULL) == 0);
    for (int k = 0; k < WORKERS; k++)
        CHECK(pthread_create(&workers[k], NULL, worker, (void *)(intptr_t)k) == 0);
    for (int k = 0; k < WORKERS; k++)
        pthread_join(workers[k], NULL);
    pthread_join(trap_thread, NULL);
    pthread_attr_destroy(&attr);
    pthread_barrier_destroy(&start);
}
