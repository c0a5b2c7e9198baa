/* spline_interp/spline.h -- cubic interpolating splines stored as struct-of-arrays piece
 * coefficients. Moments (second derivatives) from tridiagonal systems solved by the Thomas
 * algorithm: natural, clamped, not-a-knot (end rows eliminated into the tridiagonal form) and
 * periodic (cyclic system by Sherman-Morrison). Evaluation by binary search or by a cursor that
 * walks forward over sorted queries; derivatives and exact integrals. Fritsch-Carlson monotone
 * cubic Hermite interpolation and uniform cubic B-splines evaluated by de Boor's algorithm. */

enum { NATURAL, CLAMPED, NOT_A_KNOT, PERIODIC };

typedef struct {
    int n;          /* number of pieces; knots x[0..n] */
    double *x;      /* knots */
    double *a, *b, *c, *d; /* piece i: a + b t + c t^2 + d t^3 with t = X - x[i] */
} Spline;

typedef struct {
    double *lo, *di, *up, *rhs, *tmp, *u; /* tridiagonal scratch */
    int cap;
} Tri;

static double *xalloc(int n)
{
    double *p = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (!p)
        exit(1);
    return p;
}

static void tri_init(Tri *t, int cap)
{
    t->cap = cap;
    t->lo = xalloc(cap), t->di = xalloc(cap), t->up = xalloc(cap);
    t->rhs = xalloc(cap), t->tmp = xalloc(cap), t->u = xalloc(cap);
}

static void tri_free(Tri *t)
{
    free(t->lo), free(t->di), free(t->up), free(t->rhs), free(t->tmp), free(t->u);
}

/* Thomas algorithm: lo[i] x[i-1] + di[i] x[i] + up[i] x[i+1] = r[i]; result in out */
static void thomas(const double *lo, const double *di, const double *up, const double *r,
                   double *cp, double *out, int m)
{
    double beta = di[0];
    out[0] = r[0] / beta;
    for (int i = 1; i < m; i++) {
        cp[i] = up[i - 1] / beta;
        beta = di[i] - lo[i] * cp[i];
        out[i] = (r[i] - lo[i] * out[i - 1]) / beta;
    }
    for (int i = m - 2; i >= 0; i--)
        out[i] -= cp[i + 1] * out[i + 1];
}

static void spline_alloc(Spline *s, int n)
{
    s->n = n;
    s->x = xalloc(n + 1);
    s->a = xalloc(n + 1), s->b = xalloc(n + 1), s->c = xalloc(n + 1), s->d = xalloc(n + 1);
}

static void spline_free(Spline *s)
{
    free(s->x), free(s->a), free(s->b), free(s->c), free(s->d);
}

/* the moments M[0..n] of the interpolating spline through (x, y); d0, dn are the end slopes for
 * CLAMPED; PERIODIC needs y[n] == y[0] */
