/* hash_join — a hash join of orders against customers plus a GROUP BY, with open-addressing hash tables keyed by int64.
 *
 * The query, run once per round with a different date window and minimum amount:
 *   SELECT c.region, c.segment, o.month, COUNT(*), SUM(o.amount), SUM(o.qty), MAX(o.amount)
 *   FROM orders o JOIN customers c ON o.customer_id = c.id
 *   WHERE o.day BETWEEN lo AND hi AND o.amount >= min_amount AND c.active
 *   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
 * Both tables are arrays of structs generated before the timer starts; customer ids are sparse
 * 64-bit values, and a few orders reference customers that do not exist. */
#include "../programs/bench.h"

#define NCUSTOMERS 150000
#define NORDERS 800000

typedef struct {
    int64_t id;
    int32_t region;
    int16_t segment;
    int16_t active;
    char name[16];
} customer;

typedef struct {
    int64_t order_id;
    int64_t customer_id;
    int32_t amount;       /* cents */
    int16_t qty;
    int16_t day;          /* 0..364 */
} order;

typedef struct {
    int64_t key;          /* 0 = empty */
    const customer *row;
} join_slot;

typedef struct {
    int64_t key;          /* packed region/segment/month; -1 = empty */
    int64_t count, sum_amount, sum_qty;
    int32_t max_amount;
} group_slot;

static inline uint64_t hash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xFF51AFD7ED558CCDULL;
    k ^= k >> 33;
    k *= 0xC4CEB9FE1A85EC53ULL;
    k ^= k >> 33;
    return k;
}

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t c = 1;
    while (c < n) c <<= 1;
    return c;
}

static void join_build(join_slot *t, uint32_t mask, const customer *cs, int n)
{
    memset(t, 0, sizeof *t * (mask + 1));
    for (int i = 0; i < n; i++) {
        if (!cs[i].active) continue;
        uint32_t s = (uint32_t)hash64((uint64_t)cs[i].id) & mask;
        while (t[s].key != 0) s = (s + 1) & mask;
        t[s].key = cs[i].id;
        t[s].row = &cs[i];
    }
}

static inline const customer *join_probe(const join_slot *t, uint32_t mask, int64_t key)
{
    uint32_t s = (uint32_t)hash64((uint64_t)key) & mask;
    while (t[s].key != 0) {
        if (t[s].key == key) return t[s].row;
        s = (s + 1) & mask;
    }
    return NULL;
}

static group_slot *group_find(group_slot *g, uint32_t mask, int64_t key, int *ngroups)
{
    uint32_t s = (uint32_t)hash64((uint64_t)key) & mask;
    while (g[s].key != -1) {
        if (g[s].key == key) return &g[s];
        s = (s + 1) & mask;
    }
    g[s].key = key;
    g[s].count = g[s].sum_amount = g[s].sum_qty = 0;
    g[s].max_amount = 0;
    (*ngroups)++;
    return &g[s];
}

static int cmp_group(const void *a, const void *b)
{
    const group_slot *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

static int month_of(int day)
{
    static const int start[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    int m = 11;
    while (start[m] > day) m--;
    return m;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 36);
    bench_rng rng = { 0x0DDBA11ULL };
    customer *cs = malloc(sizeof *cs * NCUSTOMERS);
    order *os = malloc(sizeof *os * NORDERS);
    for (int i = 0; i < NCUSTOMERS; i++) {
        cs[i].id = (int64_t)(rng_next(&rng) >> 2) | 1;   /* sparse, positive, nonzero */
        cs[i].region = (int32_t)rng_below(&rng, 12);
        cs[i].segment = (int16_t)rng_below(&rng, 5);
        cs[i].active = rng_below(&rng, 10) != 0;
        snprintf(cs[i].name, sizeof cs[i].name, "cust%06d", i);
    }
    for (int i = 0; i < NORDERS; i++) {
        os[i].order_id = 1000000 + i;
        /* skewed: a few customers order much more often */
        uint32_t c = rng_below(&rng, 4) == 0 ? rng_below(&rng, 2000) : rng_below(&rng, NCUSTOMERS);
        os[i].customer_id = rng_below(&rng, 50) == 0 ? (int64_t)(rng_next(&rng) >> 2) | 1 : cs[c].id;
        os[i].amount = (int32_t)(100 + rng_below(&rng, rng_below(&rng, 100000) + 1));
        os[i].qty = (int16_t)(1 + rng_below(&rng, 20));
        os[i].day = (int16_t)rng_below(&rng, 365);
    }
    uint32_t jmask = pow2_at_least(NCUSTOMERS * 2) - 1, gmask = 4095;
    join_slot *jt = malloc(sizeof *jt * (jmask + 1));
    group_slot *gt = malloc(sizeof *gt * (gmask + 1));
    int month_tab[365];
    for (int d = 0; d < 365; d++) month_tab[d] = month_of(d);

    double start = bench_now();
    uint64_t h = 0;
    long long total_rows = 0;
    for (int round = 0; round < scale; round++) {
        int lo = (round * 37) % 200, hi = lo + 120 + round % 45;
        int32_t min_amount = 100 + (round % 9) * 250;
        join_build(jt, jmask, cs, NCUSTOMERS);
        for (uint32_t i = 0; i <= gmask; i++) gt[i].key = -1;
        int ngroups = 0;
        for (int i = 0; i < NORDERS; i++) {
            const order *o = &os[i];
            if (o->day < lo || o->day > hi || o->amount < min_amount) continue;
            const customer *c = join_probe(jt, jmask, o->customer_id);
            if (!c) continue;
            int64_t key = ((int64_t)c->region << 16) | ((int64_t)c->segment << 8) | month_tab[o->day];
            group_slot *g = group_find(gt, gmask, key, &ngroups);
            g->count++;
            g->sum_amount += o->amount;
            g->sum_qty += o->qty;
            if (o->amount > g->max_amount) g->max_amount = o->amount;
        }
        /* compact and ORDER BY */
        int m = 0;
        for (uint32_t i = 0; i <= gmask; i++) if (gt[i].key != -1) gt[m++] = gt[i];
        if (m != ngroups) { printf("hash_join: group count mismatch\n"); return 1; }
        qsort(gt, (size_t)m, sizeof *gt, cmp_group);
        for (int i = 0; i < m; i++) {
            h = mix64(h, (uint64_t)gt[i].key);
            h = mix64(h, (uint64_t)gt[i].count);
            h = mix64(h, (uint64_t)gt[i].sum_amount);
            h = mix64(h, (uint64_t)gt[i].sum_qty ^ (uint64_t)gt[i].max_amount << 32);
            total_rows += gt[i].count;
        }
    }
    bench_report(start);
    printf("hash_join customers=%d orders=%d rounds=%d joined=%lld checksum=%016llx\n", NCUSTOMERS, NORDERS,
           scale, total_rows, (unsigned long long)h);
    return 0;
}
