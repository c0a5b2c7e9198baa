/* ode_dopri.c — explicit Runge-Kutta integration of ordinary differential equations.
 *
 * Two integrators over double state vectors with right-hand sides passed as function pointers
 * with a context: classic fixed-step fourth-order Runge-Kutta, and the adaptive Dormand-Prince
 * 5(4) pair (seven stages with first-same-as-last reuse, embedded error estimate in a scaled RMS
 * norm, step factor 0.9 err^(-1/4) computed with two square roots and clamped to [0.2, 5],
 * rejected steps retried, last step cut to land on the end time). Each round integrates freshly
 * drawn problems: a stable linear system y' = A y (A = skew part minus a symmetric positive
 * definite part), a Kepler orbit over one period, Euler's rigid-body equations, the Lorenz
 * system, a Van der Pol oscillator and the seven-body Pleiades problem. Checks: the linear system
 * against exp(A T) y0 from a scaling-and-squaring Taylor series, and fourth-order convergence of
 * RK4 (halving the step divides the error by 12-20); the orbit returns to its start after one
 * period with energy and angular momentum kept; the rigid body keeps both quadratic invariants;
 * Lorenz and Van der Pol agree between two tolerances and with a fine RK4 run; the Pleiades keep
 * their energy, momentum and centre-of-mass motion.
 */
// bench-cflags: -O3
#include "../programs/bench.h"
#include <math.h>

#define MAXN 32
#define PI 3.14159265358979323846

typedef void (*rhs_fn)(const void *ctx, double t, const double *y, double *dy);

static unsigned failures;
static uint64_t total_steps, total_evals;

static double dabs(double x) { return x < 0 ? -x : x; }
static double dmax(double a, double b) { return a > b ? a : b; }
static double dmin(double a, double b) { return a < b ? a : b; }

