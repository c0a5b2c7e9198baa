/* bernoulli_rat — exact rational arithmetic on malloc'ed big integers: Bernoulli numbers.
 *
 * Big integers are sign-magnitude with uint32 limbs in heap arrays (every intermediate value is
 * allocated and freed). Magnitude add/subtract/multiply are schoolbook; division is Knuth's
 * algorithm D with normalisation, quotient-digit estimation and add-back, with a short-division
 * fast path. Rationals are kept in lowest terms with Euclid's gcd. Each round runs the
 * Akiyama-Tanigawa recurrence to get B_0..B_n, checks the recurrence sum_k C(n+1,k) B_k = 0 for
 * several n using big binomial coefficients, sums the Bernoulli numbers, and expands a few of
 * them as continued fractions. */
#include "../programs/bench.h"

typedef struct {
    int neg;
    int n;        /* number of limbs in use; 0 means zero */
    uint32_t *d;
} Big;

static Big big_alloc(int limbs)
{
    Big b = { 0, 0, malloc(sizeof(uint32_t) * (size_t)(limbs > 0 ? limbs : 1)) };
    return b;
}

static void big_free(Big *b)
{
    free(b->d);
    b->d = NULL;
    b->n = 0;
}

static Big big_from_u32(uint32_t v)
{
    Big b = big_alloc(1);
    b.d[0] = v;
    b.n = v ? 1 : 0;
    return b;
}

static Big big_copy(const Big *a)
{
    Big b = big_alloc(a->n);
    memcpy(b.d, a->d, sizeof(uint32_t) * (size_t)a->n);
    b.n = a->n;
    b.neg = a->neg;
    return b;
}

static void trim(Big *b)
{
    while (b->n > 0 && b->d[b->n - 1] == 0)
        b->n--;
    if (b->n == 0)
        b->neg = 0;
}

