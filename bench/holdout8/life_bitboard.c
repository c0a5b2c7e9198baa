/* life_bitboard.c — Life-like cellular automata on toroidal bit-boards.
 *
 * Each row of the board is packed into 64-bit words. One generation computes, word by word, the
 * eight neighbour masks (shifts with the carry bit pulled from the adjacent word, rows wrapped at
 * the edges) and adds them with a bit-sliced tree of full and half adders into four count planes;
 * any birth/survival rule (Life B3/S23, HighLife B36/S23, Day & Night B3678/S34678, Morley
 * B368/S245, 2x2 B36/S125) is applied by matching the count planes against the rule's counts.
 * A large board evolves from random soups with population histories; a small board is stepped in
 * lock step with a byte-per-cell reference that counts neighbours with modular indexing; gliders,
 * spaceships and oscillators must return to themselves after their known periods.
 */
#include "../programs/bench.h"

typedef struct {
    int w64, h; /* width in words, height in rows */
    uint64_t *cells;
} board_t;

typedef struct {
    const char *name;
    uint16_t born, survive; /* bit k set: a count of k neighbours triggers */
} rule_t;

static const rule_t rules[] = {
    { "B3/S23", 1u << 3, (1u << 2) | (1u << 3) },
    { "B36/S23", (1u << 3) | (1u << 6), (1u << 2) | (1u << 3) },
    { "B3678/S34678", (1u << 3) | (1u << 6) | (1u << 7) | (1u << 8),
      (1u << 3) | (1u << 4) | (1u << 6) | (1u << 7) | (1u << 8) },
    { "B368/S245", (1u << 3) | (1u << 6) | (1u << 8), (1u << 2) | (1u << 4) | (1u << 5) },
    { "B36/S125", (1u << 3) | (1u << 6), (1u << 1) | (1u << 2) | (1u << 5) },
};
#define NRULES ((int)(sizeof rules / sizeof rules[0]))

static int failures;

static board_t board_new(int width, int height)
{
    board_t b;
    b.w64 = width / 64;
    b.h = height;
    b.cells = calloc((size_t)b.w64 * (size_t)height, sizeof(uint64_t));
    return b;
}

static int get_cell(const board_t *b, int x, int y)
{
    return (int)((b->cells[(size_t)y * b->w64 + (x >> 6)] >> (x & 63)) & 1);
}

static void set_cell(board_t *b, int x, int y, int v)
{
    uint64_t *w = &b->cells[(size_t)y * b->w64 + (x >> 6)];
    uint64_t bit = 1ULL << (x & 63);
    if (v)
        *w |= bit;
    else
        *w &= ~bit;
}

static uint64_t population(const board_t *b)
{
    uint64_t s = 0;
    size_t n = (size_t)b->w64 * b->h;
    for (size_t i = 0; i < n; i++)
        s += (uint64_t)__builtin_popcountll(b->cells[i]);
    return s;
}

static uint64_t board_hash(const board_t *b)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    size_t n = (size_t)b->w64 * b->h;
    for (size_t i = 0; i < n; i++)
        h = mix64(h, b->cells[i]);
    return h;
}

#define FULL_ADD(a, b, c, sum, carry)              \
    do {                                           \
        uint64_t t_ = (a) ^ (b);                   \
        sum = t_ ^ (c);                            \
        carry = ((a) & (b)) | (t_ & (c));          \
    } while (0)

