/* simplex_lp.c — dense two-phase simplex for linear programs.
 *
 * Linear programs with <=, >= and = rows are brought to a tableau (rows with negative right-hand
 * sides negated, slack and surplus columns, artificial columns for >= and = rows) and solved by
 * the two-phase primal simplex method: Dantzig's most-negative reduced cost with a switch to
 * Bland's rule after a run of degenerate pivots, minimum-ratio tests with index tie-breaking,
 * artificials driven out of the basis (redundant rows left in place) between the phases. Dual
 * values are read off the final reduced costs. The workload solves random packing/covering LPs
 * (checked for primal feasibility, dual feasibility and equal primal and dual objectives),
 * balanced transportation problems (checked against a min-cost-flow solver using successive
 * shortest paths with Bellman-Ford), fractional knapsacks (checked against the greedy optimum),
 * and infeasible and unbounded programs that must be reported as such.
 */
#include "../programs/bench.h"

enum { LE = 0, GE = 1, EQ = 2 };
enum { LP_OPTIMAL, LP_INFEASIBLE, LP_UNBOUNDED, LP_ITERLIMIT };

typedef struct {
    int m, n;
    double *a; /* m x n */
    double *b;
    int *type;
    double *c; /* maximise c.x */
} lp_t;

typedef struct {
    int status;
    double obj;
    double *x; /* n */
    double *y; /* m */
    int pivots;
} result_t;

static int failures;
#define EPS 1e-9

static double absd(double x) { return x < 0 ? -x : x; }

typedef struct {
    int rows, cols; /* constraint rows; columns excluding the right-hand side */
    double *t;      /* (rows + 1) x (cols + 1), objective row last */
    int *basis;
    int first_art;  /* columns >= first_art are artificial */
    int pivots;
} tableau_t;

#define T(tb, i, j) ((tb)->t[(size_t)(i) * (size_t)((tb)->cols + 1) + (size_t)(j)])

static void pivot(tableau_t *tb, int r, int c)
{
    int w = tb->cols + 1;
    double *pr = &T(tb, r, 0);
    double inv = 1.0 / pr[c];
    for (int j = 0; j < w; j++)
        pr[j] *= inv;
    pr[c] = 1.0;
    for (int i = 0; i <= tb->rows; i++) {
        if (i == r)
            continue;
        double *row = &T(tb, i, 0);
        double f = row[c];
        if (f == 0.0)
            continue;
        for (int j = 0; j < w; j++)
            row[j] -= f * pr[j];
        row[c] = 0.0;
    }
    tb->basis[r] = c;
    tb->pivots++;
}

/* maximise the objective row; columns >= limit may not enter */
static int run_simplex(tableau_t *tb, int limit)
{
    int degenerate = 0;
    for (int iter = 0; iter < 50000; iter++) {
        const double *obj = &T(tb, tb->rows, 0);
        int enter = -1;
        if (degenerate < 50) {
            double best = -EPS;
            for (int j = 0; j < limit; j++)
                if (obj[j] < best) {
                    best = obj[j];
                    enter = j;
                }
        } else {
            for (int j = 0; j < limit; j++)
                if (obj[j] < -EPS) {
                    enter = j;
                    break;
                }
        }
        if (enter < 0)
            return LP_OPTIMAL;
        int leave = -1;
        double best_ratio = 0.0;
        for (int i = 0; i < tb->rows; i++) {
            double v = T(tb, i, enter);
            if (v <= EPS)
                continue;
            double ratio = T(tb, i, tb->cols) / v;
            if (leave < 0 || ratio < best_ratio - 1e-12 ||
                (ratio <= best_ratio + 1e-12 && tb->basis[i] < tb->basis[leave])) {
                leave = i;
                best_ratio = ratio;
            }
        }
        if (leave < 0)
            return LP_UNBOUNDED;
        degenerate = best_ratio <= EPS ? degenerate + 1 : 0;
        pivot(tb, leave, enter);
    }
    return LP_ITERLIMIT;
}

