/* list_pool — doubly linked lists of nodes from a pool (malloc'ed chunks carved into nodes, a
 * free list threaded through them), driving an LRU cache: an open-addressing index from key to
 * node, a hit moves its node to the front, a miss evicts the tail; every so often a second-chance
 * sweep walks from the tail with a callback predicate and splices the recently used run back to
 * the front, and a side list is built by sorted insertion (a find-by-key walk with a callback)
 * and handed back to the pool. Style: code that keeps node pointers in locals across out-of-line
 * calls (the list and pool primitives are noinline, as they would be in a separate file). */
#include "bench.h"

#define CHUNK_NODES 512
#define CAPACITY 12000              /* cache entries */
#define INDEX_SLOTS 32768           /* power of two, well above CAPACITY */
#define HOT_KEYS 9000
#define COLD_KEYS 400000
#define ACCESSES_PER_SCALE 400000
#define SWEEP_EVERY 4096
#define SWEEP_LENGTH 64

typedef struct node {
    struct node *prev, *next;
    uint32_t key;
    uint32_t value;
    uint32_t hits;
} node;

typedef struct {
    node *free;
    void **chunks;
    int nchunks, cap;
    uint32_t live;
} pool;

typedef struct { node head; uint32_t size; } list;      /* circular, head is a sentinel */

typedef struct { uint32_t key; node *n; } slot;

typedef struct {
    list lru;
    slot *index;
    uint32_t hits, misses, evictions;
} cache;

typedef int (*node_pred)(const node *n, void *ctx);

/* ---- pool ---- */

__attribute__((noinline)) static node *pool_alloc(pool *p)
{
    if (!p->free) {
        if (p->nchunks == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 16;
            p->chunks = realloc(p->chunks, (size_t)p->cap * sizeof *p->chunks);
            if (!p->chunks) { printf("list_pool: out of memory\n"); exit(1); }
        }
        node *chunk = malloc(CHUNK_NODES * sizeof *chunk);
        if (!chunk) { printf("list_pool: out of memory\n"); exit(1); }
        p->chunks[p->nchunks++] = chunk;
        for (int i = CHUNK_NODES - 1; i >= 0; i--) {
            chunk[i].next = p->free;
            p->free = &chunk[i];
        }
    }
    node *n = p->free;
    p->free = n->next;
    p->live++;
    n->prev = n->next = NULL;
    n->hits = 0;
    return n;
}

__attribute__((noinline)) static void pool_free(pool *p, node *n)
{
    n->prev = NULL;
    n->next = p->free;
    p->free = n;
    p->live--;
}

static void pool_destroy(pool *p)
{
    for (int i = 0; i < p->nchunks; i++)
        free(p->chunks[i]);
    free(p->chunks);
}

/* ---- lists ---- */

static void list_init(list *l)
{
    l->head.prev = l->head.next = &l->head;
    l->size = 0;
}

__attribute__((noinline)) static node *insert_after(list *l, node *pos, node *n)
{
    n->prev = pos;
    n->next = pos->next;
    pos->next->prev = n;
    pos->next = n;
    l->size++;
    return n;
}

/* Removes n and returns the node that followed it. */
__attribute__((noinline)) static node *unlink_node(list *l, node *n)
{
    node *next = n->next;
    n->prev->next = next;
    next->prev = n->prev;
    n->prev = n->next = NULL;
    l->size--;
    return next;
}

/* Moves the run first..last (inclusive, count nodes, in order) of src to after pos in dst. */
__attribute__((noinline)) static void splice(list *dst, node *pos, list *src, node *first, node *last, uint32_t count)
{
    first->prev->next = last->next;
    last->next->prev = first->prev;
    src->size -= count;
    first->prev = pos;
    last->next = pos->next;
    pos->next->prev = last;
    pos->next = first;
    dst->size += count;
}

/* Walks from 'from' forwards (or backwards), at most limit nodes, and returns the first node the
 * predicate accepts, or NULL. */
__attribute__((noinline)) static node *find_node(list *l, node *from, int backwards, uint32_t limit, node_pred pred, void *ctx)
{
    for (node *n = from; n != &l->head && limit > 0; n = backwards ? n->prev : n->next, limit--)
        if (pred(n, ctx))
            return n;
    return NULL;
}

/* ---- index: linear probing, backward-shift deletion ---- */

static uint32_t slot_of(uint32_t key)
{
    uint32_t h = key * 0x9E3779B1u;
    return (h ^ h >> 15) & (INDEX_SLOTS - 1);
}

__attribute__((noinline)) static node *index_get(const slot *index, uint32_t key)
{
    for (uint32_t i = slot_of(key);; i = (i + 1) & (INDEX_SLOTS - 1)) {
        if (!index[i].n) return NULL;
        if (index[i].key == key) return index[i].n;
    }
}

static void index_put(slot *index, uint32_t key, node *n)
{
    uint32_t i = slot_of(key);
    while (index[i].n && index[i].key != key)
        i = (i + 1) & (INDEX_SLOTS - 1);
    index[i].key = key;
    index[i].n = n;
}

