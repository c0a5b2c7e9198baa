/* dominators/graph.h -- flow graphs in CSR form and their generators: structured programs
 * (sequences, if/else, while and do-while loops, switches, breaks, early exits, occasional
 * gotos that make them irreducible), random sparse graphs with local and long edges and
 * unreachable parts, and small dense graphs. Node numbers are shuffled before use. */

typedef struct {
    int n, m, entry;
    int *succ_off, *succ; /* CSR, n + 1 offsets */
    int *pred_off, *pred;
} Graph;

typedef struct {
    int *from, *to;
    int m, cap, n;
} EdgeList;

static void el_add(EdgeList *e, int a, int b)
{
    if (e->m == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 1024;
        e->from = realloc(e->from, (size_t)e->cap * sizeof(int));
        e->to = realloc(e->to, (size_t)e->cap * sizeof(int));
        if (!e->from || !e->to)
            exit(1);
    }
    e->from[e->m] = a;
    e->to[e->m] = b;
    e->m++;
}

static int el_node(EdgeList *e) { return e->n++; }

static void graph_free(Graph *g)
{
    free(g->succ_off);
    free(g->succ);
    free(g->pred_off);
    free(g->pred);
}

/* counting sort of the edges by source and by target; node ids go through perm */
static void graph_build(Graph *g, const EdgeList *e, int entry, bench_rng *rng)
{
    int n = e->n;
    int *perm = malloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below(rng, (uint32_t)i + 1), t = perm[i];
        perm[i] = perm[j], perm[j] = t;
    }
    g->n = n;
    g->m = e->m;
    g->entry = perm[entry];
    g->succ_off = calloc((size_t)n + 1, sizeof(int));
    g->pred_off = calloc((size_t)n + 1, sizeof(int));
    g->succ = malloc((size_t)(e->m ? e->m : 1) * sizeof(int));
    g->pred = malloc((size_t)(e->m ? e->m : 1) * sizeof(int));
    if (!perm || !g->succ_off || !g->pred_off || !g->succ || !g->pred)
        exit(1);
    for (int i = 0; i < e->m; i++) {
        g->succ_off[perm[e->from[i]] + 1]++;
        g->pred_off[perm[e->to[i]] + 1]++;
    }
    for (int v = 0; v < n; v++) {
        g->succ_off[v + 1] += g->succ_off[v];
        g->pred_off[v + 1] += g->pred_off[v];
    }
    int *fs = malloc((size_t)n * sizeof(int)), *fp = malloc((size_t)n * sizeof(int));
    if (!fs || !fp)
        exit(1);
    memcpy(fs, g->succ_off, (size_t)n * sizeof(int));
    memcpy(fp, g->pred_off, (size_t)n * sizeof(int));
    for (int i = 0; i < e->m; i++) {
        int a = perm[e->from[i]], b = perm[e->to[i]];
        g->succ[fs[a]++] = b;
        g->pred[fp[b]++] = a;
    }
    free(fs);
    free(fp);
    free(perm);
}

/* ---- structured programs ---- */

typedef struct {
    EdgeList *e;
    bench_rng *rng;
    int budget;
    int exit_node;
    int *loop_exits; /* stack of the enclosing loops' exit nodes, for break */
    int nloops;
} Gen;

