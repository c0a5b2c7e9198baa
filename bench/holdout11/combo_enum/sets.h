/* combo_enum/sets.h -- the visitor type, integer partitions (non-increasing parts, conjugates)
 * and set partitions as restricted growth strings (blocks as bit masks, rebuilt strings). */

typedef void (*Visit)(void *ctx, const int *obj, int len);

/* ---- integer partitions ---- */

static void gen_partitions(int rest, int maxpart, int *buf, int len, Visit visit, void *ctx)
{
    if (rest == 0) {
        visit(ctx, buf, len);
        return;
    }
    for (int k = rest < maxpart ? rest : maxpart; k >= 1; k--) {
        buf[len] = k;
        gen_partitions(rest - k, k, buf, len + 1, visit, ctx);
    }
}

typedef struct {
    int n;
    uint64_t count, distinct, odd;
    uint64_t by_largest[MAXN + 1];
    uint64_t weighted; /* sum over partitions of (number of parts) * (largest part) */
    int bad;
} PartStats;

static int conjugate(const int *p, int len, int *out)
{
    int m = len ? p[0] : 0;
    for (int j = 0; j < m; j++) {
        int c = 0;
        while (c < len && p[c] > j)
            c++;
        out[j] = c;
    }
    return m;
}

static void visit_partition(void *vctx, const int *p, int len)
{
    PartStats *s = vctx;
    int sum = 0, distinct = 1, odd = 1;
    for (int i = 0; i < len; i++) {
        sum += p[i];
        if (i && p[i] == p[i - 1])
            distinct = 0;
        if (!(p[i] & 1))
            odd = 0;
        if (i && p[i] > p[i - 1])
            s->bad++;
    }
    if (sum != s->n)
        s->bad++;
    s->count++;
    s->distinct += (uint64_t)distinct;
    s->odd += (uint64_t)odd;
    s->by_largest[p[0]]++;
    s->weighted += (uint64_t)len * (uint64_t)p[0];
    if ((s->count & 63) == 0) {
        int c[MAXN] = { 0 }, cc[MAXN] = { 0 };
        int lc = conjugate(p, len, c);
        int lcc = conjugate(c, lc, cc);
        int csum = 0;
        for (int i = 0; i < lc; i++)
            csum += c[i];
        if (csum != s->n || lc != p[0] || c[0] != len || lcc != len ||
            memcmp(cc, p, (size_t)len * sizeof(int)) != 0)
            s->bad++;
    }
}

/* ---- set partitions as restricted growth strings ---- */

static void gen_rgs(int pos, int n, int maxv, int *a, Visit visit, void *ctx)
{
    if (pos == n) {
        visit(ctx, a, n);
        return;
    }
    for (int v = 0; v <= maxv + 1; v++) {
        a[pos] = v;
        gen_rgs(pos + 1, n, v > maxv ? v : maxv, a, visit, ctx);
    }
}

typedef struct {
    int n;
    uint64_t count, by_blocks[MAXN + 1], singletons;
    int bad;
} SetStats;

static void visit_rgs(void *vctx, const int *a, int n)
{
    SetStats *s = vctx;
    /* blocks as bit masks, then the canonical string rebuilt from the blocks ordered by their
     * smallest element */
    uint32_t block[MAXN];
    int nb = 0;
    for (int i = 0; i < n; i++) {
        if (a[i] == nb)
            block[nb++] = 0;
        else if (a[i] > nb)
            s->bad++;
        if (a[i] < nb)
            block[a[i]] |= 1u << i;
    }
    int rebuilt[MAXN], order = 0;
    uint32_t done = 0;
    for (int i = 0; i < n; i++) {
        if (done >> i & 1)
            continue;
        for (int b = 0; b < nb; b++)
            if (block[b] >> i & 1) {
                for (uint32_t m = block[b]; m; m &= m - 1)
                    rebuilt[__builtin_ctz(m)] = order;
                done |= block[b];
                s->singletons += __builtin_popcount(block[b]) == 1;
                order++;
                break;
            }
    }
    if (order != nb || memcmp(rebuilt, a, (size_t)n * sizeof(int)) != 0)
        s->bad++;
    s->count++;
    s->by_blocks[nb]++;
}
