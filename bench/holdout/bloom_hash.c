/* bloom_hash — an xxHash-style 64-bit hash over variable-length keys feeding a Bloom filter (insert, then query members and non-members).
 *
 * The hash processes 32-byte stripes with four accumulators, then 8-, 4- and 1-byte tails, and
 * finishes with an avalanche step; unaligned loads go through memcpy. The Bloom filter derives its
 * k probe positions from one 64-bit hash by double hashing. Keys (URLs, user ids, random binary
 * blobs, 3 to 120 bytes) are generated before the timer starts. Each round uses a new seed and a
 * different half of the keys as members, and counts false positives among the rest. */
#include "../programs/bench.h"

#define NKEYS 200000
#define BITS_PER_KEY 10
#define NPROBES 7

static const uint64_t P1 = 0x9E3779B185EBCA87ULL, P2 = 0xC2B2AE3D27D4EB4FULL, P3 = 0x165667B19E3779F9ULL,
                      P4 = 0x85EBCA77C2B2AE63ULL, P5 = 0x27D4EB2F165667C5ULL;

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static inline uint64_t round64(uint64_t acc, uint64_t in)
{
    acc += in * P2;
    acc = rotl(acc, 31);
    return acc * P1;
}

static inline uint64_t merge64(uint64_t acc, uint64_t v)
{
    acc ^= round64(0, v);
    return acc * P1 + P4;
}

static uint64_t hash64(const void *data, size_t len, uint64_t seed)
{
    const uint8_t *p = data, *end = p + len;
    uint64_t h;
    if (len >= 32) {
        uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
        const uint8_t *limit = end - 32;
        do {
            v1 = round64(v1, rd64(p));
            v2 = round64(v2, rd64(p + 8));
            v3 = round64(v3, rd64(p + 16));
            v4 = round64(v4, rd64(p + 24));
            p += 32;
        } while (p <= limit);
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
        h = merge64(h, v1);
        h = merge64(h, v2);
        h = merge64(h, v3);
        h = merge64(h, v4);
    } else {
        h = seed + P5;
    }
    h += (uint64_t)len;
    while (p + 8 <= end) {
        h ^= round64(0, rd64(p));
        h = rotl(h, 27) * P1 + P4;
        p += 8;
    }
    if (p + 4 <= end) {
        h ^= (uint64_t)rd32(p) * P1;
        h = rotl(h, 23) * P2 + P3;
        p += 4;
    }
    while (p < end) {
        h ^= (*p++) * P5;
        h = rotl(h, 11) * P1;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

typedef struct {
    uint64_t *words;
    uint32_t nbits;
} bloom;

static void bloom_add(bloom *b, uint64_t h)
{
    uint32_t h1 = (uint32_t)h, h2 = (uint32_t)(h >> 32) | 1;
    for (int i = 0; i < NPROBES; i++) {
        uint32_t bit = (h1 + (uint32_t)i * h2) % b->nbits;
        b->words[bit >> 6] |= 1ULL << (bit & 63);
    }
}

static int bloom_query(const bloom *b, uint64_t h)
{
    uint32_t h1 = (uint32_t)h, h2 = (uint32_t)(h >> 32) | 1;
    for (int i = 0; i < NPROBES; i++) {
        uint32_t bit = (h1 + (uint32_t)i * h2) % b->nbits;
        if (!(b->words[bit >> 6] >> (bit & 63) & 1)) return 0;
    }
    return 1;
}

static const char *hosts[] = { "example.com", "shop.example.org", "api.internal", "cdn.static.net", "mail.host.io" };
static const char *paths[] = { "index.html", "products", "cart/checkout", "users/profile/settings", "search", "img/logo.png" };

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 76);
    bench_rng rng = { 0xB100FULL };
    uint32_t *off = malloc(sizeof(uint32_t) * (NKEYS + 1));
    char *pool = malloc((size_t)NKEYS * 128);
    uint32_t pos = 0;
    for (int i = 0; i < NKEYS; i++) {
        off[i] = pos;
        char *k = pool + pos;
        int n;
        switch (i % 3) {
        case 0:
            n = snprintf(k, 128, "https://%s/%s?id=%u&page=%u", hosts[rng_below(&rng, 5)], paths[rng_below(&rng, 6)],
                         (unsigned)i, rng_below(&rng, 50));
            break;
        case 1:
            n = snprintf(k, 128, "user:%08x:%u", (unsigned)(i * 2654435761u), rng_below(&rng, 10));
            break;
        default:
            n = 3 + (int)rng_below(&rng, 118);
            for (int j = 0; j < n; j++) k[j] = (char)rng_below(&rng, 256);
            memcpy(k, &i, sizeof i < (size_t)n ? sizeof i : (size_t)n);   /* keeps the blobs distinct */
            if (n < 4) k[0] = (char)i, k[1] = (char)(i >> 8), k[2] = (char)(i >> 16);
            break;
        }
        pos += (uint32_t)n;
    }
    off[NKEYS] = pos;
    bloom b;
    b.nbits = NKEYS / 2 * BITS_PER_KEY + 13;     /* members are half the keys */
    b.words = malloc(sizeof(uint64_t) * (b.nbits / 64 + 1));

    double start = bench_now();
    uint64_t h = 0;
    long fp_total = 0;
    for (int round = 0; round < scale; round++) {
        uint64_t seed = 0x5EEDULL * (uint64_t)(round + 1);
        memset(b.words, 0, sizeof(uint64_t) * (b.nbits / 64 + 1));
        uint64_t xo = 0;
        for (int i = 0; i < NKEYS; i++) {
            if (((uint32_t)i * 0x9E3779B1u + (uint32_t)round) >> 31) continue;   /* member iff top bit is 0 */
            uint64_t kh = hash64(pool + off[i], off[i + 1] - off[i], seed);
            bloom_add(&b, kh);
            xo ^= kh;
        }
        long hits = 0, fp = 0;
        for (int i = 0; i < NKEYS; i++) {
            int member = !(((uint32_t)i * 0x9E3779B1u + (uint32_t)round) >> 31);
            int q = bloom_query(&b, hash64(pool + off[i], off[i + 1] - off[i], seed));
            if (member && !q) { printf("bloom_hash: false negative\n"); return 1; }
            hits += q;
            fp += q && !member;
        }
        fp_total += fp;
        h = mix64(h, xo);
        h = mix64(h, (uint64_t)hits << 32 | (uint64_t)fp);
    }
    bench_report(start);
    printf("bloom_hash keys=%d bytes=%u rounds=%d false_positives=%ld checksum=%016llx\n", NKEYS, pos, scale, fp_total,
           (unsigned long long)h);
    return 0;
}
