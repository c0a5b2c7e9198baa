/* sieve — the sieve of Eratosthenes over odd numbers, as a byte array, then a count and a
 * checksum of the primes found. */
#include "bench.h"

#define LIMIT 20000000

static uint8_t composite[LIMIT / 2 + 1];

static uint64_t sieve(uint32_t limit, uint32_t *count)
{
    uint32_t half = limit / 2;
    memset(composite, 0, half + 1);
    for (uint32_t i = 1; (2 * i + 1) * (2 * i + 1) <= limit; i++) {
        if (composite[i]) continue;
        uint32_t p = 2 * i + 1;
        for (uint32_t j = (p * p) / 2; j <= half; j += p)
            composite[j] = 1;
    }
    uint64_t h = 2;
    uint32_t n = 1;
    for (uint32_t i = 1; 2 * i + 1 <= limit; i++)
        if (!composite[i]) { n++; h = h * 31 + (2 * i + 1); }
    *count = n;
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 40);
    double start = bench_now();
    uint64_t h = 0;
    uint32_t count = 0;
    for (int r = 0; r < scale; r++) {
        h = mix64(h, sieve(LIMIT - (uint32_t)r * 1000, &count));
        h = mix64(h, count);
    }
    bench_report(start);
    printf("sieve limit=%d reps=%d primes=%u checksum=%016llx\n", LIMIT, scale, count, (unsigned long long)h);
    return 0;
}
