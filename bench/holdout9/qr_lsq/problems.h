/* qr_lsq/problems.h — problem generation, the cross checks and the main loop.
 * Part of qr_lsq.c, one translation unit: it includes the parts in order. */

typedef struct {
    double a[MAXM * MAXN], work[MAXM * MAXN], q[MAXM * MAXN];
    double b[MAXM], qtb[MAXM], res[MAXM];
    double x[MAXN], xc[MAXN], xg[MAXN], xt[MAXN], beta[MAXN];
    double g[MAXN * MAXN], y[MAXN], r[MAXN * MAXN], rg[MAXN * MAXN], z[MAXN], row[MAXN];
} ws_t;

/* polynomial basis columns at points t in [-1, 1] by the Legendre three-term recurrence */
static void poly_problem(ws_t *w, int m, int n, bench_rng *g)
{
    for (int i = 0; i < n; i++)
        w->xt[i] = urand(g) * 2.0 - 1.0;
    for (int r = 0; r < m; r++) {
        double t = -1.0 + 2.0 * (r + urand(g)) / m;
        double p0 = 1.0, p1 = t, val = 0.0;
        for (int j = 0; j < n; j++) {
            double pj = j == 0 ? p0 : p1;
            if (j >= 2) {
                double p2 = ((2.0 * j - 1.0) * t * p1 - (j - 1.0) * p0) / j;
                p0 = p1;
                p1 = p2;
                pj = p2;
            }
            w->a[(size_t)j * m + r] = pj;
            val += pj * w->xt[j];
        }
        w->b[r] = val + 1e-3 * (urand(g) - 0.5);
    }
}

static void random_problem(ws_t *w, int m, int n, bench_rng *g)
{
    for (int j = 0; j < n; j++) {
        w->xt[j] = urand(g) * 4.0 - 2.0;
        for (int r = 0; r < m; r++)
            w->a[(size_t)j * m + r] = urand(g) - 0.5 + (r % n == j ? 1.0 : 0.0);
    }
    for (int r = 0; r < m; r++) {
        double s = 0.0;
        for (int j = 0; j < n; j++)
            s += w->a[(size_t)j * m + r] * w->xt[j];
        w->b[r] = s;
    }
}

static double max_diff(const double *u, const double *v, int n)
{
    double d = 0.0;
    for (int i = 0; i < n; i++)
        if (absd(u[i] - v[i]) > d)
            d = absd(u[i] - v[i]);
    return d;
}

static uint64_t hash_vec(uint64_t h, const double *v, int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &v[i], sizeof bits);
        h = mix64(h, bits);
    }
    return h;
}

static uint64_t solve_problem(ws_t *w, int m, int n, int planted, bench_rng *g, uint64_t h)
{
    /* Householder solve */
    memcpy(w->work, w->a, (size_t)m * n * sizeof(double));
    householder(w->work, m, n, w->beta);
    memcpy(w->qtb, w->b, (size_t)m * sizeof(double));
    apply_qt(w->work, m, n, w->beta, w->qtb);
    back_subst(w->work, m, n, w->qtb, w->x);
    h = hash_vec(h, w->x, n);
    if (planted && max_diff(w->x, w->xt, n) > 1e-9)
        failures++;
    /* residual orthogonal to the columns */
    double bn = 0.0;
    for (int r = 0; r < m; r++) {
        double s = w->b[r];
        for (int j = 0; j < n; j++)
            s -= w->a[(size_t)j * m + r] * w->x[j];
        w->res[r] = s;
        bn += w->b[r] * w->b[r];
    }
    for (int j = 0; j < n; j++) {
        double d = 0.0;
        for (int r = 0; r < m; r++)
            d += w->a[(size_t)j * m + r] * w->res[r];
        if (absd(d) > 1e-9 * (sqrt(bn) + 1.0))
            failures++;
    }
    /* normal equations */
    if (!cholesky_solve(w->a, m, n, w->b, w->xc, w->g, w->y) || max_diff(w->x, w->xc, n) > 1e-6)
        failures++;
    /* modified Gram-Schmidt: R equal up to row signs, Q orthonormal */
    mgs(w->a, m, n, w->q, w->r);
    for (int i = 0; i < n; i++) {
        double sign = (w->work[(size_t)i * m + i] < 0) ? -1.0 : 1.0;
        for (int j = i; j < n; j++)
            if (absd(sign * w->work[(size_t)j * m + i] - w->r[(size_t)j * n + i]) >
                1e-9 * (1.0 + absd(w->r[(size_t)j * n + j])))
                failures++;
    }
    for (int i = 0; i < n; i += 5)
        for (int j = i; j < n; j += 3) {
            double d = 0.0;
            for (int r = 0; r < m; r++)
                d += w->q[(size_t)i * m + r] * w->q[(size_t)j * m + r];
            if (absd(d - (i == j ? 1.0 : 0.0)) > 1e-10)
                failures++;
        }
    /* Givens updates: append rows to R and Q^T b, compare with a refactorisation */
    int extra = 8 + (int)rng_below(g, 16);
    for (int j = 0; j < n; j++) {
        for (int i = 0; i <= j; i++)
            w->rg[(size_t)j * n + i] = w->work[(size_t)j * m + i];
        for (int i = j + 1; i < n; i++)
            w->rg[(size_t)j * n + i] = 0.0;
    }
    memcpy(w->z, w->qtb, (size_t)n * sizeof(double));
    int m2 = m + extra;
    for (int j = n - 1; j >= 0; j--) /* widen A in place to m2 rows (column-major) */
        memmove(w->a + (size_t)j * m2, w->a + (size_t)j * m, (size_t)m * sizeof(double));
    for (int e = 0; e < extra; e++) {
        double rb = 0.0;
        for (int j = 0; j < n; j++) {
            w->row[j] = urand(g) - 0.5;
            w->a[(size_t)j * m2 + m + e] = w->row[j];
            rb += w->row[j] * w->xt[j];
        }
        rb += 1e-3 * (urand(g) - 0.5);
        w->b[m + e] = rb;
        givens_add_row(w->rg, n, w->z, w->row, rb);
    }
    back_subst(w->rg, n, n, w->z, w->xg);
    memcpy(w->work, w->a, (size_t)m2 * n * sizeof(double));
    householder(w->work, m2, n, w->beta);
    memcpy(w->qtb, w->b, (size_t)m2 * sizeof(double));
    apply_qt(w->work, m2, n, w->beta, w->qtb);
    back_subst(w->work, m2, n, w->qtb, w->x);
    if (max_diff(w->x, w->xg, n) > 1e-8)
        failures++;
    h = hash_vec(h, w->xg, n);
    return mix64(h, (uint64_t)m2);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 195);
    bench_rng g = { 0x243F6A8885A308D3ULL };
    static ws_t w;

    double t0 = bench_now();
    uint64_t h = 0x13198A2E03707344ULL;
    for (int round = 0; round < scale; round++) {
        for (int k = 0; k < 6; k++) {
            int n = 8 + (int)rng_below(&g, 17), m = 4 * n + (int)rng_below(&g, 200);
            poly_problem(&w, m, n, &g);
            h = solve_problem(&w, m, n, 0, &g, h);
            n = 16 + (int)rng_below(&g, MAXN - 15);
            m = n + 20 + (int)rng_below(&g, (uint32_t)(MAXM - 40 - n));
            random_problem(&w, m, n, &g);
            h = solve_problem(&w, m, n, 1, &g, h);
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
