/* viterbi_conv.c — convolutional coding with soft-decision Viterbi decoding.
 *
 * Rate-1/2 feed-forward convolutional codes (constraint length 7 with generators 171/133 octal
 * and constraint length 9 with 561/753) terminated by K-1 zero tail bits, optionally punctured to
 * rates 2/3 and 3/4. Frames of random bits are encoded, sent as +-1 symbols through an additive
 * noise channel (approximately Gaussian noise made from sums of twelve uniforms) and quantised
 * to signed 8-bit soft values; punctured positions are re-inserted as erasures. The decoder runs
 * add-compare-select over the trellis with integer correlation metrics, storing one decision bit
 * per state and step in 64-bit words, and traces back from the all-zero state. Checks: noiseless
 * frames must decode exactly; the decoded path, re-encoded, must score exactly the final path
 * metric and never less than the transmitted codeword (maximum-likelihood property); short frames
 * are decoded by exhaustive search over all messages, whose best score must equal the Viterbi
 * metric; and a register-exchange decoder (survivor bit strings copied per state) must return the
 * same bits as the traceback decoder.
 */
// bench-cflags: -O3
#include "../programs/bench.h"

#define MAXK 9
#define MAXSTATES (1 << (MAXK - 1))
#define MAXBITS 2048
#define MAXSTEPS (MAXBITS + MAXK - 1)

typedef struct {
    int k, nstates;
    unsigned g0, g1;
    uint8_t out[2 * MAXSTATES]; /* two output bits for each register value */
} Code;

typedef struct {
    int period;
    uint8_t keep[2][4]; /* keep[j][i]: output j of bit i of the period is sent */
} Puncture;

static const Puncture punct[3] = {
    { 1, { { 1 }, { 1 } } },
    { 2, { { 1, 1 }, { 1, 0 } } },
    { 3, { { 1, 1, 0 }, { 1, 0, 1 } } },
};

static unsigned failures;

static void code_init(Code *c, int k, unsigned g0, unsigned g1)
{
    c->k = k;
    c->nstates = 1 << (k - 1);
    c->g0 = g0;
    c->g1 = g1;
    for (unsigned sr = 0; sr < 2u * (unsigned)c->nstates; sr++)
        c->out[sr] = (uint8_t)(__builtin_parity(sr & g0) << 1 | __builtin_parity(sr & g1));
}

/* Encodes n bits plus the zero tail into 2*(n+k-1) symbols (0/1). */
static int encode(const Code *c, const uint8_t *bits, int n, uint8_t *sym)
{
    unsigned sr = 0, mask = 2u * (unsigned)c->nstates - 1;
    int steps = n + c->k - 1;
    for (int t = 0; t < steps; t++) {
        unsigned b = t < n ? bits[t] : 0;
        sr = ((sr << 1) | b) & mask;
        sym[2 * t] = (uint8_t)(c->out[sr] >> 1);
        sym[2 * t + 1] = (uint8_t)(c->out[sr] & 1);
    }
    return 2 * steps;
}

/* Correlation of soft values with the code symbols (0 sent as +1, 1 as -1). */
static int score(const Code *c, const uint8_t *bits, int n, const int8_t *soft)
{
    static uint8_t sym[2 * MAXSTEPS];
    int m = encode(c, bits, n, sym), s = 0;
    for (int i = 0; i < m; i++)
        s += sym[i] ? -soft[i] : soft[i];
    return s;
}

