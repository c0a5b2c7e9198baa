/* tree_queries.c — path and subtree queries on rooted trees.
 *
 * Trees of several shapes (random recursive, caterpillar, complete binary, broom, random with
 * long chains) are given as parent arrays and turned into child lists by counting sort. An
 * iterative depth-first search computes depths, subtree sizes and heavy children; heavy-light
 * decomposition lays every heavy path and every subtree out contiguously, and a recursive
 * segment tree with lazy range-add answers range sums and maxima. Lowest common ancestors come
 * from binary lifting and, independently, from an Euler tour with a sparse-table range-minimum;
 * both must agree. Random path additions, path sums and maxima, subtree additions and sums,
 * k-th ancestors and distances run on each tree; on small trees every answer is checked against
 * a naive model that walks parent pointers, and on large trees the total weight and sampled
 * ancestors are checked.
 */
#include "../programs/bench.h"

#define LOG 17
#define MAXN (1 << LOG)

static int failures;

/* ---------- tree structure ---------- */

typedef struct {
    int n;
    int *parent, *child_start, *children;
    int *depth, *size, *heavy, *head, *pos, *order; /* order: node at HLD position */
    int *up[LOG];
    int *euler, *first, neuler;
    int *sparse[LOG + 1];
    int *lg;
} tree_t;

static void tree_alloc(tree_t *t, int n)
{
    t->n = n;
    t->parent = malloc(sizeof(int) * (size_t)n);
    t->child_start = malloc(sizeof(int) * (size_t)(n + 1));
    t->children = malloc(sizeof(int) * (size_t)n);
    t->depth = malloc(sizeof(int) * (size_t)n);
    t->size = malloc(sizeof(int) * (size_t)n);
    t->heavy = malloc(sizeof(int) * (size_t)n);
    t->head = malloc(sizeof(int) * (size_t)n);
    t->pos = malloc(sizeof(int) * (size_t)n);
    t->order = malloc(sizeof(int) * (size_t)n);
    for (int k = 0; k < LOG; k++)
        t->up[k] = malloc(sizeof(int) * (size_t)n);
    t->euler = malloc(sizeof(int) * (size_t)(2 * n));
    t->first = malloc(sizeof(int) * (size_t)n);
    for (int k = 0; k <= LOG; k++)
        t->sparse[k] = malloc(sizeof(int) * (size_t)(2 * n));
    t->lg = malloc(sizeof(int) * (size_t)(2 * n + 1));
}

static void tree_free(tree_t *t)
{
    free(t->parent);
    free(t->child_start);
    free(t->children);
    free(t->depth);
    free(t->size);
    free(t->heavy);
    free(t->head);
    free(t->pos);
    free(t->order);
    for (int k = 0; k < LOG; k++)
        free(t->up[k]);
    free(t->euler);
    free(t->first);
    for (int k = 0; k <= LOG; k++)
        free(t->sparse[k]);
    free(t->lg);
}

static void make_shape(tree_t *t, int shape, bench_rng *g)
{
    int n = t->n;
    t->parent[0] = -1;
    for (int i = 1; i < n; i++) {
        switch (shape) {
        case 0: t->parent[i] = (int)rng_below(g, (uint32_t)i); break;        /* random recursive */
        case 1: t->parent[i] = i < n / 2 ? i - 1 : (int)rng_below(g, (uint32_t)(n / 2)); break; /* caterpillar */
        case 2: t->parent[i] = (i - 1) / 2; break;                              /* complete binary */
        case 3: t->parent[i] = i < n / 3 ? i - 1 : n / 3 - 1; break;           /* broom */
        default: /* mostly chains with occasional branching */
            t->parent[i] = rng_below(g, 8) ? i - 1 : (int)rng_below(g, (uint32_t)i);
            break;
        }
    }
    /* relabel randomly (keeping 0 as the root) so that labels do not follow the structure */
    int *perm = malloc(sizeof(int) * (size_t)n), *newpar = malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 1; i--) {
        int j = 1 + (int)rng_below(g, (uint32_t)i);
        int tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
    }
    for (int i = 0; i < n; i++)
        newpar[perm[i]] = t->parent[i] < 0 ? -1 : perm[t->parent[i]];
    memcpy(t->parent, newpar, sizeof(int) * (size_t)n);
    free(perm);
    free(newpar);
}

