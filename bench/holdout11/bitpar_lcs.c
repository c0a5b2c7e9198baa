/* bitpar_lcs.c -- bit-parallel string comparison.
 *
 * Myers' bit-vector algorithm in Hyyrö's multi-word block form (vertical and horizontal delta
 * vectors, carries of the horizontal delta from block to block) for global edit distance and for
 * approximate search (every text position where some substring is within k edits of the
 * pattern), and the Allison-Dix / Hyyrö bit-vector LCS with multi-word add-with-carry. Strings
 * over a 4-letter and a 20-letter alphabet, patterns of 5 to 450 characters (up to 8 words),
 * related strings made by random substitutions, insertions and deletions, texts with planted
 * mutated copies.
 *
 * Each round makes a family of twenty related strings (mutations of mutations of a random
 * base) and computes all ordered pairs' distances and LCS lengths, then searches for some of
 * them in a random text with planted mutated copies.
 *
 * Checks: symmetry, zero distance to itself, length bounds and triangle inequalities of both
 * metrics over the family; a sample of the close pairs against Ukkonen's banded dynamic programme
 * with a doubling threshold, a smaller sample against the full quadratic programmes (edit distance,
 * LCS, and the indel-only distance, which must be n + m - 2 LCS); a sample of searches against
 * Sellers' programme column by column (hits, best distance and the sum of the bottom row).
 * Part: bitpar_lcs/reference.h.
 */
#include "../programs/bench.h"

#define MAXLEN 512
#define MAXW 8
#define TEXTLEN 6000

#include "bitpar_lcs/reference.h"

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

/* ---- pattern preprocessing: one match mask per letter and word ---- */

typedef struct {
    uint64_t peq[32][MAXW];
    int m, words;
    uint64_t high; /* bit of the last pattern row in the last word */
} Pattern;

static void pattern_init(Pattern *p, const unsigned char *s, int m)
{
    p->m = m;
    p->words = (m + 63) / 64;
    memset(p->peq, 0, sizeof p->peq);
    for (int i = 0; i < m; i++)
        p->peq[s[i]][i >> 6] |= 1ULL << (i & 63);
    p->high = 1ULL << ((m - 1) & 63);
}

/* one column step for one 64-row block (Myers 1999, Advance_Block) */
static inline int advance_block(uint64_t *pv, uint64_t *mv, uint64_t eq, uint64_t high, int hin)
{
    uint64_t Pv = *pv, Mv = *mv;
    uint64_t xv = eq | Mv;
    if (hin < 0)
        eq |= 1;
    uint64_t xh = (((eq & Pv) + Pv) ^ Pv) | eq;
    uint64_t ph = Mv | ~(xh | Pv);
    uint64_t mh = Pv & xh;
    int hout = 0;
    if (ph & high)
        hout = 1;
    else if (mh & high)
        hout = -1;
    ph <<= 1;
    mh <<= 1;
    if (hin < 0)
        mh |= 1;
    else if (hin > 0)
        ph |= 1;
    *pv = mh | ~(xv | ph);
    *mv = ph & xv;
    return hout;
}

/* global edit distance between the pattern and t[0..n) */
static int myers_distance(const Pattern *p, const unsigned char *t, int n)
{
    uint64_t pv[MAXW], mv[MAXW];
    int w = p->words, score = p->m;
    for (int b = 0; b < w; b++)
        pv[b] = ~0ULL, mv[b] = 0;
    for (int j = 0; j < n; j++) {
        const uint64_t *eq = p->peq[t[j]];
        int carry = 1; /* the top row grows by one per column */
        for (int b = 0; b < w - 1; b++)
            carry = advance_block(&pv[b], &mv[b], eq[b], 1ULL << 63, carry);
        score += advance_block(&pv[w - 1], &mv[w - 1], eq[w - 1], p->high, carry);
    }
    return score;
}

/* approximate search: number of end positions with distance <= k, the smallest distance and
 * the sum of all positions' distances (the bottom row of Sellers' matrix) */
