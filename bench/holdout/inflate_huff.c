/* inflate_huff — a deflate-style decoder: canonical Huffman tables built from code lengths, an LSB-first bit reader, LZ77 copies.
 *
 * Before the timer starts, a token stream (literals and length/distance pairs, as an LZ77
 * compressor would emit) is generated for several blocks with different statistics, Huffman code
 * lengths limited to 15 bits are computed from the symbol frequencies, and everything is encoded
 * the way deflate does it (length/distance codes with extra bits, bit-reversed codes packed LSB
 * first). The timed part decodes the whole stream SCALE times: read each block's code lengths,
 * build a 9-bit lookup table plus the canonical count/symbol arrays for longer codes, decode, copy
 * matches byte by byte, and Adler-32 the output. */
#include "../programs/bench.h"

#define NBLOCKS 6
#define TOKENS_PER_BLOCK 60000
#define NLIT 286
#define NDIST 30
#define MAXBITS 15
#define FAST_BITS 9

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
                                       59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4,
                                       4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
                                        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
                                        10, 10, 11, 11, 12, 12, 13, 13 };

typedef struct { uint16_t len, val; } token;   /* len == 0: literal val; else match of len at distance val */

/* ---- encoder side (untimed) ---- */

typedef struct { uint8_t *buf; size_t pos; uint64_t acc; int nbits; } bitwriter;

static void put_bits(bitwriter *w, uint32_t v, int n)
{
    w->acc |= (uint64_t)v << w->nbits;
    w->nbits += n;
    while (w->nbits >= 8) { w->buf[w->pos++] = (uint8_t)w->acc; w->acc >>= 8; w->nbits -= 8; }
}

static void flush_bits(bitwriter *w) { if (w->nbits > 0) put_bits(w, 0, 8 - w->nbits); }

