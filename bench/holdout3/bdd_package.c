/* bdd_package — reduced ordered binary decision diagrams: hash-consed node table with chained
 * unique buckets, a direct-mapped ITE computed cache, and memoised model counting.
 *
 * Each round builds a fresh manager, proves a ripple-carry adder equal to a carry-lookahead adder
 * (canonical node identity), builds low product bits of a small multiplier and conjoins a random
 * 3-CNF formula, folding node counts and model counts (mod 2^64) into the checksum. */
#include "../programs/bench.h"

#define MAX_NODES (1u << 21)
#define UNIQUE_BITS 20
#define CACHE_BITS 18
#define FALSE_N 0u
#define TRUE_N 1u

typedef struct { uint32_t var, lo, hi, next; } bnode;
typedef struct { uint32_t f, g, h, r; } centry;

typedef struct {
    bnode *nodes;
    uint32_t count;
    uint32_t *buckets;
    centry *cache;
    uint32_t nvars;
    uint64_t *memo;
    uint32_t *memo_stamp;
    uint32_t stamp;
    uint64_t cache_hits;
} bdd;

static void bdd_init(bdd *b, uint32_t nvars)
{
    b->count = 2;
    b->nvars = nvars;
    b->nodes[0] = (bnode){ nvars, 0, 0, 0 };
    b->nodes[1] = (bnode){ nvars, 1, 1, 0 };
    memset(b->buckets, 0xff, sizeof(uint32_t) << UNIQUE_BITS);
    memset(b->cache, 0xff, sizeof(centry) << CACHE_BITS);
    b->cache_hits = 0;
}

static inline uint32_t hash3(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t h = a * 0x9E3779B1u;
    h ^= b + 0x7F4A7C15u + (h << 6) + (h >> 2);
    h ^= c * 0x85EBCA77u + (h << 6) + (h >> 2);
    h ^= h >> 15;
    return h * 0x2C1B3C6Du;
}

static uint32_t mk(bdd *b, uint32_t var, uint32_t lo, uint32_t hi)
{
    if (lo == hi) return lo;
    uint32_t slot = hash3(var, lo, hi) >> (32 - UNIQUE_BITS);
    for (uint32_t n = b->buckets[slot]; n != 0xffffffffu; n = b->nodes[n].next) {
        const bnode *nd = &b->nodes[n];
        if (nd->var == var && nd->lo == lo && nd->hi == hi) return n;
    }
    if (b->count >= MAX_NODES) {
        printf("bdd_package: node table full\n");
        exit(1);
    }
    uint32_t id = b->count++;
    b->nodes[id] = (bnode){ var, lo, hi, b->buckets[slot] };
    b->buckets[slot] = id;
    return id;
}

static uint32_t ite(bdd *b, uint32_t f, uint32_t g, uint32_t h)
{
    if (f == TRUE_N) return g;
    if (f == FALSE_N) return h;
    if (g == h) return g;
    if (g == TRUE_N && h == FALSE_N) return f;
    uint32_t slot = hash3(f, g, h) >> (32 - CACHE_BITS);
    centry *ce = &b->cache[slot];
    if (ce->f == f && ce->g == g && ce->h == h) { b->cache_hits++; return ce->r; }
    uint32_t vf = b->nodes[f].var, vg = b->nodes[g].var, vh = b->nodes[h].var;
    uint32_t v = vf < vg ? vf : vg;
    if (vh < v) v = vh;
    uint32_t f0 = vf == v ? b->nodes[f].lo : f, f1 = vf == v ? b->nodes[f].hi : f;
    uint32_t g0 = vg == v ? b->nodes[g].lo : g, g1 = vg == v ? b->nodes[g].hi : g;
    uint32_t h0 = vh == v ? b->nodes[h].lo : h, h1 = vh == v ? b->nodes[h].hi : h;
    uint32_t lo = ite(b, f0, g0, h0);
    uint32_t hi = ite(b, f1, g1, h1);
    uint32_t r = mk(b, v, lo, hi);
    ce = &b->cache[slot];
    *ce = (centry){ f, g, h, r };
    return r;
}

