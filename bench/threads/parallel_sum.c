/* parallel_sum.c — Kiln's side of scripts/bench-threads: instances on THREADS threads share one
 * memory and add up slices of one array (shared.wat's sum_slice), PASSES times over.
 *
 *   parallel_sum MODULE.so THREADS PASSES      prints the milliseconds the parallel part took
 *
 * Every instance is created before the clock starts; the clock runs from the moment all threads
 * are released to the last join. Exits non-zero when the shared total is not the exact sum. */
#define _GNU_SOURCE
#include "kiln.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORDS (1u << 22) /* 16 MiB of numbers at byte 64 */
#define MAX_THREADS 64

static kiln_module *module;
static kiln_memory *memory;
static pthread_barrier_t start;
static unsigned threads, passes;

struct job {
    kiln_instance *instance;
    unsigned id;
    int failed;
};

static kiln_instance *instance_on_shared_memory(void)
{
    kiln_error *err = NULL;
    kiln_imports *im = kiln_imports_new();
    kiln_imports_extern(im, "env", "memory", (kiln_extern){ .kind = KILN_EXTERN_MEMORY, .of.memory = memory });
    kiln_instance *i = kiln_instance_new(module, im, &err);
    kiln_imports_free(im);
    if (!i) {
        fprintf(stderr, "parallel_sum: %s\n", kiln_error_message(err));
        exit(1);
    }
    return i;
}

static int call(kiln_instance *i, const char *name, int32_t a, int32_t b, int32_t c, int nargs)
{
    kiln_val args[3] = { { .kind = KILN_I32, .of.i32 = a }, { .kind = KILN_I32, .of.i32 = b },
                         { .kind = KILN_I32, .of.i32 = c } };
    kiln_val out[1];
    kiln_error *err = NULL;
    if (kiln_call(i, name, args, (size_t)nargs, out, strcmp(name, "fill") ? 1 : 0, &err) != 0) {
        fprintf(stderr, "parallel_sum: %s: %s\n", name, kiln_error_message(err));
        kiln_error_free(err);
        return -1;
    }
    return 0;
}

static void *worker(void *arg)
{
    struct job *job = arg;
    unsigned slice = WORDS / threads;
    pthread_barrier_wait(&start);
    job->failed = call(job->instance, "sum_slice", (int32_t)(job->id * slice), (int32_t)slice, (int32_t)passes, 3);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (threads = (unsigned)atoi(argv[2])) == 0 || threads > MAX_THREADS || WORDS % threads
        || (passes = (unsigned)atoi(argv[3])) == 0) {
        fprintf(stderr, "usage: parallel_sum MODULE.so THREADS PASSES (THREADS dividing %u, at most %d)\n", WORDS,
                MAX_THREADS);
        return 2;
    }
    kiln_error *err = NULL;
    module = kiln_module_load(argv[1], &err);
    memory = module ? kiln_memory_new_shared(1 + WORDS * 4 / 65536, 1024, &err) : NULL;
    if (!module || !memory) {
        fprintf(stderr, "parallel_sum: %s\n", kiln_error_message(err));
        return 1;
    }
    struct job jobs[MAX_THREADS];
    for (unsigned k = 0; k < threads; k++)
        jobs[k] = (struct job){ .instance = instance_on_shared_memory(), .id = k };
    if (call(jobs[0].instance, "fill", 0, (int32_t)WORDS, 0, 2) != 0)
        return 1;

    pthread_t ids[MAX_THREADS];
    pthread_barrier_init(&start, NULL, threads + 1);
    for (unsigned k = 0; k < threads; k++)
        pthread_create(&ids[k], NULL, worker, &jobs[k]);
    struct timespec t0, t1;
    pthread_barrier_wait(&start);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int failed = 0;
    for (unsigned k = 0; k < threads; k++) {
        pthread_join(ids[k], NULL);
        failed |= jobs[k].failed;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);

    /* Each slice's sum wraps at 32 bits, as sum_slice's does; the total adds them in 64. */
    uint64_t expected = 0, total;
    for (unsigned t = 0; t < threads; t++) {
        uint32_t slice_sum = 0;
        for (uint32_t k = t * (WORDS / threads); k < (t + 1) * (WORDS / threads); k++)
            slice_sum += k * 2654435761u;
        expected += (uint32_t)(slice_sum * passes);
    }
    memcpy(&total, kiln_memory_base(memory), 8);
    if (failed || total != expected) {
        fprintf(stderr, "parallel_sum: wrong total %llu\n", (unsigned long long)total);
        return 1;
    }
    printf("%.3f\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    for (unsigned k = 0; k < threads; k++)
        kiln_instance_free(jobs[k].instance);
    kiln_memory_release(memory);
    kiln_module_release(module);
    return 0;
}