static void solve(const lp_t *lp, result_t *res)
{
    int m = lp->m, n = lp->n;
    int *type = malloc(sizeof(int) * (size_t)m), *flip = malloc(sizeof(int) * (size_t)m);
    int nslack = 0, nart = 0;
    for (int i = 0; i < m; i++) {
        flip[i] = lp->b[i] < 0;
        type[i] = lp->type[i];
        if (flip[i] && type[i] != EQ)
            type[i] = type[i] == LE ? GE : LE;
        nslack += type[i] != EQ;
        nart += type[i] != LE;
    }
    tableau_t tb;
    tb.rows = m;
    tb.cols = n + nslack + nart;
    tb.first_art = n + nslack;
    tb.pivots = 0;
    tb.t = calloc((size_t)(m + 1) * (size_t)(tb.cols + 1), sizeof(double));
    tb.basis = malloc(sizeof(int) * (size_t)m);
    int *slack_col = malloc(sizeof(int) * (size_t)m), *art_col = malloc(sizeof(int) * (size_t)m);
    int s = n, a = n + nslack;
    for (int i = 0; i < m; i++) {
        double sg = flip[i] ? -1.0 : 1.0;
        for (int j = 0; j < n; j++)
            T(&tb, i, j) = sg * lp->a[(size_t)i * (size_t)n + (size_t)j];
        T(&tb, i, tb.cols) = sg * lp->b[i];
        slack_col[i] = art_col[i] = -1;
        if (type[i] == LE) {
            slack_col[i] = s;
            T(&tb, i, s++) = 1.0;
            tb.basis[i] = slack_col[i];
        } else {
            if (type[i] == GE) {
                slack_col[i] = s;
                T(&tb, i, s++) = -1.0;
            }
            art_col[i] = a;
            T(&tb, i, a++) = 1.0;
            tb.basis[i] = art_col[i];
        }
    }
    /* phase 1: maximise -(sum of artificials) */
    double *obj = &T(&tb, m, 0);
    for (int i = 0; i < m; i++) {
        if (art_col[i] < 0)
            continue;
        for (int j = 0; j <= tb.cols; j++)
            obj[j] -= T(&tb, i, j);
        obj[art_col[i]] += 1.0;
    }
    for (int i = 0; i < m; i++)
        if (art_col[i] >= 0)
            obj[art_col[i]] = 0.0;
    res->status = LP_OPTIMAL;
    if (nart) {
        int st = run_simplex(&tb, tb.cols);
        if (st != LP_OPTIMAL || T(&tb, m, tb.cols) < -1e-7) {
            res->status = st == LP_OPTIMAL ? LP_INFEASIBLE : st;
            goto done;
        }
        /* drive zero-level artificials out of the basis where possible */
        for (int i = 0; i < m; i++) {
            if (tb.basis[i] < tb.first_art)
                continue;
            int best = -1;
            for (int j = 0; j < tb.first_art; j++)
                if (absd(T(&tb, i, j)) > 1e-7 && (best < 0 || absd(T(&tb, i, j)) > absd(T(&tb, i, best))))
                    best = j;
            if (best >= 0)
                pivot(&tb, i, best);
        }
    }
    /* phase 2: reduced costs of the real objective */
    for (int j = 0; j <= tb.cols; j++) {
        double d = j < n ? -lp->c[j] : 0.0;
        for (int i = 0; i < m; i++) {
            int bj = tb.basis[i];
            double cb = bj < n ? lp->c[bj] : 0.0;
            if (cb != 0.0)
                d += cb * T(&tb, i, j);
        }
        obj[j] = d;
    }
    {
        int st = run_simplex(&tb, tb.first_art);
        if (st != LP_OPTIMAL) {
            res->status = st;
            goto done;
        }
    }
    for (int j = 0; j < n; j++)
        res->x[j] = 0.0;
    for (int i = 0; i < m; i++)
        if (tb.basis[i] < n)
            res->x[tb.basis[i]] = T(&tb, i, tb.cols);
    res->obj = T(&tb, m, tb.cols);
    for (int i = 0; i < m; i++) {
        double y;
        if (art_col[i] >= 0)
            y = obj[art_col[i]];
        else
            y = obj[slack_col[i]];
        res->y[i] = flip[i] ? -y : y;
    }
done:
    res->pivots = tb.pivots;
    free(tb.t);
    free(tb.basis);
    free(type);
    free(flip);
    free(slack_col);
    free(art_col);
}

