/* keccak_merkle.c — SHA-3 / SHAKE (Keccak-f[1600]) and a Merkle tree over it.
 *
 * The round constants come from the degree-8 LFSR of the Keccak specification and the rotation
 * offsets from the (x, y) -> (y, 2x + 3y) walk, both computed at start-up. The permutation works
 * on 25 64-bit lanes with theta, rho-pi, chi and iota steps written as loops over the 5x5 state.
 * A streaming sponge (absorb any chunking, pad with the SHA-3 or SHAKE domain bits, squeeze any
 * amount) gives SHA3-224/256/384/512 and the SHAKE128/256 extendable-output functions; published
 * digests are checked first. The workload hashes generated messages both in one call and in
 * random chunks, squeezes SHAKE output in random pieces, and builds a binary Merkle tree over
 * variable-length records with domain-separated leaf and node hashes; inclusion proofs for
 * random leaves must verify, and tampered proofs, leaves or roots must not.
 */
// bench-cflags: -O3
#include "../programs/bench.h"

static uint64_t round_constants[24];
static int rot_offset[25]; /* indexed x + 5y */
static int failures;

static inline uint64_t rotl64(uint64_t x, int n) { return n ? (x << n) | (x >> (64 - n)) : x; }

/* rc(t) from the LFSR x^8 + x^6 + x^5 + x^4 + 1 */
static int rc_bit(int t)
{
    if (t % 255 == 0)
        return 1;
    unsigned r = 1;
    for (int i = 1; i <= t % 255; i++) {
        r <<= 1;
        if (r & 0x100)
            r ^= 0x171;
    }
    return (int)(r & 1);
}

static void keccak_init_tables(void)
{
    for (int ir = 0; ir < 24; ir++) {
        uint64_t rc = 0;
        for (int j = 0; j <= 6; j++)
            if (rc_bit(j + 7 * ir))
                rc |= 1ULL << ((1 << j) - 1);
        round_constants[ir] = rc;
    }
    rot_offset[0] = 0;
    int x = 1, y = 0;
    for (int t = 0; t < 24; t++) {
        rot_offset[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
        int nx = y, ny = (2 * x + 3 * y) % 5;
        x = nx;
        y = ny;
    }
}

static void keccak_f(uint64_t a[25])
{
    uint64_t b[25], c[5], d[5];
    for (int round = 0; round < 24; round++) {
        for (int x = 0; x < 5; x++)
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++)
            d[x] = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
        for (int i = 0; i < 25; i++)
            a[i] ^= d[i % 5];
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++)
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl64(a[x + 5 * y], rot_offset[x + 5 * y]);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++)
                a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
        a[0] ^= round_constants[round];
    }
}

typedef struct {
    uint64_t a[25];
    int rate;      /* bytes */
    int pos;       /* byte position within the current block */
    uint8_t dsbyte;
    int squeezing;
} sponge_t;

static void sponge_init(sponge_t *s, int capacity_bits, uint8_t dsbyte)
{
    memset(s->a, 0, sizeof s->a);
    s->rate = 200 - capacity_bits / 8;
    s->pos = 0;
    s->dsbyte = dsbyte;
    s->squeezing = 0;
}

static inline void xor_byte(uint64_t *a, int i, uint8_t v) { a[i >> 3] ^= (uint64_t)v << (8 * (i & 7)); }
static inline uint8_t get_byte(const uint64_t *a, int i) { return (uint8_t)(a[i >> 3] >> (8 * (i & 7))); }

static void sponge_absorb(sponge_t *s, const uint8_t *p, size_t n)
{
    while (n > 0) {
        if (s->pos == 0 && n >= (size_t)s->rate && (s->rate & 7) == 0) {
            /* whole block, lane at a time (little-endian lanes) */
            for (int l = 0; l < s->rate / 8; l++) {
                uint64_t v = 0;
                for (int k = 7; k >= 0; k--)
                    v = (v << 8) | p[8 * l + k];
                s->a[l] ^= v;
            }
            keccak_f(s->a);
            p += s->rate;
            n -= (size_t)s->rate;
            continue;
        }
        xor_byte(s->a, s->pos++, *p++);
        n--;
        if (s->pos == s->rate) {
            keccak_f(s->a);
            s->pos = 0;
        }
    }
}

