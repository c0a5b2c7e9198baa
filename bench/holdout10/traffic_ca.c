/* traffic_ca.c — two-lane Nagel-Schreckenberg traffic on a ring road, kept two ways.
 *
 * Cars (and slower trucks) drive on a two-lane circular road of cells with a traffic light.
 * Every step has a lane-change phase (a car moves over when its own gap is short, the other
 * lane offers a longer gap, the gap behind in the other lane is safe and the cell beside it is
 * free, with some probability) and a driving phase (accelerate to the vehicle's top speed,
 * brake to the gap ahead and to a red light, random slowdown, move); all decisions use positions
 * from the start of the phase (parallel update) and random draws from a counter-based generator
 * keyed by car, step and phase, so they do not depend on processing order. The simulation is
 * kept in two independent representations: a grid of cell occupants with structure-of-arrays car
 * state, where gaps are found by scanning cells, and a list of car records per lane kept sorted
 * by position with insertion sort, where gaps come from the neighbour in sorted order (binary
 * search for the other lane). Checks: both representations agree on every car after every step,
 * no cell is ever entered by two cars, no car passes a red light, cars in a lane never overtake
 * one another, and both count the same flow past a detector.
 */
#include "../programs/bench.h"

#define MAXL 4000
#define MAXCARS 3000

static unsigned failures;

typedef struct {
    int len, ncars, light, period;
    uint32_t pslow, pchange; /* probabilities in 1/65536 */
    uint64_t seed;
} Scenario;

static inline uint32_t draw(const Scenario *s, int car, int step, int phase)
{
    uint64_t z = s->seed ^ ((uint64_t)(unsigned)car * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)(unsigned)step << 20)
        ^ (uint64_t)(unsigned)phase;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (uint32_t)(z & 0xFFFF);
}

static inline int red(const Scenario *s, int step) { return (step / s->period) & 1; }

/* ---- representation A: cell grid + structure of arrays ---- */
typedef struct {
    int16_t *cell[2];      /* occupant id or -1 */
    int *x, *lane, *v, *vmax;
    int *nx, *nlane, *nv;
    long long flow;
} Grid;

static int grid_gap_ahead(const Grid *g, int lane, int x, int len, int limit)
{
    const int16_t *row = g->cell[lane];
    for (int d = 0; d < limit; d++) {
        int c = x + 1 + d;
        if (c >= len) c -= len;
        if (row[c] >= 0) return d;
    }
    return limit;
}

static int grid_gap_behind(const Grid *g, int lane, int x, int len, int limit)
{
    const int16_t *row = g->cell[lane];
    for (int d = 0; d < limit; d++) {
        int c = x - 1 - d;
        if (c < 0) c += len;
        if (row[c] >= 0) return d;
    }
    return limit;
}

static void grid_step(Grid *g, const Scenario *s, int step)
{
    int n = s->ncars, len = s->len;
    /* lane changes, decided on the old grid */
    for (int i = 0; i < n; i++) {
        int x = g->x[i], l = g->lane[i], o = l ^ 1, want = g->v[i] + 1;
        g->nlane[i] = l;
        int gap = grid_gap_ahead(g, l, x, len, want);
        if (gap >= want || g->cell[o][x] >= 0) continue;
        int ogap = grid_gap_ahead(g, o, x, len, want);
        if (ogap <= gap || grid_gap_behind(g, o, x, len, 5) < 5) continue;
        if (draw(s, i, step, 1) < s->pchange)
            g->nlane[i] = o;
    }
    for (int i = 0; i < n; i++)
        if (g->nlane[i] != g->lane[i]) {
            g->cell[g->lane[i]][g->x[i]] = -1;
            g->cell[g->nlane[i]][g->x[i]] = (int16_t)i;
            g->lane[i] = g->nlane[i];
        }
    /* driving */
    int is_red = red(s, step);
    for (int i = 0; i < n; i++) {
        int x = g->x[i], v = g->v[i] + 1;
        if (v > g->vmax[i]) v = g->vmax[i];
        v = grid_gap_ahead(g, g->lane[i], x, len, v);
        if (is_red) {
            int d = s->light - 1 - x;
            if (d < 0) d += len;
            if (v > d) v = d;
        }
        if (v > 0 && draw(s, i, step, 2) < s->pslow) v--;
        g->nv[i] = v;
        int nx = x + v;
        if (nx >= len) { nx -= len; g->flow++; }
        g->nx[i] = nx;
    }
    for (int i = 0; i < n; i++)
        g->cell[g->lane[i]][g->x[i]] = -1;
    for (int i = 0; i < n; i++) {
        int16_t *c = &g->cell[g->lane[i]][g->nx[i]];
        if (*c >= 0) failures++; /* collision */
        *c = (int16_t)i;
        if (is_red) { /* crossing the light: passing from cell light-1 into light */
            int from = g->x[i], dist = s->light - from;
            if (dist <= 0) dist += len;
            if (g->nv[i] >= dist) failures++;
        }
        g->x[i] = g->nx[i];
        g->v[i] = g->nv[i];
    }
}