/* ---------- checks ---------- */

static void check_optimal(const lp_t *lp, const result_t *r)
{
    int m = lp->m, n = lp->n;
    double scale = 1.0 + absd(r->obj);
    double cx = 0.0, by = 0.0;
    for (int j = 0; j < n; j++) {
        if (r->x[j] < -1e-9)
            failures++;
        cx += lp->c[j] * r->x[j];
    }
    for (int i = 0; i < m; i++) {
        double ax = 0.0;
        for (int j = 0; j < n; j++)
            ax += lp->a[(size_t)i * (size_t)n + (size_t)j] * r->x[j];
        double tol = 1e-7 * (1.0 + absd(lp->b[i]));
        if ((lp->type[i] == LE && ax > lp->b[i] + tol) || (lp->type[i] == GE && ax < lp->b[i] - tol) ||
            (lp->type[i] == EQ && absd(ax - lp->b[i]) > tol))
            failures++;
        /* dual sign conditions for a maximisation */
        if ((lp->type[i] == LE && r->y[i] < -1e-7) || (lp->type[i] == GE && r->y[i] > 1e-7))
            failures++;
        by += lp->b[i] * r->y[i];
    }
    for (int j = 0; j < n; j++) {
        double aty = 0.0;
        for (int i = 0; i < m; i++)
            aty += lp->a[(size_t)i * (size_t)n + (size_t)j] * r->y[i];
        if (aty < lp->c[j] - 1e-7 * (1.0 + absd(lp->c[j])))
            failures++;
    }
    if (absd(cx - r->obj) > 1e-7 * scale || absd(by - r->obj) > 1e-7 * scale)
        failures++;
}

static lp_t lp_new(int m, int n)
{
    lp_t lp;
    lp.m = m;
    lp.n = n;
    lp.a = calloc((size_t)m * (size_t)n, sizeof(double));
    lp.b = calloc((size_t)m, sizeof(double));
    lp.type = calloc((size_t)m, sizeof(int));
    lp.c = calloc((size_t)n, sizeof(double));
    return lp;
}

static void lp_free(lp_t *lp)
{
    free(lp->a);
    free(lp->b);
    free(lp->type);
    free(lp->c);
}

static result_t result_new(int m, int n)
{
    result_t r;
    r.x = calloc((size_t)n, sizeof(double));
    r.y = calloc((size_t)m, sizeof(double));
    r.obj = 0.0;
    r.status = -1;
    r.pivots = 0;
    return r;
}

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static double rnd(bench_rng *g) { return (double)(rng_next(g) >> 11) * (1.0 / 9007199254740992.0); }

/* ---------- problem families ---------- */

