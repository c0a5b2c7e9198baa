/* btree_map — an in-memory B-tree ordered map (uint32 keys -> uint64 values, minimum degree 16)
 * driven by a generated mix of inserts, deletes (with borrow/merge), point lookups and range scans.
 *
 * Nodes are malloc'ed and freed as the tree grows and shrinks; deletion follows the classic
 * top-down scheme that tops up a child before descending into it. Each round builds a fresh tree
 * from a pre-generated operation stream (keys perturbed per round), checks the structure and
 * in-order traversal at the end, and frees it. */
#include "../programs/bench.h"

#define T 16
#define MAXK (2 * T - 1)
#define NOPS 400000
#define KEYSPACE (1u << 20)

typedef struct node {
    int n;
    int leaf;
    uint32_t keys[MAXK];
    uint64_t vals[MAXK];
    struct node *kids[2 * T];
} node;

typedef struct {
    node *root;
    long count;
    long nodes;
} btree;

enum { OP_INSERT, OP_DELETE, OP_FIND, OP_RANGE };

typedef struct {
    uint8_t kind;
    uint32_t key;
    uint32_t arg;
} op;

static node *node_new(btree *t, int leaf)
{
    node *x = malloc(sizeof *x);
    if (!x) { fprintf(stderr, "out of memory\n"); exit(1); }
    x->n = 0;
    x->leaf = leaf;
    t->nodes++;
    return x;
}

static void node_free(btree *t, node *x)
{
    free(x);
    t->nodes--;
}

