/* hamt_persist/walk.h -- whole-trie walks: collecting entries while checking positions against
 * the hash prefix and node shapes, diffs between versions that skip shared subtrees, and the
 * recount of references from all live versions. */

typedef struct { uint32_t k, a, b; } Diff;

typedef struct {
    uint32_t *k, *v;
    int n, cap;
} KVList;

static void kv_push(KVList *l, uint32_t k, uint32_t v)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->k = realloc(l->k, (size_t)l->cap * sizeof(uint32_t));
        l->v = realloc(l->v, (size_t)l->cap * sizeof(uint32_t));
        if (!l->k || !l->v)
            exit(1);
    }
    l->k[l->n] = k;
    l->v[l->n] = v;
    l->n++;
}

/* collects entries and checks positions against the hash prefix and node shapes */
static int collect(const Node *n, unsigned shift, uint32_t prefix, int is_root, KVList *out)
{
    int bad = 0;
    unsigned nd = popc(n->datamap), nn = popc(n->nodemap);
    if (n->datamap & n->nodemap)
        bad++;
    if (!is_root && nn == 0 && nd < 2)
        bad++;
    uint32_t lowmask = shift >= 32 ? 0xFFFFFFFFu : (1u << shift) - 1;
    for (unsigned i = 0; i < nd; i++) {
        uint32_t h = khash(n->s[i].e.k);
        if ((h & lowmask) != prefix)
            bad++;
        /* the i-th set bit of the datamap must be this entry's fragment */
        uint32_t bit = frag_bit(h, shift);
        if (!(n->datamap & bit) || popc(n->datamap & (bit - 1)) != i)
            bad++;
        kv_push(out, n->s[i].e.k, n->s[i].e.v);
    }
    uint32_t m = n->nodemap;
    for (unsigned i = 0; i < nn; i++) {
        unsigned f = (unsigned)__builtin_ctz(m);
        m &= m - 1;
        bad += collect(n->s[nd + i].n, shift + 5, prefix | (f << shift), 0, out);
    }
    return bad;
}

static void emit_all(const Node *n, int side, Diff **out)
{
    unsigned nd = popc(n->datamap), nn = popc(n->nodemap);
    for (unsigned i = 0; i < nd; i++) {
        Diff *d = (*out)++;
        d->k = n->s[i].e.k;
        d->a = side ? NONE : n->s[i].e.v;
        d->b = side ? n->s[i].e.v : NONE;
    }
    for (unsigned i = 0; i < nn; i++)
        emit_all(n->s[nd + i].n, side, out);
}

/* all entries of a subtree for one side, except key k, whose value is returned (NONE if absent) */
static void emit_all_except(const Node *n, int side, uint32_t k, uint32_t *found, Diff **out)
{
    unsigned nd = popc(n->datamap), nn = popc(n->nodemap);
    for (unsigned i = 0; i < nd; i++) {
        if (n->s[i].e.k == k) {
            *found = n->s[i].e.v;
            continue;
        }
        Diff *d = (*out)++;
        d->k = n->s[i].e.k;
        d->a = side ? NONE : n->s[i].e.v;
        d->b = side ? n->s[i].e.v : NONE;
    }
    for (unsigned i = 0; i < nn; i++)
        emit_all_except(n->s[nd + i].n, side, k, found, out);
}

/* one entry on one side against a whole subtree on the other */
static void emit_entry_vs(uint32_t k, uint32_t v, int entry_side, const Node *n, Diff **out)
{
    uint32_t other = NONE;
    emit_all_except(n, !entry_side, k, &other, out);
    if (other == v)
        return;
    Diff *d = (*out)++;
    d->k = k;
    d->a = entry_side ? other : v;
    d->b = entry_side ? v : other;
}

static void hamt_diff(const Node *a, const Node *b, Diff **out)
{
    if (a == b)
        return;
    uint32_t all = a->datamap | a->nodemap | b->datamap | b->nodemap;
    unsigned and_ = popc(a->datamap), bnd = popc(b->datamap);
    while (all) {
        uint32_t bit = all & -all;
        all &= all - 1;
        const Slot *sa = NULL, *sb = NULL;
        const Node *na = NULL, *nb = NULL;
        if (a->datamap & bit)
            sa = &a->s[popc(a->datamap & (bit - 1))];
        else if (a->nodemap & bit)
            na = a->s[and_ + popc(a->nodemap & (bit - 1))].n;
        if (b->datamap & bit)
            sb = &b->s[popc(b->datamap & (bit - 1))];
        else if (b->nodemap & bit)
            nb = b->s[bnd + popc(b->nodemap & (bit - 1))].n;
        if (sa && sb) {
            if (sa->e.k == sb->e.k) {
                if (sa->e.v != sb->e.v) {
                    Diff *d = (*out)++;
                    d->k = sa->e.k, d->a = sa->e.v, d->b = sb->e.v;
                }
            } else {
                Diff *d = (*out)++;
                d->k = sa->e.k, d->a = sa->e.v, d->b = NONE;
                d = (*out)++;
                d->k = sb->e.k, d->a = NONE, d->b = sb->e.v;
            }
        } else if (na && nb) {
            hamt_diff(na, nb, out);
        } else if (sa && nb) {
            emit_entry_vs(sa->e.k, sa->e.v, 0, nb, out);
        } else if (na && sb) {
            emit_entry_vs(sb->e.k, sb->e.v, 1, na, out);
        } else if (sa || na) {
            if (sa) {
                Diff *d = (*out)++;
                d->k = sa->e.k, d->a = sa->e.v, d->b = NONE;
            } else {
                emit_all(na, 0, out);
            }
        } else {
            if (sb) {
                Diff *d = (*out)++;
                d->k = sb->e.k, d->a = NONE, d->b = sb->e.v;
            } else {
                emit_all(nb, 1, out);
            }
        }
    }
}

/* ---- reference-count recount over all live versions ---- */

static void rc_visit(Node *n, int64_t *distinct)
{
    if (++n->seen > 1)
        return;
    (*distinct)++;
    unsigned nd = popc(n->datamap), nn = popc(n->nodemap);
    for (unsigned i = 0; i < nn; i++)
        rc_visit(n->s[nd + i].n, distinct);
}

static int rc_check(Node *n)
{
    if (n->seen == 0)
        return 0;
    int bad = n->seen != n->refc;
    n->seen = 0;
    unsigned nd = popc(n->datamap), nn = popc(n->nodemap);
    for (unsigned i = 0; i < nn; i++)
        bad += rc_check(n->s[nd + i].n);
    return bad;
}
