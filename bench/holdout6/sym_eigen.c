/* sym_eigen — full symmetric eigendecomposition: Householder tridiagonalisation + implicit QL.
 *
 * Dense symmetric matrices (random, graph Laplacian of a random sparse graph, Hilbert-like,
 * Toeplitz with a diagonal perturbation) are reduced to tridiagonal form by Householder
 * reflections with accumulated transformations (tred2 style, row-major double arrays), then
 * diagonalised by the QL algorithm with implicit Wilkinson shifts and Givens rotations applied to
 * the eigenvector matrix (tqli style, hypotenuse by sqrt). Eigenpairs are sorted by value with an
 * insertion sort, and each decomposition is checked by the residual max |A v - lambda v|, the
 * orthogonality of the eigenvectors and the trace. The checksum hashes eigenvalue bit patterns. */
#include "../programs/bench.h"

#include <math.h>

#define N 84
#define NMAT 6

static double mats[NMAT][N][N];
static double a[N][N], z[N][N], d[N], e[N];

static inline double fab(double x) { return x < 0.0 ? -x : x; }
static inline double pythag(double x, double y) { return sqrt(x * x + y * y); }
static inline double sign_of(double x, double y) { return y >= 0.0 ? fab(x) : -fab(x); }

static void tred2(int n)
{
    for (int i = n - 1; i > 0; i--) {
        int l = i - 1;
        double h = 0.0, scale = 0.0;
        if (l > 0) {
            for (int k = 0; k <= l; k++)
                scale += fab(a[i][k]);
            if (scale == 0.0) {
                e[i] = a[i][l];
            } else {
                for (int k = 0; k <= l; k++) {
                    a[i][k] /= scale;
                    h += a[i][k] * a[i][k];
                }
                double f = a[i][l];
                double g = f >= 0.0 ? -sqrt(h) : sqrt(h);
                e[i] = scale * g;
                h -= f * g;
                a[i][l] = f - g;
                f = 0.0;
                for (int j = 0; j <= l; j++) {
                    a[j][i] = a[i][j] / h;
                    g = 0.0;
                    for (int k = 0; k <= j; k++)
                        g += a[j][k] * a[i][k];
                    for (int k = j + 1; k <= l; k++)
                        g += a[k][j] * a[i][k];
                    e[j] = g / h;
                    f += e[j] * a[i][j];
                }
                double hh = f / (h + h);
                for (int j = 0; j <= l; j++) {
                    f = a[i][j];
                    e[j] = g = e[j] - hh * f;
                    for (int k = 0; k <= j; k++)
                        a[j][k] -= (f * e[k] + g * a[i][k]);
                }
            }
        } else {
            e[i] = a[i][l];
        }
        d[i] = h;
    }
    d[0] = 0.0;
    e[0] = 0.0;
    for (int i = 0; i < n; i++) {
        int l = i - 1;
        if (d[i] != 0.0) {
            for (int j = 0; j <= l; j++) {
                double g = 0.0;
                for (int k = 0; k <= l; k++)
                    g += a[i][k] * a[k][j];
                for (int k = 0; k <= l; k++)
                    a[k][j] -= g * a[k][i];
            }
        }
        d[i] = a[i][i];
        a[i][i] = 1.0;
        for (int j = 0; j <= l; j++)
            a[j][i] = a[i][j] = 0.0;
    }
}

