/* nonogram/enumerate.h — the independent row-pattern enumerator, puzzle generation, main loop.
 * Part of nonogram.c, one translation unit: it includes the parts in order. */

#define MAXPAT 4096

typedef struct {
    const puzzle_t *p;
    int npat[MAXN];
    uint32_t *pat[MAXN]; /* row patterns as bit masks, bit c = column c filled */
    uint32_t rows[MAXN];
    int count;
} enum_t;

static void gen_patterns(uint32_t *out, int *np, const uint8_t *clue, int k, int j, int pos, int n,
                         uint32_t mask)
{
    if (j == k) {
        if (*np < MAXPAT)
            out[(*np)++] = mask;
        return;
    }
    int rest = 0;
    for (int t = j + 1; t < k; t++)
        rest += clue[t] + 1;
    for (int s = pos; s + clue[j] + rest <= n; s++)
        gen_patterns(out, np, clue, k, j + 1, s + clue[j] + 1, n,
                     mask | (((1u << clue[j]) - 1) << s));
}

/* column c's run state after rows[0..r] must be a prefix of a valid column */
static int column_prefix_ok(const enum_t *e, int r, int c, int complete)
{
    const puzzle_t *p = e->p;
    int k = 0, run = 0;
    for (int i = 0; i <= r; i++) {
        if (e->rows[i] >> c & 1) {
            run++;
        } else if (run) {
            if (k >= p->ck[c] || p->cc[c][k] != run)
                return 0;
            k++;
            run = 0;
        }
    }
    if (run) {
        if (k >= p->ck[c] || run > p->cc[c][k])
            return 0;
        if (complete) {
            if (run != p->cc[c][k])
                return 0;
            k++;
        }
    }
    if (complete)
        return k == p->ck[c];
    /* remaining rows must fit the remaining blocks */
    int need = 0;
    for (int t = k; t < p->ck[c]; t++)
        need += p->cc[c][t] + (t > k ? 1 : 0);
    if (run)
        need -= run;
    return need <= p->h - 1 - r;
}

static void enum_rows(enum_t *e, int r)
{
    const puzzle_t *p = e->p;
    if (e->count >= 2)
        return;
    for (int i = 0; i < e->npat[r] && e->count < 2; i++) {
        e->rows[r] = e->pat[r][i];
        int ok = 1, complete = r == p->h - 1;
        for (int c = 0; c < p->w && ok; c++)
            ok = column_prefix_ok(e, r, c, complete);
        if (!ok)
            continue;
        if (complete)
            e->count++;
        else
            enum_rows(e, r + 1);
    }
}

static int enumerate_count(const puzzle_t *p, uint32_t *store)
{
    enum_t e;
    e.p = p;
    e.count = 0;
    for (int r = 0; r < p->h; r++) {
        e.pat[r] = store + r * MAXPAT;
        e.npat[r] = 0;
        gen_patterns(e.pat[r], &e.npat[r], p->rc[r], p->rk[r], 0, 0, p->w, 0);
    }
    enum_rows(&e, 0);
    return e.count;
}

static void gen_image(uint8_t *img, int w, int h, int density, bench_rng *g)
{
    for (int i = 0; i < w * h; i++)
        img[i] = rng_below(g, 100) < (uint32_t)density ? FIL : EMP;
    /* a few filled rectangles so that long blocks appear */
    for (int t = 0; t < 3; t++) {
        int x0 = (int)rng_below(g, (uint32_t)w), y0 = (int)rng_below(g, (uint32_t)h);
        int x1 = x0 + (int)rng_below(g, (uint32_t)(w - x0)), y1 = y0 + (int)rng_below(g, (uint32_t)(h - y0));
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                img[y * w + x] = t == 2 ? EMP : FIL;
    }
}

static uint8_t *grid_store;
static int *dirty_store;

static uint64_t solve_puzzle(const uint8_t *img, int w, int h, int cross, uint32_t *store, uint64_t hs)
{
    puzzle_t p, q;
    make_clues(&p, img, w, h);
    search_t s;
    s.p = &p;
    s.solutions = 0;
    s.nodes = 0;
    s.gave_up = 0;
    s.grids = grid_store;
    s.dirty = dirty_store;
    s.hash = 0;
    uint8_t grid[MAXN * MAXN];
    memset(grid, UNK, sizeof grid);
    search(&s, grid, -1, -1, 0);
    if (s.solutions == 0) {
        failures += !s.gave_up;
    } else {
        make_clues(&q, s.first, w, h);
        if (!same_clues(&p, &q))
            failures++;
        if (s.solutions == 1 && !s.gave_up && memcmp(s.first, img, (size_t)(w * h)) != 0)
            failures++;
    }
    if (cross && !s.gave_up && enumerate_count(&p, store) != s.solutions)
        failures++;
    hs = mix64(hs, (uint64_t)(s.solutions * 2 + s.gave_up));
    hs = mix64(hs, (uint64_t)s.nodes);
    return mix64(hs, s.hash);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 100);
    bench_rng g = { 0x853C49E6748FEA9BULL };
    uint32_t *store = malloc(sizeof(uint32_t) * MAXPAT * MAXN);
    grid_store = malloc((size_t)(NODE_LIMIT + 1) * CELLS);
    dirty_store = malloc(sizeof(int) * (NODE_LIMIT + 1) * 2 * MAXN);
    uint8_t img[MAXN * MAXN];

    double t0 = bench_now();
    uint64_t h = 0xDA942042E4DD58B5ULL;
    for (int round = 0; round < scale; round++) {
        for (int k = 0; k < 24; k++) { /* small puzzles, cross-checked by enumeration */
            int w = 5 + (int)rng_below(&g, 4), hh = 5 + (int)rng_below(&g, 4);
            gen_image(img, w, hh, 50 + (int)rng_below(&g, 20), &g);
            h = solve_puzzle(img, w, hh, 1, store, h);
        }
        for (int k = 0; k < 6; k++) {
            int w = 20 + (int)rng_below(&g, 11), hh = 20 + (int)rng_below(&g, 11);
            gen_image(img, w, hh, 52 + (int)rng_below(&g, 14), &g);
            h = solve_puzzle(img, w, hh, 0, store, h);
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    free(store);
    free(grid_store);
    free(dirty_store);
    return failures != 0;
}
