/* rsa_mont.c — RSA key generation, encryption and CRT decryption on multi-limb integers.
 *
 * Numbers are little-endian arrays of 32-bit limbs handled by plain C routines (compare, add,
 * subtract, schoolbook multiply, division by a single limb). Modular arithmetic uses Montgomery
 * multiplication (word-by-word CIOS with the negated inverse of the modulus' low limb from Newton
 * iteration, R mod m and R^2 mod m from repeated doubling) and fixed 4-bit-window exponentiation.
 * Each round generates a 1024-bit key: two 512-bit primes found by an incremental search with
 * residues for 300 small primes kept up to date as the candidate steps, then Miller-Rabin with
 * eight bases; e = 65537, and d, d mod (p-1), d mod (q-1) found as (1 + k m) / e with k from a
 * small inverse modulo e; q^-1 mod p by Fermat. Random messages are encrypted, decrypted with d
 * and again by the Chinese remainder theorem, and signed and verified. Checks: both decryptions
 * return the message, signatures verify, e d = 1 mod phi and q q^-1 = 1 mod p by a slow
 * shift-and-subtract reduction, the first encryption of every round is recomputed by
 * square-and-multiply with schoolbook products and shift-and-subtract reduction, the modulus
 * must fail Miller-Rabin, and known primes and composites are classified correctly.
 */
#include "../programs/bench.h"

#define PL 16         /* limbs per prime */
#define NL (2 * PL)   /* limbs of the modulus */
#define MAXL (NL + 2)
#define E_PUB 65537u

typedef uint32_t limb;
static unsigned failures;

#include "rsa_mont/bignum.h"
#include "rsa_mont/montgomery.h"

static const uint32_t mr_bases[8] = { 2, 3, 5, 7, 11, 13, 17, 19 };

static int miller_rabin(const limb *p, int n)
{
    Mont ctx;
    limb d[MAXL], minus1[MAXL], x[MAXL], a[MAXL];
    mont_init(&ctx, p, n);
    memcpy(d, p, sizeof(limb) * (size_t)n);
    d[0] &= ~1u; /* p is odd */
    int s = 0;
    while (!(d[0] & 1)) {
        bn_div_small(d, n, 2);
        s++;
    }
    bn_sub(minus1, p, ctx.one, n); /* -1 in Montgomery form */
    for (int b = 0; b < 8; b++) {
        memset(a, 0, sizeof(limb) * (size_t)n);
        a[0] = mr_bases[b];
        mont_pow(x, a, d, n, &ctx);
        mont_mul(x, x, ctx.r2, &ctx); /* back into Montgomery form */
        if (bn_cmp(x, ctx.one, n) == 0 || bn_cmp(x, minus1, n) == 0)
            continue;
        int ok = 0;
        for (int i = 1; i < s && !ok; i++) {
            mont_mul(x, x, x, &ctx);
            ok = bn_cmp(x, minus1, n) == 0;
        }
        if (!ok)
            return 0;
    }
    return 1;
}

#define NSMALL 300
static uint32_t small_primes[NSMALL];

static void gen_prime(limb *p, bench_rng *rng)
{
    uint32_t res[NSMALL];
    for (int i = 0; i < PL; i++)
        p[i] = (limb)(rng_next(rng) >> 32);
    p[PL - 1] |= 0xC0000000u;
    p[0] |= 1;
    for (int i = 0; i < NSMALL; i++)
        res[i] = bn_mod_small(p, PL, small_primes[i]);
    for (int step = 0;; step++) {
        if (step == 1 << 16) { /* far beyond any prime gap here: the primality test is broken */
            failures++;
            return;
        }
        int ok = 1;
        for (int i = 0; i < NSMALL && ok; i++)
            ok = res[i] != 0;
        if (ok && bn_mod_small(p, PL, E_PUB) != 1 && miller_rabin(p, PL))
            return;
        limb two[PL] = { 2 };
        bn_add(p, p, two, PL);
        for (int i = 0; i < NSMALL; i++) {
            res[i] += 2;
            if (res[i] >= small_primes[i])
                res[i] -= small_primes[i];
        }
    }
}

static uint32_t inv_mod_small(uint32_t a, uint32_t m) /* m prime */
{
    uint64_t r = 1, b = a % m;
    for (uint32_t e = m - 2; e; e >>= 1, b = b * b % m)
        if (e & 1)
            r = r * b % m;
    return (uint32_t)r;
}

/* d = e^-1 mod m as (1 + k m) / e; m has n limbs, d gets n limbs */
static void inv_e(limb *d, const limb *m, int n)
{
    uint32_t k = (E_PUB - inv_mod_small(bn_mod_small(m, n, E_PUB), E_PUB)) % E_PUB;
    limb t[MAXL + 1];
    memcpy(t, m, sizeof(limb) * (size_t)n);
    t[n] = bn_mul_small(t, n, k, 1);
    if (bn_div_small(t, n + 1, E_PUB) != 0)
        failures++;
    memcpy(d, t, sizeof(limb) * (size_t)n);
}

typedef struct {
    limb n[NL], d[NL], p[PL], q[PL], dp[PL], dq[PL], qinv[PL];
    Mont mn, mp, mq;
} Key;

