/* aos_records — an array of order records (a struct of mixed-width fields with padding between
 * them: 32-bit ids, 8- and 16-bit codes, a double price, a float discount, a 64-bit timestamp)
 * processed in passes, as report-style business code does: some orders change, then filters by
 * several fields, a group-by customer into a fixed open-addressing table, a running total written
 * back into every record, an in-place partition that moves open urgent orders to the front, and a
 * qsort of those with a multi-key comparator. Style: array-of-structs data layout. qsort is the C
 * library's (glibc natively, wasi-libc's musl smoothsort in Wasm), so it is kept to a minor share. */
#include "bench.h"

#define ORDERS (1 << 16)
#define CUSTOMERS 3000
#define GROUP_SLOTS 8192            /* power of two, well above CUSTOMERS */
#define REGIONS 12

enum status { NEW, PAID, PACKED, SHIPPED, DELIVERED, RETURNED, CANCELLED };

struct order {
    uint32_t id;
    uint32_t customer;
    uint8_t status;                 /* 3 bytes of padding follow */
    uint32_t qty;
    double price;
    uint16_t region;
    uint8_t priority;               /* 5 bytes of padding follow */
    int64_t created;
    float discount;                 /* 4 bytes of padding follow */
    double running;                 /* running revenue up to and including this order */
};

struct group {
    uint32_t customer;              /* 0: empty slot (customer ids are never 0) */
    uint32_t orders;
    uint32_t max_qty;
    uint8_t best_priority;
    double revenue;
    int64_t first_created;
};

static struct order orders[ORDERS];
static struct group groups[GROUP_SLOTS];
static uint32_t customer_ids[CUSTOMERS];
static uint32_t picked[ORDERS];

static double revenue_of(const struct order *o)
{
    return o->price * o->qty * (1.0 - o->discount);
}

static void fill(struct order *o, uint32_t id, bench_rng *rng, int64_t now)
{
    o->id = id;
    o->customer = customer_ids[rng_below(rng, 8) == 0 ? rng_below(rng, 40) : rng_below(rng, CUSTOMERS)];
    o->status = (uint8_t)rng_below(rng, 3);
    o->qty = 1 + rng_below(rng, rng_below(rng, 4) == 0 ? 200 : 12);
    o->price = (double)(99 + rng_below(rng, 50000)) / 100.0;
    o->region = (uint16_t)rng_below(rng, REGIONS);
    o->priority = (uint8_t)rng_below(rng, 5);
    o->created = now - (int64_t)rng_below(rng, 86400 * 30);
    o->discount = rng_below(rng, 4) == 0 ? (float)rng_below(rng, 30) / 100.0f : 0.0f;
    o->running = 0.0;
}

/* Orders move through their life cycle; a few are replaced by new ones. */
static void update(bench_rng *rng, int64_t now, uint32_t *next_id)
{
    for (int k = 0; k < ORDERS / 4; k++) {
        struct order *o = &orders[rng_below(rng, ORDERS)];
        uint32_t roll = rng_below(rng, 100);
        if (o->status >= DELIVERED || roll < 3) {
            fill(o, (*next_id)++, rng, now);
        } else if (roll < 6) {
            o->status = CANCELLED;
        } else if (roll < 8 && o->status == SHIPPED) {
            o->status = RETURNED;
        } else {
            o->status++;
            if (roll < 20) o->qty += 1 + roll % 3;
        }
    }
}

/* Shipped or delivered orders of the given regions with enough items: their indices and revenue. */
static uint32_t filter(uint32_t region_mask, uint32_t min_qty, double *revenue)
{
    uint32_t n = 0;
    double sum = 0.0;
    for (uint32_t i = 0; i < ORDERS; i++) {
        const struct order *o = &orders[i];
        if ((o->status == SHIPPED || o->status == DELIVERED) && (region_mask >> o->region & 1) && o->qty >= min_qty) {
            picked[n++] = i;
            sum += revenue_of(o);
        }
    }
    *revenue = sum;
    return n;
}

static struct group *group_for(uint32_t customer)
{
    uint32_t slot = (customer * 2654435761u) >> 19;     /* 13 bits for 8192 slots */
    while (groups[slot].customer != 0 && groups[slot].customer != customer)
        slot = (slot + 1) & (GROUP_SLOTS - 1);
    return &groups[slot];
}

