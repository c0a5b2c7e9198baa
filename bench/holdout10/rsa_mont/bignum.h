/* rsa_mont/bignum.h — little-endian arrays of 32-bit limbs: compare, add, subtract, schoolbook
 * multiply, single-limb multiply and divide, and a slow bit-serial reduction used by the checks. */

static int bn_cmp(const limb *a, const limb *b, int n)
{
    for (int i = n - 1; i >= 0; i--)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static limb bn_add(limb *r, const limb *a, const limb *b, int n)
{
    uint64_t c = 0;
    for (int i = 0; i < n; i++) {
        c += (uint64_t)a[i] + b[i];
        r[i] = (limb)c;
        c >>= 32;
    }
    return (limb)c;
}

static limb bn_sub(limb *r, const limb *a, const limb *b, int n)
{
    uint64_t br = 0;
    for (int i = 0; i < n; i++) {
        uint64_t d = (uint64_t)a[i] - b[i] - br;
        r[i] = (limb)d;
        br = (d >> 32) & 1;
    }
    return (limb)br;
}

static int bn_is_zero(const limb *a, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i]) return 0;
    return 1;
}

/* r[0..na+nb) = a * b; r must not alias a or b */
static void bn_mul(limb *r, const limb *a, int na, const limb *b, int nb)
{
    memset(r, 0, sizeof(limb) * (size_t)(na + nb));
    for (int i = 0; i < na; i++) {
        uint64_t c = 0, ai = a[i];
        limb *ri = r + i;
        for (int j = 0; j < nb; j++) {
            c += ai * b[j] + ri[j];
            ri[j] = (limb)c;
            c >>= 32;
        }
        ri[nb] = (limb)c;
    }
}

/* a = a * m + add (n limbs, returns the carry limb) */
static limb bn_mul_small(limb *a, int n, uint32_t m, uint32_t add)
{
    uint64_t c = add;
    for (int i = 0; i < n; i++) {
        c += (uint64_t)a[i] * m;
        a[i] = (limb)c;
        c >>= 32;
    }
    return (limb)c;
}

/* a = a / d, returns a mod d */
static uint32_t bn_div_small(limb *a, int n, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = n - 1; i >= 0; i--) {
        uint64_t cur = rem << 32 | a[i];
        a[i] = (limb)(cur / d);
        rem = cur % d;
    }
    return (uint32_t)rem;
}

static uint32_t bn_mod_small(const limb *a, int n, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = n - 1; i >= 0; i--)
        rem = ((rem << 32) | a[i]) % d;
    return (uint32_t)rem;
}

/* r = a mod m by shifting in one bit at a time (slow, independent of Montgomery) */
static void mod_slow(limb *r, const limb *a, int na, const limb *m, int n)
{
    limb t[MAXL + 1];
    memset(t, 0, sizeof(limb) * (size_t)(n + 1));
    for (int i = na * 32 - 1; i >= 0; i--) {
        bn_mul_small(t, n + 1, 2, (a[i >> 5] >> (i & 31)) & 1);
        if (t[n] || bn_cmp(t, m, n) >= 0)
            t[n] -= bn_sub(t, t, m, n);
    }
    memcpy(r, t, sizeof(limb) * (size_t)n);
}
