/* pollard_rho — 64-bit integer factorisation with Montgomery arithmetic.
 * bench-cflags: -O3
 *
 * Montgomery multiplication modulo odd 64-bit n (REDC with unsigned __int128 products, inverse by
 * Newton iteration), deterministic Miller-Rabin for all 64-bit inputs (seven bases), Brent's
 * variant of Pollard's rho with batched products and binary (ctz) gcd, trial division by a small
 * prime table. Inputs: semiprimes with 24-32 bit factors, random 64-bit integers factored
 * completely, and windows near 2^62 scanned for primes. */
#include "../programs/bench.h"

typedef unsigned __int128 u128;

typedef struct { uint64_t n, ninv, r2, one; } mont;

static uint64_t inv64(uint64_t n)
{
    uint64_t x = n; /* correct to 3 bits for odd n */
    for (int i = 0; i < 5; i++) x *= 2 - n * x;
    return x;
}

static inline uint64_t redc(const mont *m, u128 t)
{
    uint64_t lo = (uint64_t)t, hi = (uint64_t)(t >> 64);
    uint64_t q = lo * m->ninv;
    uint64_t qn_hi = (uint64_t)(((u128)q * m->n) >> 64);
    /* t - q*n is divisible by 2^64; low words cancel */
    uint64_t r = hi - qn_hi;
    return hi < qn_hi ? r + m->n : r;
}

static inline uint64_t mmul(const mont *m, uint64_t a, uint64_t b) { return redc(m, (u128)a * b); }

static void mont_init(mont *m, uint64_t n)
{
    m->n = n;
    m->ninv = inv64(n); /* n * ninv == 1 mod 2^64; redc uses q = lo * ninv and subtracts */
    uint64_t r = (0 - n) % n; /* 2^64 mod n */
    m->one = r;
    /* 2^128 mod n by 64 modular doublings of 2^64 mod n */
    uint64_t r2 = r;
    for (int i = 0; i < 64; i++) {
        uint64_t d = r2 << 1;
        if ((r2 >> 63) || d >= n) d -= n;
        r2 = d;
    }
    m->r2 = r2;
}

static inline uint64_t to_mont(const mont *m, uint64_t a) { return mmul(m, a % m->n, m->r2); }

static inline uint64_t madd(const mont *m, uint64_t a, uint64_t b)
{
    uint64_t s = a + b;
    if (s < a || s >= m->n) s -= m->n;
    return s;
}

static inline uint64_t msub(const mont *m, uint64_t a, uint64_t b) { return a >= b ? a - b : a + (m->n - b); }

static uint64_t mpow(const mont *m, uint64_t a, uint64_t e)
{
    uint64_t r = m->one;
    while (e) {
        if (e & 1) r = mmul(m, r, a);
        a = mmul(m, a, a);
        e >>= 1;
    }
    return r;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    if (!a) return b;
    if (!b) return a;
    int s = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) { uint64_t t = a; a = b; b = t; }
        b -= a;
    } while (b);
    return a << s;
}

static uint32_t small_primes[200];
static int n_small;

static void init_small_primes(void)
{
    uint8_t comp[1250] = { 0 };
    for (int i = 2; i < 1250 && n_small < 200; i++) {
        if (comp[i]) continue;
        small_primes[n_small++] = (uint32_t)i;
        for (int j = i * i; j < 1250; j += i) comp[j] = 1;
    }
}

static int is_prime(uint64_t n)
{
    if (n < 2) return 0;
    for (int i = 0; i < 12; i++) {
        uint64_t p = small_primes[i];
        if (n == p) return 1;
        if (n % p == 0) return 0;
    }
    if (n < 37 * 37) return 1;
    static const uint64_t bases[7] = { 2, 325, 9375, 28178, 450775, 9780504, 1795265022 };
    mont m;
    mont_init(&m, n);
    uint64_t d = n - 1;
    int s = __builtin_ctzll(d);
    d >>= s;
    uint64_t minus1 = msub(&m, 0, m.one);
    for (int i = 0; i < 7; i++) {
        uint64_t a = bases[i] % n;
        if (a == 0) continue;
        uint64_t x = mpow(&m, to_mont(&m, a), d);
        if (x == m.one || x == minus1) continue;
        int ok = 0;
        for (int r = 1; r < s; r++) {
            x = mmul(&m, x, x);
            if (x == minus1) { ok = 1; break; }
        }
        if (!ok) return 0;
    }
    return 1;
}

static uint64_t rho_iters;

