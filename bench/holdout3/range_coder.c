/* range_coder — adaptive binary range coder (LZMA-style carry-propagating encoder) with order-1
 * context modelling over bit trees; compress and decompress round trips verified byte for byte.
 *
 * Each byte is coded as 8 binary decisions whose 11-bit probabilities are chosen by the previous
 * byte and the bits seen so far; rounds alternate the adaptation rate and the slice of input. */
#include "../programs/bench.h"

#define INPUT_SIZE (1 << 18)
#define PROB_BITS 11
#define PROB_ONE (1u << PROB_BITS)
#define TOP (1u << 24)

typedef struct {
    uint64_t low;
    uint32_t range;
    uint8_t cache;
    uint64_t cache_size;
    uint8_t *out;
    size_t pos;
} rc_encoder;

typedef struct {
    uint32_t range, code;
    const uint8_t *in;
    size_t pos, len;
} rc_decoder;

static void enc_init(rc_encoder *e, uint8_t *out)
{
    e->low = 0; e->range = 0xFFFFFFFFu; e->cache = 0; e->cache_size = 1; e->out = out; e->pos = 0;
}

static void shift_low(rc_encoder *e)
{
    if ((uint32_t)e->low < 0xFF000000u || (e->low >> 32) != 0) {
        uint8_t carry = (uint8_t)(e->low >> 32);
        uint8_t temp = e->cache;
        do {
            e->out[e->pos++] = (uint8_t)(temp + carry);
            temp = 0xFF;
        } while (--e->cache_size != 0);
        e->cache = (uint8_t)(e->low >> 24);
    }
    e->cache_size++;
    e->low = (e->low & 0x00FFFFFFu) << 8;
}

static inline void enc_bit(rc_encoder *e, uint16_t *p, int bit, int rate)
{
    uint32_t bound = (e->range >> PROB_BITS) * *p;
    if (!bit) {
        e->range = bound;
        *p = (uint16_t)(*p + ((PROB_ONE - *p) >> rate));
    } else {
        e->low += bound;
        e->range -= bound;
        *p = (uint16_t)(*p - (*p >> rate));
    }
    while (e->range < TOP) {
        e->range <<= 8;
        shift_low(e);
    }
}

static void enc_flush(rc_encoder *e)
{
    for (int i = 0; i < 5; i++) shift_low(e);
}

static inline uint8_t next_in(rc_decoder *d) { return d->pos < d->len ? d->in[d->pos++] : 0; }

static void dec_init(rc_decoder *d, const uint8_t *in, size_t len)
{
    d->in = in; d->len = len; d->pos = 0; d->range = 0xFFFFFFFFu; d->code = 0;
    for (int i = 0; i < 5; i++) d->code = (d->code << 8) | next_in(d);
}

static inline int dec_bit(rc_decoder *d, uint16_t *p, int rate)
{
    uint32_t bound = (d->range >> PROB_BITS) * *p;
    int bit;
    if (d->code < bound) {
        d->range = bound;
        *p = (uint16_t)(*p + ((PROB_ONE - *p) >> rate));
        bit = 0;
    } else {
        d->code -= bound;
        d->range -= bound;
        *p = (uint16_t)(*p - (*p >> rate));
        bit = 1;
    }
    while (d->range < TOP) {
        d->range <<= 8;
        d->code = (d->code << 8) | next_in(d);
    }
    return bit;
}

static void reset_model(uint16_t *probs)
{
    for (int i = 0; i < 256 * 256; i++) probs[i] = PROB_ONE / 2;
}

static size_t compress(const uint8_t *in, size_t n, uint8_t *out, uint16_t *probs, int rate)
{
    rc_encoder e;
    enc_init(&e, out);
    reset_model(probs);
    unsigned prev = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t *ctx = probs + prev * 256;
        unsigned node = 1;
        unsigned c = in[i];
        for (int b = 7; b >= 0; b--) {
            int bit = (int)((c >> b) & 1);
            enc_bit(&e, &ctx[node], bit, rate);
            node = (node << 1) | (unsigned)bit;
        }
        prev = c;
    }
    enc_flush(&e);
    return e.pos;
}

static void decompress(const uint8_t *in, size_t len, uint8_t *out, size_t n, uint16_t *probs, int rate)
{
    rc_decoder d;
    dec_init(&d, in, len);
    reset_model(probs);
    unsigned prev = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t *ctx = probs + prev * 256;
        unsigned node = 1;
        while (node < 256) node = (node << 1) | (unsigned)dec_bit(&d, &ctx[node], rate);
        out[i] = (uint8_t)(node - 256);
        prev = node - 256;
    }
}

static const char *syllables[] = { "ka", "ren", "to", "mi", "sal", "or", "ve", "qu", "lin", "da", "es", "tra",
                                    "po", "ni", "ul", "gre", "an", "cho", "be", "xi" };

static size_t gen_input(uint8_t *buf, size_t cap, bench_rng *r)
{
    size_t n = 0;
    unsigned line = 0;
    while (n + 64 < cap) {
        unsigned kind = rng_below(r, 10);
        if (kind < 6) {
            /* a word of 1-4 syllables, sometimes capitalised, then a separator */
            unsigned ns = 1 + rng_below(r, 4);
            size_t start = n;
            for (unsigned s = 0; s < ns; s++) {
                const char *sy = syllables[rng_below(r, 20) % (1 + (s + line) % 20)];
                while (*sy) buf[n++] = (uint8_t)*sy++;
            }
            if (rng_below(r, 8) == 0) buf[start] = (uint8_t)(buf[start] - 32);
            buf[n++] = rng_below(r, 12) == 0 ? ',' : ' ';
        } else if (kind < 8) {
            unsigned v = rng_below(r, 100000);
            n += (size_t)snprintf((char *)buf + n, 16, "%u ", v);
        } else if (kind == 8) {
            buf[n++] = '.';
            buf[n++] = '\n';
            line++;
        } else {
            unsigned len = 1 + rng_below(r, 6);
            for (unsigned k = 0; k < len; k++) buf[n++] = (uint8_t)rng_next(r);
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 13);
    bench_rng rng = { 0x72616e6765ULL };
    uint8_t *input = malloc(INPUT_SIZE);
    uint8_t *packed = malloc(INPUT_SIZE + INPUT_SIZE / 8 + 64);
    uint8_t *unpacked = malloc(INPUT_SIZE);
    uint16_t *probs = malloc(sizeof(uint16_t) * 256 * 256);
    if (!input || !packed || !unpacked || !probs) return 1;
    size_t n = gen_input(input, INPUT_SIZE, &rng);

    double start = bench_now();
    uint64_t h = 0;
    size_t total = 0;
    for (int round = 0; round < scale * 4; round++) {
        int rate = 4 + (round & 1);
        size_t off = (size_t)(round * 7919) % 4096;
        size_t len = n - off;
        size_t plen = compress(input + off, len, packed, probs, rate);
        decompress(packed, plen, unpacked, len, probs, rate);
        if (memcmp(unpacked, input + off, len) != 0) {
            printf("range_coder: round trip failed in round %d\n", round);
            return 1;
        }
        total += plen;
        h = mix64(h, plen);
        for (size_t i = 0; i < plen; i += 97) h = mix64(h, packed[i]);
    }
    bench_report(start);
    printf("range_coder input=%zu rounds=%d packed_total=%zu checksum=%016llx\n", n, scale * 4, total,
           (unsigned long long)h);
    free(input); free(packed); free(unpacked); free(probs);
    return 0;
}
