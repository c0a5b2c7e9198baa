/* audio_fixed — a fixed-point audio chain on int16 stereo: DC blocker, a cascade of Q29 biquad
 * equaliser sections, a feed-forward compressor with a peak envelope follower, a 48 kHz -> 44.1 kHz
 * polyphase FIR resampler, mid/side widening and dithered saturation to int16, plus meters.
 *
 * A synthesised test signal (table oscillators, saw waves, noise bursts, envelopes) and all filter
 * coefficients (RBJ cookbook biquads, Blackman-windowed sinc, via a hand-written sine and only
 * + - * / and sqrt) are prepared before the timer starts. Each round processes the whole buffer. */
#include "../programs/bench.h"

#include <math.h>

#define RATE_IN 48000
#define NFRAMES (RATE_IN * 2)
#define NSECT 4
#define UP 147
#define DOWN 160
#define TAPS 24  /* per phase */
#define SINE_LEN 1024
#define Q29_ONE 536870912.0

static const double PI = 3.14159265358979323846;

/* sin(x) for any x: reduce to [-pi, pi], then to [-pi/2, pi/2], then a Taylor series. */
static double my_sin(double x)
{
    while (x > PI) x -= 2 * PI;
    while (x < -PI) x += 2 * PI;
    if (x > PI / 2) x = PI - x;
    if (x < -PI / 2) x = -PI - x;
    double x2 = x * x, term = x, sum = x;
    for (int k = 1; k < 14; k++) {
        term = -term * x2 / (double)((2 * k) * (2 * k + 1));
        sum += term;
    }
    return sum;
}
static double my_cos(double x) { return my_sin(x + PI / 2); }

static inline int16_t sat16(int32_t v) { return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v); }
static inline int32_t round_shift(int64_t v, int s) { return (int32_t)((v + ((int64_t)1 << (s - 1))) >> s); }

typedef struct {
    int32_t b0, b1, b2, a1, a2; /* Q29: low-frequency sections need the precision */
} biquad_coef;

typedef struct {
    int32_t x1, x2, y1, y2;
} biquad_state;

/* RBJ peaking EQ (gain given as linear amplitude A = 10^(dB/40), supplied directly). */
static biquad_coef peaking(double f0, double q, double A)
{
    double w0 = 2 * PI * f0 / RATE_IN, alpha = my_sin(w0) / (2 * q), c = my_cos(w0);
    double a0 = 1 + alpha / A;
    biquad_coef k;
    k.b0 = (int32_t)((1 + alpha * A) / a0 * Q29_ONE + 0.5);
    k.b1 = -(int32_t)(2 * c / a0 * Q29_ONE + 0.5);
    k.b2 = (int32_t)((1 - alpha * A) / a0 * Q29_ONE + 0.5);
    k.a1 = -(int32_t)(2 * c / a0 * Q29_ONE + 0.5);
    k.a2 = (int32_t)((1 - alpha / A) / a0 * Q29_ONE + 0.5);
    return k;
}

/* RBJ low-pass / high-pass. */
static biquad_coef pass(double f0, double q, int high)
{
    double w0 = 2 * PI * f0 / RATE_IN, alpha = my_sin(w0) / (2 * q), c = my_cos(w0);
    double a0 = 1 + alpha;
    double b1 = high ? -(1 + c) : 1 - c;
    double b0 = (high ? 1 + c : 1 - c) / 2;
    biquad_coef k;
    k.b0 = (int32_t)(b0 / a0 * Q29_ONE + 0.5);
    k.b1 = (int32_t)(b1 / a0 * Q29_ONE + (b1 < 0 ? -0.5 : 0.5));
    k.b2 = k.b0;
    k.a1 = -(int32_t)(2 * c / a0 * Q29_ONE + 0.5);
    k.a2 = (int32_t)((1 - alpha) / a0 * Q29_ONE + 0.5);
    return k;
}

static inline int32_t biquad_run(const biquad_coef *k, biquad_state *s, int32_t x)
{
    int64_t acc = (int64_t)k->b0 * x + (int64_t)k->b1 * s->x1 + (int64_t)k->b2 * s->x2 -
                  (int64_t)k->a1 * s->y1 - (int64_t)k->a2 * s->y2;
    int32_t y = round_shift(acc, 29);
    if (y > 1 << 20) y = 1 << 20;
    if (y < -(1 << 20)) y = -(1 << 20);
    s->x2 = s->x1;
    s->x1 = x;
    s->y2 = s->y1;
    s->y1 = y;
    return y;
}

