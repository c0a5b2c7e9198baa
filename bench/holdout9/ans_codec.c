/* ans_codec.c — asymmetric numeral system entropy coders.
 *
 * Static-model block compression with two ANS variants sharing one frequency model per block:
 * byte-wise renormalising rANS with 32-bit states (two interleaved states, the encoder writing
 * backwards from the end of its buffer, division-based state updates, a slot-to-symbol table for
 * decoding) and table-based tANS (symbols spread over a 2^11-state table with a coprime step,
 * encoding tables built from the occurrence ranks, per-symbol bit counts found by shifting the
 * state into its symbol's interval, bits kept per step and written in decoding order to an
 * LSB-first 64-bit bit writer). Frequencies are counted per block and normalised to a power of
 * two with every present symbol kept. Inputs are word text from a Markov chain, geometric bytes,
 * a four-letter alphabet, run-heavy data and near-uniform noise, cut into blocks of random sizes
 * each round plus a freshly mutated block. Every block is decoded by both coders and compared
 * with its input, both final decoder states must return to the encoders' initial states, and
 * every eighth block is also decoded by a second rANS decoder that finds symbols by a linear
 * search of the cumulative frequencies.
 */
// bench-cflags: -O3
#include "../programs/bench.h"

#define RANS_BITS 12
#define RANS_M (1u << RANS_BITS)
#define RANS_L (1u << 23)
#define TANS_LOG 11
#define TANS_L (1u << TANS_LOG)
#define SRC_LEN (64 * 1024)
#define NSRC 5
#define MAX_BLOCK (24 * 1024)

static int failures;

typedef struct {
    uint32_t freq[256], cum[257];
} model_t;

/* ---------- frequency model ---------- */

static void count_block(const uint8_t *p, int n, uint32_t *cnt)
{
    memset(cnt, 0, 256 * sizeof(uint32_t));
    for (int i = 0; i < n; i++)
        cnt[p[i]]++;
}

/* Scale counts to sum exactly to total, keeping every present symbol at least 1. */
static void normalise(const uint32_t *cnt, int n, uint32_t total, uint32_t *freq)
{
    uint32_t sum = 0;
    for (int s = 0; s < 256; s++) {
        if (cnt[s] == 0) {
            freq[s] = 0;
            continue;
        }
        uint32_t f = (uint32_t)(((uint64_t)cnt[s] * total) / (uint64_t)n);
        freq[s] = f ? f : 1;
        sum += freq[s];
    }
    while (sum != total) {
        int best = -1;
        for (int s = 0; s < 256; s++)
            if (freq[s] > 1 && (best < 0 || freq[s] > freq[best]))
                best = s;
        if (sum < total) {
            if (best < 0)
                for (int s = 0; s < 256; s++)
                    if (freq[s] && best < 0)
                        best = s;
            freq[best] += total - sum;
            sum = total;
        } else {
            uint32_t over = sum - total, room = freq[best] - (freq[best] + 1) / 2;
            if (room == 0)
                room = 1;
            uint32_t d = over < room ? over : room;
            freq[best] -= d;
            sum -= d;
        }
    }
}

static void build_model(model_t *m, const uint32_t *cnt, int n, uint32_t total)
{
    normalise(cnt, n, total, m->freq);
    m->cum[0] = 0;
    for (int s = 0; s < 256; s++)
        m->cum[s + 1] = m->cum[s] + m->freq[s];
    if (m->cum[256] != total)
        failures++;
}

/* ---------- rANS, two interleaved states ---------- */

static inline void rans_put(uint32_t *x, uint8_t **pp, uint32_t start, uint32_t freq)
{
    uint32_t v = *x;
    uint32_t xmax = ((RANS_L >> RANS_BITS) << 8) * freq;
    uint8_t *p = *pp;
    while (v >= xmax) {
        *--p = (uint8_t)v;
        v >>= 8;
    }
    *pp = p;
    *x = ((v / freq) << RANS_BITS) + (v % freq) + start;
}

static void put_state(uint8_t **pp, uint32_t x)
{
    uint8_t *p = *pp;
    p -= 4;
    p[0] = (uint8_t)x;
    p[1] = (uint8_t)(x >> 8);
    p[2] = (uint8_t)(x >> 16);
    p[3] = (uint8_t)(x >> 24);
    *pp = p;
}

static uint32_t get_state(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    uint32_t x = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    *pp = p + 4;
    return x;
}

/* Encodes into the end of out[0..cap); returns the start offset of the code. */
static int rans_encode(const model_t *m, const uint8_t *in, int n, uint8_t *out, int cap)
{
    uint32_t x0 = RANS_L, x1 = RANS_L;
    uint8_t *p = out + cap;
    for (int i = n - 1; i >= 0; i--) {
        uint8_t s = in[i];
        if (i & 1)
            rans_put(&x1, &p, m->cum[s], m->freq[s]);
        else
            rans_put(&x0, &p, m->cum[s], m->freq[s]);
    }
    put_state(&p, x1);
    put_state(&p, x0);
    return (int)(p - out);
}

