/* dsatur_color.c — graph colouring. Graphs are stored in CSR arrays; the DSatur heuristic keeps
 * per-vertex bitsets of neighbouring colours (saturation = popcount) and picks the most saturated
 * uncoloured vertex by a linear scan, the Welsh-Powell greedy colours vertices in degree order,
 * and an exact branch-and-bound (recursive DSatur with per-colour neighbour counts, an upper bound
 * from the heuristic and a greedy-clique lower bound) finds the chromatic number of small graphs.
 *
 * Checks: every colouring is proper, exact <= heuristic, clique <= exact, and the exact solver
 * reproduces known chromatic numbers (Mycielski graphs: 4 and 5; queen graphs 5x5: 5, 6x6: 7;
 * odd cycles: 3; complete graphs). SCALE = rounds of freshly generated graphs. */
#include "../programs/bench.h"

#define MAXC 256
#define CW (MAXC / 64)

typedef struct {
    int n, m;
    int *off, *adj, *deg;
} graph;

static int failures;

/* build CSR from an edge list (duplicates and self loops removed via a per-vertex stamp) */
static void build(graph *g, int n, const int *eu, const int *ev, int ne)
{
    g->n = n;
    g->deg = calloc((size_t)n, sizeof(int));
    g->off = malloc(sizeof(int) * (size_t)(n + 1));
    int *stamp = malloc(sizeof(int) * (size_t)n);
    int *tmpoff = malloc(sizeof(int) * (size_t)(n + 1));
    int *tmpadj = malloc(sizeof(int) * (size_t)(2 * ne + 1));
    int *fill = calloc((size_t)n, sizeof(int));
    for (int i = 0; i < ne; i++) {
        if (eu[i] == ev[i]) continue;
        fill[eu[i]]++; fill[ev[i]]++;
    }
    tmpoff[0] = 0;
    for (int v = 0; v < n; v++) tmpoff[v + 1] = tmpoff[v] + fill[v];
    memset(fill, 0, sizeof(int) * (size_t)n);
    for (int i = 0; i < ne; i++) {
        int a = eu[i], b = ev[i];
        if (a == b) continue;
        tmpadj[tmpoff[a] + fill[a]++] = b;
        tmpadj[tmpoff[b] + fill[b]++] = a;
    }
    for (int v = 0; v < n; v++) stamp[v] = -1;
    g->adj = malloc(sizeof(int) * (size_t)(tmpoff[n] + 1));
    int p = 0;
    for (int v = 0; v < n; v++) {
        g->off[v] = p;
        for (int k = tmpoff[v]; k < tmpoff[v + 1]; k++) {
            int w = tmpadj[k];
            if (stamp[w] != v) { stamp[w] = v; g->adj[p++] = w; }
        }
        g->deg[v] = p - g->off[v];
    }
    g->off[n] = p;
    g->m = p / 2;
    free(stamp); free(tmpoff); free(tmpadj); free(fill);
}

static void free_graph(graph *g) { free(g->off); free(g->adj); free(g->deg); }

static int proper(const graph *g, const int *col)
{
    for (int v = 0; v < g->n; v++) {
        if (col[v] < 0) return 0;
        for (int k = g->off[v]; k < g->off[v + 1]; k++)
            if (col[g->adj[k]] == col[v]) return 0;
    }
    return 1;
}

static int dsatur(const graph *g, int *col)
{
    int n = g->n, used = 0;
    uint64_t *nb = calloc((size_t)n * CW, sizeof(uint64_t));
    int *sat = calloc((size_t)n, sizeof(int));
    for (int v = 0; v < n; v++) col[v] = -1;
    for (int step = 0; step < n; step++) {
        int best = -1;
        for (int v = 0; v < n; v++) {
            if (col[v] >= 0) continue;
            if (best < 0 || sat[v] > sat[best] || (sat[v] == sat[best] && g->deg[v] > g->deg[best]))
                best = v;
        }
        uint64_t *bs = nb + (size_t)best * CW;
        int c = 0;
        for (int w = 0; w < CW; w++)
            if (~bs[w]) { c = w * 64 + __builtin_ctzll(~bs[w]); break; }
        col[best] = c;
        if (c + 1 > used) used = c + 1;
        for (int k = g->off[best]; k < g->off[best + 1]; k++) {
            int u = g->adj[k];
            uint64_t *us = nb + (size_t)u * CW;
            uint64_t bit = 1ULL << (c & 63);
            if (!(us[c >> 6] & bit)) { us[c >> 6] |= bit; sat[u]++; }
        }
    }
    free(nb); free(sat);
    return used;
}

static const graph *wp_g;
static int cmp_deg(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    if (wp_g->deg[x] != wp_g->deg[y]) return wp_g->deg[y] - wp_g->deg[x];
    return x - y;
}