static uint64_t random_lp(bench_rng *g, uint64_t h)
{
    int m = 80 + (int)rng_below(g, 80), n = 60 + (int)rng_below(g, 80);
    lp_t lp = lp_new(m, n);
    /* rows are built around a known feasible point, so the program is feasible; every column
     * gets a positive coefficient in some <= row with non-negative coefficients, so it is
     * bounded */
    double *xs = malloc(sizeof(double) * (size_t)n);
    for (int j = 0; j < n; j++)
        xs[j] = rng_below(g, 2) ? rnd(g) * 3.0 : 0.0;
    for (int i = 0; i < m; i++) {
        double *row = &lp.a[(size_t)i * (size_t)n];
        for (int j = 0; j < n; j++)
            row[j] = rng_below(g, 3) ? (double)(1 + rng_below(g, 20)) : 0.0;
        row[(i * 7) % n] += 1.0;
        double ax = 0.0;
        for (int j = 0; j < n; j++)
            ax += row[j] * xs[j];
        uint32_t kind = rng_below(g, 10);
        if (kind < 7) {
            lp.type[i] = LE;
            lp.b[i] = ax + 1.0 + (double)rng_below(g, 50);
        } else if (kind < 9) {
            lp.type[i] = GE;
            lp.b[i] = ax - (double)rng_below(g, 10);
        } else {
            /* a <= row written negated: -a.x >= -b */
            for (int j = 0; j < n; j++)
                row[j] = -row[j];
            lp.type[i] = GE;
            lp.b[i] = -(ax + 5.0);
        }
    }
    int e = (int)rng_below(g, (uint32_t)m);
    double ex = 0.0;
    for (int j = 0; j < n; j++) {
        lp.a[(size_t)e * (size_t)n + (size_t)j] = j % 3 == 0 ? 1.0 : 0.0;
        ex += j % 3 == 0 ? xs[j] : 0.0;
    }
    lp.b[e] = ex;
    lp.type[e] = EQ;
    for (int j = 0; j < n; j++) {
        lp.c[j] = 1.0 + rnd(g) * 10.0;
        int found = 0;
        for (int i = 0; i < m && !found; i++)
            found = lp.type[i] == LE && lp.a[(size_t)i * (size_t)n + (size_t)j] > 0;
        if (!found)
            for (int i = 0; i < m; i++)
                if (lp.type[i] == LE) {
                    lp.a[(size_t)i * (size_t)n + (size_t)j] = 1.0;
                    lp.b[i] += 3.0; /* keeps the known point feasible */
                    break;
                }
    }
    result_t res = result_new(m, n);
    solve(&lp, &res);
    if (res.status == LP_OPTIMAL)
        check_optimal(&lp, &res);
    else
        failures++;
    h = mix64(h, (uint64_t)res.status);
    h = mix64(h, dbits(res.obj));
    h = mix64(h, (uint64_t)res.pivots);
    free(xs);
    free(res.x);
    free(res.y);
    lp_free(&lp);
    return h;
}

/* min-cost flow by successive shortest paths (Bellman-Ford), integer costs */
typedef struct {
    int to, cap, cost, rev;
} edge_t;

static int64_t min_cost_flow(int nn, edge_t *edges, int *head, int *next, int src, int dst, int need)
{
    int64_t total = 0;
    int64_t *dist = malloc(sizeof(int64_t) * (size_t)nn);
    int *pe = malloc(sizeof(int) * (size_t)nn);
    while (need > 0) {
        for (int v = 0; v < nn; v++) {
            dist[v] = INT64_MAX;
            pe[v] = -1;
        }
        dist[src] = 0;
        for (int round = 0; round < nn; round++) {
            int changed = 0;
            for (int v = 0; v < nn; v++) {
                if (dist[v] == INT64_MAX)
                    continue;
                for (int e = head[v]; e >= 0; e = next[e]) {
                    if (edges[e].cap > 0 && dist[v] + edges[e].cost < dist[edges[e].to]) {
                        dist[edges[e].to] = dist[v] + edges[e].cost;
                        pe[edges[e].to] = e;
                        changed = 1;
                    }
                }
            }
            if (!changed)
                break;
        }
        if (dist[dst] == INT64_MAX)
            break;
        int f = need;
        for (int v = dst; v != src; v = edges[edges[pe[v]].rev].to)
            if (edges[pe[v]].cap < f)
                f = edges[pe[v]].cap;
        for (int v = dst; v != src; v = edges[edges[pe[v]].rev].to) {
            edges[pe[v]].cap -= f;
            edges[edges[pe[v]].rev].cap += f;
        }
        need -= f;
        total += (int64_t)f * dist[dst];
    }
    free(dist);
    free(pe);
    return total;
}

