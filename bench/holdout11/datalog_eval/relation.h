/* datalog_eval/relation.h -- relations of arity 1 to 3 over int32 constants: tuples appended to
 * one array (so the tuples added since some moment form a range), an open-addressing set of
 * tuple indices for duplicate elimination, and per-column hash indexes whose chains run from the
 * newest tuple to the oldest. */

#define MAXARITY 3

typedef struct {
    char name[24];
    int arity;
    int32_t *tup;       /* count * MAXARITY */
    int count, cap;
    int *set;           /* open addressing, -1 = empty */
    int setcap;
    int *head[MAXARITY]; /* bucket -> newest tuple index with that value, -1 */
    int *next[MAXARITY]; /* tuple -> older tuple in the same bucket */
    int nbuck;
} Relation;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

static inline uint32_t hash_tuple(const int32_t *t, int arity)
{
    uint32_t h = 0x811C9DC5u;
    for (int i = 0; i < arity; i++) {
        h ^= (uint32_t)t[i];
        h *= 0x01000193u;
        h ^= h >> 15;
    }
    return h * 0x9E3779B1u;
}

static inline uint32_t hash_value(int32_t v)
{
    uint32_t h = (uint32_t)v * 0x85EBCA77u;
    return h ^ h >> 13;
}

static void rel_init(Relation *r, const char *name, int arity)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->arity = arity;
}

static void rel_free(Relation *r)
{
    free(r->tup);
    free(r->set);
    for (int c = 0; c < MAXARITY; c++)
        free(r->head[c]), free(r->next[c]);
}

static void rel_rehash(Relation *r)
{
    r->setcap = r->setcap ? r->setcap * 2 : 64;
    r->set = xrealloc(r->set, (size_t)r->setcap * sizeof(int));
    for (int i = 0; i < r->setcap; i++)
        r->set[i] = -1;
    uint32_t mask = (uint32_t)r->setcap - 1;
    for (int i = 0; i < r->count; i++) {
        uint32_t s = hash_tuple(r->tup + i * MAXARITY, r->arity) & mask;
        while (r->set[s] >= 0)
            s = (s + 1) & mask;
        r->set[s] = i;
    }
    /* column indexes with as many buckets as set slots / 2 */
    r->nbuck = r->setcap / 2;
    for (int c = 0; c < r->arity; c++) {
        r->head[c] = xrealloc(r->head[c], (size_t)r->nbuck * sizeof(int));
        for (int b = 0; b < r->nbuck; b++)
            r->head[c][b] = -1;
        for (int i = 0; i < r->count; i++) {
            uint32_t b = hash_value(r->tup[i * MAXARITY + c]) & (uint32_t)(r->nbuck - 1);
            r->next[c][i] = r->head[c][b];
            r->head[c][b] = i;
        }
    }
}

static int rel_contains(const Relation *r, const int32_t *t)
{
    if (!r->setcap)
        return 0;
    uint32_t mask = (uint32_t)r->setcap - 1, s = hash_tuple(t, r->arity) & mask;
    for (; r->set[s] >= 0; s = (s + 1) & mask) {
        const int32_t *u = r->tup + r->set[s] * MAXARITY;
        int eq = 1;
        for (int i = 0; i < r->arity; i++)
            eq &= u[i] == t[i];
        if (eq)
            return 1;
    }
    return 0;
}

/* returns 1 if the tuple was new */
static int rel_insert(Relation *r, const int32_t *t)
{
    if (rel_contains(r, t))
        return 0;
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->tup = xrealloc(r->tup, (size_t)r->cap * MAXARITY * sizeof(int32_t));
        for (int c = 0; c < MAXARITY; c++)
            r->next[c] = xrealloc(r->next[c], (size_t)r->cap * sizeof(int));
    }
    int i = r->count++;
    int32_t *dst = r->tup + i * MAXARITY;
    for (int k = 0; k < MAXARITY; k++)
        dst[k] = k < r->arity ? t[k] : 0;
    if (2 * r->count > r->setcap) {
        rel_rehash(r); /* includes the new tuple */
        return 1;
    }
    uint32_t mask = (uint32_t)r->setcap - 1, s = hash_tuple(dst, r->arity) & mask;
    while (r->set[s] >= 0)
        s = (s + 1) & mask;
    r->set[s] = i;
    for (int c = 0; c < r->arity; c++) {
        uint32_t b = hash_value(dst[c]) & (uint32_t)(r->nbuck - 1);
        r->next[c][i] = r->head[c][b];
        r->head[c][b] = i;
    }
    return 1;
}

/* order-independent digest of the contents */
static uint64_t rel_digest(const Relation *r)
{
    uint64_t sum = 0, x = 0;
    for (int i = 0; i < r->count; i++) {
        uint64_t h = mix64(0x9E37, (uint64_t)hash_tuple(r->tup + i * MAXARITY, r->arity) << 32 |
                                       (uint32_t)r->tup[i * MAXARITY]);
        sum += h;
        x ^= h * 3;
    }
    return sum ^ (x << 1) ^ (uint64_t)r->count;
}

static int rel_same(const Relation *a, const Relation *b)
{
    if (a->count != b->count || a->arity != b->arity)
        return 0;
    for (int i = 0; i < a->count; i++)
        if (!rel_contains(b, a->tup + i * MAXARITY))
            return 0;
    return 1;
}