static void rans_decode(const model_t *m, const uint8_t *code, const uint8_t *end, uint8_t *outb,
                        int n, int linear)
{
    uint8_t slot[RANS_M];
    if (!linear)
        for (int s = 0; s < 256; s++)
            memset(slot + m->cum[s], s, m->freq[s]);
    const uint8_t *p = code;
    uint32_t x[2];
    x[0] = get_state(&p);
    x[1] = get_state(&p);
    for (int i = 0; i < n; i++) {
        uint32_t *xs = &x[i & 1];
        uint32_t v = *xs, r = v & (RANS_M - 1);
        int s;
        if (linear) {
            s = 0;
            while (m->cum[s + 1] <= r)
                s++;
        } else {
            s = slot[r];
        }
        outb[i] = (uint8_t)s;
        v = m->freq[s] * (v >> RANS_BITS) + r - m->cum[s];
        while (v < RANS_L && p < end)
            v = (v << 8) | *p++;
        *xs = v;
    }
    if (x[0] != RANS_L || x[1] != RANS_L || p != end)
        failures++;
}

/* ---------- tANS ---------- */

typedef struct {
    uint32_t freq[256];
    uint16_t enc[TANS_L];     /* (symbol, rank) -> state in [L, 2L) */
    uint32_t enc_start[256];  /* offset of a symbol's ranks in enc */
    uint8_t dsym[TANS_L];
    uint8_t dbits[TANS_L];
    uint16_t dnext[TANS_L];
} tans_t;

static int floor_log2(uint32_t v)
{
    int r = 0;
    while (v >>= 1)
        r++;
    return r;
}

static void tans_build(tans_t *t, const uint32_t *cnt, int n)
{
    normalise(cnt, n, TANS_L, t->freq);
    uint8_t spread[TANS_L];
    uint32_t step = (TANS_L >> 1) + (TANS_L >> 3) + 3, pos = 0;
    for (int s = 0; s < 256; s++)
        for (uint32_t k = 0; k < t->freq[s]; k++) {
            spread[pos] = (uint8_t)s;
            pos = (pos + step) & (TANS_L - 1);
        }
    if (pos != 0)
        failures++;
    uint32_t next[256], start = 0;
    for (int s = 0; s < 256; s++) {
        t->enc_start[s] = start;
        start += t->freq[s];
        next[s] = t->freq[s];
    }
    for (uint32_t x = 0; x < TANS_L; x++) {
        uint8_t s = spread[x];
        uint32_t k = next[s]++;
        int nb = TANS_LOG - floor_log2(k);
        t->dsym[x] = s;
        t->dbits[x] = (uint8_t)nb;
        t->dnext[x] = (uint16_t)((k << nb) - TANS_L);
        t->enc[t->enc_start[s] + k - t->freq[s]] = (uint16_t)(x + TANS_L);
    }
}

typedef struct {
    uint8_t *p;
    uint64_t acc;
    int n;
} bitw_t;

static inline void bw_put(bitw_t *w, uint32_t v, int nb)
{
    w->acc |= (uint64_t)v << w->n;
    w->n += nb;
    while (w->n >= 8) {
        *w->p++ = (uint8_t)w->acc;
        w->acc >>= 8;
        w->n -= 8;
    }
}

static int tans_encode(const tans_t *t, const uint8_t *in, int n, uint32_t *chunks, uint8_t *out)
{
    uint32_t X = TANS_L;
    for (int i = n - 1; i >= 0; i--) {
        uint8_t s = in[i];
        uint32_t f = t->freq[s];
        int nb = 0;
        while ((X >> nb) >= 2 * f)
            nb++;
        chunks[i] = (X & ((1u << nb) - 1)) << 5 | (uint32_t)nb;
        X = t->enc[t->enc_start[s] + (X >> nb) - f];
    }
    bitw_t w = { out, 0, 0 };
    bw_put(&w, X - TANS_L, TANS_LOG);
    for (int i = 0; i < n; i++)
        bw_put(&w, chunks[i] >> 5, (int)(chunks[i] & 31));
    if (w.n)
        *w.p++ = (uint8_t)w.acc;
    return (int)(w.p - out);
}

static void tans_decode(const tans_t *t, const uint8_t *code, int len, uint8_t *outb, int n)
{
    const uint8_t *p = code, *end = code + len;
    uint64_t acc = 0;
    int have = 0;
    while (have <= 56 && p < end) {
        acc |= (uint64_t)*p++ << have;
        have += 8;
    }
    uint32_t x = (uint32_t)(acc & (TANS_L - 1));
    acc >>= TANS_LOG;
    have -= TANS_LOG;
    for (int i = 0; i < n; i++) {
        outb[i] = t->dsym[x];
        int nb = t->dbits[x];
        while (have < nb) {
            uint64_t b = p < end ? *p++ : 0;
            acc |= b << have;
            have += 8;
        }
        x = t->dnext[x] + (uint32_t)(acc & ((1u << nb) - 1));
        acc >>= nb;
        have -= nb;
    }
    if (x != 0)
        failures++;
}

/* ---------- inputs ---------- */