/* ---- representation B: sorted car records per lane ---- */
typedef struct { int x, v, vmax, id; } Car;
typedef struct {
    Car *lane[2];
    int count[2];
    Car *tmp[2], *moved[2];
    int tcount[2], mcount[2];
    long long flow;
} Lanes;

static void sort_lane(Car *c, int n)
{
    for (int i = 1; i < n; i++) {
        Car k = c[i];
        int j = i - 1;
        while (j >= 0 && c[j].x > k.x) {
            c[j + 1] = c[j];
            j--;
        }
        c[j + 1] = k;
    }
}

/* index of the first car at position >= x */
static int lower_bound(const Car *c, int n, int x)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c[mid].x < x) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* free cells between x and the next car strictly ahead (ring); len-1 if none */
static int gap_to(const Car *c, int n, int x, int len, int self_index)
{
    if (n == 0 || (n == 1 && self_index == 0)) return len - 1;
    int j = self_index >= 0 ? self_index + 1 : lower_bound(c, n, x + 1);
    if (j >= n) j = 0;
    int d = c[j].x - x - 1;
    if (d < 0) d += len;
    return d;
}

static void lanes_step(Lanes *L, const Scenario *s, int step)
{
    int len = s->len;
    /* lane changes: cars stay (tmp) or move over (moved), both lists stay sorted */
    for (int l = 0; l < 2; l++) {
        const Car *c = L->lane[l], *oc = L->lane[l ^ 1];
        int n = L->count[l], on = L->count[l ^ 1];
        L->tcount[l] = L->mcount[l] = 0;
        for (int i = 0; i < n; i++) {
            int want = c[i].v + 1, change = 0;
            int gap = gap_to(c, n, c[i].x, len, i);
            int k = lower_bound(oc, on, c[i].x);
            int beside = k < on && oc[k].x == c[i].x;
            if (gap < want && !beside) {
                int ogap = gap_to(oc, on, c[i].x, len, -1);
                int behind;
                if (on == 0) behind = len - 1;
                else {
                    int p = k - 1 < 0 ? on - 1 : k - 1;
                    behind = c[i].x - oc[p].x - 1;
                    if (behind < 0) behind += len;
                }
                change = ogap > gap && behind >= 5 && draw(s, c[i].id, step, 1) < s->pchange;
            }
            if (change) L->moved[l][L->mcount[l]++] = c[i];
            else L->tmp[l][L->tcount[l]++] = c[i];
        }
    }
    for (int l = 0; l < 2; l++) { /* merge the stayers of lane l with the cars coming over */
        const Car *a = L->tmp[l], *b = L->moved[l ^ 1];
        int na = L->tcount[l], nb = L->mcount[l ^ 1], i = 0, j = 0, k = 0;
        Car *out = L->lane[l];
        while (i < na && j < nb)
            out[k++] = (a[i].x < b[j].x) ? a[i++] : b[j++];
        while (i < na) out[k++] = a[i++];
        while (j < nb) out[k++] = b[j++];
        L->count[l] = k;
    }
    int is_red = red(s, step);
    for (int l = 0; l < 2; l++) {
        Car *c = L->lane[l];
        int n = L->count[l];
        int first_x = n ? c[0].x : 0;
        for (int i = 0; i < n; i++) {
            int v = c[i].v + 1;
            if (v > c[i].vmax) v = c[i].vmax;
            int gap;
            if (i + 1 < n) gap = c[i + 1].x - c[i].x - 1;
            else if (n > 1) gap = first_x - c[i].x - 1 + len; /* first car, old position */
            else gap = len - 1;
            if (v > gap) v = gap;
            if (is_red) {
                int d = s->light - 1 - c[i].x;
                if (d < 0) d += len;
                if (v > d) v = d;
            }
            if (v > 0 && draw(s, c[i].id, step, 2) < s->pslow) v--;
            c[i].v = v;
            c[i].x += v;
            if (c[i].x >= len) { c[i].x -= len; L->flow++; }
        }
        /* order must be a rotation of the old order: no overtaking; the cars that wrapped
           around are moved back to the front (few, so insertion sort is cheap) */
        int drops = 0;
        for (int i = 0; i + 1 < n; i++)
            drops += c[i].x > c[i + 1].x;
        if (drops > 1) failures++;
        sort_lane(c, n);
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 23);
    Grid g;
    g.cell[0] = malloc(sizeof(int16_t) * MAXL);
    g.cell[1] = malloc(sizeof(int16_t) * MAXL);
    int *soa = malloc(sizeof(int) * MAXCARS * 7);
    g.x = soa; g.lane = soa + MAXCARS; g.v = soa + 2 * MAXCARS; g.vmax = soa + 3 * MAXCARS;
    g.nx = soa + 4 * MAXCARS; g.nlane = soa + 5 * MAXCARS; g.nv = soa + 6 * MAXCARS;
    Lanes L;
    for (int l = 0; l < 2; l++) {
        L.lane[l] = malloc(sizeof(Car) * MAXCARS);
        L.tmp[l] = malloc(sizeof(Car) * MAXCARS);
        L.moved[l] = malloc(sizeof(Car) * MAXCARS);
    }
    bench_rng rng = { 0x7AFF1C0000ULL | 1 };
    uint64_t h = 0;
    long long flow_total = 0;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        Scenario s;
        s.len = 1500 + (int)rng_below(&rng, 2500);
        int density = 8 + (int)rng_below(&rng, 30); /* percent of cells */
        s.ncars = 2 * s.len * density / 100;
        if (s.ncars > MAXCARS) s.ncars = MAXCARS;
        s.light = (int)rng_below(&rng, (uint32_t)s.len);
        s.period = 20 + (int)rng_below(&rng, 60);
        s.pslow = 6000 + rng_below(&rng, 20000);
        s.pchange = 20000 + rng_below(&rng, 40000);
        s.seed = rng_next(&rng);
        /* place cars on distinct random cells */
        for (int l = 0; l < 2; l++)
            for (int x = 0; x < s.len; x++)
                g.cell[l][x] = -1;
        L.count[0] = L.count[1] = 0;
        g.flow = L.flow = 0;
        for (int i = 0; i < s.ncars; i++) {
            int l, x;
            do {
                l = (int)rng_below(&rng, 2);
                x = (int)rng_below(&rng, (uint32_t)s.len);
            } while (g.cell[l][x] >= 0);
            g.cell[l][x] = (int16_t)i;
            g.x[i] = x; g.lane[i] = l; g.v[i] = 0;
            g.vmax[i] = rng_below(&rng, 5) == 0 ? 3 : 5;
        }
        for (int l = 0; l < 2; l++) /* the lists, in position order */
            for (int x = 0; x < s.len; x++)
                if (g.cell[l][x] >= 0) {
                    int i = g.cell[l][x];
                    Car c = { x, 0, g.vmax[i], i };
                    L.lane[l][L.count[l]++] = c;
                }

        for (int step = 0; step < 200; step++) {
            grid_step(&g, &s, step);
            lanes_step(&L, &s, step);
            if (L.count[0] + L.count[1] != s.ncars) { failures++; break; }
            for (int l = 0; l < 2; l++)
                for (int i = 0; i < L.count[l]; i++) {
                    const Car *c = &L.lane[l][i];
                    if (g.x[c->id] != c->x || g.lane[c->id] != l || g.v[c->id] != c->v) failures++;
                }
        }
        if (g.flow != L.flow) failures++;
        flow_total += g.flow;
        long long vsum = 0;
        for (int i = 0; i < s.ncars; i++) vsum += g.v[i];
        h = mix64(mix64(mix64(h, (uint64_t)g.flow), (uint64_t)vsum), (uint64_t)L.count[0]);
    }
    bench_report(t0);
    printf("traffic_ca: flow=%lld hash=%016llx failures=%u\n", flow_total, (unsigned long long)h, failures);
    free(g.cell[0]); free(g.cell[1]); free(soa);
    for (int l = 0; l < 2; l++) { free(L.lane[l]); free(L.tmp[l]); free(L.moved[l]); }
    return failures != 0;
}
