/* fft_bigmul — big-integer multiplication by convolution with an iterative radix-2 complex FFT
 * (double precision, bit-reversal permutation, twiddles from a hand-written Taylor sine/cosine).
 * bench-cflags: -O3
 *
 * Several numbers of 32768 base-1000 limbs are generated before the timer starts. Each round
 * multiplies a pair: both transforms, a pointwise product, an inverse transform, rounding to
 * integers, a check of sampled coefficients against exact dot products, and carry propagation. */
#include "../programs/bench.h"

#define LIMBS 32768
#define NFFT (2 * LIMBS)
#define LOGN 16
#define BASE 1000
#define NNUM 8

typedef struct {
    double re, im;
} cplx;

static const double PI = 3.14159265358979323846;

/* sin and cos of x for 0 <= x <= pi/4 by Taylor series (enough terms for full double accuracy). */
static void sincos_small(double x, double *s, double *c)
{
    double x2 = x * x;
    double term = x, sum = x;
    for (int k = 1; k < 12; k++) {
        term = -term * x2 / (double)((2 * k) * (2 * k + 1));
        sum += term;
    }
    *s = sum;
    term = 1.0;
    sum = 1.0;
    for (int k = 1; k < 12; k++) {
        term = -term * x2 / (double)((2 * k - 1) * (2 * k));
        sum += term;
    }
    *c = sum;
}

/* tw[k] = exp(-2 pi i k / n) for 0 <= k < n/2, using octant symmetry. */
static void make_twiddles(cplx *tw, int n)
{
    int eighth = n / 8;
    for (int k = 0; k <= eighth; k++) {
        double s, c;
        sincos_small(2.0 * PI * (double)k / (double)n, &s, &c);
        tw[k].re = c;
        tw[k].im = -s;
        /* angle pi/2 - a */
        if (2 * eighth - k < n / 2) { tw[2 * eighth - k].re = s; tw[2 * eighth - k].im = -c; }
        /* angle pi/2 + a */
        if (2 * eighth + k < n / 2) { tw[2 * eighth + k].re = -s; tw[2 * eighth + k].im = -c; }
        /* angle pi - a */
        if (4 * eighth - k < n / 2) { tw[4 * eighth - k].re = -c; tw[4 * eighth - k].im = -s; }
    }
}

static void bit_reverse(cplx *a, int n, int logn)
{
    for (int i = 0; i < n; i++) {
        unsigned r = 0, x = (unsigned)i;
        for (int b = 0; b < logn; b++) { r = (r << 1) | (x & 1); x >>= 1; }
        if ((int)r > i) { cplx t = a[i]; a[i] = a[r]; a[r] = t; }
    }
}

static void fft(cplx *a, int n, int logn, const cplx *tw, int inverse)
{
    bit_reverse(a, n, logn);
    for (int len = 2; len <= n; len <<= 1) {
        int half = len >> 1, step = n / len;
        for (int i = 0; i < n; i += len) {
            for (int j = 0; j < half; j++) {
                cplx w = tw[j * step];
                if (inverse) w.im = -w.im;
                cplx u = a[i + j], v = a[i + j + half];
                double vr = v.re * w.re - v.im * w.im;
                double vi = v.re * w.im + v.im * w.re;
                a[i + j].re = u.re + vr;
                a[i + j].im = u.im + vi;
                a[i + j + half].re = u.re - vr;
                a[i + j + half].im = u.im - vi;
            }
        }
    }
    if (inverse) {
        double inv = 1.0 / (double)n;
        for (int i = 0; i < n; i++) { a[i].re *= inv; a[i].im *= inv; }
    }
}

/* Multiplies x and y (LIMBS limbs each, little-endian base 1000) into out (2*LIMBS limbs).
 * Returns the number of sampled coefficients that disagreed with the exact value. */
static int bigmul(const uint16_t *x, const uint16_t *y, uint16_t *out, cplx *fa, cplx *fb, const cplx *tw,
                  uint64_t *coef, bench_rng *sample)
{
    for (int i = 0; i < NFFT; i++) {
        fa[i].re = i < LIMBS ? (double)x[i] : 0.0;
        fa[i].im = 0.0;
        fb[i].re = i < LIMBS ? (double)y[i] : 0.0;
        fb[i].im = 0.0;
    }
    fft(fa, NFFT, LOGN, tw, 0);
    fft(fb, NFFT, LOGN, tw, 0);
    for (int i = 0; i < NFFT; i++) {
        double re = fa[i].re * fb[i].re - fa[i].im * fb[i].im;
        double im = fa[i].re * fb[i].im + fa[i].im * fb[i].re;
        fa[i].re = re;
        fa[i].im = im;
    }
    fft(fa, NFFT, LOGN, tw, 1);
    for (int i = 0; i < NFFT; i++) {
        double v = fa[i].re;
        coef[i] = v < 0.5 ? 0 : (uint64_t)(v + 0.5);
    }
    int bad = 0;
    for (int s = 0; s < 16; s++) {
        int k = (int)rng_below(sample, NFFT - 1);
        uint64_t exact = 0;
        int lo = k - (LIMBS - 1) > 0 ? k - (LIMBS - 1) : 0;
        int hi = k < LIMBS - 1 ? k : LIMBS - 1;
        for (int i = lo; i <= hi; i++) exact += (uint64_t)x[i] * y[k - i];
        if (exact != coef[k]) bad++;
    }
    uint64_t carry = 0;
    for (int i = 0; i < NFFT; i++) {
        uint64_t t = coef[i] + carry;
        out[i] = (uint16_t)(t % BASE);
        carry = t / BASE;
    }
    return bad + (carry != 0);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 210);
    bench_rng rng = { 0xF0F0A5A5C3C31234ULL };
    uint16_t *nums = malloc((size_t)NNUM * LIMBS * sizeof(uint16_t));
    uint16_t *prod = malloc(NFFT * sizeof(uint16_t));
    cplx *fa = malloc(NFFT * sizeof(cplx)), *fb = malloc(NFFT * sizeof(cplx));
    cplx *tw = malloc(NFFT / 2 * sizeof(cplx));
    uint64_t *coef = malloc(NFFT * sizeof(uint64_t));
    if (!nums || !prod || !fa || !fb || !tw || !coef) return 1;
    for (int i = 0; i < NNUM * LIMBS; i++) nums[i] = (uint16_t)rng_below(&rng, BASE);
    /* One number with long runs of 999 to exercise carries. */
    for (int i = 0; i < LIMBS; i += 2) nums[i] = 999;
    make_twiddles(tw, NFFT);

    double start = bench_now();
    uint64_t h = 0;
    int bad = 0;
    bench_rng sample = { 0x0123456789ABCDEFULL };
    for (int round = 0; round < scale; round++) {
        const uint16_t *x = nums + (size_t)(round % NNUM) * LIMBS;
        const uint16_t *y = nums + (size_t)((round * 3 + 1) % NNUM) * LIMBS;
        bad += bigmul(x, y, prod, fa, fb, tw, coef, &sample);
        for (int i = 0; i < NFFT; i += 7) h = mix64(h, prod[i]);
        uint64_t digitsum = 0;
        for (int i = 0; i < NFFT; i++) digitsum += prod[i];
        h = mix64(h, digitsum);
    }
    bench_report(start);
    printf("fft_bigmul limbs=%d rounds=%d bad=%d top=%03u%03u checksum=%016llx\n", LIMBS, scale, bad,
           (unsigned)prod[NFFT - 1], (unsigned)prod[NFFT - 2], (unsigned long long)h);
    free(nums); free(prod); free(fa); free(fb); free(tw); free(coef);
    return 0;
}
