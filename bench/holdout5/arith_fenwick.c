/* arith_fenwick — adaptive multi-symbol arithmetic coding with Fenwick-tree frequency tables.
 *
 * A Witten-Neal-Cleary style arithmetic coder (32-bit low/high held in uint64, pending-bit
 * underflow handling, MSB-first bit output) drives adaptive models over a 257-symbol alphabet
 * (256 bytes + end of block). Cumulative frequencies live in Fenwick (binary indexed) trees:
 * prefix sums and point updates walk i -= i & -i / i += i & -i, and the decoder finds a symbol from
 * a target count by descending the tree by powers of two. Models halve their counts and rebuild
 * when the total reaches a limit. Each round codes a 96 KiB window of generated data (text,
 * CSV-like records, small-alphabet runs, noise) with an order-0 model and with an order-1 model
 * (one tree per previous byte), decodes both and verifies the round trip. */
#include "../programs/bench.h"

#define NSYM 257
#define EOB 256
#define TREE 512 /* power of two >= NSYM, 1-based Fenwick array */
#define LIMIT (1u << 16)

typedef struct {
    uint32_t tree[TREE + 1];
    uint32_t freq[NSYM];
    uint32_t total;
} Model;

static void model_rebuild(Model *m)
{
    memset(m->tree, 0, sizeof m->tree);
    m->total = 0;
    for (int s = 0; s < NSYM; s++) {
        m->tree[s + 1] = m->freq[s];
        m->total += m->freq[s];
    }
    /* linear-time construction: push each node's sum into its parent */
    for (uint32_t i = 1; i <= TREE; i++) {
        uint32_t p = i + (i & (0u - i));
        if (p <= TREE)
            m->tree[p] += m->tree[i];
    }
}

static void model_init(Model *m)
{
    for (int s = 0; s < NSYM; s++)
        m->freq[s] = 1;
    model_rebuild(m);
}

/* sum of freq[0..s-1] */
static uint32_t cum(const Model *m, uint32_t s)
{
    uint32_t sum = 0;
    for (uint32_t i = s; i > 0; i -= i & (0u - i))
        sum += m->tree[i];
    return sum;
}

static void model_update(Model *m, uint32_t s)
{
    const uint32_t inc = 24;
    for (uint32_t i = s + 1; i <= TREE; i += i & (0u - i))
        m->tree[i] += inc;
    m->freq[s] += inc;
    m->total += inc;
    if (m->total >= LIMIT) {
        for (int k = 0; k < NSYM; k++)
            m->freq[k] = (m->freq[k] + 1) / 2;
        model_rebuild(m);
    }
}

/* largest s with cum(s) <= target; returns s and the low count */
static uint32_t find_symbol(const Model *m, uint32_t target, uint32_t *low)
{
    uint32_t pos = 0, sum = 0;
    for (uint32_t step = TREE; step > 0; step >>= 1) {
        uint32_t nxt = pos + step;
        if (nxt <= TREE && sum + m->tree[nxt] <= target) {
            pos = nxt;
            sum += m->tree[nxt];
        }
    }
    *low = sum;
    return pos; /* symbol index = pos (0-based, since cum(pos) <= target < cum(pos+1)) */
}

#define TOP 0xFFFFFFFFULL
#define HALF 0x80000000ULL
#define Q1 0x40000000ULL
#define Q3 0xC0000000ULL

typedef struct {
    uint8_t *buf;
    uint32_t nbits, cap;
    uint64_t low, high;
    uint32_t pending;
} Encoder;

static inline void put_bit(Encoder *e, int b)
{
    if ((e->nbits >> 3) >= e->cap) {
        e->cap *= 2;
        e->buf = realloc(e->buf, e->cap);
    }
    uint32_t byte = e->nbits >> 3;
    if ((e->nbits & 7) == 0)
        e->buf[byte] = 0;
    if (b)
        e->buf[byte] |= (uint8_t)(0x80 >> (e->nbits & 7));
    e->nbits++;
}

static inline void put_with_pending(Encoder *e, int b)
{
    put_bit(e, b);
    for (; e->pending > 0; e->pending--)
        put_bit(e, !b);
}

static void encode(Encoder *e, uint32_t cl, uint32_t ch, uint32_t tot)
{
    uint64_t range = e->high - e->low + 1;
    e->high = e->low + range * ch / tot - 1;
    e->low = e->low + range * cl / tot;
    for (;;) {
        if (e->high < HALF)
            put_with_pending(e, 0);
        else if (e->low >= HALF) {
            put_with_pending(e, 1);
            e->low -= HALF;
            e->high -= HALF;
        } else if (e->low >= Q1 && e->high < Q3) {
            e->pending++;
            e->low -= Q1;
            e->high -= Q1;
        } else
            break;
        e->low <<= 1;
        e->high = (e->high << 1) | 1;
    }
}

static void encode_finish(Encoder *e)
{
    e->pending++;
    put_with_pending(e, e->low >= Q1);
}

typedef struct {
    const uint8_t *buf;
    uint32_t pos, nbits;
    uint64_t low, high, value;
} Decoder;

static inline int get_bit(Decoder *d)
{
    int b = 0;
    if (d->pos < d->nbits)
        b = d->buf[d->pos >> 3] >> (7 - (d->pos & 7)) & 1;
    d->pos++;
    return b;
}

static void decoder_init(Decoder *d, const uint8_t *buf, uint32_t nbits)
{
    d->buf = buf;
    d->nbits = nbits;
    d->pos = 0;
    d->low = 0;
    d->high = TOP;
    d->value = 0;
    for (int i = 0; i < 32; i++)
        d->value = (d->value << 1) | (uint64_t)get_bit(d);
}

