/* base64 — RFC 4648 encoding and decoding (with validation) of a binary buffer, round-tripped. */
#include "bench.h"

#define RAW_SIZE (3 << 18)

static uint8_t raw[RAW_SIZE], back[RAW_SIZE];
static char encoded[RAW_SIZE / 3 * 4 + 4];
static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static int8_t values[256];

static size_t encode(const uint8_t *in, size_t n, char *out)
{
    char *o = out;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        o[0] = digits[v >> 18]; o[1] = digits[(v >> 12) & 63]; o[2] = digits[(v >> 6) & 63]; o[3] = digits[v & 63];
        o += 4;
    }
    if (i < n) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
        o[0] = digits[v >> 18]; o[1] = digits[(v >> 12) & 63];
        o[2] = i + 1 < n ? digits[(v >> 6) & 63] : '='; o[3] = '=';
        o += 4;
    }
    return (size_t)(o - out);
}

/* Returns the decoded length, or -1 on a character outside the alphabet. */
static long decode(const char *in, size_t n, uint8_t *out)
{
    uint8_t *o = out;
    for (size_t i = 0; i < n; i += 4) {
        int a = values[(uint8_t)in[i]], b = values[(uint8_t)in[i + 1]];
        int c = in[i + 2] == '=' ? 0 : values[(uint8_t)in[i + 2]];
        int d = in[i + 3] == '=' ? 0 : values[(uint8_t)in[i + 3]];
        if ((a | b | c | d) < 0) return -1;
        uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
        *o++ = (uint8_t)(v >> 16);
        if (in[i + 2] != '=') *o++ = (uint8_t)(v >> 8);
        if (in[i + 3] != '=') *o++ = (uint8_t)v;
    }
    return (long)(o - out);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 1250);
    memset(values, -1, sizeof values);
    for (int i = 0; i < 64; i++) values[(uint8_t)digits[i]] = (int8_t)i;
    bench_rng rng = { 314159 };
    for (size_t i = 0; i < RAW_SIZE; i++) raw[i] = (uint8_t)rng_next(&rng);
    double start = bench_now();
    uint64_t h = 0;
    for (int r = 0; r < scale; r++) {
        size_t n = RAW_SIZE - (size_t)(r % 3);   /* exercise the padded endings too */
        raw[(r * 104729) % RAW_SIZE] += 1;
        size_t len = encode(raw, n, encoded);
        long m = decode(encoded, len, back);
        if (m != (long)n || memcmp(raw, back, n) != 0) { printf("base64: round trip failed\n"); return 1; }
        h = mix64(h, (uint64_t)(uint8_t)encoded[(r * 31) % len]);
        h = mix64(h, len);
    }
    bench_report(start);
    printf("base64 raw=%d reps=%d checksum=%016llx\n", RAW_SIZE, scale, (unsigned long long)h);
    return 0;
}
