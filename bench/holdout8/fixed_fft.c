/* fixed_fft.c — fixed-point FFT signal processing.
 *
 * Twiddle factors are computed once in double precision from half-angle formulas (sqrt only)
 * and products of power-of-two rotations, then rounded to Q30. The fixed-point FFT is an
 * in-place iterative radix-2 decimation-in-time transform over int32 complex samples with 64-bit
 * products and block floating point (a stage is scaled by 1/2 only when the block's peak would
 * overflow, and the shared exponent is returned). On top of it: a Hann-windowed spectrogram of a
 * signal of tones, a chirp and noise with per-frame peak picking; overlap-add FIR filtering by
 * fast convolution compared against direct convolution; a round trip through the inverse
 * transform; and a DTMF decoder with Goertzel filters over tone bursts made by a phase-
 * accumulator oscillator. The fixed-point transform is checked against a double-precision one,
 * and detected peaks and digits against what was generated.
 */
#include "../programs/bench.h"
#include <math.h>

#define LOG_NMAX 12
#define NMAX (1 << LOG_NMAX)

typedef struct {
    int32_t re, im;
} cpx32;

typedef struct {
    double re, im;
} cpxd;

static double twd_re[NMAX], twd_im[NMAX]; /* exp(-2 pi i k / NMAX) */
static int32_t tw_re[NMAX], tw_im[NMAX];  /* the same in Q30 */

static int failures;

static int32_t q30(double x)
{
    double s = x * 1073741824.0;
    return (int32_t)(s >= 0 ? s + 0.5 : s - 0.5);
}

static void make_twiddles(void)
{
    /* rot[b] = exp(-i * 2 pi * 2^b / NMAX) = exp(-i * pi / 2^(LOG_NMAX - 1 - b)) */
    double c[LOG_NMAX + 1], s[LOG_NMAX + 1];
    /* angle pi/2^j for j = 0 .. LOG_NMAX-1: j=0 is pi, j=1 is pi/2 */
    c[0] = -1.0;
    s[0] = 0.0;
    c[1] = 0.0;
    s[1] = 1.0;
    for (int j = 2; j < LOG_NMAX; j++) {
        c[j] = sqrt((1.0 + c[j - 1]) / 2.0);
        s[j] = s[j - 1] / (2.0 * c[j]);
    }
    for (int k = 0; k < NMAX; k++) {
        double re = 1.0, im = 0.0;
        for (int b = 0; b < LOG_NMAX; b++) {
            if (!((k >> b) & 1))
                continue;
            int j = LOG_NMAX - 1 - b;
            double cr = c[j], ci = -s[j];
            double nr = re * cr - im * ci, ni = re * ci + im * cr;
            re = nr;
            im = ni;
        }
        twd_re[k] = re;
        twd_im[k] = im;
        tw_re[k] = q30(re);
        tw_im[k] = q30(im);
    }
}

static void bit_reverse_cpx(cpx32 *x, int n)
{
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            cpx32 t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
}

static void bit_reverse_d(cpxd *x, int n)
{
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            cpxd t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
}

static int32_t peak_abs(const cpx32 *x, int n)
{
    int32_t m = 0;
    for (int i = 0; i < n; i++) {
        int32_t a = x[i].re < 0 ? -x[i].re : x[i].re;
        int32_t b = x[i].im < 0 ? -x[i].im : x[i].im;
        if (a > m) m = a;
        if (b > m) m = b;
    }
    return m;
}

/* Fixed-point FFT; returns the block exponent e (true result = x * 2^e).
 * Inputs must stay below 2^30 in magnitude. */
