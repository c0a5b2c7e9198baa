/* suffix_lcp.c — suffix arrays by prefix doubling with LSD radix sorting of rank pairs, Kasai's
 * LCP array, and the usual queries on top: distinct-substring count, longest repeated substring,
 * pattern counting by binary search over the suffix array (cross-checked against a naive scan),
 * and a sampled check that neighbouring suffixes really are in order with the stated LCP.
 *
 * Texts are generated from a small alphabet with copied earlier segments and mutations, so there
 * are long repeats and the doubling needs many rounds. SCALE = number of texts. */
#include "../programs/bench.h"

#define TEXT_LEN (1 << 16)

static unsigned char *text;
static int *sa, *rk, *tmp, *cnt, *sa2, *lcp, *inv;
static int failures;

static void gen_text(bench_rng *r, unsigned char *t, int n)
{
    int i = 0;
    static const char alpha[] = "acgtnx";
    while (i < n) {
        uint32_t op = rng_below(r, 10);
        if (op < 4 || i < 64) {
            int len = 1 + (int)rng_below(r, 12);
            for (int k = 0; k < len && i < n; k++)
                t[i++] = (unsigned char)alpha[rng_below(r, op == 0 ? 6 : 4)];
        } else {
            /* copy an earlier segment, possibly overlapping, with an occasional mutation */
            int len = 8 + (int)rng_below(r, op == 9 ? 400 : 60);
            int from = (int)rng_below(r, (uint32_t)i);
            for (int k = 0; k < len && i < n; k++) {
                unsigned char c = t[from + k];
                if (rng_below(r, 97) == 0)
                    c = (unsigned char)alpha[rng_below(r, 4)];
                t[i++] = c;
            }
        }
    }
}

/* Prefix doubling: ranks of length-2k prefixes from pairs (rk[i], rk[i+k]), sorted by two
 * counting-sort passes (second key, then stable by first key). */
static void build_sa(const unsigned char *t, int n)
{
    int m = 256;
    memset(cnt, 0, sizeof(int) * (size_t)(m > n + 1 ? m : n + 1));
    for (int i = 0; i < n; i++)
        cnt[t[i]]++;
    for (int c = 1; c < m; c++)
        cnt[c] += cnt[c - 1];
    for (int i = n - 1; i >= 0; i--)
        sa[--cnt[t[i]]] = i;
    rk[sa[0]] = 1;
    int classes = 1;
    for (int i = 1; i < n; i++) {
        if (t[sa[i]] != t[sa[i - 1]])
            classes++;
        rk[sa[i]] = classes;
    }
    for (int k = 1; classes < n; k <<= 1) {
        /* order by second key: suffixes with i+k >= n come first (rank 0) */
        int p = 0;
        for (int i = n - k; i < n; i++)
            sa2[p++] = i;
        for (int i = 0; i < n; i++)
            if (sa[i] >= k)
                sa2[p++] = sa[i] - k;
        /* stable counting sort by first key */
        memset(cnt, 0, sizeof(int) * (size_t)(classes + 1));
        for (int i = 0; i < n; i++)
            cnt[rk[i]]++;
        for (int c = 1; c <= classes; c++)
            cnt[c] += cnt[c - 1];
        for (int i = n - 1; i >= 0; i--)
            sa[--cnt[rk[sa2[i]]]] = sa2[i];
        /* re-rank */
        tmp[sa[0]] = 1;
        classes = 1;
        for (int i = 1; i < n; i++) {
            int a = sa[i - 1], b = sa[i];
            int ra2 = a + k < n ? rk[a + k] : 0;
            int rb2 = b + k < n ? rk[b + k] : 0;
            if (rk[a] != rk[b] || ra2 != rb2)
                classes++;
            tmp[b] = classes;
        }
        int *sw = rk; rk = tmp; tmp = sw;
    }
}

static void build_lcp(const unsigned char *t, int n)
{
    for (int i = 0; i < n; i++)
        inv[sa[i]] = i;
    int h = 0;
    lcp[0] = 0;
    for (int i = 0; i < n; i++) {
        int r = inv[i];
        if (r == 0) {
            h = 0;
            continue;
        }
        int j = sa[r - 1];
        while (i + h < n && j + h < n && t[i + h] == t[j + h])
            h++;
        lcp[r] = h;
        if (h > 0)
            h--;
    }
}