/* Brent's rho on odd composite n; returns a non-trivial factor */
static uint64_t brent(uint64_t n, uint64_t c0)
{
    mont m;
    mont_init(&m, n);
    for (uint64_t c = c0;; c++) {
        uint64_t cm = to_mont(&m, c), y = to_mont(&m, 2), x = y, ys = y, q = m.one, g = 1;
        const uint64_t batch = 128;
        for (uint64_t r = 1; g == 1; r <<= 1) {
            x = y;
            for (uint64_t i = 0; i < r; i++) y = madd(&m, mmul(&m, y, y), cm);
            for (uint64_t k = 0; k < r && g == 1; k += batch) {
                ys = y;
                uint64_t lim = r - k < batch ? r - k : batch;
                for (uint64_t i = 0; i < lim; i++) {
                    y = madd(&m, mmul(&m, y, y), cm);
                    uint64_t d = x > y ? x - y : y - x;
                    q = mmul(&m, q, d);
                }
                rho_iters += lim;
                g = gcd64(q, n);
            }
            if (r > (1u << 26)) break;
        }
        if (g == n) {
            /* backtrack one step at a time from ys */
            do {
                ys = madd(&m, mmul(&m, ys, ys), cm);
                uint64_t d = x > ys ? x - ys : ys - x;
                g = gcd64(d, n);
            } while (g == 1);
        }
        if (g != n && g != 1) return g;
    }
}

static int factor_rec(uint64_t n, uint64_t *out, int k)
{
    if (n == 1) return k;
    if (is_prime(n)) { out[k++] = n; return k; }
    uint64_t f = brent(n, 1 + (n & 7));
    k = factor_rec(f, out, k);
    return factor_rec(n / f, out, k);
}

/* full factorisation, factors sorted ascending; returns count */
static int factor(uint64_t n, uint64_t *out)
{
    int k = 0;
    for (int i = 0; i < n_small && n > 1; i++) {
        uint64_t p = small_primes[i];
        if (p * p > n) break;
        while (n % p == 0) { out[k++] = p; n /= p; }
    }
    if (n > 1) k = factor_rec(n, out, k);
    for (int i = 1; i < k; i++) {
        uint64_t v = out[i];
        int j = i - 1;
        while (j >= 0 && out[j] > v) { out[j + 1] = out[j]; j--; }
        out[j + 1] = v;
    }
    return k;
}

static uint64_t random_prime(bench_rng *r, int bits)
{
    for (;;) {
        uint64_t c = (rng_next(r) >> (64 - bits)) | (1ULL << (bits - 1)) | 1;
        if (is_prime(c)) return c;
    }
}

#define PER_UNIT 24

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 175);
    init_small_primes();
    bench_rng rng = { 0x72686f2d62726e74ULL };
    int total = scale * PER_UNIT;
    uint64_t *nums = malloc(sizeof(uint64_t) * (size_t)total);
    if (!nums) return 1;
    for (int i = 0; i < total; i++) {
        switch (i % 4) {
        case 0: case 1: {
            int b1 = 24 + (int)rng_below(&rng, 9), b2 = 56 - b1 + (int)rng_below(&rng, 6);
            if (b2 > 40) b2 = 40;
            nums[i] = random_prime(&rng, b1) * random_prime(&rng, b2 < 24 ? 24 : b2);
            break;
        }
        case 2: nums[i] = rng_next(&rng) | 1ULL << 63; break;
        default: nums[i] = (1ULL << 62) + (rng_next(&rng) >> 8); break;
        }
    }

    double start = bench_now();
    uint64_t h = 0, nfactors = 0, primes_found = 0;
    for (int i = 0; i < total; i++) {
        uint64_t f[64];
        uint64_t n = nums[i];
        if (i % 4 == 3) {
            /* scan a window of odd numbers for primes */
            int cnt = 0;
            for (uint64_t x = n | 1, end = x + 4000; x < end; x += 2)
                if (is_prime(x)) { cnt++; h = mix64(h, x); }
            primes_found += (uint64_t)cnt;
            continue;
        }
        int k = factor(n, f);
        uint64_t prod = 1;
        for (int j = 0; j < k; j++) {
            prod *= f[j];
            h = mix64(h, f[j]);
        }
        if (prod != n) { fprintf(stderr, "bad factorisation of %llu\n", (unsigned long long)n); return 1; }
        nfactors += (uint64_t)k;
    }
    bench_report(start);
    printf("pollard_rho numbers=%d factors=%llu window_primes=%llu rho_steps=%llu checksum=%016llx\n", total,
           (unsigned long long)nfactors, (unsigned long long)primes_found, (unsigned long long)rho_iters,
           (unsigned long long)h);
    free(nums);
    return 0;
}
