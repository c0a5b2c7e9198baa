/* max_clique — exact maximum clique by branch and bound over 64-bit-word bitsets.
 *
 * Random graphs (up to 256 vertices, several densities) are stored as adjacency bitsets.
 * Vertices are renumbered by decreasing degree, then a Tomita-style search expands candidate sets
 * in greedy-colouring order: each level colours the candidates with bitset independent sets
 * (ctz to pick, and-not to exclude neighbours), and prunes when the current size plus the colour
 * bound cannot beat the incumbent. Cliques are verified and degree statistics use popcount. */
#include "../programs/bench.h"

#define MAXN 256
#define W 4

typedef struct { uint64_t w[W]; } bset;

typedef struct {
    int n;
    bset adj[MAXN];
} graph;

static inline int bs_empty(const bset *s) { return (s->w[0] | s->w[1] | s->w[2] | s->w[3]) == 0; }
static inline int bs_count(const bset *s)
{
    return __builtin_popcountll(s->w[0]) + __builtin_popcountll(s->w[1]) + __builtin_popcountll(s->w[2]) +
           __builtin_popcountll(s->w[3]);
}
static inline void bs_set(bset *s, int i) { s->w[i >> 6] |= 1ULL << (i & 63); }
static inline void bs_clear(bset *s, int i) { s->w[i >> 6] &= ~(1ULL << (i & 63)); }
static inline int bs_test(const bset *s, int i) { return (int)(s->w[i >> 6] >> (i & 63) & 1); }

typedef struct {
    const graph *g;
    int best, cur;
    int stack[MAXN], best_set[MAXN];
    uint64_t nodes;
} search;

static void expand(search *s, bset R)
{
    int order[MAXN], color[MAXN], cnt = 0;
    /* greedy colouring of R into independent sets */
    bset Q = R;
    int k = 0;
    while (!bs_empty(&Q)) {
        k++;
        bset avail = Q;
        for (int wi = 0; wi < W; wi++) {
            while (avail.w[wi]) {
                int v = wi * 64 + __builtin_ctzll(avail.w[wi]);
                avail.w[wi] &= avail.w[wi] - 1;
                bs_clear(&Q, v);
                const bset *nv = &s->g->adj[v];
                for (int x = wi; x < W; x++) avail.w[x] &= ~nv->w[x];
                order[cnt] = v;
                color[cnt] = k;
                cnt++;
            }
        }
    }
    for (int i = cnt - 1; i >= 0; i--) {
        if (s->cur + color[i] <= s->best) return;
        int v = order[i];
        s->nodes++;
        bset nr;
        const bset *nv = &s->g->adj[v];
        for (int x = 0; x < W; x++) nr.w[x] = R.w[x] & nv->w[x];
        s->stack[s->cur++] = v;
        if (bs_empty(&nr)) {
            if (s->cur > s->best) {
                s->best = s->cur;
                memcpy(s->best_set, s->stack, sizeof(int) * (size_t)s->cur);
            }
        } else {
            expand(s, nr);
        }
        s->cur--;
        bs_clear(&R, v);
    }
}

static void gen_graph(bench_rng *r, graph *g, int n, uint32_t p_per_1024)
{
    memset(g, 0, sizeof *g);
    g->n = n;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (rng_below(r, 1024) < p_per_1024) { bs_set(&g->adj[i], j); bs_set(&g->adj[j], i); }
}

/* renumber vertices by decreasing degree (ties by index); perm[new] = old */
static void reorder(const graph *g, graph *out, int *perm)
{
    int n = g->n, deg[MAXN], inv[MAXN];
    for (int i = 0; i < n; i++) { perm[i] = i; deg[i] = bs_count(&g->adj[i]); }
    for (int i = 1; i < n; i++) {
        int v = perm[i], j = i - 1;
        while (j >= 0 && (deg[perm[j]] < deg[v] || (deg[perm[j]] == deg[v] && perm[j] > v))) { perm[j + 1] = perm[j]; j--; }
        perm[j + 1] = v;
    }
    for (int i = 0; i < n; i++) inv[perm[i]] = i;
    memset(out, 0, sizeof *out);
    out->n = n;
    for (int i = 0; i < n; i++)
        for (int wi = 0; wi < W; wi++) {
            uint64_t m = g->adj[i].w[wi];
            while (m) {
                int j = wi * 64 + __builtin_ctzll(m);
                m &= m - 1;
                bs_set(&out->adj[inv[i]], inv[j]);
            }
        }
}

#define GRAPHS_PER_UNIT 6

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 118);
    int ng = scale * GRAPHS_PER_UNIT;
    graph *gs = malloc(sizeof(graph) * (size_t)ng);
    graph *work = malloc(sizeof(graph));
    search *s = malloc(sizeof(search));
    if (!gs || !work || !s) return 1;
    bench_rng rng = { 0x636c697175652121ULL };
    static const int sizes[GRAPHS_PER_UNIT] = { 256, 200, 160, 120, 90, 220 };
    static const uint32_t dens[GRAPHS_PER_UNIT] = { 256, 460, 600, 720, 830, 410 };
    for (int i = 0; i < ng; i++) gen_graph(&rng, &gs[i], sizes[i % GRAPHS_PER_UNIT], dens[i % GRAPHS_PER_UNIT]);

    double start = bench_now();
    uint64_t h = 0, total_nodes = 0, total_size = 0;
    for (int i = 0; i < ng; i++) {
        int perm[MAXN];
        reorder(&gs[i], work, perm);
        bset all = { { 0, 0, 0, 0 } };
        for (int v = 0; v < work->n; v++) bs_set(&all, v);
        s->g = work;
        s->best = 0;
        s->cur = 0;
        s->nodes = 0;
        expand(s, all);
        /* map back, sort, verify in the original graph */
        int cl[MAXN];
        for (int j = 0; j < s->best; j++) cl[j] = perm[s->best_set[j]];
        for (int a = 1; a < s->best; a++) {
            int v = cl[a], b = a - 1;
            while (b >= 0 && cl[b] > v) { cl[b + 1] = cl[b]; b--; }
            cl[b + 1] = v;
        }
        for (int a = 0; a < s->best; a++)
            for (int b = a + 1; b < s->best; b++)
                if (!bs_test(&gs[i].adj[cl[a]], cl[b])) { fprintf(stderr, "not a clique in graph %d\n", i); return 1; }
        uint64_t ch = 0;
        for (int a = 0; a < s->best; a++) ch = ch * 257 + (uint64_t)cl[a];
        h = mix64(h, (uint64_t)s->best << 48 ^ s->nodes);
        h = mix64(h, ch);
        total_nodes += s->nodes;
        total_size += (uint64_t)s->best;
    }
    bench_report(start);
    printf("max_clique graphs=%d total_clique=%llu search_nodes=%llu checksum=%016llx\n", ng,
           (unsigned long long)total_size, (unsigned long long)total_nodes, (unsigned long long)h);
    free(gs); free(work); free(s);
    return 0;
}