static int cmp_freq(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;   /* pairs (freq, symbol) */
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Huffman code lengths by the two-queue method; frequencies are flattened until no code exceeds maxbits. */
static void huff_lengths(const uint32_t *freq_in, int n, uint8_t *len)
{
    uint32_t freq[NLIT], leaf[NLIT][2], weight[2 * NLIT];
    int parent[2 * NLIT];
    memcpy(freq, freq_in, (size_t)n * sizeof *freq);
    for (;;) {
        int m = 0;
        for (int s = 0; s < n; s++) if (freq[s]) { leaf[m][0] = freq[s]; leaf[m][1] = (uint32_t)s; m++; }
        qsort(leaf, (size_t)m, sizeof leaf[0], cmp_freq);
        for (int i = 0; i < m; i++) weight[i] = leaf[i][0];
        int li = 0, ni = m, nn = m;     /* leaves queue [li,m), internal queue [ni,nn) */
        for (int k = 0; k < m - 1; k++) {
            int pick[2];
            for (int j = 0; j < 2; j++) {
                if (li < m && (ni >= nn || weight[li] <= weight[ni])) pick[j] = li++;
                else pick[j] = ni++;
            }
            weight[nn] = weight[pick[0]] + weight[pick[1]];
            parent[pick[0]] = parent[pick[1]] = nn;
            nn++;
        }
        memset(len, 0, (size_t)n);
        int maxlen = 0;
        for (int i = 0; i < m; i++) {
            int d = 0;
            for (int x = i; x != nn - 1; x = parent[x]) d++;
            len[leaf[i][1]] = (uint8_t)d;
            if (d > maxlen) maxlen = d;
        }
        if (maxlen <= MAXBITS) return;
        for (int s = 0; s < n; s++) if (freq[s]) freq[s] = (freq[s] >> 1) | 1;
    }
}

static void canonical_codes(const uint8_t *len, int n, uint16_t *code)
{
    uint16_t count[MAXBITS + 1] = { 0 }, next[MAXBITS + 1];
    for (int s = 0; s < n; s++) count[len[s]]++;
    count[0] = 0;
    uint16_t c = 0;
    for (int b = 1; b <= MAXBITS; b++) { c = (uint16_t)((c + count[b - 1]) << 1); next[b] = c; }
    for (int s = 0; s < n; s++) {
        if (!len[s]) continue;
        uint16_t v = next[len[s]]++, r = 0;
        for (int b = 0; b < len[s]; b++) { r = (uint16_t)((r << 1) | (v & 1)); v >>= 1; }
        code[s] = r;    /* bit-reversed: deflate sends Huffman codes MSB first into an LSB-first stream */
    }
}

static int find_code(const uint16_t *base, int n, int v)
{
    int i = n - 1;
    while (base[i] > v) i--;
    return i;
}

static void encode_block(bitwriter *w, const token *t, int nt, int final)
{
    uint32_t lf[NLIT] = { 0 }, df[NDIST] = { 0 };
    for (int i = 0; i < nt; i++) {
        if (t[i].len == 0) lf[t[i].val]++;
        else { lf[257 + find_code(len_base, 29, t[i].len)]++; df[find_code(dist_base, 30, t[i].val)]++; }
    }
    lf[256] = 1;
    if (!df[0]) df[0] = 1;
    if (!df[1]) df[1] = 1;
    uint8_t ll[NLIT], dl[NDIST];
    uint16_t lc[NLIT], dc[NDIST];
    huff_lengths(lf, NLIT, ll);
    huff_lengths(df, NDIST, dl);
    canonical_codes(ll, NLIT, lc);
    canonical_codes(dl, NDIST, dc);
    put_bits(w, (uint32_t)final, 1);
    for (int s = 0; s < NLIT; s++) put_bits(w, ll[s], 4);
    for (int s = 0; s < NDIST; s++) put_bits(w, dl[s], 4);
    for (int i = 0; i < nt; i++) {
        if (t[i].len == 0) { put_bits(w, lc[t[i].val], ll[t[i].val]); continue; }
        int lcode = find_code(len_base, 29, t[i].len), dcode = find_code(dist_base, 30, t[i].val);
        put_bits(w, lc[257 + lcode], ll[257 + lcode]);
        put_bits(w, (uint32_t)(t[i].len - len_base[lcode]), len_extra[lcode]);
        put_bits(w, dc[dcode], dl[dcode]);
        put_bits(w, (uint32_t)(t[i].val - dist_base[dcode]), dist_extra[dcode]);
    }
    put_bits(w, lc[256], ll[256]);
}

/* ---- decoder (timed) ---- */

typedef struct {
    const uint8_t *p, *end;
    uint64_t buf;
    int cnt;
} bitreader;

static inline void refill(bitreader *br)
{
    while (br->cnt <= 56) {
        uint64_t b = br->p < br->end ? *br->p++ : 0;
        br->buf |= b << br->cnt;
        br->cnt += 8;
    }
}

static inline uint32_t get_bits(bitreader *br, int n)
{
    if (br->cnt < n) refill(br);
    uint32_t v = (uint32_t)(br->buf & ((1ULL << n) - 1));
    br->buf >>= n;
    br->cnt -= n;
    return v;
}

typedef struct {
    uint16_t fast[1 << FAST_BITS];   /* symbol << 4 | length, 0 if the code is longer than FAST_BITS */
    uint16_t count[MAXBITS + 1];
    uint16_t symbol[NLIT];
} huffman;

static int build_table(huffman *h, const uint8_t *len, int n)
{
    uint16_t offs[MAXBITS + 1];
    memset(h->count, 0, sizeof h->count);
    for (int s = 0; s < n; s++) h->count[len[s]]++;
    int left = 1;
    for (int b = 1; b <= MAXBITS; b++) {
        left = (left << 1) - h->count[b];
        if (left < 0) return -1;    /* over-subscribed */
    }
    offs[1] = 0;
    for (int b = 1; b < MAXBITS; b++) offs[b + 1] = (uint16_t)(offs[b] + h->count[b]);
    for (int s = 0; s < n; s++) if (len[s]) h->symbol[offs[len[s]]++] = (uint16_t)s;

    memset(h->fast, 0, sizeof h->fast);
    uint32_t code = 0;
    int idx = 0;
    for (int b = 1; b <= MAXBITS; b++) {
        for (int k = 0; k < h->count[b]; k++, idx++, code++) {
            if (b > FAST_BITS) continue;
            uint32_t r = 0, v = code;
            for (int i = 0; i < b; i++) { r = (r << 1) | (v & 1); v >>= 1; }
            for (uint32_t f = r; f < (1u << FAST_BITS); f += 1u << b)
                h->fast[f] = (uint16_t)(h->symbol[idx] << 4 | b);
        }
        code <<= 1;
    }
    return 0;
}

static inline int decode_sym(bitreader *br, const huffman *h)
{
    if (br->cnt < MAXBITS) refill(br);
    uint16_t e = h->fast[br->buf & ((1u << FAST_BITS) - 1)];
    if (e & 15) {
        br->buf >>= e & 15;
        br->cnt -= e & 15;
        return e >> 4;
    }
    /* canonical decode one bit at a time (codes are stored MSB first) */
    int code = 0, first = 0, index = 0;
    for (int b = 1; b <= MAXBITS; b++) {
        code |= (int)(br->buf & 1);
        br->buf >>= 1;
        br->cnt--;
        int count = h->count[b];
        if (code - count < first) return h->symbol[index + (code - first)];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    return -1;
}

static long inflate(const uint8_t *src, size_t srclen, uint8_t *out, size_t outcap)
{
    static huffman lit, dist;
    bitreader br = { src, src + srclen, 0, 0 };
    size_t pos = 0;
    int final;
    do {
        uint8_t ll[NLIT], dl[NDIST];
        final = (int)get_bits(&br, 1);
        for (int s = 0; s < NLIT; s++) ll[s] = (uint8_t)get_bits(&br, 4);
        for (int s = 0; s < NDIST; s++) dl[s] = (uint8_t)get_bits(&br, 4);
        if (build_table(&lit, ll, NLIT) || build_table(&dist, dl, NDIST)) return -1;
        for (;;) {
            int sym = decode_sym(&br, &lit);
            if (sym < 256) {
                if (sym < 0 || pos >= outcap) return -1;
                out[pos++] = (uint8_t)sym;
                continue;
            }
            if (sym == 256) break;
            sym -= 257;
            if (sym >= 29) return -1;
            size_t len = len_base[sym] + get_bits(&br, len_extra[sym]);
            int ds = decode_sym(&br, &dist);
            if (ds < 0 || ds >= 30) return -1;
            size_t d = dist_base[ds] + get_bits(&br, dist_extra[ds]);
            if (d > pos || pos + len > outcap) return -1;
            uint8_t *o = out + pos;
            const uint8_t *from = o - d;
            for (size_t k = 0; k < len; k++) o[k] = from[k];
            pos += len;
        }
    } while (!final);
    return (long)pos;
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;
    while (n > 0) {
        size_t chunk = n < 5552 ? n : 5552;
        n -= chunk;
        while (chunk--) { a += *p++; b += a; }
        a %= 65521; b %= 65521;
    }
    return b << 16 | a;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 150);
    bench_rng rng = { 0xDEF1A7EULL };
    static token toks[NBLOCKS][TOKENS_PER_BLOCK];
    size_t total = 0;
    uint8_t alpha[256];
    for (int b = 0; b < NBLOCKS; b++) {
        for (int i = 0; i < 256; i++) alpha[i] = (uint8_t)i;
        for (int i = 255; i > 0; i--) { int j = (int)rng_below(&rng, (uint32_t)i + 1); uint8_t t = alpha[i]; alpha[i] = alpha[j]; alpha[j] = t; }
        uint32_t spread = 12u + 40u * (uint32_t)b, match_pct = 15u + 8u * (uint32_t)b;
        for (int i = 0; i < TOKENS_PER_BLOCK; i++) {
            token *t = &toks[b][i];
            if (total >= 3 && rng_below(&rng, 100) < match_pct) {
                uint32_t limit = total < 32768 ? (uint32_t)total : 32768;
                t->len = (uint16_t)(rng_below(&rng, 40) ? 3 + rng_below(&rng, rng_below(&rng, 40) + 1)
                                                        : 3 + rng_below(&rng, 256));
                t->val = (uint16_t)(1 + rng_below(&rng, rng_below(&rng, limit) + 1));
                total += t->len;
            } else {
                t->len = 0;
                t->val = alpha[rng_below(&rng, rng_below(&rng, spread) + 1)];
                total++;
            }
        }
    }
    uint8_t *out = malloc(total), *ref = malloc(total);
    bitwriter w = { malloc(total * 2 + 4096), 0, 0, 0 };
    size_t pos = 0;
    for (int b = 0; b < NBLOCKS; b++) {
        for (int i = 0; i < TOKENS_PER_BLOCK; i++) {
            const token *t = &toks[b][i];
            if (t->len == 0) ref[pos++] = (uint8_t)t->val;
            else for (int k = 0; k < t->len; k++, pos++) ref[pos] = ref[pos - t->val];
        }
        encode_block(&w, toks[b], TOKENS_PER_BLOCK, b == NBLOCKS - 1);
    }
    flush_bits(&w);

    double start = bench_now();
    uint64_t h = 0;
    for (int rep = 0; rep < scale; rep++) {
        memset(out, 0, 4096);
        long n = inflate(w.buf, w.pos, out, total);
        if (n != (long)total) { printf("inflate_huff: decode failed (%ld of %zu)\n", n, total); return 1; }
        h = mix64(h, adler32(out, (size_t)n));
    }
    bench_report(start);
    if (memcmp(out, ref, total) != 0) { printf("inflate_huff: output differs\n"); return 1; }
    printf("inflate_huff raw=%zu packed=%zu reps=%d checksum=%016llx\n", total, w.pos, scale, (unsigned long long)h);
    return 0;
}