static uint32_t bvar(bdd *b, uint32_t v) { return mk(b, v, FALSE_N, TRUE_N); }
static uint32_t bnot(bdd *b, uint32_t f) { return ite(b, f, FALSE_N, TRUE_N); }
static uint32_t band(bdd *b, uint32_t f, uint32_t g) { return ite(b, f, g, FALSE_N); }
static uint32_t bor(bdd *b, uint32_t f, uint32_t g) { return ite(b, f, TRUE_N, g); }
static uint32_t bxor(bdd *b, uint32_t f, uint32_t g) { return ite(b, f, bnot(b, g), g); }

/* Number of satisfying assignments over all nvars variables, modulo 2^64. */
static uint64_t count_rec(bdd *b, uint32_t f)
{
    if (f <= TRUE_N) return f;
    if (b->memo_stamp[f] == b->stamp) return b->memo[f];
    const bnode *n = &b->nodes[f];
    uint32_t vl = b->nodes[n->lo].var, vh = b->nodes[n->hi].var;
    uint64_t cl = count_rec(b, n->lo) << (vl - n->var - 1);
    uint64_t ch = count_rec(b, n->hi) << (vh - n->var - 1);
    b->memo_stamp[f] = b->stamp;
    b->memo[f] = cl + ch;
    return cl + ch;
}

static uint64_t sat_count(bdd *b, uint32_t f)
{
    b->stamp++;
    return count_rec(b, f) << b->nodes[f].var;
}

static uint32_t node_count_rec(bdd *b, uint32_t f)
{
    if (f <= TRUE_N || b->memo_stamp[f] == b->stamp) return 0;
    b->memo_stamp[f] = b->stamp;
    return 1 + node_count_rec(b, b->nodes[f].lo) + node_count_rec(b, b->nodes[f].hi);
}