static void sponge_squeeze(sponge_t *s, uint8_t *out, size_t n)
{
    if (!s->squeezing) {
        xor_byte(s->a, s->pos, s->dsbyte);
        xor_byte(s->a, s->rate - 1, 0x80);
        keccak_f(s->a);
        s->pos = 0;
        s->squeezing = 1;
    }
    while (n > 0) {
        if (s->pos == s->rate) {
            keccak_f(s->a);
            s->pos = 0;
        }
        *out++ = get_byte(s->a, s->pos++);
        n--;
    }
}

enum { K_SHA3_224, K_SHA3_256, K_SHA3_384, K_SHA3_512, K_SHAKE128, K_SHAKE256 };

static void kind_init(sponge_t *s, int kind)
{
    switch (kind) {
    case K_SHA3_224: sponge_init(s, 448, 0x06); break;
    case K_SHA3_256: sponge_init(s, 512, 0x06); break;
    case K_SHA3_384: sponge_init(s, 768, 0x06); break;
    case K_SHA3_512: sponge_init(s, 1024, 0x06); break;
    case K_SHAKE128: sponge_init(s, 256, 0x1F); break;
    default: sponge_init(s, 512, 0x1F); break;
    }
}

static size_t kind_outlen(int kind)
{
    static const size_t len[6] = { 28, 32, 48, 64, 64, 64 };
    return len[kind];
}

static void hash_oneshot(int kind, const uint8_t *p, size_t n, uint8_t *out, size_t outlen)
{
    sponge_t s;
    kind_init(&s, kind);
    sponge_absorb(&s, p, n);
    sponge_squeeze(&s, out, outlen);
}

static void sha3_256(const uint8_t *p, size_t n, uint8_t out[32]) { hash_oneshot(K_SHA3_256, p, n, out, 32); }

/* ---------- known answers ---------- */

enum { MSG_TEXT, MSG_A3x200, MSG_PATTERN1000 };
typedef struct {
    int kind;
    int msg;
    const char *text;
    size_t len;
    const char *hex;
} vector_t;

