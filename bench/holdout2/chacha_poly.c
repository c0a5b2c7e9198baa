/* chacha_poly — ChaCha20-Poly1305 authenticated encryption (RFC 8439 construction): seal and open a
 * batch of generated messages of varied length, with a 26-bit-limb Poly1305 and byte-level I/O.
 * bench-cflags: -O3
 *
 * Messages, associated data and keys are generated before the timer starts. Each round seals every
 * message under a fresh nonce (one-time Poly1305 key from block 0, keystream from block 1),
 * then opens it again: recomputes and compares the tag in constant time and decrypts, checking
 * that the plaintext is recovered. */
#include "../programs/bench.h"

#define NMSG 600
#define MAXLEN 8192

static inline uint32_t rotl32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static inline uint32_t load32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void store32_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

#define QR(a, b, c, d)                       \
    do {                                     \
        a += b; d ^= a; d = rotl32(d, 16);   \
        c += d; b ^= c; b = rotl32(b, 12);   \
        a += b; d ^= a; d = rotl32(d, 8);    \
        c += d; b ^= c; b = rotl32(b, 7);    \
    } while (0)

static void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3], uint8_t out[64])
{
    uint32_t in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, key[0], key[1], key[2], key[3],
                        key[4], key[5], key[6], key[7], counter, nonce[0], nonce[1], nonce[2] };
    uint32_t x[16];
    memcpy(x, in, sizeof x);
    for (int i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++) store32_le(out + 4 * i, x[i] + in[i]);
}

static void chacha20_xor(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3], const uint8_t *in,
                         uint8_t *out, size_t len)
{
    uint8_t ks[64];
    while (len > 0) {
        chacha20_block(key, counter++, nonce, ks);
        size_t n = len < 64 ? len : 64;
        for (size_t i = 0; i < n; i++) out[i] = in[i] ^ ks[i];
        in += n;
        out += n;
        len -= n;
    }
}

typedef struct {
    uint32_t r[5], h[5], pad[4];
    uint8_t buf[16];
    size_t fill;
} poly1305;

static void poly_init(poly1305 *p, const uint8_t key[32])
{
    p->r[0] = load32_le(key + 0) & 0x3ffffff;
    p->r[1] = (load32_le(key + 3) >> 2) & 0x3ffff03;
    p->r[2] = (load32_le(key + 6) >> 4) & 0x3ffc0ff;
    p->r[3] = (load32_le(key + 9) >> 6) & 0x3f03fff;
    p->r[4] = (load32_le(key + 12) >> 8) & 0x00fffff;
    for (int i = 0; i < 5; i++) p->h[i] = 0;
    for (int i = 0; i < 4; i++) p->pad[i] = load32_le(key + 16 + 4 * i);
    p->fill = 0;
}

static void poly_blocks(poly1305 *p, const uint8_t *m, size_t nblocks, uint32_t hibit)
{
    const uint32_t r0 = p->r[0], r1 = p->r[1], r2 = p->r[2], r3 = p->r[3], r4 = p->r[4];
    const uint32_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
    uint32_t h0 = p->h[0], h1 = p->h[1], h2 = p->h[2], h3 = p->h[3], h4 = p->h[4];
    while (nblocks--) {
        h0 += load32_le(m + 0) & 0x3ffffff;
        h1 += (load32_le(m + 3) >> 2) & 0x3ffffff;
        h2 += (load32_le(m + 6) >> 4) & 0x3ffffff;
        h3 += (load32_le(m + 9) >> 6) & 0x3ffffff;
        h4 += (load32_le(m + 12) >> 8) | hibit;
        uint64_t d0 = (uint64_t)h0 * r0 + (uint64_t)h1 * s4 + (uint64_t)h2 * s3 + (uint64_t)h3 * s2 + (uint64_t)h4 * s1;
        uint64_t d1 = (uint64_t)h0 * r1 + (uint64_t)h1 * r0 + (uint64_t)h2 * s4 + (uint64_t)h3 * s3 + (uint64_t)h4 * s2;
        uint64_t d2 = (uint64_t)h0 * r2 + (uint64_t)h1 * r1 + (uint64_t)h2 * r0 + (uint64_t)h3 * s4 + (uint64_t)h4 * s3;
        uint64_t d3 = (uint64_t)h0 * r3 + (uint64_t)h1 * r2 + (uint64_t)h2 * r1 + (uint64_t)h3 * r0 + (uint64_t)h4 * s4;
        uint64_t d4 = (uint64_t)h0 * r4 + (uint64_t)h1 * r3 + (uint64_t)h2 * r2 + (uint64_t)h3 * r1 + (uint64_t)h4 * r0;
        uint32_t c;
        c = (uint32_t)(d0 >> 26); h0 = (uint32_t)d0 & 0x3ffffff;
        d1 += c; c = (uint32_t)(d1 >> 26); h1 = (uint32_t)d1 & 0x3ffffff;
        d2 += c; c = (uint32_t)(d2 >> 26); h2 = (uint32_t)d2 & 0x3ffffff;
        d3 += c; c = (uint32_t)(d3 >> 26); h3 = (uint32_t)d3 & 0x3ffffff;
        d4 += c; c = (uint32_t)(d4 >> 26); h4 = (uint32_t)d4 & 0x3ffffff;
        h0 += c * 5; c = h0 >> 26; h0 &= 0x3ffffff;
        h1 += c;
        m += 16;
    }
    p->h[0] = h0; p->h[1] = h1; p->h[2] = h2; p->h[3] = h3; p->h[4] = h4;
}

