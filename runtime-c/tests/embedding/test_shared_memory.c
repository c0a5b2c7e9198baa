/* test_shared_memory.c — a shared memory (threads) used by instances on several threads at once.
 *
 * The host creates one shared memory and gives it to an instance per thread (shared.wat). They add
 * up slices of one array in parallel and combine the sums with an atomic add; they increment a
 * counter under a mutex built from compare-and-exchange, memory.atomic.wait32 and notify; they
 * count with atomic adds alone. Every result must be exact. Then wait and notify themselves:
 * a sleeper is woken, a wait on a changed value returns at once, a timeout expires no earlier
 * than asked; growth on one instance is seen by another; kiln_instance_interrupt ends a wait
 * with no timeout; and the traps of atomics. */
#define _GNU_SOURCE
#include "harness.h"

#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define WORDS (1 << 20)          /* the array sum_slice adds up: 4 MiB at byte 64 */
#define PASSES 8
#define LOCKED_INCREMENTS 20000
#define ATOMIC_INCREMENTS 100000
#define INITIAL_PAGES 80         /* 64 + the array */

static kiln_memory *memory;
static kiln_module *module;
static pthread_barrier_t start;

static kiln_instance *instance_on_shared_memory(void)
{
    kiln_imports *im = kiln_imports_new();
    kiln_imports_extern(im, "env", "memory", (kiln_extern){ .kind = KILN_EXTERN_MEMORY, .of.memory = memory });
    kiln_instance *i = instantiate(module, im);
    kiln_imports_free(im);
    return i;
}

static void call_void(kiln_instance *i, const char *name, int32_t a)
{
    bool ok;
    call_i32(i, name, 1, a, 0, &ok);
    CHECK(ok);
}

struct job {
    int id;
    int32_t partial; /* what sum_slice returned */
};

static void *worker(void *arg)
{
    struct job *job = arg;
    kiln_instance *i = instance_on_shared_memory();
    pthread_barrier_wait(&start);
    if (!i)
        return NULL;
    int32_t first = job->id * (WORDS / THREADS);
    bool ok;
    /* Three arguments: more than call_i32 takes. */
    kiln_val args[3] = { { .kind = KILN_I32, .of.i32 = first }, { .kind = KILN_I32, .of.i32 = WORDS / THREADS },
                         { .kind = KILN_I32, .of.i32 = PASSES } };
    kiln_val out[1];
    kiln_error *err = NULL;
    ok = kiln_call(i, "sum_slice", args, 3, out, 1, &err) == 0;
    CHECK(ok);
    kiln_error_free(err);
    job->partial = out[0].of.i32;
    call_void(i, "locked_increments", LOCKED_INCREMENTS);
    call_void(i, "atomic_increments", ATOMIC_INCREMENTS);
    kiln_instance_free(i);
    return NULL;
}

static void test_parallel_work(void)
{
    uint8_t *base = kiln_memory_base(memory);
    uint32_t *numbers = (uint32_t *)(base + 64);
    for (uint32_t k = 0; k < WORDS; k++)
        numbers[k] = k * 2654435761u;

    pthread_t threads[THREADS];
    struct job jobs[THREADS];
    pthread_barrier_init(&start, NULL, THREADS);
    for (int k = 0; k < THREADS; k++) {
        jobs[k] = (struct job){ .id = k };
        CHECK(pthread_create(&threads[k], NULL, worker, &jobs[k]) == 0);
    }
    for (int k = 0; k < THREADS; k++)
        pthread_join(threads[k], NULL);
    pthread_barrier_destroy(&start);

    uint64_t total = 0;
    for (int k = 0; k < THREADS; k++) {
        uint32_t partial = 0;
        for (int pass = 0; pass < PASSES; pass++)
            for (uint32_t w = k * (WORDS / THREADS); w < (k + 1) * (WORDS / THREADS); w++)
                partial += numbers[w];
        CHECK((uint32_t)jobs[k].partial == partial);
        total += partial;
    }
    uint64_t shared_total, locked_counter, atomic_counter;
    memcpy(&shared_total, base, 8);
    locked_counter = *(uint32_t *)(base + 12);
    atomic_counter = *(uint32_t *)(base + 20);
    CHECK(shared_total == total);
    CHECK(locked_counter == (uint64_t)THREADS * LOCKED_INCREMENTS);
    CHECK(atomic_counter == (uint64_t)THREADS * ATOMIC_INCREMENTS);
    CHECK(*(uint32_t *)(base + 8) == 0); /* the lock ends free */
}

