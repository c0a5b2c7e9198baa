/* ntt_poly — polynomial arithmetic over Z/998244353 with the number-theoretic transform.
 * bench-cflags: -O3
 *
 * Iterative radix-2 NTT (bit-reversal permutation, per-stage roots of unity from powers of the
 * generator 3, 64-bit products reduced with %) drives polynomial multiplication, power-series
 * inversion by Newton iteration (b <- b(2 - ab) doubling the precision), and division with
 * remainder through reversed polynomials. Each round multiplies random polynomials, divides the
 * product back by one factor (quotient must equal the other, remainder zero), divides by a random
 * divisor and checks A = BQ + R at random points by Horner evaluation, checks a*a^-1 = 1 mod x^n,
 * and compares low product coefficients against a direct convolution. */
#include "../programs/bench.h"

#define P 998244353u
#define G 3u
#define MAXN (1 << 16)

static uint32_t mulm(uint32_t a, uint32_t b) { return (uint32_t)((uint64_t)a * b % P); }
static uint32_t addm(uint32_t a, uint32_t b) { uint32_t c = a + b; return c >= P ? c - P : c; }
static uint32_t subm(uint32_t a, uint32_t b) { return a >= b ? a - b : a + P - b; }

static uint32_t powm(uint32_t a, uint32_t e)
{
    uint32_t r = 1;
    while (e) {
        if (e & 1)
            r = mulm(r, a);
        a = mulm(a, a);
        e >>= 1;
    }
    return r;
}

static void ntt(uint32_t *a, int n, int invert)
{
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        uint32_t wlen = powm(G, (P - 1) / (uint32_t)len);
        if (invert)
            wlen = powm(wlen, P - 2);
        int half = len >> 1;
        static uint32_t w[MAXN / 2];
        w[0] = 1;
        for (int k = 1; k < half; k++)
            w[k] = mulm(w[k - 1], wlen);
        for (int i = 0; i < n; i += len)
            for (int k = 0; k < half; k++) {
                uint32_t u = a[i + k], v = mulm(a[i + k + half], w[k]);
                a[i + k] = addm(u, v);
                a[i + k + half] = subm(u, v);
            }
    }
    if (invert) {
        uint32_t ninv = powm((uint32_t)n, P - 2);
        for (int i = 0; i < n; i++)
            a[i] = mulm(a[i], ninv);
    }
}

static uint32_t fa[MAXN], fb[MAXN];

/* c[0..na+nb-2] = a*b; c may alias neither input */
static void poly_mul(const uint32_t *a, int na, const uint32_t *b, int nb, uint32_t *c)
{
    int n = 1;
    while (n < na + nb - 1)
        n <<= 1;
    memset(fa, 0, sizeof(uint32_t) * (size_t)n);
    memset(fb, 0, sizeof(uint32_t) * (size_t)n);
    memcpy(fa, a, sizeof(uint32_t) * (size_t)na);
    memcpy(fb, b, sizeof(uint32_t) * (size_t)nb);
    ntt(fa, n, 0);
    ntt(fb, n, 0);
    for (int i = 0; i < n; i++)
        fa[i] = mulm(fa[i], fb[i]);
    ntt(fa, n, 1);
    memcpy(c, fa, sizeof(uint32_t) * (size_t)(na + nb - 1));
}

static uint32_t t1[MAXN], t2[MAXN];

/* b = a^-1 mod x^n (a[0] != 0) */
static void poly_inv(const uint32_t *a, int n, uint32_t *b)
{
    b[0] = powm(a[0], P - 2);
    int k = 1;
    while (k < n) {
        int k2 = 2 * k < n ? 2 * k : n;
        /* t1 = a*b mod x^k2 */
        int na = k2;
        poly_mul(a, na, b, k, t1);
        for (int i = 0; i < k2; i++)
            t1[i] = subm(0, t1[i]);
        t1[0] = addm(t1[0], 2);
        poly_mul(b, k, t1, k2, t2);
        memcpy(b, t2, sizeof(uint32_t) * (size_t)k2);
        k = k2;
    }
}

static uint32_t ra[MAXN], rb[MAXN], rinv[MAXN], rq[MAXN], tmp[MAXN];

