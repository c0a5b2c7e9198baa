/* spline_interp.c -- cubic spline interpolation in one and two dimensions.
 *
 * bench-cflags: -O3
 *
 * Natural, clamped, not-a-knot and periodic cubic splines on random non-uniform knots
 * (spline_interp/spline.h): moments from tridiagonal systems (Thomas algorithm, Sherman-
 * Morrison for the cyclic one), piece coefficients in separate arrays, evaluation through a
 * forward cursor over sorted queries and by binary search, derivatives and exact integrals;
 * Fritsch-Carlson monotone Hermite interpolation; uniform cubic B-splines by de Boor's
 * algorithm; tensor-product surfaces (splines along rows, then one along the column of row
 * values for each query).
 *
 * Checks: interpolation and continuity of value, slope and curvature at every knot, the
 * boundary conditions, cursor and binary-search evaluation identical, exact integrals against
 * Simpson's rule per piece (exact for cubics), moments against dense Gaussian elimination with
 * partial pivoting of the unreduced systems on small cases, cubic polynomials reproduced exactly
 * by clamped and not-a-knot splines (and bicubic ones by the surfaces), fourth-order convergence
 * on Runge's function, the natural spline equal to its B-spline form, and monotone data giving
 * monotone Hermite interpolants. Parts: spline_interp/spline.h, spline_interp/reference.h.
 */
#include "../programs/bench.h"
#include <math.h>

#include "spline_interp/spline.h"
#include "spline_interp/reference.h"

#define MAXK 1600
#define NQ 12000

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

/* ---- per-spline checks ---- */

static double xs[MAXK + 1], ys[MAXK + 1], Ms[MAXK + 1], Md[MAXK + 1];
static double q[NQ], vals[NQ];

static void random_knots(bench_rng *r, int n, double lo, double hi, int uniform)
{
    xs[0] = 0;
    for (int i = 1; i <= n; i++)
        xs[i] = xs[i - 1] + (uniform ? 1 : 0.3 + 1.4 * unif(r));
    double f = (hi - lo) / xs[n];
    for (int i = 0; i <= n; i++)
        xs[i] = lo + xs[i] * f;
    xs[n] = hi;
}

static void sorted_queries(bench_rng *r, double lo, double hi, int nq)
{
    double step = (hi - lo) / nq;
    for (int k = 0; k < nq; k++)
        q[k] = lo + step * (k + unif(r));
    q[0] = lo;
}

/* builds one spline of each kind through (xs, ys) and runs the checks; returns a hash */
static uint64_t exercise(bench_rng *r, int n, int round, Tri *tri, int dense_check)
{
    uint64_t h = 0;
    Spline s;
    spline_alloc(&s, n);
    for (int kind = NATURAL; kind <= PERIODIC; kind++) {
        double save = ys[n];
        if (kind == PERIODIC)
            ys[n] = ys[0];
        double d0 = (ys[1] - ys[0]) / (xs[1] - xs[0]) * 0.7, dn = -0.25;
        spline_moments(xs, ys, n, kind, d0, dn, tri, Ms);
        spline_from_moments(&s, xs, ys, Ms);
        if (structure_check(&s, ys, kind, d0, dn))
            fail("spline structure", round);
        if (dense_check) {
            dense_moments(xs, ys, n, kind, d0, dn, Md);
            double scale = 0;
            for (int i = 0; i <= n; i++)
                if (fabs_(Md[i]) > scale)
                    scale = fabs_(Md[i]);
            for (int i = 0; i <= n; i++)
                if (fabs_(Ms[i] - Md[i]) > 1e-9 * (1 + scale)) {
                    fail("moments against dense elimination", round);
                    break;
                }
        }
        sorted_queries(r, xs[0], xs[n], NQ);
        spline_eval_sorted(&s, q, NQ, vals);
        double sum = 0;
        for (int k = 0; k < NQ; k++) {
            sum += vals[k];
            if ((k & 15) == 0 && spline_eval(&s, q[k]) != vals[k])
                fail("cursor against binary search", round);
        }
        h = mix64(h, dbits(sum));
        h = mix64(h, dbits(spline_integral(&s, xs[0] + (xs[n] - xs[0]) * 0.375)));
        ys[n] = save;
    }
    spline_free(&s);
    return h;
}

