/* dominators.c -- dominator trees and dominance frontiers of flow graphs.
 *
 * Graphs (dominators/graph.h): structured programs with loops, switches with fall-through,
 * breaks, early exits and a few gotos; random sparse graphs with unreachable parts; small dense
 * graphs. Node numbers are shuffled, graphs are in CSR arrays for successors and predecessors.
 * Immediate dominators come from Lengauer-Tarjan (iterative DFS, semidominators, buckets, path
 * compression without recursion) and from the Cooper-Harvey-Kennedy iteration over reverse
 * postorder; dominance frontiers from Cytron's bottom-up rule and from walking up the dominator
 * tree from each predecessor (dominators/algos.h).
 *
 * Checks: both dominator algorithms agree everywhere; removing a random node d makes exactly
 * the nodes of d's dominator subtree unreachable (BFS, subtree by preorder intervals); both
 * frontier computations give the same sets; on small graphs dominator sets from bitset data
 * flow and frontiers by their definition agree with the fast algorithms.
 */
#include "../programs/bench.h"

#include "dominators/graph.h"
#include "dominators/algos.h"

#define MAXN 8192

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

typedef struct {
    int idom_lt[MAXN], idom_it[MAXN];
    int child_off[MAXN + 1], child[MAXN], tin[MAXN], tout[MAXN], depth[MAXN], post[MAXN];
    int start[MAXN], end[MAXN], stamp[MAXN], rstart[MAXN + 1], rfill[MAXN];
    int queue[MAXN];
    unsigned char seen[MAXN];
} Scratch;

static Scratch S;

/* the nodes that become unreachable without d must be exactly d's proper dominator subtree */
static int removal_check(const Graph *g, const DomTree *t, int d, int *lost)
{
    int n = g->n, head = 0, tail = 0, bad = 0;
    memset(S.seen, 0, (size_t)n);
    S.seen[d] = 1;
    S.seen[g->entry] = 1;
    S.queue[tail++] = g->entry;
    while (head < tail) {
        int v = S.queue[head++];
        for (int k = g->succ_off[v]; k < g->succ_off[v + 1]; k++) {
            int x = g->succ[k];
            if (!S.seen[x]) {
                S.seen[x] = 1;
                S.queue[tail++] = x;
            }
        }
    }
    *lost = 0;
    for (int v = 0; v < n; v++) {
        if (v == d || t->tin[v] < 0)
            continue;
        int below = t->tin[d] < t->tin[v] && t->tin[v] <= t->tout[d];
        if (below != !S.seen[v])
            bad++;
        *lost += below;
    }
    return bad;
}

/* frontier pairs from the runner, grouped by node and sorted, against Cytron's sets */
static int compare_frontiers(const Graph *g, Sets *cy, Sets *pairs)
{
    int n = g->n, bad = 0;
    memset(S.rstart, 0, (size_t)(n + 1) * sizeof(int));
    int np = pairs->len / 2;
    for (int i = 0; i < np; i++)
        S.rstart[pairs->list[2 * i] + 1]++;
    for (int v = 0; v < n; v++)
        S.rstart[v + 1] += S.rstart[v];
    int *grouped = malloc((size_t)(np ? np : 1) * sizeof(int));
    if (!grouped)
        exit(1);
    memcpy(S.rfill, S.rstart, (size_t)n * sizeof(int));
    for (int i = 0; i < np; i++)
        grouped[S.rfill[pairs->list[2 * i]]++] = pairs->list[2 * i + 1];
    for (int v = 0; v < n; v++) {
        int a = S.end[v] - S.start[v], b = S.rstart[v + 1] - S.rstart[v];
        if (a != b) {
            bad++;
            continue;
        }
        qsort(cy->list + S.start[v], (size_t)a, sizeof(int), cmp_int);
        qsort(grouped + S.rstart[v], (size_t)b, sizeof(int), cmp_int);
        if (memcmp(cy->list + S.start[v], grouped + S.rstart[v], (size_t)a * sizeof(int)) != 0)
            bad++;
    }
    free(grouped);
    return bad;
}

