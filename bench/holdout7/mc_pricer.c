// bench-cflags: -O3
/* mc_pricer.c — Monte Carlo option pricing in double precision with nothing but + - * / sqrt.
 *
 * Paths follow a discrete multiplicative (Euler) model S <- S * (1 + r dt + sigma sqrt(dt) Z),
 * with Z from an Irwin-Hall sum of twelve 16-bit uniforms cut from xorshift output, simulated in
 * struct-of-arrays batches (price, running sum, running max, barrier flag) with antithetic pairs.
 * Payoffs: European call and put, arithmetic Asian call with the terminal price as a control
 * variate, up-and-out barrier call, floating-strike lookback. A Cox-Ross-Rubinstein style binomial
 * tree (u, d = 1 +- sigma sqrt(dt)) prices European and American options for comparison.
 *
 * Checks: exact put-call parity on the same paths, the discounted mean terminal price against S0,
 * Monte Carlo European prices within a few standard errors of the tree, American >= European,
 * barrier <= vanilla. SCALE = batches of paths per contract. */
#include "../programs/bench.h"
#include <math.h>

#define NPATH 2048 /* paths per batch (antithetic pairs: NPATH/2 draws) */
#define NSTEP 64

typedef struct {
    double s0, strike, rate, sigma, maturity, barrier;
} contract;

typedef struct {
    double sum[6], sumsq[6];
    double cross_asian_st, sum_st, sumsq_st;
    long long n;
} accum;

enum { EUC, EUP, ASIAN, BARRIER, LOOKBACK, TERMINAL };

static double S[NPATH], SUMS[NPATH], MAXS[NPATH], MINS[NPATH], ALIVE[NPATH], Z[NPATH];
static int failures;

static inline double irwin_hall(bench_rng *r)
{
    uint64_t a = rng_next(r), b = rng_next(r), c = rng_next(r);
    uint32_t s = 0;
    for (int k = 0; k < 4; k++) {
        s += (uint32_t)(a & 0xffff) + (uint32_t)(b & 0xffff) + (uint32_t)(c & 0xffff);
        a >>= 16; b >>= 16; c >>= 16;
    }
    return ((double)s - 12.0 * 32767.5) / 65536.0;
}

static void simulate_batch(const contract *c, bench_rng *r, accum *acc)
{
    double dt = c->maturity / NSTEP;
    double drift = 1.0 + c->rate * dt;
    double vol = c->sigma * sqrt(dt);
    for (int i = 0; i < NPATH; i++) {
        S[i] = c->s0;
        SUMS[i] = 0.0;
        MAXS[i] = c->s0;
        MINS[i] = c->s0;
        ALIVE[i] = 1.0;
    }
    for (int t = 0; t < NSTEP; t++) {
        for (int i = 0; i < NPATH; i += 2) {
            double z = irwin_hall(r);
            Z[i] = z;
            Z[i + 1] = -z;
        }
        for (int i = 0; i < NPATH; i++) {
            double s = S[i] * (drift + vol * Z[i]);
            if (s < 0.0)
                s = 0.0;
            S[i] = s;
            SUMS[i] += s;
            if (s > MAXS[i])
                MAXS[i] = s;
            if (s < MINS[i])
                MINS[i] = s;
            if (s >= c->barrier)
                ALIVE[i] = 0.0;
        }
    }
    for (int i = 0; i < NPATH; i++) {
        double st = S[i];
        double p[6];
        p[EUC] = st > c->strike ? st - c->strike : 0.0;
        p[EUP] = st < c->strike ? c->strike - st : 0.0;
        double avg = SUMS[i] / NSTEP;
        p[ASIAN] = avg > c->strike ? avg - c->strike : 0.0;
        p[BARRIER] = p[EUC] * ALIVE[i];
        p[LOOKBACK] = st - MINS[i];
        p[TERMINAL] = st;
        for (int k = 0; k < 6; k++) {
            acc->sum[k] += p[k];
            acc->sumsq[k] += p[k] * p[k];
        }
        acc->cross_asian_st += p[ASIAN] * st;
    }
    acc->n += NPATH;
}

/* binomial tree with u = 1 + vol, d = 1 - vol, risk-neutral p from the one-step growth */
static void tree_price(const contract *c, int steps, double *euro_call, double *euro_put, double *amer_put)
{
    double dt = c->maturity / steps;
    double vol = c->sigma * sqrt(dt);
    double u = 1.0 + vol, d = 1.0 - vol, g = 1.0 + c->rate * dt;
    double p = (g - d) / (u - d), q = 1.0 - p, disc = 1.0 / g;
    double *vc = malloc(sizeof(double) * (size_t)(steps + 1));
    double *vp = malloc(sizeof(double) * (size_t)(steps + 1));
    double *va = malloc(sizeof(double) * (size_t)(steps + 1));
    double *px = malloc(sizeof(double) * (size_t)(steps + 1));
    /* terminal prices: s0 * u^j * d^(steps-j) computed by repeated multiplication */
    double base = c->s0;
    for (int k = 0; k < steps; k++)
        base *= d;
    double ratio = u / d;
    px[0] = base;
    for (int j = 1; j <= steps; j++)
        px[j] = px[j - 1] * ratio;
    for (int j = 0; j <= steps; j++) {
        vc[j] = px[j] > c->strike ? px[j] - c->strike : 0.0;
        vp[j] = px[j] < c->strike ? c->strike - px[j] : 0.0;
        va[j] = vp[j];
    }
    for (int n = steps - 1; n >= 0; n--) {
        double sl = c->s0;
        for (int k = 0; k < n; k++)
            sl *= d;
        for (int j = 0; j <= n; j++) {
            vc[j] = disc * (p * vc[j + 1] + q * vc[j]);
            vp[j] = disc * (p * vp[j + 1] + q * vp[j]);
            double cont = disc * (p * va[j + 1] + q * va[j]);
            double ex = c->strike - sl;
            va[j] = ex > cont ? ex : cont;
            sl *= ratio;
        }
    }
    *euro_call = vc[0];
    *euro_put = vp[0];
    *amer_put = va[0];
    free(vc); free(vp); free(va); free(px);
}