/* clamped and not-a-knot splines of cubic data are the cubic itself */
static int cubic_exactness(bench_rng *r, int n, Tri *tri)
{
    Cubic p;
    random_cubic(r, &p);
    p.c0 -= 0.5, p.c1 = 2 * p.c1 - 1, p.c2 = 2 * p.c2 - 1, p.c3 -= 0.5;
    random_knots(r, n, -2, 2, 0);
    for (int i = 0; i <= n; i++)
        ys[i] = cubic_at(&p, xs[i]);
    Spline s;
    spline_alloc(&s, n);
    int bad = 0;
    for (int kind = CLAMPED; kind <= NOT_A_KNOT; kind++) {
        spline_moments(xs, ys, n, kind, cubic_d(&p, xs[0]), cubic_d(&p, xs[n]), tri, Ms);
        spline_from_moments(&s, xs, ys, Ms);
        for (int k = 0; k < 400; k++) {
            double X = -2 + 4 * unif(r);
            if (!close_to(spline_eval(&s, X), cubic_at(&p, X), 1e-10))
                bad++;
        }
    }
    /* the natural spline of linear data is the line */
    for (int i = 0; i <= n; i++)
        ys[i] = p.c0 + p.c1 * xs[i];
    spline_moments(xs, ys, n, NATURAL, 0, 0, tri, Ms);
    spline_from_moments(&s, xs, ys, Ms);
    for (int k = 0; k < 100; k++) {
        double X = -2 + 4 * unif(r);
        if (!close_to(spline_eval(&s, X), p.c0 + p.c1 * X, 1e-10))
            bad++;
    }
    spline_free(&s);
    return bad;
}

/* clamped splines of Runge's function: halving h divides the error by about 16 */
static int convergence(bench_rng *r, Tri *tri, uint64_t *h)
{
    double err[2];
    for (int level = 0; level < 2; level++) {
        int n = 40 << level;
        random_knots(r, n, -1, 1, 1);
        for (int i = 0; i <= n; i++)
            ys[i] = runge(xs[i]);
        Spline s;
        spline_alloc(&s, n);
        spline_moments(xs, ys, n, CLAMPED, runge_d(-1), runge_d(1), tri, Ms);
        spline_from_moments(&s, xs, ys, Ms);
        double e = 0;
        for (int k = 0; k <= 2000; k++) {
            double X = -1 + k * (2.0 / 2000);
            double d = fabs_(spline_eval(&s, X) - runge(X));
            if (d > e)
                e = d;
        }
        err[level] = e;
        spline_free(&s);
    }
    *h = mix64(*h, dbits(err[0]));
    double ratio = err[0] / err[1];
    return !(ratio > 11 && ratio < 23);
}

/* natural spline on uniform knots against its B-spline form evaluated by de Boor */
static int bspline_check(bench_rng *r, int n, Tri *tri)
{
    random_knots(r, n, -3, 3, 1);
    for (int i = 0; i <= n; i++)
        ys[i] = rat(xs[i]) + 0.1 * unif(r);
    double hh = xs[1] - xs[0];
    Spline s;
    spline_alloc(&s, n);
    spline_moments(xs, ys, n, NATURAL, 0, 0, tri, Ms);
    spline_from_moments(&s, xs, ys, Ms);
    /* (c[i-1] + 4 c[i] + c[i+1]) / 6 = y[i]; c0 = y0, cn = yn from the natural ends */
    double *coef = xalloc(n + 3); /* coef[i + 1] = c[i] */
    coef[1] = ys[0];
    coef[n + 1] = ys[n];
    for (int i = 1; i < n; i++) {
        tri->lo[i - 1] = 1, tri->di[i - 1] = 4, tri->up[i - 1] = 1;
        tri->rhs[i - 1] = 6 * ys[i];
    }
    tri->rhs[0] -= ys[0];
    tri->rhs[n - 2] -= ys[n];
    thomas(tri->lo, tri->di, tri->up, tri->rhs, tri->tmp, coef + 2, n - 1);
    coef[0] = 2 * coef[1] - coef[2];
    coef[n + 2] = 2 * coef[n + 1] - coef[n];
    int bad = 0;
    for (int k = 0; k < 3000; k++) {
        double X = -3 + 6 * unif(r);
        if (!close_to(bspline_eval(coef, n, xs[0], hh, X), spline_eval(&s, X), 1e-9))
            bad++;
    }
    free(coef);
    spline_free(&s);
    return bad;
}

/* monotone data: the Hermite interpolant must be monotone and C1 */
static int monotone_check(bench_rng *r, int n, uint64_t *h)
{
    random_knots(r, n, 0, 10, 0);
    ys[0] = 0;
    for (int i = 1; i <= n; i++) {
        uint32_t x = rng_below(r, 8);
        ys[i] = ys[i - 1] + (x < 2 ? 0 : x < 7 ? unif(r) : 20 * unif(r));
    }
    Spline s;
    spline_alloc(&s, n);
    monotone_hermite(&s, xs, ys);
    int bad = 0;
    for (int i = 1; i < n; i++)
        if (!close_to(piece_eval(&s, i - 1, xs[i]), ys[i], 1e-9) ||
            !close_to(piece_deriv(&s, i - 1, xs[i]), piece_deriv(&s, i, xs[i]), 1e-8))
            bad++;
    sorted_queries(r, 0, 10, NQ);
    spline_eval_sorted(&s, q, NQ, vals);
    double tol = 1e-12 * (1 + ys[n]);
    for (int k = 1; k < NQ; k++)
        if (vals[k] < vals[k - 1] - tol)
            bad++;
    *h = mix64(*h, dbits(vals[NQ / 3]));
    spline_free(&s);
    return bad;
}

