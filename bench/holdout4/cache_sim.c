/* cache_sim — trace-driven simulation of cache replacement policies.
 *
 * A synthetic block-access trace (skewed hot set, sequential scans, looping working sets, phase
 * changes) is replayed against LRU (hash map + doubly linked list), CLOCK (reference bits and a
 * sweeping hand), ARC (T1/T2 resident lists, B1/B2 ghost lists, adaptive target) and an 8-way
 * set-associative cache with tree pseudo-LRU, each at three capacities. The key -> slot maps are
 * open-addressing tables with linear probing and backward-shift deletion. */
#include "../programs/bench.h"

/* ---------- open-addressing map: uint32 key -> uint32 value ---------- */
typedef struct { uint32_t *keys, *vals; uint32_t mask, count; } omap;

static int omap_init(omap *m, uint32_t cap_pow2)
{
    m->keys = calloc(cap_pow2, sizeof(uint32_t));
    m->vals = malloc(sizeof(uint32_t) * cap_pow2);
    m->mask = cap_pow2 - 1;
    m->count = 0;
    return m->keys && m->vals;
}

static void omap_clear(omap *m) { memset(m->keys, 0, sizeof(uint32_t) * (m->mask + 1)); m->count = 0; }

static inline uint32_t hash32(uint32_t k)
{
    k ^= k >> 16; k *= 0x7feb352dU; k ^= k >> 15; k *= 0x846ca68bU; k ^= k >> 16;
    return k;
}

/* keys are stored +1 so that 0 marks an empty slot */
static inline uint32_t omap_get(const omap *m, uint32_t key, uint32_t miss)
{
    uint32_t k = key + 1, i = hash32(key) & m->mask;
    while (m->keys[i]) {
        if (m->keys[i] == k) return m->vals[i];
        i = (i + 1) & m->mask;
    }
    return miss;
}

static inline void omap_put(omap *m, uint32_t key, uint32_t val)
{
    uint32_t k = key + 1, i = hash32(key) & m->mask;
    while (m->keys[i]) {
        if (m->keys[i] == k) { m->vals[i] = val; return; }
        i = (i + 1) & m->mask;
    }
    m->keys[i] = k;
    m->vals[i] = val;
    m->count++;
}

static inline void omap_del(omap *m, uint32_t key)
{
    uint32_t k = key + 1, i = hash32(key) & m->mask;
    while (m->keys[i] != k) {
        if (!m->keys[i]) return;
        i = (i + 1) & m->mask;
    }
    /* backward-shift deletion */
    uint32_t j = i;
    for (;;) {
        j = (j + 1) & m->mask;
        if (!m->keys[j]) break;
        uint32_t home = hash32(m->keys[j] - 1) & m->mask;
        /* can the entry at j move to i? only if home is not cyclically in (i, j] */
        if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
            m->keys[i] = m->keys[j];
            m->vals[i] = m->vals[j];
            i = j;
        }
    }
    m->keys[i] = 0;
    m->count--;
}

/* ---------- doubly linked lists over a node pool ---------- */
#define NIL UINT32_MAX
typedef struct { uint32_t key, prev, next; uint8_t list; } lnode;
typedef struct { uint32_t head, tail, size; } dlist; /* head = MRU, tail = LRU */

static void dl_push_front(lnode *nd, dlist *l, uint32_t x, uint8_t id)
{
    nd[x].prev = NIL;
    nd[x].next = l->head;
    nd[x].list = id;
    if (l->head != NIL) nd[l->head].prev = x; else l->tail = x;
    l->head = x;
    l->size++;
}

static void dl_remove(lnode *nd, dlist *l, uint32_t x)
{
    if (nd[x].prev != NIL) nd[nd[x].prev].next = nd[x].next; else l->head = nd[x].next;
    if (nd[x].next != NIL) nd[nd[x].next].prev = nd[x].prev; else l->tail = nd[x].prev;
    l->size--;
}

/* final-state summary of the last simulation, mixed into the checksum */
static uint64_t sim_state;

/* ---------- LRU ---------- */
static uint64_t sim_lru(const uint32_t *trace, uint32_t n, uint32_t cap, omap *m, lnode *nd)
{
    dlist l = { NIL, NIL, 0 };
    omap_clear(m);
    uint32_t used = 0;
    uint64_t hits = 0;
    for (uint32_t t = 0; t < n; t++) {
        uint32_t k = trace[t];
        uint32_t x = omap_get(m, k, NIL);
        if (x != NIL) {
            hits++;
            dl_remove(nd, &l, x);
            dl_push_front(nd, &l, x, 0);
            continue;
        }
        if (used < cap) x = used++;
        else {
            x = l.tail;
            dl_remove(nd, &l, x);
            omap_del(m, nd[x].key);
        }
        nd[x].key = k;
        dl_push_front(nd, &l, x, 0);
        omap_put(m, k, x);
    }
    sim_state = (uint64_t)nd[l.head].key << 32 | nd[l.tail].key;
    return hits;
}