/* Index of the first key >= k (binary search). */
static int lower_bound(const node *x, uint32_t k)
{
    int lo = 0, hi = x->n;
    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        if (x->keys[mid] < k) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static int bt_find(const btree *t, uint32_t k, uint64_t *out)
{
    const node *x = t->root;
    while (x) {
        int i = lower_bound(x, k);
        if (i < x->n && x->keys[i] == k) { *out = x->vals[i]; return 1; }
        if (x->leaf) return 0;
        x = x->kids[i];
    }
    return 0;
}

/* Split the full child x->kids[i] around its median. */
static void split_child(btree *t, node *x, int i)
{
    node *y = x->kids[i];
    node *z = node_new(t, y->leaf);
    z->n = T - 1;
    memcpy(z->keys, y->keys + T, (T - 1) * sizeof(uint32_t));
    memcpy(z->vals, y->vals + T, (T - 1) * sizeof(uint64_t));
    if (!y->leaf) memcpy(z->kids, y->kids + T, T * sizeof(node *));
    y->n = T - 1;
    memmove(x->kids + i + 2, x->kids + i + 1, (size_t)(x->n - i) * sizeof(node *));
    x->kids[i + 1] = z;
    memmove(x->keys + i + 1, x->keys + i, (size_t)(x->n - i) * sizeof(uint32_t));
    memmove(x->vals + i + 1, x->vals + i, (size_t)(x->n - i) * sizeof(uint64_t));
    x->keys[i] = y->keys[T - 1];
    x->vals[i] = y->vals[T - 1];
    x->n++;
}

/* Insert or overwrite; returns 1 if the key was new. */
static int bt_insert(btree *t, uint32_t k, uint64_t v)
{
    if (!t->root) t->root = node_new(t, 1);
    if (t->root->n == MAXK) {
        node *s = node_new(t, 0);
        s->kids[0] = t->root;
        t->root = s;
        split_child(t, s, 0);
    }
    node *x = t->root;
    for (;;) {
        int i = lower_bound(x, k);
        if (i < x->n && x->keys[i] == k) { x->vals[i] = v; return 0; }
        if (x->leaf) {
            memmove(x->keys + i + 1, x->keys + i, (size_t)(x->n - i) * sizeof(uint32_t));
            memmove(x->vals + i + 1, x->vals + i, (size_t)(x->n - i) * sizeof(uint64_t));
            x->keys[i] = k;
            x->vals[i] = v;
            x->n++;
            t->count++;
            return 1;
        }
        if (x->kids[i]->n == MAXK) {
            split_child(t, x, i);
            if (k == x->keys[i]) { x->vals[i] = v; return 0; }
            if (k > x->keys[i]) i++;
        }
        x = x->kids[i];
    }
}

/* Merge x->kids[i+1] and separator i into x->kids[i]. */
static void merge_children(btree *t, node *x, int i)
{
    node *a = x->kids[i], *b = x->kids[i + 1];
    a->keys[a->n] = x->keys[i];
    a->vals[a->n] = x->vals[i];
    memcpy(a->keys + a->n + 1, b->keys, (size_t)b->n * sizeof(uint32_t));
    memcpy(a->vals + a->n + 1, b->vals, (size_t)b->n * sizeof(uint64_t));
    if (!a->leaf) memcpy(a->kids + a->n + 1, b->kids, (size_t)(b->n + 1) * sizeof(node *));
    a->n += b->n + 1;
    memmove(x->keys + i, x->keys + i + 1, (size_t)(x->n - i - 1) * sizeof(uint32_t));
    memmove(x->vals + i, x->vals + i + 1, (size_t)(x->n - i - 1) * sizeof(uint64_t));
    memmove(x->kids + i + 1, x->kids + i + 2, (size_t)(x->n - i - 1) * sizeof(node *));
    x->n--;
    node_free(t, b);
}

/* Make sure x->kids[i] has at least T keys before descending; returns the child index to use. */
static int fill_child(btree *t, node *x, int i)
{
    node *c = x->kids[i];
    if (i > 0 && x->kids[i - 1]->n >= T) {
        node *l = x->kids[i - 1];
        memmove(c->keys + 1, c->keys, (size_t)c->n * sizeof(uint32_t));
        memmove(c->vals + 1, c->vals, (size_t)c->n * sizeof(uint64_t));
        if (!c->leaf) memmove(c->kids + 1, c->kids, (size_t)(c->n + 1) * sizeof(node *));
        c->keys[0] = x->keys[i - 1];
        c->vals[0] = x->vals[i - 1];
        if (!c->leaf) c->kids[0] = l->kids[l->n];
        x->keys[i - 1] = l->keys[l->n - 1];
        x->vals[i - 1] = l->vals[l->n - 1];
        l->n--;
        c->n++;
        return i;
    }
    if (i < x->n && x->kids[i + 1]->n >= T) {
        node *r = x->kids[i + 1];
        c->keys[c->n] = x->keys[i];
        c->vals[c->n] = x->vals[i];
        if (!c->leaf) c->kids[c->n + 1] = r->kids[0];
        c->n++;
        x->keys[i] = r->keys[0];
        x->vals[i] = r->vals[0];
        memmove(r->keys, r->keys + 1, (size_t)(r->n - 1) * sizeof(uint32_t));
        memmove(r->vals, r->vals + 1, (size_t)(r->n - 1) * sizeof(uint64_t));
        if (!r->leaf) memmove(r->kids, r->kids + 1, (size_t)r->n * sizeof(node *));
        r->n--;
        return i;
    }
    if (i < x->n) {
        merge_children(t, x, i);
        return i;
    }
    merge_children(t, x, i - 1);
    return i - 1;
}

static int del_rec(btree *t, node *x, uint32_t k, uint64_t *old)
{
    for (;;) {
        int i = lower_bound(x, k);
        if (i < x->n && x->keys[i] == k) {
            if (x->leaf) {
                *old = x->vals[i];
                memmove(x->keys + i, x->keys + i + 1, (size_t)(x->n - i - 1) * sizeof(uint32_t));
                memmove(x->vals + i, x->vals + i + 1, (size_t)(x->n - i - 1) * sizeof(uint64_t));
                x->n--;
                return 1;
            }
            node *l = x->kids[i], *r = x->kids[i + 1];
            if (l->n >= T) {
                node *p = l;
                while (!p->leaf) p = p->kids[p->n];
                uint32_t pk = p->keys[p->n - 1];
                uint64_t pv = p->vals[p->n - 1];
                *old = x->vals[i];
                x->keys[i] = pk;
                x->vals[i] = pv;
                uint64_t dummy;
                return del_rec(t, l, pk, &dummy);
            }
            if (r->n >= T) {
                node *s = r;
                while (!s->leaf) s = s->kids[0];
                uint32_t sk = s->keys[0];
                uint64_t sv = s->vals[0];
                *old = x->vals[i];
                x->keys[i] = sk;
                x->vals[i] = sv;
                uint64_t dummy;
                return del_rec(t, r, sk, &dummy);
            }
            merge_children(t, x, i);
            x = l;
            continue;
        }
        if (x->leaf) return 0;
        if (x->kids[i]->n < T) i = fill_child(t, x, i);
        x = x->kids[i];
    }
}

static int bt_delete(btree *t, uint32_t k, uint64_t *old)
{
    if (!t->root) return 0;
    int r = del_rec(t, t->root, k, old);
    if (t->root->n == 0 && !t->root->leaf) {
        node *o = t->root;
        t->root = o->kids[0];
        node_free(t, o);
    }
    if (r) t->count--;
    return r;
}

/* Sum of values and count of keys in [lo, hi]. */
static void range_rec(const node *x, uint32_t lo, uint32_t hi, uint64_t *sum, long *cnt)
{
    int i = lower_bound(x, lo);
    for (; i < x->n; i++) {
        if (!x->leaf) range_rec(x->kids[i], lo, hi, sum, cnt);
        if (x->keys[i] > hi) return;
        *sum += x->vals[i] ^ x->keys[i];
        (*cnt)++;
    }
    if (!x->leaf) range_rec(x->kids[x->n], lo, hi, sum, cnt);
}

/* Verifies ordering and occupancy; returns the height, or -1 on error. Hashes keys in order. */
static int check_rec(const node *x, int is_root, uint64_t *h, long *cnt, uint32_t *prev, int *have_prev)
{
    if (!is_root && (x->n < T - 1 || x->n > MAXK)) return -1;
    int height = 0;
    for (int i = 0; i <= x->n; i++) {
        if (!x->leaf) {
            int hh = check_rec(x->kids[i], 0, h, cnt, prev, have_prev);
            if (hh < 0 || (i > 0 && hh != height)) return -1;
            height = hh;
        }
        if (i < x->n) {
            if (*have_prev && x->keys[i] <= *prev) return -1;
            *prev = x->keys[i];
            *have_prev = 1;
            (*cnt)++;
            *h = mix64(*h, ((uint64_t)x->keys[i] << 32) ^ x->vals[i]);
        }
    }
    return height + 1;
}

static void free_rec(btree *t, node *x)
{
    if (!x->leaf)
        for (int i = 0; i <= x->n; i++) free_rec(t, x->kids[i]);
    node_free(t, x);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 13);
    bench_rng rng = { 0x9E3779B97F4A7C15ULL };
    op *ops = malloc(NOPS * sizeof *ops);
    uint32_t *ins_keys = malloc(NOPS * sizeof *ins_keys);
    int nins = 0;
    if (!ops || !ins_keys) return 1;
    /* Phases: mostly inserts early on, deletes heavier later, with lookups and scans throughout. */
    for (int i = 0; i < NOPS; i++) {
        uint32_t r = rng_below(&rng, 100);
        int phase = i / (NOPS / 4);
        uint32_t ins = phase == 0 ? 70 : phase == 3 ? 30 : 45;
        uint32_t del = phase == 0 ? 10 : phase == 3 ? 45 : 25;
        if (r < ins) ops[i].kind = OP_INSERT;
        else if (r < ins + del) ops[i].kind = OP_DELETE;
        else if (r < 92) ops[i].kind = OP_FIND;
        else ops[i].kind = OP_RANGE;
        /* Keys cluster in a few hot regions plus a uniform background. */
        if (rng_below(&rng, 4) == 0)
            ops[i].key = (rng_below(&rng, 8) << 17) + rng_below(&rng, 4096);
        else
            ops[i].key = rng_below(&rng, KEYSPACE);
        /* Most deletes and lookups name a key inserted earlier in the stream. */
        if (ops[i].kind == OP_INSERT) ins_keys[nins++] = ops[i].key;
        else if (ops[i].kind != OP_RANGE && nins > 0 && rng_below(&rng, 4) != 0)
            ops[i].key = ins_keys[rng_below(&rng, (uint32_t)nins)];
        ops[i].arg = 1 + rng_below(&rng, 3000);
    }
    free(ins_keys);

    double start = bench_now();
    uint64_t h = 0;
    long found = 0, deleted = 0, inserted = 0, scanned = 0;
    for (int round = 0; round < scale; round++) {
        btree t = { NULL, 0, 0 };
        uint32_t perturb = (uint32_t)round * 2654435761u & (KEYSPACE - 1);
        for (int i = 0; i < NOPS; i++) {
            uint32_t k = (ops[i].key ^ perturb) & (KEYSPACE - 1);
            uint64_t v;
            switch (ops[i].kind) {
            case OP_INSERT:
                inserted += bt_insert(&t, k, (uint64_t)k * 0x9E3779B1u + (uint64_t)i);
                break;
            case OP_DELETE:
                if (bt_delete(&t, k, &v)) { deleted++; h = mix64(h, v); }
                break;
            case OP_FIND:
                if (bt_find(&t, k, &v)) { found++; h ^= v; }
                break;
            default: {
                uint64_t sum = 0;
                long cnt = 0;
                uint32_t hi = k + ops[i].arg;
                if (t.root) range_rec(t.root, k, hi, &sum, &cnt);
                scanned += cnt;
                h = mix64(h, sum + (uint64_t)cnt);
                break;
            }
            }
        }
        long cnt = 0;
        uint32_t prev = 0;
        int have_prev = 0;
        int height = t.root ? check_rec(t.root, 1, &h, &cnt, &prev, &have_prev) : 0;
        if (height < 0 || cnt != t.count) {
            printf("btree_map: structure check failed\n");
            return 1;
        }
        h = mix64(h, (uint64_t)height * 1000003u + (uint64_t)t.count);
        if (t.root) free_rec(&t, t.root);
        if (t.nodes != 0) { printf("btree_map: node leak\n"); return 1; }
    }
    bench_report(start);
    printf("btree_map rounds=%d inserted=%ld deleted=%ld found=%ld scanned=%ld checksum=%016llx\n", scale,
           inserted, deleted, found, scanned, (unsigned long long)h);
    free(ops);
    return 0;
}