static void rk4(rhs_fn f, const void *ctx, int n, double *y, double t0, double t1, int steps)
{
    double k1[MAXN], k2[MAXN], k3[MAXN], k4[MAXN], tmp[MAXN];
    double h = (t1 - t0) / steps;
    for (int s = 0; s < steps; s++) {
        double t = t0 + s * h;
        f(ctx, t, y, k1);
        for (int i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
        f(ctx, t + 0.5 * h, tmp, k2);
        for (int i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
        f(ctx, t + 0.5 * h, tmp, k3);
        for (int i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
        f(ctx, t + h, tmp, k4);
        for (int i = 0; i < n; i++)
            y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
    }
    total_evals += 4u * (unsigned)steps;
}

/* Dormand-Prince 5(4); returns the number of accepted steps. */
static int dopri(rhs_fn f, const void *ctx, int n, double *y, double t0, double t1, double rtol, double atol)
{
    static const double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
    static const double a21 = 1.0 / 5;
    static const double a31 = 3.0 / 40, a32 = 9.0 / 40;
    static const double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
    static const double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
    static const double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                        a65 = -5103.0 / 18656;
    static const double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192, a75 = -2187.0 / 6784,
                        a76 = 11.0 / 84;
    static const double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                        e6 = 22.0 / 525, e7 = -1.0 / 40;
    double k1[MAXN], k2[MAXN], k3[MAXN], k4[MAXN], k5[MAXN], k6[MAXN], k7[MAXN], tmp[MAXN], yn[MAXN];
    double t = t0, h = (t1 - t0) / 100.0;
    int accepted = 0, evals = 1;
    f(ctx, t, y, k1);
    while (t < t1) {
        int last = 0;
        if (evals > 2000000 || t + h == t) { /* step size collapsed: the error estimate is wrong */
            failures++;
            break;
        }
        if (t + h >= t1) {
            h = t1 - t;
            last = 1;
        }
        for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (a21 * k1[i]);
        f(ctx, t + c2 * h, tmp, k2);
        for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (a31 * k1[i] + a32 * k2[i]);
        f(ctx, t + c3 * h, tmp, k3);
        for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (a41 * k1[i] + a42 * k2[i] + a43 * k3[i]);
        f(ctx, t + c4 * h, tmp, k4);
        for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (a51 * k1[i] + a52 * k2[i] + a53 * k3[i] + a54 * k4[i]);
        f(ctx, t + c5 * h, tmp, k5);
        for (int i = 0; i < n; i++)
            tmp[i] = y[i] + h * (a61 * k1[i] + a62 * k2[i] + a63 * k3[i] + a64 * k4[i] + a65 * k5[i]);
        f(ctx, t + h, tmp, k6);
        for (int i = 0; i < n; i++)
            yn[i] = y[i] + h * (a71 * k1[i] + a73 * k3[i] + a74 * k4[i] + a75 * k5[i] + a76 * k6[i]);
        f(ctx, t + h, yn, k7);
        evals += 6;
        double err = 0;
        for (int i = 0; i < n; i++) {
            double e = h * (e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i] + e7 * k7[i]);
            double sc = atol + rtol * dmax(dabs(y[i]), dabs(yn[i]));
            err += (e / sc) * (e / sc);
        }
        err = sqrt(err / n);
        double fac = err > 0 ? 0.9 * sqrt(sqrt(1.0 / err)) : 5.0;
        fac = dmin(5.0, dmax(0.2, fac));
        if (err <= 1.0) {
            t = last ? t1 : t + h;
            memcpy(y, yn, sizeof(double) * (size_t)n);
            memcpy(k1, k7, sizeof(double) * (size_t)n);
            accepted++;
        }
        h *= fac;
    }
    total_steps += (unsigned)accepted;
    total_evals += (unsigned)evals;
    return accepted;
}

/* ---- problems ---- */

typedef struct { int n; double a[MAXN * MAXN]; } Linear;

static void rhs_linear(const void *ctx, double t, const double *y, double *dy)
{
    const Linear *L = ctx;
    (void)t;
    for (int i = 0; i < L->n; i++) {
        const double *row = L->a + i * L->n;
        double s = 0;
        for (int j = 0; j < L->n; j++)
            s += row[j] * y[j];
        dy[i] = s;
    }
}

static void matmul(int n, const double *a, const double *b, double *c)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

/* exp(M) by scaling and squaring with a Taylor series. */
static void expm(int n, const double *m, double *out)
{
    static double s[MAXN * MAXN], term[MAXN * MAXN], tmp[MAXN * MAXN];
    double norm = 0;
    for (int i = 0; i < n; i++) {
        double r = 0;
        for (int j = 0; j < n; j++) r += dabs(m[i * n + j]);
        norm = dmax(norm, r);
    }
    int sq = 0;
    double scale = 1.0;
    while (norm * scale > 0.25) { scale *= 0.5; sq++; }
    for (int i = 0; i < n * n; i++) {
        s[i] = (i % (n + 1) == 0) ? 1.0 : 0.0;
        term[i] = s[i];
    }
    for (int k = 1; k <= 18; k++) {
        matmul(n, term, m, tmp);
        for (int i = 0; i < n * n; i++) {
            term[i] = tmp[i] * scale / k;
            s[i] += term[i];
        }
    }
    for (int k = 0; k < sq; k++) {
        matmul(n, s, s, tmp);
        memcpy(s, tmp, sizeof(double) * (size_t)(n * n));
    }
    memcpy(out, s, sizeof(double) * (size_t)(n * n));
}

static void rhs_kepler(const void *ctx, double t, const double *y, double *dy)
{
    (void)ctx; (void)t;
    double r2 = y[0] * y[0] + y[1] * y[1], r3 = r2 * sqrt(r2);
    dy[0] = y[2]; dy[1] = y[3];
    dy[2] = -y[0] / r3; dy[3] = -y[1] / r3;
}

typedef struct { double i1, i2, i3; } Body;
static void rhs_rigid(const void *ctx, double t, const double *y, double *dy)
{
    const Body *b = ctx;
    (void)t;
    dy[0] = (b->i2 - b->i3) / (b->i2 * b->i3) * y[1] * y[2];
    dy[1] = (b->i3 - b->i1) / (b->i3 * b->i1) * y[2] * y[0];
    dy[2] = (b->i1 - b->i2) / (b->i1 * b->i2) * y[0] * y[1];
}

static void rhs_lorenz(const void *ctx, double t, const double *y, double *dy)
{
    (void)ctx; (void)t;
    dy[0] = 10.0 * (y[1] - y[0]);
    dy[1] = y[0] * (28.0 - y[2]) - y[1];
    dy[2] = y[0] * y[1] - 8.0 / 3.0 * y[2];
}

static void rhs_vdp(const void *ctx, double t, const double *y, double *dy)
{
    double mu = *(const double *)ctx;
    (void)t;
    dy[0] = y[1];
    dy[1] = mu * (1.0 - y[0] * y[0]) * y[1] - y[0];
}

/* Pleiades: 7 bodies with masses 1..7; y = x[7], y[7], vx[7], vy[7] */
static void rhs_pleiades(const void *ctx, double t, const double *y, double *dy)
{
    const double *x = y, *yy = y + 7;
    double *ax = dy + 14, *ay = dy + 21;
    (void)ctx; (void)t;
    memcpy(dy, y + 14, sizeof(double) * 14);
    for (int i = 0; i < 7; i++) ax[i] = ay[i] = 0;
    for (int i = 0; i < 7; i++)
        for (int j = i + 1; j < 7; j++) {
            double dx = x[j] - x[i], dyv = yy[j] - yy[i];
            double r2 = dx * dx + dyv * dyv, r3 = r2 * sqrt(r2);
            ax[i] += (j + 1) * dx / r3; ay[i] += (j + 1) * dyv / r3;
            ax[j] -= (i + 1) * dx / r3; ay[j] -= (i + 1) * dyv / r3;
        }
}

static double pleiades_energy(const double *y)
{
    double e = 0;
    for (int i = 0; i < 7; i++) {
        e += 0.5 * (i + 1) * (y[14 + i] * y[14 + i] + y[21 + i] * y[21 + i]);
        for (int j = i + 1; j < 7; j++) {
            double dx = y[j] - y[i], dy = y[7 + j] - y[7 + i];
            e -= (double)((i + 1) * (j + 1)) / sqrt(dx * dx + dy * dy);
        }
    }
    return e;
}

static double unit(bench_rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

static uint64_t hash_vec(uint64_t h, const double *y, int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &y[i], sizeof bits);
        h = mix64(h, bits);
    }
    return h;
}

#define CHECK(cond) do { if (!(cond)) failures++; } while (0)

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 195);
    bench_rng rng = { 0x0DE0DE0DE1234567ULL };
    uint64_t h = 0;
    static Linear lin;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        /* linear system: A = S - P P^T / n - I/4, S skew */
        int n = 8 + (int)rng_below(&rng, 17);
        static double p[MAXN * MAXN], ex[MAXN * MAXN], m[MAXN * MAXN];
        double y0[MAXN], y[MAXN], exact[MAXN];
        lin.n = n;
        for (int i = 0; i < n * n; i++) p[i] = unit(&rng) * 2.0 - 1.0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += p[i * n + k] * p[j * n + k];
                double sk = (i == j) ? 0.0 : 3.0 * (unit(&rng) - 0.5);
                lin.a[i * n + j] = sk - s / n - (i == j ? 0.25 : 0.0);
                lin.a[j * n + i] = -sk - s / n - (i == j ? 0.25 : 0.0);
            }
        for (int i = 0; i < n; i++) y0[i] = unit(&rng) * 2.0 - 1.0;
        double T = 2.0 + 2.0 * unit(&rng);
        for (int i = 0; i < n * n; i++) m[i] = lin.a[i] * T;
        expm(n, m, ex);
        double ynorm = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) s += ex[i * n + j] * y0[j];
            exact[i] = s;
            ynorm = dmax(ynorm, dabs(s));
        }
        memcpy(y, y0, sizeof(double) * (size_t)n);
        dopri(rhs_linear, &lin, n, y, 0.0, T, 1e-10, 1e-12);
        double err = 0;
        for (int i = 0; i < n; i++) err = dmax(err, dabs(y[i] - exact[i]));
        CHECK(err <= 1e-7 * (1.0 + ynorm));
        h = hash_vec(h, y, n);
        double e_rk[2];
        for (int pass = 0; pass < 2; pass++) {
            memcpy(y, y0, sizeof(double) * (size_t)n);
            rk4(rhs_linear, &lin, n, y, 0.0, T, 200 << pass);
            e_rk[pass] = 0;
            for (int i = 0; i < n; i++) e_rk[pass] = dmax(e_rk[pass], dabs(y[i] - exact[i]));
        }
        CHECK(e_rk[1] * 12.0 <= e_rk[0] && e_rk[1] * 20.0 >= e_rk[0]);

        /* Kepler orbit over one period */
        double ecc = 0.3 + 0.6 * unit(&rng), ky[4], kz[4];
        double ks[4] = { 1.0 - ecc, 0.0, 0.0, sqrt((1.0 + ecc) / (1.0 - ecc)) };
        memcpy(ky, ks, sizeof ky);
        dopri(rhs_kepler, NULL, 4, ky, 0.0, 2.0 * PI, 1e-11, 1e-13);
        double en0 = 0.5 * (ks[2] * ks[2] + ks[3] * ks[3]) - 1.0 / sqrt(ks[0] * ks[0] + ks[1] * ks[1]);
        double en1 = 0.5 * (ky[2] * ky[2] + ky[3] * ky[3]) - 1.0 / sqrt(ky[0] * ky[0] + ky[1] * ky[1]);
        CHECK(dabs(en1 - en0) <= 1e-8);
        CHECK(dabs((ky[0] * ky[3] - ky[1] * ky[2]) - (ks[0] * ks[3])) <= 1e-8);
        CHECK(dabs(ky[0] - ks[0]) + dabs(ky[1]) <= 1e-6);
        memcpy(kz, ks, sizeof kz);
        rk4(rhs_kepler, NULL, 4, kz, 0.0, 2.0 * PI, 6000);
        CHECK(dabs(kz[0] - ky[0]) + dabs(kz[1] - ky[1]) <= 1e-4);
        h = hash_vec(h, ky, 4);

        /* rigid body: both quadratic invariants */
        Body b = { 1.0 + unit(&rng), 2.0 + unit(&rng), 3.0 + unit(&rng) };
        double ry[3] = { unit(&rng) + 0.1, unit(&rng) + 0.1, unit(&rng) + 0.1 };
        double q0 = ry[0] * ry[0] + ry[1] * ry[1] + ry[2] * ry[2];
        double k0 = ry[0] * ry[0] / b.i1 + ry[1] * ry[1] / b.i2 + ry[2] * ry[2] / b.i3;
        dopri(rhs_rigid, &b, 3, ry, 0.0, 40.0, 1e-10, 1e-12);
        CHECK(dabs(ry[0] * ry[0] + ry[1] * ry[1] + ry[2] * ry[2] - q0) <= 1e-7 * q0);
        CHECK(dabs(ry[0] * ry[0] / b.i1 + ry[1] * ry[1] / b.i2 + ry[2] * ry[2] / b.i3 - k0) <= 1e-7 * k0);
        h = hash_vec(h, ry, 3);

        /* Lorenz and Van der Pol: two tolerances and a fine RK4 run agree */
        double l1[3] = { 1.0 + unit(&rng), 1.0, 20.0 + unit(&rng) }, l2[3], l3[3];
        memcpy(l2, l1, sizeof l2);
        memcpy(l3, l1, sizeof l3);
        dopri(rhs_lorenz, NULL, 3, l1, 0.0, 2.0, 1e-8, 1e-10);
        dopri(rhs_lorenz, NULL, 3, l2, 0.0, 2.0, 1e-11, 1e-13);
        rk4(rhs_lorenz, NULL, 3, l3, 0.0, 2.0, 4000);
        CHECK(dabs(l1[0] - l2[0]) + dabs(l1[1] - l2[1]) + dabs(l1[2] - l2[2]) <= 1e-4);
        CHECK(dabs(l3[0] - l2[0]) + dabs(l3[1] - l2[1]) + dabs(l3[2] - l2[2]) <= 1e-5);
        h = hash_vec(h, l2, 3);
        double mu = 2.0 + 4.0 * unit(&rng), v1[2] = { 2.0, 0.0 }, v2[2] = { 2.0, 0.0 };
        dopri(rhs_vdp, &mu, 2, v1, 0.0, 15.0, 1e-8, 1e-10);
        dopri(rhs_vdp, &mu, 2, v2, 0.0, 15.0, 1e-11, 1e-13);
        CHECK(dabs(v1[0] - v2[0]) + dabs(v1[1] - v2[1]) <= 1e-4 * (1.0 + dabs(v2[1])));
        h = hash_vec(h, v2, 2);

        /* Pleiades */
        static const double px[7] = { 3, 3, -1, -3, 2, -2, 2 }, py[7] = { 3, -3, 2, 0, 0, -4, 4 };
        static const double pvx[7] = { 0, 0, 0, 0, 0, 1.75, -1.5 }, pvy[7] = { 0, 0, 0, -1.25, 1, 0, 0 };
        double s[28];
        for (int i = 0; i < 7; i++) {
            s[i] = px[i] + 0.01 * (unit(&rng) - 0.5);
            s[7 + i] = py[i] + 0.01 * (unit(&rng) - 0.5);
            s[14 + i] = pvx[i];
            s[21 + i] = pvy[i];
        }
        double pe0 = pleiades_energy(s), mom0[2] = { 0, 0 }, cm0[2] = { 0, 0 };
        for (int i = 0; i < 7; i++) {
            mom0[0] += (i + 1) * s[14 + i]; mom0[1] += (i + 1) * s[21 + i];
            cm0[0] += (i + 1) * s[i]; cm0[1] += (i + 1) * s[7 + i];
        }
        double tend = 3.0;
        dopri(rhs_pleiades, NULL, 28, s, 0.0, tend, 1e-10, 1e-12);
        double mom[2] = { 0, 0 }, cm[2] = { 0, 0 };
        for (int i = 0; i < 7; i++) {
            mom[0] += (i + 1) * s[14 + i]; mom[1] += (i + 1) * s[21 + i];
            cm[0] += (i + 1) * s[i]; cm[1] += (i + 1) * s[7 + i];
        }
        CHECK(dabs(pleiades_energy(s) - pe0) <= 1e-6 * dabs(pe0));
        CHECK(dabs(mom[0] - mom0[0]) + dabs(mom[1] - mom0[1]) <= 1e-9);
        CHECK(dabs(cm[0] - cm0[0] - tend * mom0[0]) + dabs(cm[1] - cm0[1] - tend * mom0[1]) <= 1e-8);
        h = hash_vec(h, s, 28);
    }
    bench_report(t0);
    printf("ode_dopri: steps=%llu evals=%llu hash=%016llx failures=%u\n", (unsigned long long)total_steps,
           (unsigned long long)total_evals, (unsigned long long)h, failures);
    return failures != 0;
}