static uint64_t transport(bench_rng *g, uint64_t h)
{
    int S = 4 + (int)rng_below(g, 8), D = 4 + (int)rng_below(g, 10);
    int supply[16], demand[16], cost[16][16];
    int total = 0;
    for (int i = 0; i < S; i++) {
        supply[i] = 10 + (int)rng_below(g, 90);
        total += supply[i];
    }
    int left = total;
    for (int j = 0; j < D; j++) {
        demand[j] = j == D - 1 ? left : (int)((int64_t)total * (1 + (int)rng_below(g, 10)) / (D * 6));
        if (demand[j] > left)
            demand[j] = left;
        left -= demand[j];
    }
    for (int i = 0; i < S; i++)
        for (int j = 0; j < D; j++)
            cost[i][j] = 1 + (int)rng_below(g, 99);

    /* LP: variables x_ij, maximise -cost */
    lp_t lp = lp_new(S + D, S * D);
    for (int i = 0; i < S; i++) {
        for (int j = 0; j < D; j++)
            lp.a[(size_t)i * (size_t)lp.n + (size_t)(i * D + j)] = 1.0;
        lp.b[i] = supply[i];
        lp.type[i] = EQ;
    }
    for (int j = 0; j < D; j++) {
        for (int i = 0; i < S; i++)
            lp.a[(size_t)(S + j) * (size_t)lp.n + (size_t)(i * D + j)] = 1.0;
        lp.b[S + j] = demand[j];
        lp.type[S + j] = EQ;
    }
    for (int i = 0; i < S; i++)
        for (int j = 0; j < D; j++)
            lp.c[i * D + j] = -(double)cost[i][j];
    result_t res = result_new(lp.m, lp.n);
    solve(&lp, &res);
    if (res.status != LP_OPTIMAL)
        failures++;
    else
        check_optimal(&lp, &res);

    /* flow network: source, supplies, demands, sink */
    int nn = S + D + 2, src = S + D, dst = S + D + 1;
    int maxe = 2 * (S + D + S * D);
    edge_t *edges = malloc(sizeof(edge_t) * (size_t)maxe);
    int *head = malloc(sizeof(int) * (size_t)nn), *next = malloc(sizeof(int) * (size_t)maxe);
    int ne = 0;
    for (int v = 0; v < nn; v++)
        head[v] = -1;
#define ADD_EDGE(u, v, cap, cst)                                              \
    do {                                                                       \
        edges[ne] = (edge_t){ (v), (cap), (cst), ne + 1 };                     \
        next[ne] = head[u];                                                    \
        head[u] = ne++;                                                        \
        edges[ne] = (edge_t){ (u), 0, -(cst), ne - 1 };                        \
        next[ne] = head[v];                                                    \
        head[v] = ne++;                                                        \
    } while (0)
    for (int i = 0; i < S; i++)
        ADD_EDGE(src, i, supply[i], 0);
    for (int i = 0; i < S; i++)
        for (int j = 0; j < D; j++)
            ADD_EDGE(i, S + j, total, cost[i][j]);
    for (int j = 0; j < D; j++)
        ADD_EDGE(S + j, dst, demand[j], 0);
#undef ADD_EDGE
    int64_t best = min_cost_flow(nn, edges, head, next, src, dst, total);
    if (res.status == LP_OPTIMAL && absd(-res.obj - (double)best) > 1e-6 * (1.0 + (double)best))
        failures++;
    h = mix64(h, (uint64_t)best);
    h = mix64(h, dbits(res.obj));
    free(edges);
    free(head);
    free(next);
    free(res.x);
    free(res.y);
    lp_free(&lp);
    return h;
}