/* Viterbi decoding with traceback; returns the final metric of state 0. */
static int viterbi(const Code *c, const int8_t *soft, int n, uint8_t *bits, uint64_t *dec)
{
    int pm[MAXSTATES], npm[MAXSTATES];
    int ns = c->nstates, steps = n + c->k - 1, words = (ns + 63) / 64, half = ns / 2;
    const int neg = -(1 << 28);
    for (int s = 0; s < ns; s++)
        pm[s] = neg;
    pm[0] = 0;
    for (int t = 0; t < steps; t++) {
        int r0 = soft[2 * t], r1 = soft[2 * t + 1];
        int bm[4] = { r0 + r1, r0 - r1, -r0 + r1, -r0 - r1 };
        uint64_t *d = dec + (size_t)t * (size_t)words;
        for (int w = 0; w < words; w++)
            d[w] = 0;
        for (int s = 0; s < ns; s++) {
            int p0 = s >> 1, p1 = p0 | half;
            unsigned b = (unsigned)s & 1;
            int m0 = pm[p0] + bm[c->out[((unsigned)p0 << 1) | b]];
            int m1 = pm[p1] + bm[c->out[((unsigned)p1 << 1) | b]];
            if (m1 > m0) {
                npm[s] = m1;
                d[s >> 6] |= 1ULL << (s & 63);
            } else {
                npm[s] = m0;
            }
        }
        memcpy(pm, npm, sizeof(int) * (size_t)ns);
    }
    int state = 0;
    for (int t = steps - 1; t >= 0; t--) {
        const uint64_t *d = dec + (size_t)t * (size_t)words;
        unsigned bit = (unsigned)(d[state >> 6] >> (state & 63)) & 1;
        if (t < n)
            bits[t] = (uint8_t)(state & 1);
        state = (state >> 1) | (int)(bit * (unsigned)half);
    }
    return pm[0];
}

/* Register-exchange decoder: each state keeps its whole survivor as a bit string. */
#define RX_WORDS 4
static void viterbi_rx(const Code *c, const int8_t *soft, int n, uint8_t *bits)
{
    static uint64_t reg[MAXSTATES][RX_WORDS], nreg[MAXSTATES][RX_WORDS];
    int pm[MAXSTATES], npm[MAXSTATES];
    int ns = c->nstates, steps = n + c->k - 1, half = ns / 2;
    for (int s = 0; s < ns; s++) {
        pm[s] = -(1 << 28);
        memset(reg[s], 0, sizeof reg[s]);
    }
    pm[0] = 0;
    for (int t = 0; t < steps; t++) {
        int r0 = soft[2 * t], r1 = soft[2 * t + 1];
        int bm[4] = { r0 + r1, r0 - r1, -r0 + r1, -r0 - r1 };
        for (int s = 0; s < ns; s++) {
            int p0 = s >> 1, p1 = p0 | half, from;
            unsigned b = (unsigned)s & 1;
            int m0 = pm[p0] + bm[c->out[((unsigned)p0 << 1) | b]];
            int m1 = pm[p1] + bm[c->out[((unsigned)p1 << 1) | b]];
            if (m1 > m0) { npm[s] = m1; from = p1; }
            else { npm[s] = m0; from = p0; }
            memcpy(nreg[s], reg[from], sizeof nreg[s]);
            if (b)
                nreg[s][t >> 6] |= 1ULL << (t & 63);
        }
        memcpy(pm, npm, sizeof(int) * (size_t)ns);
        memcpy(reg, nreg, sizeof(reg[0]) * (size_t)ns);
    }
    for (int t = 0; t < n; t++)
        bits[t] = (uint8_t)((reg[0][t >> 6] >> (t & 63)) & 1);
}