static int fft_fixed(cpx32 *x, int n, int inverse)
{
    int exponent = 0;
    bit_reverse_cpx(x, n);
    int stride_shift = 0;
    while ((1 << stride_shift) * n < NMAX)
        stride_shift++;
    for (int len = 2; len <= n; len <<= 1) {
        /* a butterfly can grow magnitudes by up to 1 + sqrt(2); scale when near the limit */
        if (peak_abs(x, n) >= (1 << 28)) {
            for (int i = 0; i < n; i++) {
                x[i].re = (x[i].re + 1) >> 1;
                x[i].im = (x[i].im + 1) >> 1;
            }
            exponent++;
        }
        int half = len >> 1;
        int step = (n / len) << stride_shift;
        for (int i = 0; i < n; i += len) {
            for (int k = 0; k < half; k++) {
                int32_t wr = tw_re[k * step], wi = inverse ? -tw_im[k * step] : tw_im[k * step];
                cpx32 *a = &x[i + k], *b = &x[i + k + half];
                int64_t tr = (int64_t)b->re * wr - (int64_t)b->im * wi;
                int64_t ti = (int64_t)b->re * wi + (int64_t)b->im * wr;
                int32_t r = (int32_t)((tr + (1 << 29)) >> 30), m = (int32_t)((ti + (1 << 29)) >> 30);
                b->re = a->re - r;
                b->im = a->im - m;
                a->re += r;
                a->im += m;
            }
        }
    }
    return exponent;
}

static void fft_double(cpxd *x, int n, int inverse)
{
    bit_reverse_d(x, n);
    int stride_shift = 0;
    while ((1 << stride_shift) * n < NMAX)
        stride_shift++;
    for (int len = 2; len <= n; len <<= 1) {
        int half = len >> 1;
        int step = (n / len) << stride_shift;
        for (int i = 0; i < n; i += len) {
            for (int k = 0; k < half; k++) {
                double wr = twd_re[k * step], wi = inverse ? -twd_im[k * step] : twd_im[k * step];
                cpxd *a = &x[i + k], *b = &x[i + k + half];
                double tr = b->re * wr - b->im * wi, ti = b->re * wi + b->im * wr;
                b->re = a->re - tr;
                b->im = a->im - ti;
                a->re += tr;
                a->im += ti;
            }
        }
    }
}

/* cos(2 pi k / NMAX) in Q30 for any integer k */
static int32_t cos_q30(uint32_t k) { return tw_re[k & (NMAX - 1)]; }

/* ---------- signals ---------- */

#define SIG_LEN (1 << 15)
#define FRAME 512
#define HOP 256

#define SEG_LEN (FRAME * 4)
static int32_t signal_[SIG_LEN];
static int segment_bin[SIG_LEN / SEG_LEN];

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

/* a piecewise-constant dominant tone at FFT bin centres, a quieter linear chirp and noise */
static void make_signal(uint32_t seed)
{
    uint32_t st = seed;
    for (int sgi = 0; sgi < SIG_LEN / SEG_LEN; sgi++) {
        int bin = 8 + (int)(lcg(&st) >> 16) % 200;
        segment_bin[sgi] = bin;
        for (int n = sgi * SEG_LEN; n < (sgi + 1) * SEG_LEN; n++) {
            /* tone at bin/FRAME cycles per sample: table index n * bin * NMAX / FRAME */
            int64_t tone = (int64_t)cos_q30((uint32_t)(n * bin) * (NMAX / FRAME)) * 9000;
            uint32_t ph = (uint32_t)((uint64_t)n * (uint64_t)n * 3u / 64u);
            int64_t chirp = (int64_t)cos_q30(ph) * 1500;
            int32_t noise = (int32_t)(lcg(&st) >> 20) - 2048;
            signal_[n] = (int32_t)((tone + chirp) >> 30) + noise;
        }
    }
}

static int32_t hann[FRAME];

