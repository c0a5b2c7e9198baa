/* posting_codec — inverted-index posting-list compression and intersection.
 *
 * Sorted document-id lists of very different densities are encoded three ways each round:
 * LEB128 varints of the gaps; frame-of-reference bit packing in blocks of 128 gaps with a
 * per-block width from clz of the OR of the block (LSB-first into 32-bit words); and Elias-Fano
 * (low bits packed into 64-bit words, high parts as a unary bit vector). All three are decoded
 * and compared with the original. Then pairs of lists are intersected twice: galloping
 * (exponential then binary) search over decoded arrays, and a NextGEQ cursor over the Elias-Fano
 * form that skips whole 64-bit words of the high-bit vector using popcount and clz and finds the
 * next element with ctz. Sizes, intersection counts and intersection hashes feed the checksum. */
#include "../programs/bench.h"

#define NLIST 48
#define UBITS 21
#define UNIV (1u << UBITS)

static uint32_t *lists[NLIST];
static uint32_t lens[NLIST];

/* ---------- varint ---------- */
static size_t varint_encode(const uint32_t *v, uint32_t n, uint8_t *out)
{
    uint8_t *o = out;
    uint32_t prev = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t g = v[i] - prev; /* first gap is v[0] itself */
        prev = v[i];
        while (g >= 0x80) {
            *o++ = (uint8_t)(g | 0x80);
            g >>= 7;
        }
        *o++ = (uint8_t)g;
    }
    return (size_t)(o - out);
}

static void varint_decode(const uint8_t *in, uint32_t n, uint32_t *v)
{
    uint32_t prev = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t g = 0;
        int shift = 0;
        uint8_t byte;
        do {
            byte = *in++;
            g |= (uint32_t)(byte & 0x7f) << shift;
            shift += 7;
        } while (byte & 0x80);
        prev += g;
        v[i] = prev;
    }
}

/* ---------- block bit packing ---------- */
#define BLK 128
static size_t pack_encode(const uint32_t *v, uint32_t n, uint32_t *out)
{
    uint32_t *o = out;
    uint32_t prev = 0;
    for (uint32_t base = 0; base < n; base += BLK) {
        uint32_t m = n - base < BLK ? n - base : BLK;
        uint32_t gaps[BLK], acc = 0;
        for (uint32_t i = 0; i < m; i++) {
            uint32_t x = v[base + i];
            gaps[i] = (base + i == 0) ? x : x - prev - 1;
            prev = x;
            acc |= gaps[i];
        }
        uint32_t w = acc ? 32 - (uint32_t)__builtin_clz(acc) : 0;
        *o++ = w;
        uint64_t buf = 0;
        uint32_t bits = 0;
        for (uint32_t i = 0; i < m; i++) {
            buf |= (uint64_t)gaps[i] << bits;
            bits += w;
            if (bits >= 32) {
                *o++ = (uint32_t)buf;
                buf >>= 32;
                bits -= 32;
            }
        }
        if (bits)
            *o++ = (uint32_t)buf;
    }
    return (size_t)(o - out);
}

static void pack_decode(const uint32_t *in, uint32_t n, uint32_t *v)
{
    uint32_t prev = 0;
    for (uint32_t base = 0; base < n; base += BLK) {
        uint32_t m = n - base < BLK ? n - base : BLK;
        uint32_t w = *in++;
        uint64_t mask = (w == 32) ? 0xffffffffULL : ((1ULL << w) - 1);
        uint64_t buf = 0;
        uint32_t bits = 0;
        for (uint32_t i = 0; i < m; i++) {
            if (bits < w) {
                buf |= (uint64_t)*in++ << bits;
                bits += 32;
            }
            uint32_t g = (uint32_t)(buf & mask);
            buf >>= w;
            bits -= w;
            prev = (base + i == 0) ? g : prev + g + 1;
            v[base + i] = prev;
        }
    }
}

/* ---------- Elias-Fano ---------- */
typedef struct {
    uint32_t n, l;
    uint64_t *low, *up;
    uint32_t upwords;
} EF;

