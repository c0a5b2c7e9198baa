/* reed_solomon — Reed-Solomon RS(255,223) error correction over GF(2^8).
 *
 * Log/antilog tables for GF(256) with polynomial 0x11d; systematic encoding by polynomial division
 * with the generator prod (x - a^i), i = 0..31; decoding by syndromes (Horner), Berlekamp-Massey
 * for the error locator, Chien search for the error positions and Forney's formula for the
 * magnitudes, followed by a syndrome re-check. Messages of varied length (shortened codes) get
 * between 0 and 19 random byte errors; more than 16 must be detected or, rarely, mis-corrected. */
#include "../programs/bench.h"

#define NSYM 32
#define NMAX 255

static uint8_t gexp[512], glog[256];

static void gf_init(void)
{
    unsigned x = 1;
    for (int i = 0; i < 255; i++) {
        gexp[i] = (uint8_t)x;
        glog[x] = (uint8_t)i;
        x <<= 1;
        if (x & 0x100) x ^= 0x11d;
    }
    for (int i = 255; i < 512; i++) gexp[i] = gexp[i - 255];
    glog[0] = 0;
}

static inline uint8_t gmul(uint8_t a, uint8_t b) { return a && b ? gexp[glog[a] + glog[b]] : 0; }
static inline uint8_t gdiv(uint8_t a, uint8_t b) { return a ? gexp[glog[a] + 255 - glog[b]] : 0; }
static inline uint8_t gpow_a(int e) { e %= 255; if (e < 0) e += 255; return gexp[e]; }

static uint8_t genpoly[NSYM + 1]; /* genpoly[0] = 1 is the leading (x^NSYM) coefficient */

static void make_generator(void)
{
    uint8_t g[NSYM + 1] = { 1 };
    int len = 1;
    for (int i = 0; i < NSYM; i++) {
        /* g = g * (x + a^i), coefficients highest first */
        uint8_t r = gexp[i];
        g[len] = 0;
        for (int j = len; j > 0; j--) g[j] ^= gmul(g[j - 1], r);
        len++;
    }
    memcpy(genpoly, g, sizeof g);
}

/* codeword = msg || parity; cw[0] is the highest-degree coefficient */
static void rs_encode(const uint8_t *msg, int k, uint8_t *cw)
{
    uint8_t rem[NSYM] = { 0 };
    for (int i = 0; i < k; i++) {
        uint8_t f = msg[i] ^ rem[0];
        memmove(rem, rem + 1, NSYM - 1);
        rem[NSYM - 1] = 0;
        if (f) {
            uint8_t lf = glog[f];
            for (int j = 0; j < NSYM; j++)
                if (genpoly[j + 1]) rem[j] ^= gexp[lf + glog[genpoly[j + 1]]];
        }
    }
    memcpy(cw, msg, (size_t)k);
    memcpy(cw + k, rem, NSYM);
}

static int syndromes(const uint8_t *cw, int n, uint8_t *S)
{
    int nonzero = 0;
    for (int j = 0; j < NSYM; j++) {
        uint8_t s = 0;
        if (j == 0) {
            for (int i = 0; i < n; i++) s ^= cw[i];
        } else {
            for (int i = 0; i < n; i++) s = (uint8_t)((s ? gexp[glog[s] + j] : 0) ^ cw[i]);
        }
        S[j] = s;
        nonzero |= s;
    }
    return nonzero != 0;
}