static uint32_t node_count(bdd *b, uint32_t f)
{
    b->stamp++;
    return node_count_rec(b, f);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 175);
    bench_rng rng = { 0x62646470616b67ULL };
    bdd b;
    b.nodes = malloc(sizeof(bnode) * MAX_NODES);
    b.buckets = malloc(sizeof(uint32_t) << UNIQUE_BITS);
    b.cache = malloc(sizeof(centry) << CACHE_BITS);
    b.memo = malloc(sizeof(uint64_t) * MAX_NODES);
    b.memo_stamp = calloc(MAX_NODES, sizeof(uint32_t));
    b.stamp = 0;
    if (!b.nodes || !b.buckets || !b.cache || !b.memo || !b.memo_stamp) return 1;
    /* clauses over variables within a sliding window, as in circuit-derived formulas */
    enum { CNF_VARS = 60, CNF_CLAUSES = 220, CNF_SETS = 16, WINDOW = 12 };
    static int32_t cnf[CNF_SETS][CNF_CLAUSES][3];
    for (int s = 0; s < CNF_SETS; s++)
        for (int c = 0; c < CNF_CLAUSES; c++) {
            uint32_t base = rng_below(&rng, CNF_VARS - WINDOW);
            for (int k = 0; k < 3; k++) {
                int32_t v = (int32_t)(base + rng_below(&rng, WINDOW)) + 1;
                cnf[s][c][k] = rng_below(&rng, 2) ? v : -v;
            }
        }

    double start = bench_now();
    uint64_t h = 0;
    uint64_t peak = 0;
    for (int round = 0; round < scale; round++) {
        /* 1) adders over interleaved a_i (var 2i) and b_i (var 2i+1) */
        uint32_t width = 24 + (uint32_t)(round % 8);
        bdd_init(&b, 2 * width + 1);
        uint32_t a[32], c[32], g[32], p[32], rsum[33], lsum[33];
        for (uint32_t i = 0; i < width; i++) { a[i] = bvar(&b, 2 * i); c[i] = bvar(&b, 2 * i + 1); }
        uint32_t carry = bvar(&b, 2 * width);   /* carry-in is the last variable */
        for (uint32_t i = 0; i < width; i++) {
            uint32_t t = bxor(&b, a[i], c[i]);
            rsum[i] = bxor(&b, t, carry);
            carry = bor(&b, band(&b, a[i], c[i]), band(&b, carry, t));
        }
        rsum[width] = carry;
        /* carry-lookahead: carries as OR of generate terms killed by no later non-propagate */
        for (uint32_t i = 0; i < width; i++) { g[i] = band(&b, a[i], c[i]); p[i] = bxor(&b, a[i], c[i]); }
        uint32_t cin = bvar(&b, 2 * width);
        for (uint32_t i = 0; i <= width; i++) {
            /* carry into position i = g[i-1] | p[i-1]g[i-2] | ... | p[i-1]..p[0]cin */
            uint32_t ci = FALSE_N, prod = TRUE_N;
            for (uint32_t j = i; j-- > 0;) {
                ci = bor(&b, ci, band(&b, prod, g[j]));
                prod = band(&b, prod, p[j]);
            }
            ci = bor(&b, ci, band(&b, prod, cin));
            lsum[i] = i < width ? bxor(&b, p[i], ci) : ci;
        }
        for (uint32_t i = 0; i <= width; i++)
            if (lsum[i] != rsum[i]) {
                printf("bdd_package: adders differ at bit %u\n", i);
                return 1;
            }
        h = mix64(h, b.count);
        h = mix64(h, node_count(&b, rsum[width]));
        h = mix64(h, sat_count(&b, rsum[width - 1]));

        /* 2) low bits of an 8x8 multiplier (shift-and-add, ripple adders), vars interleaved */
        bdd_init(&b, 16);
        uint32_t x[8], y[8], acc[16];
        for (int i = 0; i < 8; i++) { x[i] = bvar(&b, (uint32_t)(2 * i)); y[i] = bvar(&b, (uint32_t)(2 * i + 1)); }
        for (int i = 0; i < 16; i++) acc[i] = FALSE_N;
        int mbits = 9 + round % 3;
        for (int i = 0; i < 8; i++) {
            uint32_t cr = FALSE_N;
            for (int j = 0; i + j < mbits; j++) {
                uint32_t pp = j < 8 ? band(&b, x[i], y[j]) : FALSE_N;
                uint32_t t = bxor(&b, acc[i + j], pp);
                uint32_t ncr = bor(&b, band(&b, acc[i + j], pp), band(&b, cr, t));
                acc[i + j] = bxor(&b, t, cr);
                cr = ncr;
            }
        }
        for (int i = 0; i < mbits; i++) {
            h = mix64(h, node_count(&b, acc[i]));
            h = mix64(h, sat_count(&b, acc[i]));
        }
        h = mix64(h, b.count);
        if (b.count > peak) peak = b.count;

        /* 3) random 3-CNF conjunction */
        bdd_init(&b, CNF_VARS);
        uint32_t f = TRUE_N;
        const int32_t (*cl)[3] = cnf[round % CNF_SETS];
        for (int k = 0; k < CNF_CLAUSES; k++) {
            uint32_t clause = FALSE_N;
            for (int l = 0; l < 3; l++) {
                int32_t lit = cl[k][l];
                uint32_t v = bvar(&b, (uint32_t)(lit < 0 ? -lit : lit) - 1);
                clause = bor(&b, clause, lit < 0 ? bnot(&b, v) : v);
            }
            f = band(&b, f, clause);
        }
        h = mix64(h, node_count(&b, f));
        h = mix64(h, sat_count(&b, f));
        h = mix64(h, b.count);
        if (b.count > peak) peak = b.count;
    }
    bench_report(start);
    printf("bdd_package rounds=%d peak_nodes=%llu checksum=%016llx\n", scale, (unsigned long long)peak,
           (unsigned long long)h);
    free(b.nodes); free(b.buckets); free(b.cache); free(b.memo); free(b.memo_stamp);
    return 0;
}
