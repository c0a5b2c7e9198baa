// bench-cflags: -Os
/* bigdec_fmt.c — exact decimal conversion of doubles with arbitrary-precision integers (32-bit
 * limbs): double -> all of its exact decimal digits (m * 2^e, or m * 5^-e with a shifted point,
 * converted by repeated division by 10^9), round-half-even to any precision and printf-style
 * "%.*e" formatting; decimal string -> correctly rounded double by scaling to a 54-bit quotient
 * with bit-serial bignum long division and a sticky remainder (round half to even).
 *
 * Checks against the C library: our "%.16e" text equals snprintf's, our strtod equals strtod on
 * random decimal strings, on shortest round-trip strings and on exact halfway points between
 * adjacent doubles, and the shortest round-trip precision agrees with what strtod accepts.
 * Values stay in the normal range. SCALE = batches of doubles. */
#include "../programs/bench.h"

#define LIMBS 112

typedef struct {
    int n;
    uint32_t d[LIMBS];
} big;

static int failures;

static void big_set(big *a, uint64_t v)
{
    a->n = 0;
    while (v) { a->d[a->n++] = (uint32_t)v; v >>= 32; }
}
static void big_mul_small(big *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry) a->d[a->n++] = (uint32_t)carry;
}
static void big_add_small(big *a, uint32_t v)
{
    for (int i = 0; v && i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] + v;
        a->d[i] = (uint32_t)t;
        v = (uint32_t)(t >> 32);
    }
    if (v) a->d[a->n++] = v;
}
static void big_shl(big *a, int bits)
{
    int w = bits / 32, b = bits % 32;
    if (a->n == 0) return;
    if (b) {
        uint32_t carry = 0;
        for (int i = 0; i < a->n; i++) {
            uint32_t nv = a->d[i] << b | carry;
            carry = a->d[i] >> (32 - b);
            a->d[i] = nv;
        }
        if (carry) a->d[a->n++] = carry;
    }
    if (w) {
        memmove(a->d + w, a->d, sizeof(uint32_t) * (size_t)a->n);
        memset(a->d, 0, sizeof(uint32_t) * (size_t)w);
        a->n += w;
    }
}
static void big_shr1(big *a)
{
    for (int i = 0; i < a->n; i++)
        a->d[i] = a->d[i] >> 1 | (i + 1 < a->n ? a->d[i + 1] << 31 : 0);
    while (a->n && a->d[a->n - 1] == 0) a->n--;
}
static int big_cmp(const big *a, const big *b)
{
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}
static void big_sub(big *a, const big *b) /* a -= b, requires a >= b */
{
    uint64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        a->d[i] = (uint32_t)t;
        borrow = (t >> 32) & 1;
    }
    while (a->n && a->d[a->n - 1] == 0) a->n--;
}
static uint32_t big_divmod_small(big *a, uint32_t m)
{
    uint64_t rem = 0;
    for (int i = a->n - 1; i >= 0; i--) {
        uint64_t cur = rem << 32 | a->d[i];
        a->d[i] = (uint32_t)(cur / m);
        rem = cur % m;
    }
    while (a->n && a->d[a->n - 1] == 0) a->n--;
    return (uint32_t)rem;
}
static int big_bits(const big *a) { return a->n ? 32 * a->n - __builtin_clz(a->d[a->n - 1]) : 0; }
static void big_pow(big *a, uint32_t base, int e) /* a *= base^e */
{
    while (e >= 13) { big_mul_small(a, base == 5 ? 1220703125u : 1000000000u); e -= base == 5 ? 13 : 9; }
    while (e-- > 0) big_mul_small(a, base);
}