static void myers_search(const Pattern *p, const unsigned char *t, int n, int k, int *hits,
                         int *best, uint64_t *sum)
{
    uint64_t pv[MAXW], mv[MAXW];
    int w = p->words, score = p->m;
    for (int b = 0; b < w; b++)
        pv[b] = ~0ULL, mv[b] = 0;
    *hits = 0;
    *best = p->m;
    *sum = 0;
    for (int j = 0; j < n; j++) {
        const uint64_t *eq = p->peq[t[j]];
        int carry = 0; /* a match may start anywhere: the top row stays 0 */
        for (int b = 0; b < w - 1; b++)
            carry = advance_block(&pv[b], &mv[b], eq[b], 1ULL << 63, carry);
        score += advance_block(&pv[w - 1], &mv[w - 1], eq[w - 1], p->high, carry);
        *hits += score <= k;
        if (score < *best)
            *best = score;
        *sum += (uint64_t)score;
    }
}

/* LCS length: V' = (V + (V & M)) | (V & ~M) over multi-word vectors, LCS = zeros in V */
static int bitpar_lcs(const Pattern *p, const unsigned char *t, int n)
{
    uint64_t v[MAXW];
    int w = p->words;
    for (int b = 0; b < w; b++)
        v[b] = ~0ULL;
    for (int j = 0; j < n; j++) {
        const uint64_t *eq = p->peq[t[j]];
        uint64_t carry = 0;
        for (int b = 0; b < w; b++) {
            uint64_t u = v[b] & eq[b];
            uint64_t s = v[b] + u;
            uint64_t c1 = s < u;
            uint64_t s2 = s + carry;
            uint64_t c2 = s2 < carry;
            v[b] = s2 | (v[b] & ~eq[b]);
            carry = c1 | c2;
        }
    }
    int ones = 0;
    for (int b = 0; b < w; b++) {
        uint64_t x = v[b];
        if (b == w - 1 && (p->m & 63))
            x &= (1ULL << (p->m & 63)) - 1;
        ones += __builtin_popcountll(x);
    }
    return p->m - ones;
}

/* ---- inputs ---- */

static int mutate(const unsigned char *src, int n, unsigned char *dst, int cap, int rate,
                  int sigma, bench_rng *rng)
{
    int o = 0;
    for (int i = 0; i < n && o < cap; i++) {
        uint32_t x = rng_below(rng, 1000);
        if (x < (uint32_t)rate) { /* substitution */
            dst[o++] = (unsigned char)rng_below(rng, (uint32_t)sigma);
        } else if (x < 2u * (uint32_t)rate) { /* deletion */
        } else if (x < 3u * (uint32_t)rate) { /* insertion */
            dst[o++] = (unsigned char)rng_below(rng, (uint32_t)sigma);
            if (o < cap)
                dst[o++] = src[i];
        } else {
            dst[o++] = src[i];
        }
    }
    if (o == 0)
        dst[o++] = 0;
    return o;
}

static void random_string(unsigned char *s, int n, int sigma, bench_rng *rng)
{
    for (int i = 0; i < n; i++)
        s[i] = (unsigned char)rng_below(rng, (uint32_t)sigma);
}

static int pick_len(bench_rng *rng)
{
    uint32_t x = rng_below(rng, 8);
    if (x < 3)
        return 5 + (int)rng_below(rng, 60);
    if (x < 6)
        return 60 + (int)rng_below(rng, 140);
    return 200 + (int)rng_below(rng, 250);
}