static uint64_t spectrogram(uint64_t h)
{
    static cpx32 buf[FRAME];
    static cpxd ref[FRAME];
    int nframes = (SIG_LEN - FRAME) / HOP + 1;
    for (int f = 0; f < nframes; f++) {
        const int32_t *x = signal_ + f * HOP;
        for (int i = 0; i < FRAME; i++) {
            buf[i].re = (int32_t)(((int64_t)x[i] * hann[i]) >> 14);
            buf[i].im = 0;
        }
        int check = (f % 16) == 0;
        if (check)
            for (int i = 0; i < FRAME; i++) {
                ref[i].re = (double)buf[i].re;
                ref[i].im = 0.0;
            }
        int e = fft_fixed(buf, FRAME, 0);
        /* power spectrum and peak over the positive half */
        int best = 1;
        int64_t bestp = -1;
        for (int k = 1; k < FRAME / 2; k++) {
            int64_t p = (int64_t)buf[k].re * buf[k].re + (int64_t)buf[k].im * buf[k].im;
            if (p > bestp) {
                bestp = p;
                best = k;
            }
        }
        /* frames fully inside one tone segment have a known peak */
        int seg_first = (f * HOP) / SEG_LEN, seg_last = (f * HOP + FRAME - 1) / SEG_LEN;
        if (seg_first == seg_last && best != segment_bin[seg_first])
            failures++;
        h = mix64(h, (uint64_t)best);
        h = mix64(h, (uint64_t)e);
        h = mix64(h, (uint64_t)bestp);
        if (check) {
            fft_double(ref, FRAME, 0);
            double err = 0.0, sig = 0.0, scale = (double)(1 << e);
            for (int i = 0; i < FRAME; i++) {
                double dr = buf[i].re * scale - ref[i].re, di = buf[i].im * scale - ref[i].im;
                err += dr * dr + di * di;
                sig += ref[i].re * ref[i].re + ref[i].im * ref[i].im;
            }
            if (err > sig * 1e-8)
                failures++;
        }
    }
    return h;
}

/* ---------- fast convolution ---------- */

#define NTAPS 129
#define BLOCK (1024 - NTAPS + 1)
#define CONV_N 1024

static int32_t taps[NTAPS];
static cpx32 taps_f[CONV_N];
static int taps_e;

static void make_filter(int cutoff_bins)
{
    /* windowed low-pass: sum of cosines up to the cutoff, times a Hann window */
    for (int t = 0; t < NTAPS; t++) {
        int m = t - NTAPS / 2;
        int64_t acc = 1 << 30;
        for (int k = 1; k <= cutoff_bins; k++)
            acc += 2 * (int64_t)cos_q30((uint32_t)(m * k) * (NMAX / 256));
        int64_t w = ((int64_t)1 << 30) - cos_q30((uint32_t)t * NMAX / (NTAPS - 1));
        taps[t] = (int32_t)(((acc >> 16) * (w >> 16)) >> 19);
    }
    for (int i = 0; i < CONV_N; i++) {
        taps_f[i].re = i < NTAPS ? taps[i] : 0;
        taps_f[i].im = 0;
    }
    taps_e = fft_fixed(taps_f, CONV_N, 0);
}

