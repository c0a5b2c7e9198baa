/* buddy_alloc — a memory allocator (binary buddy system plus slab caches) driven by a synthetic
 * allocation trace.
 *
 * An 8 MiB arena is managed by a buddy allocator (32-byte minimum blocks, per-order intrusive
 * doubly linked free lists stored in the free blocks, a non-empty-order bitmask searched with ctz,
 * in-band headers, coalescing on free). Requests up to 256 bytes go to slab caches: 4 KiB slabs
 * carved from the buddy allocator, eight size classes, free-object bitmaps searched with ctz, and
 * partial-slab lists. The driver keeps a table of live objects, replacing, reallocating and
 * verifying their fill patterns, and samples fragmentation statistics. Offsets, not pointers, go
 * into the checksum. */
#include "../programs/bench.h"

#define ARENA_LOG 23
#define ARENA (1u << ARENA_LOG)
#define MIN_LOG 5
#define MAX_ORDER (ARENA_LOG - MIN_LOG) /* order k block = 32 << k bytes */
#define NMIN (ARENA >> MIN_LOG)
#define PAGE_LOG 12
#define SLAB_ORDER (PAGE_LOG - MIN_LOG)
#define NPAGES (ARENA >> PAGE_LOG)
#define HDR 8u
#define NIL UINT32_MAX

static uint8_t *arena;
static uint32_t free_head[MAX_ORDER + 1];
static uint32_t nonempty; /* bit k set when free_head[k] != NIL */
static uint8_t blk_free[NMIN]; /* at a block's first min-block: 1 + order when free, 0 otherwise */
static uint8_t page_slab[NPAGES];

static inline uint32_t rd32(uint32_t off) { uint32_t v; memcpy(&v, arena + off, 4); return v; }
static inline void wr32(uint32_t off, uint32_t v) { memcpy(arena + off, &v, 4); }

/* free block layout: [0] next offset, [4] prev offset */
static void fl_push(uint32_t off, uint32_t k)
{
    uint32_t h = free_head[k];
    wr32(off, h);
    wr32(off + 4, NIL);
    if (h != NIL) wr32(h + 4, off);
    free_head[k] = off;
    nonempty |= 1u << k;
    blk_free[off >> MIN_LOG] = (uint8_t)(1 + k);
}

static void fl_remove(uint32_t off, uint32_t k)
{
    uint32_t nx = rd32(off), pv = rd32(off + 4);
    if (pv != NIL) wr32(pv, nx); else free_head[k] = nx;
    if (nx != NIL) wr32(nx + 4, pv);
    if (free_head[k] == NIL) nonempty &= ~(1u << k);
    blk_free[off >> MIN_LOG] = 0;
}

static void buddy_init(void)
{
    for (uint32_t k = 0; k <= MAX_ORDER; k++) free_head[k] = NIL;
    nonempty = 0;
    memset(blk_free, 0, sizeof blk_free);
    memset(page_slab, 0, sizeof page_slab);
    fl_push(0, MAX_ORDER);
}

/* returns the block offset of order k, or NIL */
static uint32_t buddy_alloc_order(uint32_t k)
{
    uint32_t avail = nonempty & ~((1u << k) - 1);
    if (!avail) return NIL;
    uint32_t j = (uint32_t)__builtin_ctz(avail);
    uint32_t off = free_head[j];
    fl_remove(off, j);
    while (j > k) {
        j--;
        fl_push(off + (32u << j), j);
    }
    return off;
}

static void buddy_free_order(uint32_t off, uint32_t k)
{
    while (k < MAX_ORDER) {
        uint32_t buddy = off ^ (32u << k);
        if (blk_free[buddy >> MIN_LOG] != 1 + k) break;
        fl_remove(buddy, k);
        off &= ~(32u << k);
        k++;
    }
    fl_push(off, k);
}

static uint32_t order_for(uint32_t bytes)
{
    uint32_t k = 0;
    while ((32u << k) < bytes) k++;
    return k;
}

/* ---------- slabs ---------- */
static const uint16_t class_size[8] = { 16, 32, 48, 64, 96, 128, 192, 256 };
#define SLAB_HDR 64u /* class, count, next, prev, 4 x uint64 bitmap (1 = free) */
static uint32_t partial[8];

static int size_class(uint32_t n)
{
    for (int c = 0; c < 8; c++)
        if (n <= class_size[c]) return c;
    return -1;
}

static uint32_t slab_capacity(int c) { return (4096u - SLAB_HDR) / class_size[c]; }

