/* wavelet_rank.c — succinct rank/select bit vectors and a wavelet matrix.
 *
 * Bit vectors are stored as 64-bit words with a two-level rank directory (a 32-bit count per
 * 512-bit superblock, a 16-bit count per word relative to it) and sampled select directories for
 * ones and zeros (the word holding every 256th one or zero, then a binary search over
 * superblocks between neighbouring samples, a scan over at most eight words and a select inside
 * the word by clearing low bits). A wavelet matrix over 16-bit symbols is built level by level
 * by stably partitioning the sequence on one bit into a second array, and answers access,
 * rank, select, k-th smallest in a range (quantile), range frequency in a value interval and
 * previous-value-below queries. Each round builds a matrix over a freshly generated sequence
 * (uniform, Zipf-like, runs of sorted values) and runs a batch of random queries. Answers are
 * checked against per-symbol position lists built by counting sort (rank by binary search,
 * select by indexing), against direct scans and sorting for short ranges, and against full scans
 * for a sample of long ranges; select and rank on the bit vectors are checked to be inverse.
 */
#include "../programs/bench.h"

#define SYM_BITS 16
#define NSYM (1u << SYM_BITS)
#define SEL_SAMPLE 256

static int failures;

typedef struct {
    uint64_t *w;
    uint32_t *sup;
    uint16_t *sub;
    uint32_t *sel1, *sel0;
    uint32_t n, nw, ones;
} bv_t;

static void bv_alloc(bv_t *b, uint32_t n)
{
    b->n = n;
    b->nw = n / 64 + 1;
    b->w = calloc(b->nw, sizeof(uint64_t));
    b->sup = malloc((b->nw / 8 + 2) * sizeof(uint32_t));
    b->sub = malloc(b->nw * sizeof(uint16_t));
    b->sel1 = malloc((n / SEL_SAMPLE + 2) * sizeof(uint32_t));
    b->sel0 = malloc((n / SEL_SAMPLE + 2) * sizeof(uint32_t));
}

static void bv_free(bv_t *b)
{
    free(b->w);
    free(b->sup);
    free(b->sub);
    free(b->sel1);
    free(b->sel0);
}

static void bv_index(bv_t *b)
{
    uint32_t total = 0, zeros = 0, n1 = 0, n0 = 0;
    for (uint32_t i = 0; i < b->nw; i++) {
        if ((i & 7) == 0)
            b->sup[i >> 3] = total;
        b->sub[i] = (uint16_t)(total - b->sup[i >> 3]);
        uint32_t c = (uint32_t)__builtin_popcountll(b->w[i]);
        uint32_t z = i == b->nw - 1 ? (b->n & 63) - c : 64 - c;
        /* a sample is recorded in the word holding the (SEL_SAMPLE*j)-th one / zero */
        while (n1 * SEL_SAMPLE < total + c)
            b->sel1[n1++] = i;
        while (n0 * SEL_SAMPLE < zeros + z)
            b->sel0[n0++] = i;
        total += c;
        zeros += z;
    }
    b->sel1[n1] = b->nw - 1;
    b->sel0[n0] = b->nw - 1;
    b->ones = total;
}

static inline uint32_t bv_rank1(const bv_t *b, uint32_t i)
{
    uint32_t wi = i >> 6;
    uint64_t m = (i & 63) ? b->w[wi] << (64 - (i & 63)) : 0;
    return b->sup[wi >> 3] + b->sub[wi] + (uint32_t)__builtin_popcountll(m);
}

static inline uint32_t bv_rank0(const bv_t *b, uint32_t i) { return i - bv_rank1(b, i); }

static inline int bv_get(const bv_t *b, uint32_t i) { return (int)(b->w[i >> 6] >> (i & 63) & 1); }

static inline uint32_t select_in_word(uint64_t w, uint32_t k)
{
    while (k--)
        w &= w - 1;
    return (uint32_t)__builtin_ctzll(w);
}

