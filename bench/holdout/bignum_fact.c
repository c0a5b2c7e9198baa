/* bignum_fact — multi-precision integers on uint32_t limbs: factorials, Fibonacci numbers, schoolbook products, decimal conversion.
 *
 * Numbers are little-endian arrays of 32-bit limbs with an explicit length; every operation uses
 * 64-bit intermediates for carries. Each round computes N! by multiplying by small factors, a large
 * Fibonacci number by repeated addition, their schoolbook product, checks a modular identity by
 * dividing by small numbers, converts the product to decimal (repeated division by 10^9) and sums
 * its digits. */
#include "../programs/bench.h"

typedef struct {
    uint32_t *d;
    int n, cap;
} bignum;

static void big_init(bignum *a, int cap)
{
    a->d = calloc((size_t)cap, sizeof *a->d);
    a->n = 0;
    a->cap = cap;
    if (!a->d) { printf("bignum_fact: out of memory\n"); exit(1); }
}

static void big_set(bignum *a, uint32_t v) { a->d[0] = v; a->n = v ? 1 : 0; }

static void big_copy(bignum *dst, const bignum *src)
{
    memcpy(dst->d, src->d, (size_t)src->n * sizeof *src->d);
    dst->n = src->n;
}

static void big_trim(bignum *a) { while (a->n > 0 && a->d[a->n - 1] == 0) a->n--; }

static void big_mul_small(bignum *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry) a->d[a->n++] = (uint32_t)carry;
}

/* r = a + b (r may alias a or b) */
static void big_add(bignum *r, const bignum *a, const bignum *b)
{
    if (a->n < b->n) { const bignum *t = a; a = b; b = t; }
    uint64_t carry = 0;
    int i = 0;
    for (; i < b->n; i++) {
        uint64_t t = (uint64_t)a->d[i] + b->d[i] + carry;
        r->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    for (; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] + carry;
        r->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    r->n = a->n;
    if (carry) r->d[r->n++] = (uint32_t)carry;
}

/* r = a * b, schoolbook; r must not alias a or b */
static void big_mul(bignum *r, const bignum *a, const bignum *b)
{
    memset(r->d, 0, (size_t)(a->n + b->n) * sizeof *r->d);
    for (int i = 0; i < a->n; i++) {
        uint64_t carry = 0, ai = a->d[i];
        uint32_t *row = r->d + i;
        for (int j = 0; j < b->n; j++) {
            uint64_t t = ai * b->d[j] + row[j] + carry;
            row[j] = (uint32_t)t;
            carry = t >> 32;
        }
        row[b->n] = (uint32_t)carry;
    }
    r->n = a->n + b->n;
    big_trim(r);
}

/* a /= d, returns the remainder */
static uint32_t big_divmod_small(bignum *a, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = a->n - 1; i >= 0; i--) {
        uint64_t cur = rem << 32 | a->d[i];
        a->d[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    big_trim(a);
    return (uint32_t)rem;
}

static uint32_t big_mod_small(const bignum *a, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = a->n - 1; i >= 0; i--) rem = (rem << 32 | a->d[i]) % d;
    return (uint32_t)rem;
}

static void factorial(bignum *r, int n)
{
    big_set(r, 1);
    for (uint32_t k = 2; k <= (uint32_t)n; k++) big_mul_small(r, k);
}

static void fibonacci(bignum *r, bignum *tmp, int n)
{
    big_set(r, 0);
    big_set(tmp, 1);
    for (int i = 0; i < n; i++) {      /* (r, tmp) = (tmp, r + tmp) */
        big_add(r, r, tmp);
        bignum t = *r; *r = *tmp; *tmp = t;
    }
}

/* Digit sum and digit count of a, which is destroyed. */
static uint64_t decimal_digits(bignum *a, uint32_t *chunks, int *nchunks, uint64_t *ndigits)
{
    int m = 0;
    while (a->n > 0) chunks[m++] = big_divmod_small(a, 1000000000u);
    uint64_t sum = 0, digits = 0;
    for (int i = 0; i < m; i++) {
        uint32_t c = chunks[i];
        int k = 0;
        while (c) { sum += c % 10; c /= 10; k++; }
        digits += i == m - 1 ? (uint64_t)k : 9;
    }
    *nchunks = m;
    *ndigits = digits;
    return sum;
}

/* mod-p values of n! and F(n) computed directly, to check the bignum results */
static uint32_t fact_mod(int n, uint32_t p)
{
    uint64_t r = 1;
    for (int k = 2; k <= n; k++) r = r * (uint64_t)k % p;
    return (uint32_t)r;
}

static uint32_t fib_mod(int n, uint32_t p)
{
    uint64_t a = 0, b = 1;
    for (int i = 0; i < n; i++) { uint64_t t = (a + b) % p; a = b; b = t; }
    return (uint32_t)a;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 48);
    const int fact_n = 4000, fib_n = 30000;
    int cap = 4096;
    bignum f, fib, tmp, prod;
    big_init(&f, cap); big_init(&fib, cap); big_init(&tmp, cap); big_init(&prod, 2 * cap);
    uint32_t *chunks = malloc(sizeof(uint32_t) * (size_t)cap * 2 * 2);

    double start = bench_now();
    uint64_t h = 0;
    for (int rep = 0; rep < scale; rep++) {
        int fn = fact_n + rep % 5, bn = fib_n + rep % 7;
        factorial(&f, fn);
        fibonacci(&fib, &tmp, bn);
        static const uint32_t primes[] = { 1000003u, 998244353u, 2147483647u, 65537u };
        for (int i = 0; i < 4; i++) {
            if (big_mod_small(&f, primes[i]) != fact_mod(fn, primes[i]) ||
                big_mod_small(&fib, primes[i]) != fib_mod(bn, primes[i])) {
                printf("bignum_fact: modular check failed\n");
                return 1;
            }
        }
        big_mul(&prod, &f, &fib);
        h = mix64(h, (uint64_t)prod.n << 32 | prod.d[prod.n - 1]);
        big_copy(&tmp, &prod);
        big_mul_small(&tmp, 3);
        big_add(&tmp, &tmp, &prod);         /* 4 * prod */
        if (big_divmod_small(&tmp, 4) != 0 || tmp.n != prod.n || memcmp(tmp.d, prod.d, (size_t)prod.n * 4)) {
            printf("bignum_fact: arithmetic check failed\n");
            return 1;
        }
        int m;
        uint64_t ndig;
        uint64_t ds = decimal_digits(&prod, chunks, &m, &ndig);
        h = mix64(h, ds);
        h = mix64(h, ndig);
        h = mix64(h, chunks[0]);
        h = mix64(h, chunks[m - 1]);
    }
    bench_report(start);
    printf("bignum_fact n!=%d fib=%d reps=%d checksum=%016llx\n", fact_n, fib_n, scale, (unsigned long long)h);
    return 0;
}
