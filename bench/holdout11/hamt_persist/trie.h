/* hamt_persist/trie.h -- the trie: malloc'ed nodes with an entry bitmap and a child bitmap,
 * slots found by popcount, reference counts; path-copying insert and delete (single-entry
 * children are pulled up into their parent, so the shape is canonical), lookup and structural
 * equality. Keys are hashed by an invertible mix, so two keys never share a full hash. */

#define NONE 0xFFFFFFFFu

typedef struct Node Node;
typedef union {
    struct { uint32_t k, v; } e;
    Node *n;
} Slot;
struct Node {
    uint32_t datamap, nodemap;
    uint32_t refc, seen;
    Slot s[];
};

static int64_t live_nodes;

static inline unsigned popc(uint32_t x) { return (unsigned)__builtin_popcount(x); }

/* an invertible mix: distinct keys have distinct 32-bit hashes, so no collision lists */
static inline uint32_t khash(uint32_t k)
{
    k *= 0x9E3779B1u;
    k ^= k >> 15;
    k *= 0x85EBCA77u;
    k ^= k >> 13;
    return k;
}

static inline uint32_t frag_bit(uint32_t h, unsigned shift) { return 1u << ((h >> shift) & 31u); }

static Node *node_new(uint32_t datamap, uint32_t nodemap)
{
    unsigned n = popc(datamap) + popc(nodemap);
    Node *p = malloc(sizeof(Node) + n * sizeof(Slot));
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    p->datamap = datamap;
    p->nodemap = nodemap;
    p->refc = 1;
    p->seen = 0;
    live_nodes++;
    return p;
}

static inline Node *node_ref(Node *n)
{
    n->refc++;
    return n;
}

static void node_release(Node *n)
{
    if (--n->refc)
        return;
    unsigned nd = popc(n->datamap), nn = popc(n->nodemap);
    for (unsigned i = 0; i < nn; i++)
        node_release(n->s[nd + i].n);
    free(n);
    live_nodes--;
}

/* copy n's slots into m, which has the same shape; children get an extra reference */
static Node *node_clone(const Node *n)
{
    Node *m = node_new(n->datamap, n->nodemap);
    unsigned nd = popc(n->datamap), nn = popc(n->nodemap);
    memcpy(m->s, n->s, (nd + nn) * sizeof(Slot));
    for (unsigned i = 0; i < nn; i++)
        m->s[nd + i].n->refc++;
    return m;
}

static Node *merge_two(uint32_t h1, uint32_t k1, uint32_t v1, uint32_t h2, uint32_t k2, uint32_t v2,
                       unsigned shift)
{
    uint32_t b1 = frag_bit(h1, shift), b2 = frag_bit(h2, shift);
    if (b1 != b2) {
        Node *n = node_new(b1 | b2, 0);
        int first1 = b1 < b2;
        n->s[first1 ? 0 : 1].e.k = k1;
        n->s[first1 ? 0 : 1].e.v = v1;
        n->s[first1 ? 1 : 0].e.k = k2;
        n->s[first1 ? 1 : 0].e.v = v2;
        return n;
    }
    Node *n = node_new(0, b1);
    n->s[0].n = merge_two(h1, k1, v1, h2, k2, v2, shift + 5);
    return n;
}

/* returns a new reference; *change: 0 nothing, 1 overwritten, 2 added */
static Node *hamt_insert(Node *n, uint32_t h, uint32_t k, uint32_t v, unsigned shift, int *change)
{
    uint32_t bit = frag_bit(h, shift);
    unsigned nd = popc(n->datamap), nn = popc(n->nodemap);
    if (n->datamap & bit) {
        unsigned i = popc(n->datamap & (bit - 1));
        if (n->s[i].e.k == k) {
            if (n->s[i].e.v == v) {
                *change = 0;
                return node_ref(n);
            }
            Node *m = node_clone(n);
            m->s[i].e.v = v;
            *change = 1;
            return m;
        }
        Node *sub = merge_two(khash(n->s[i].e.k), n->s[i].e.k, n->s[i].e.v, h, k, v, shift + 5);
        Node *m = node_new(n->datamap & ~bit, n->nodemap | bit);
        unsigned j = popc(n->nodemap & (bit - 1));
        memcpy(m->s, n->s, i * sizeof(Slot));
        memcpy(m->s + i, n->s + i + 1, (nd - 1 - i) * sizeof(Slot));
        Slot *kids = m->s + nd - 1;
        for (unsigned c = 0, o = 0; c <= nn; c++) {
            if (c == j)
                kids[c].n = sub;
            else
                kids[c].n = node_ref(n->s[nd + o++].n);
        }
        *change = 2;
        return m;
    }
    if (n->nodemap & bit) {
        unsigned j = nd + popc(n->nodemap & (bit - 1));
        Node *sub = hamt_insert(n->s[j].n, h, k, v, shift + 5, change);
        if (!*change) {
            node_release(sub);
            return node_ref(n);
        }
        Node *m = node_clone(n);
        node_release(m->s[j].n);
        m->s[j].n = sub;
        return m;
    }
    Node *m = node_new(n->datamap | bit, n->nodemap);
    unsigned i = popc(n->datamap & (bit - 1));
    memcpy(m->s, n->s, i * sizeof(Slot));
    m->s[i].e.k = k;
    m->s[i].e.v = v;
    memcpy(m->s + i + 1, n->s + i, (nd - i + nn) * sizeof(Slot));
    for (unsigned c = 0; c < nn; c++)
        n->s[nd + c].n->refc++;
    *change = 2;
    return m;
}

