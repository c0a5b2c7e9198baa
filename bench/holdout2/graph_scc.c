/* graph_scc — directed-graph analysis over compressed adjacency arrays: CSR construction by counting
 * sort, iterative Tarjan strongly connected components, the condensation DAG with a weighted
 * longest path, and breadth-first search levels on the underlying undirected graph.
 *
 * An edge list with community structure (dense local links plus sparse long-range ones) is
 * generated before the timer starts. Each round keeps a round-dependent subset of the edges,
 * builds both adjacency structures, and runs the analyses. */
#include "../programs/bench.h"

#define NV 100000
#define NE 420000
#define NBFS 3

typedef struct {
    uint32_t *off;  /* NV + 1 */
    uint32_t *adj;
} csr;

static void build_csr(csr *g, const uint32_t *src, const uint32_t *dst, int m, int n)
{
    memset(g->off, 0, (size_t)(n + 1) * sizeof(uint32_t));
    for (int i = 0; i < m; i++) g->off[src[i] + 1]++;
    for (int v = 0; v < n; v++) g->off[v + 1] += g->off[v];
    uint32_t *fill = malloc((size_t)n * sizeof(uint32_t));
    if (!fill) exit(1);
    memcpy(fill, g->off, (size_t)n * sizeof(uint32_t));
    for (int i = 0; i < m; i++) g->adj[fill[src[i]]++] = dst[i];
    free(fill);
}

typedef struct {
    int *index, *low, *comp, *stack, *call_v;
    uint32_t *call_e;
    char *on_stack;
} tarjan_ws;

/* Iterative Tarjan. comp[v] receives the component id; components are numbered in reverse
 * topological order of the condensation (sinks first). Returns the component count. */
static int tarjan(const csr *g, int n, tarjan_ws *w)
{
    int counter = 0, ncomp = 0, sp = 0;
    for (int v = 0; v < n; v++) { w->index[v] = -1; w->on_stack[v] = 0; }
    for (int root = 0; root < n; root++) {
        if (w->index[root] >= 0) continue;
        int depth = 0;
        w->call_v[0] = root;
        w->call_e[0] = g->off[root];
        w->index[root] = w->low[root] = counter++;
        w->stack[sp++] = root;
        w->on_stack[root] = 1;
        while (depth >= 0) {
            int v = w->call_v[depth];
            uint32_t e = w->call_e[depth];
            if (e < g->off[v + 1]) {
                w->call_e[depth] = e + 1;
                int u = (int)g->adj[e];
                if (w->index[u] < 0) {
                    w->index[u] = w->low[u] = counter++;
                    w->stack[sp++] = u;
                    w->on_stack[u] = 1;
                    depth++;
                    w->call_v[depth] = u;
                    w->call_e[depth] = g->off[u];
                } else if (w->on_stack[u] && w->index[u] < w->low[v]) {
                    w->low[v] = w->index[u];
                }
                continue;
            }
            if (w->low[v] == w->index[v]) {
                int u;
                do {
                    u = w->stack[--sp];
                    w->on_stack[u] = 0;
                    w->comp[u] = ncomp;
                } while (u != v);
                ncomp++;
            }
            depth--;
            if (depth >= 0) {
                int p = w->call_v[depth];
                if (w->low[v] < w->low[p]) w->low[p] = w->low[v];
            }
        }
    }
    return ncomp;
}