static double gauss(bench_rng *r)
{
    double s = 0;
    for (int i = 0; i < 12; i++)
        s += (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
    return s - 6.0;
}

/* Modulates, adds noise, quantises, punctures and de-punctures (erasures become 0). */
static void channel(const uint8_t *sym, int m, const Puncture *p, double sigma, bench_rng *r, int8_t *soft)
{
    for (int i = 0; i < m; i++) {
        int t = i >> 1, j = i & 1;
        if (!p->keep[j][t % p->period]) {
            soft[i] = 0;
            continue;
        }
        double y = (sym[i] ? -1.0 : 1.0);
        if (sigma > 0)
            y += sigma * gauss(r);
        int q = (int)(y * 40.0);
        soft[i] = (int8_t)(q > 127 ? 127 : q < -127 ? -127 : q);
    }
}

/* Exhaustive maximum-likelihood search over all 2^n messages. */
static int brute_force(const Code *c, const int8_t *soft, int n)
{
    uint8_t bits[16];
    int best = -(1 << 30);
    for (unsigned msg = 0; msg < (1u << n); msg++) {
        for (int i = 0; i < n; i++)
            bits[i] = (uint8_t)((msg >> i) & 1);
        int s = score(c, bits, n, soft);
        if (s > best)
            best = s;
    }
    return best;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 28);
    Code codes[2];
    code_init(&codes[0], 7, 0171, 0133);
    code_init(&codes[1], 9, 0561, 0753);
    static const struct { int code, punct; double sigma; } cfg[] = {
        { 0, 0, 0.0 }, { 0, 0, 0.55 }, { 0, 0, 0.8 }, { 0, 1, 0.5 },
        { 0, 2, 0.45 }, { 1, 0, 0.0 }, { 1, 0, 0.7 }, { 1, 2, 0.5 },
    };
    const int ncfg = (int)(sizeof cfg / sizeof cfg[0]);
    uint64_t *dec = malloc(sizeof(uint64_t) * (size_t)MAXSTEPS * (MAXSTATES / 64));
    static uint8_t msg[MAXBITS], out[MAXBITS], out2[MAXBITS], sym[2 * MAXSTEPS];
    static int8_t soft[2 * MAXSTEPS];
    bench_rng rng = { 0xC0DEC0DE12345ULL };
    uint64_t h = 0, errors_total = 0;
    unsigned frames = 0;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        for (int ci = 0; ci < ncfg; ci++) {
            const Code *c = &codes[cfg[ci].code];
            for (int f = 0; f < 3; f++) {
                int n = 1024 + (int)rng_below(&rng, MAXBITS - 1024);
                for (int i = 0; i < n; i++)
                    msg[i] = (uint8_t)(rng_next(&rng) >> 63);
                int m = encode(c, msg, n, sym);
                channel(sym, m, &punct[cfg[ci].punct], cfg[ci].sigma, &rng, soft);
                int metric = viterbi(c, soft, n, out, dec);
                int errs = 0;
                for (int i = 0; i < n; i++)
                    errs += out[i] != msg[i];
                if (cfg[ci].sigma == 0 && errs) failures++;
                if (score(c, out, n, soft) != metric) failures++;
                if (metric < score(c, msg, n, soft)) failures++;
                errors_total += (uint64_t)errs;
                h = mix64(h, (uint64_t)(unsigned)metric << 16 | (unsigned)errs);
                frames++;
            }
        }
        /* exhaustive ML check on short frames */
        for (int f = 0; f < 4; f++) {
            const Code *c = &codes[f & 1];
            int n = 8 + (int)rng_below(&rng, 3);
            for (int i = 0; i < n; i++)
                msg[i] = (uint8_t)(rng_next(&rng) >> 63);
            int m = encode(c, msg, n, sym);
            channel(sym, m, &punct[f % 3], 1.1, &rng, soft);
            int metric = viterbi(c, soft, n, out, dec);
            if (brute_force(c, soft, n) != metric) failures++;
            h = mix64(h, (uint64_t)(unsigned)metric);
        }
        /* register exchange against traceback */
        for (int f = 0; f < 2; f++) {
            const Code *c = &codes[f];
            int n = RX_WORDS * 64 - c->k + 1 - (int)rng_below(&rng, 50);
            for (int i = 0; i < n; i++)
                msg[i] = (uint8_t)(rng_next(&rng) >> 63);
            int m = encode(c, msg, n, sym);
            channel(sym, m, &punct[0], 0.9, &rng, soft);
            viterbi(c, soft, n, out, dec);
            viterbi_rx(c, soft, n, out2);
            if (memcmp(out, out2, (size_t)n) != 0) failures++;
            for (int i = 0; i < n; i++)
                h = mix64(h, out2[i]);
        }
    }
    bench_report(t0);
    free(dec);
    printf("viterbi_conv: frames=%u bit_errors=%llu hash=%016llx failures=%u\n", frames,
           (unsigned long long)errors_total, (unsigned long long)h, failures);
    return failures != 0;
}