typedef struct {
    biquad_coef eq[NSECT];
    int16_t fir[UP][TAPS];   /* Q15 polyphase bank */
    uint16_t gain_lut[256];  /* compressor gain in Q15 indexed by envelope >> 7 */
} dsp_setup;

static void make_setup(dsp_setup *d)
{
    d->eq[0] = pass(30.0, 0.707, 1);         /* rumble filter */
    d->eq[1] = peaking(250.0, 1.2, 0.8414);   /* about -3 dB */
    d->eq[2] = peaking(3200.0, 0.9, 1.1885);  /* about +3 dB */
    d->eq[3] = pass(16000.0, 0.707, 0);       /* anti-alias before resampling */
    /* Windowed sinc, cutoff at the output Nyquist, split into UP phases. */
    int total = UP * TAPS;
    double fc = 0.5 / DOWN;  /* relative to the upsampled rate */
    for (int p = 0; p < UP; p++) {
        double sum = 0;
        double h[TAPS];
        for (int t = 0; t < TAPS; t++) {
            int n = t * UP + p;
            double m = n - (total - 1) / 2.0;
            double x = 2 * PI * fc * m;
            double sinc = m == 0 ? 2 * fc : my_sin(x) / (PI * m);
            double win = 0.42 - 0.5 * my_cos(2 * PI * n / (total - 1)) + 0.08 * my_cos(4 * PI * n / (total - 1));
            h[t] = sinc * win * UP;
            sum += h[t];
        }
        /* normalise each phase to unity DC gain */
        for (int t = 0; t < TAPS; t++) {
            double v = h[t] / sum * 32768.0;
            int iv = (int)(v < 0 ? v - 0.5 : v + 0.5);
            d->fir[p][t] = (int16_t)(iv > 32767 ? 32767 : iv < -32768 ? -32768 : iv);
        }
    }
    /* Compressor: threshold at 1/4 full scale, ratio 4:1 in the linear domain (a simple curve
     * rather than a log-domain one). */
    for (int i = 0; i < 256; i++) {
        double env = (i + 0.5) / 256.0, thr = 0.25;
        double g = env <= thr ? 1.0 : (thr + (env - thr) / 4.0) / env;
        d->gain_lut[i] = (uint16_t)(g * 32767.0 + 0.5);
    }
}

typedef struct {
    int16_t peak[2];
    int64_t energy[2];
    long clipped, zero_cross;
} meters;

/* Processes one buffer; returns the number of output frames. */
static int process(const dsp_setup *d, const int16_t *in, int nframes, int16_t *tmp, int16_t *out, uint32_t *dither,
                   meters *mt)
{
    /* Stage 1: DC blocker + EQ + compressor, per channel, into tmp. */
    for (int ch = 0; ch < 2; ch++) {
        biquad_state st[NSECT];
        memset(st, 0, sizeof st);
        int32_t dc_x = 0, dc_y = 0;  /* y in Q8 */
        int32_t env = 0;             /* Q15 */
        for (int i = 0; i < nframes; i++) {
            int32_t x = in[2 * i + ch];
            /* y[n] = x[n] - x[n-1] + 0.995 y[n-1] */
            dc_y = (x - dc_x) * 256 + (int32_t)(((int64_t)dc_y * 32604) >> 15);
            dc_x = x;
            int32_t v = dc_y / 256;
            for (int s = 0; s < NSECT; s++) v = biquad_run(&d->eq[s], &st[s], v);
            int32_t mag = v < 0 ? -v : v;
            if (mag > 32767) mag = 32767;
            /* fast attack, slow release */
            if (mag > env) env += (mag - env) / 8;
            else env -= (env - mag) / 2048;
            uint32_t g = d->gain_lut[env >> 7];
            v = (int32_t)(((int64_t)v * g * 5 / 4) >> 15); /* make-up gain 1.25 */
            tmp[2 * i + ch] = sat16(v);
        }
    }
    /* Stage 2: polyphase resampling 48000 -> 44100 (x147 / 160) with mid/side widening. */
    int o = 0;
    uint64_t pos = 0;  /* position in the upsampled stream */
    int16_t prev_l = 0;
    for (;;) {
        uint64_t base = pos / UP;
        int phase = (int)(pos % UP);
        if (base + TAPS > (uint64_t)nframes) break;
        int64_t accl = 0, accr = 0;
        const int16_t *h = d->fir[phase];
        const int16_t *x = tmp + 2 * base;
        for (int t = 0; t < TAPS; t++) {
            accl += (int32_t)h[t] * x[2 * (TAPS - 1 - t)];
            accr += (int32_t)h[t] * x[2 * (TAPS - 1 - t) + 1];
        }
        int32_t l = round_shift(accl, 15), r = round_shift(accr, 15);
        int32_t mid = (l + r) / 2, side = (l - r) / 2;
        side = side * 5 / 4;
        l = mid + side;
        r = mid - side;
        /* triangular dither from a 32-bit LCG, about one LSB */
        *dither = *dither * 1664525u + 1013904223u;
        int32_t dth = (int32_t)(*dither >> 31) - (int32_t)((*dither >> 30) & 1);
        l += dth;
        r += dth;
        if (l > 32767 || l < -32768) mt->clipped++;
        if (r > 32767 || r < -32768) mt->clipped++;
        int16_t ol = sat16(l), orr = sat16(r);
        out[2 * o] = ol;
        out[2 * o + 1] = orr;
        int16_t al = ol < 0 ? (int16_t)(ol == -32768 ? 32767 : -ol) : ol;
        int16_t ar = orr < 0 ? (int16_t)(orr == -32768 ? 32767 : -orr) : orr;
        if (al > mt->peak[0]) mt->peak[0] = al;
        if (ar > mt->peak[1]) mt->peak[1] = ar;
        mt->energy[0] += (int32_t)ol * ol;
        mt->energy[1] += (int32_t)orr * orr;
        if ((prev_l < 0) != (ol < 0)) mt->zero_cross++;
        prev_l = ol;
        o++;
        pos += DOWN;
    }
    return o;
}