static uint64_t dbits(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static double from_bits(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }

/* exact digits of a positive normal double (or an exact binary value m * 2^e); returns digit count,
 * *dexp = decimal exponent of the first digit */
static int exact_digits_me(uint64_t m, int e, char *out, int *dexp)
{
    big a;
    big_set(&a, m);
    int point = 0; /* value = a * 10^-point */
    if (e >= 0) big_shl(&a, e);
    else { big_pow(&a, 5, -e); point = -e; }
    char tmp[1200];
    int nd = 0;
    while (a.n) {
        uint32_t chunk = big_divmod_small(&a, 1000000000u);
        for (int k = 0; k < 9; k++) { tmp[nd++] = (char)('0' + chunk % 10); chunk /= 10; }
    }
    while (nd > 1 && tmp[nd - 1] == '0') nd--;
    for (int i = 0; i < nd; i++) out[i] = tmp[nd - 1 - i];
    int len = nd;
    while (len > 1 && out[len - 1] == '0') len--;
    out[len] = '\0';
    *dexp = nd - 1 - point;
    return len;
}

static int exact_digits(double x, char *out, int *dexp)
{
    uint64_t u = dbits(x);
    int be = (int)(u >> 52 & 0x7ff);
    uint64_t m = (u & ((1ULL << 52) - 1)) | 1ULL << 52;
    return exact_digits_me(m, be - 1075, out, dexp);
}

/* round digit string to p digits half-even; writes p digits; adjusts *dexp on carry-out */
static void round_digits(const char *dig, int nd, int p, char *out, int *dexp)
{
    for (int i = 0; i < p; i++) out[i] = i < nd ? dig[i] : '0';
    out[p] = '\0';
    if (nd <= p) return;
    int up;
    if (dig[p] > '5') up = 1;
    else if (dig[p] < '5') up = 0;
    else {
        up = 0;
        for (int i = p + 1; i < nd; i++) if (dig[i] != '0') { up = 1; break; }
        if (!up) up = (out[p - 1] - '0') & 1;
    }
    if (!up) return;
    int i = p - 1;
    while (i >= 0 && out[i] == '9') out[i--] = '0';
    if (i >= 0) out[i]++;
    else { out[0] = '1'; (*dexp)++; }
}

static void format_e(const char *dig, int p, int dexp, char *buf)
{
    char *q = buf;
    *q++ = dig[0];
    if (p > 1) { *q++ = '.'; memcpy(q, dig + 1, (size_t)(p - 1)); q += p - 1; }
    sprintf(q, "e%c%02d", dexp < 0 ? '-' : '+', dexp < 0 ? -dexp : dexp);
}

/* our strtod for [digits][.digits][e[+-]dd] positive input in the normal range */
static double my_strtod(const char *s)
{
    big D;
    D.n = 0;
    int exp10 = 0, seen_point = 0;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s == '.') { seen_point = 1; continue; }
        big_mul_small(&D, 10);
        big_add_small(&D, (uint32_t)(*s - '0'));
        if (seen_point) exp10--;
    }
    if (*s) exp10 += (int)strtol(s + 1, NULL, 10);
    if (D.n == 0) return 0.0;
    big P;
    big_set(&P, 1);
    if (exp10 >= 0) big_pow(&D, 10, exp10);
    else big_pow(&P, 10, -exp10);
    /* find k with 2^53 <= D*2^k/P < 2^54 */
    int k = 54 - (big_bits(&D) - big_bits(&P));
    if (k > 0) big_shl(&D, k); else big_shl(&P, -k);
    big T;
    for (;;) {
        T = P;
        big_shl(&T, 53);
        if (big_cmp(&D, &T) < 0) { big_shl(&D, 1); k++; continue; }
        big_shl(&T, 1);
        if (big_cmp(&D, &T) >= 0) { big_shl(&P, 1); k--; continue; }
        big_shr1(&T); /* P * 2^53 */
        break;
    }
    /* bit-serial long division: 54-bit quotient */
    uint64_t q = 0;
    for (int bit = 53; bit >= 0; bit--) {
        if (big_cmp(&D, &T) >= 0) { big_sub(&D, &T); q |= 1ULL << bit; }
        big_shr1(&T);
    }
    int sticky = D.n != 0;
    uint64_t mant = q >> 1;
    int half = (int)(q & 1);
    if (half && (sticky || (mant & 1))) mant++;
    int e2 = 1 - k; /* value ~= mant * 2^e2 */
    if (mant == 1ULL << 53) { mant >>= 1; e2++; }
    int biased = e2 + 52 + 1023;
    return from_bits((uint64_t)biased << 52 | (mant & ((1ULL << 52) - 1)));
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 32);
    enum { PER = 400 };
    int nvals = scale * PER;
    double *vals = malloc(sizeof(double) * (size_t)nvals);
    char (*texts)[40] = malloc(40 * (size_t)nvals);
    bench_rng r = { 0xdecdec0123ULL };
    for (int i = 0; i < nvals; i++) {
        uint64_t mant = rng_next(&r) >> 12;
        int be = 1023 - 960 + (int)rng_below(&r, 1920); /* roughly 1e-289 .. 1e289 */
        if (i % 5 == 0) be = 1023 - 40 + (int)rng_below(&r, 80); /* ordinary magnitudes */
        vals[i] = from_bits((uint64_t)be << 52 | mant);
        /* random decimal string: 1-25 digits, exponent -280..280 */
        int nd = 1 + (int)rng_below(&r, 25), p = 0;
        texts[i][p++] = (char)('1' + rng_below(&r, 9));
        if (nd > 1) texts[i][p++] = '.';
        for (int k = 1; k < nd; k++) texts[i][p++] = (char)('0' + rng_below(&r, 10));
        sprintf(texts[i] + p, "e%d", (int)rng_below(&r, 561) - 280);
    }

    double t0 = bench_now();
    uint64_t h = 0;
    char dig[1200], rd[40], mine[64], lib[64];
    for (int i = 0; i < nvals; i++) {
        double x = vals[i];
        int dexp, nd = exact_digits(x, dig, &dexp);
        /* 17 significant digits against printf */
        int de = dexp;
        round_digits(dig, nd, 17, rd, &de);
        format_e(rd, 17, de, mine);
        snprintf(lib, sizeof lib, "%.16e", x);
        if (strcmp(mine, lib) != 0) failures++;
        /* shortest round trip */
        int p;
        for (p = 1; p <= 17; p++) {
            de = dexp;
            round_digits(dig, nd, p, rd, &de);
            format_e(rd, p, de, mine);
            double y = my_strtod(mine);
            if ((dbits(y) == dbits(x)) != (dbits(strtod(mine, NULL)) == dbits(x))) failures++;
            if (dbits(y) == dbits(x)) break;
        }
        if (p > 17) failures++;
        h = mix64(h, (uint64_t)p << 32 | (uint32_t)(de + 400));
        h = mix64(h, (uint64_t)nd);
        /* exact halfway point to the next double up */
        uint64_t u = dbits(x);
        uint64_t m = (u & ((1ULL << 52) - 1)) | 1ULL << 52;
        int be = (int)(u >> 52 & 0x7ff);
        int hn = exact_digits_me(2 * m + 1, be - 1076, dig, &dexp);
        char *half = malloc((size_t)hn + 16);
        half[0] = dig[0];
        half[1] = '.';
        memcpy(half + 2, dig + 1, (size_t)hn - 1);
        sprintf(half + hn + 1, "e%d", dexp);
        double hm = my_strtod(half), hl = strtod(half, NULL);
        if (dbits(hm) != dbits(hl)) failures++;
        uint64_t even = (m & 1) ? u + 1 : u;
        if (dbits(hm) != even) failures++;
        free(half);
        /* random decimal text */
        double a = my_strtod(texts[i]), b = strtod(texts[i], NULL);
        if (dbits(a) != dbits(b)) failures++;
        h = mix64(h, dbits(a));
    }
    bench_report(t0);
    printf("bigdec_fmt: values=%d failures=%d checksum=%016llx\n", nvals, failures, (unsigned long long)h);
    free(vals);
    free(texts);
    return failures != 0;
}
