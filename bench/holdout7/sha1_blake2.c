// bench-cflags: -O3
/* sha1_blake2.c — two message digests written from their specifications: SHA-1 (80-round
 * big-endian Merkle-Damgard with a 16-word rolling schedule) and BLAKE2b (12 rounds of the G
 * mixing function over a 4x4 matrix of 64-bit words, little-endian, keyed mode), both with a
 * streaming init/update/final interface, plus HMAC-SHA1 on top of SHA-1.
 *
 * Checked against published test vectors, and every digest of the workload is recomputed by
 * feeding the same message in random-sized chunks, which must agree with the one-shot digest.
 * SCALE = rounds over a set of messages of assorted lengths. */
#include "../programs/bench.h"

static int failures;

/* ---------------------------------------------------------------- SHA-1 */
typedef struct {
    uint32_t h[5];
    uint64_t len;
    unsigned char buf[64];
    unsigned fill;
} sha1_ctx;

static inline uint32_t rol32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1_block(uint32_t *h, const unsigned char *p)
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
               (uint32_t)p[4 * i + 3];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t wi;
        if (i < 16) {
            wi = w[i];
        } else {
            wi = rol32(w[(i + 13) & 15] ^ w[(i + 8) & 15] ^ w[(i + 2) & 15] ^ w[i & 15], 1);
            w[i & 15] = wi;
        }
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        uint32_t t = rol32(a, 5) + f + e + k + wi;
        e = d;
        d = c;
        c = rol32(b, 30);
        b = a;
        a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

static void sha1_init(sha1_ctx *c)
{
    c->h[0] = 0x67452301u; c->h[1] = 0xEFCDAB89u; c->h[2] = 0x98BADCFEu;
    c->h[3] = 0x10325476u; c->h[4] = 0xC3D2E1F0u;
    c->len = 0;
    c->fill = 0;
}

static void sha1_update(sha1_ctx *c, const unsigned char *p, size_t n)
{
    c->len += n;
    if (c->fill) {
        size_t take = 64 - c->fill;
        if (take > n)
            take = n;
        memcpy(c->buf + c->fill, p, take);
        c->fill += (unsigned)take;
        p += take;
        n -= take;
        if (c->fill < 64)
            return;
        sha1_block(c->h, c->buf);
        c->fill = 0;
    }
    while (n >= 64) {
        sha1_block(c->h, p);
        p += 64;
        n -= 64;
    }
    memcpy(c->buf, p, n);
    c->fill = (unsigned)n;
}

static void sha1_final(sha1_ctx *c, unsigned char out[20])
{
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80;
    sha1_update(c, &pad, 1);
    unsigned char z = 0;
    while (c->fill != 56)
        sha1_update(c, &z, 1);
    unsigned char lb[8];
    for (int i = 0; i < 8; i++)
        lb[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1_update(c, lb, 8);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
}

static void sha1(const unsigned char *p, size_t n, unsigned char out[20])
{
    sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, p, n);
    sha1_final(&c, out);
}

static void hmac_sha1(const unsigned char *key, size_t klen, const unsigned char *msg, size_t n,
                      unsigned char out[20])
{
    unsigned char k0[64], ipad[64], opad[64], inner[20];
    memset(k0, 0, 64);
    if (klen > 64)
        sha1(key, klen, k0);
    else
        memcpy(k0, key, klen);
    for (int i = 0; i < 64; i++) {
        ipad[i] = k0[i] ^ 0x36;
        opad[i] = k0[i] ^ 0x5c;
    }
    sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, ipad, 64);
    sha1_update(&c, msg, n);
    sha1_final(&c, inner);
    sha1_init(&c);
    sha1_update(&c, opad, 64);
    sha1_update(&c, inner, 20);
    sha1_final(&c, out);
}

/* ---------------------------------------------------------------- BLAKE2b */
typedef struct {
    uint64_t h[8];
    uint64_t t0, t1;
    unsigned char buf[128];
    unsigned fill;
    unsigned outlen;
} b2_ctx;