/* tensor-product surface: clamped row splines, then a clamped column spline per query */
#define GN 40
static double grid[GN + 1][GN + 1], gy[GN + 1];
static Spline rows[GN + 1];

static int surface_check(bench_rng *r, Tri *tri, int polynomial, uint64_t *h)
{
    Cubic p, pq;
    random_cubic(r, &p);
    p.c1 -= 0.5, p.c2 -= 0.5, p.c3 -= 0.5;
    random_cubic(r, &pq);
    pq.c1 -= 0.5, pq.c2 -= 0.5, pq.c3 -= 0.5;
    random_knots(r, GN, -1.5, 1.5, 0);
    double gx[GN + 1];
    memcpy(gx, xs, sizeof gx);
    random_knots(r, GN, -1.5, 1.5, 0);
    memcpy(gy, xs, sizeof gy);
    for (int j = 0; j <= GN; j++)
        for (int i = 0; i <= GN; i++)
            grid[j][i] = polynomial ? cubic_at(&p, gx[i]) * cubic_at(&pq, gy[j])
                                    : rat(gx[i] + gy[j]) / (1 + gx[i] * gx[i] * gy[j] * gy[j]);
    for (int j = 0; j <= GN; j++) {
        double qy = cubic_at(&pq, gy[j]);
        spline_moments(gx, grid[j], GN, polynomial ? CLAMPED : NATURAL, cubic_d(&p, gx[0]) * qy,
                       cubic_d(&p, gx[GN]) * qy, tri, Ms);
        spline_from_moments(&rows[j], gx, grid[j], Ms);
    }
    int bad = 0;
    double col[GN + 1], sum = 0;
    Spline cs;
    spline_alloc(&cs, GN);
    for (int k = 0; k < 600; k++) {
        double X = -1.5 + 3 * unif(r), Y = -1.5 + 3 * unif(r);
        if (k < 20) /* grid nodes are interpolated */
            X = gx[rng_below(r, GN + 1)], Y = gy[rng_below(r, GN + 1)];
        for (int j = 0; j <= GN; j++)
            col[j] = spline_eval(&rows[j], X);
        double px = cubic_at(&p, X);
        spline_moments(gy, col, GN, polynomial ? CLAMPED : NATURAL, px * cubic_d(&pq, gy[0]),
                       px * cubic_d(&pq, gy[GN]), tri, Ms);
        spline_from_moments(&cs, gy, col, Ms);
        double v = spline_eval(&cs, Y);
        sum += v;
        if (polynomial && !close_to(v, px * cubic_at(&pq, Y), 1e-9))
            bad++;
        if (!polynomial && k < 20) {
            int i = 0, j = 0;
            while (gx[i] != X)
                i++;
            while (gy[j] != Y)
                j++;
            if (!close_to(v, grid[j][i], 1e-9))
                bad++;
        }
    }
    *h = mix64(*h, dbits(sum));
    spline_free(&cs);
    return bad;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 72);
    int rounds = scale * 3;
    bench_rng rng = { 0x6A09E667F3BCC908ULL };
    Tri tri;
    tri_init(&tri, MAXK + 2);
    for (int j = 0; j <= GN; j++)
        spline_alloc(&rows[j], GN);
    uint64_t h = 0;

    double t0 = bench_now();
    for (int round = 0; round < rounds; round++) {
        /* large splines through smooth and rough data */
        int n = 200 + (int)rng_below(&rng, MAXK - 200);
        random_knots(&rng, n, -4, 4, round % 5 == 0);
        for (int i = 0; i <= n; i++)
            ys[i] = round % 2 ? rat(xs[i]) : (i ? ys[i - 1] : 0) + unif(&rng) - 0.5;
        h ^= exercise(&rng, n, round, &tri, 0);
        /* small ones, also solved densely */
        for (int k = 0; k < 4; k++) {
            int m = 4 + (int)rng_below(&rng, 56);
            random_knots(&rng, m, -1, 2, 0);
            for (int i = 0; i <= m; i++)
                ys[i] = rat(xs[i] * 2) + 0.3 * unif(&rng);
            h ^= exercise(&rng, m, round, &tri, 1);
        }
        if (cubic_exactness(&rng, 30 + (int)rng_below(&rng, 300), &tri))
            fail("cubic reproduction", round);
        if (convergence(&rng, &tri, &h))
            fail("fourth-order convergence", round);
        if (bspline_check(&rng, 20 + (int)rng_below(&rng, 400), &tri))
            fail("natural spline against B-spline form", round);
        if (monotone_check(&rng, 50 + (int)rng_below(&rng, 1000), &h))
            fail("monotone interpolation", round);
        if (surface_check(&rng, &tri, round % 2, &h))
            fail("tensor-product surface", round);
    }
    bench_report(t0);

    for (int j = 0; j <= GN; j++)
        spline_free(&rows[j]);
    tri_free(&tri);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
