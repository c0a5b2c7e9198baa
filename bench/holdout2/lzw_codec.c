/* lzw_codec — LZW compression and decompression round trip with variable-width codes (9..16 bits),
 * an open-addressing (prefix, byte) dictionary, clear codes when the table fills, and an MSB-first bit packer.
 * bench-cflags: -Os
 *
 * The input is a generated mix of English-like text built from a word list, repetitive log-style
 * records and short runs of noisy binary, so the dictionary sees both long and short matches.
 * Each round compresses the buffer, decompresses it with a prefix/suffix table and an explicit
 * reversal stack, and verifies the result byte for byte. */
#include "../programs/bench.h"

#define INPUT_SIZE (1 << 20)
#define MAX_BITS 16
#define MAX_CODES (1 << MAX_BITS)
#define CLEAR_CODE 256
#define END_CODE 257
#define FIRST_CODE 258
#define HASH_SIZE (1 << 17)

typedef struct {
    uint8_t *buf;
    size_t pos;
    uint32_t acc;
    int nbits;
} bitwriter;

static void put_code(bitwriter *w, uint32_t code, int width)
{
    w->acc = (w->acc << width) | code;
    w->nbits += width;
    while (w->nbits >= 8) {
        w->nbits -= 8;
        w->buf[w->pos++] = (uint8_t)(w->acc >> w->nbits);
    }
    w->acc &= (1u << w->nbits) - 1;
}

static void flush_bits(bitwriter *w)
{
    if (w->nbits > 0) w->buf[w->pos++] = (uint8_t)(w->acc << (8 - w->nbits));
    w->nbits = 0;
    w->acc = 0;
}

typedef struct {
    const uint8_t *buf;
    size_t len, pos;
    uint32_t acc;
    int nbits;
} bitreader;

static int get_code(bitreader *r, int width, uint32_t *out)
{
    while (r->nbits < width) {
        if (r->pos >= r->len) return 0;
        r->acc = (r->acc << 8) | r->buf[r->pos++];
        r->nbits += 8;
    }
    r->nbits -= width;
    *out = (r->acc >> r->nbits) & ((1u << width) - 1);
    r->acc &= (1u << r->nbits) - 1;
    return 1;
}

/* Dictionary for the compressor: key = prefix code << 8 | byte. */
typedef struct {
    uint32_t key[HASH_SIZE];
    uint16_t code[HASH_SIZE];
    uint8_t used[HASH_SIZE];
} dict;

static size_t lzw_compress(const uint8_t *in, size_t n, uint8_t *out, dict *d)
{
    bitwriter w = { out, 0, 0, 0 };
    memset(d->used, 0, sizeof d->used);
    uint32_t next = FIRST_CODE;
    int width = 9;
    put_code(&w, CLEAR_CODE, width);
    if (n == 0) {
        put_code(&w, END_CODE, width);
        flush_bits(&w);
        return w.pos;
    }
    uint32_t prefix = in[0];
    for (size_t i = 1; i < n; i++) {
        uint8_t c = in[i];
        uint32_t key = prefix << 8 | c;
        uint32_t hsh = (key * 2654435761u) >> (32 - 17);
        for (;;) {
            if (!d->used[hsh]) break;
            if (d->key[hsh] == key) break;
            hsh = (hsh + 1) & (HASH_SIZE - 1);
        }
        if (d->used[hsh]) {
            prefix = d->code[hsh];
            continue;
        }
        put_code(&w, prefix, width);
        if (next < MAX_CODES) {
            d->used[hsh] = 1;
            d->key[hsh] = key;
            d->code[hsh] = (uint16_t)next;
            next++;
            if (next > (1u << width) && width < MAX_BITS) width++;
        } else {
            put_code(&w, CLEAR_CODE, width);
            memset(d->used, 0, sizeof d->used);
            next = FIRST_CODE;
            width = 9;
        }
        prefix = c;
    }
    put_code(&w, prefix, width);
    if (next < MAX_CODES && next + 1 > (1u << width) && width < MAX_BITS) width++;
    put_code(&w, END_CODE, width);
    flush_bits(&w);
    return w.pos;
}

typedef struct {
    uint16_t prefix[MAX_CODES];
    uint8_t suffix[MAX_CODES];
    uint8_t first[MAX_CODES];
    uint8_t stack[MAX_CODES];
} dtable;

