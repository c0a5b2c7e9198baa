/* dinic_flow — maximum flow by Dinic's algorithm, checked by the minimum cut.
 *
 * Networks live in index-linked edge arrays (head/next/to/cap, edge e paired with e^1 as its
 * residual). Three kinds are solved each round: a binary image-segmentation graph (terminal edges
 * from a synthetic blob image, 4-neighbour smoothness edges weighted by intensity difference), a
 * random layered network with wide capacity ranges, and unit-capacity bipartite matching. Dinic
 * builds BFS level graphs and finds blocking flows with an explicit-stack depth-first search using
 * current-arc pointers and dead-end pruning (no recursion). After each solve a residual BFS from
 * the source gives the minimum cut, whose capacity must equal the flow value. */
#include "../programs/bench.h"

typedef struct {
    int nv, ne, s, t;
    int *head, *nxt, *to;
    int32_t *cap0; /* original capacities */
    int nterm;     /* the first nterm forward edges are terminal edges (varied per round) */
} Graph;

static int32_t *cap;
static int *level, *it, *queue, *pe;

static void g_init(Graph *g, int nv, int maxe)
{
    g->nv = nv;
    g->ne = 0;
    g->head = malloc((size_t)nv * sizeof(int));
    for (int i = 0; i < nv; i++)
        g->head[i] = -1;
    g->nxt = malloc((size_t)maxe * sizeof(int));
    g->to = malloc((size_t)maxe * sizeof(int));
    g->cap0 = malloc((size_t)maxe * sizeof(int32_t));
    g->nterm = 0;
}

static void add_edge(Graph *g, int u, int v, int32_t c)
{
    int e = g->ne;
    g->to[e] = v;
    g->cap0[e] = c;
    g->nxt[e] = g->head[u];
    g->head[u] = e;
    g->to[e + 1] = u;
    g->cap0[e + 1] = 0;
    g->nxt[e + 1] = g->head[v];
    g->head[v] = e + 1;
    g->ne += 2;
}

static int bfs(const Graph *g)
{
    for (int i = 0; i < g->nv; i++)
        level[i] = -1;
    int qh = 0, qt = 0;
    queue[qt++] = g->s;
    level[g->s] = 0;
    while (qh < qt) {
        int v = queue[qh++];
        for (int e = g->head[v]; e >= 0; e = g->nxt[e]) {
            int w = g->to[e];
            if (cap[e] > 0 && level[w] < 0) {
                level[w] = level[v] + 1;
                queue[qt++] = w;
            }
        }
    }
    return level[g->t] >= 0;
}

static int64_t blocking_flow(const Graph *g, uint64_t *augments)
{
    int64_t total = 0;
    for (int i = 0; i < g->nv; i++)
        it[i] = g->head[i];
    int d = 0, v = g->s;
    for (;;) {
        if (v == g->t) {
            int32_t f = INT32_MAX;
            for (int k = 0; k < d; k++)
                if (cap[pe[k]] < f)
                    f = cap[pe[k]];
            int first = -1;
            for (int k = 0; k < d; k++) {
                cap[pe[k]] -= f;
                cap[pe[k] ^ 1] += f;
                if (first < 0 && cap[pe[k]] == 0)
                    first = k;
            }
            total += f;
            (*augments)++;
            d = first;
            v = d == 0 ? g->s : g->to[pe[d - 1]];
            continue;
        }
        int e = it[v];
        int lv = level[v] + 1;
        while (e >= 0 && !(cap[e] > 0 && level[g->to[e]] == lv))
            e = g->nxt[e];
        it[v] = e;
        if (e >= 0) {
            pe[d++] = e;
            v = g->to[e];
        } else {
            if (v == g->s)
                break;
            level[v] = -1; /* dead end */
            d--;
            v = g->to[pe[d] ^ 1];
            it[v] = g->nxt[it[v]];
        }
    }
    return total;
}