/* Per customer: number of live orders, revenue, largest quantity, best priority, oldest order. */
static uint64_t group_by_customer(void)
{
    memset(groups, 0, sizeof groups);
    for (uint32_t i = 0; i < ORDERS; i++) {
        const struct order *o = &orders[i];
        if (o->status == CANCELLED || o->status == RETURNED)
            continue;
        struct group *g = group_for(o->customer);
        if (g->customer == 0) {
            g->customer = o->customer;
            g->best_priority = o->priority;
            g->first_created = o->created;
        }
        g->orders++;
        g->revenue += revenue_of(o);
        if (o->qty > g->max_qty) g->max_qty = o->qty;
        if (o->priority < g->best_priority) g->best_priority = o->priority;
        if (o->created < g->first_created) g->first_created = o->created;
    }
    /* Summarise in customer-id order so the result does not depend on the slot layout. */
    uint64_t h = 0;
    for (int c = 0; c < CUSTOMERS; c += 7) {
        const struct group *g = group_for(customer_ids[c]);
        if (g->customer == 0) continue;
        h = mix64(h, g->orders);
        h = mix64(h, (uint64_t)(g->revenue * 100.0));
        h = mix64(h, g->max_qty << 8 | g->best_priority);
        h = mix64(h, (uint64_t)g->first_created);
    }
    return h;
}

/* Running revenue over the array order; returns the largest single-step drop of a signed balance
 * where returns count negative. */
static double running_total(void)
{
    double total = 0.0, balance = 0.0, peak = 0.0, worst = 0.0;
    for (uint32_t i = 0; i < ORDERS; i++) {
        struct order *o = &orders[i];
        double r = revenue_of(o);
        if (o->status == RETURNED) {
            balance -= r;
        } else if (o->status != CANCELLED) {
            total += r;
            balance += r;
        }
        o->running = total;
        if (balance > peak) peak = balance;
        if (peak - balance > worst) worst = peak - balance;
    }
    return worst;
}

/* Open (not yet shipped) and urgent. */
static int needs_attention(const struct order *o)
{
    return (o->status == NEW || o->status == PAID || o->status == PACKED) && o->priority == 0;
}

/* Move the orders that need attention to the front (Hoare-style, whole records swapped); returns
 * their number. */
static uint32_t partition_urgent(void)
{
    struct order *lo = orders, *hi = orders + ORDERS - 1;
    for (;;) {
        while (lo <= hi && needs_attention(lo)) lo++;
        while (lo < hi && !needs_attention(hi)) hi--;
        if (lo >= hi) break;
        struct order t = *lo;
        *lo = *hi;
        *hi = t;
        lo++;
        hi--;
    }
    return (uint32_t)(lo - orders);
}

/* Most urgent first (low priority number), then larger orders, then older, then by id. */
static int by_urgency(const void *pa, const void *pb)
{
    const struct order *a = pa, *b = pb;
    if (a->priority != b->priority) return a->priority < b->priority ? -1 : 1;
    double ra = a->price * a->qty, rb = b->price * b->qty;
    if (ra != rb) return ra > rb ? -1 : 1;
    if (a->created != b->created) return a->created < b->created ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 300);
    bench_rng rng = { 0x2545F4914F6CDD1DULL };
    for (int c = 0; c < CUSTOMERS; c++)
        customer_ids[c] = 1 + (uint32_t)(rng_next(&rng) >> 36);   /* sparse, never 0 */
    int64_t now = 1700000000;
    uint32_t next_id = 1;
    for (uint32_t i = 0; i < ORDERS; i++)
        fill(&orders[i], next_id++, &rng, now);
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    uint32_t urgent = 0, n = 0;
    for (int r = 0; r < scale; r++) {
        now += 3600;
        update(&rng, now, &next_id);
        for (uint32_t q = 0; q < 3; q++) {
            double revenue;
            n = filter(0x0A5Bu ^ (uint32_t)r * 5 ^ q << 3, 2 + ((uint32_t)r + q) % 5, &revenue);
            h = mix64(h, n);
            h = mix64(h, (uint64_t)(revenue * 100.0));
            h = mix64(h, picked[n / 2]);
        }
        h = mix64(h, group_by_customer());
        h = mix64(h, (uint64_t)(running_total() * 100.0));
        h = mix64(h, (uint64_t)(orders[ORDERS - 1].running * 100.0));
        urgent = partition_urgent();
        qsort(orders, urgent, sizeof orders[0], by_urgency);
        for (uint32_t i = 0; i < urgent; i += urgent / 16 + 1)
            h = mix64(h, orders[i].id);
        h = mix64(h, urgent);
    }
    bench_report(start);
    printf("aos_records orders=%d rounds=%d urgent=%u picked=%u checksum=%016llx\n", ORDERS, scale, urgent, n,
           (unsigned long long)h);
    return 0;
}