/* BFS from s over an undirected CSR; returns the eccentricity and adds level sizes to hist. */
static int bfs(const csr *g, int n, int s, int *dist, int *queue, long *hist, int hist_len)
{
    for (int v = 0; v < n; v++) dist[v] = -1;
    int head = 0, tail = 0;
    dist[s] = 0;
    queue[tail++] = s;
    int ecc = 0;
    while (head < tail) {
        int v = queue[head++];
        int d = dist[v];
        if (d > ecc) ecc = d;
        if (d < hist_len) hist[d]++;
        for (uint32_t e = g->off[v]; e < g->off[v + 1]; e++) {
            int u = (int)g->adj[e];
            if (dist[u] < 0) {
                dist[u] = d + 1;
                queue[tail++] = u;
            }
        }
    }
    return ecc;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 37);
    bench_rng rng = { 0x6A4F5CC0FFEE0001ULL };
    uint32_t *es = malloc(NE * sizeof(uint32_t)), *ed = malloc(NE * sizeof(uint32_t));
    uint32_t *ew = malloc(NE * sizeof(uint32_t));
    if (!es || !ed || !ew) return 1;
    /* Communities of 50 consecutive vertices; most edges stay inside, often pointing forward, so
     * components range from single vertices to large knots. */
    for (int i = 0; i < NE; i++) {
        uint32_t s = rng_below(&rng, NV), d;
        uint32_t kind = rng_below(&rng, 100);
        if (kind < 70) {
            uint32_t base = s - s % 50;
            d = base + rng_below(&rng, 50);
        } else if (kind < 90) {
            d = s + 1 + rng_below(&rng, 200);
            if (d >= NV) d = rng_below(&rng, NV);
        } else {
            d = rng_below(&rng, NV);
        }
        es[i] = s;
        ed[i] = d;
        ew[i] = 1 + rng_below(&rng, 100);
    }

    uint32_t *ks = malloc(2 * NE * sizeof(uint32_t)), *kd = malloc(2 * NE * sizeof(uint32_t));
    csr g = { malloc((NV + 1) * sizeof(uint32_t)), malloc(NE * sizeof(uint32_t)) };
    csr ug = { malloc((NV + 1) * sizeof(uint32_t)), malloc(2 * NE * sizeof(uint32_t)) };
    csr dag = { malloc((NV + 1) * sizeof(uint32_t)), malloc(NE * sizeof(uint32_t)) };
    uint32_t *dag_s = malloc(NE * sizeof(uint32_t)), *dag_d = malloc(NE * sizeof(uint32_t));
    uint32_t *keep_w = malloc(NE * sizeof(uint32_t)), *dag_wsrc = malloc(NE * sizeof(uint32_t));
    uint32_t *dag_w = malloc(NE * sizeof(uint32_t));
    tarjan_ws w = { malloc(NV * sizeof(int)), malloc(NV * sizeof(int)), malloc(NV * sizeof(int)),
                    malloc(NV * sizeof(int)), malloc(NV * sizeof(int)), malloc(NV * sizeof(uint32_t)), malloc(NV) };
    int *comp_size = malloc(NV * sizeof(int));
    uint64_t *longest = malloc(NV * sizeof(uint64_t));
    int *dist = malloc(NV * sizeof(int)), *queue = malloc(NV * sizeof(int));
    long hist[64];
    if (!ks || !kd || !g.off || !g.adj || !ug.off || !ug.adj || !dag.off || !dag.adj || !dag_s || !dag_d ||
        !keep_w || !dag_wsrc || !dag_w || !w.index || !w.low || !w.comp || !w.stack || !w.call_v || !w.call_e ||
        !w.on_stack || !comp_size || !longest || !dist || !queue)
        return 1;

    double start = bench_now();
    uint64_t h = 0;
    long total_comps = 0;
    for (int round = 0; round < scale; round++) {
        /* keep about 7/8 of the edges, a different subset each round */
        int m = 0;
        for (int i = 0; i < NE; i++) {
            uint64_t x = mix64((uint64_t)round * 0x9E3779B97F4A7C15ULL, (uint64_t)i);
            if ((x & 7) == 0) continue;
            ks[m] = es[i];
            kd[m] = ed[i];
            keep_w[m] = ew[i];
            m++;
        }
        build_csr(&g, ks, kd, m, NV);

        int ncomp = tarjan(&g, NV, &w);
        total_comps += ncomp;
        memset(comp_size, 0, (size_t)ncomp * sizeof(int));
        for (int v = 0; v < NV; v++) comp_size[w.comp[v]]++;
        int biggest = 0, singletons = 0;
        for (int c = 0; c < ncomp; c++) {
            if (comp_size[c] > biggest) biggest = comp_size[c];
            singletons += comp_size[c] == 1;
        }

        /* Condensation: edges between different components, weighted. Components are numbered
         * sinks first, so every DAG edge goes from a higher id to a lower one. */
        int dm = 0;
        for (int i = 0; i < m; i++) {
            uint32_t cs = (uint32_t)w.comp[ks[i]], cd = (uint32_t)w.comp[kd[i]];
            if (cs == cd) continue;
            dag_s[dm] = cs;
            dag_d[dm] = cd;
            dag_wsrc[dm] = keep_w[i];
            dm++;
        }
        /* build_csr scatters targets; carry weights along by encoding them with the target */
        for (int i = 0; i < dm; i++) dag_w[i] = dag_d[i] << 7 | dag_wsrc[i];
        build_csr(&dag, dag_s, dag_w, dm, ncomp);
        uint64_t best = 0;
        for (int c = 0; c < ncomp; c++) {
            /* all successors have smaller ids, so they are final already */
            uint64_t lp = 0;
            for (uint32_t e = dag.off[c]; e < dag.off[c + 1]; e++) {
                uint32_t t = dag.adj[e] >> 7, wt = dag.adj[e] & 127;
                uint64_t cand = longest[t] + wt;
                if (cand > lp) lp = cand;
            }
            longest[c] = lp + (uint64_t)comp_size[c];
            if (longest[c] > best) best = longest[c];
        }

        /* undirected version for BFS */
        for (int i = 0; i < m; i++) {
            ks[m + i] = kd[i];
            kd[m + i] = ks[i];
        }
        build_csr(&ug, ks, kd, 2 * m, NV);
        memset(hist, 0, sizeof hist);
        int ecc_sum = 0;
        for (int b = 0; b < NBFS; b++) {
            int s = (int)(mix64((uint64_t)round, (uint64_t)b) % NV);
            ecc_sum += bfs(&ug, NV, s, dist, queue, hist, 64);
        }
        h = mix64(h, (uint64_t)ncomp << 32 | (uint64_t)biggest);
        h = mix64(h, (uint64_t)singletons << 32 | (uint64_t)dm);
        h = mix64(h, best);
        h = mix64(h, (uint64_t)ecc_sum);
        for (int d = 0; d < 64; d++) h = mix64(h, (uint64_t)hist[d]);
    }
    bench_report(start);
    printf("graph_scc vertices=%d edges=%d rounds=%d components=%ld checksum=%016llx\n", NV, NE, scale, total_comps,
           (unsigned long long)h);
    free(es); free(ed); free(ew); free(ks); free(kd); free(g.off); free(g.adj); free(ug.off); free(ug.adj);
    free(dag.off); free(dag.adj); free(dag_s); free(dag_d); free(keep_w); free(dag_wsrc); free(dag_w);
    free(w.index); free(w.low); free(w.comp); free(w.stack); free(w.call_v); free(w.call_e); free(w.on_stack);
    free(comp_size); free(longest); free(dist); free(queue);
    return 0;
}