static _Atomic int sleeper_result = -1;

static void *sleeper(void *arg)
{
    kiln_instance *i = arg;
    bool ok;
    sleeper_result = call_i32(i, "wait_flag", 1, -1, 0, &ok);
    CHECK(ok);
    return NULL;
}

static _Atomic(const char *) interrupted_wait_trap;

static void *endless_sleeper(void *arg)
{
    static char message[64];
    const char *t = call_trap(arg, "wait_flag", 1, -1);
    snprintf(message, sizeof message, "%s", t ? t : "(returned)");
    interrupted_wait_trap = message;
    return NULL;
}

/* A wait with no timeout that nothing notifies ends when the host interrupts its instance, as a
 * loop of interruptible code would, and the instance stays usable. Whether the interrupt comes
 * before the wait starts or during it, the call traps "interrupted". (Runs while the flag is 0.) */
static void test_interrupted_wait(void)
{
    kiln_instance *i = instance_on_shared_memory();
    if (!i)
        return;
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, endless_sleeper, i) == 0);
    usleep(50 * 1000);
    kiln_instance_interrupt(i);
    pthread_join(thread, NULL);
    CHECK(interrupted_wait_trap && strcmp(interrupted_wait_trap, "interrupted") == 0);
    bool ok;
    CHECK(call_i32(i, "wait_flag", 1, 0, 0, &ok) == 2 && ok);
    kiln_instance_free(i);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void test_wait_and_notify(void)
{
    kiln_instance *waiting = instance_on_shared_memory(), *waking = instance_on_shared_memory();
    if (!waiting || !waking)
        return;
    bool ok;
    /* Nobody waits yet. */
    CHECK(call_i32(waking, "notify_flag", 1, 1, 0, &ok) == 0 && ok);

    /* A sleeper with no timeout is woken by a notify from another instance on another thread. */
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, sleeper, waiting) == 0);
    int woken = 0;
    for (int tries = 0; tries < 10000 && woken == 0; tries++) {
        woken = call_i32(waking, "notify_flag", 1, 1, 0, &ok);
        if (!woken)
            usleep(1000);
    }
    pthread_join(thread, NULL);
    CHECK(woken == 1);
    CHECK(sleeper_result == 0);

    /* A timeout expires, and not before its time. */
    double started = seconds_now();
    CHECK(call_i32(waiting, "wait_flag", 1, 30, 0, &ok) == 2 && ok);
    CHECK(seconds_now() - started >= 0.030);
    CHECK(call_i32(waiting, "wait_flag", 1, 0, 0, &ok) == 2 && ok);

    /* Once the value differs from the expected one, wait returns at once. */
    CHECK(call_i32(waking, "set_flag", 1, 1, 0, &ok) == 0 && ok);
    CHECK(call_i32(waiting, "wait_flag", 1, -1, 0, &ok) == 1 && ok);

    /* Growth through one instance is seen by the other and by the host. */
    int32_t pages = call_i32(waking, "size", 0, 0, 0, &ok);
    CHECK(call_i32(waking, "grow", 1, 2, 0, &ok) == pages && ok);
    CHECK(call_i32(waiting, "size", 0, 0, 0, &ok) == pages + 2 && ok);
    CHECK(kiln_memory_bytes(memory) == (uint64_t)(pages + 2) * 65536);

    /* Atomic accesses trap when misaligned (before any bounds check) and out of bounds. */
    const char *t = call_trap(waiting, "read", 1, 2);
    CHECK(t && strcmp(t, "unaligned atomic") == 0);
    t = call_trap(waiting, "read", 1, (pages + 2) * 65536);
    CHECK(t && strcmp(t, "out of bounds memory access") == 0);
    t = call_trap(waiting, "read", 1, (pages + 2) * 65536 + 1);
    CHECK(t && strcmp(t, "unaligned atomic") == 0);
    kiln_instance_free(waiting);
    kiln_instance_free(waking);
}

