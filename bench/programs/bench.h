/* bench.h — shared by the benchmark programs in this directory.
 *
 * Every program takes one optional argument, SCALE (a positive integer, linear in the work done;
 * the default is sized for 0.6-0.9 s of native time on a quiet 2-core x86-64 machine), prints a
 * deterministic checksum on stdout, and reports the wall time of its workload on stderr as
 * "kernel-seconds: S", measured with clock_gettime(CLOCK_MONOTONIC) inside the program. The same
 * clock call is used natively and under every Wasm engine (there it is WASI clock_time_get), so
 * all engines are timed the same way and compilation, loading and instantiation are excluded.
 *
 * Only + - * / and sqrt are used on floating point, so results are bit-identical natively and in
 * Wasm (no libm differences, no FMA contraction on baseline x86-64 or in Wasm). */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int bench_scale(int argc, char **argv, int fallback)
{
    if (argc > 1) {
        int s = atoi(argv[1]);
        if (s > 0)
            return s;
    }
    return fallback;
}

static inline void bench_report(double start)
{
    fprintf(stderr, "kernel-seconds: %.6f\n", bench_now() - start);
}

/* xorshift64* — a small deterministic generator for inputs. */
typedef struct { uint64_t s; } bench_rng;

static inline uint64_t rng_next(bench_rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static inline uint32_t rng_below(bench_rng *r, uint32_t n)
{
    return (uint32_t)((rng_next(r) >> 32) * n >> 32);
}

/* FNV-1a style mixing for checksums. */
static inline uint64_t mix64(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x100000001B3ULL;
    h ^= h >> 29;
    return h;
}

#endif