static void ef_build(EF *ef, const uint32_t *v, uint32_t n)
{
    uint32_t ratio = UNIV / n;
    uint32_t l = ratio > 1 ? 31 - (uint32_t)__builtin_clz(ratio) : 0;
    ef->n = n;
    ef->l = l;
    uint64_t lowbits = (uint64_t)n * l;
    uint32_t lowwords = (uint32_t)(lowbits / 64 + 2);
    uint64_t upbits = (uint64_t)n + (UNIV >> l) + 1;
    ef->upwords = (uint32_t)(upbits / 64 + 2);
    ef->low = calloc(lowwords, 8);
    ef->up = calloc(ef->upwords, 8);
    uint64_t mask = (1ULL << l) - 1;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t lo = v[i] & mask;
        uint64_t off = (uint64_t)i * l;
        uint32_t w = (uint32_t)(off >> 6), sh = (uint32_t)(off & 63);
        if (l) {
            ef->low[w] |= lo << sh;
            if (sh + l > 64)
                ef->low[w + 1] |= lo >> (64 - sh);
        }
        uint64_t pos = (uint64_t)(v[i] >> l) + i;
        ef->up[pos >> 6] |= 1ULL << (pos & 63);
    }
}

static void ef_free(EF *ef)
{
    free(ef->low);
    free(ef->up);
}

static inline uint32_t ef_low(const EF *ef, uint32_t i)
{
    if (!ef->l)
        return 0;
    uint64_t off = (uint64_t)i * ef->l;
    uint32_t w = (uint32_t)(off >> 6), sh = (uint32_t)(off & 63);
    uint64_t x = ef->low[w] >> sh;
    if (sh + ef->l > 64)
        x |= ef->low[w + 1] << (64 - sh);
    return (uint32_t)(x & ((1ULL << ef->l) - 1));
}

static void ef_decode(const EF *ef, uint32_t *v)
{
    uint32_t i = 0;
    for (uint32_t w = 0; w < ef->upwords && i < ef->n; w++) {
        uint64_t bits = ef->up[w];
        while (bits) {
            uint64_t pos = (uint64_t)w * 64 + (uint64_t)__builtin_ctzll(bits);
            bits &= bits - 1;
            v[i] = ((uint32_t)(pos - i) << ef->l) | ef_low(ef, i);
            i++;
        }
    }
}

typedef struct {
    const EF *ef;
    uint32_t i;   /* element index */
    uint64_t p;   /* position of its bit in up */
} Cursor;

static void cur_init(Cursor *c, const EF *ef)
{
    c->ef = ef;
    c->i = 0;
    uint32_t w = 0;
    while (ef->up[w] == 0)
        w++;
    c->p = (uint64_t)w * 64 + (uint64_t)__builtin_ctzll(ef->up[w]);
}

/* smallest element >= x at or after the cursor, or UINT32_MAX */
static uint32_t cur_next_geq(Cursor *c, uint32_t x)
{
    const EF *ef = c->ef;
    uint32_t hx = x >> ef->l;
    while (c->i < ef->n) {
        uint32_t hi = (uint32_t)(c->p - c->i);
        if (hi >= hx) {
            uint32_t v = (hi << ef->l) | ef_low(ef, c->i);
            if (v >= x)
                return v;
        }
        /* advance to the next element, skipping words whose last element is still below hx */
        uint64_t start = c->p + 1;
        uint32_t w = (uint32_t)(start >> 6);
        uint64_t bits = ef->up[w] & (~0ULL << (start & 63));
        uint32_t i = c->i + 1;
        if (i >= ef->n) {
            c->i = ef->n;
            break;
        }
        for (;;) {
            if (bits) {
                uint32_t cnt = (uint32_t)__builtin_popcountll(bits);
                uint64_t last = (uint64_t)w * 64 + 63 - (uint64_t)__builtin_clzll(bits);
                uint32_t idx_last = i + cnt - 1;
                if ((uint32_t)(last - idx_last) < hx && idx_last + 1 < ef->n) {
                    i += cnt;
                    bits = ef->up[++w];
                    continue;
                }
                c->p = (uint64_t)w * 64 + (uint64_t)__builtin_ctzll(bits);
                c->i = i;
                break;
            }
            bits = ef->up[++w];
        }
    }
    return UINT32_MAX;
}

