/* sort — an introsort-like quicksort (median of three, insertion sort for short runs) and a
 * bottom-up merge sort of 32-bit integers, checked and checksummed. */
#include "bench.h"

#define COUNT (1 << 19)

static int32_t data[COUNT], work[COUNT], scratch[COUNT];

static void insertion(int32_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        int32_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void quick(int32_t *a, long n)
{
    while (n > 24) {
        long mid = n / 2;
        int32_t x = a[0], y = a[mid], z = a[n - 1];
        int32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            int32_t t = a[i]; a[i] = a[j]; a[j] = t;
            i++; j--;
        }
        /* Recurse into the smaller side, loop on the larger: O(log n) stack. */
        if (j + 1 < n - j - 1) { quick(a, j + 1); a += j + 1; n -= j + 1; }
        else { quick(a + j + 1, n - j - 1); n = j + 1; }
    }
    insertion(a, n);
}

static void merge_sort(int32_t *a, int32_t *tmp, long n)
{
    const long run = 16;
    for (long s = 0; s < n; s += run)
        insertion(a + s, s + run <= n ? run : n - s);
    int32_t *from = a, *to = tmp;
    for (long width = run; width < n; width *= 2) {
        for (long lo = 0; lo < n; lo += 2 * width) {
            long mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi) to[k++] = from[j] < from[i] ? from[j++] : from[i++];
            while (i < mid) to[k++] = from[i++];
            while (j < hi) to[k++] = from[j++];
        }
        int32_t *t = from; from = to; to = t;
    }
    if (from != a) memcpy(a, from, (size_t)n * sizeof *a);
}

static uint64_t check(const int32_t *a, long n)
{
    uint64_t h = 0;
    for (long i = 0; i < n; i++) {
        if (i > 0 && a[i - 1] > a[i]) { printf("sort: not sorted at %ld\n", i); exit(1); }
        if ((i & 1023) == 0) h = mix64(h, (uint32_t)a[i]);
    }
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 15);
    bench_rng rng = { 0xC0FFEE };
    double start = bench_now();
    uint64_t h = 0;
    for (int r = 0; r < scale; r++) {
        for (long i = 0; i < COUNT; i++)   /* a mix of wide values and many duplicates */
            data[i] = (i & 3) ? (int32_t)rng_next(&rng) : (int32_t)rng_below(&rng, 1000);
        memcpy(work, data, sizeof data);
        quick(work, COUNT);
        h = mix64(h, check(work, COUNT));
        merge_sort(data, scratch, COUNT);
        h = mix64(h, check(data, COUNT));
        if (memcmp(work, data, sizeof data) != 0) { printf("sort: results differ\n"); return 1; }
    }
    bench_report(start);
    printf("sort count=%d reps=%d checksum=%016llx\n", COUNT, scale, (unsigned long long)h);
    return 0;
}