static void spline_moments(const double *x, const double *y, int n, int kind, double d0,
                           double dn, Tri *t, double *M)
{
    double *lo = t->lo, *di = t->di, *up = t->up, *r = t->rhs;
    /* interior rows i = 1..n-1 in slots i */
    for (int i = 1; i < n; i++) {
        double h0 = x[i] - x[i - 1], h1 = x[i + 1] - x[i];
        lo[i] = h0;
        di[i] = 2 * (h0 + h1);
        up[i] = h1;
        r[i] = 6 * ((y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0);
    }
    if (kind == NATURAL) {
        M[0] = M[n] = 0;
        if (n > 1)
            thomas(lo + 1, di + 1, up + 1, r + 1, t->tmp, M + 1, n - 1);
    } else if (kind == CLAMPED) {
        double h0 = x[1] - x[0], hn = x[n] - x[n - 1];
        lo[0] = 0, di[0] = 2 * h0, up[0] = h0;
        r[0] = 6 * ((y[1] - y[0]) / h0 - d0);
        lo[n] = hn, di[n] = 2 * hn, up[n] = 0;
        r[n] = 6 * (dn - (y[n] - y[n - 1]) / hn);
        thomas(lo, di, up, r, t->tmp, M, n + 1);
    } else if (kind == NOT_A_KNOT) {
        /* M0 = ((h0 + h1) M1 - h0 M2) / h1 and the mirror image, folded into rows 1 and n-1 */
        double h0 = x[1] - x[0], h1 = x[2] - x[1];
        double g0 = x[n - 1] - x[n - 2], g1 = x[n] - x[n - 1];
        if (n == 2) {
            /* one cubic through three points with M linear: M0 = M1 = M2 */
            double m = r[1] / (h0 + 2 * (h0 + h1) + h1);
            M[0] = M[1] = M[2] = m;
            return;
        }
        di[1] += h0 * (h0 + h1) / h1;
        up[1] -= h0 * h0 / h1;
        di[n - 1] += g1 * (g0 + g1) / g0;
        lo[n - 1] -= g1 * g1 / g0;
        thomas(lo + 1, di + 1, up + 1, r + 1, t->tmp, M + 1, n - 1);
        M[0] = ((h0 + h1) * M[1] - h0 * M[2]) / h1;
        M[n] = ((g0 + g1) * M[n - 1] - g1 * M[n - 2]) / g0;
    } else {
        /* unknowns M0..M_{n-1} (M_n = M_0): cyclic tridiagonal, Sherman-Morrison */
        double hl = x[n] - x[n - 1], h0 = x[1] - x[0];
        lo[0] = hl, di[0] = 2 * (hl + h0), up[0] = h0;
        r[0] = 6 * ((y[1] - y[0]) / h0 - (y[n] - y[n - 1]) / hl);
        int m = n;
        double corner_lo = lo[0], corner_up = up[m - 1]; /* A[0][m-1], A[m-1][0] */
        double gamma = -di[0];
        double *bb = xalloc(m), *zz = xalloc(m), *uu = xalloc(m);
        memcpy(bb, di, (size_t)m * sizeof(double));
        bb[0] = di[0] - gamma;
        bb[m - 1] = di[m - 1] - corner_lo * corner_up / gamma;
        thomas(lo, bb, up, r, t->tmp, M, m);
        for (int i = 0; i < m; i++)
            uu[i] = 0;
        uu[0] = gamma;
        uu[m - 1] = corner_up;
        thomas(lo, bb, up, uu, t->tmp, zz, m);
        double fact = (M[0] + corner_lo * M[m - 1] / gamma) /
                      (1 + zz[0] + corner_lo * zz[m - 1] / gamma);
        for (int i = 0; i < m; i++)
            M[i] -= fact * zz[i];
        M[n] = M[0];
        free(bb), free(zz), free(uu);
    }
}

static void spline_from_moments(Spline *s, const double *x, const double *y, const double *M)
{
    int n = s->n;
    memcpy(s->x, x, (size_t)(n + 1) * sizeof(double));
    for (int i = 0; i < n; i++) {
        double h = x[i + 1] - x[i];
        s->a[i] = y[i];
        s->b[i] = (y[i + 1] - y[i]) / h - h * (2 * M[i] + M[i + 1]) / 6;
        s->c[i] = M[i] / 2;
        s->d[i] = (M[i + 1] - M[i]) / (6 * h);
    }
    /* a last degenerate piece at x[n] keeps evaluation at the right end simple */
    s->a[n] = y[n];
    s->b[n] = s->b[n - 1] + 2 * s->c[n - 1] * (x[n] - x[n - 1]) +
              3 * s->d[n - 1] * (x[n] - x[n - 1]) * (x[n] - x[n - 1]);
    s->c[n] = M[n] / 2;
    s->d[n] = 0;
}

static int spline_find(const Spline *s, double X)
{
    int lo = 0, hi = s->n - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (s->x[mid] <= X)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static inline double piece_eval(const Spline *s, int i, double X)
{
    double t = X - s->x[i];
    return s->a[i] + t * (s->b[i] + t * (s->c[i] + t * s->d[i]));
}

static inline double piece_deriv(const Spline *s, int i, double X)
{
    double t = X - s->x[i];
    return s->b[i] + t * (2 * s->c[i] + t * 3 * s->d[i]);
}

static inline double piece_deriv2(const Spline *s, int i, double X)
{
    double t = X - s->x[i];
    return 2 * s->c[i] + 6 * s->d[i] * t;
}

static double spline_eval(const Spline *s, double X) { return piece_eval(s, spline_find(s, X), X); }

/* sorted queries: a cursor walks forward over the pieces */
static void spline_eval_sorted(const Spline *s, const double *q, int nq, double *out)
{
    const double *x = s->x;
    int i = 0, last = s->n - 1;
    for (int k = 0; k < nq; k++) {
        double X = q[k];
        while (i < last && x[i + 1] <= X)
            i++;
        double t = X - x[i];
        out[k] = s->a[i] + t * (s->b[i] + t * (s->c[i] + t * s->d[i]));
    }
}

/* exact integral over [x0, X] */
static double spline_integral(const Spline *s, double X)
{
    double sum = 0;
    int i = 0;
    for (; i < s->n - 1 && s->x[i + 1] <= X; i++) {
        double h = s->x[i + 1] - s->x[i];
        sum += h * (s->a[i] + h * (s->b[i] / 2 + h * (s->c[i] / 3 + h * s->d[i] / 4)));
    }
    double t = X - s->x[i];
    return sum + t * (s->a[i] + t * (s->b[i] / 2 + t * (s->c[i] / 3 + t * s->d[i] / 4)));
}

/* Fritsch-Carlson monotone Hermite: slopes from secants, limited to the circle of radius 3 */
static void monotone_hermite(Spline *s, const double *x, const double *y)
{
    int n = s->n;
    double *m = xalloc(n + 1), *delta = xalloc(n);
    for (int i = 0; i < n; i++)
        delta[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
    m[0] = delta[0];
    m[n] = delta[n - 1];
    for (int i = 1; i < n; i++)
        m[i] = delta[i - 1] * delta[i] <= 0 ? 0 : (delta[i - 1] + delta[i]) / 2;
    for (int i = 0; i < n; i++) {
        if (delta[i] == 0) {
            m[i] = m[i + 1] = 0;
            continue;
        }
        double al = m[i] / delta[i], be = m[i + 1] / delta[i], r2 = al * al + be * be;
        if (r2 > 9) {
            double tau = 3 / sqrt(r2);
            m[i] = tau * al * delta[i];
            m[i + 1] = tau * be * delta[i];
        }
    }
    memcpy(s->x, x, (size_t)(n + 1) * sizeof(double));
    for (int i = 0; i < n; i++) {
        double h = x[i + 1] - x[i];
        s->a[i] = y[i];
        s->b[i] = m[i];
        s->c[i] = (3 * delta[i] - 2 * m[i] - m[i + 1]) / h;
        s->d[i] = (m[i] + m[i + 1] - 2 * delta[i]) / (h * h);
    }
    s->a[n] = y[n], s->b[n] = m[n], s->c[n] = s->d[n] = 0;
    free(m);
    free(delta);
}

/* uniform cubic B-spline with coefficients c[-1..n+1] (stored shifted by one) on knots
 * t_j = x0 + j h; de Boor's algorithm on the interval containing X */
static double bspline_eval(const double *coef, int n, double x0, double h, double X)
{
    int k = (int)((X - x0) / h);
    if (k < 0)
        k = 0;
    if (k > n - 1)
        k = n - 1;
    double dv[4];
    for (int j = 0; j < 4; j++)
        dv[j] = coef[k + j]; /* c[k-1+j] */
    for (int r = 1; r <= 3; r++)
        for (int j = 3; j >= r; j--) {
            double tl = x0 + (double)(j + k - 3) * h, tr = x0 + (double)(j + 1 + k - r) * h;
            double alpha = (X - tl) / (tr - tl);
            dv[j] = (1 - alpha) * dv[j - 1] + alpha * dv[j];
        }
    return dv[3];
}