static void keygen(Key *k, bench_rng *rng)
{
    limb pm1[PL], qm1[PL], phi[NL], one[PL] = { 1 }, t[NL + 1], u[NL];
    gen_prime(k->p, rng);
    do
        gen_prime(k->q, rng);
    while (bn_cmp(k->p, k->q, PL) == 0);
    bn_mul(k->n, k->p, PL, k->q, PL);
    bn_sub(pm1, k->p, one, PL);
    bn_sub(qm1, k->q, one, PL);
    bn_mul(phi, pm1, PL, qm1, PL);
    inv_e(k->d, phi, NL);
    inv_e(k->dp, pm1, PL);
    inv_e(k->dq, qm1, PL);
    mont_init(&k->mn, k->n, NL);
    mont_init(&k->mp, k->p, PL);
    mont_init(&k->mq, k->q, PL);
    limb pm2[PL], qr[PL];
    limb two[PL] = { 2 };
    bn_sub(pm2, k->p, two, PL);
    mont_reduce_wide(qr, k->q, PL, &k->mp);
    mont_pow(k->qinv, qr, pm2, PL, &k->mp);
    /* checks: e d = 1 mod phi, q qinv = 1 mod p */
    memcpy(t, k->d, sizeof(limb) * NL);
    t[NL] = bn_mul_small(t, NL, E_PUB, 0);
    mod_slow(u, t, NL + 1, phi, NL);
    if (u[0] != 1 || !bn_is_zero(u + 1, NL - 1)) failures++;
    bn_mul(u, k->q, PL, k->qinv, PL);
    mod_slow(t, u, NL, k->p, PL);
    if (t[0] != 1 || !bn_is_zero(t + 1, PL - 1)) failures++;
    if (miller_rabin(k->n, NL)) failures++;
}

static void decrypt_crt(limb *m, const limb *c, const Key *k)
{
    limb cp[PL], cq[PL], m1[PL], m2[PL], h[PL], hq[NL];
    mont_reduce_wide(cp, c, NL, &k->mp);
    mont_reduce_wide(cq, c, NL, &k->mq);
    mont_pow(m1, cp, k->dp, PL, &k->mp);
    mont_pow(m2, cq, k->dq, PL, &k->mq);
    limb m2p[PL];
    memcpy(m2p, m2, sizeof m2p);
    while (bn_cmp(m2p, k->p, PL) >= 0)
        bn_sub(m2p, m2p, k->p, PL);
    if (bn_sub(h, m1, m2p, PL))
        bn_add(h, h, k->p, PL);
    mont_mul(h, h, k->qinv, &k->mp);
    mont_mul(h, h, k->mp.r2, &k->mp);
    bn_mul(hq, h, PL, k->q, PL);
    limb m2w[NL] = { 0 };
    memcpy(m2w, m2, sizeof m2);
    bn_add(m, hq, m2w, NL);
}

static void random_below(limb *x, const limb *n, bench_rng *rng)
{
    for (int i = 0; i < NL; i++)
        x[i] = (limb)(rng_next(rng) >> 32);
    x[NL - 1] &= n[NL - 1] >> 1;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 13);
    for (uint32_t c = 3, k = 0; k < NSMALL; c += 2) {
        int prime = 1;
        for (uint32_t d = 3; d * d <= c && prime; d += 2)
            prime = c % d != 0;
        if (prime)
            small_primes[k++] = c;
    }
    /* known classifications: 2^127-1, 2^89-1, 2^64-2^32+1 and 3*2^30+1 are prime, 2^128+1 and 2^67-1 are not */
    {
        limb x[5];
        memset(x, 0xff, sizeof x); x[3] = 0x7fffffff; if (!miller_rabin(x, 4)) failures++;
        memset(x, 0xff, sizeof x); x[2] = 0x1ffffff; if (!miller_rabin(x, 3)) failures++;
        memset(x, 0, sizeof x); x[0] = 1; x[4] = 1; if (miller_rabin(x, 5)) failures++;
        memset(x, 0xff, sizeof x); x[2] = 7; if (miller_rabin(x, 3)) failures++;
        x[0] = 1; x[1] = 0xffffffff; if (!miller_rabin(x, 2)) failures++;
        x[0] = 0xC0000001u; if (!miller_rabin(x, 1)) failures++;
    }
    bench_rng rng = { 0x5EED0F45A0000001ULL };
    uint64_t h = 0;
    unsigned messages = 0;
    static Key key;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        Key *k = &key;
        keygen(k, &rng);
        h = mix64(h, k->n[0]);
        limb e[1] = { E_PUB };
        for (int i = 0; i < 6; i++) {
            limb m[NL], c[NL], m1[NL], m2[NL];
            random_below(m, k->n, &rng);
            mont_pow(c, m, e, 1, &k->mn);
            if (i == 0) {
                limb c2[NL];
                pow_slow(c2, m, e, 1, k->n, NL);
                if (bn_cmp(c, c2, NL) != 0) failures++;
            }
            mont_pow(m1, c, k->d, NL, &k->mn);
            decrypt_crt(m2, c, k);
            if (bn_cmp(m1, m, NL) != 0) failures++;
            if (bn_cmp(m2, m, NL) != 0) failures++;
            h = mix64(h, (uint64_t)c[0] << 32 | c[NL - 1]);
            messages++;
        }
        for (int i = 0; i < 4; i++) { /* sign with CRT, verify with e */
            limb msg[NL], s[NL], v[NL];
            random_below(msg, k->n, &rng);
            decrypt_crt(s, msg, k);
            mont_pow(v, s, e, 1, &k->mn);
            if (bn_cmp(v, msg, NL) != 0) failures++;
            h = mix64(h, s[3]);
        }
    }
    bench_report(t0);
    printf("rsa_mont: keys=%d messages=%u hash=%016llx failures=%u\n", scale, messages, (unsigned long long)h,
           failures);
    return failures != 0;
}