static uint64_t slab_bits(uint32_t slab, int w) { uint64_t v; memcpy(&v, arena + slab + 16 + 8 * w, 8); return v; }
static void slab_set_bits(uint32_t slab, int w, uint64_t v) { memcpy(arena + slab + 16 + 8 * w, &v, 8); }

static void partial_push(uint32_t slab, int c)
{
    wr32(slab + 8, partial[c]);
    wr32(slab + 12, NIL);
    if (partial[c] != NIL) wr32(partial[c] + 12, slab);
    partial[c] = slab;
}

static void partial_remove(uint32_t slab, int c)
{
    uint32_t nx = rd32(slab + 8), pv = rd32(slab + 12);
    if (pv != NIL) wr32(pv + 8, nx); else partial[c] = nx;
    if (nx != NIL) wr32(nx + 12, pv);
}

static uint64_t slabs_made, slabs_released;

static uint32_t slab_alloc(int c)
{
    uint32_t slab = partial[c];
    if (slab == NIL) {
        slab = buddy_alloc_order(SLAB_ORDER);
        if (slab == NIL) return NIL;
        slabs_made++;
        page_slab[slab >> PAGE_LOG] = 1;
        wr32(slab, (uint32_t)c);
        wr32(slab + 4, 0);
        uint32_t cap = slab_capacity(c);
        for (int w = 0; w < 4; w++) {
            uint32_t lo = (uint32_t)w * 64;
            uint64_t bits = cap >= lo + 64 ? ~0ULL : cap > lo ? (1ULL << (cap - lo)) - 1 : 0;
            slab_set_bits(slab, w, bits);
        }
        partial_push(slab, c);
    }
    int w = 0;
    uint64_t bits;
    while ((bits = slab_bits(slab, w)) == 0) w++;
    uint32_t idx = (uint32_t)w * 64 + (uint32_t)__builtin_ctzll(bits);
    slab_set_bits(slab, w, bits & (bits - 1));
    uint32_t used = rd32(slab + 4) + 1;
    wr32(slab + 4, used);
    if (used == slab_capacity(c)) partial_remove(slab, c);
    return slab + SLAB_HDR + idx * class_size[c];
}

static void slab_free(uint32_t off)
{
    uint32_t slab = off & ~((1u << PAGE_LOG) - 1);
    int c = (int)rd32(slab);
    uint32_t idx = (off - slab - SLAB_HDR) / class_size[c];
    int w = (int)(idx / 64);
    slab_set_bits(slab, w, slab_bits(slab, w) | 1ULL << (idx % 64));
    uint32_t used = rd32(slab + 4);
    uint32_t cap = slab_capacity(c);
    if (used == cap) partial_push(slab, c);
    used--;
    wr32(slab + 4, used);
    if (used == 0) {
        partial_remove(slab, c);
        page_slab[slab >> PAGE_LOG] = 0;
        buddy_free_order(slab, SLAB_ORDER);
        slabs_released++;
    }
}

/* ---------- public interface: offsets of user memory ---------- */
static uint32_t xmalloc(uint32_t n)
{
    int c = size_class(n);
    if (c >= 0) return slab_alloc(c);
    uint32_t k = order_for(n + HDR);
    if (k > MAX_ORDER) return NIL;
    uint32_t off = buddy_alloc_order(k);
    if (off == NIL) return NIL;
    wr32(off, 0xB0DD0000u | k);
    wr32(off + 4, n);
    return off + HDR;
}

static void xfree(uint32_t p)
{
    if (page_slab[p >> PAGE_LOG] && (p & ((1u << PAGE_LOG) - 1)) >= SLAB_HDR) {
        slab_free(p);
        return;
    }
    uint32_t off = p - HDR, tag = rd32(off);
    if ((tag & 0xffff0000u) != 0xB0DD0000u) { fprintf(stderr, "bad free at %u\n", p); exit(1); }
    wr32(off, 0);
    buddy_free_order(off, tag & 0xffff);
}

/* ---------- driver ---------- */
typedef struct { uint32_t off, size, seed; } live_obj;

#define NLIVE 4400
#define OPS_PER_UNIT 400000

static uint32_t draw_size(bench_rng *r)
{
    uint32_t k = rng_below(r, 100);
    if (k < 72) return 1 + rng_below(r, 256);
    if (k < 98) return 257 + rng_below(r, 3840);
    return 4096 + rng_below(r, 40000);
}

/* objects are touched, not fully written: the first 64 bytes, a guard word at each end and one
 * byte per 512 */
static void fill(uint32_t off, uint32_t size, uint32_t seed)
{
    uint8_t b = (uint8_t)seed;
    memset(arena + off, b, size < 64 ? size : 64);
    if (size >= 8) {
        wr32(off, seed);
        wr32(off + size - 4, ~seed);
        for (uint32_t q = 512; q + 8 < size; q += 512) arena[off + q] = b ^ 0x5a;
    }
}