static int64_t max_flow(const Graph *g, int round, uint64_t *phases, uint64_t *augments,
    int64_t *cut)
{
    memcpy(cap, g->cap0, (size_t)g->ne * sizeof(int32_t));
    for (int k = 0; k < g->nterm; k++)
        cap[2 * k] += (int32_t)((round * 7 + k) % 5);
    int64_t flow = 0;
    while (bfs(g)) {
        (*phases)++;
        flow += blocking_flow(g, augments);
    }
    /* min cut: level[] >= 0 marks the source side after the last BFS */
    int64_t c = 0;
    for (int e = 0; e < g->ne; e += 2) {
        int u = g->to[e + 1], w = g->to[e];
        if (level[u] >= 0 && level[w] < 0) {
            int32_t orig = g->cap0[e];
            if (e / 2 < g->nterm)
                orig += (int32_t)((round * 7 + e / 2) % 5);
            c += orig;
        }
    }
    *cut = c;
    return flow;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 48);
    bench_rng rng = { 0xF10DD1CULL };
    Graph gs[3];
    int maxv = 0, maxe = 0;

    /* segmentation grid */
    {
        const int W = 150, H = 150;
        Graph *g = &gs[0];
        g_init(g, W * H + 2, 2 * (2 * W * H + 4 * W * H));
        g->s = W * H;
        g->t = W * H + 1;
        int *img = malloc(sizeof(int) * W * H);
        int cx[6], cy[6], rr[6];
        for (int b = 0; b < 6; b++) {
            cx[b] = (int)rng_below(&rng, W);
            cy[b] = (int)rng_below(&rng, H);
            rr[b] = 10 + (int)rng_below(&rng, 25);
        }
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                int v = 60 + (int)rng_below(&rng, 50);
                for (int b = 0; b < 6; b++) {
                    int dx = x - cx[b], dy = y - cy[b];
                    if (dx * dx + dy * dy < rr[b] * rr[b])
                        v += 90;
                }
                img[y * W + x] = v > 255 ? 255 : v;
            }
        for (int p = 0; p < W * H; p++) { /* terminal edges first */
            add_edge(g, g->s, p, img[p] / 4);
            add_edge(g, p, g->t, (255 - img[p]) / 4);
        }
        g->nterm = 2 * W * H;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                int p = y * W + x;
                if (x + 1 < W) {
                    int diff = img[p] - img[p + 1];
                    int c = 400 / (1 + (diff < 0 ? -diff : diff));
                    add_edge(g, p, p + 1, c);
                    add_edge(g, p + 1, p, c);
                }
                if (y + 1 < H) {
                    int diff = img[p] - img[p + W];
                    int c = 400 / (1 + (diff < 0 ? -diff : diff));
                    add_edge(g, p, p + W, c);
                    add_edge(g, p + W, p, c);
                }
            }
        free(img);
    }
    /* layered network */
    {
        const int L = 10, Wd = 500, D = 5;
        Graph *g = &gs[1];
        g_init(g, L * Wd + 2, 2 * (2 * Wd + L * Wd * D));
        g->s = L * Wd;
        g->t = L * Wd + 1;
        for (int i = 0; i < Wd; i++)
            add_edge(g, g->s, i, 50 + (int32_t)rng_below(&rng, 1000));
        for (int i = 0; i < Wd; i++)
            add_edge(g, (L - 1) * Wd + i, g->t, 50 + (int32_t)rng_below(&rng, 1000));
        g->nterm = 2 * Wd;
        for (int l = 0; l + 1 < L; l++)
            for (int i = 0; i < Wd; i++)
                for (int k = 0; k < D; k++) {
                    int j = (int)rng_below(&rng, Wd);
                    add_edge(g, l * Wd + i, (l + 1) * Wd + j, 1 + (int32_t)rng_below(&rng, 300));
                }
    }
    /* bipartite matching */
    {
        const int NL = 4000, NR = 4000, D = 3;
        Graph *g = &gs[2];
        g_init(g, NL + NR + 2, 2 * (NL + NR + NL * D));
        g->s = NL + NR;
        g->t = NL + NR + 1;
        for (int i = 0; i < NL; i++)
            for (int k = 0; k < D; k++) {
                int j = (int)rng_below(&rng, NR);
                if (rng_below(&rng, 3) == 0)
                    j = (i * 3 + k) % NR;
                add_edge(g, i, NL + j, 1);
            }
        for (int i = 0; i < NL; i++)
            add_edge(g, g->s, i, 1);
        for (int j = 0; j < NR; j++)
            add_edge(g, NL + j, g->t, 1);
    }
    for (int k = 0; k < 3; k++) {
        if (gs[k].nv > maxv)
            maxv = gs[k].nv;
        if (gs[k].ne > maxe)
            maxe = gs[k].ne;
    }
    cap = malloc((size_t)maxe * sizeof(int32_t));
    level = malloc((size_t)maxv * sizeof(int));
    it = malloc((size_t)maxv * sizeof(int));
    queue = malloc((size_t)maxv * sizeof(int));
    pe = malloc((size_t)maxv * sizeof(int));

    double start = bench_now();
    uint64_t h = 0, phases = 0, augments = 0;
    int mismatches = 0;
    int64_t flows[3] = { 0, 0, 0 };
    for (int round = 0; round < scale; round++) {
        for (int k = 0; k < 3; k++) {
            int64_t cut;
            int64_t f = max_flow(&gs[k], round, &phases, &augments, &cut);
            if (f != cut)
                mismatches++;
            flows[k] = f;
            h = mix64(h, (uint64_t)f);
            uint64_t side = 0;
            for (int v = 0; v < gs[k].nv; v++)
                side = side * 3 + (level[v] >= 0);
            h = mix64(h, side);
        }
    }
    bench_report(start);
    printf("dinic_flow rounds=%d flows=%lld,%lld,%lld phases=%llu augments=%llu cut_mismatch=%d "
           "checksum=%016llx\n",
        scale, (long long)flows[0], (long long)flows[1], (long long)flows[2],
        (unsigned long long)phases, (unsigned long long)augments, mismatches,
        (unsigned long long)h);
    return 0;
}