/* Returns decoded length, or (size_t)-1 on malformed input. */
static size_t lzw_decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap, dtable *t)
{
    bitreader r = { in, n, 0, 0, 0 };
    size_t o = 0;
    for (uint32_t i = 0; i < 256; i++) { t->suffix[i] = (uint8_t)i; t->first[i] = (uint8_t)i; }
    int width = 9;
    uint32_t next = FIRST_CODE, prev = CLEAR_CODE, code;
    while (get_code(&r, width, &code)) {
        if (code == END_CODE) return o;
        if (code == CLEAR_CODE) {
            width = 9;
            next = FIRST_CODE;
            prev = CLEAR_CODE;
            continue;
        }
        uint32_t cur = code;
        int sp = 0;
        if (prev == CLEAR_CODE) {
            if (code > 255 || o >= cap) return (size_t)-1;
            out[o++] = (uint8_t)code;
            prev = code;
            continue;
        }
        if (code > next) return (size_t)-1;
        if (code == next) {
            /* KwKwK case: the code being defined right now. */
            t->stack[sp++] = t->first[prev];
            cur = prev;
        }
        while (cur >= FIRST_CODE) {
            t->stack[sp++] = t->suffix[cur];
            cur = t->prefix[cur];
        }
        t->stack[sp++] = (uint8_t)cur;
        if (o + (size_t)sp > cap) return (size_t)-1;
        while (sp > 0) out[o++] = t->stack[--sp];
        if (next < MAX_CODES) {
            t->prefix[next] = (uint16_t)prev;
            t->suffix[next] = (uint8_t)cur;
            t->first[next] = t->first[prev];
            next++;
            if (next + 1 > (1u << width) && width < MAX_BITS) width++;
        }
        prev = code;
    }
    return (size_t)-1;
}

static const char *words[] = {
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by",
    "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had",
    "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if",
    "more", "when", "will", "would", "who", "so", "no", "compression", "dictionary", "stream",
    "window", "symbol", "between", "through", "during", "against", "without", "mountain", "river",
    "harbour", "lantern", "quietly", "remarkable", "interval", "measurement", "throughput",
};

static size_t gen_input(uint8_t *buf, size_t n, bench_rng *r)
{
    size_t o = 0;
    const int nw = (int)(sizeof words / sizeof words[0]);
    while (o < n) {
        uint32_t kind = rng_below(r, 10);
        char line[256];
        int len = 0;
        if (kind < 6) {
            /* a sentence with a Zipf-ish word choice */
            int cnt = 6 + (int)rng_below(r, 14);
            for (int i = 0; i < cnt && len < 200; i++) {
                uint32_t a = rng_below(r, (uint32_t)nw), b = rng_below(r, (uint32_t)nw);
                const char *wd = words[a < b ? a : b];
                size_t wl = strlen(wd);
                memcpy(line + len, wd, wl);
                len += (int)wl;
                line[len++] = i + 1 < cnt ? ' ' : '.';
            }
            line[len++] = '\n';
        } else if (kind < 9) {
            len = snprintf(line, sizeof line, "%04u-%02u-%02u level=%s user=%u bytes=%u\n",
                           2020 + rng_below(r, 6), 1 + rng_below(r, 12), 1 + rng_below(r, 28),
                           rng_below(r, 5) ? "info" : "warn", rng_below(r, 500), rng_below(r, 100000));
        } else {
            len = 16 + (int)rng_below(r, 48);
            for (int i = 0; i < len; i++) line[i] = (char)rng_below(r, 256);
        }
        for (int i = 0; i < len && o < n; i++) buf[o++] = (uint8_t)line[i];
    }
    return o;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 52);
    bench_rng rng = { 0x1F2E3D4C5B6A7988ULL };
    uint8_t *input = malloc(INPUT_SIZE);
    uint8_t *packed = malloc(INPUT_SIZE * 2 + 16);
    uint8_t *unpacked = malloc(INPUT_SIZE);
    dict *d = malloc(sizeof *d);
    dtable *t = malloc(sizeof *t);
    if (!input || !packed || !unpacked || !d || !t) return 1;
    size_t n = gen_input(input, INPUT_SIZE, &rng);

    double start = bench_now();
    uint64_t h = 0;
    size_t total_packed = 0;
    for (int round = 0; round < scale; round++) {
        /* Each round codes a different slice length so the tail handling varies. */
        size_t len = n - (size_t)round * 4099 % 65536;
        size_t plen = lzw_compress(input, len, packed, d);
        size_t ulen = lzw_decompress(packed, plen, unpacked, INPUT_SIZE, t);
        if (ulen != len || memcmp(unpacked, input, len) != 0) {
            printf("lzw_codec: round trip failed in round %d\n", round);
            return 1;
        }
        total_packed += plen;
        h = mix64(h, plen);
        for (size_t i = 0; i < plen; i += 61) h = mix64(h, packed[i]);
    }
    bench_report(start);
    printf("lzw_codec input=%zu rounds=%d packed_total=%zu checksum=%016llx\n", n, scale, total_packed,
           (unsigned long long)h);
    free(input); free(packed); free(unpacked); free(d); free(t);
    return 0;
}