static void synthesise(int16_t *buf, int nframes, bench_rng *rng)
{
    int16_t sine[SINE_LEN];
    for (int i = 0; i < SINE_LEN; i++) sine[i] = (int16_t)(my_sin(2 * PI * i / SINE_LEN) * 12000.0);
    uint32_t ph1 = 0, ph2 = 0, ph3 = 0;
    uint32_t inc1 = (uint32_t)(220.0 / RATE_IN * 4294967296.0);
    uint32_t inc2 = (uint32_t)(331.0 / RATE_IN * 4294967296.0);
    uint32_t inc3 = (uint32_t)(5.5 / RATE_IN * 4294967296.0);  /* slow LFO */
    int burst = 0;
    for (int i = 0; i < nframes; i++) {
        ph1 += inc1;
        ph2 += inc2;
        ph3 += inc3;
        int32_t lfo = sine[ph3 >> 22];                   /* +-12000 */
        int32_t s1 = sine[ph1 >> 22];
        int32_t saw = (int32_t)(ph2 >> 20) - 2048;       /* +-2048 */
        int32_t env = 16384 + lfo;                       /* 4384..28384 */
        int32_t v = (s1 * env) / 32768 + saw * 3;
        if (burst == 0 && rng_below(rng, 4000) == 0) burst = 2000 + (int)rng_below(rng, 6000);
        int32_t noise = 0;
        if (burst > 0) {
            burst--;
            noise = (int32_t)rng_below(rng, 16001) - 8000;
        }
        int32_t l = v + noise + 300, r = v - noise / 2 + (s1 / 4) + 300;  /* a little DC offset */
        buf[2 * i] = sat16(l);
        buf[2 * i + 1] = sat16(r);
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 170);
    bench_rng rng = { 0xA0D10FACE5ULL };
    int16_t *in = malloc((size_t)NFRAMES * 2 * sizeof(int16_t));
    int16_t *tmp = malloc((size_t)NFRAMES * 2 * sizeof(int16_t));
    int16_t *out = malloc((size_t)NFRAMES * 2 * sizeof(int16_t));
    dsp_setup *d = malloc(sizeof *d);
    if (!in || !tmp || !out || !d) return 1;
    synthesise(in, NFRAMES, &rng);
    make_setup(d);

    double start = bench_now();
    uint64_t h = 0;
    uint32_t dither = 12345;
    meters mt;
    memset(&mt, 0, sizeof mt);
    long frames_out = 0;
    for (int round = 0; round < scale; round++) {
        int n = process(d, in, NFRAMES - (round % 7) * 101, tmp, out, &dither, &mt);
        frames_out += n;
        uint64_t fh = 0;
        for (int i = 0; i < 2 * n; i++) fh = fh * 31 + (uint16_t)out[i];
        h = mix64(h, fh);
    }
    bench_report(start);
    printf("audio_fixed frames=%d rounds=%d out_frames=%ld peak=%d/%d energy=%lld/%lld clipped=%ld zc=%ld "
           "checksum=%016llx\n",
           NFRAMES, scale, frames_out, mt.peak[0], mt.peak[1], (long long)mt.energy[0], (long long)mt.energy[1],
           mt.clipped, mt.zero_cross, (unsigned long long)h);
    free(in); free(tmp); free(out); free(d);
    return 0;
}