#define FAMILY 20

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 42);
    int rounds = scale * 4;
    bench_rng rng = { 0x0123456789ABCDEFULL };
    static unsigned char str[FAMILY][MAXLEN], text[TEXTLEN];
    static int len[FAMILY], dist[FAMILY][FAMILY], lcs[FAMILY][FAMILY];
    static Pattern pat[FAMILY];
    uint64_t h = 0;
    int pair_no = 0, search_no = 0;

    double t0 = bench_now();
    for (int round = 0; round < rounds; round++) {
        int sigma = round % 2 ? 20 : 4;
        /* a family of related strings: mutations of mutations of a random base */
        len[0] = pick_len(&rng);
        random_string(str[0], len[0], sigma, &rng);
        for (int i = 1; i < FAMILY; i++) {
            int from = (int)rng_below(&rng, (uint32_t)i);
            len[i] = mutate(str[from], len[from], str[i], MAXLEN - 64, (int)rng_below(&rng, 70),
                            sigma, &rng);
        }
        for (int i = 0; i < FAMILY; i++)
            pattern_init(&pat[i], str[i], len[i]);
        /* all ordered pairs by the bit-vector algorithms */
        for (int i = 0; i < FAMILY; i++)
            for (int j = 0; j < FAMILY; j++) {
                dist[i][j] = myers_distance(&pat[i], str[j], len[j]);
                lcs[i][j] = bitpar_lcs(&pat[i], str[j], len[j]);
            }
        for (int i = 0; i < FAMILY; i++) {
            if (dist[i][i] != 0 || lcs[i][i] != len[i])
                fail("distance to itself", round);
            for (int j = 0; j < i; j++) {
                if (dist[i][j] != dist[j][i] || lcs[i][j] != lcs[j][i])
                    fail("symmetry", round);
                int diff = len[i] > len[j] ? len[i] - len[j] : len[j] - len[i];
                if (dist[i][j] < diff || dist[i][j] > (len[i] > len[j] ? len[i] : len[j]))
                    fail("distance bounds", round);
                pair_no++;
                const unsigned char *a = str[i], *b = str[j];
                int m = len[i], n = len[j];
                /* the banded programme is meant for close strings: a sample of those */
                if (dist[i][j] <= 48 && pair_no % 8 == 0 && banded_distance(a, m, b, n) != dist[i][j])
                    fail("distance against banded programme", round);
                if (pair_no % 64 == 0) {
                    if (dp_distance(a, m, b, n) != dist[i][j])
                        fail("distance against full programme", round);
                    if (dp_lcs(a, m, b, n) != lcs[i][j])
                        fail("LCS against programme", round);
                    if (dp_indel(a, m, b, n) != m + n - 2 * lcs[i][j])
                        fail("indel distance identity", round);
                }
                h = mix64(h, (uint64_t)dist[i][j] << 32 | (uint32_t)lcs[i][j]);
            }
        }
        /* both are metrics: triangle inequalities (indel distance from the LCS) */
        int bad = 0;
        for (int i = 0; i < FAMILY; i++)
            for (int j = 0; j < FAMILY; j++)
                for (int k = 0; k < FAMILY; k++) {
                    bad += dist[i][k] > dist[i][j] + dist[j][k];
                    int dik = len[i] + len[k] - 2 * lcs[i][k];
                    int dij = len[i] + len[j] - 2 * lcs[i][j], djk = len[j] + len[k] - 2 * lcs[j][k];
                    bad += dik > dij + djk;
                }
        if (bad)
            fail("triangle inequality", round);

        /* approximate search for some of the strings in a text with planted copies */
        random_string(text, TEXTLEN, sigma, &rng);
        for (int c = 0; c < 12; c++) {
            int from = (int)rng_below(&rng, FAMILY);
            unsigned char tmp[MAXLEN];
            int n = mutate(str[from], len[from], tmp, MAXLEN - 64, (int)rng_below(&rng, 60), sigma, &rng);
            memcpy(text + rng_below(&rng, (uint32_t)(TEXTLEN - n)), tmp, (size_t)n);
        }
        for (int s = 0; s < 4; s++) {
            int p = (int)rng_below(&rng, FAMILY), k = len[p] / 8 + 1;
            int hits, best;
            uint64_t sum;
            myers_search(&pat[p], text, TEXTLEN, k, &hits, &best, &sum);
            if (++search_no % 16 == 0) {
                int rh, rb;
                uint64_t rs;
                dp_search(str[p], len[p], text, TEXTLEN, k, &rh, &rb, &rs);
                if (rh != hits || rb != best || rs != sum)
                    fail("search against Sellers", round);
            }
            h = mix64(h, (uint64_t)hits << 40 ^ (uint64_t)best << 20 ^ sum);
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
