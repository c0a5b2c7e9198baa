/* qr_lsq.c — dense linear least squares by three factorisations.
 *
 * Overdetermined systems A x ~ b (column-major doubles, a few hundred rows, tens of columns) are
 * solved by Householder QR (reflectors stored below the diagonal, Q^T b applied reflector by
 * reflector, back substitution), and cross-checked against the normal equations solved by
 * Cholesky (A^T A = L L^T with sqrt on the diagonal) and against modified Gram-Schmidt (explicit
 * Q with pivot-free column orthogonalisation: R must match Householder's R up to row signs and
 * Q^T Q must be the identity). Rows are then appended one at a time to the triangular factor by
 * Givens rotations (recursive least squares), and the updated solution is compared with a
 * fresh factorisation of the extended system. Problems are polynomial-basis fits of noisy
 * samples (Legendre-like columns built by recurrence) and random well-conditioned matrices with
 * planted solutions; residuals must be orthogonal to the columns of A.
 */
// bench-cflags: -O3
#include "../programs/bench.h"

#include <math.h>

#define MAXM 480
#define MAXN 48

static int failures;

static double absd(double v) { return v < 0 ? -v : v; }

static double urand(bench_rng *g) { return (double)(rng_next(g) >> 11) * (1.0 / 9007199254740992.0); }

/* ---------- Householder QR ---------- */

/* A (m x n, column-major, lda = m) is overwritten: R on and above the diagonal, reflector
 * vectors below it (v[k] = 1 implied); beta[k] scales each reflector. */
static void householder(double *a, int m, int n, double *beta)
{
    for (int k = 0; k < n; k++) {
        double *col = a + (size_t)k * m;
        double norm2 = 0.0;
        for (int i = k; i < m; i++)
            norm2 += col[i] * col[i];
        double alpha = sqrt(norm2);
        if (col[k] > 0.0)
            alpha = -alpha;
        double v0 = col[k] - alpha;
        /* v = x - alpha e1, normalised so that v[0] = 1 */
        double vnorm2 = norm2 - col[k] * col[k] + v0 * v0;
        beta[k] = vnorm2 > 0.0 ? 2.0 * v0 * v0 / vnorm2 : 0.0;
        for (int i = k + 1; i < m; i++)
            col[i] /= v0;
        col[k] = alpha;
        for (int j = k + 1; j < n; j++) {
            double *cj = a + (size_t)j * m;
            double s = cj[k];
            for (int i = k + 1; i < m; i++)
                s += col[i] * cj[i];
            s *= beta[k];
            cj[k] -= s;
            for (int i = k + 1; i < m; i++)
                cj[i] -= s * col[i];
        }
    }
}

static void apply_qt(const double *a, int m, int n, const double *beta, double *b)
{
    for (int k = 0; k < n; k++) {
        const double *col = a + (size_t)k * m;
        double s = b[k];
        for (int i = k + 1; i < m; i++)
            s += col[i] * b[i];
        s *= beta[k];
        b[k] -= s;
        for (int i = k + 1; i < m; i++)
            b[i] -= s * col[i];
    }
}

/* solve R x = y, R upper triangular with leading dimension ld (column-major) */
static void back_subst(const double *r, int ld, int n, const double *y, double *x)
{
    for (int i = n - 1; i >= 0; i--) {
        double s = y[i];
        for (int j = i + 1; j < n; j++)
            s -= r[(size_t)j * ld + i] * x[j];
        x[i] = s / r[(size_t)i * ld + i];
    }
}

/* ---------- normal equations with Cholesky ---------- */

static int cholesky_solve(const double *a, int m, int n, const double *b, double *x, double *g,
                          double *y)
{
    for (int j = 0; j < n; j++) { /* G = A^T A, lower triangle, column-major n x n */
        const double *cj = a + (size_t)j * m;
        for (int i = j; i < n; i++) {
            const double *ci = a + (size_t)i * m;
            double s = 0.0;
            for (int k = 0; k < m; k++)
                s += ci[k] * cj[k];
            g[(size_t)j * n + i] = s;
        }
        double s = 0.0;
        for (int k = 0; k < m; k++)
            s += cj[k] * b[k];
        y[j] = s;
    }
    for (int j = 0; j < n; j++) { /* left-looking: L overwrites the lower triangle */
        double *lj = g + (size_t)j * n;
        for (int k = 0; k < j; k++) {
            const double *lk = g + (size_t)k * n;
            double f = lk[j];
            for (int i = j; i < n; i++)
                lj[i] -= f * lk[i];
        }
        if (lj[j] <= 0.0)
            return 0;
        double d = sqrt(lj[j]);
        for (int i = j; i < n; i++)
            lj[i] /= d;
    }
    for (int i = 0; i < n; i++) { /* L z = y */
        double s = y[i];
        for (int k = 0; k < i; k++)
            s -= g[(size_t)k * n + i] * y[k];
        y[i] = s / g[(size_t)i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) { /* L^T x = z */
        double s = y[i];
        for (int k = i + 1; k < n; k++)
            s -= g[(size_t)i * n + k] * x[k];
        x[i] = s / g[(size_t)i * n + i];
    }
    return 1;
}

/* ---------- modified Gram-Schmidt ---------- */

static void mgs(const double *a, int m, int n, double *q, double *r)
{
    memcpy(q, a, (size_t)m * n * sizeof(double));
    memset(r, 0, (size_t)n * n * sizeof(double));
    for (int k = 0; k < n; k++) {
        double *qk = q + (size_t)k * m;
        double s = 0.0;
        for (int i = 0; i < m; i++)
            s += qk[i] * qk[i];
        double nrm = sqrt(s);
        r[(size_t)k * n + k] = nrm;
        for (int i = 0; i < m; i++)
            qk[i] /= nrm;
        for (int j = k + 1; j < n; j++) {
            double *qj = q + (size_t)j * m;
            double d = 0.0;
            for (int i = 0; i < m; i++)
                d += qk[i] * qj[i];
            r[(size_t)j * n + k] = d;
            for (int i = 0; i < m; i++)
                qj[i] -= d * qk[i];
        }
    }
}

/* ---------- Givens row updates ---------- */

/* R (n x n, ld n, upper) and z = Q^T b (first n entries) absorb a new row (row, beta) */
static void givens_add_row(double *r, int n, double *z, double *row, double rb)
{
    for (int k = 0; k < n; k++) {
        double rkk = r[(size_t)k * n + k], w = row[k];
        if (w == 0.0)
            continue;
        double hyp = sqrt(rkk * rkk + w * w);
        double c = rkk / hyp, s = w / hyp;
        r[(size_t)k * n + k] = hyp;
        row[k] = 0.0;
        for (int j = k + 1; j < n; j++) {
            double rkj = r[(size_t)j * n + k], wj = row[j];
            r[(size_t)j * n + k] = c * rkj + s * wj;
            row[j] = c * wj - s * rkj;
        }
        double zk = z[k];
        z[k] = c * zk + s * rb;
        rb = c * rb - s * zk;
    }
}

#include "qr_lsq/problems.h"