/* position of the k-th (0-based) one (want=1) or zero (want=0) */
static uint32_t bv_select(const bv_t *b, uint32_t k, int want)
{
    const uint32_t *sel = want ? b->sel1 : b->sel0;
    uint32_t lo = sel[k / SEL_SAMPLE] >> 3, hi = sel[k / SEL_SAMPLE + 1] >> 3;
    while (lo < hi) { /* last superblock whose count before it is <= k */
        uint32_t mid = (lo + hi + 1) / 2;
        uint32_t before = want ? b->sup[mid] : mid * 512 - b->sup[mid];
        if (before <= k)
            lo = mid;
        else
            hi = mid - 1;
    }
    uint32_t wi = lo * 8;
    for (;;) {
        uint32_t before = b->sup[wi >> 3] + b->sub[wi];
        if (!want)
            before = wi * 64 - before;
        uint64_t word = want ? b->w[wi] : ~b->w[wi];
        uint32_t c = (uint32_t)__builtin_popcountll(word);
        if (k < before + c)
            return wi * 64 + select_in_word(word, k - before);
        wi++;
    }
}

/* ---------- wavelet matrix ---------- */

typedef struct {
    uint32_t n;
    bv_t lv[SYM_BITS];
    uint32_t zeros[SYM_BITS];
} wm_t;

static void wm_build(wm_t *m, const uint16_t *seq, uint32_t n, uint16_t *tmp_a, uint16_t *tmp_b)
{
    m->n = n;
    memcpy(tmp_a, seq, n * sizeof(uint16_t));
    uint16_t *cur = tmp_a, *nxt = tmp_b;
    for (int l = 0; l < SYM_BITS; l++) {
        int bit = SYM_BITS - 1 - l;
        bv_t *b = &m->lv[l];
        bv_alloc(b, n);
        uint32_t z = 0;
        for (uint32_t i = 0; i < n; i++)
            if (!(cur[i] >> bit & 1))
                z++;
        uint16_t *zp = nxt, *op = nxt + z;
        uint64_t *w = b->w;
        for (uint32_t i = 0; i < n; i++) {
            uint16_t v = cur[i];
            if (v >> bit & 1) {
                w[i >> 6] |= 1ULL << (i & 63);
                *op++ = v;
            } else {
                *zp++ = v;
            }
        }
        bv_index(b);
        m->zeros[l] = z;
        uint16_t *t = cur;
        cur = nxt;
        nxt = t;
    }
}

static void wm_free(wm_t *m)
{
    for (int l = 0; l < SYM_BITS; l++)
        bv_free(&m->lv[l]);
}

static uint32_t wm_access(const wm_t *m, uint32_t i)
{
    uint32_t v = 0;
    for (int l = 0; l < SYM_BITS; l++) {
        const bv_t *b = &m->lv[l];
        if (bv_get(b, i)) {
            v |= 1u << (SYM_BITS - 1 - l);
            i = m->zeros[l] + bv_rank1(b, i);
        } else {
            i = bv_rank0(b, i);
        }
    }
    return v;
}

/* occurrences of c in [0, i); *start receives c's block start on the last level */
static uint32_t wm_rank(const wm_t *m, uint32_t c, uint32_t i, uint32_t *start)
{
    uint32_t s = 0, e = i;
    for (int l = 0; l < SYM_BITS; l++) {
        const bv_t *b = &m->lv[l];
        if (c >> (SYM_BITS - 1 - l) & 1) {
            s = m->zeros[l] + bv_rank1(b, s);
            e = m->zeros[l] + bv_rank1(b, e);
        } else {
            s = bv_rank0(b, s);
            e = bv_rank0(b, e);
        }
    }
    if (start)
        *start = s;
    return e - s;
}

