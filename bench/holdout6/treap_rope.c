/* treap_rope — implicit treap used as an editable sequence (rope) with lazy range reversal.
 *
 * The sequence of bytes is an implicit treap of malloc'ed nodes: position is the in-order index,
 * heap order is a random priority. Every node keeps its subtree size and two polynomial hashes
 * (forward and backward, wrapping mod 2^64) so that a pending reversal is applied by swapping
 * children and hashes. Split and merge are recursive. The workload is an edit script: insertions
 * of short strings, range deletions (freeing the cut subtree), range reversals, cut-and-paste
 * moves and range-hash comparisons between random windows, with the length kept between two
 * bounds. Every 4096 operations an in-order walk recomputes the hashes and checks them against the
 * root aggregates. */
#include "../programs/bench.h"

#define MAXN 70000

typedef struct Node {
    struct Node *l, *r;
    uint32_t pri, size;
    uint8_t ch, rev;
    uint64_t hf, hb;
} Node;

static uint64_t PW[MAXN + 2];
static const uint64_t BASE = 1000003ULL;

static uint32_t sz(const Node *t) { return t ? t->size : 0; }

static void pull(Node *t)
{
    uint32_t ls = sz(t->l), rs = sz(t->r);
    uint64_t lf = t->l ? t->l->hf : 0, lb = t->l ? t->l->hb : 0;
    uint64_t rf = t->r ? t->r->hf : 0, rb = t->r ? t->r->hb : 0;
    t->size = ls + rs + 1;
    t->hf = lf * PW[rs + 1] + (uint64_t)t->ch * PW[rs] + rf;
    t->hb = rb * PW[ls + 1] + (uint64_t)t->ch * PW[ls] + lb;
}

static void apply_rev(Node *t)
{
    if (!t)
        return;
    Node *x = t->l;
    t->l = t->r;
    t->r = x;
    uint64_t h = t->hf;
    t->hf = t->hb;
    t->hb = h;
    t->rev ^= 1;
}

static void push(Node *t)
{
    if (t->rev) {
        apply_rev(t->l);
        apply_rev(t->r);
        t->rev = 0;
    }
}

/* first k elements go to *a, the rest to *b */
static void split(Node *t, uint32_t k, Node **a, Node **b)
{
    if (!t) {
        *a = *b = NULL;
        return;
    }
    push(t);
    if (sz(t->l) < k) {
        split(t->r, k - sz(t->l) - 1, &t->r, b);
        pull(t);
        *a = t;
    } else {
        split(t->l, k, a, &t->l);
        pull(t);
        *b = t;
    }
}

static Node *merge(Node *a, Node *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    if (a->pri > b->pri) {
        push(a);
        a->r = merge(a->r, b);
        pull(a);
        return a;
    }
    push(b);
    b->l = merge(a, b->l);
    pull(b);
    return b;
}

static bench_rng R;
static uint64_t live_nodes;

static Node *new_node(uint8_t c)
{
    Node *n = malloc(sizeof *n);
    n->l = n->r = NULL;
    n->pri = (uint32_t)(rng_next(&R) >> 32);
    n->ch = c;
    n->rev = 0;
    pull(n);
    live_nodes++;
    return n;
}

static void free_tree(Node *t)
{
    if (!t)
        return;
    free_tree(t->l);
    free_tree(t->r);
    free(t);
    live_nodes--;
}

/* in-order walk pushing pending reversals; hashes and checks the byte stream */
static uint64_t walk_h;
static uint32_t walk_n;
static uint64_t walk_mix;
static void walk(Node *t)
{
    if (!t)
        return;
    push(t);
    walk(t->l);
    walk_h = walk_h * BASE + t->ch;
    walk_mix = mix64(walk_mix, t->ch + ((uint64_t)walk_n << 8));
    walk_n++;
    walk(t->r);
}