static uint64_t fast_convolve(const int32_t *in, int len, int64_t *out, uint64_t h)
{
    static cpx32 buf[CONV_N];
    static int64_t prod[2 * CONV_N];
    static int64_t acc[SIG_LEN + CONV_N];
    memset(acc, 0, sizeof(int64_t) * (size_t)(len + CONV_N));
    for (int start = 0; start < len; start += BLOCK) {
        int n = len - start < BLOCK ? len - start : BLOCK;
        for (int i = 0; i < CONV_N; i++) {
            buf[i].re = i < n ? in[start + i] * 256 : 0;
            buf[i].im = 0;
        }
        int e = fft_fixed(buf, CONV_N, 0);
        /* spectral product, renormalised so that the inverse transform starts below 2^28 */
        int64_t peak = 0;
        for (int i = 0; i < CONV_N; i++) {
            int64_t ar = buf[i].re, ai = buf[i].im, br = taps_f[i].re, bi = taps_f[i].im;
            int64_t pr = ar * br - ai * bi, pi = ar * bi + ai * br;
            prod[2 * i] = pr;
            prod[2 * i + 1] = pi;
            if (pr < 0) pr = -pr;
            if (pi < 0) pi = -pi;
            if (pr > peak) peak = pr;
            if (pi > peak) peak = pi;
        }
        int s = 0;
        while ((peak >> s) >= (1 << 27))
            s++;
        for (int i = 0; i < CONV_N; i++) {
            int64_t half = s ? (int64_t)1 << (s - 1) : 0;
            buf[i].re = (int32_t)((prod[2 * i] + half) >> s);
            buf[i].im = (int32_t)((prod[2 * i + 1] + half) >> s);
        }
        int e2 = fft_fixed(buf, CONV_N, 1);
        /* result = buf * 2^(e + taps_e + s + e2) / CONV_N / 2^8 */
        int shift = e + taps_e + s + e2 - 10 - 8;
        for (int i = 0; i < CONV_N && start + i < len + NTAPS - 1; i++) {
            int64_t v = buf[i].re;
            acc[start + i] += shift >= 0 ? v * ((int64_t)1 << shift) : (v + ((int64_t)1 << (-shift - 1))) >> -shift;
        }
        h = mix64(h, (uint64_t)(e * 64 + e2));
    }
    for (int i = 0; i < len; i++)
        out[i] = acc[i];
    return h;
}

static uint64_t filter_test(uint64_t h)
{
    static int64_t fast[SIG_LEN];
    int len = SIG_LEN / 4;
    h = fast_convolve(signal_, len, fast, h);
    /* direct convolution over a sample of outputs */
    double err = 0.0, sig = 0.0;
    for (int i = 0; i < len; i += 7) {
        int64_t s = 0;
        for (int t = 0; t < NTAPS && t <= i; t++)
            s += (int64_t)signal_[i - t] * taps[t];
        double exact = (double)s;
        double d = (double)fast[i] - exact;
        err += d * d;
        sig += exact * exact;
        h = mix64(h, (uint64_t)fast[i]);
    }
    if (err > sig * 1e-6)
        failures++;
    return h;
}

/* ---------- FFT round trip ---------- */

static uint64_t round_trip(uint32_t seed, uint64_t h)
{
    static cpx32 x[NMAX], y[NMAX];
    uint32_t st = seed;
    for (int i = 0; i < NMAX; i++) {
        x[i].re = (int32_t)(lcg(&st) >> 12) - (1 << 19);
        x[i].im = (int32_t)(lcg(&st) >> 12) - (1 << 19);
        y[i] = x[i];
    }
    int e1 = fft_fixed(y, NMAX, 0);
    int e2 = fft_fixed(y, NMAX, 1);
    /* y * 2^(e1+e2) / NMAX should equal x */
    int shift = LOG_NMAX - e1 - e2;
    int64_t maxerr = 0;
    for (int i = 0; i < NMAX; i++) {
        int64_t r = shift >= 0 ? (int64_t)y[i].re >> shift : (int64_t)y[i].re * ((int64_t)1 << -shift);
        int64_t d = r - x[i].re;
        if (d < 0)
            d = -d;
        if (d > maxerr)
            maxerr = d;
    }
    if (maxerr > 64)
        failures++;
    h = mix64(h, (uint64_t)maxerr);
    return mix64(h, (uint64_t)(e1 * 16 + e2));
}

/* ---------- DTMF with Goertzel ---------- */

static const int dtmf_row[4] = { 697, 770, 852, 941 };
static const int dtmf_col[4] = { 1209, 1336, 1477, 1633 };
static const char dtmf_keys[17] = "123A456B789C*0#D";
#define FS 8000
#define GN 205

static int32_t goertzel_coeff[8]; /* 2 cos(2 pi f / FS) in Q14 */

/* cos(2 pi f / FS) by linear interpolation in the Q30 table */
static int32_t cos_freq_q30(int f)
{
    uint64_t pos = (uint64_t)f * NMAX * 65536u / FS; /* 16 fractional bits */
    uint32_t k = (uint32_t)(pos >> 16), frac = (uint32_t)(pos & 0xFFFF);
    int64_t a = cos_q30(k), b = cos_q30(k + 1);
    return (int32_t)(a + (((b - a) * frac) >> 16));
}

