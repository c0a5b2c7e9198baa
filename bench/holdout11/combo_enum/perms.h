/* combo_enum/perms.h -- permutations by a used-mask backtracker (Lehmer-code ranks,
 * inversions, cycles, unranking in the factorial number system) and k-subsets in revolving-door
 * order (colex ranks, one swap per step). */

/* ---- permutations in lexicographic order ---- */

static void gen_perm(int pos, int n, uint32_t used, int *p, Visit visit, void *ctx)
{
    if (pos == n) {
        visit(ctx, p, n);
        return;
    }
    for (int v = 0; v < n; v++) {
        if (used >> v & 1)
            continue;
        p[pos] = v;
        gen_perm(pos + 1, n, used | 1u << v, p, visit, ctx);
    }
}

typedef struct {
    int n;
    uint64_t count, by_inv[MAXN * MAXN / 2 + 1], by_cycles[MAXN + 1], derangements;
    uint64_t fact[21];
    int bad;
} PermStats;

static void visit_perm(void *vctx, const int *p, int n)
{
    PermStats *s = vctx;
    /* Lehmer code: rank = sum code[i] (n-1-i)!, inversions = sum code[i] */
    uint64_t rank = 0;
    int inv = 0, fixed = 0;
    for (int i = 0; i < n; i++) {
        int c = 0;
        for (int j = i + 1; j < n; j++)
            c += p[j] < p[i];
        inv += c;
        rank += (uint64_t)c * s->fact[n - 1 - i];
        fixed += p[i] == i;
    }
    if (rank != s->count)
        s->bad++;
    uint32_t seen = 0;
    int cycles = 0;
    for (int i = 0; i < n; i++) {
        if (seen >> i & 1)
            continue;
        cycles++;
        for (int j = i; !(seen >> j & 1); j = p[j])
            seen |= 1u << j;
    }
    s->by_inv[inv]++;
    s->by_cycles[cycles]++;
    s->derangements += fixed == 0;
    if ((s->count & 31) == 0) {
        /* unrank from the factorial number system */
        int q[MAXN];
        uint32_t avail = (n == 32) ? ~0u : (1u << n) - 1;
        uint64_t r = s->count;
        for (int i = 0; i < n; i++) {
            uint64_t f = s->fact[n - 1 - i];
            int c = (int)(r / f);
            r %= f;
            uint32_t m = avail;
            for (int k = 0; k < c; k++)
                m &= m - 1;
            q[i] = __builtin_ctz(m);
            avail &= ~(1u << q[i]);
        }
        if (memcmp(q, p, (size_t)n * sizeof(int)) != 0)
            s->bad++;
    }
    s->count++;
}

/* ---- k-subsets in revolving-door order ---- */

typedef struct {
    int n, k;
    uint64_t count, binom[MAXN + 1][MAXN + 1];
    uint32_t prev;
    uint64_t sum_rank;
    unsigned char *seen;
    int bad;
} SubsetStats;

static void visit_subset(SubsetStats *s, uint32_t set)
{
    if (__builtin_popcount(set) != s->k)
        s->bad++;
    if (s->count) {
        uint32_t d = set ^ s->prev;
        /* one element out, one in */
        if (__builtin_popcount(d) != 2 || __builtin_popcount(d & set) != 1)
            s->bad++;
    }
    /* rank in the combinatorial number system (colex order) */
    uint64_t rank = 0;
    int i = 1;
    for (uint32_t m = set; m; m &= m - 1, i++)
        rank += s->binom[__builtin_ctz(m)][i];
    if (rank >= s->binom[s->n][s->k] || s->seen[rank])
        s->bad++;
    else
        s->seen[rank] = 1;
    s->sum_rank += rank * (s->count % 7 + 1);
    s->prev = set;
    s->count++;
}

/* R(n, k) = R(n-1, k) followed by R(n-1, k-1) reversed with element n-1 added */
static void gen_revolving(int n, int k, int reverse, uint32_t add, SubsetStats *s)
{
    if (k == 0) {
        visit_subset(s, add);
        return;
    }
    if (k == n) {
        visit_subset(s, add | ((n == 32 ? 0 : 1u << n) - 1));
        return;
    }
    if (!reverse) {
        gen_revolving(n - 1, k, 0, add, s);
        gen_revolving(n - 1, k - 1, 1, add | 1u << (n - 1), s);
    } else {
        gen_revolving(n - 1, k - 1, 0, add | 1u << (n - 1), s);
        gen_revolving(n - 1, k, 1, add, s);
    }
}
