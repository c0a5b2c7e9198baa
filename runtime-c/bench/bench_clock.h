/* bench_clock.h — timing shared by the two benchmark programs, so both measure the same way.
 *
 * Each metric is measured in BATCHES batches; a batch times `per_batch` operations as one interval
 * and reports nanoseconds per operation; the program prints the median batch. Single-operation
 * metrics (instantiate, free, load, unload) use small batches so cleanup between operations stays
 * outside the timed interval. */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <stdint.h>
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

#endif