/* emits a region starting at node `in`; returns the node where control leaves it */
static int gen_region(Gen *g, int in, int depth)
{
    int cur = in;
    int parts = 1 + (int)rng_below(g->rng, depth < 2 ? 6 : 3);
    for (int k = 0; k < parts && g->budget > 0; k++) {
        uint32_t what = rng_below(g->rng, depth >= 7 ? 3 : 12);
        g->budget--;
        if (what < 3) { /* straight-line block, with an occasional break, exit or goto */
            int nb = el_node(g->e);
            el_add(g->e, cur, nb);
            uint32_t x = rng_below(g->rng, 40);
            if (x == 0 && g->nloops)
                el_add(g->e, nb, g->loop_exits[g->nloops - 1]);
            else if (x == 1)
                el_add(g->e, nb, g->exit_node);
            else if (x == 2 && g->e->n > 2)
                el_add(g->e, nb, (int)rng_below(g->rng, (uint32_t)g->e->n - 1) + 1);
            cur = nb;
        } else if (what < 6) { /* if / if-else */
            int cond = el_node(g->e), join = el_node(g->e);
            el_add(g->e, cur, cond);
            int t = el_node(g->e);
            el_add(g->e, cond, t);
            el_add(g->e, gen_region(g, t, depth + 1), join);
            if (what == 5) {
                int f = el_node(g->e);
                el_add(g->e, cond, f);
                el_add(g->e, gen_region(g, f, depth + 1), join);
            } else {
                el_add(g->e, cond, join);
            }
            cur = join;
        } else if (what < 9) { /* while or do-while */
            int head = el_node(g->e), out = el_node(g->e), body = el_node(g->e);
            el_add(g->e, cur, head);
            g->loop_exits[g->nloops++] = out;
            if (what < 8) {
                el_add(g->e, head, body);
                el_add(g->e, head, out);
                el_add(g->e, gen_region(g, body, depth + 1), head);
            } else {
                el_add(g->e, head, body);
                int last = gen_region(g, body, depth + 1);
                el_add(g->e, last, head);
                el_add(g->e, last, out);
            }
            g->nloops--;
            cur = out;
        } else { /* switch */
            int sw = el_node(g->e), join = el_node(g->e);
            el_add(g->e, cur, sw);
            int cases = 2 + (int)rng_below(g->rng, 5), prev_end = -1;
            for (int c = 0; c < cases; c++) {
                int cb = el_node(g->e);
                el_add(g->e, sw, cb);
                if (prev_end >= 0) /* fall-through from the previous case */
                    el_add(g->e, prev_end, cb), prev_end = -1;
                int end = gen_region(g, cb, depth + 1);
                if (rng_below(g->rng, 4) == 0)
                    prev_end = end;
                else
                    el_add(g->e, end, join);
            }
            if (prev_end >= 0)
                el_add(g->e, prev_end, join);
            cur = join;
        }
    }
    return cur;
}

static void gen_structured(Graph *out, bench_rng *rng, int budget, EdgeList *e)
{
    int loop_exits[16];
    e->m = 0;
    e->n = 0;
    Gen g = { e, rng, budget, 0, loop_exits, 0 };
    int entry = el_node(e);
    g.exit_node = el_node(e);
    int top = el_node(e);
    el_add(e, entry, top);
    while (g.budget > 0)
        top = gen_region(&g, top, 0);
    el_add(e, top, g.exit_node);
    graph_build(out, e, entry, rng);
}

/* random sparse graph: mostly short forward edges, some backward and long ones; the last
 * tenth of the nodes is only reachable from itself */
static void gen_sparse(Graph *out, bench_rng *rng, int n, EdgeList *e)
{
    e->m = 0;
    e->n = n;
    int reach = n - n / 10;
    for (int v = 0; v < n; v++) {
        int base = v < reach ? 0 : reach, span = v < reach ? reach : n - reach;
        int deg = 1 + (int)rng_below(rng, 2);
        if (v + 1 < reach && rng_below(rng, 4) != 0)
            el_add(e, v, v + 1);
        for (int k = 0; k < deg; k++) {
            int w;
            uint32_t x = rng_below(rng, 64);
            if (x < 36)
                w = v + 1 + (int)rng_below(rng, 4);
            else if (x < 62)
                w = v - 1 - (int)rng_below(rng, 40);
            else
                w = base + (int)rng_below(rng, (uint32_t)span);
            if (w < base || w >= base + span)
                continue;
            el_add(e, v, w);
        }
    }
    graph_build(out, e, 0, rng);
}

/* small dense graph for the bitset reference */
static void gen_small(Graph *out, bench_rng *rng, int n, EdgeList *e)
{
    e->m = 0;
    e->n = n;
    uint32_t p = 2 + rng_below(rng, 6);
    for (int v = 0; v < n; v++)
        for (int w = 0; w < n; w++)
            if (rng_below(rng, 64) < p * (w > v ? 2u : 1u))
                el_add(e, v, w);
    graph_build(out, e, 0, rng);
}
