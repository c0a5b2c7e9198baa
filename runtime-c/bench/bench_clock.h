/* bench_clock.h — timing shared by the two benchmark programs, so both measure the same way.
 *
 * Each metric is measured in BATCHES batches; a batch times `per_batch` operations as one interval
 * and reports nanoseconds per operation; the program prints the median batch. Single-operation
 * metrics (instantiate, free, load, unload) use small batches so cleanup between operations stays
 * outside the timed interval. */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BATCHES 31

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static inline double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* The report both programs print, one "metric value" line each, read by scripts/bench-embedding. */
static inline void print_report(double *load, double *inst, double *call, double *fcall, double *freeing,
                                double *unload)
{
    printf("load %.1f\n", median(load, BATCHES));
    printf("instantiate %.1f\n", median(inst, BATCHES));
    printf("call %.2f\n", median(call, BATCHES));
    printf("call_func %.2f\n", median(fcall, BATCHES));
    printf("free %.1f\n", median(freeing, BATCHES));
    printf("unload %.1f\n", median(unload, BATCHES));
}

#endif
