/* assign_match.c — optimal assignment (Hungarian method) and maximum bipartite matching.
 *
 * The Hungarian method with row and column potentials (shortest augmenting paths grown one row
 * at a time with a slack array, O(n^2 m)) solves rectangular min-cost assignment problems of
 * several kinds: uniform random costs, costs with many ties, "geometric" costs (squared
 * distances between random points), and costs with forbidden cells. Hopcroft-Karp finds
 * maximum matchings in sparse random bipartite graphs stored in compressed adjacency arrays:
 * breadth-first layering from the free left vertices, then an iterative depth-first search (an
 * explicit stack and per-vertex edge cursors) for vertex-disjoint shortest augmenting paths.
 * Checks: the assignment is injective and its cost equals the sum of the dual potentials, which
 * must be feasible (u_i + v_j <= c_ij everywhere) -- an optimality certificate; small problems
 * are compared with an exhaustive dynamic programme over column subsets; a matching is checked
 * against a vertex cover of the same size built from the alternating-path reachability of the
 * free left vertices (Koenig's theorem), which must cover every edge; small graphs are compared
 * with Kuhn's simple augmenting-path algorithm; and on 0/1 cost matrices of a graph the minimum
 * assignment cost must equal the number of rows left unmatched by Hopcroft-Karp.
 */
#include "../programs/bench.h"

#define INF64 ((int64_t)1 << 60)

static unsigned failures;

/* Hungarian method for an n x m cost matrix (n <= m), row-major. Fills row_to_col, u and v
 * (u has n+1 entries, v has m+1, index 0 unused) and returns the minimum cost. */