static void board_step(const board_t *src, board_t *dst, const rule_t *rule)
{
    const int w = src->w64, h = src->h;
    /* masks of count values that matter, for the rule in use */
    int ks[9], nk = 0;
    for (int k = 0; k <= 8; k++)
        if (((rule->born | rule->survive) >> k) & 1)
            ks[nk++] = k;
    for (int y = 0; y < h; y++) {
        const uint64_t *up = src->cells + (size_t)((y + h - 1) % h) * w;
        const uint64_t *cur = src->cells + (size_t)y * w;
        const uint64_t *dn = src->cells + (size_t)((y + 1) % h) * w;
        uint64_t *out = dst->cells + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            int xm = x == 0 ? w - 1 : x - 1, xp = x == w - 1 ? 0 : x + 1;
            uint64_t u = up[x], c = cur[x], d = dn[x];
            uint64_t uw = (u << 1) | (up[xm] >> 63), ue = (u >> 1) | (up[xp] << 63);
            uint64_t cw = (c << 1) | (cur[xm] >> 63), ce = (c >> 1) | (cur[xp] << 63);
            uint64_t dw = (d << 1) | (dn[xm] >> 63), de = (d >> 1) | (dn[xp] << 63);

            uint64_t sa, ca, sb, cb, sc, cc, ones, cd, t1, ce4, twos, cf4;
            FULL_ADD(uw, u, ue, sa, ca);
            FULL_ADD(cw, ce, dw, sb, cb);
            sc = d ^ de;
            cc = d & de;
            FULL_ADD(sa, sb, sc, ones, cd);
            FULL_ADD(ca, cb, cc, t1, ce4);
            twos = t1 ^ cd;
            cf4 = t1 & cd;
            uint64_t fours = ce4 ^ cf4, eights = ce4 & cf4;

            uint64_t nb = 0, ns = 0;
            for (int i = 0; i < nk; i++) {
                int k = ks[i];
                uint64_t m = ((k & 1) ? ones : ~ones) & ((k & 2) ? twos : ~twos) &
                             ((k & 4) ? fours : ~fours) & ((k & 8) ? eights : ~eights);
                if ((rule->born >> k) & 1)
                    nb |= m;
                if ((rule->survive >> k) & 1)
                    ns |= m;
            }
            out[x] = (nb & ~c) | (ns & c);
        }
    }
}

/* byte-per-cell reference */
static void ref_step(const uint8_t *src, uint8_t *dst, int width, int height, const rule_t *rule)
{
    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
            int n = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    if (dx || dy)
                        n += src[((y + dy + height) % height) * width + (x + dx + width) % width];
            int alive = src[y * width + x];
            uint16_t mask = alive ? rule->survive : rule->born;
            dst[y * width + x] = (uint8_t)((mask >> n) & 1);
        }
    }
}

static void soup(board_t *b, bench_rng *g, int density_shift)
{
    size_t n = (size_t)b->w64 * b->h;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = rng_next(g);
        for (int k = 1; k < density_shift; k++)
            v &= rng_next(g) | rng_next(g);
        b->cells[i] = v;
    }
}

/* place a pattern given as rows of '.'/'O' with its top-left corner at (x0, y0) */
static void place(board_t *b, const char *const *rows, int nrows, int x0, int y0)
{
    for (int r = 0; r < nrows; r++)
        for (int c = 0; rows[r][c]; c++)
            if (rows[r][c] == 'O')
                set_cell(b, (x0 + c) % (b->w64 * 64), (y0 + r) % b->h, 1);
}

static uint64_t pattern_test(const char *const *rows, int nrows, int period, uint64_t h)
{
    board_t a = board_new(64, 64), b = board_new(64, 64);
    place(&a, rows, nrows, 20, 30);
    uint64_t start = board_hash(&a), pop0 = population(&a);
    for (int i = 0; i < period; i++) {
        board_step(&a, &b, &rules[0]);
        board_t t = a;
        a = b;
        b = t;
        if (i + 1 < period && board_hash(&a) == start)
            failures++; /* returned too early */
    }
    if (board_hash(&a) != start || population(&a) != pop0)
        failures++;
    h = mix64(h, pop0);
    free(a.cells);
    free(b.cells);
    return h;
}