static const vector_t vectors[] = {
    { K_SHA3_224, MSG_TEXT, "", 0, "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7" },
    { K_SHA3_256, MSG_TEXT, "", 0, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a" },
    { K_SHA3_384, MSG_TEXT, "", 0, "0c63a75b845e4f7d01107d852e4c2485c51a50aaaa94fc61995e71bbee983a2ac3713831264adb47fb6bd1e058d5f004" },
    { K_SHA3_512, MSG_TEXT, "", 0, "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26" },
    { K_SHAKE128, MSG_TEXT, "", 0, "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef263cb1eea988004b93103cfb0aeefd2a686e01fa4a58e8a3639ca8a1e3f9ae57e2" },
    { K_SHAKE256, MSG_TEXT, "", 0, "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be" },
    { K_SHA3_224, MSG_TEXT, "abc", 0, "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf" },
    { K_SHA3_256, MSG_TEXT, "abc", 0, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532" },
    { K_SHA3_384, MSG_TEXT, "abc", 0, "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25" },
    { K_SHA3_512, MSG_TEXT, "abc", 0, "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0" },
    { K_SHAKE128, MSG_TEXT, "abc", 0, "5881092dd818bf5cf8a3ddb793fbcba74097d5c526a6d35f97b83351940f2cc844c50af32acd3f2cdd066568706f509bc1bdde58295dae3f891a9a0fca578378" },
    { K_SHAKE256, MSG_TEXT, "abc", 0, "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739d5a15bef186a5386c75744c0527e1faa9f8726e462a12a4feb06bd8801e751e4" },
    { K_SHA3_224, MSG_TEXT, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0, "8a24108b154ada21c9fd5574494479ba5c7e7ab76ef264ead0fcce33" },
    { K_SHA3_256, MSG_TEXT, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0, "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376" },
    { K_SHA3_384, MSG_TEXT, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0, "991c665755eb3a4b6bbdfb75c78a492e8c56a22c5c4d7e429bfdbc32b9d4ad5aa04a1f076e62fea19eef51acd0657c22" },
    { K_SHA3_512, MSG_TEXT, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0, "04a371e84ecfb5b8b77cb48610fca8182dd457ce6f326a0fd3d7ec2f1e91636dee691fbe0c985302ba1b0d8dc78c086346b533b49c030d99a27daf1139d6e75e" },
    { K_SHAKE128, MSG_TEXT, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0, "1a96182b50fb8c7e74e0a707788f55e98209b8d91fade8f32f8dd5cff7bf21f54ee5f19550825a6e070030519e944263ac1c6765287065621f9fcb3201723e32" },
    { K_SHAKE256, MSG_TEXT, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0, "4d8c2dd2435a0128eefbb8c36f6f87133a7911e18d979ee1ae6be5d4fd2e332940d8688a4e6a59aa8060f1f9bc996c05aca3c696a8b66279dc672c740bb224ec" },
    { K_SHA3_224, MSG_A3x200, NULL, 200, "9376816aba503f72f96ce7eb65ac095deee3be4bf9bbc2a1cb7e11e0" },
    { K_SHA3_256, MSG_A3x200, NULL, 200, "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787" },
    { K_SHA3_384, MSG_A3x200, NULL, 200, "1881de2ca7e41ef95dc4732b8f5f002b189cc1e42b74168ed1732649ce1dbcdd76197a31fd55ee989f2d7050dd473e8f" },
    { K_SHA3_512, MSG_A3x200, NULL, 200, "e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca81b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00" },
    { K_SHAKE128, MSG_A3x200, NULL, 200, "131ab8d2b594946b9c81333f9bb6e0ce75c3b93104fa3469d3917457385da037cf232ef7164a6d1eb448c8908186ad852d3f85a5cf28da1ab6fe343817197846" },
    { K_SHAKE256, MSG_A3x200, NULL, 200, "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d2d700caae7396ece96604440577da4f3aa22aeb8857f961c4cd8e06f0ae6610b" },
    { K_SHA3_224, MSG_PATTERN1000, NULL, 1000, "56812d3d31242051de174106777f4108c791ab801f1569f73d57fa0b" },
    { K_SHA3_256, MSG_PATTERN1000, NULL, 1000, "bd8b4d76041e0135e53fab1aaf425c7b1c129d8878ffb64cc31230ccafd7dc7c" },
    { K_SHA3_384, MSG_PATTERN1000, NULL, 1000, "01269eed23d8f1c00d333933989211974c16fed038dfde30f8514168ae13e8409f565dbe4d81399b6ed23db9762f7989" },
    { K_SHA3_512, MSG_PATTERN1000, NULL, 1000, "3d71681b54b99f11ddeb233b0a41b65896f7b30dda9e83d52864a4e818a09408e2f306028abe973298f96ee081a06e5ac8156cd7b856f0eb28270e1ca37bd0c6" },
    { K_SHAKE128, MSG_PATTERN1000, NULL, 1000, "e666e4224e1a10753e9267e04c93764c4380baad17313529724720d9fca679af826492f91bcec4a81f460b694e8ce8366952c07efc0d5f158bb4a62ab2adbe1e" },
    { K_SHAKE256, MSG_PATTERN1000, NULL, 1000, "980bf59987a720e516297296f92a27bba960e48a40bd01a0415b2e5dee26313d0a3f3ce47abe9e0f73cf74dc4fe68a5d51259bda988fa50fe68735dcda7edc52" },
};

static int hexval(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

static void check_vectors(void)
{
    uint8_t msg[1000], out[64];
    for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        const vector_t *t = &vectors[v];
        size_t len;
        if (t->msg == MSG_TEXT) {
            len = strlen(t->text);
            memcpy(msg, t->text, len);
        } else if (t->msg == MSG_A3x200) {
            len = 200;
            memset(msg, 0xA3, len);
        } else {
            len = 1000;
            for (size_t i = 0; i < len; i++)
                msg[i] = (uint8_t)(i * 7 + 3);
        }
        size_t outlen = strlen(t->hex) / 2;
        hash_oneshot(t->kind, msg, len, out, outlen);
        for (size_t i = 0; i < outlen; i++)
            if (out[i] != (uint8_t)(hexval(t->hex[2 * i]) * 16 + hexval(t->hex[2 * i + 1])))
                failures++;
    }
}

/* ---------- Merkle tree ---------- */

typedef struct {
    int nleaves;
    int nlevels;
    int count[24];      /* nodes per level */
    uint8_t *level[24]; /* 32-byte hashes */
} merkle_t;

static void leaf_hash(const uint8_t *rec, size_t len, uint8_t out[32])
{
    sponge_t s;
    uint8_t tag = 0x00;
    kind_init(&s, K_SHA3_256);
    sponge_absorb(&s, &tag, 1);
    sponge_absorb(&s, rec, len);
    sponge_squeeze(&s, out, 32);
}

static void node_hash(const uint8_t *l, const uint8_t *r, uint8_t out[32])
{
    uint8_t buf[65];
    buf[0] = 0x01;
    memcpy(buf + 1, l, 32);
    memcpy(buf + 33, r, 32);
    sha3_256(buf, 65, out);
}

static void merkle_build(merkle_t *m, uint8_t *const *recs, const size_t *lens, int n)
{
    m->nleaves = n;
    m->level[0] = malloc((size_t)n * 32);
    m->count[0] = n;
    for (int i = 0; i < n; i++)
        leaf_hash(recs[i], lens[i], m->level[0] + 32 * i);
    int lv = 0;
    while (m->count[lv] > 1) {
        int cn = m->count[lv], pn = (cn + 1) / 2;
        m->level[lv + 1] = malloc((size_t)pn * 32);
        m->count[lv + 1] = pn;
        for (int i = 0; i < pn; i++) {
            const uint8_t *l = m->level[lv] + 64 * i;
            if (2 * i + 1 < cn)
                node_hash(l, l + 32, m->level[lv + 1] + 32 * i);
            else
                memcpy(m->level[lv + 1] + 32 * i, l, 32); /* odd node promoted */
        }
        lv++;
    }
    m->nlevels = lv + 1;
}

static void merkle_free(merkle_t *m)
{
    for (int i = 0; i < m->nlevels; i++)
        free(m->level[i]);
}

typedef struct {
    int n;
    uint8_t sib[24][32];
    uint8_t right[24]; /* sibling is on the right */
    uint8_t present[24];
} proof_t;

static void merkle_proof(const merkle_t *m, int idx, proof_t *p)
{
    p->n = m->nlevels - 1;
    for (int lv = 0; lv < m->nlevels - 1; lv++) {
        int sib = idx ^ 1;
        p->present[lv] = sib < m->count[lv];
        if (p->present[lv])
            memcpy(p->sib[lv], m->level[lv] + 32 * sib, 32);
        p->right[lv] = (idx & 1) == 0;
        idx >>= 1;
    }
}

static int merkle_verify(const uint8_t *rec, size_t len, const proof_t *p, const uint8_t root[32])
{
    uint8_t h[32];
    leaf_hash(rec, len, h);
    for (int lv = 0; lv < p->n; lv++) {
        if (!p->present[lv])
            continue;
        if (p->right[lv])
            node_hash(h, p->sib[lv], h);
        else
            node_hash(p->sib[lv], h, h);
    }
    return memcmp(h, root, 32) == 0;
}

#define NREC 600

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 250);
    keccak_init_tables();
    if (round_constants[0] != 1 || round_constants[1] != 0x8082 || round_constants[23] != 0x8000000080008008ULL ||
        rot_offset[1] != 1 || rot_offset[24] != 14)
        failures++;

    bench_rng g = { 0xC0FFEE1234567ULL };
    static uint8_t data[1 << 16];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(rng_next(&g) >> 56);
    uint8_t *recs[NREC];
    size_t lens[NREC];
    for (int i = 0; i < NREC; i++) {
        lens[i] = rng_below(&g, 700);
        recs[i] = malloc(lens[i] + 1);
        memcpy(recs[i], data + rng_below(&g, 60000), lens[i]);
    }

    check_vectors();
    double t0 = bench_now();
    uint64_t h = 0x1F83D9ABFB41BD6BULL;
    uint8_t out1[64], out2[64];
    static uint8_t xof1[4096], xof2[4096];
    for (int round = 0; round < scale; round++) {
        /* one-shot versus chunked hashing of every kind */
        for (int m = 0; m < 60; m++) {
            int kind = (int)rng_below(&g, 6);
            size_t len = rng_below(&g, 3000);
            const uint8_t *msg = data + rng_below(&g, (uint32_t)(sizeof data - len));
            size_t outlen = kind_outlen(kind);
            hash_oneshot(kind, msg, len, out1, outlen);
            sponge_t s;
            kind_init(&s, kind);
            size_t at = 0;
            while (at < len) {
                size_t c = 1 + rng_below(&g, 300);
                if (c > len - at)
                    c = len - at;
                sponge_absorb(&s, msg + at, c);
                at += c;
            }
            sponge_squeeze(&s, out2, outlen);
            if (memcmp(out1, out2, outlen) != 0)
                failures++;
            for (size_t i = 0; i < outlen; i += 8)
                h = mix64(h, out1[i]);
        }

        /* SHAKE as an XOF, squeezed in pieces */
        {
            int kind = round & 1 ? K_SHAKE256 : K_SHAKE128;
            size_t len = 100 + rng_below(&g, 1000);
            hash_oneshot(kind, data + round, len, xof1, sizeof xof1);
            sponge_t s;
            kind_init(&s, kind);
            sponge_absorb(&s, data + round, len);
            size_t at = 0;
            while (at < sizeof xof2) {
                size_t c = 1 + rng_below(&g, 500);
                if (c > sizeof xof2 - at)
                    c = sizeof xof2 - at;
                sponge_squeeze(&s, xof2 + at, c);
                at += c;
            }
            if (memcmp(xof1, xof2, sizeof xof1) != 0)
                failures++;
            h = mix64(h, ((uint64_t)xof1[4095] << 8) | xof1[0]);
        }

        /* Merkle tree over the records, with a few records edited each round */
        for (int e = 0; e < 4; e++) {
            int r = (int)rng_below(&g, NREC);
            if (lens[r])
                recs[r][rng_below(&g, (uint32_t)lens[r])] ^= (uint8_t)(1 + rng_below(&g, 255));
        }
        int n = NREC - (int)rng_below(&g, 40);
        merkle_t mt;
        merkle_build(&mt, recs, lens, n);
        const uint8_t *root = mt.level[mt.nlevels - 1];
        for (int i = 0; i < 32; i += 8)
            h = mix64(h, root[i]);
        for (int q = 0; q < 24; q++) {
            int idx = (int)rng_below(&g, (uint32_t)n);
            proof_t p;
            merkle_proof(&mt, idx, &p);
            if (!merkle_verify(recs[idx], lens[idx], &p, root))
                failures++;
            /* a proof for another record, a flipped sibling bit, a wrong root: all rejected */
            int other = (idx + 1 + (int)rng_below(&g, (uint32_t)n - 1)) % n;
            if (lens[other] != lens[idx] || memcmp(recs[other], recs[idx], lens[idx]) != 0)
                if (merkle_verify(recs[other], lens[other], &p, root))
                    failures++;
            int lv = (int)rng_below(&g, (uint32_t)p.n);
            if (p.present[lv]) {
                p.sib[lv][rng_below(&g, 32)] ^= (uint8_t)(1u << rng_below(&g, 8));
                if (merkle_verify(recs[idx], lens[idx], &p, root))
                    failures++;
            }
            uint8_t bad_root[32];
            memcpy(bad_root, root, 32);
            bad_root[q & 31] ^= 0x40;
            merkle_proof(&mt, idx, &p);
            if (merkle_verify(recs[idx], lens[idx], &p, bad_root))
                failures++;
        }
        merkle_free(&mt);

        /* a digest chain */
        uint8_t d[32] = { 0 };
        for (int i = 0; i < 200; i++)
            sha3_256(d, 32, d);
        h = mix64(h, ((uint64_t)d[0] << 24) | ((uint64_t)d[1] << 16) | ((uint64_t)d[2] << 8) | d[3]);
    }
    bench_report(t0);
    for (int i = 0; i < NREC; i++)
        free(recs[i]);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