static int verify(const live_obj *o)
{
    uint8_t b = (uint8_t)o->seed;
    if (o->size >= 8) {
        if (rd32(o->off) != o->seed || rd32(o->off + o->size - 4) != ~o->seed) return 0;
        uint32_t mid = (o->size < 64 ? o->size : 64) / 2;
        if (mid >= 4 && mid < o->size - 4 && arena[o->off + mid] != b) return 0;
        if (o->size > 520 && arena[o->off + 512] != (b ^ 0x5a)) return 0;
        return 1;
    }
    return arena[o->off] == b && arena[o->off + o->size - 1] == b;
}

static void free_stats(uint64_t *free_bytes, uint32_t *largest, uint32_t *blocks)
{
    *free_bytes = 0; *largest = 0; *blocks = 0;
    for (uint32_t k = 0; k <= MAX_ORDER; k++)
        for (uint32_t o = free_head[k]; o != NIL; o = rd32(o)) {
            *free_bytes += 32u << k;
            (*blocks)++;
            if (k + 1 > *largest) *largest = k + 1;
        }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 30);
    arena = calloc(1, ARENA);
    live_obj *live = calloc(NLIVE, sizeof(live_obj));
    if (!arena || !live) return 1;
    bench_rng rng = { 0x6275646479616c6cULL };

    double start = bench_now();
    uint64_t h = 0, oom = 0, reallocs = 0, bytes = 0;
    buddy_init();
    for (int c = 0; c < 8; c++) partial[c] = NIL;
    uint64_t ops = (uint64_t)scale * OPS_PER_UNIT;
    for (uint64_t op = 0; op < ops; op++) {
        uint32_t i = rng_below(&rng, NLIVE);
        live_obj *o = &live[i];
        if (o->size && rng_below(&rng, 8) == 0) {
            /* realloc: grow or shrink, keep the common prefix */
            uint32_t ns = draw_size(&rng);
            uint32_t np = xmalloc(ns);
            if (np != NIL) {
                uint32_t keep = ns < o->size ? ns : o->size;
                if (!verify(o)) { fprintf(stderr, "corruption before realloc op %llu\n", (unsigned long long)op); return 1; }
                memcpy(arena + np, arena + o->off, keep);
                xfree(o->off);
                o->off = np;
                o->size = ns;
                o->seed = (uint32_t)rng_next(&rng);
                fill(np, ns, o->seed);
                reallocs++;
                h = mix64(h, np);
                continue;
            }
        }
        if (o->size) {
            if (!verify(o)) { fprintf(stderr, "corruption op %llu\n", (unsigned long long)op); return 1; }
            xfree(o->off);
            o->size = 0;
        }
        uint32_t ns = draw_size(&rng);
        uint32_t p = xmalloc(ns);
        while (p == NIL) {
            /* out of memory: evict a few random objects and retry */
            oom++;
            for (int e = 0; e < 8; e++) {
                live_obj *v = &live[rng_below(&rng, NLIVE)];
                if (v->size) { xfree(v->off); v->size = 0; }
            }
            p = xmalloc(ns);
        }
        o->off = p;
        o->size = ns;
        o->seed = (uint32_t)rng_next(&rng);
        fill(p, ns, o->seed);
        bytes += ns;
        h = mix64(h, (uint64_t)p << 20 ^ ns);
        if ((op & 16383) == 16383) {
            uint64_t fb;
            uint32_t largest, blocks;
            free_stats(&fb, &largest, &blocks);
            h = mix64(h, fb ^ (uint64_t)largest << 40 ^ (uint64_t)blocks << 48);
        }
    }
    /* release everything: the arena must coalesce back into one block */
    for (uint32_t i = 0; i < NLIVE; i++)
        if (live[i].size) {
            if (!verify(&live[i])) { fprintf(stderr, "corruption at end\n"); return 1; }
            xfree(live[i].off);
            live[i].size = 0;
        }
    if (free_head[MAX_ORDER] != 0 || nonempty != 1u << MAX_ORDER) { fprintf(stderr, "arena did not coalesce\n"); return 1; }
    bench_report(start);
    printf("buddy_alloc ops=%llu bytes=%llu reallocs=%llu oom=%llu slabs=%llu/%llu checksum=%016llx\n",
           (unsigned long long)ops, (unsigned long long)bytes, (unsigned long long)reallocs, (unsigned long long)oom,
           (unsigned long long)slabs_made, (unsigned long long)slabs_released, (unsigned long long)h);
    free(arena); free(live);
    return 0;
}
