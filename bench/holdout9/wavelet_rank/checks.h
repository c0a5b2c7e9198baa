/* wavelet_rank/checks.h — sequence generation, the reference position lists, the query batch.
 * Part of wavelet_rank.c, one translation unit: it includes the parts in order. */

static void gen_sequence(uint16_t *seq, uint32_t n, int kind, bench_rng *g)
{
    if (kind == 0) {
        for (uint32_t i = 0; i < n; i++)
            seq[i] = (uint16_t)rng_next(g);
    } else if (kind == 1) { /* Zipf-like: small values frequent, through a scrambling map */
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = rng_below(g, 1u << 20) + 1;
            uint32_t v = (1u << 20) / r - 1;
            seq[i] = (uint16_t)((v * 40503u) & 0xFFFF);
        }
    } else { /* ascending runs with jumps, a few distinct values per run */
        uint32_t i = 0;
        while (i < n) {
            uint32_t base = rng_below(g, NSYM), len = 16 + rng_below(g, 400);
            for (uint32_t k = 0; k < len && i < n; k++, i++) {
                base += rng_below(g, 3);
                seq[i] = (uint16_t)(base & 0xFFFF);
            }
        }
    }
}

/* positions of each symbol in order: start[c] .. start[c+1] in pos[] */
typedef struct {
    uint32_t *start, *pos;
} plist_t;

static void plist_build(plist_t *p, const uint16_t *seq, uint32_t n)
{
    memset(p->start, 0, (NSYM + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++)
        p->start[seq[i] + 1]++;
    for (uint32_t c = 0; c < NSYM; c++)
        p->start[c + 1] += p->start[c];
    uint32_t *fill = malloc(NSYM * sizeof(uint32_t));
    memcpy(fill, p->start, NSYM * sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++)
        p->pos[fill[seq[i]]++] = i;
    free(fill);
}

static uint32_t plist_rank(const plist_t *p, uint32_t c, uint32_t i)
{
    uint32_t lo = p->start[c], hi = p->start[c + 1];
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (p->pos[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - p->start[c];
}

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void check_bitvectors(const wm_t *m, bench_rng *g)
{
    for (int l = 0; l < SYM_BITS; l++) {
        const bv_t *b = &m->lv[l];
        for (int t = 0; t < 64; t++) {
            uint32_t i = rng_below(g, b->n);
            uint32_t r = bv_rank1(b, i);
            if (bv_get(b, i)) {
                if (bv_select(b, r, 1) != i)
                    failures++;
            } else if (bv_select(b, i - r, 0) != i) {
                failures++;
            }
        }
        if (bv_rank1(b, b->n) != b->ones || b->n - b->ones != m->zeros[l])
            failures++;
    }
}

static uint64_t run_round(const uint16_t *seq, uint32_t n, int nq, bench_rng *g, uint64_t h,
                          uint16_t *ta, uint16_t *tb, plist_t *pl)
{
    wm_t m;
    wm_build(&m, seq, n, ta, tb);
    plist_build(pl, seq, n);
    check_bitvectors(&m, g);
    uint16_t window[512];
    for (int q = 0; q < nq; q++) {
        int check = (q & 3) == 1;
        uint32_t i = rng_below(g, n);
        uint32_t v = wm_access(&m, i);
        h = mix64(h, v);
        if (v != seq[i])
            failures++;
        /* rank of a symbol that occurs (taken from a random position) and of a random one */
        uint32_t c = seq[rng_below(g, n)], at = rng_below(g, n + 1);
        uint32_t r = wm_rank(&m, c, at, NULL);
        uint32_t c2 = (uint32_t)rng_below(g, NSYM), r2 = wm_rank(&m, c2, at, NULL);
        h = mix64(h, r * 31 + r2);
        if (r != plist_rank(pl, c, at) || r2 != plist_rank(pl, c2, at))
            failures++;
        /* select */
        uint32_t cnt = pl->start[c + 1] - pl->start[c];
        uint32_t k = rng_below(g, cnt);
        uint32_t p = wm_select(&m, c, k);
        h = mix64(h, p);
        if (p != pl->pos[pl->start[c] + k])
            failures++;
        /* range queries: short ranges checked by scanning and sorting, long ones sampled */
        uint32_t len = (q & 1) ? 1 + rng_below(g, 500) : 1 + rng_below(g, n);
        uint32_t lo = rng_below(g, n - len + 1), hi = lo + len;
        uint32_t kk = rng_below(g, len);
        uint32_t qv = wm_quantile(&m, lo, hi, kk);
        uint32_t a = rng_below(g, NSYM), bnd = a + rng_below(g, NSYM / 4);
        uint32_t freq = wm_count_less(&m, lo, hi, bnd) - wm_count_less(&m, lo, hi, a);
        uint32_t x = rng_below(g, NSYM + 1);
        int32_t pv = prev_value_rec(&m, 0, lo, hi, x, 0, 1);
        h = mix64(h, qv);
        h = mix64(h, freq);
        h = mix64(h, (uint64_t)(int64_t)pv);
        if ((len <= 500 && check) || (q & 255) == 1) {
            uint32_t f = 0;
            int32_t best = -1;
            for (uint32_t t = lo; t < hi; t++) {
                uint32_t s = seq[t];
                if (s >= a && s < bnd)
                    f++;
                if (s < x && (int32_t)s > best)
                    best = (int32_t)s;
            }
            if (f != freq || best != pv)
                failures++;
            if (len <= 500) {
                memcpy(window, seq + lo, len * sizeof(uint16_t));
                qsort(window, len, sizeof(uint16_t), cmp_u16);
                if (window[kk] != qv)
                    failures++;
            } else if (wm_count_less(&m, lo, hi, qv) > kk || wm_count_less(&m, lo, hi, qv + 1) <= kk) {
                failures++;
            }
        }
    }
    wm_free(&m);
    return h;
}