/* ---------- galloping intersection ---------- */
static uint32_t gallop_intersect(const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb,
    uint64_t *hash)
{
    uint32_t cnt = 0, j = 0;
    for (uint32_t i = 0; i < na && j < nb; i++) {
        uint32_t x = a[i];
        if (b[j] < x) {
            uint32_t step = 1, lo = j, hi;
            while (j + step < nb && b[j + step] < x) {
                lo = j + step;
                step <<= 1;
            }
            hi = j + step < nb ? j + step : nb;
            /* b[lo] < x, answer in (lo, hi] */
            while (lo + 1 < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (b[mid] < x)
                    lo = mid;
                else
                    hi = mid;
            }
            j = hi;
        }
        if (j < nb && b[j] == x) {
            cnt++;
            *hash = mix64(*hash, x);
            j++;
        }
    }
    return cnt;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 7);
    bench_rng rng = { 0xD0C1D5ULL };
    uint32_t maxn = 0;
    for (int li = 0; li < NLIST; li++) {
        /* average gap from 2 (dense) to about 20000 (sparse) */
        uint32_t avg = 2u << (li % 14);
        if (avg > 20000)
            avg = 20000;
        uint32_t cap = UNIV / (avg > 1 ? avg / 2 : 1) + 16;
        uint32_t *v = malloc(cap * sizeof *v);
        uint32_t n = 0, x = rng_below(&rng, avg);
        while (x < UNIV && n < cap) {
            v[n++] = x;
            uint32_t g = 1 + rng_below(&rng, 2 * avg - 1);
            if (rng_below(&rng, 50) == 0)
                g += rng_below(&rng, 64 * avg); /* occasional long jump */
            x += g;
        }
        lists[li] = v;
        lens[li] = n;
        if (n > maxn)
            maxn = n;
    }
    uint8_t *vbuf = malloc((size_t)maxn * 5 + 16);
    uint32_t *pbuf = malloc(((size_t)maxn + BLK) * 4 + 64);
    uint32_t *dec = malloc((size_t)maxn * 4);
    EF *efs = calloc(NLIST, sizeof *efs);
    uint32_t **decoded = calloc(NLIST, sizeof *decoded);
    for (int li = 0; li < NLIST; li++)
        decoded[li] = malloc((size_t)lens[li] * 4);

    double start = bench_now();
    uint64_t h = 0, vbytes = 0, pwords = 0, efbits = 0, inter = 0;
    int errors = 0;
    for (int round = 0; round < scale; round++) {
        for (int li = 0; li < NLIST; li++) {
            const uint32_t *v = lists[li];
            uint32_t n = lens[li];
            size_t vb = varint_encode(v, n, vbuf);
            varint_decode(vbuf, n, dec);
            if (memcmp(dec, v, (size_t)n * 4) != 0)
                errors++;
            size_t pw = pack_encode(v, n, pbuf);
            pack_decode(pbuf, n, dec);
            if (memcmp(dec, v, (size_t)n * 4) != 0)
                errors++;
            ef_build(&efs[li], v, n);
            ef_decode(&efs[li], decoded[li]);
            if (memcmp(decoded[li], v, (size_t)n * 4) != 0)
                errors++;
            vbytes += vb;
            pwords += pw;
            efbits += (uint64_t)n * efs[li].l + (uint64_t)efs[li].upwords * 64;
            h = mix64(h, vb * 31 + pw);
            h = mix64(h, vbuf[vb / 2] ^ ((uint64_t)pbuf[pw / 2] << 8));
        }
        for (int pi = 0; pi < NLIST; pi++) {
            int a = (pi + round) % NLIST, bi = (pi * 7 + 3 + round) % NLIST;
            if (a == bi)
                continue;
            /* smaller list drives */
            if (lens[a] > lens[bi]) {
                int t = a;
                a = bi;
                bi = t;
            }
            uint64_t hg = 0, he = 0;
            uint32_t cg = gallop_intersect(decoded[a], lens[a], decoded[bi], lens[bi], &hg);
            Cursor c;
            cur_init(&c, &efs[bi]);
            uint32_t ce = 0;
            for (uint32_t i = 0; i < lens[a]; i++) {
                uint32_t x = decoded[a][i];
                uint32_t y = cur_next_geq(&c, x);
                if (y == UINT32_MAX)
                    break;
                if (y == x) {
                    ce++;
                    he = mix64(he, x);
                }
            }
            if (cg != ce || hg != he)
                errors++;
            inter += cg;
            h = mix64(h, hg ^ cg);
        }
        for (int li = 0; li < NLIST; li++)
            ef_free(&efs[li]);
    }
    bench_report(start);
    uint64_t total = 0;
    for (int li = 0; li < NLIST; li++)
        total += lens[li];
    printf("posting_codec rounds=%d postings=%llu varint_bytes=%llu packed_words=%llu ef_bits=%llu "
           "intersections=%llu errors=%d checksum=%016llx\n",
        scale, (unsigned long long)total, (unsigned long long)vbytes, (unsigned long long)pwords,
        (unsigned long long)efbits, (unsigned long long)inter, errors, (unsigned long long)h);
    return 0;
}