static const char *const glider[] = { ".O.", "..O", "OOO" };
static const char *const lwss[] = { ".O..O", "O....", "O...O", "OOOO." };
static const char *const pulsar[] = {
    "..OOO...OOO..", ".............", "O....O.O....O", "O....O.O....O", "O....O.O....O",
    "..OOO...OOO..", ".............", "..OOO...OOO..", "O....O.O....O", "O....O.O....O",
    "O....O.O....O", ".............", "..OOO...OOO..",
};
static const char *const pentadecathlon[] = { "..O....O..", "OO.OOOO.OO", "..O....O.." };

#define BIG_W 1024
#define BIG_H 768
#define SMALL_W 128
#define SMALL_H 72

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 55);
    bench_rng g = { 0xA5A5F00DCAFEBABEULL };

    board_t big = board_new(BIG_W, BIG_H), big2 = board_new(BIG_W, BIG_H);
    board_t sm = board_new(SMALL_W, SMALL_H), sm2 = board_new(SMALL_W, SMALL_H);
    uint8_t *ref = malloc(SMALL_W * SMALL_H), *ref2 = malloc(SMALL_W * SMALL_H);
    /* a pool of initial soups, generated before timing */
    enum { NSOUP = 4 };
    board_t soups[NSOUP];
    for (int i = 0; i < NSOUP; i++) {
        soups[i] = board_new(BIG_W, BIG_H);
        soup(&soups[i], &g, 1 + i % 3);
    }
    board_t small_soups[NSOUP];
    for (int i = 0; i < NSOUP; i++) {
        small_soups[i] = board_new(SMALL_W, SMALL_H);
        soup(&small_soups[i], &g, 1 + (i + 1) % 3);
    }

    double t0 = bench_now();
    uint64_t h = 0x0123456789ABCDEFULL;
    for (int round = 0; round < scale; round++) {
        const rule_t *rule = &rules[round % NRULES];
        const board_t *s0 = &soups[round % NSOUP];
        memcpy(big.cells, s0->cells, sizeof(uint64_t) * (size_t)big.w64 * big.h);
        for (int gen = 0; gen < 120; gen++) {
            board_step(&big, &big2, rule);
            board_t t = big;
            big = big2;
            big2 = t;
            if ((gen & 7) == 7)
                h = mix64(h, population(&big));
        }
        h = mix64(h, board_hash(&big));

        /* small board against the reference, every generation */
        const rule_t *srule = &rules[(round * 3 + 1) % NRULES];
        memcpy(sm.cells, small_soups[round % NSOUP].cells, sizeof(uint64_t) * (size_t)sm.w64 * sm.h);
        for (int y = 0; y < SMALL_H; y++)
            for (int x = 0; x < SMALL_W; x++)
                ref[y * SMALL_W + x] = (uint8_t)get_cell(&sm, x, y);
        for (int gen = 0; gen < 40; gen++) {
            board_step(&sm, &sm2, srule);
            board_t t = sm;
            sm = sm2;
            sm2 = t;
            ref_step(ref, ref2, SMALL_W, SMALL_H, srule);
            uint8_t *tr = ref;
            ref = ref2;
            ref2 = tr;
            int bad = 0;
            for (int y = 0; y < SMALL_H; y++)
                for (int x = 0; x < SMALL_W; x++)
                    bad += get_cell(&sm, x, y) != ref[y * SMALL_W + x];
            if (bad)
                failures++;
        }
        h = mix64(h, population(&sm));

        /* known periods under Life on a 64x64 torus */
        if (round % 4 == 0) {
            h = pattern_test(glider, 3, 4 * 64, h);
            h = pattern_test(lwss, 4, 2 * 64, h);
            h = pattern_test(pulsar, 13, 3, h);
            h = pattern_test(pentadecathlon, 3, 15, h);
        }
    }
    bench_report(t0);

    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    free(big.cells);
    free(big2.cells);
    free(sm.cells);
    free(sm2.cells);
    free(ref);
    free(ref2);
    for (int i = 0; i < NSOUP; i++) {
        free(soups[i].cells);
        free(small_soups[i].cells);
    }
    return failures != 0;
}
