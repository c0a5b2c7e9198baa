/* spline_interp/reference.h -- test functions and the references: tolerant comparison, bit
 * patterns for the checksum, Runge's function and a rational function, cubic polynomials,
 * moments by dense Gaussian elimination with partial pivoting of the unreduced systems, and
 * the structural check of a spline (interpolation, continuity of value, slope and curvature,
 * boundary conditions, exact integral against Simpson's rule). */

static double fabs_(double v) { return v < 0 ? -v : v; }

static int close_to(double a, double b, double tol)
{
    return fabs_(a - b) <= tol * (1 + fabs_(a) + fabs_(b));
}

static uint64_t dbits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static double unif(bench_rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

/* test functions */
static double runge(double x) { return 1 / (1 + 25 * x * x); }
static double runge_d(double x)
{
    double q = 1 + 25 * x * x;
    return -50 * x / (q * q);
}
static double rat(double x) { return (x * x * x - 2 * x) / (1 + x * x); }

typedef struct {
    double c0, c1, c2, c3;
} Cubic;

/* coefficients uniform in [0, 1), drawn in order (initializer lists are not sequenced in C) */
static void random_cubic(bench_rng *r, Cubic *p)
{
    p->c0 = unif(r);
    p->c1 = unif(r);
    p->c2 = unif(r);
    p->c3 = unif(r);
}

static double cubic_at(const Cubic *p, double x) { return p->c0 + x * (p->c1 + x * (p->c2 + x * p->c3)); }
static double cubic_d(const Cubic *p, double x) { return p->c1 + x * (2 * p->c2 + x * 3 * p->c3); }

/* ---- dense reference for the moments ---- */

static double dense[64][65];

static void dense_moments(const double *x, const double *y, int n, int kind, double d0, double dn,
                          double *M)
{
    int N = n + 1;
    for (int i = 0; i < N; i++)
        for (int j = 0; j <= N; j++)
            dense[i][j] = 0;
    for (int i = 1; i < n; i++) {
        double h0 = x[i] - x[i - 1], h1 = x[i + 1] - x[i];
        dense[i][i - 1] = h0;
        dense[i][i] = 2 * (h0 + h1);
        dense[i][i + 1] = h1;
        dense[i][N] = 6 * ((y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0);
    }
    double h0 = x[1] - x[0], h1 = x[2] - x[1], g0 = x[n - 1] - x[n - 2], g1 = x[n] - x[n - 1];
    switch (kind) {
    case NATURAL:
        dense[0][0] = 1;
        dense[n][n] = 1;
        break;
    case CLAMPED:
        dense[0][0] = 2 * h0, dense[0][1] = h0, dense[0][N] = 6 * ((y[1] - y[0]) / h0 - d0);
        dense[n][n - 1] = g1, dense[n][n] = 2 * g1, dense[n][N] = 6 * (dn - (y[n] - y[n - 1]) / g1);
        break;
    case NOT_A_KNOT: /* equal third derivatives across x1 and x_{n-1} */
        dense[0][0] = -1 / h0, dense[0][1] = 1 / h0 + 1 / h1, dense[0][2] = -1 / h1;
        dense[n][n - 2] = -1 / g0, dense[n][n - 1] = 1 / g0 + 1 / g1, dense[n][n] = -1 / g1;
        break;
    default: /* periodic: M0 = Mn, and the slope condition across the wrap in row 0 */
        dense[0][n - 1] = g1, dense[0][0] = 2 * (g1 + h0), dense[0][1] = h0;
        dense[0][N] = 6 * ((y[1] - y[0]) / h0 - (y[n] - y[n - 1]) / g1);
        dense[n][0] = 1, dense[n][n] = -1;
        break;
    }
    for (int col = 0; col < N; col++) {
        int piv = col;
        for (int r = col + 1; r < N; r++)
            if (fabs_(dense[r][col]) > fabs_(dense[piv][col]))
                piv = r;
        if (piv != col)
            for (int j = 0; j <= N; j++) {
                double t = dense[col][j];
                dense[col][j] = dense[piv][j], dense[piv][j] = t;
            }
        for (int r = col + 1; r < N; r++) {
            double f = dense[r][col] / dense[col][col];
            if (f != 0)
                for (int j = col; j <= N; j++)
                    dense[r][j] -= f * dense[col][j];
        }
    }
    for (int i = N - 1; i >= 0; i--) {
        double s = dense[i][N];
        for (int j = i + 1; j < N; j++)
            s -= dense[i][j] * M[j];
        M[i] = s / dense[i][i];
    }
}

/* continuity at knots, interpolation, boundary conditions */
static int structure_check(const Spline *s, const double *y, int kind, double d0, double dn)
{
    int n = s->n, bad = 0;
    double tol = 1e-9;
    for (int i = 0; i <= n; i++)
        if (!close_to(piece_eval(s, i < n ? i : n - 1, s->x[i]), y[i], tol))
            bad++;
    for (int i = 1; i < n; i++) {
        double X = s->x[i];
        if (!close_to(piece_eval(s, i - 1, X), piece_eval(s, i, X), tol) ||
            !close_to(piece_deriv(s, i - 1, X), piece_deriv(s, i, X), tol * 10) ||
            !close_to(piece_deriv2(s, i - 1, X), piece_deriv2(s, i, X), tol * 100))
            bad++;
    }
    double a = s->x[0], b = s->x[n];
    double sa = piece_deriv(s, 0, a), sb = piece_deriv(s, n - 1, b);
    double ca = piece_deriv2(s, 0, a), cb = piece_deriv2(s, n - 1, b);
    if (kind == NATURAL && (!close_to(ca, 0, tol * 100) || !close_to(cb, 0, tol * 100)))
        bad++;
    if (kind == CLAMPED && (!close_to(sa, d0, tol * 10) || !close_to(sb, dn, tol * 10)))
        bad++;
    if (kind == PERIODIC && (!close_to(sa, sb, tol * 10) || !close_to(ca, cb, tol * 100)))
        bad++;
    if (kind == NOT_A_KNOT && n >= 3 && (!close_to(s->d[0], s->d[1], tol * 1000) ||
                                         !close_to(s->d[n - 2], s->d[n - 1], tol * 1000)))
        bad++;
    /* exact integral against Simpson's rule, which is exact on each cubic piece */
    double simpson = 0;
    for (int i = 0; i < n; i++) {
        double l = s->x[i], r = s->x[i + 1], m = (l + r) / 2;
        simpson += (r - l) / 6 * (piece_eval(s, i, l) + 4 * piece_eval(s, i, m) + piece_eval(s, i, r));
    }
    if (!close_to(spline_integral(s, b), simpson, tol))
        bad++;
    return bad;
}