static uint64_t range_hash(Node **root, uint32_t p, uint32_t len)
{
    Node *a, *b, *c;
    split(*root, p, &a, &b);
    split(b, len, &b, &c);
    uint64_t h = b ? b->hf : 0;
    *root = merge(merge(a, b), c);
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 6);
    R.s = 0x7265617079ULL;
    PW[0] = 1;
    for (int i = 1; i <= MAXN + 1; i++)
        PW[i] = PW[i - 1] * BASE;
    static const char alpha[] = "abcd";

    double start = bench_now();
    Node *root = NULL;
    for (int i = 0; i < 30000; i++)
        root = merge(root, new_node((uint8_t)alpha[rng_below(&R, 4)]));
    uint64_t h = 0, matches = 0, checks = 0;
    long ops = (long)scale * 60000;
    for (long op = 0; op < ops; op++) {
        uint32_t n = sz(root);
        uint32_t kind = rng_below(&R, 100);
        if (n > 60000 && kind < 30)
            kind += 30; /* delete instead of insert when long */
        if (n < 20000 && kind >= 30 && kind < 50)
            kind -= 30;
        if (kind < 30) { /* insert a short string */
            uint32_t p = rng_below(&R, n + 1), len = 1 + rng_below(&R, 16);
            Node *mid = NULL;
            for (uint32_t i = 0; i < len; i++)
                mid = merge(mid, new_node((uint8_t)alpha[rng_below(&R, 4)]));
            Node *a, *b;
            split(root, p, &a, &b);
            root = merge(merge(a, mid), b);
        } else if (kind < 50) { /* delete a range */
            uint32_t len = 1 + rng_below(&R, 24);
            if (len > n)
                len = n;
            uint32_t p = rng_below(&R, n - len + 1);
            Node *a, *b, *c;
            split(root, p, &a, &b);
            split(b, len, &b, &c);
            free_tree(b);
            root = merge(a, c);
        } else if (kind < 70) { /* reverse a range */
            uint32_t len = 2 + rng_below(&R, 2000);
            if (len > n)
                len = n;
            uint32_t p = rng_below(&R, n - len + 1);
            Node *a, *b, *c;
            split(root, p, &a, &b);
            split(b, len, &b, &c);
            apply_rev(b);
            root = merge(merge(a, b), c);
        } else if (kind < 80) { /* cut and paste elsewhere */
            uint32_t len = 1 + rng_below(&R, 500);
            if (len > n)
                len = n;
            uint32_t p = rng_below(&R, n - len + 1);
            Node *a, *b, *c;
            split(root, p, &a, &b);
            split(b, len, &b, &c);
            Node *rest = merge(a, c);
            uint32_t q = rng_below(&R, n - len + 1);
            split(rest, q, &a, &c);
            root = merge(merge(a, b), c);
        } else { /* compare two windows by hash */
            uint32_t len = 1 + rng_below(&R, 6);
            if (len > n)
                len = n;
            uint32_t p = rng_below(&R, n - len + 1), q = rng_below(&R, n - len + 1);
            uint64_t h1 = range_hash(&root, p, len), h2 = range_hash(&root, q, len);
            if (h1 == h2)
                matches++;
            h = mix64(h, h1 ^ (h2 << 1));
        }
        if ((op & 4095) == 4095) {
            walk_h = 0;
            walk_n = 0;
            walk_mix = 0;
            walk(root);
            if (walk_h != root->hf || walk_n != root->size) {
                printf("treap_rope: hash check failed at op %ld\n", op);
                return 1;
            }
            checks++;
            h = mix64(h, walk_mix ^ root->hb);
        }
    }
    walk_h = 0;
    walk_n = 0;
    walk_mix = 0;
    walk(root);
    h = mix64(h, walk_mix);
    h = mix64(h, walk_h);
    uint32_t final_len = sz(root);
    free_tree(root);
    bench_report(start);
    printf("treap_rope ops=%ld len=%u matches=%llu checks=%llu leaked=%llu checksum=%016llx\n", ops,
        final_len, (unsigned long long)matches, (unsigned long long)checks,
        (unsigned long long)live_nodes, (unsigned long long)h);
    return 0;
}