/* a (na coeffs) = b (nb coeffs, b[nb-1] != 0) * q + r; q has na-nb+1 coeffs, r has nb-1 */
static void poly_divmod(const uint32_t *a, int na, const uint32_t *b, int nb, uint32_t *q, uint32_t *r)
{
    int nq = na - nb + 1;
    for (int i = 0; i < na; i++)
        ra[i] = a[na - 1 - i];
    for (int i = 0; i < nb; i++)
        rb[i] = b[nb - 1 - i];
    int nbi = nb < nq ? nb : nq;
    memset(tmp, 0, sizeof(uint32_t) * (size_t)nq);
    memcpy(tmp, rb, sizeof(uint32_t) * (size_t)nbi);
    poly_inv(tmp, nq, rinv);
    poly_mul(ra, nq, rinv, nq, rq);
    for (int i = 0; i < nq; i++)
        q[i] = rq[nq - 1 - i];
    poly_mul(b, nb, q, nq, tmp);
    for (int i = 0; i < nb - 1; i++)
        r[i] = subm(a[i], tmp[i]);
}

static uint32_t horner(const uint32_t *a, int n, uint32_t x)
{
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = addm(mulm(v, x), a[i]);
    return v;
}

static uint32_t A[MAXN], B[MAXN], C[MAXN], Q[MAXN], Rm[MAXN], INV[MAXN], D[MAXN];
#define NA 8192
#define NB 3000
#define ND 1777

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 46);
    bench_rng rng = { 0x4E77ULL };
    static uint32_t inputs[3][NA];
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < NA; i++)
            inputs[k][i] = rng_below(&rng, P);

    double start = bench_now();
    uint64_t h = 0;
    int errors = 0;
    for (int round = 0; round < scale; round++) {
        for (int i = 0; i < NA; i++)
            A[i] = addm(inputs[0][i], (uint32_t)round);
        for (int i = 0; i < NB; i++)
            B[i] = addm(inputs[1][i], (uint32_t)(round * 3));
        if (B[NB - 1] == 0)
            B[NB - 1] = 1;
        for (int i = 0; i < ND; i++)
            D[i] = inputs[2][(i + round) % NA];
        if (D[ND - 1] == 0)
            D[ND - 1] = 7;
        if (A[0] == 0)
            A[0] = 1;
        /* product and direct check of low coefficients */
        poly_mul(A, NA, B, NB, C);
        int nc = NA + NB - 1;
        for (int kk = 0; kk < 48; kk++) {
            uint32_t s = 0;
            for (int i = 0; i <= kk; i++)
                s = addm(s, mulm(A[i], B[kk - i]));
            if (s != C[kk])
                errors++;
        }
        /* exact division back */
        poly_divmod(C, nc, B, NB, Q, Rm);
        if (memcmp(Q, A, sizeof(uint32_t) * NA) != 0)
            errors++;
        for (int i = 0; i < NB - 1; i++)
            if (Rm[i])
                errors++;
        /* division with remainder, checked at points */
        poly_divmod(A, NA, D, ND, Q, Rm);
        int nq = NA - ND + 1;
        for (int t = 0; t < 4; t++) {
            uint32_t x = rng_below(&rng, P);
            uint32_t lhs = horner(A, NA, x);
            uint32_t rhs = addm(mulm(horner(D, ND, x), horner(Q, nq, x)), horner(Rm, ND - 1, x));
            if (lhs != rhs)
                errors++;
        }
        h = mix64(h, horner(Q, nq, 12345));
        h = mix64(h, horner(Rm, ND - 1, 54321));
        /* series inverse */
        poly_inv(A, NA, INV);
        poly_mul(A, NA, INV, NA, C);
        if (C[0] != 1)
            errors++;
        for (int i = 1; i < NA; i++)
            if (C[i])
                errors++;
        h = mix64(h, horner(INV, NA, 777 + (uint32_t)round));
        h = mix64(h, INV[NA - 1]);
    }
    bench_report(start);
    printf("ntt_poly rounds=%d errors=%d checksum=%016llx\n", scale, errors, (unsigned long long)h);
    return 0;
}
