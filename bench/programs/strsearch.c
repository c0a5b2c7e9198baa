/* strsearch — Boyer-Moore-Horspool search for many patterns in a generated text, cross-checked
 * against a naive first-byte scan for a sample of the patterns. */
#include "bench.h"

#define TEXT_SIZE (1 << 20)
#define PATTERNS 64

static char text[TEXT_SIZE + 1];
static char patterns[PATTERNS][24];
static int pattern_len[PATTERNS];

static long horspool(const char *hay, long n, const char *pat, int m)
{
    int shift[256];
    for (int c = 0; c < 256; c++) shift[c] = m;
    for (int i = 0; i < m - 1; i++) shift[(uint8_t)pat[i]] = m - 1 - i;
    long count = 0, pos = 0;
    uint8_t last = (uint8_t)pat[m - 1];
    while (pos <= n - m) {
        uint8_t c = (uint8_t)hay[pos + m - 1];
        if (c == last && memcmp(hay + pos, pat, (size_t)m - 1) == 0)
            count++;
        pos += shift[c];
    }
    return count;
}

static long naive(const char *hay, long n, const char *pat, int m)
{
    long count = 0;
    for (long i = 0; i + m <= n; i++) {
        if (hay[i] != pat[0]) continue;
        int k = 1;
        while (k < m && hay[i + k] == pat[k]) k++;
        if (k == m) count++;
    }
    return count;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 16);
    bench_rng rng = { 2024 };
    /* Text over a skewed 20-letter alphabet with repeated phrases, like natural text. */
    static const char alphabet[] = "eeeeeetttaaoonnsrhldcu  ";
    for (long i = 0; i < TEXT_SIZE; i++)
        text[i] = alphabet[rng_below(&rng, sizeof alphabet - 1)];
    for (int p = 0; p < PATTERNS; p++) {
        int m = 4 + (int)rng_below(&rng, 16);
        long at = rng_below(&rng, TEXT_SIZE - 32);
        memcpy(patterns[p], text + at, (size_t)m);
        if (p & 1) patterns[p][m / 2] = 'x';   /* half the patterns occur rarely or never */
        pattern_len[p] = m;
    }
    double start = bench_now();
    uint64_t h = 0;
    long found = 0;
    for (int r = 0; r < scale; r++) {
        for (int p = 0; p < PATTERNS; p++) {
            long c = horspool(text, TEXT_SIZE, patterns[p], pattern_len[p]);
            found += c;
            h = mix64(h, (uint64_t)c);
        }
        int p = r % PATTERNS;
        if (naive(text, TEXT_SIZE, patterns[p], pattern_len[p]) != horspool(text, TEXT_SIZE, patterns[p], pattern_len[p])) {
            printf("strsearch: mismatch for pattern %d\n", p);
            return 1;
        }
    }
    bench_report(start);
    printf("strsearch text=%d patterns=%d reps=%d found=%ld checksum=%016llx\n", TEXT_SIZE, PATTERNS, scale, found,
           (unsigned long long)h);
    return 0;
}