static int welsh_powell(const graph *g, int *col)
{
    int n = g->n, used = 0;
    int *order = malloc(sizeof(int) * (size_t)n);
    unsigned char *taken = malloc(MAXC + 1);
    for (int v = 0; v < n; v++) { order[v] = v; col[v] = -1; }
    wp_g = g;
    qsort(order, (size_t)n, sizeof(int), cmp_deg);
    for (int i = 0; i < n; i++) {
        int v = order[i];
        memset(taken, 0, MAXC + 1);
        for (int k = g->off[v]; k < g->off[v + 1]; k++)
            if (col[g->adj[k]] >= 0) taken[col[g->adj[k]]] = 1;
        int c = 0;
        while (taken[c]) c++;
        col[v] = c;
        if (c + 1 > used) used = c + 1;
    }
    free(order); free(taken);
    return used;
}

static int greedy_clique(const graph *g)
{
    int n = g->n, best = 0;
    int *cand = malloc(sizeof(int) * (size_t)n), *mark = calloc((size_t)n, sizeof(int));
    for (int s = 0; s < n; s++) {
        int size = 1, nc = 0;
        for (int k = g->off[s]; k < g->off[s + 1]; k++) cand[nc++] = g->adj[k];
        while (nc > 0) {
            int pick = cand[0];
            for (int i = 1; i < nc; i++) if (g->deg[cand[i]] > g->deg[pick]) pick = cand[i];
            size++;
            for (int k = g->off[pick]; k < g->off[pick + 1]; k++) mark[g->adj[k]] = 1;
            int nn = 0;
            for (int i = 0; i < nc; i++) if (cand[i] != pick && mark[cand[i]]) cand[nn++] = cand[i];
            for (int k = g->off[pick]; k < g->off[pick + 1]; k++) mark[g->adj[k]] = 0;
            nc = nn;
        }
        if (size > best) best = size;
    }
    free(cand); free(mark);
    return best;
}

/* exact colouring by recursive DSatur branch and bound */
typedef struct {
    const graph *g;
    int *col, *sat;
    unsigned short *cnt; /* cnt[v * MAXC + c]: neighbours of v coloured c */
    int best, lower;
    long long nodes;
} exact_state;

static void assign(exact_state *s, int v, int c, int delta)
{
    const graph *g = s->g;
    for (int k = g->off[v]; k < g->off[v + 1]; k++) {
        int u = g->adj[k];
        unsigned short *p = &s->cnt[(size_t)u * MAXC + (size_t)c];
        if (delta > 0) { if ((*p)++ == 0) s->sat[u]++; }
        else { if (--(*p) == 0) s->sat[u]--; }
    }
}

static void exact_rec(exact_state *s, int colored, int used)
{
    const graph *g = s->g;
    s->nodes++;
    if (used >= s->best) return;
    if (colored == g->n) { s->best = used; return; }
    int v = -1;
    for (int u = 0; u < g->n; u++) {
        if (s->col[u] >= 0) continue;
        if (v < 0 || s->sat[u] > s->sat[v] || (s->sat[u] == s->sat[v] && g->deg[u] > g->deg[v])) v = u;
    }
    for (int c = 0; c <= used && c < s->best - 1; c++) {
        if (s->cnt[(size_t)v * MAXC + (size_t)c]) continue;
        s->col[v] = c;
        assign(s, v, c, 1);
        exact_rec(s, colored + 1, c == used ? used + 1 : used);
        assign(s, v, c, -1);
        s->col[v] = -1;
        if (s->best <= s->lower) return;
    }
}

static int exact_chromatic(const graph *g, int upper, int lower, long long *nodes)
{
    exact_state s;
    s.g = g;
    s.col = malloc(sizeof(int) * (size_t)g->n);
    s.sat = calloc((size_t)g->n, sizeof(int));
    s.cnt = calloc((size_t)g->n * MAXC, sizeof(unsigned short));
    for (int v = 0; v < g->n; v++) s.col[v] = -1;
    s.best = upper; s.lower = lower; s.nodes = 0;
    exact_rec(&s, 0, 0);
    *nodes += s.nodes;
    free(s.col); free(s.sat); free(s.cnt);
    return s.best;
}

/* ------------------------------------------------------------ graph families */
static int *EU, *EV;

static void random_graph(graph *g, bench_rng *r, int n, uint32_t p_permille)
{
    int ne = 0;
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (rng_below(r, 1000) < p_permille) { EU[ne] = a; EV[ne] = b; ne++; }
    build(g, n, EU, EV, ne);
}

static void geometric_graph(graph *g, bench_rng *r, int n, uint32_t radius)
{
    int *x = malloc(sizeof(int) * (size_t)n), *y = malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++) { x[i] = (int)rng_below(r, 10000); y[i] = (int)rng_below(r, 10000); }
    int ne = 0;
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++) {
            int dx = x[a] - x[b], dy = y[a] - y[b];
            if ((uint32_t)(dx * dx + dy * dy) < radius * radius) { EU[ne] = a; EV[ne] = b; ne++; }
        }
    build(g, n, EU, EV, ne);
    free(x); free(y);
}