/* ---------- CLOCK ---------- */
static uint64_t sim_clock(const uint32_t *trace, uint32_t n, uint32_t cap, omap *m, uint32_t *frame_key, uint8_t *ref)
{
    omap_clear(m);
    uint32_t used = 0, hand = 0;
    uint64_t hits = 0;
    for (uint32_t t = 0; t < n; t++) {
        uint32_t k = trace[t];
        uint32_t f = omap_get(m, k, NIL);
        if (f != NIL) { hits++; ref[f] = 1; continue; }
        if (used < cap) f = used++;
        else {
            while (ref[hand]) { ref[hand] = 0; hand = hand + 1 == cap ? 0 : hand + 1; }
            f = hand;
            hand = hand + 1 == cap ? 0 : hand + 1;
            omap_del(m, frame_key[f]);
        }
        frame_key[f] = k;
        ref[f] = 0;
        omap_put(m, k, f);
    }
    sim_state = hand;
    return hits;
}

/* ---------- ARC ---------- */
enum { T1, T2, B1, B2 };

typedef struct {
    lnode *nd;
    dlist l[4];
    omap *m;
    uint32_t c, p, free_head;
} arc;

static uint32_t arc_alloc(arc *a)
{
    uint32_t x = a->free_head;
    a->free_head = a->nd[x].next;
    return x;
}

static void arc_release(arc *a, uint32_t x)
{
    a->nd[x].next = a->free_head;
    a->free_head = x;
}

static void arc_move(arc *a, uint32_t x, int to)
{
    dl_remove(a->nd, &a->l[a->nd[x].list], x);
    dl_push_front(a->nd, &a->l[to], x, (uint8_t)to);
}

static void arc_drop_lru(arc *a, int list)
{
    uint32_t x = a->l[list].tail;
    dl_remove(a->nd, &a->l[list], x);
    omap_del(a->m, a->nd[x].key);
    arc_release(a, x);
}

static void arc_replace(arc *a, int in_b2)
{
    uint32_t t1 = a->l[T1].size;
    if (t1 >= 1 && ((in_b2 && t1 == a->p) || t1 > a->p)) arc_move(a, a->l[T1].tail, B1);
    else arc_move(a, a->l[T2].tail, B2);
}

static uint64_t sim_arc(const uint32_t *trace, uint32_t n, uint32_t cap, omap *m, lnode *nd)
{
    arc a;
    a.nd = nd; a.m = m; a.c = cap; a.p = 0;
    for (int i = 0; i < 4; i++) a.l[i] = (dlist){ NIL, NIL, 0 };
    omap_clear(m);
    a.free_head = 0;
    for (uint32_t i = 0; i < 2 * cap + 1; i++) nd[i].next = i + 1 < 2 * cap + 1 ? i + 1 : NIL;
    uint64_t hits = 0;
    for (uint32_t t = 0; t < n; t++) {
        uint32_t k = trace[t];
        uint32_t x = omap_get(m, k, NIL);
        if (x != NIL) {
            int where = nd[x].list;
            if (where == T1 || where == T2) { hits++; arc_move(&a, x, T2); continue; }
            if (where == B1) {
                uint32_t d = a.l[B2].size / a.l[B1].size;
                if (d < 1) d = 1;
                a.p = a.p + d > cap ? cap : a.p + d;
                arc_replace(&a, 0);
            } else {
                uint32_t d = a.l[B1].size / a.l[B2].size;
                if (d < 1) d = 1;
                a.p = a.p > d ? a.p - d : 0;
                arc_replace(&a, 1);
            }
            arc_move(&a, x, T2);
            continue;
        }
        uint32_t l1 = a.l[T1].size + a.l[B1].size;
        uint32_t total = l1 + a.l[T2].size + a.l[B2].size;
        if (l1 == cap) {
            if (a.l[T1].size < cap) { arc_drop_lru(&a, B1); arc_replace(&a, 0); }
            else arc_drop_lru(&a, T1);
        } else if (total >= cap) {
            if (total == 2 * cap) arc_drop_lru(&a, B2);
            arc_replace(&a, 0);
        }
        x = arc_alloc(&a);
        nd[x].key = k;
        dl_push_front(nd, &a.l[T1], x, T1);
        omap_put(m, k, x);
    }
    sim_state = (uint64_t)a.p << 48 ^ (uint64_t)a.l[T1].size << 32 ^ (uint64_t)a.l[B1].size << 16 ^ a.l[B2].size;
    return hits;
}