static const uint64_t b2_iv[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const unsigned char b2_sigma[12][16] = {
    { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
    { 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
    { 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
    { 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
    { 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
    { 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
    { 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
    { 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
    { 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
    { 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
    { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
    { 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
};

static inline uint64_t ror64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

#define B2G(a, b, c, d, x, y)           \
    do {                                \
        v[a] = v[a] + v[b] + (x);       \
        v[d] = ror64(v[d] ^ v[a], 32);  \
        v[c] = v[c] + v[d];             \
        v[b] = ror64(v[b] ^ v[c], 24);  \
        v[a] = v[a] + v[b] + (y);       \
        v[d] = ror64(v[d] ^ v[a], 16);  \
        v[c] = v[c] + v[d];             \
        v[b] = ror64(v[b] ^ v[c], 63);  \
    } while (0)

static void b2_compress(b2_ctx *c, const unsigned char *p, int last)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) {
        uint64_t w = 0;
        for (int j = 7; j >= 0; j--)
            w = (w << 8) | p[8 * i + j];
        m[i] = w;
    }
    for (int i = 0; i < 8; i++) {
        v[i] = c->h[i];
        v[i + 8] = b2_iv[i];
    }
    v[12] ^= c->t0;
    v[13] ^= c->t1;
    if (last)
        v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        const unsigned char *s = b2_sigma[r];
        B2G(0, 4, 8, 12, m[s[0]], m[s[1]]);
        B2G(1, 5, 9, 13, m[s[2]], m[s[3]]);
        B2G(2, 6, 10, 14, m[s[4]], m[s[5]]);
        B2G(3, 7, 11, 15, m[s[6]], m[s[7]]);
        B2G(0, 5, 10, 15, m[s[8]], m[s[9]]);
        B2G(1, 6, 11, 12, m[s[10]], m[s[11]]);
        B2G(2, 7, 8, 13, m[s[12]], m[s[13]]);
        B2G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++)
        c->h[i] ^= v[i] ^ v[i + 8];
}

static void b2_init(b2_ctx *c, unsigned outlen, const unsigned char *key, unsigned keylen)
{
    for (int i = 0; i < 8; i++)
        c->h[i] = b2_iv[i];
    c->h[0] ^= 0x01010000ULL ^ ((uint64_t)keylen << 8) ^ outlen;
    c->t0 = c->t1 = 0;
    c->fill = 0;
    c->outlen = outlen;
    memset(c->buf, 0, 128);
    if (keylen) {
        memcpy(c->buf, key, keylen);
        c->fill = 128;
    }
}

static void b2_update(b2_ctx *c, const unsigned char *p, size_t n)
{
    while (n > 0) {
        if (c->fill == 128) {
            /* only compress a full buffer once more input is known to follow */
            c->t0 += 128;
            if (c->t0 < 128)
                c->t1++;
            b2_compress(c, c->buf, 0);
            c->fill = 0;
        }
        size_t take = 128 - c->fill;
        if (take > n)
            take = n;
        memcpy(c->buf + c->fill, p, take);
        c->fill += (unsigned)take;
        p += take;
        n -= take;
    }
}

static void b2_final(b2_ctx *c, unsigned char *out)
{
    c->t0 += c->fill;
    if (c->t0 < c->fill)
        c->t1++;
    memset(c->buf + c->fill, 0, 128 - c->fill);
    b2_compress(c, c->buf, 1);
    for (unsigned i = 0; i < c->outlen; i++)
        out[i] = (unsigned char)(c->h[i / 8] >> (8 * (i % 8)));
}

static void blake2b(const unsigned char *p, size_t n, const unsigned char *key, unsigned keylen,
                    unsigned outlen, unsigned char *out)
{
    b2_ctx c;
    b2_init(&c, outlen, key, keylen);
    b2_update(&c, p, n);
    b2_final(&c, out);
}

/* ---------------------------------------------------------------- checks */
static void check_hex(const unsigned char *d, int n, const char *hex)
{
    char buf[140];
    for (int i = 0; i < n; i++)
        sprintf(buf + 2 * i, "%02x", d[i]);
    if (strcmp(buf, hex) != 0)
        failures++;
}

static void known_answers(void)
{
    unsigned char d[64];
    sha1((const unsigned char *)"abc", 3, d);
    check_hex(d, 20, "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha1((const unsigned char *)"", 0, d);
    check_hex(d, 20, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    const char *m2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1((const unsigned char *)m2, strlen(m2), d);
    check_hex(d, 20, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    unsigned char key[20];
    memset(key, 0x0b, 20);
    hmac_sha1(key, 20, (const unsigned char *)"Hi There", 8, d);
    check_hex(d, 20, "b617318655057264e28bc0b6fb378c8ef146be00");
    hmac_sha1((const unsigned char *)"Jefe", 4, (const unsigned char *)"what do ya want for nothing?", 28, d);
    check_hex(d, 20, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    blake2b((const unsigned char *)"abc", 3, NULL, 0, 64, d);
    check_hex(d, 64, "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                     "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    blake2b((const unsigned char *)"", 0, NULL, 0, 64, d);
    check_hex(d, 64, "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                     "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce");
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 270);
    enum { NMSG = 64, MAXLEN = 9000 };
    unsigned char *msgs = malloc((size_t)NMSG * MAXLEN);
    size_t lens[NMSG];
    bench_rng r = { 0xb1a4e2b5a1ULL };
    for (int i = 0; i < NMSG * MAXLEN; i++)
        msgs[i] = (unsigned char)(rng_next(&r) >> 56);
    for (int i = 0; i < NMSG; i++)
        lens[i] = i < 8 ? (size_t)(i * 37 % 130) : rng_below(&r, MAXLEN);

    double t0 = bench_now();
    known_answers();
    uint64_t h = 0;
    unsigned char chain[64];
    memset(chain, 0x5a, 64);
    bench_rng cr = { 0xc0ffee11ULL };
    for (int round = 0; round < scale; round++) {
        for (int i = 0; i < NMSG; i++) {
            unsigned char *m = msgs + (size_t)i * MAXLEN;
            size_t n = lens[i];
            /* fold the previous digest into the message so every round differs */
            size_t fold = n < 20 ? n : 20;
            for (size_t k = 0; k < fold; k++)
                m[k] ^= chain[k];
            unsigned char d1[20], d2[20], b1[64], b2[64], mac[20], kb[32];
            sha1(m, n, d1);
            hmac_sha1(chain, 20 + (size_t)(i % 45), m, n, mac);
            unsigned outlen = 16 + (unsigned)(i % 49);
            unsigned keylen = (unsigned)(i % 3 == 0 ? 0 : 1 + i % 64);
            blake2b(m, n, chain, keylen, outlen, b1);
            blake2b(m, n, NULL, 0, 32, kb);
            /* streaming recomputation in random-sized pieces */
            if ((i & 3) == (round & 3)) {
                sha1_ctx sc;
                b2_ctx bc;
                sha1_init(&sc);
                b2_init(&bc, outlen, chain, keylen);
                size_t off = 0;
                while (off < n) {
                    size_t piece = 1 + rng_below(&cr, 300);
                    if (piece > n - off)
                        piece = n - off;
                    sha1_update(&sc, m + off, piece);
                    b2_update(&bc, m + off, piece);
                    off += piece;
                }
                sha1_final(&sc, d2);
                b2_final(&bc, b2);
                if (memcmp(d1, d2, 20) != 0 || memcmp(b1, b2, outlen) != 0)
                    failures++;
            }
            for (int k = 0; k < 20; k++)
                chain[k] = d1[k] ^ mac[k] ^ kb[k];
            for (int k = 0; k < 8; k++)
                h = mix64(h, (uint64_t)b1[k] << (8 * (k & 7)));
            h = mix64(h, (uint64_t)d1[0] << 24 | (uint64_t)mac[1] << 16 | (uint64_t)kb[2] << 8 | b1[outlen - 1]);
        }
    }
    bench_report(t0);
    printf("sha1_blake2: rounds=%d failures=%d checksum=%016llx\n", scale, failures,
           (unsigned long long)h);
    free(msgs);
    return failures != 0;
}