/* eigenvectors accumulate in a (columns); returns total QL iterations or -1 */
static int tqli(int n)
{
    int total = 0;
    for (int i = 1; i < n; i++)
        e[i - 1] = e[i];
    e[n - 1] = 0.0;
    for (int l = 0; l < n; l++) {
        int iter = 0, m;
        do {
            for (m = l; m < n - 1; m++) {
                double dd = fab(d[m]) + fab(d[m + 1]);
                if (fab(e[m]) + dd == dd)
                    break;
            }
            if (m != l) {
                if (iter++ == 60)
                    return -1;
                total++;
                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = pythag(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + sign_of(r, g));
                double s = 1.0, c = 1.0, p = 0.0;
                int i;
                for (i = m - 1; i >= l; i--) {
                    double f = s * e[i], b = c * e[i];
                    e[i + 1] = (r = pythag(f, g));
                    if (r == 0.0) {
                        d[i + 1] -= p;
                        e[m] = 0.0;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2.0 * c * b;
                    d[i + 1] = g + (p = s * r);
                    g = c * r - b;
                    for (int k = 0; k < n; k++) {
                        f = a[k][i + 1];
                        a[k][i + 1] = s * a[k][i] + c * f;
                        a[k][i] = c * a[k][i] - s * f;
                    }
                }
                if (r == 0.0 && i >= l)
                    continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0.0;
            }
        } while (m != l);
    }
    return total;
}

static uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 68);
    bench_rng rng = { 0x5E16E2ULL };
    for (int m = 0; m < NMAT; m++)
        for (int i = 0; i < N; i++)
            for (int j = 0; j <= i; j++) {
                double v;
                int kind = m % 4;
                if (kind == 0)
                    v = (double)(int32_t)(rng_next(&rng) >> 40) / 8388608.0;
                else if (kind == 1)
                    v = (i != j && rng_below(&rng, 10) == 0) ? -1.0 : 0.0;
                else if (kind == 2)
                    v = 1.0 / (double)(i + j + 1 + m);
                else
                    v = 1.0 / (double)(1 + (i - j) * (i - j)) + (i == j ? (double)(i % 7) * 0.25 : 0.0);
                mats[m][i][j] = mats[m][j][i] = v;
            }
    for (int m = 1; m < NMAT; m += 4) /* Laplacian diagonal = degree */
        for (int i = 0; i < N; i++) {
            double deg = 0.0;
            for (int j = 0; j < N; j++)
                if (j != i)
                    deg -= mats[m][i][j];
            mats[m][i][i] = deg + 0.001 * (double)i;
        }

    double start = bench_now();
    uint64_t h = 0;
    int good = 0, iters = 0;
    double worst = 0.0;
    for (int round = 0; round < scale; round++) {
        for (int m = 0; m < NMAT; m++) {
            double shift = (double)round * 0.0625;
            memcpy(a, mats[m], sizeof a);
            for (int i = 0; i < N; i++)
                a[i][i] += shift;
            double trace = 0.0;
            for (int i = 0; i < N; i++)
                trace += a[i][i];
            tred2(N);
            int it = tqli(N);
            if (it < 0) {
                printf("sym_eigen: no convergence\n");
                return 1;
            }
            iters += it;
            /* sort eigenpairs ascending (insertion sort on values, columns moved with them) */
            for (int i = 1; i < N; i++) {
                double v = d[i];
                for (int k = 0; k < N; k++)
                    z[k][0] = a[k][i];
                int j = i - 1;
                while (j >= 0 && d[j] > v) {
                    d[j + 1] = d[j];
                    for (int k = 0; k < N; k++)
                        a[k][j + 1] = a[k][j];
                    j--;
                }
                d[j + 1] = v;
                for (int k = 0; k < N; k++)
                    a[k][j + 1] = z[k][0];
            }
            /* residuals against the original (shifted) matrix */
            double res = 0.0, orth = 0.0, sum = 0.0;
            for (int c = 0; c < N; c++) {
                sum += d[c];
                for (int i = 0; i < N; i++) {
                    double acc = shift * a[i][c];
                    for (int k = 0; k < N; k++)
                        acc += mats[m][i][k] * a[k][c];
                    double r = fab(acc - d[c] * a[i][c]);
                    if (r > res)
                        res = r;
                }
            }
            for (int c = 0; c < N; c += 7) {
                for (int c2 = 0; c2 < N; c2++) {
                    double dot = 0.0;
                    for (int k = 0; k < N; k++)
                        dot += a[k][c] * a[k][c2];
                    double o = fab(dot - (c == c2 ? 1.0 : 0.0));
                    if (o > orth)
                        orth = o;
                }
            }
            if (res < 1e-9 && orth < 1e-10 && fab(sum - trace) < 1e-8 * (1.0 + fab(trace)))
                good++;
            if (res > worst)
                worst = res;
            for (int i = 0; i < N; i++)
                h = mix64(h, dbits(d[i]));
            h = mix64(h, dbits(res));
        }
    }
    bench_report(start);
    printf("sym_eigen decompositions=%d good=%d ql_iters=%d worst_residual_e15=%d checksum=%016llx\n",
        scale * NMAT, good, iters, worst < 1e-6 ? (int)(worst * 1e15) : -1, (unsigned long long)h);
    return 0;
}