static void poly_update(poly1305 *p, const uint8_t *m, size_t len)
{
    if (p->fill) {
        size_t want = 16 - p->fill;
        if (want > len) want = len;
        memcpy(p->buf + p->fill, m, want);
        p->fill += want;
        m += want;
        len -= want;
        if (p->fill < 16) return;
        poly_blocks(p, p->buf, 1, 1u << 24);
        p->fill = 0;
    }
    if (len >= 16) {
        size_t nb = len / 16;
        poly_blocks(p, m, nb, 1u << 24);
        m += nb * 16;
        len -= nb * 16;
    }
    if (len) {
        memcpy(p->buf, m, len);
        p->fill = len;
    }
}

/* Pads the data fed so far to a 16-byte boundary with zeros (the AEAD layout). */
static void poly_pad16(poly1305 *p)
{
    if (p->fill) {
        memset(p->buf + p->fill, 0, 16 - p->fill);
        poly_blocks(p, p->buf, 1, 1u << 24);
        p->fill = 0;
    }
}

static void poly_finish(poly1305 *p, uint8_t tag[16])
{
    if (p->fill) {
        p->buf[p->fill] = 1;
        memset(p->buf + p->fill + 1, 0, 16 - p->fill - 1);
        poly_blocks(p, p->buf, 1, 0);
    }
    uint32_t h0 = p->h[0], h1 = p->h[1], h2 = p->h[2], h3 = p->h[3], h4 = p->h[4], c;
    c = h1 >> 26; h1 &= 0x3ffffff;
    h2 += c; c = h2 >> 26; h2 &= 0x3ffffff;
    h3 += c; c = h3 >> 26; h3 &= 0x3ffffff;
    h4 += c; c = h4 >> 26; h4 &= 0x3ffffff;
    h0 += c * 5; c = h0 >> 26; h0 &= 0x3ffffff;
    h1 += c;
    uint32_t g0 = h0 + 5; c = g0 >> 26; g0 &= 0x3ffffff;
    uint32_t g1 = h1 + c; c = g1 >> 26; g1 &= 0x3ffffff;
    uint32_t g2 = h2 + c; c = g2 >> 26; g2 &= 0x3ffffff;
    uint32_t g3 = h3 + c; c = g3 >> 26; g3 &= 0x3ffffff;
    uint32_t g4 = h4 + c - (1u << 26);
    uint32_t mask = (g4 >> 31) - 1;
    g0 &= mask; g1 &= mask; g2 &= mask; g3 &= mask; g4 &= mask;
    mask = ~mask;
    h0 = (h0 & mask) | g0; h1 = (h1 & mask) | g1; h2 = (h2 & mask) | g2;
    h3 = (h3 & mask) | g3; h4 = (h4 & mask) | g4;
    h0 = h0 | (h1 << 26);
    h1 = (h1 >> 6) | (h2 << 20);
    h2 = (h2 >> 12) | (h3 << 14);
    h3 = (h3 >> 18) | (h4 << 8);
    uint64_t f;
    f = (uint64_t)h0 + p->pad[0]; store32_le(tag + 0, (uint32_t)f);
    f = (uint64_t)h1 + p->pad[1] + (f >> 32); store32_le(tag + 4, (uint32_t)f);
    f = (uint64_t)h2 + p->pad[2] + (f >> 32); store32_le(tag + 8, (uint32_t)f);
    f = (uint64_t)h3 + p->pad[3] + (f >> 32); store32_le(tag + 12, (uint32_t)f);
}

