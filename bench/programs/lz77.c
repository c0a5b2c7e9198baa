/* lz77 — a byte-oriented LZ77 compressor (hash of 4-byte prefixes, greedy matching) and its
 * decompressor, round-tripped over generated text-like data.
 *
 * Format: a token byte, high nibble = literal count, low nibble = match length - 4 (15: more
 * bytes follow, 255-continued, as for the literal count); then literals; then a 2-byte
 * little-endian distance (absent after the last literals). */
#include "bench.h"

#define INPUT_SIZE (1 << 20)
#define HASH_BITS 14
#define MIN_MATCH 4
#define MAX_DIST 65535

static uint8_t input[INPUT_SIZE], packed[INPUT_SIZE + INPUT_SIZE / 8 + 64], output[INPUT_SIZE];
static uint32_t table[1 << HASH_BITS];

static inline uint32_t read32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint32_t hash4(uint32_t v) { return (v * 2654435761u) >> (32 - HASH_BITS); }

static uint8_t *put_length(uint8_t *out, size_t n)
{
    while (n >= 255) { *out++ = 255; n -= 255; }
    *out++ = (uint8_t)n;
    return out;
}

static size_t compress(const uint8_t *src, size_t len, uint8_t *dst)
{
    memset(table, 0, sizeof table);
    uint8_t *out = dst;
    size_t anchor = 0, pos = 1;
    while (pos + MIN_MATCH + 8 < len) {
        uint32_t v = read32(src + pos);
        uint32_t h = hash4(v);
        size_t cand = table[h];
        table[h] = (uint32_t)pos;
        if (cand == 0 || pos - cand > MAX_DIST || read32(src + cand) != v) {
            pos++;
            continue;
        }
        size_t m = MIN_MATCH;
        while (pos + m < len - 8 && src[cand + m] == src[pos + m])
            m++;
        size_t lits = pos - anchor;
        uint8_t *token = out++;
        *token = (uint8_t)((lits < 15 ? lits : 15) << 4 | (m - MIN_MATCH < 15 ? m - MIN_MATCH : 15));
        if (lits >= 15) out = put_length(out, lits - 15);
        memcpy(out, src + anchor, lits);
        out += lits;
        if (m - MIN_MATCH >= 15) out = put_length(out, m - MIN_MATCH - 15);
        size_t dist = pos - cand;
        *out++ = (uint8_t)dist;
        *out++ = (uint8_t)(dist >> 8);
        /* Index a couple of positions inside the match so later matches find it. */
        table[hash4(read32(src + pos + m - 2))] = (uint32_t)(pos + m - 2);
        pos += m;
        anchor = pos;
    }
    size_t lits = len - anchor;
    *out++ = (uint8_t)((lits < 15 ? lits : 15) << 4);
    if (lits >= 15) out = put_length(out, lits - 15);
    memcpy(out, src + anchor, lits);
    out += lits;
    return (size_t)(out - dst);
}

static size_t decompress(const uint8_t *src, size_t len, uint8_t *dst)
{
    const uint8_t *in = src, *end = src + len;
    uint8_t *out = dst;
    for (;;) {
        uint8_t token = *in++;
        size_t lits = token >> 4;
        if (lits == 15) { uint8_t b; do { b = *in++; lits += b; } while (b == 255); }
        memcpy(out, in, lits);
        out += lits;
        in += lits;
        if (in >= end)
            break;
        size_t m = (token & 15);
        if (m == 15) { uint8_t b; do { b = *in++; m += b; } while (b == 255); }
        m += MIN_MATCH;
        size_t dist = (size_t)in[0] | (size_t)in[1] << 8;
        in += 2;
        const uint8_t *from = out - dist;
        for (size_t i = 0; i < m; i++)   /* byte by byte: source and destination may overlap */
            out[i] = from[i];
        out += m;
    }
    return (size_t)(out - dst);
}

static void generate(bench_rng *rng)
{
    static const char *words[] = {
        "kiln", "wasm", "native", "shared", "object", "memory", "linear", "table", "global", "trap",
        "the", "of", "and", "a", "to", "in", "is", "compile", "lower", "optimise", "vector", "loop",
        "function", "module", "instance", "import", "export", "stack", "guard", "page", "signal",
    };
    const int nwords = (int)(sizeof words / sizeof words[0]);
    size_t pos = 0;
    while (pos < INPUT_SIZE) {
        uint32_t pick = rng_below(rng, 100);
        const char *w;
        char num[16];
        if (pick < 90)
            w = words[rng_below(rng, (uint32_t)nwords) % (uint32_t)(pick < 45 ? 8 : nwords)];
        else {
            snprintf(num, sizeof num, "%u", rng_below(rng, 100000));
            w = num;
        }
        for (const char *c = w; *c && pos < INPUT_SIZE; c++)
            input[pos++] = (uint8_t)*c;
        if (pos < INPUT_SIZE)
            input[pos++] = rng_below(rng, 12) == 0 ? '\n' : ' ';
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 160);
    bench_rng rng = { 7 };
    generate(&rng);
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    size_t packed_len = 0;
    for (int r = 0; r < scale; r++) {
        input[(r * 7919) % INPUT_SIZE] ^= (uint8_t)(r + 1);   /* vary the input a little */
        packed_len = compress(input, INPUT_SIZE, packed);
        size_t n = decompress(packed, packed_len, output);
        if (n != INPUT_SIZE || memcmp(input, output, INPUT_SIZE) != 0) {
            printf("lz77 round trip failed at repetition %d\n", r);
            return 1;
        }
        h = mix64(h, packed_len);
        h = mix64(h, read32(packed + packed_len / 2));
    }
    bench_report(start);
    printf("lz77 input=%d reps=%d packed=%zu checksum=%016llx\n", INPUT_SIZE, scale, packed_len, (unsigned long long)h);
    return 0;
}