/* returns a new reference; a node with one entry and no children is left for the parent to
 * inline (only the root may keep that shape) */
static Node *hamt_delete(Node *n, uint32_t h, uint32_t k, unsigned shift, int *change)
{
    uint32_t bit = frag_bit(h, shift);
    unsigned nd = popc(n->datamap), nn = popc(n->nodemap);
    if (n->datamap & bit) {
        unsigned i = popc(n->datamap & (bit - 1));
        if (n->s[i].e.k != k) {
            *change = 0;
            return node_ref(n);
        }
        Node *m = node_new(n->datamap & ~bit, n->nodemap);
        memcpy(m->s, n->s, i * sizeof(Slot));
        memcpy(m->s + i, n->s + i + 1, (nd - 1 - i + nn) * sizeof(Slot));
        for (unsigned c = 0; c < nn; c++)
            n->s[nd + c].n->refc++;
        *change = 1;
        return m;
    }
    if (n->nodemap & bit) {
        unsigned j = nd + popc(n->nodemap & (bit - 1));
        Node *sub = hamt_delete(n->s[j].n, h, k, shift + 5, change);
        if (!*change) {
            node_release(sub);
            return node_ref(n);
        }
        if (sub->nodemap == 0 && popc(sub->datamap) == 1) {
            /* inline the last entry of the child */
            Node *m = node_new(n->datamap | bit, n->nodemap & ~bit);
            unsigned i = popc(n->datamap & (bit - 1));
            memcpy(m->s, n->s, i * sizeof(Slot));
            m->s[i] = sub->s[0];
            memcpy(m->s + i + 1, n->s + i, (nd - i) * sizeof(Slot));
            Slot *kids = m->s + nd + 1;
            for (unsigned c = 0, o = 0; c < nn; c++) {
                if (nd + c == j)
                    continue;
                kids[o++].n = node_ref(n->s[nd + c].n);
            }
            node_release(sub);
            return m;
        }
        Node *m = node_clone(n);
        node_release(m->s[j].n);
        m->s[j].n = sub;
        return m;
    }
    *change = 0;
    return node_ref(n);
}

static uint32_t hamt_get(const Node *n, uint32_t k)
{
    uint32_t h = khash(k);
    for (unsigned shift = 0;; shift += 5) {
        uint32_t bit = frag_bit(h, shift);
        if (n->datamap & bit) {
            const Slot *s = &n->s[popc(n->datamap & (bit - 1))];
            return s->e.k == k ? s->e.v : NONE;
        }
        if (!(n->nodemap & bit))
            return NONE;
        n = n->s[popc(n->datamap) + popc(n->nodemap & (bit - 1))].n;
    }
}

static int hamt_equal(const Node *a, const Node *b)
{
    if (a == b)
        return 1;
    if (a->datamap != b->datamap || a->nodemap != b->nodemap)
        return 0;
    unsigned nd = popc(a->datamap), nn = popc(a->nodemap);
    for (unsigned i = 0; i < nd; i++)
        if (a->s[i].e.k != b->s[i].e.k || a->s[i].e.v != b->s[i].e.v)
            return 0;
    for (unsigned i = 0; i < nn; i++)
        if (!hamt_equal(a->s[nd + i].n, b->s[nd + i].n))
            return 0;
    return 1;
}
