/* fannkuch — for every permutation of 1..n (generated in lexicographic order with
 * next-permutation), flip the prefix given by the first element until it is 1; report the most
 * flips, and a signed sum of flip counts. */
#include "bench.h"

static int flips_of(const int8_t *perm, int n)
{
    int8_t p[16];
    memcpy(p, perm, (size_t)n);
    int flips = 0;
    for (int first = p[0]; first != 0; first = p[0]) {
        for (int i = 0, j = first; i < j; i++, j--) { int8_t t = p[i]; p[i] = p[j]; p[j] = t; }
        flips++;
    }
    return flips;
}

static int next_permutation(int8_t *p, int n)
{
    int i = n - 2;
    while (i >= 0 && p[i] >= p[i + 1]) i--;
    if (i < 0) return 0;
    int j = n - 1;
    while (p[j] <= p[i]) j--;
    int8_t t = p[i]; p[i] = p[j]; p[j] = t;
    for (int a = i + 1, b = n - 1; a < b; a++, b--) { t = p[a]; p[a] = p[b]; p[b] = t; }
    return 1;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 10);
    const int n = 10;
    double start = bench_now();
    long checksum = 0;
    int max_flips = 0;
    for (int r = 0; r < scale; r++) {
        int8_t perm[16];
        for (int i = 0; i < n; i++) perm[i] = (int8_t)((i + r) % n);
        /* Start from the rotation by r, then walk the rest of the order and wrap around. */
        int8_t start_perm[16];
        memcpy(start_perm, perm, sizeof perm);
        long index = 0;
        do {
            int f = flips_of(perm, n);
            if (f > max_flips) max_flips = f;
            checksum += (index & 1) ? -f : f;
            index++;
        } while (next_permutation(perm, n) && index < 1500000);
        checksum += index * (r + 1);
    }
    bench_report(start);
    printf("fannkuch n=%d reps=%d max_flips=%d checksum=%ld\n", n, scale, max_flips, checksum);
    return 0;
}