static uint32_t decode_symbol(Decoder *d, Model *m)
{
    uint64_t range = d->high - d->low + 1;
    uint32_t target = (uint32_t)(((d->value - d->low + 1) * m->total - 1) / range);
    uint32_t cl;
    uint32_t s = find_symbol(m, target, &cl);
    uint32_t ch = cl + m->freq[s];
    d->high = d->low + range * ch / m->total - 1;
    d->low = d->low + range * cl / m->total;
    for (;;) {
        if (d->high < HALF) {
        } else if (d->low >= HALF) {
            d->low -= HALF;
            d->high -= HALF;
            d->value -= HALF;
        } else if (d->low >= Q1 && d->high < Q3) {
            d->low -= Q1;
            d->high -= Q1;
            d->value -= Q1;
        } else
            break;
        d->low <<= 1;
        d->high = (d->high << 1) | 1;
        d->value = (d->value << 1) | (uint64_t)get_bit(d);
    }
    model_update(m, s);
    return s;
}

/* Codes data with order-0 (order1 = 0) or order-1 models; returns the compressed size in bits. */
static uint32_t round_trip(const uint8_t *data, uint32_t n, int order1, Model *models, Encoder *e, uint8_t *out,
                           uint64_t *h)
{
    int nm = order1 ? 256 : 1;
    for (int k = 0; k < nm; k++)
        model_init(&models[k]);
    e->nbits = 0;
    e->low = 0;
    e->high = TOP;
    e->pending = 0;
    uint32_t prev = 0;
    for (uint32_t i = 0; i <= n; i++) {
        uint32_t s = i < n ? data[i] : EOB;
        Model *m = &models[order1 ? prev : 0];
        encode(e, cum(m, s), cum(m, s) + m->freq[s], m->total);
        model_update(m, s);
        prev = s & 255;
    }
    encode_finish(e);
    uint32_t bits = e->nbits;

    for (int k = 0; k < nm; k++)
        model_init(&models[k]);
    Decoder d;
    decoder_init(&d, e->buf, bits);
    uint32_t i = 0;
    prev = 0;
    for (;;) {
        uint32_t s = decode_symbol(&d, &models[order1 ? prev : 0]);
        if (s == EOB)
            break;
        if (i >= n)
            return 0;
        out[i++] = (uint8_t)s;
        prev = s;
    }
    if (i != n || memcmp(out, data, n) != 0)
        return 0;
    *h = mix64(*h, bits);
    return bits;
}

static const char *vocab[] = { "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with",
                               "be", "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which",
                               "coder", "range", "symbol", "tree", "model", "bits", "frequency", "Fenwick" };

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 27);
    bench_rng rng = { 0x6172697468666e77ULL };
    const uint32_t POOL = 1 << 20, WIN = 96 * 1024;
    uint8_t *pool = malloc(POOL);
    uint32_t i = 0;
    while (i < POOL) {
        uint32_t kind = rng_below(&rng, 8);
        uint32_t len = 2000 + rng_below(&rng, 6000);
        for (uint32_t k = 0; k < len && i < POOL; k++) {
            if (kind < 4) { /* text */
                const char *w = vocab[rng_below(&rng, 32) & rng_below(&rng, 32)];
                for (; *w && i < POOL; w++)
                    pool[i++] = (uint8_t)*w;
                if (i < POOL)
                    pool[i++] = rng_below(&rng, 12) == 0 ? '.' : ' ';
            } else if (kind < 6) { /* CSV records */
                char rec[64];
                /* one generator call per statement: argument evaluation order is unspecified */
                uint32_t id = 1000 + rng_below(&rng, 9000);
                uint32_t units = rng_below(&rng, 500);
                uint32_t cents = rng_below(&rng, 100);
                char c1 = (char)('A' + rng_below(&rng, 4));
                char c2 = (char)('a' + rng_below(&rng, 26));
                uint32_t flag = rng_below(&rng, 2) * 7;
                int n = snprintf(rec, sizeof rec, "%u,%u.%02u,%c%c,%u\n", id, units, cents, c1, c2, flag);
                for (int c = 0; c < n && i < POOL; c++)
                    pool[i++] = (uint8_t)rec[c];
            } else if (kind < 7) { /* small alphabet with runs */
                uint8_t c = (uint8_t)(rng_below(&rng, 4) * 17);
                uint32_t run = 1 + rng_below(&rng, 20);
                for (uint32_t r = 0; r < run && i < POOL; r++)
                    pool[i++] = c;
            } else
                pool[i++] = (uint8_t)rng_next(&rng);
        }
    }
    Model *models = malloc(sizeof(Model) * 256);
    Encoder enc = { malloc(1 << 16), 0, 1 << 16, 0, 0, 0 };
    uint8_t *out = malloc(WIN);

    double start = bench_now();
    uint64_t h = 0, bits0 = 0, bits1 = 0;
    for (int round = 0; round < scale; round++) {
        uint32_t off = (uint32_t)round * 40961u % (POOL - WIN);
        uint32_t b0 = round_trip(pool + off, WIN, 0, models, &enc, out, &h);
        uint32_t b1 = round_trip(pool + off, WIN, 1, models, &enc, out, &h);
        if (b0 == 0 || b1 == 0) {
            fprintf(stderr, "round trip failed in round %d\n", round);
            return 1;
        }
        bits0 += b0;
        bits1 += b1;
    }
    bench_report(start);
    printf("arith_fenwick rounds=%d in=%llu order0=%llu order1=%llu checksum=%016llx\n", scale,
           (unsigned long long)scale * WIN, (unsigned long long)bits0 / 8, (unsigned long long)bits1 / 8,
           (unsigned long long)h);
    free(pool);
    free(models);
    free(enc.buf);
    free(out);
    return 0;
}