/* Mycielskian of the graph given by an edge list over n vertices; returns new n, edges appended */
static int mycielski(int n, int *ne)
{
    int m = *ne;
    for (int i = 0; i < m; i++) {
        int a = EU[i], b = EV[i];
        EU[*ne] = a; EV[*ne] = n + b; (*ne)++;
        EU[*ne] = b; EV[*ne] = n + a; (*ne)++;
    }
    for (int i = 0; i < n; i++) { EU[*ne] = n + i; EV[*ne] = 2 * n; (*ne)++; }
    return 2 * n + 1;
}

static void queen_graph(graph *g, int k)
{
    int ne = 0;
    for (int a = 0; a < k * k; a++)
        for (int b = a + 1; b < k * k; b++) {
            int ra = a / k, ca = a % k, rb = b / k, cb = b % k;
            if (ra == rb || ca == cb || ra - ca == rb - cb || ra + ca == rb + cb) { EU[ne] = a; EV[ne] = b; ne++; }
        }
    build(g, k * k, EU, EV, ne);
}

static uint64_t colour_all(graph *g, int want_exact, int known, long long *nodes)
{
    int *c1 = malloc(sizeof(int) * (size_t)g->n), *c2 = malloc(sizeof(int) * (size_t)g->n);
    int k1 = dsatur(g, c1), k2 = welsh_powell(g, c2);
    if (!proper(g, c1) || !proper(g, c2)) failures++;
    int cl = greedy_clique(g);
    if (cl > k1 || cl > k2) failures++;
    int chi = 0;
    if (want_exact) {
        int up = (k1 < k2 ? k1 : k2);
        chi = exact_chromatic(g, up + 1, cl, nodes);
        if (chi > up || chi < cl) failures++;
        if (known && chi != known) failures++;
    }
    uint64_t h = (uint64_t)k1 | (uint64_t)k2 << 10 | (uint64_t)cl << 20 | (uint64_t)chi << 30 | (uint64_t)g->m << 40;
    for (int v = 0; v < g->n; v += 97) h = mix64(h, (uint64_t)c1[v]);
    free(c1); free(c2);
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 23);
    EU = malloc(sizeof(int) * 2000000);
    EV = malloc(sizeof(int) * 2000000);
    bench_rng r = { 0xd5a7c01eULL };

    double t0 = bench_now();
    uint64_t h = 0;
    long long nodes = 0;
    for (int round = 0; round < scale; round++) {
        graph g;
        /* known chromatic numbers */
        if (round % 4 == 0) {
            int ne = 0;
            EU[ne] = 0; EV[ne] = 1; ne++;           /* K2: chi 2 */
            int n = mycielski(2, &ne);              /* C5: chi 3 */
            n = mycielski(n, &ne);                  /* Groetzsch: chi 4 */
            build(&g, n, EU, EV, ne);
            h = mix64(h, colour_all(&g, 1, 4, &nodes)); free_graph(&g);
            n = mycielski(n, &ne);                  /* M5: chi 5 */
            build(&g, n, EU, EV, ne);
            h = mix64(h, colour_all(&g, 1, 5, &nodes)); free_graph(&g);
            queen_graph(&g, 5); h = mix64(h, colour_all(&g, 1, 5, &nodes)); free_graph(&g);
            queen_graph(&g, 6); h = mix64(h, colour_all(&g, 1, 7, &nodes)); free_graph(&g);
            ne = 0;
            for (int i = 0; i < 101; i++) { EU[ne] = i; EV[ne] = (i + 1) % 101; ne++; }
            build(&g, 101, EU, EV, ne); h = mix64(h, colour_all(&g, 1, 3, &nodes)); free_graph(&g);
            ne = 0;
            for (int a = 0; a < 12; a++) for (int b = a + 1; b < 12; b++) { EU[ne] = a; EV[ne] = b; ne++; }
            build(&g, 12, EU, EV, ne); h = mix64(h, colour_all(&g, 1, 12, &nodes)); free_graph(&g);
        }
        /* small random graphs solved exactly */
        for (int k = 0; k < 4; k++) {
            random_graph(&g, &r, 48 + k * 2, 300 + 80 * (uint32_t)k);
            h = mix64(h, colour_all(&g, 1, 0, &nodes)); free_graph(&g);
        }
        /* larger graphs, heuristics only */
        random_graph(&g, &r, 900, 60);
        h = mix64(h, colour_all(&g, 0, 0, &nodes)); free_graph(&g);
        geometric_graph(&g, &r, 1200, 700);
        h = mix64(h, colour_all(&g, 0, 0, &nodes)); free_graph(&g);
    }
    bench_report(t0);
    printf("dsatur_color: rounds=%d bb_nodes=%lld failures=%d checksum=%016llx\n", scale, nodes, failures,
           (unsigned long long)h);
    free(EU); free(EV);
    return failures != 0;
}