static void aead_tag(const uint32_t key[8], const uint32_t nonce[3], const uint8_t *aad, size_t aadlen,
                     const uint8_t *ct, size_t len, uint8_t tag[16])
{
    uint8_t block0[64], lens[16];
    chacha20_block(key, 0, nonce, block0);
    poly1305 p;
    poly_init(&p, block0);
    poly_update(&p, aad, aadlen);
    poly_pad16(&p);
    poly_update(&p, ct, len);
    poly_pad16(&p);
    for (int i = 0; i < 8; i++) {
        lens[i] = (uint8_t)((uint64_t)aadlen >> (8 * i));
        lens[8 + i] = (uint8_t)((uint64_t)len >> (8 * i));
    }
    poly_update(&p, lens, 16);
    poly_finish(&p, tag);
}

static void seal(const uint32_t key[8], const uint32_t nonce[3], const uint8_t *aad, size_t aadlen,
                 const uint8_t *pt, size_t len, uint8_t *ct, uint8_t tag[16])
{
    chacha20_xor(key, 1, nonce, pt, ct, len);
    aead_tag(key, nonce, aad, aadlen, ct, len, tag);
}

static int open_msg(const uint32_t key[8], const uint32_t nonce[3], const uint8_t *aad, size_t aadlen,
                    const uint8_t *ct, size_t len, const uint8_t tag[16], uint8_t *pt)
{
    uint8_t expect[16];
    aead_tag(key, nonce, aad, aadlen, ct, len, expect);
    uint8_t diff = 0;
    for (int i = 0; i < 16; i++) diff |= (uint8_t)(expect[i] ^ tag[i]);
    if (diff) return 0;
    chacha20_xor(key, 1, nonce, ct, pt, len);
    return 1;
}

typedef struct {
    uint8_t *data;
    size_t len;
    uint8_t aad[32];
    size_t aadlen;
    uint32_t key[8];
} message;

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 230);
    bench_rng rng = { 0xC4AC4A20F0E1D2C3ULL };
    message *msgs = malloc(NMSG * sizeof *msgs);
    uint8_t *ct = malloc(MAXLEN), *pt = malloc(MAXLEN);
    if (!msgs || !ct || !pt) return 1;
    for (int i = 0; i < NMSG; i++) {
        /* Mostly short packets, some bulk records. */
        size_t len = rng_below(&rng, 8) ? 1 + rng_below(&rng, 1500) : 1 + rng_below(&rng, MAXLEN);
        msgs[i].len = len;
        msgs[i].data = malloc(len);
        if (!msgs[i].data) return 1;
        for (size_t j = 0; j < len; j++) msgs[i].data[j] = (uint8_t)(rng_below(&rng, 3) ? 'a' + rng_below(&rng, 26) : rng_next(&rng) >> 56);
        msgs[i].aadlen = rng_below(&rng, 33);
        for (size_t j = 0; j < msgs[i].aadlen; j++) msgs[i].aad[j] = (uint8_t)(rng_next(&rng) >> 56);
        for (int j = 0; j < 8; j++) msgs[i].key[j] = (uint32_t)(rng_next(&rng) >> 32);
    }

    double start = bench_now();
    uint64_t h = 0;
    uint64_t bytes = 0;
    long rejected = 0;
    for (int round = 0; round < scale; round++) {
        for (int i = 0; i < NMSG; i++) {
            message *m = &msgs[i];
            uint32_t nonce[3] = { (uint32_t)round, (uint32_t)i * 0x9E3779B9u, 0x4B494C4Eu };
            uint8_t tag[16];
            seal(m->key, nonce, m->aad, m->aadlen, m->data, m->len, ct, tag);
            if (!open_msg(m->key, nonce, m->aad, m->aadlen, ct, m->len, tag, pt) ||
                memcmp(pt, m->data, m->len) != 0) {
                printf("chacha_poly: open failed for message %d\n", i);
                return 1;
            }
            /* A tampered copy must be rejected. */
            if ((i & 15) == 0) {
                ct[m->len / 2] ^= 0x20;
                if (!open_msg(m->key, nonce, m->aad, m->aadlen, ct, m->len, tag, pt)) rejected++;
            }
            h = mix64(h, load32_le(tag) | (uint64_t)load32_le(tag + 12) << 32);
            h = mix64(h, ct[m->len - 1]);
            bytes += m->len;
        }
    }
    bench_report(start);
    printf("chacha_poly messages=%d rounds=%d bytes=%llu rejected=%ld checksum=%016llx\n", NMSG, scale,
           (unsigned long long)bytes, rejected, (unsigned long long)h);
    for (int i = 0; i < NMSG; i++) free(msgs[i].data);
    free(msgs); free(ct); free(pt);
    return 0;
}