/* phase-accumulator oscillator: 32-bit phase, top 12 bits index the table */
static void tone_pair(int32_t *out, int n, int f1, int f2, int amp, uint32_t *noise)
{
    uint32_t p1 = 0, p2 = 0;
    uint32_t d1 = (uint32_t)(((uint64_t)f1 << 32) / FS), d2 = (uint32_t)(((uint64_t)f2 << 32) / FS);
    for (int i = 0; i < n; i++) {
        int64_t v = (int64_t)cos_q30(p1 >> (32 - LOG_NMAX)) + cos_q30(p2 >> (32 - LOG_NMAX));
        out[i] = (int32_t)((v * amp) >> 30) + (int32_t)(lcg(noise) >> 23) - 256;
        p1 += d1;
        p2 += d2;
    }
}

static int64_t goertzel_power(const int32_t *x, int n, int32_t coeff)
{
    int64_t s1 = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        int64_t s = x[i] + ((coeff * s1) >> 14) - s2;
        s2 = s1;
        s1 = s;
    }
    return s1 * s1 + s2 * s2 - ((coeff * s1) >> 14) * s2;
}

static uint64_t dtmf_test(uint32_t seed, uint64_t h)
{
    static int32_t burst[GN];
    uint32_t st = seed, noise = seed ^ 0x5555;
    for (int d = 0; d < 64; d++) {
        int key = (int)(lcg(&st) >> 28);
        int amp = 2000 + (int)(lcg(&st) >> 21);
        tone_pair(burst, GN, dtmf_row[key >> 2], dtmf_col[key & 3], amp, &noise);
        int64_t p[8];
        for (int k = 0; k < 8; k++)
            p[k] = goertzel_power(burst, GN, goertzel_coeff[k]);
        int r = 0, c = 4;
        for (int k = 1; k < 4; k++)
            if (p[k] > p[r])
                r = k;
        for (int k = 5; k < 8; k++)
            if (p[k] > p[c])
                c = k;
        char got = dtmf_keys[r * 4 + (c - 4)];
        if (got != dtmf_keys[key])
            failures++;
        h = mix64(h, (uint64_t)(unsigned char)got);
        h = mix64(h, (uint64_t)(p[r] >> 20));
    }
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 300);
    make_twiddles();
    for (int i = 0; i < FRAME; i++)
        hann[i] = (int32_t)((((int64_t)1 << 30) - cos_q30((uint32_t)i * (NMAX / FRAME))) >> 17); /* Q14 */
    for (int k = 0; k < 4; k++) {
        goertzel_coeff[k] = cos_freq_q30(dtmf_row[k]) >> 15;
        goertzel_coeff[k + 4] = cos_freq_q30(dtmf_col[k]) >> 15;
    }
    /* twiddle sanity: |w|^2 = 1 and quarter-turn symmetry */
    for (int k = 0; k < NMAX; k++) {
        double m = twd_re[k] * twd_re[k] + twd_im[k] * twd_im[k];
        if (m < 1.0 - 1e-12 || m > 1.0 + 1e-12)
            failures++;
        int q = (k + NMAX / 4) & (NMAX - 1);
        int32_t d = tw_re[q] - tw_im[k];
        if (d < -1 || d > 1)
            failures++;
    }

    double t0 = bench_now();
    uint64_t h = 0x510E527FADE682D1ULL;
    for (int round = 0; round < scale; round++) {
        make_signal(0x1234567u + (uint32_t)round * 77u);
        h = spectrogram(h);
        make_filter(10 + round % 20);
        h = filter_test(h);
        h = round_trip(0xABCDEFu + (uint32_t)round, h);
        h = dtmf_test(0x9876u + (uint32_t)round * 13u, h);
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