/* small graphs: dominator sets as 64-bit masks by data flow, frontiers by definition */
static int small_check(const Graph *g, const int *idom, const Sets *cy)
{
    int n = g->n, bad = 0;
    uint64_t dom[64], all = n == 64 ? ~0ULL : (1ULL << n) - 1;
    int reach[64];
    for (int v = 0; v < n; v++) {
        dom[v] = all;
        reach[v] = idom[v] >= 0 || v == g->entry;
    }
    dom[g->entry] = 1ULL << g->entry;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int v = 0; v < n; v++) {
            if (v == g->entry || !reach[v])
                continue;
            uint64_t m = all;
            for (int k = g->pred_off[v]; k < g->pred_off[v + 1]; k++)
                if (reach[g->pred[k]])
                    m &= dom[g->pred[k]];
            m |= 1ULL << v;
            if (m != dom[v]) {
                dom[v] = m;
                changed = 1;
            }
        }
    }
    for (int v = 0; v < n; v++) {
        if (!reach[v])
            continue;
        /* the immediate dominator is the strict dominator with the most dominators */
        uint64_t strict = dom[v] & ~(1ULL << v);
        int best = -1, bestc = -1;
        for (uint64_t m = strict; m; m &= m - 1) {
            int d = __builtin_ctzll(m), c = __builtin_popcountll(dom[d]);
            if (c > bestc)
                bestc = c, best = d;
        }
        if (best != idom[v])
            bad++;
    }
    for (int x = 0; x < n; x++) {
        if (!reach[x])
            continue;
        uint64_t df = 0;
        for (int y = 0; y < n; y++) {
            if (!reach[y])
                continue;
            int dom_pred = 0;
            for (int k = g->pred_off[y]; k < g->pred_off[y + 1]; k++)
                if (reach[g->pred[k]] && (dom[g->pred[k]] >> x & 1))
                    dom_pred = 1;
            int strictly = (dom[y] >> x & 1) && x != y;
            if (dom_pred && !strictly)
                df |= 1ULL << y;
        }
        uint64_t got = 0;
        for (int k = S.start[x]; k < S.end[x]; k++)
            got |= 1ULL << cy->list[k];
        if (got != df)
            bad++;
    }
    return bad;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 63);
    int rounds = scale * 6;
    bench_rng rng = { 0x243F6A8885A308D3ULL };
    Work w;
    work_init(&w, MAXN);
    DomTree t = { S.child_off, S.child, S.tin, S.tout, S.depth, S.post, 0 };
    Sets cy = { 0 }, pairs = { 0 };
    EdgeList el = { 0 };
    uint64_t h = 0;

    double t0 = bench_now();
    for (int round = 0; round < rounds; round++) {
        int kind = round % 3, graphs = kind == 2 ? 40 : 1;
        for (int gi = 0; gi < graphs; gi++) {
            Graph g;
            if (kind == 0)
                gen_structured(&g, &rng, 1400, &el);
            else if (kind == 1)
                gen_sparse(&g, &rng, 3000 + (int)rng_below(&rng, 3000), &el);
            else
                gen_small(&g, &rng, 8 + (int)rng_below(&rng, 57), &el);
            if (g.n > MAXN) {
                fail("graph too large", round);
                graph_free(&g);
                continue;
            }

            int passes;
            idom_lengauer_tarjan(&g, &w, S.idom_lt);
            idom_iterative(&g, &w, S.idom_it, &passes);
            if (memcmp(S.idom_lt, S.idom_it, (size_t)g.n * sizeof(int)) != 0) {
                /* the walks below assume a proper tree; a wrong one could make them spin */
                fail("Lengauer-Tarjan against iterative", round);
                graph_free(&g);
                continue;
            }
            domtree_build(&g, S.idom_lt, &t, &w);

            int reachable = t.npost;
            uint64_t depth_sum = 0;
            for (int v = 0; v < g.n; v++)
                if (t.depth[v] > 0)
                    depth_sum += (uint64_t)t.depth[v];
            h = mix64(h, (uint64_t)reachable << 32 | (uint32_t)passes);
            h = mix64(h, depth_sum);

            /* removing nodes */
            int samples = kind == 2 ? 2 : 12;
            for (int k = 0; k < samples && reachable > 1; k++) {
                int d = t.post[rng_below(&rng, (uint32_t)reachable - 1)]; /* never the entry */
                int lost;
                if (removal_check(&g, &t, d, &lost))
                    fail("node removal against dominator subtree", round);
                h = mix64(h, (uint64_t)lost);
            }

            df_cytron(&g, S.idom_lt, &t, &cy, S.start, S.end, S.stamp);
            df_runner(&g, S.idom_lt, &pairs, S.stamp);
            h = mix64(h, (uint64_t)cy.len);
            if (kind == 2 && small_check(&g, S.idom_lt, &cy))
                fail("small graph against bitset dominators and frontier definition", round);
            if (compare_frontiers(&g, &cy, &pairs))
                fail("Cytron frontiers against runner", round);
            graph_free(&g);
        }
    }
    bench_report(t0);

    work_free(&w);
    free(cy.list);
    free(pairs.list);
    free(el.from);
    free(el.to);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
