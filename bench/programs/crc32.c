/* crc32 — CRC-32 (IEEE 802.3, reflected 0xEDB88320) with a slice-by-4 table, plus Adler-32,
 * over a buffer that changes a little between passes. */
#include "bench.h"

#define SIZE (1 << 20)

static uint8_t buf[SIZE];
static uint32_t table[4][256];

static void make_tables(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 4; t++)
            table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xFF];
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n >= 4) {
        c ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        c = table[3][c & 0xFF] ^ table[2][(c >> 8) & 0xFF] ^ table[1][(c >> 16) & 0xFF] ^ table[0][c >> 24];
        p += 4;
        n -= 4;
    }
    while (n--) c = table[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
    return ~c;
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;
    while (n > 0) {
        size_t chunk = n < 5552 ? n : 5552;   /* largest run without overflowing 32 bits */
        n -= chunk;
        while (chunk--) { a += *p++; b += a; }
        a %= 65521u;
        b %= 65521u;
    }
    return b << 16 | a;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 1000);
    make_tables();
    if (crc32((const uint8_t *)"123456789", 9) != 0xCBF43926u) { printf("crc32 self-check failed\n"); return 1; }
    bench_rng rng = { 11 };
    for (size_t i = 0; i < SIZE; i++) buf[i] = (uint8_t)(rng_next(&rng) >> 56);
    double start = bench_now();
    uint64_t h = 0;
    for (int r = 0; r < scale; r++) {
        buf[(r * 65537) % SIZE] ^= 0x5A;
        h = mix64(h, crc32(buf, SIZE - (size_t)(r & 3)));
        h = mix64(h, adler32(buf, SIZE));
    }
    bench_report(start);
    printf("crc32 size=%d reps=%d checksum=%016llx\n", SIZE, scale, (unsigned long long)h);
    return 0;
}