static void index_remove(slot *index, uint32_t key)
{
    uint32_t i = slot_of(key);
    while (index[i].key != key || !index[i].n)
        i = (i + 1) & (INDEX_SLOTS - 1);
    for (uint32_t j = (i + 1) & (INDEX_SLOTS - 1);; j = (j + 1) & (INDEX_SLOTS - 1)) {
        if (!index[j].n) break;
        uint32_t home = slot_of(index[j].key);
        /* Move j back to the hole at i unless its home lies cyclically in (i, j]. */
        if (((j - home) & (INDEX_SLOTS - 1)) >= ((j - i) & (INDEX_SLOTS - 1))) {
            index[i] = index[j];
            i = j;
        }
    }
    index[i].n = NULL;
    index[i].key = 0;
}

/* ---- the cache ---- */

static uint32_t compute_value(uint32_t key)
{
    uint32_t v = key * 2246822519u;
    return v ^ v >> 13;
}

/* Returns the cached value for key, loading it (and evicting the least recently used) on a miss. */
static uint32_t cache_get(cache *c, pool *p, uint32_t key)
{
    list *lru = &c->lru;
    node *n = index_get(c->index, key);
    if (n) {
        c->hits++;
        n->hits++;
        if (lru->head.next != n) {
            unlink_node(lru, n);
            insert_after(lru, &lru->head, n);
        }
        return n->value;
    }
    c->misses++;
    if (lru->size >= CAPACITY) {
        node *victim = lru->head.prev;
        index_remove(c->index, victim->key);
        unlink_node(lru, victim);
        pool_free(p, victim);
        c->evictions++;
    }
    n = pool_alloc(p);
    n->key = key;
    n->value = compute_value(key);
    insert_after(lru, &lru->head, n);
    index_put(c->index, key, n);
    return n->value;
}

static int was_reused(const node *n, void *ctx)
{
    return n->hits >= *(const uint32_t *)ctx;
}

/* Second chance: from the tail, find the first recently reused node within a short walk and
 * splice the run from it to the tail back to the front, clearing its hit counts. */
static uint32_t sweep(cache *c, uint32_t min_hits)
{
    list *lru = &c->lru;
    node *tail = lru->head.prev;
    node *found = find_node(lru, tail, 1, SWEEP_LENGTH, was_reused, &min_hits);
    if (!found)
        return 0;
    uint32_t count = 1;
    for (node *n = found; n != tail; n = n->next) {
        n->hits = 0;
        count++;
    }
    tail->hits = 0;
    splice(lru, &lru->head, lru, found, tail, count);
    return count;
}

static int key_at_least(const node *n, void *ctx)
{
    return n->key >= *(const uint32_t *)ctx;
}

/* Builds a sorted list of count random keys by walking to each insertion point, folds it into a
 * hash, and gives the nodes back to the pool. */
static uint64_t sorted_batch(pool *p, bench_rng *rng, uint32_t count)
{
    list batch;
    list_init(&batch);
    node *last = NULL;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t key = rng_below(rng, 1u << 20);
        node *n = pool_alloc(p);
        n->key = key;
        n->value = i;
        /* Start from the last insertion point if it is not past the key (keys often repeat). */
        node *from = last && last->key <= key ? last : batch.head.next;
        node *at = find_node(&batch, from, 0, UINT32_MAX, key_at_least, &key);
        last = insert_after(&batch, at ? at->prev : batch.head.prev, n);
    }
    uint64_t h = batch.size;
    uint32_t position = 0;
    for (node *n = batch.head.next; n != &batch.head; position++) {
        if (position % 8 == 0)
            h = mix64(h, (uint64_t)n->key << 32 | n->value);
        node *next = unlink_node(&batch, n);
        pool_free(p, n);
        n = next;
    }
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 80);
    bench_rng rng = { 0xBF58476D1CE4E5B9ULL };
    pool p = { 0 };
    cache c = { 0 };
    list_init(&c.lru);
    c.index = calloc(INDEX_SLOTS, sizeof *c.index);
    if (!c.index) { printf("list_pool: out of memory\n"); return 1; }
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    uint32_t moved = 0;
    for (int r = 0; r < scale; r++) {
        uint32_t acc = 0;
        for (uint32_t i = 0; i < ACCESSES_PER_SCALE; i++) {
            uint32_t pick = rng_below(&rng, 100);
            uint32_t key = pick < 80 ? 1 + rng_below(&rng, HOT_KEYS) : 1 + HOT_KEYS + rng_below(&rng, COLD_KEYS);
            acc += cache_get(&c, &p, key);
            if (i % SWEEP_EVERY == SWEEP_EVERY - 1)
                moved += sweep(&c, 1 + (i / SWEEP_EVERY) % 3);
        }
        h = mix64(h, acc);
        h = mix64(h, sorted_batch(&p, &rng, 1500 + rng_below(&rng, 500)));
        h = mix64(h, (uint64_t)c.hits << 32 | c.misses);
    }
    uint32_t walk = 0;
    for (node *n = c.lru.head.next; n != &c.lru.head && walk < 1000; n = n->next, walk++)
        h = mix64(h, n->key);
    h = mix64(h, moved);
    bench_report(start);
    printf("list_pool accesses=%d hits=%u misses=%u evictions=%u moved=%u nodes=%u checksum=%016llx\n",
           scale * ACCESSES_PER_SCALE, c.hits, c.misses, c.evictions, moved, p.live, (unsigned long long)h);
    free(c.index);
    pool_destroy(&p);
    return 0;
}