static uint64_t knapsack(bench_rng *g, uint64_t h)
{
    int n = 15 + (int)rng_below(g, 30);
    int w[64], v[64], idx[64];
    int64_t wsum = 0;
    for (int i = 0; i < n; i++) {
        w[i] = 1 + (int)rng_below(g, 60);
        v[i] = 1 + (int)rng_below(g, 100);
        wsum += w[i];
        idx[i] = i;
    }
    int W = (int)(wsum / 3);
    lp_t lp = lp_new(n + 1, n);
    for (int j = 0; j < n; j++) {
        lp.a[j] = w[j];
        lp.a[(size_t)(j + 1) * (size_t)n + (size_t)j] = 1.0;
        lp.b[j + 1] = 1.0;
        lp.c[j] = v[j];
    }
    lp.b[0] = W;
    result_t res = result_new(lp.m, lp.n);
    solve(&lp, &res);
    if (res.status != LP_OPTIMAL)
        failures++;
    else
        check_optimal(&lp, &res);
    /* greedy by value density (exact comparison by cross-multiplication) */
    for (int i = 1; i < n; i++) {
        int x = idx[i], k = i;
        while (k > 0 && (int64_t)v[x] * w[idx[k - 1]] > (int64_t)v[idx[k - 1]] * w[x]) {
            idx[k] = idx[k - 1];
            k--;
        }
        idx[k] = x;
    }
    double greedy = 0.0;
    int cap = W;
    for (int k = 0; k < n && cap > 0; k++) {
        int i = idx[k];
        if (w[i] <= cap) {
            greedy += v[i];
            cap -= w[i];
        } else {
            greedy += (double)v[i] * (double)cap / (double)w[i];
            cap = 0;
        }
    }
    if (absd(greedy - res.obj) > 1e-7 * (1.0 + greedy))
        failures++;
    h = mix64(h, dbits(res.obj));
    free(res.x);
    free(res.y);
    lp_free(&lp);
    return h;
}

static uint64_t degenerate_cases(bench_rng *g, uint64_t h)
{
    /* infeasible: sum x <= k and sum x >= k + 2 */
    int n = 3 + (int)rng_below(g, 5);
    lp_t lp = lp_new(2, n);
    for (int j = 0; j < n; j++) {
        lp.a[j] = 1.0;
        lp.a[n + j] = 1.0;
        lp.c[j] = 1.0;
    }
    lp.b[0] = 4.0;
    lp.type[0] = LE;
    lp.b[1] = 6.0;
    lp.type[1] = GE;
    result_t r = result_new(2, n);
    solve(&lp, &r);
    if (r.status != LP_INFEASIBLE)
        failures++;
    h = mix64(h, (uint64_t)r.status);
    /* unbounded: maximise x0 with x0 - x1 <= 1 */
    for (int j = 0; j < 2 * n; j++)
        lp.a[j] = 0.0;
    lp.a[0] = 1.0;
    lp.a[1] = -1.0;
    lp.b[0] = 1.0;
    lp.type[0] = LE;
    lp.a[n + 2] = 1.0;
    lp.b[1] = 1.0;
    lp.type[1] = LE;
    for (int j = 0; j < n; j++)
        lp.c[j] = j == 0 ? 1.0 : 0.0;
    solve(&lp, &r);
    if (r.status != LP_UNBOUNDED)
        failures++;
    h = mix64(h, (uint64_t)r.status);
    free(r.x);
    free(r.y);
    lp_free(&lp);
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 14);
    bench_rng g = { 0x6C62272E07BB0142ULL };

    double t0 = bench_now();
    uint64_t h = 0xCBBB9D5DC1059ED8ULL;
    for (int round = 0; round < scale; round++) {
        for (int k = 0; k < 6; k++)
            h = random_lp(&g, h);
        for (int k = 0; k < 6; k++)
            h = transport(&g, h);
        for (int k = 0; k < 6; k++)
            h = knapsack(&g, h);
        h = degenerate_cases(&g, h);
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