static void tree_build(tree_t *t)
{
    int n = t->n;
    /* child lists by counting sort on the parent */
    memset(t->child_start, 0, sizeof(int) * (size_t)(n + 1));
    for (int i = 1; i < n; i++)
        t->child_start[t->parent[i] + 1]++;
    for (int i = 0; i < n; i++)
        t->child_start[i + 1] += t->child_start[i];
    int *fill = malloc(sizeof(int) * (size_t)n);
    memcpy(fill, t->child_start, sizeof(int) * (size_t)n);
    for (int i = 1; i < n; i++)
        t->children[fill[t->parent[i]]++] = i;

    /* preorder by explicit stack; sizes and heavy children in reverse preorder */
    int *pre = fill, np = 0;
    int *stack = malloc(sizeof(int) * (size_t)n), sp = 0;
    stack[sp++] = 0;
    t->depth[0] = 0;
    while (sp) {
        int u = stack[--sp];
        pre[np++] = u;
        for (int k = t->child_start[u + 1] - 1; k >= t->child_start[u]; k--) {
            int c = t->children[k];
            t->depth[c] = t->depth[u] + 1;
            stack[sp++] = c;
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        int u = pre[i];
        t->size[u] = 1;
        t->heavy[u] = -1;
        int best = 0;
        for (int k = t->child_start[u]; k < t->child_start[u + 1]; k++) {
            int c = t->children[k];
            t->size[u] += t->size[c];
            if (t->size[c] > best) {
                best = t->size[c];
                t->heavy[u] = c;
            }
        }
    }
    /* heavy-light positions: heavy child first, so paths and subtrees are contiguous */
    int cur = 0;
    sp = 0;
    stack[sp++] = 0;
    t->head[0] = 0;
    while (sp) {
        int u = stack[--sp];
        t->pos[u] = cur;
        t->order[cur++] = u;
        for (int k = t->child_start[u]; k < t->child_start[u + 1]; k++) {
            int c = t->children[k];
            if (c != t->heavy[u]) {
                t->head[c] = c;
                stack[sp++] = c;
            }
        }
        if (t->heavy[u] >= 0) {
            t->head[t->heavy[u]] = t->head[u];
            stack[sp++] = t->heavy[u];
        }
    }
    /* binary lifting */
    for (int i = 0; i < n; i++)
        t->up[0][i] = t->parent[i] < 0 ? 0 : t->parent[i];
    for (int k = 1; k < LOG; k++)
        for (int i = 0; i < n; i++)
            t->up[k][i] = t->up[k - 1][t->up[k - 1][i]];
    /* Euler tour with an explicit stack of (node, next child index) */
    int *it = malloc(sizeof(int) * (size_t)n);
    sp = 0;
    stack[sp++] = 0;
    it[0] = t->child_start[0];
    t->neuler = 0;
    t->first[0] = 0;
    t->euler[t->neuler++] = 0;
    while (sp) {
        int u = stack[sp - 1];
        if (it[u] < t->child_start[u + 1]) {
            int c = t->children[it[u]++];
            it[c] = t->child_start[c];
            t->first[c] = t->neuler;
            t->euler[t->neuler++] = c;
            stack[sp++] = c;
        } else {
            sp--;
            if (sp)
                t->euler[t->neuler++] = stack[sp - 1];
        }
    }
    /* sparse table over the tour, minimum by depth */
    int m = t->neuler;
    t->lg[1] = 0;
    for (int i = 2; i <= m; i++)
        t->lg[i] = t->lg[i / 2] + 1;
    memcpy(t->sparse[0], t->euler, sizeof(int) * (size_t)m);
    for (int k = 1; (1 << k) <= m; k++)
        for (int i = 0; i + (1 << k) <= m; i++) {
            int a = t->sparse[k - 1][i], b = t->sparse[k - 1][i + (1 << (k - 1))];
            t->sparse[k][i] = t->depth[a] <= t->depth[b] ? a : b;
        }
    free(it);
    free(stack);
    free(fill);
}

static int lca_lift(const tree_t *t, int u, int v)
{
    if (t->depth[u] < t->depth[v]) {
        int x = u;
        u = v;
        v = x;
    }
    int diff = t->depth[u] - t->depth[v];
    for (int k = 0; diff; k++, diff >>= 1)
        if (diff & 1)
            u = t->up[k][u];
    if (u == v)
        return u;
    for (int k = LOG - 1; k >= 0; k--)
        if (t->up[k][u] != t->up[k][v]) {
            u = t->up[k][u];
            v = t->up[k][v];
        }
    return t->up[0][u];
}

static int lca_rmq(const tree_t *t, int u, int v)
{
    int a = t->first[u], b = t->first[v];
    if (a > b) {
        int x = a;
        a = b;
        b = x;
    }
    int k = t->lg[b - a + 1];
    int x = t->sparse[k][a], y = t->sparse[k][b - (1 << k) + 1];
    return t->depth[x] <= t->depth[y] ? x : y;
}

static int kth_ancestor(const tree_t *t, int u, int k)
{
    if (k > t->depth[u])
        return -1;
    for (int b = 0; k; b++, k >>= 1)
        if (k & 1)
            u = t->up[b][u];
    return u;
}

/* ---------- lazy segment tree ---------- */

typedef struct {
    int n;
    int64_t *sum, *mx, *lazy;
} seg_t;

static void seg_build(seg_t *s, const int64_t *init, int node, int l, int r)
{
    s->lazy[node] = 0;
    if (l == r) {
        s->sum[node] = s->mx[node] = init[l];
        return;
    }
    int mid = (l + r) / 2;
    seg_build(s, init, 2 * node, l, mid);
    seg_build(s, init, 2 * node + 1, mid + 1, r);
    s->sum[node] = s->sum[2 * node] + s->sum[2 * node + 1];
    s->mx[node] = s->mx[2 * node] > s->mx[2 * node + 1] ? s->mx[2 * node] : s->mx[2 * node + 1];
}

static inline void seg_apply(seg_t *s, int node, int len, int64_t v)
{
    s->sum[node] += v * len;
    s->mx[node] += v;
    s->lazy[node] += v;
}

static inline void seg_push(seg_t *s, int node, int l, int r)
{
    if (s->lazy[node]) {
        int mid = (l + r) / 2;
        seg_apply(s, 2 * node, mid - l + 1, s->lazy[node]);
        seg_apply(s, 2 * node + 1, r - mid, s->lazy[node]);
        s->lazy[node] = 0;
    }
}

static void seg_add(seg_t *s, int node, int l, int r, int ql, int qr, int64_t v)
{
    if (qr < l || r < ql)
        return;
    if (ql <= l && r <= qr) {
        seg_apply(s, node, r - l + 1, v);
        return;
    }
    seg_push(s, node, l, r);
    int mid = (l + r) / 2;
    seg_add(s, 2 * node, l, mid, ql, qr, v);
    seg_add(s, 2 * node + 1, mid + 1, r, ql, qr, v);
    s->sum[node] = s->sum[2 * node] + s->sum[2 * node + 1];
    s->mx[node] = s->mx[2 * node] > s->mx[2 * node + 1] ? s->mx[2 * node] : s->mx[2 * node + 1];
}

static void seg_query(seg_t *s, int node, int l, int r, int ql, int qr, int64_t *sum, int64_t *mx)
{
    if (qr < l || r < ql)
        return;
    if (ql <= l && r <= qr) {
        *sum += s->sum[node];
        if (s->mx[node] > *mx)
            *mx = s->mx[node];
        return;
    }
    seg_push(s, node, l, r);
    int mid = (l + r) / 2;
    seg_query(s, 2 * node, l, mid, ql, qr, sum, mx);
    seg_query(s, 2 * node + 1, mid + 1, r, ql, qr, sum, mx);
}

/* ---------- heavy-light path operations ---------- */

static void path_add(const tree_t *t, seg_t *s, int u, int v, int64_t d)
{
    while (t->head[u] != t->head[v]) {
        if (t->depth[t->head[u]] < t->depth[t->head[v]]) {
            int x = u;
            u = v;
            v = x;
        }
        seg_add(s, 1, 0, t->n - 1, t->pos[t->head[u]], t->pos[u], d);
        u = t->parent[t->head[u]];
    }
    int a = t->pos[u] < t->pos[v] ? t->pos[u] : t->pos[v], b = t->pos[u] ^ t->pos[v] ^ a;
    seg_add(s, 1, 0, t->n - 1, a, b, d);
}

static void path_query(const tree_t *t, seg_t *s, int u, int v, int64_t *sum, int64_t *mx)
{
    *sum = 0;
    *mx = INT64_MIN;
    while (t->head[u] != t->head[v]) {
        if (t->depth[t->head[u]] < t->depth[t->head[v]]) {
            int x = u;
            u = v;
            v = x;
        }
        seg_query(s, 1, 0, t->n - 1, t->pos[t->head[u]], t->pos[u], sum, mx);
        u = t->parent[t->head[u]];
    }
    int a = t->pos[u] < t->pos[v] ? t->pos[u] : t->pos[v], b = t->pos[u] ^ t->pos[v] ^ a;
    seg_query(s, 1, 0, t->n - 1, a, b, sum, mx);
}

/* ---------- naive model ---------- */

static int naive_lca(const tree_t *t, int u, int v)
{
    while (t->depth[u] > t->depth[v])
        u = t->parent[u];
    while (t->depth[v] > t->depth[u])
        v = t->parent[v];
    while (u != v) {
        u = t->parent[u];
        v = t->parent[v];
    }
    return u;
}

static void naive_path(const tree_t *t, int64_t *val, int u, int v, int64_t d, int64_t *sum, int64_t *mx)
{
    int w = naive_lca(t, u, v);
    *sum = 0;
    *mx = INT64_MIN;
    for (int side = 0; side < 2; side++) {
        int x = side ? v : u;
        while (x != w) {
            val[x] += d;
            *sum += val[x];
            if (val[x] > *mx)
                *mx = val[x];
            x = t->parent[x];
        }
    }
    val[w] += d;
    *sum += val[w];
    if (val[w] > *mx)
        *mx = val[w];
}

/* subtree of u by walking its descendants through the child lists */
static void naive_subtree(const tree_t *t, int64_t *val, int u, int64_t d, int64_t *sum, int *stack)
{
    int sp = 0;
    stack[sp++] = u;
    *sum = 0;
    while (sp) {
        int x = stack[--sp];
        val[x] += d;
        *sum += val[x];
        for (int k = t->child_start[x]; k < t->child_start[x + 1]; k++)
            stack[sp++] = t->children[k];
    }
}

static uint64_t run_tree(int n, int shape, int nq, int check_all, bench_rng *g, uint64_t h)
{
    tree_t t;
    tree_alloc(&t, n);
    make_shape(&t, shape, g);
    tree_build(&t);

    int64_t *val = malloc(sizeof(int64_t) * (size_t)n), *init = malloc(sizeof(int64_t) * (size_t)n);
    int *stack = malloc(sizeof(int) * (size_t)n);
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        val[i] = (int64_t)rng_below(g, 1000) - 300;
        total += val[i];
    }
    for (int p = 0; p < n; p++)
        init[p] = val[t.order[p]];
    seg_t s = { n, malloc(sizeof(int64_t) * 4 * (size_t)n), malloc(sizeof(int64_t) * 4 * (size_t)n),
                malloc(sizeof(int64_t) * 4 * (size_t)n) };
    seg_build(&s, init, 1, 0, n - 1);

    for (int q = 0; q < nq; q++) {
        int u = (int)rng_below(g, (uint32_t)n), v = (int)rng_below(g, (uint32_t)n);
        int w = lca_lift(&t, u, v);
        if (w != lca_rmq(&t, u, v))
            failures++;
        int dist = t.depth[u] + t.depth[v] - 2 * t.depth[w];
        int sampled = check_all || (q & 63) == 0;
        if (sampled && naive_lca(&t, u, v) != w)
            failures++;
        uint32_t op = rng_below(g, 10);
        int64_t sum, mx, nsum, nmx;
        if (op < 4) {
            int64_t d = (int64_t)rng_below(g, 21) - 10;
            path_add(&t, &s, u, v, d);
            total += d * (dist + 1);
            path_query(&t, &s, u, v, &sum, &mx);
            if (check_all) {
                naive_path(&t, val, u, v, d, &nsum, &nmx);
                if (nsum != sum || nmx != mx)
                    failures++;
            }
        } else if (op < 7) {
            path_query(&t, &s, u, v, &sum, &mx);
            if (check_all) {
                naive_path(&t, val, u, v, 0, &nsum, &nmx);
                if (nsum != sum || nmx != mx)
                    failures++;
            }
        } else if (op < 9) {
            int64_t d = op == 7 ? (int64_t)rng_below(g, 7) - 3 : 0;
            if (d)
                seg_add(&s, 1, 0, n - 1, t.pos[u], t.pos[u] + t.size[u] - 1, d);
            total += d * t.size[u];
            mx = INT64_MIN;
            sum = 0;
            seg_query(&s, 1, 0, n - 1, t.pos[u], t.pos[u] + t.size[u] - 1, &sum, &mx);
            if (check_all) {
                naive_subtree(&t, val, u, d, &nsum, stack);
                if (nsum != sum)
                    failures++;
            }
        } else {
            int k = (int)rng_below(g, (uint32_t)(t.depth[u] + 2));
            int a = kth_ancestor(&t, u, k);
            if (sampled) {
                int x = u;
                for (int i = 0; i < k && x >= 0; i++)
                    x = t.parent[x];
                if (k > t.depth[u])
                    x = -1;
                if (x != a)
                    failures++;
            }
            sum = a;
            mx = dist;
        }
        h = mix64(h, (uint64_t)sum);
        h = mix64(h, (uint64_t)mx ^ (uint64_t)w);
    }
    /* the whole tree's weight is tracked independently */
    int64_t all = 0, allmx = INT64_MIN;
    seg_query(&s, 1, 0, n - 1, 0, n - 1, &all, &allmx);
    if (all != total)
        failures++;
    h = mix64(h, (uint64_t)all);
    h = mix64(h, (uint64_t)t.size[0] + (uint64_t)t.neuler);
    free(val);
    free(init);
    free(stack);
    free(s.sum);
    free(s.mx);
    free(s.lazy);
    tree_free(&t);
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 9);
    bench_rng g = { 0x2545F4914F6CDD1DULL };

    double t0 = bench_now();
    uint64_t h = 0x9B05688C2B3E6C1FULL;
    for (int round = 0; round < scale; round++) {
        int shape = round % 5;
        h = run_tree(40000 + (int)rng_below(&g, 30000), shape, 16000, 0, &g, h);
        for (int k = 0; k < 4; k++)
            h = run_tree(500 + (int)rng_below(&g, 1500), (shape + k) % 5, 2000, 1, &g, h);
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