/* returns number of corrected symbols, or -1 if uncorrectable */
static int rs_decode(uint8_t *cw, int n)
{
    uint8_t S[NSYM];
    if (!syndromes(cw, n, S)) return 0;
    /* Berlekamp-Massey; polynomials low-degree first */
    uint8_t C[NSYM + 1] = { 1 }, B[NSYM + 1] = { 1 }, T[NSYM + 1];
    int L = 0, m = 1;
    uint8_t b = 1;
    for (int r = 0; r < NSYM; r++) {
        uint8_t d = S[r];
        for (int i = 1; i <= L; i++) d ^= gmul(C[i], S[r - i]);
        if (d == 0) { m++; continue; }
        uint8_t coef = gdiv(d, b);
        if (2 * L <= r) {
            memcpy(T, C, sizeof C);
            for (int i = 0; i + m <= NSYM; i++) C[i + m] ^= gmul(coef, B[i]);
            L = r + 1 - L;
            memcpy(B, T, sizeof B);
            b = d;
            m = 1;
        } else {
            for (int i = 0; i + m <= NSYM; i++) C[i + m] ^= gmul(coef, B[i]);
            m++;
        }
    }
    if (L > NSYM / 2) return -1;
    /* Chien search: position p has degree n-1-p; error there iff C(a^-(n-1-p)) == 0 */
    int pos[NSYM], nerr = 0;
    for (int p = 0; p < n; p++) {
        int e = n - 1 - p;
        uint8_t v = 0;
        for (int i = 0; i <= L; i++)
            if (C[i]) v ^= gexp[(glog[C[i]] + (255 - e) * i % 255) % 255];
        if (v == 0) {
            if (nerr == NSYM) return -1;
            pos[nerr++] = p;
        }
    }
    if (nerr != L) return -1;
    /* Omega = S(x) * C(x) mod x^NSYM */
    uint8_t Om[NSYM] = { 0 };
    for (int i = 0; i < NSYM; i++)
        for (int j = 0; j <= L && j <= i; j++) Om[i] ^= gmul(S[i - j], C[j]);
    for (int k = 0; k < nerr; k++) {
        int e = n - 1 - pos[k];
        uint8_t X = gpow_a(e), Xinv = gpow_a(-e);
        uint8_t om = 0, xp = 1;
        for (int i = 0; i < NSYM; i++) { om ^= gmul(Om[i], xp); xp = gmul(xp, Xinv); }
        uint8_t dl = 0;
        xp = 1; /* Xinv^(i-1) for odd i */
        for (int i = 1; i <= L; i += 2) {
            dl ^= gmul(C[i], xp);
            xp = gmul(xp, gmul(Xinv, Xinv));
        }
        if (dl == 0) return -1;
        cw[pos[k]] ^= gmul(X, gdiv(om, dl));
    }
    if (syndromes(cw, n, S)) return -1;
    return nerr;
}

#define CW_PER_UNIT 200

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 94);
    gf_init();
    make_generator();
    bench_rng rng = { 0x7265656473736f6cULL };
    uint8_t msg[NMAX], cw[NMAX], orig[NMAX];

    double start = bench_now();
    uint64_t h = 0, corrected = 0, detected = 0, miscorrected = 0, clean = 0;
    long total = (long)scale * CW_PER_UNIT;
    for (long t = 0; t < total; t++) {
        int k = 64 + (int)rng_below(&rng, 223 - 64 + 1);
        for (int i = 0; i < k; i++) msg[i] = (uint8_t)(rng_next(&rng) >> 56);
        rs_encode(msg, k, cw);
        int n = k + NSYM;
        memcpy(orig, cw, (size_t)n);
        int nerr = (int)rng_below(&rng, 20);
        /* distinct positions */
        int placed = 0;
        while (placed < nerr) {
            int p = (int)rng_below(&rng, (uint32_t)n);
            if (cw[p] != orig[p]) continue;
            cw[p] ^= (uint8_t)(1 + rng_below(&rng, 255));
            placed++;
        }
        int r = rs_decode(cw, n);
        if (nerr <= NSYM / 2) {
            if (r != nerr || memcmp(cw, orig, (size_t)n) != 0) {
                fprintf(stderr, "failed to correct %d errors (codeword %ld)\n", nerr, t);
                return 1;
            }
            if (nerr) corrected++; else clean++;
        } else if (r < 0) {
            detected++;
        } else {
            miscorrected++;
        }
        h = mix64(h, (uint64_t)(r + 1) << 16 | (uint64_t)n);
        h = mix64(h, (uint64_t)cw[n - 1] << 8 | cw[k / 2]);
    }
    bench_report(start);
    printf("reed_solomon codewords=%ld corrected=%llu clean=%llu detected=%llu miscorrected=%llu checksum=%016llx\n",
           total, (unsigned long long)corrected, (unsigned long long)clean, (unsigned long long)detected,
           (unsigned long long)miscorrected, (unsigned long long)h);
    return 0;
}