/* compare pattern against suffix s; returns <0, 0 (pattern is a prefix), >0 */
static int cmp_suffix(const unsigned char *t, int n, int s, const unsigned char *p, int m)
{
    int avail = n - s;
    int len = avail < m ? avail : m;
    int c = memcmp(p, t + s, (size_t)len);
    if (c != 0)
        return c;
    return avail < m ? 1 : 0;
}

static int count_sa(const unsigned char *t, int n, const unsigned char *p, int m)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (cmp_suffix(t, n, sa[mid], p, m) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int first = lo;
    hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (cmp_suffix(t, n, sa[mid], p, m) >= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - first;
}

static int count_naive(const unsigned char *t, int n, const unsigned char *p, int m)
{
    int c = 0;
    const unsigned char *q = t, *end = t + n;
    while (q + m <= end) {
        const unsigned char *hit = memchr(q, p[0], (size_t)(end - q - m + 1));
        if (!hit)
            break;
        if (memcmp(hit, p, (size_t)m) == 0)
            c++;
        q = hit + 1;
    }
    return c;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 75);
    int n = TEXT_LEN;
    int ntexts = scale;
    text = malloc((size_t)n * (size_t)ntexts);
    sa = malloc(sizeof(int) * (size_t)n);
    rk = malloc(sizeof(int) * (size_t)n);
    tmp = malloc(sizeof(int) * (size_t)n);
    sa2 = malloc(sizeof(int) * (size_t)n);
    lcp = malloc(sizeof(int) * (size_t)n);
    inv = malloc(sizeof(int) * (size_t)n);
    cnt = malloc(sizeof(int) * (size_t)(n + 257));
    bench_rng r = { 0x5eed5a1f00dULL };
    for (int k = 0; k < ntexts; k++)
        gen_text(&r, text + (size_t)k * (size_t)n, n);

    double t0 = bench_now();
    uint64_t h = 0;
    for (int k = 0; k < ntexts; k++) {
        const unsigned char *t = text + (size_t)k * (size_t)n;
        build_sa(t, n);
        build_lcp(t, n);
        uint64_t distinct = (uint64_t)n * (uint64_t)(n + 1) / 2;
        int best = 0, bestpos = 0;
        for (int i = 1; i < n; i++) {
            distinct -= (uint64_t)lcp[i];
            if (lcp[i] > best) {
                best = lcp[i];
                bestpos = sa[i];
            }
        }
        h = mix64(h, distinct);
        h = mix64(h, (uint64_t)best);
        h = mix64(h, (uint64_t)bestpos);
        /* the longest repeat must occur at least twice */
        if (best > 0 && count_sa(t, n, t + bestpos, best) < 2)
            failures++;
        /* sampled order and LCP checks */
        for (int i = 1; i < n; i += 61) {
            int a = sa[i - 1], b = sa[i], l = lcp[i];
            if (memcmp(t + a, t + b, (size_t)l) != 0)
                failures++;
            if (a + l < n && b + l < n && t[a + l] >= t[b + l])
                failures++;
            if (a + l >= n && b + l >= n)
                failures++;
            if (b + l >= n)
                failures++;
        }
        /* pattern counts against a naive scan */
        bench_rng pr = { 0x1234567ULL + (uint64_t)k };
        for (int q = 0; q < 40; q++) {
            int m = 3 + (int)rng_below(&pr, 14);
            int pos = (int)rng_below(&pr, (uint32_t)(n - m));
            unsigned char pat[32];
            memcpy(pat, t + pos, (size_t)m);
            if (q & 1)
                pat[m - 1] = (unsigned char)"acgt"[rng_below(&pr, 4)];
            int c1 = count_sa(t, n, pat, m);
            int c2 = count_naive(t, n, pat, m);
            if (c1 != c2)
                failures++;
            h = mix64(h, (uint64_t)c1);
        }
        for (int i = 0; i < n; i += 4099)
            h = mix64(h, (uint64_t)sa[i] * 31u + (uint64_t)lcp[i]);
    }
    bench_report(t0);
    printf("suffix_lcp: texts=%d len=%d failures=%d checksum=%016llx\n", ntexts, n, failures,
           (unsigned long long)h);
    free(text); free(sa); free(rk); free(tmp); free(sa2); free(lcp); free(inv); free(cnt);
    return failures != 0;
}