static uint32_t wm_select(const wm_t *m, uint32_t c, uint32_t k)
{
    uint32_t s;
    wm_rank(m, c, 0, &s);
    uint32_t p = s + k;
    for (int l = SYM_BITS - 1; l >= 0; l--) {
        const bv_t *b = &m->lv[l];
        if (c >> (SYM_BITS - 1 - l) & 1)
            p = bv_select(b, p - m->zeros[l], 1);
        else
            p = bv_select(b, p, 0);
    }
    return p;
}

static uint32_t wm_quantile(const wm_t *m, uint32_t lo, uint32_t hi, uint32_t k)
{
    uint32_t v = 0;
    for (int l = 0; l < SYM_BITS; l++) {
        const bv_t *b = &m->lv[l];
        uint32_t z0 = bv_rank0(b, lo), z1 = bv_rank0(b, hi);
        if (k < z1 - z0) {
            lo = z0;
            hi = z1;
        } else {
            k -= z1 - z0;
            v |= 1u << (SYM_BITS - 1 - l);
            lo = m->zeros[l] + (lo - z0);
            hi = m->zeros[l] + (hi - z1);
        }
    }
    return v;
}

/* number of values < x in positions [lo, hi) */
static uint32_t wm_count_less(const wm_t *m, uint32_t lo, uint32_t hi, uint32_t x)
{
    if (x >= NSYM)
        return hi - lo;
    uint32_t res = 0;
    for (int l = 0; l < SYM_BITS && lo < hi; l++) {
        const bv_t *b = &m->lv[l];
        uint32_t z0 = bv_rank0(b, lo), z1 = bv_rank0(b, hi);
        if (x >> (SYM_BITS - 1 - l) & 1) {
            res += z1 - z0;
            lo = m->zeros[l] + (lo - z0);
            hi = m->zeros[l] + (hi - z1);
        } else {
            lo = z0;
            hi = z1;
        }
    }
    return res;
}

/* largest value < x in [lo, hi), or -1: recursive descent preferring the larger side */
static int32_t prev_value_rec(const wm_t *m, int l, uint32_t lo, uint32_t hi, uint32_t x,
                              uint32_t prefix, int tight)
{
    if (lo >= hi)
        return -1;
    if (l == SYM_BITS)
        return tight ? -1 : (int32_t)prefix;
    const bv_t *b = &m->lv[l];
    int bit = SYM_BITS - 1 - l;
    uint32_t z0 = bv_rank0(b, lo), z1 = bv_rank0(b, hi);
    uint32_t xb = x >> bit & 1;
    if (!tight || xb) {
        int32_t r = prev_value_rec(m, l + 1, m->zeros[l] + (lo - z0), m->zeros[l] + (hi - z1), x,
                                   prefix | 1u << bit, tight && xb);
        if (r >= 0)
            return r;
    }
    return prev_value_rec(m, l + 1, z0, z1, x, prefix, tight && !xb);
}

#include "wavelet_rank/checks.h"

#define SEQ_LEN (1u << 17)

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 10);
    bench_rng g = { 0x2545F4914F6CDD1DULL };
    uint16_t *seq = malloc(SEQ_LEN * sizeof(uint16_t));
    uint16_t *ta = malloc(SEQ_LEN * sizeof(uint16_t)), *tb = malloc(SEQ_LEN * sizeof(uint16_t));
    plist_t pl;
    pl.start = malloc((NSYM + 1) * sizeof(uint32_t));
    pl.pos = malloc(SEQ_LEN * sizeof(uint32_t));

    double t0 = bench_now();
    uint64_t h = 0x84222325CBF29CE4ULL;
    for (int round = 0; round < scale; round++) {
        for (int kind = 0; kind < 3; kind++) {
            uint32_t n = SEQ_LEN - rng_below(&g, 4096);
            gen_sequence(seq, n, kind, &g);
            h = run_round(seq, n, 3000, &g, h, ta, tb, &pl);
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    free(seq);
    free(ta);
    free(tb);
    free(pl.start);
    free(pl.pos);
    return failures != 0;
}