static int64_t hungarian(int n, int m, const int32_t *c, int *row_to_col, int64_t *u, int64_t *v)
{
    int *p = malloc(sizeof(int) * (size_t)(m + 1)), *way = malloc(sizeof(int) * (size_t)(m + 1));
    int64_t *minv = malloc(sizeof(int64_t) * (size_t)(m + 1));
    uint8_t *used = malloc((size_t)m + 1);
    for (int j = 0; j <= m; j++) { p[j] = 0; v[j] = 0; }
    for (int i = 0; i <= n; i++) u[i] = 0;
    for (int i = 1; i <= n; i++) {
        p[0] = i;
        int j0 = 0;
        for (int j = 0; j <= m; j++) { minv[j] = INF64; used[j] = 0; }
        do {
            used[j0] = 1;
            int i0 = p[j0], j1 = 0;
            int64_t delta = INF64;
            const int32_t *row = c + (size_t)(i0 - 1) * (size_t)m;
            for (int j = 1; j <= m; j++) {
                if (used[j]) continue;
                int64_t cur = row[j - 1] - u[i0] - v[j];
                if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                if (minv[j] < delta) { delta = minv[j]; j1 = j; }
            }
            for (int j = 0; j <= m; j++) {
                if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                else minv[j] -= delta;
            }
            j0 = j1;
        } while (p[j0] != 0);
        do { /* flip the augmenting path */
            int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    int64_t cost = 0;
    for (int j = 1; j <= m; j++)
        if (p[j]) {
            row_to_col[p[j] - 1] = j - 1;
            cost += c[(size_t)(p[j] - 1) * (size_t)m + (size_t)(j - 1)];
        }
    free(p); free(way); free(minv); free(used);
    return cost;
}

/* Certificate: injective assignment, feasible duals, cost = dual objective. */
static void check_assignment(int n, int m, const int32_t *c, const int *r2c, const int64_t *u, const int64_t *v,
                             int64_t cost)
{
    uint8_t *taken = calloc((size_t)m, 1);
    int64_t sum = 0, dual = 0;
    for (int i = 0; i < n; i++) {
        int j = r2c[i];
        if (j < 0 || j >= m || taken[j]) { failures++; free(taken); return; }
        taken[j] = 1;
        sum += c[(size_t)i * (size_t)m + (size_t)j];
        if (u[i + 1] + v[j + 1] != c[(size_t)i * (size_t)m + (size_t)j]) failures++;
    }
    for (int i = 0; i < n; i++) {
        dual += u[i + 1];
        for (int j = 0; j < m; j++)
            if (u[i + 1] + v[j + 1] > c[(size_t)i * (size_t)m + (size_t)j]) { failures++; i = n; break; }
    }
    /* column duals are <= 0 (a column may stay unused) and 0 on unused columns */
    for (int j = 0; j < m; j++) {
        if (v[j + 1] > 0 || (!taken[j] && v[j + 1] != 0)) failures++;
        dual += v[j + 1];
    }
    if (sum != cost || dual != cost) failures++;
    free(taken);
}

/* Exhaustive minimum over injective assignments: DP over subsets of columns (m <= 14). */
static int64_t brute_assignment(int n, int m, const int32_t *c)
{
    int full = 1 << m;
    int64_t *dp = malloc(sizeof(int64_t) * (size_t)full);
    for (int s = 0; s < full; s++) dp[s] = INF64;
    dp[0] = 0;
    int64_t best = INF64;
    for (int s = 0; s < full; s++) {
        if (dp[s] >= INF64) continue;
        int i = __builtin_popcount((unsigned)s);
        if (i == n) { if (dp[s] < best) best = dp[s]; continue; }
        for (int j = 0; j < m; j++)
            if (!(s & (1 << j))) {
                int64_t t = dp[s] + c[(size_t)i * (size_t)m + (size_t)j];
                if (t < dp[s | (1 << j)]) dp[s | (1 << j)] = t;
            }
    }
    free(dp);
    return best;
}

/* ---- bipartite graphs ---- */
typedef struct {
    int nl, nr;
    int *start, *adj; /* CSR: edges of left vertex x are adj[start[x] .. start[x+1]) */
} Bigraph;

static void random_graph(Bigraph *g, int nl, int nr, int edges, bench_rng *r)
{
    g->nl = nl;
    g->nr = nr;
    g->start = calloc((size_t)nl + 1, sizeof(int));
    g->adj = malloc(sizeof(int) * (size_t)edges);
    int *from = malloc(sizeof(int) * (size_t)edges), *to = malloc(sizeof(int) * (size_t)edges);
    for (int e = 0; e < edges; e++) {
        from[e] = (int)rng_below(r, (uint32_t)nl);
        /* mostly local edges, so that augmenting paths get long */
        to[e] = rng_below(r, 8) ? (int)((from[e] * (int64_t)nr / nl + rng_below(r, 6)) % nr)
                                : (int)rng_below(r, (uint32_t)nr);
        g->start[from[e] + 1]++;
    }
    for (int x = 0; x < nl; x++) g->start[x + 1] += g->start[x];
    int *fill = malloc(sizeof(int) * (size_t)nl);
    memcpy(fill, g->start, sizeof(int) * (size_t)nl);
    for (int e = 0; e < edges; e++) g->adj[fill[from[e]]++] = to[e];
    free(fill); free(from); free(to);
}

static void free_graph(Bigraph *g) { free(g->start); free(g->adj); }

/* Hopcroft-Karp; returns the matching size, fills ml (left -> right) and mr (right -> left). */
static int hopcroft_karp(const Bigraph *g, int *ml, int *mr)
{
    int nl = g->nl, nr = g->nr, size = 0;
    int *dist = malloc(sizeof(int) * (size_t)nl), *queue = malloc(sizeof(int) * (size_t)nl);
    int *it = malloc(sizeof(int) * (size_t)nl), *stack = malloc(sizeof(int) * (size_t)nl);
    for (int x = 0; x < nl; x++) ml[x] = -1;
    for (int y = 0; y < nr; y++) mr[y] = -1;
    for (;;) {
        int head = 0, tail = 0, found = 0;
        for (int x = 0; x < nl; x++) {
            if (ml[x] < 0) { dist[x] = 0; queue[tail++] = x; }
            else dist[x] = -1;
        }
        while (head < tail) {
            int x = queue[head++];
            for (const int *e = g->adj + g->start[x], *end = g->adj + g->start[x + 1]; e < end; e++) {
                int x2 = mr[*e];
                if (x2 < 0) found = 1;
                else if (dist[x2] < 0) { dist[x2] = dist[x] + 1; queue[tail++] = x2; }
            }
        }
        if (!found) break;
        int before = size;
        for (int x = 0; x < nl; x++) it[x] = g->start[x];
        for (int root = 0; root < nl; root++) {
            if (ml[root] >= 0) continue;
            int sp = 0;
            stack[sp++] = root;
            while (sp > 0) {
                int x = stack[sp - 1];
                if (it[x] == g->start[x + 1]) { /* dead end */
                    dist[x] = -1;
                    sp--;
                    continue;
                }
                int y = g->adj[it[x]++], x2 = mr[y];
                if (x2 < 0) { /* augment along the stack */
                    for (int k = sp - 1; k >= 0; k--) {
                        int xk = stack[k], prev = ml[xk];
                        ml[xk] = y;
                        mr[y] = xk;
                        y = prev;
                    }
                    size++;
                    break;
                }
                if (dist[x2] == dist[x] + 1) stack[sp++] = x2;
            }
        }
        if (size == before) { /* a shortest augmenting path exists, so a phase must find one */
            failures++;
            break;
        }
    }
    free(dist); free(queue); free(it); free(stack);
    return size;
}

/* Koenig: cover = (left not reachable) + (right reachable) from free left vertices. */
static void check_matching(const Bigraph *g, const int *ml, const int *mr, int size)
{
    int nl = g->nl, nr = g->nr, count = 0;
    for (int x = 0; x < nl; x++) {
        if (ml[x] >= 0) {
            count++;
            if (ml[x] >= nr || mr[ml[x]] != x) failures++;
        }
    }
    if (count != size) failures++;
    uint8_t *zl = calloc((size_t)nl, 1), *zr = calloc((size_t)nr, 1);
    int *queue = malloc(sizeof(int) * (size_t)nl), head = 0, tail = 0;
    for (int x = 0; x < nl; x++)
        if (ml[x] < 0) { zl[x] = 1; queue[tail++] = x; }
    while (head < tail) {
        int x = queue[head++];
        for (int e = g->start[x]; e < g->start[x + 1]; e++) {
            int y = g->adj[e];
            if (zr[y] || y == ml[x]) continue;
            zr[y] = 1;
            if (mr[y] < 0) failures++; /* an augmenting path was left */
            else if (!zl[mr[y]]) { zl[mr[y]] = 1; queue[tail++] = mr[y]; }
        }
    }
    int cover = 0;
    for (int x = 0; x < nl; x++) cover += !zl[x];
    for (int y = 0; y < nr; y++) cover += zr[y];
    if (cover != size) failures++;
    for (int x = 0; x < nl; x++)
        for (int e = g->start[x]; e < g->start[x + 1]; e++)
            if (zl[x] && !zr[g->adj[e]]) failures++;
    free(zl); free(zr); free(queue);
}

static int kuhn_try(const Bigraph *g, int x, int *mr, uint8_t *seen)
{
    for (int e = g->start[x]; e < g->start[x + 1]; e++) {
        int y = g->adj[e];
        if (seen[y]) continue;
        seen[y] = 1;
        if (mr[y] < 0 || kuhn_try(g, mr[y], mr, seen)) { mr[y] = x; return 1; }
    }
    return 0;
}

static int kuhn(const Bigraph *g)
{
    int *mr = malloc(sizeof(int) * (size_t)g->nr), size = 0;
    uint8_t *seen = malloc((size_t)g->nr);
    for (int y = 0; y < g->nr; y++) mr[y] = -1;
    for (int x = 0; x < g->nl; x++) {
        memset(seen, 0, (size_t)g->nr);
        size += kuhn_try(g, x, mr, seen);
    }
    free(mr); free(seen);
    return size;
}

static void fill_costs(int32_t *c, int n, int m, int kind, bench_rng *r)
{
    static int32_t px[512], py[512], qx[512], qy[512];
    if (kind == 2) {
        for (int i = 0; i < n; i++) { px[i] = (int32_t)rng_below(r, 1000); py[i] = (int32_t)rng_below(r, 1000); }
        for (int j = 0; j < m; j++) { qx[j] = (int32_t)rng_below(r, 1000); qy[j] = (int32_t)rng_below(r, 1000); }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            int32_t v;
            switch (kind) {
            case 0: v = (int32_t)rng_below(r, 1000000); break;
            case 1: v = (int32_t)rng_below(r, 8); break; /* many ties */
            case 2: v = (px[i] - qx[j]) * (px[i] - qx[j]) + (py[i] - qy[j]) * (py[i] - qy[j]); break;
            default: v = rng_below(r, 4) ? 1000000000 : (int32_t)rng_below(r, 5000); break; /* forbidden cells */
            }
            c[(size_t)i * (size_t)m + (size_t)j] = v;
        }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 33);
    bench_rng rng = { 0xA551A551A5510001ULL };
    int32_t *c = malloc(sizeof(int32_t) * 512 * 512);
    int *r2c = malloc(sizeof(int) * 512);
    int64_t *u = malloc(sizeof(int64_t) * 513), *v = malloc(sizeof(int64_t) * 513);
    uint64_t h = 0;
    int64_t cost_total = 0;
    long long matched_total = 0;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        /* Hungarian on the four cost kinds */
        for (int kind = 0; kind < 4; kind++) {
            int n = 60 + (int)rng_below(&rng, 120), m = n + (kind & 1 ? (int)rng_below(&rng, 40) : 0);
            fill_costs(c, n, m, kind, &rng);
            int64_t cost = hungarian(n, m, c, r2c, u, v);
            check_assignment(n, m, c, r2c, u, v, cost);
            cost_total += cost;
            h = mix64(mix64(h, (uint64_t)cost), (uint64_t)r2c[n / 2]);
        }
        /* small problems against the subset DP */
        for (int t = 0; t < 6; t++) {
            int m = 4 + (int)rng_below(&rng, 9), n = m - (int)rng_below(&rng, 3);
            fill_costs(c, n, m, t % 4, &rng);
            int64_t cost = hungarian(n, m, c, r2c, u, v);
            check_assignment(n, m, c, r2c, u, v, cost);
            if (cost != brute_assignment(n, m, c)) failures++;
            h = mix64(h, (uint64_t)cost);
        }
        /* Hopcroft-Karp on large sparse graphs */
        for (int t = 0; t < 2; t++) {
            int nl = 20000 + (int)rng_below(&rng, 20000), nr = nl - 2000 + (int)rng_below(&rng, 4000);
            int edges = nl + (int)rng_below(&rng, (uint32_t)nl * 2);
            Bigraph g;
            random_graph(&g, nl, nr, edges, &rng);
            int *ml = malloc(sizeof(int) * (size_t)nl), *mr = malloc(sizeof(int) * (size_t)nr);
            int size = hopcroft_karp(&g, ml, mr);
            check_matching(&g, ml, mr, size);
            matched_total += size;
            h = mix64(h, (uint64_t)size);
            free(ml); free(mr);
            free_graph(&g);
        }
        /* small graphs: Kuhn, and 0/1 assignment costs */
        for (int t = 0; t < 4; t++) {
            int n = 40 + (int)rng_below(&rng, 100);
            Bigraph g;
            random_graph(&g, n, n, n + (int)rng_below(&rng, (uint32_t)n), &rng);
            int *ml = malloc(sizeof(int) * (size_t)n), *mr = malloc(sizeof(int) * (size_t)n);
            int size = hopcroft_karp(&g, ml, mr);
            check_matching(&g, ml, mr, size);
            if (kuhn(&g) != size) failures++;
            for (int i = 0; i < n * n; i++) c[i] = 1;
            for (int x = 0; x < n; x++)
                for (int e = g.start[x]; e < g.start[x + 1]; e++) c[x * n + g.adj[e]] = 0;
            int64_t cost = hungarian(n, n, c, r2c, u, v);
            if (cost != n - size) failures++;
            h = mix64(h, (uint64_t)size);
            free(ml); free(mr);
            free_graph(&g);
        }
    }
    bench_report(t0);
    printf("assign_match: cost=%lld matched=%lld hash=%016llx failures=%u\n", (long long)cost_total, matched_total,
           (unsigned long long)h, failures);
    free(c); free(r2c); free(u); free(v);
    return failures != 0;
}