static double mean_of(const accum *a, int k) { return a->sum[k] / (double)a->n; }

static double stderr_of(const accum *a, int k)
{
    double m = mean_of(a, k);
    double var = a->sumsq[k] / (double)a->n - m * m;
    if (var < 0.0)
        var = 0.0;
    return sqrt(var / (double)a->n);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 185);
    contract cs[6] = {
        { 100.0, 100.0, 0.05, 0.20, 1.0, 130.0 },
        { 100.0, 110.0, 0.03, 0.35, 0.5, 125.0 },
        { 50.0, 45.0, 0.01, 0.15, 2.0, 70.0 },
        { 80.0, 80.0, 0.08, 0.50, 1.5, 200.0 },
        { 120.0, 100.0, 0.02, 0.25, 0.25, 135.0 },
        { 10.0, 12.0, 0.04, 0.60, 3.0, 30.0 },
    };
    enum { NC = sizeof cs / sizeof cs[0] };
    accum acc[NC];
    memset(acc, 0, sizeof acc);

    double t0 = bench_now();
    uint64_t h = 0;
    for (int k = 0; k < NC; k++) {
        bench_rng r = { 0x9e3779b97f4a7c15ULL ^ (uint64_t)(k + 1) * 0x1000193ULL };
        for (int b = 0; b < scale; b++)
            simulate_batch(&cs[k], &r, &acc[k]);
    }
    for (int k = 0; k < NC; k++) {
        const contract *c = &cs[k];
        accum *a = &acc[k];
        double g = 1.0;
        for (int t = 0; t < NSTEP; t++)
            g *= 1.0 + c->rate * c->maturity / NSTEP;
        double disc = 1.0 / g;
        double call = disc * mean_of(a, EUC), put = disc * mean_of(a, EUP);
        double fwd = disc * mean_of(a, TERMINAL);
        /* parity on the same paths: C - P = disc*(E[S_T] - K) up to rounding */
        double parity = call - put - (fwd - disc * c->strike);
        if (parity > 1e-9 * c->s0 || parity < -1e-9 * c->s0)
            failures++;
        /* martingale: discounted mean terminal price near s0 */
        double fse = disc * stderr_of(a, TERMINAL);
        if (fwd - c->s0 > 5.0 * fse + 1e-12 || c->s0 - fwd > 5.0 * fse + 1e-12)
            failures++;
        /* control-variate Asian: beta = cov(A, S_T) / var(S_T) */
        double ma = mean_of(a, ASIAN), mst = mean_of(a, TERMINAL);
        double cov = a->cross_asian_st / (double)a->n - ma * mst;
        double vst = a->sumsq[TERMINAL] / (double)a->n - mst * mst;
        double beta = vst > 0.0 ? cov / vst : 0.0;
        double asian_cv = disc * (ma - beta * (mst - c->s0 * g));
        double barrier = disc * mean_of(a, BARRIER), look = disc * mean_of(a, LOOKBACK);
        if (barrier > call + 1e-12 || asian_cv < 0.0 || look < 0.0)
            failures++;
        double tc, tp, ta;
        tree_price(c, 400 + 40 * k, &tc, &tp, &ta);
        double cse = disc * stderr_of(a, EUC) * 4.0 + 0.01 * c->s0 * c->sigma * sqrt(c->maturity) * 0.5;
        if (call - tc > cse || tc - call > cse)
            failures++;
        if (ta + 1e-12 < tp)
            failures++;
        double vals[8] = { call, put, fwd, asian_cv, barrier, look, tc, ta };
        for (int v = 0; v < 8; v++)
            h = mix64(h, (uint64_t)(long long)(vals[v] * 1e6));
        printf("contract %d: call %.4f (tree %.4f) put %.4f asian %.4f barrier %.4f lookback %.4f amer-put %.4f\n",
               k, call, tc, put, asian_cv, barrier, look, ta);
    }
    bench_report(t0);
    printf("mc_pricer: batches=%d paths=%lld failures=%d checksum=%016llx\n", scale,
           (long long)acc[0].n, failures, (unsigned long long)h);
    return failures != 0;
}