static void test_unshared(void)
{
    /* The import must be shared exactly as declared. */
    kiln_error *err = NULL;
    kiln_memory *plain = kiln_memory_new(INITIAL_PAGES, 1024, &err);
    kiln_imports *im = kiln_imports_new();
    kiln_imports_extern(im, "env", "memory", (kiln_extern){ .kind = KILN_EXTERN_MEMORY, .of.memory = plain });
    kiln_instance *i = kiln_instance_new(module, im, &err);
    CHECK(i == NULL && err && strstr(kiln_error_message(err), "incompatible"));
    kiln_error_free(err);
    err = NULL;
    kiln_imports_free(im);
    kiln_memory_release(plain);
    CHECK(kiln_memory_new_shared(1, 0, &err) == NULL); /* maximum below minimum */
    kiln_error_free(err);

    /* Waiting on an unshared memory traps after its address checks; notifying finds no one. */
    kiln_module *m = load(module_path("unshared_wait"));
    kiln_instance *u = instantiate(m, NULL);
    bool ok;
    const char *t = call_trap(u, "wait", 1, 0);
    CHECK(t && strcmp(t, "expected shared memory") == 0);
    t = call_trap(u, "wait", 1, 65536);
    CHECK(t && strcmp(t, "out of bounds memory access") == 0);
    t = call_trap(u, "wait", 1, 2);
    CHECK(t && strcmp(t, "unaligned atomic") == 0);
    CHECK(call_i32(u, "notify", 1, 0, 0, &ok) == 0 && ok);
    t = call_trap(u, "notify", 1, 65536);
    CHECK(t && strcmp(t, "out of bounds memory access") == 0);
    kiln_instance_free(u);
    kiln_module_release(m);
}

/* Instances that import a shared memory another instance exported do not join a link group
 * with it: they run on their own threads, each with its own stack limit, so interrupting one
 * must not interrupt the others. */
static void test_exported_shared_memory(void)
{
    kiln_module *owner_module = load(module_path("shared_owner"));
    kiln_instance *owner = instantiate(owner_module, NULL);
    kiln_extern exported;
    CHECK(owner && kiln_instance_export(owner, "memory", &exported) == 0);
    kiln_imports *im = kiln_imports_new();
    kiln_imports_extern(im, "env", "memory", exported);
    kiln_instance *a = instantiate(module, im), *b = instantiate(module, im);
    kiln_imports_free(im);
    bool ok;
    call_i32(a, "set_flag", 1, 0, 0, &ok);
    CHECK(ok);
    kiln_instance_interrupt(a);
    CHECK(call_i32(b, "read", 1, 0, 0, &ok) == 0 && ok);
    const char *trap = call_trap(a, "read", 1, 0);
    CHECK(trap && strcmp(trap, "interrupted") == 0);
    kiln_instance_free(a);
    kiln_instance_free(b);
    kiln_instance_free(owner);
    kiln_module_release(owner_module);
}

void test_shared_memory(void)
{
    kiln_error *err = NULL;
    memory = kiln_memory_new_shared(INITIAL_PAGES, 1024, &err);
    CHECK(memory != NULL);
    module = load(module_path("shared"));
    if (memory && module) {
        test_parallel_work();
        test_interrupted_wait();
        test_wait_and_notify();
        test_unshared();
        test_exported_shared_memory();
    }
    kiln_error_free(err);
    kiln_module_release(module);
    kiln_memory_release(memory);
}