static int mag_cmp(const Big *a, const Big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

static Big mag_add(const Big *a, const Big *b)
{
    const Big *x = a->n >= b->n ? a : b, *y = a->n >= b->n ? b : a;
    Big r = big_alloc(x->n + 1);
    uint64_t c = 0;
    for (int i = 0; i < x->n; i++) {
        c += (uint64_t)x->d[i] + (i < y->n ? y->d[i] : 0);
        r.d[i] = (uint32_t)c;
        c >>= 32;
    }
    r.d[x->n] = (uint32_t)c;
    r.n = x->n + 1;
    trim(&r);
    return r;
}

/* |a| - |b| with |a| >= |b| */
static Big mag_sub(const Big *a, const Big *b)
{
    Big r = big_alloc(a->n);
    uint64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t d = (uint64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        r.d[i] = (uint32_t)d;
        borrow = d >> 63;
    }
    r.n = a->n;
    trim(&r);
    return r;
}

static Big big_add(const Big *a, const Big *b)
{
    Big r;
    if (a->neg == b->neg) {
        r = mag_add(a, b);
        r.neg = r.n ? a->neg : 0;
    } else if (mag_cmp(a, b) >= 0) {
        r = mag_sub(a, b);
        r.neg = r.n ? a->neg : 0;
    } else {
        r = mag_sub(b, a);
        r.neg = r.n ? b->neg : 0;
    }
    return r;
}

static Big big_sub(const Big *a, const Big *b)
{
    Big nb = *b;
    nb.neg = b->n ? !b->neg : 0;
    return big_add(a, &nb);
}

static Big big_mul(const Big *a, const Big *b)
{
    if (a->n == 0 || b->n == 0)
        return big_from_u32(0);
    Big r = big_alloc(a->n + b->n);
    memset(r.d, 0, sizeof(uint32_t) * (size_t)(a->n + b->n));
    for (int i = 0; i < a->n; i++) {
        uint64_t c = 0, ai = a->d[i];
        uint32_t *rp = r.d + i;
        for (int j = 0; j < b->n; j++) {
            c += ai * b->d[j] + rp[j];
            rp[j] = (uint32_t)c;
            c >>= 32;
        }
        rp[b->n] = (uint32_t)c;
    }
    r.n = a->n + b->n;
    r.neg = a->neg ^ b->neg;
    trim(&r);
    return r;
}

static Big big_mul_small(const Big *a, uint32_t m)
{
    Big r = big_alloc(a->n + 1);
    uint64_t c = 0;
    for (int i = 0; i < a->n; i++) {
        c += (uint64_t)a->d[i] * m;
        r.d[i] = (uint32_t)c;
        c >>= 32;
    }
    r.d[a->n] = (uint32_t)c;
    r.n = a->n + 1;
    r.neg = a->neg;
    trim(&r);
    return r;
}

/* Truncated division of magnitudes: q = |u| / |v|, r = |u| % |v| (signs left clear). */
static void mag_divmod(const Big *u, const Big *v, Big *q, Big *r)
{
    int m = u->n, n = v->n;
    if (mag_cmp(u, v) < 0) {
        *q = big_from_u32(0);
        *r = big_copy(u);
        r->neg = 0;
        return;
    }
    *q = big_alloc(m - n + 1);
    if (n == 1) {
        uint64_t rem = 0, dv = v->d[0];
        for (int i = m - 1; i >= 0; i--) {
            uint64_t cur = rem << 32 | u->d[i];
            q->d[i] = (uint32_t)(cur / dv);
            rem = cur % dv;
        }
        q->n = m;
        trim(q);
        *r = big_from_u32((uint32_t)rem);
        return;
    }
    int s = __builtin_clz(v->d[n - 1]);
    uint32_t *vn = malloc(sizeof(uint32_t) * (size_t)n);
    uint32_t *un = malloc(sizeof(uint32_t) * (size_t)(m + 1));
    for (int i = n - 1; i > 0; i--)
        vn[i] = (v->d[i] << s) | (s ? v->d[i - 1] >> (32 - s) : 0);
    vn[0] = v->d[0] << s;
    un[m] = s ? u->d[m - 1] >> (32 - s) : 0;
    for (int i = m - 1; i > 0; i--)
        un[i] = (u->d[i] << s) | (s ? u->d[i - 1] >> (32 - s) : 0);
    un[0] = u->d[0] << s;
    const uint64_t B = 1ULL << 32;
    for (int j = m - n; j >= 0; j--) {
        uint64_t num = (uint64_t)un[j + n] << 32 | un[j + n - 1];
        uint64_t qhat = num / vn[n - 1];
        uint64_t rhat = num - qhat * vn[n - 1];
        while (qhat >= B || qhat * vn[n - 2] > (rhat << 32 | un[j + n - 2])) {
            qhat--;
            rhat += vn[n - 1];
            if (rhat >= B)
                break;
        }
        if (qhat >= B)
            qhat = B - 1;
        uint64_t carry = 0, borrow = 0;
        for (int i = 0; i < n; i++) {
            uint64_t p = qhat * vn[i] + carry;
            carry = p >> 32;
            uint64_t d = (uint64_t)un[i + j] - (uint32_t)p - borrow;
            un[i + j] = (uint32_t)d;
            borrow = d >> 63;
        }
        uint64_t d = (uint64_t)un[j + n] - carry - borrow;
        un[j + n] = (uint32_t)d;
        if (d >> 63) {
            qhat--;
            uint64_t c = 0;
            for (int i = 0; i < n; i++) {
                uint64_t t = (uint64_t)un[i + j] + vn[i] + c;
                un[i + j] = (uint32_t)t;
                c = t >> 32;
            }
            un[j + n] += (uint32_t)c;
        }
        q->d[j] = (uint32_t)qhat;
    }
    q->n = m - n + 1;
    trim(q);
    *r = big_alloc(n);
    for (int i = 0; i < n; i++)
        r->d[i] = (un[i] >> s) | (s ? un[i + 1] << (32 - s) : 0);
    r->n = n;
    trim(r);
    free(vn);
    free(un);
}

static Big big_gcd(const Big *a, const Big *b)
{
    Big x = big_copy(a), y = big_copy(b);
    x.neg = y.neg = 0;
    while (y.n != 0) {
        Big q, r;
        mag_divmod(&x, &y, &q, &r);
        big_free(&q);
        big_free(&x);
        x = y;
        y = r;
    }
    big_free(&y);
    return x;
}

typedef struct {
    Big num, den; /* den > 0, gcd(num, den) = 1 */
} Rat;

static Rat rat_make(Big num, Big den)
{
    Rat r;
    if (den.neg) {
        den.neg = 0;
        num.neg = num.n ? !num.neg : 0;
    }
    Big g = big_gcd(&num, &den);
    if (g.n == 1 && g.d[0] == 1) {
        r.num = num;
        r.den = den;
    } else {
        Big rem;
        int sign = num.neg;
        mag_divmod(&num, &g, &r.num, &rem);
        big_free(&rem);
        r.num.neg = r.num.n ? sign : 0;
        mag_divmod(&den, &g, &r.den, &rem);
        big_free(&rem);
        big_free(&num);
        big_free(&den);
    }
    big_free(&g);
    return r;
}

static void rat_free(Rat *r)
{
    big_free(&r->num);
    big_free(&r->den);
}

static Rat rat_sub(const Rat *a, const Rat *b)
{
    Big x = big_mul(&a->num, &b->den), y = big_mul(&b->num, &a->den);
    Big n = big_sub(&x, &y);
    big_free(&x);
    big_free(&y);
    return rat_make(n, big_mul(&a->den, &b->den));
}

static Rat rat_add(const Rat *a, const Rat *b)
{
    Big x = big_mul(&a->num, &b->den), y = big_mul(&b->num, &a->den);
    Big n = big_add(&x, &y);
    big_free(&x);
    big_free(&y);
    return rat_make(n, big_mul(&a->den, &b->den));
}

static Rat rat_mul_small(const Rat *a, uint32_t m)
{
    return rat_make(big_mul_small(&a->num, m), big_copy(&a->den));
}

static uint64_t big_hash(uint64_t h, const Big *b)
{
    h = mix64(h, (uint64_t)b->n << 1 | (uint64_t)b->neg);
    for (int i = 0; i < b->n; i++)
        h = mix64(h, b->d[i]);
    return h;
}

/* Continued fraction terms of |r|; returns the number of terms and hashes them. */
static int cont_frac(const Rat *r, uint64_t *h)
{
    Big a = big_copy(&r->num), b = big_copy(&r->den);
    a.neg = 0;
    int terms = 0;
    while (b.n != 0) {
        Big q, rem;
        mag_divmod(&a, &b, &q, &rem);
        *h = big_hash(*h, &q);
        big_free(&q);
        big_free(&a);
        a = b;
        b = rem;
        terms++;
    }
    big_free(&a);
    big_free(&b);
    return terms;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 29);

    double start = bench_now();
    uint64_t h = 0;
    long cf_terms = 0;
    int checks = 0;
    for (int round = 0; round < scale; round++) {
        int N = 96 + (round % 5) * 8;
        Rat *A = malloc(sizeof(Rat) * (size_t)(N + 1));
        Rat *Bn = malloc(sizeof(Rat) * (size_t)(N + 1));
        for (int m = 0; m <= N; m++) {
            A[m] = rat_make(big_from_u32(1), big_from_u32((uint32_t)m + 1));
            for (int j = m; j >= 1; j--) {
                Rat d = rat_sub(&A[j - 1], &A[j]);
                Rat t = rat_mul_small(&d, (uint32_t)j);
                rat_free(&d);
                rat_free(&A[j - 1]);
                A[j - 1] = t;
            }
            Bn[m].num = big_copy(&A[0].num);
            Bn[m].den = big_copy(&A[0].den);
        }
        /* Akiyama-Tanigawa gives B_1 = +1/2; the identity below uses B_1 = -1/2 */
        Bn[1].num.neg = 1;
        for (int n = N - 12; n <= N; n += 3) {
            /* sum_{k=0}^{n} C(n+1, k) B_k == 0 */
            Big binom = big_from_u32(1);
            Rat sum = rat_make(big_from_u32(0), big_from_u32(1));
            for (int k = 0; k <= n; k++) {
                Rat term = rat_make(big_mul(&binom, &Bn[k].num), big_copy(&Bn[k].den));
                Rat s2 = rat_add(&sum, &term);
                rat_free(&term);
                rat_free(&sum);
                sum = s2;
                /* C(n+1, k+1) = C(n+1, k) * (n+1-k) / (k+1) */
                Big t = big_mul_small(&binom, (uint32_t)(n + 1 - k)), q, rem;
                Big kk = big_from_u32((uint32_t)k + 1);
                mag_divmod(&t, &kk, &q, &rem);
                if (rem.n != 0) {
                    fprintf(stderr, "binomial not exact\n");
                    return 1;
                }
                big_free(&t);
                big_free(&kk);
                big_free(&rem);
                big_free(&binom);
                binom = q;
            }
            if (sum.num.n != 0) {
                fprintf(stderr, "Bernoulli identity failed at n=%d\n", n);
                return 1;
            }
            checks++;
            rat_free(&sum);
            big_free(&binom);
        }
        Rat total = rat_make(big_from_u32(0), big_from_u32(1));
        for (int k = 0; k <= N; k += 2) {
            Rat s2 = rat_add(&total, &Bn[k]);
            rat_free(&total);
            total = s2;
        }
        h = big_hash(h, &total.num);
        h = big_hash(h, &total.den);
        cf_terms += cont_frac(&total, &h);
        for (int k = N - 6; k <= N; k += 2) {
            h = big_hash(h, &Bn[k].num);
            h = big_hash(h, &Bn[k].den);
            cf_terms += cont_frac(&Bn[k], &h);
        }
        rat_free(&total);
        for (int m = 0; m <= N; m++) {
            rat_free(&A[m]);
            rat_free(&Bn[m]);
        }
        free(A);
        free(Bn);
    }
    bench_report(start);
    printf("bernoulli_rat rounds=%d checks=%d cf_terms=%ld checksum=%016llx\n", scale, checks, cf_terms,
           (unsigned long long)h);
    return 0;
}
