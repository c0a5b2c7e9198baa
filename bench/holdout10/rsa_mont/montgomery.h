/* rsa_mont/montgomery.h — Montgomery arithmetic: context set-up, CIOS multiplication, reduction
 * of double-width numbers, fixed-window exponentiation, and a slow square-and-multiply reference. */

typedef struct {
    int n;
    limb m[MAXL], one[MAXL], r2[MAXL];
    uint32_t minv;
} Mont;

static void mont_init(Mont *ctx, const limb *m, int n)
{
    ctx->n = n;
    memcpy(ctx->m, m, sizeof(limb) * (size_t)n);
    uint32_t x = m[0]; /* inverse of m[0] mod 2^32 by Newton iteration */
    for (int i = 0; i < 5; i++)
        x *= 2u - m[0] * x;
    ctx->minv = 0u - x;
    limb t[MAXL + 1];
    memset(t, 0, sizeof t);
    t[0] = 1;
    for (int i = 0; i < 64 * n; i++) {
        limb top = bn_mul_small(t, n, 2, 0);
        if (top || bn_cmp(t, m, n) >= 0)
            bn_sub(t, t, m, n);
        if (i == 32 * n - 1)
            memcpy(ctx->one, t, sizeof(limb) * (size_t)n);
    }
    memcpy(ctx->r2, t, sizeof(limb) * (size_t)n);
}

/* r = a * b * R^-1 mod m (r may alias a or b) */
static void mont_mul(limb *r, const limb *a, const limb *b, const Mont *ctx)
{
    int n = ctx->n;
    const limb *m = ctx->m;
    limb t[MAXL + 2];
    memset(t, 0, sizeof(limb) * (size_t)(n + 2));
    for (int i = 0; i < n; i++) {
        uint64_t c = 0, ai = a[i];
        for (int j = 0; j < n; j++) {
            c += ai * b[j] + t[j];
            t[j] = (limb)c;
            c >>= 32;
        }
        c += t[n];
        t[n] = (limb)c;
        t[n + 1] = (limb)(c >> 32);
        uint64_t q = (uint32_t)(t[0] * ctx->minv);
        c = (q * m[0] + t[0]) >> 32;
        for (int j = 1; j < n; j++) {
            c += q * m[j] + t[j];
            t[j - 1] = (limb)c;
            c >>= 32;
        }
        c += t[n];
        t[n - 1] = (limb)c;
        t[n] = t[n + 1] + (limb)(c >> 32);
    }
    if (t[n] || bn_cmp(t, m, n) >= 0)
        bn_sub(t, t, m, n);
    memcpy(r, t, sizeof(limb) * (size_t)n);
}

/* r = a mod m for a of up to 2n limbs with a < m R, via two Montgomery steps */
static void mont_reduce_wide(limb *r, const limb *a, int na, const Mont *ctx)
{
    int n = ctx->n;
    limb t[2 * MAXL + 1];
    memset(t, 0, sizeof t);
    memcpy(t, a, sizeof(limb) * (size_t)na);
    for (int i = 0; i < n; i++) {
        uint64_t q = (uint32_t)(t[i] * ctx->minv), c = 0;
        for (int j = 0; j < n; j++) {
            c += q * ctx->m[j] + t[i + j];
            t[i + j] = (limb)c;
            c >>= 32;
        }
        for (int k = i + n; c && k <= 2 * n; k++) {
            c += t[k];
            t[k] = (limb)c;
            c >>= 32;
        }
    }
    limb u[MAXL];
    memcpy(u, t + n, sizeof(limb) * (size_t)n);
    if (t[2 * n] || bn_cmp(u, ctx->m, n) >= 0)
        bn_sub(u, u, ctx->m, n);
    mont_mul(r, u, ctx->r2, ctx);
}

/* r = base^exp mod m, base < m, exp of elen limbs; fixed 4-bit windows */
static void mont_pow(limb *r, const limb *base, const limb *exp, int elen, const Mont *ctx)
{
    int n = ctx->n;
    limb tab[16][MAXL], acc[MAXL];
    memcpy(tab[0], ctx->one, sizeof(limb) * (size_t)n);
    mont_mul(tab[1], base, ctx->r2, ctx);
    for (int i = 2; i < 16; i++)
        mont_mul(tab[i], tab[i - 1], tab[1], ctx);
    memcpy(acc, ctx->one, sizeof(limb) * (size_t)n);
    for (int i = elen * 8 - 1; i >= 0; i--) {
        for (int k = 0; k < 4; k++)
            mont_mul(acc, acc, acc, ctx);
        unsigned w = (exp[i >> 3] >> ((i & 7) * 4)) & 15;
        if (w)
            mont_mul(acc, acc, tab[w], ctx);
    }
    limb unit[MAXL] = { 1 };
    mont_mul(r, acc, unit, ctx);
}

/* Square-and-multiply with schoolbook products and shift-and-subtract reduction. */
static void pow_slow(limb *r, const limb *base, const limb *exp, int elen, const limb *m, int n)
{
    limb acc[MAXL] = { 1 }, prod[2 * MAXL];
    for (int i = elen * 32 - 1; i >= 0; i--) {
        bn_mul(prod, acc, n, acc, n);
        mod_slow(acc, prod, 2 * n, m, n);
        if ((exp[i >> 5] >> (i & 31)) & 1) {
            bn_mul(prod, acc, n, base, n);
            mod_slow(acc, prod, 2 * n, m, n);
        }
    }
    memcpy(r, acc, sizeof(limb) * (size_t)n);
}