static void gen_sources(uint8_t src[NSRC][SRC_LEN], bench_rng *g)
{
    static const char *const words[] = { "the", "of", "and", "to", "in", "is", "was", "that",
        "for", "on", "with", "as", "stream", "symbol", "state", "table", "entropy", "coder",
        "frequency", "block", "normal", "interval", "range", "bits", "model", "a", "it" };
    int nw = (int)(sizeof words / sizeof words[0]), prev = 0, pos = 0;
    while (pos < SRC_LEN) {
        int w = (int)rng_below(g, 4) == 0 ? (int)rng_below(g, (uint32_t)nw)
                                           : (prev * 7 + (int)rng_below(g, 5)) % nw;
        prev = w;
        for (const char *c = words[w]; *c && pos < SRC_LEN; c++)
            src[0][pos++] = (uint8_t)*c;
        if (pos < SRC_LEN)
            src[0][pos++] = rng_below(g, 12) == 0 ? (rng_below(g, 2) ? '.' : '\n') : ' ';
    }
    for (int i = 0; i < SRC_LEN; i++) {
        int v = 0;
        while (v < 255 && rng_below(g, 10) < 7)
            v++;
        src[1][i] = (uint8_t)(v * 3);
        src[2][i] = (uint8_t)"ACGT"[rng_below(g, 100) < 40 ? 0 : rng_below(g, 4)];
        src[4][i] = (uint8_t)(rng_below(g, 256) ^ (rng_below(g, 16) == 0 ? 0x80 : 0));
    }
    for (int i = 0; i < SRC_LEN;) {
        uint8_t b = (uint8_t)rng_below(g, 8);
        int run = 1 + (int)rng_below(g, 40);
        for (int k = 0; k < run && i < SRC_LEN; k++)
            src[3][i++] = b;
    }
}

typedef struct {
    model_t m;
    tans_t t;
    uint32_t cnt[256];
    uint8_t rbuf[MAX_BLOCK * 2 + 64], tbuf[MAX_BLOCK * 2 + 64], dec[MAX_BLOCK];
    uint32_t chunks[MAX_BLOCK];
} work_t;

static uint64_t hash_bytes(uint64_t h, const uint8_t *p, int n)
{
    uint64_t acc = 0;
    for (int i = 0; i < n; i++)
        acc = (acc ^ p[i]) * 0x100000001B3ULL;
    return mix64(h, acc);
}

static uint64_t code_block(work_t *w, const uint8_t *in, int n, int linear_check, uint64_t h)
{
    count_block(in, n, w->cnt);
    build_model(&w->m, w->cnt, n, RANS_M);
    int cap = (int)sizeof w->rbuf;
    int off = rans_encode(&w->m, in, n, w->rbuf, cap);
    rans_decode(&w->m, w->rbuf + off, w->rbuf + cap, w->dec, n, 0);
    if (memcmp(w->dec, in, (size_t)n) != 0)
        failures++;
    if (linear_check) {
        memset(w->dec, 0, (size_t)n);
        rans_decode(&w->m, w->rbuf + off, w->rbuf + cap, w->dec, n, 1);
        if (memcmp(w->dec, in, (size_t)n) != 0)
            failures++;
    }
    tans_build(&w->t, w->cnt, n);
    int tl = tans_encode(&w->t, in, n, w->chunks, w->tbuf);
    tans_decode(&w->t, w->tbuf, tl, w->dec, n);
    if (memcmp(w->dec, in, (size_t)n) != 0)
        failures++;
    h = mix64(h, (uint64_t)(cap - off));
    h = mix64(h, (uint64_t)tl);
    h = hash_bytes(h, w->rbuf + off, cap - off);
    return hash_bytes(h, w->tbuf, tl);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 67);
    bench_rng g = { 0x9E3779B97F4A7C15ULL };
    static uint8_t src[NSRC][SRC_LEN];
    static uint8_t fresh[MAX_BLOCK];
    static work_t w;
    gen_sources(src, &g);

    double t0 = bench_now();
    uint64_t h = 0xCBF29CE484222325ULL;
    int blocks = 0;
    for (int round = 0; round < scale; round++) {
        for (int s = 0; s < NSRC; s++) {
            int pos = 0;
            while (pos < SRC_LEN) {
                int n = 1 + (int)rng_below(&g, MAX_BLOCK);
                if (rng_below(&g, 8) == 0)
                    n = 1 + (int)rng_below(&g, 64);
                if (n > SRC_LEN - pos)
                    n = SRC_LEN - pos;
                h = code_block(&w, src[s] + pos, n, (blocks & 7) == 0, h);
                blocks++;
                pos += n;
            }
        }
        /* a fresh block: a slice of one source with random byte edits */
        int s = (int)rng_below(&g, NSRC), n = 4096 + (int)rng_below(&g, MAX_BLOCK - 4096);
        memcpy(fresh, src[s] + rng_below(&g, (uint32_t)(SRC_LEN - n)), (size_t)n);
        for (int k = 0; k < n / 16; k++)
            fresh[rng_below(&g, (uint32_t)n)] = (uint8_t)rng_next(&g);
        h = code_block(&w, fresh, n, 1, h);
        blocks++;
    }
    h = mix64(h, (uint64_t)blocks);
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