/* ---------- 8-way set associative, tree-PLRU ---------- */
static uint64_t sim_setassoc(const uint32_t *trace, uint32_t n, uint32_t cap, uint32_t *tags, uint8_t *plru)
{
    uint32_t sets = cap / 8;
    memset(tags, 0, sizeof(uint32_t) * cap);
    memset(plru, 0, sets);
    uint64_t hits = 0;
    for (uint32_t t = 0; t < n; t++) {
        uint32_t k = trace[t];
        uint32_t s = hash32(k * 0x9e3779b9U) & (sets - 1);
        uint32_t *way = tags + s * 8;
        uint32_t w = 8;
        for (uint32_t i = 0; i < 8; i++)
            if (way[i] == k + 1) { w = i; break; }
        uint8_t bits = plru[s];
        if (w < 8) hits++;
        else {
            /* follow the tree bits toward the pseudo-LRU leaf (bit=0: go left) */
            uint32_t node = 0;
            for (int lvl = 0; lvl < 3; lvl++) {
                uint32_t b = bits >> node & 1;
                node = 2 * node + 1 + b;
            }
            w = node - 7;
            way[w] = k + 1;
        }
        /* point the tree away from w */
        uint32_t node = 0;
        for (int lvl = 2; lvl >= 0; lvl--) {
            uint32_t dir = w >> lvl & 1;
            if (dir) bits &= (uint8_t)~(1u << node); else bits |= (uint8_t)(1u << node);
            node = 2 * node + 1 + dir;
        }
        plru[s] = bits;
    }
    sim_state = plru[0] ^ (uint64_t)tags[0] << 8;
    return hits;
}

/* ---------- trace generation ---------- */
#define CHUNK 65536u

static void gen_trace(bench_rng *r, uint32_t *tr, uint32_t n)
{
    uint32_t t = 0, phase = 0;
    while (t < n) {
        uint32_t kind = rng_below(r, 10);
        if (kind < 6) {
            /* skewed hot set: u^4 concentrates on low ranks; shift with the phase */
            uint32_t len = 500 + rng_below(r, 3000);
            uint32_t base = (phase % 7) * 5000;
            for (uint32_t i = 0; i < len && t < n; i++) {
                uint32_t u = rng_below(r, 1u << 16);
                uint32_t y = u * u >> 16;
                uint32_t z = y * y >> 16;
                uint32_t rank = z * 60000u >> 16;
                tr[t++] = ((rank + base) * 2654435761u) >> 12;
            }
        } else if (kind < 8) {
            uint32_t len = 200 + rng_below(r, 4000);
            uint32_t b = 1000000 + rng_below(r, 1u << 20);
            for (uint32_t i = 0; i < len && t < n; i++) tr[t++] = b + i;
        } else {
            uint32_t width = 500 + rng_below(r, 4000), reps = 2 + rng_below(r, 2);
            uint32_t b = 3000000 + rng_below(r, 1u << 18);
            for (uint32_t k = 0; k < reps; k++)
                for (uint32_t i = 0; i < width && t < n; i++) tr[t++] = b + i * 3;
        }
        if (rng_below(r, 20) == 0) phase++;
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 57);
    uint32_t n = (uint32_t)scale * CHUNK;
    uint32_t *trace = malloc(sizeof(uint32_t) * n);
    static const uint32_t caps[3] = { 1024, 4096, 16384 };
    uint32_t maxcap = 16384;
    omap m;
    lnode *nd = malloc(sizeof(lnode) * (2 * maxcap + 1));
    uint32_t *fk = malloc(sizeof(uint32_t) * maxcap);
    uint8_t *ref = malloc(maxcap);
    if (!trace || !nd || !fk || !ref || !omap_init(&m, 4 * maxcap)) return 1;
    bench_rng rng = { 0x6361636865736d21ULL };
    gen_trace(&rng, trace, n);

    double start = bench_now();
    uint64_t h = 0;
    uint64_t res[3][4];
    for (int c = 0; c < 3; c++) {
        res[c][0] = sim_lru(trace, n, caps[c], &m, nd);
        h = mix64(mix64(h, res[c][0]), sim_state);
        res[c][1] = sim_clock(trace, n, caps[c], &m, fk, ref);
        h = mix64(mix64(h, res[c][1]), sim_state);
        res[c][2] = sim_arc(trace, n, caps[c], &m, nd);
        h = mix64(mix64(h, res[c][2]), sim_state);
        res[c][3] = sim_setassoc(trace, n, caps[c], fk, ref);
        h = mix64(mix64(h, res[c][3]), sim_state);
    }
    bench_report(start);
    printf("cache_sim requests=%u", n);
    for (int c = 0; c < 3; c++)
        printf(" c%u:lru=%llu,clock=%llu,arc=%llu,sa8=%llu", caps[c], (unsigned long long)res[c][0],
               (unsigned long long)res[c][1], (unsigned long long)res[c][2],
               (unsigned long long)res[c][3]);
    printf(" checksum=%016llx\n", (unsigned long long)h);
    free(trace); free(nd); free(fk); free(ref); free(m.keys); free(m.vals);
    return 0;
}
