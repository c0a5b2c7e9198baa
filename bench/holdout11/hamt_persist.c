/* hamt_persist.c -- persistent hash map as a CHAMP-style hash array mapped trie.
 *
 * uint32 keys and values in malloc'ed nodes with two 32-bit bitmaps (inline entries and child
 * nodes), a flexible array of slots found by popcount, reference counts shared between
 * versions. Updates copy the path (insert, overwrite, delete with canonical collapsing of
 * single-entry nodes), so eight live versions share most of their nodes. A diff between two
 * versions skips shared subtrees.
 *
 * Checked against sorted reference arrays per version (lookups during every batch, full
 * contents, diffs), by rebuilding a version from its reference in another order and comparing
 * structures (the canonical form is unique), by path-prefix and shape invariants, and by
 * recounting every node's references from the live versions (which also finds leaks).
 * Parts: hamt_persist/trie.h (the trie), walk.h (enumeration, diffs, recount), reference.h.
 */
#include "../programs/bench.h"

#define NVER 8
#define UNIVERSE 4096u
#define BATCH 192

#include "hamt_persist/trie.h"
#include "hamt_persist/walk.h"
#include "hamt_persist/reference.h"

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

static int cmp_u32pair_idx(const void *pa, const void *pb)
{
    const uint32_t *a = pa, *b = pb;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

static uint64_t full_check(Node **root, RefMap *ref, int slot, KVList *list, bench_rng *rng,
                           int round)
{
    uint64_t h = 0;
    Node *t = root[slot];
    const RefMap *r = &ref[slot];

    /* contents, positions and shapes */
    list->n = 0;
    if (collect(t, 0, 0, 1, list))
        fail("trie invariants", round);
    if (list->n != r->n) {
        fail("entry count", round);
    } else {
        uint32_t *pairs = malloc((size_t)(list->n ? list->n : 1) * 2 * sizeof(uint32_t));
        if (!pairs)
            exit(1);
        for (int i = 0; i < list->n; i++)
            pairs[2 * i] = list->k[i], pairs[2 * i + 1] = list->v[i];
        qsort(pairs, (size_t)list->n, 2 * sizeof(uint32_t), cmp_u32pair_idx);
        for (int i = 0; i < list->n; i++)
            if (pairs[2 * i] != r->k[i] || pairs[2 * i + 1] != r->v[i]) {
                fail("contents", round);
                break;
            }
        free(pairs);
    }

    /* canonical form: rebuilt in descending key order it must be the same trie */
    Node *b = node_new(0, 0);
    for (int i = r->n - 1; i >= 0; i--) {
        int ch;
        Node *nb = hamt_insert(b, khash(r->k[i]), r->k[i], r->v[i], 0, &ch);
        node_release(b);
        b = nb;
    }
    if (!hamt_equal(b, t))
        fail("canonical rebuild", round);
    node_release(b);

    /* deleting everything in a random order must collapse to the empty root */
    uint32_t *order = malloc((size_t)(r->n ? r->n : 1) * sizeof(uint32_t));
    if (!order)
        exit(1);
    memcpy(order, r->k, (size_t)r->n * sizeof(uint32_t));
    for (int i = r->n - 1; i > 0; i--) {
        uint32_t j = rng_below(rng, (uint32_t)i + 1), x = order[i];
        order[i] = order[j], order[j] = x;
    }
    Node *d = node_ref(t);
    for (int i = 0; i < r->n; i++) {
        int ch;
        Node *nd = hamt_delete(d, khash(order[i]), order[i], 0, &ch);
        node_release(d);
        d = nd;
        if (!ch)
            fail("delete of present key", round);
        if (i == r->n / 2) {
            list->n = 0;
            if (collect(d, 0, 0, 1, list) || list->n != r->n - i - 1)
                fail("half-deleted trie", round);
        }
    }
    if (d->datamap || d->nodemap)
        fail("empty after deleting all", round);
    node_release(d);
    free(order);

    /* reference counts of everything reachable from the live versions */
    int64_t distinct = 0;
    for (int i = 0; i < NVER; i++)
        rc_visit(root[i], &distinct);
    int bad = 0;
    for (int i = 0; i < NVER; i++)
        bad += rc_check(root[i]);
    if (bad)
        fail("reference counts", round);
    if (distinct != live_nodes)
        fail("leaked or lost nodes", round);
    h = mix64(h, (uint64_t)distinct);
    h = mix64(h, (uint64_t)list->n);
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 60);
    bench_rng rng = { 0x5DEECE66D1234567ULL };
    Node *root[NVER];
    RefMap ref[NVER], work = { 0 };
    memset(ref, 0, sizeof ref);
    for (int i = 0; i < NVER; i++) {
        root[i] = node_new(0, 0);
        ref_reserve(&ref[i], 16);
    }
    Diff *dbuf = malloc(2 * UNIVERSE * sizeof(Diff)), *rbuf = malloc(2 * UNIVERSE * sizeof(Diff));
    if (!dbuf || !rbuf)
        return 1;
    KVList list = { 0 };
    uint64_t h = 0x1234;
    int rounds = scale * 64;

    double t0 = bench_now();
    for (int round = 0; round < rounds; round++) {
        int src = (int)rng_below(&rng, NVER), dst = (int)rng_below(&rng, NVER);
        if (round % 16 == 5) {
            /* fork: the destination shares the whole source version */
            Node *keep = node_ref(root[src]);
            node_release(root[dst]);
            root[dst] = keep;
            ref_copy(&work, &ref[src]);
            RefMap tmp = ref[dst];
            ref[dst] = work, work = tmp;
            continue;
        }
        Node *cur = node_ref(root[src]);
        ref_copy(&work, &ref[src]);
        ref_reserve(&work, work.n + BATCH + 16);
        for (int op = 0; op < BATCH; op++) {
            uint32_t x = rng_below(&rng, 100), k = rng_below(&rng, UNIVERSE);
            int pos, present = ref_find(&work, k, &pos), ch;
            if (x < 55) {
                uint32_t v = (uint32_t)(rng_next(&rng) >> 40);
                if (x < 8 && present)
                    v = work.v[pos]; /* rewrite the same value: must change nothing */
                Node *n = hamt_insert(cur, khash(k), k, v, 0, &ch);
                node_release(cur);
                cur = n;
                int want = present ? (work.v[pos] == v ? 0 : 1) : 2;
                if (ch != want)
                    fail("insert result", round);
                if (present) {
                    work.v[pos] = v;
                } else {
                    memmove(work.k + pos + 1, work.k + pos, (size_t)(work.n - pos) * sizeof(uint32_t));
                    memmove(work.v + pos + 1, work.v + pos, (size_t)(work.n - pos) * sizeof(uint32_t));
                    work.k[pos] = k, work.v[pos] = v, work.n++;
                }
            } else if (x < 90) {
                Node *n = hamt_delete(cur, khash(k), k, 0, &ch);
                node_release(cur);
                cur = n;
                if (ch != present)
                    fail("delete result", round);
                if (present) {
                    memmove(work.k + pos, work.k + pos + 1, (size_t)(work.n - pos - 1) * sizeof(uint32_t));
                    memmove(work.v + pos, work.v + pos + 1, (size_t)(work.n - pos - 1) * sizeof(uint32_t));
                    work.n--;
                }
            } else {
                uint32_t got = hamt_get(cur, k), want = present ? work.v[pos] : NONE;
                if (got != want)
                    fail("lookup", round);
                ch = (int)(got & 0xFF);
            }
            h = mix64(h, (uint64_t)ch);
        }
        /* the source version must be untouched: probe a few keys */
        for (int i = 0; i < 8; i++) {
            uint32_t k = rng_below(&rng, UNIVERSE);
            int pos, present = ref_find(&ref[src], k, &pos);
            if (hamt_get(root[src], k) != (present ? ref[src].v[pos] : NONE))
                fail("source version changed", round);
        }
        node_release(root[dst]);
        root[dst] = cur;
        RefMap tmp = ref[dst];
        ref[dst] = work, work = tmp;
        h = mix64(h, (uint64_t)ref[dst].n);

        if (round % 4 == 3) {
            int a = (int)rng_below(&rng, NVER), b = (int)rng_below(&rng, NVER);
            Diff *end = dbuf;
            hamt_diff(root[a], root[b], &end);
            int n = (int)(end - dbuf);
            qsort(dbuf, (size_t)n, sizeof(Diff), cmp_diff);
            int m = ref_diff(&ref[a], &ref[b], rbuf);
            if (n != m || memcmp(dbuf, rbuf, (size_t)n * sizeof(Diff)) != 0)
                fail("diff", round);
            h = mix64(h, (uint64_t)n);
            for (int i = 0; i < n; i += 7)
                h = mix64(h, ((uint64_t)dbuf[i].k << 32) ^ dbuf[i].a ^ ((uint64_t)dbuf[i].b << 7));
        }
        if (round % 32 == 31)
            h ^= full_check(root, ref, dst, &list, &rng, round);
    }
    for (int i = 0; i < NVER; i++) {
        h = mix64(h, (uint64_t)ref[i].n);
        node_release(root[i]);
        free(ref[i].k);
        free(ref[i].v);
    }
    if (live_nodes != 0)
        fail("nodes left after releasing every version", rounds);
    bench_report(t0);

    free(work.k);
    free(work.v);
    free(list.k);
    free(list.v);
    free(dbuf);
    free(rbuf);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
