// bench-cflags: -Os
/* skiplist_kv.c — an ordered key-value store as a skip list of malloc'ed variable-height nodes
 * (flexible array of forward pointers, string keys compared with strcmp, keys formatted with
 * snprintf), with put/get/delete, prefix-counting range scans, pop-min, and a bulk "compaction"
 * that rebuilds the list from an in-order walk. Tower heights come from the trailing zero count of
 * xorshift output (p = 1/4).
 *
 * A plain array indexed by the numeric key serves as the reference model: every get, every delete
 * result and every range scan (count and value sum) is compared with it, and the list is walked
 * periodically to check strict ordering and that each level is a sub-list of the one below.
 * SCALE = batches of operations. */
#include "../programs/bench.h"

#define MAXLEVEL 16
#define KEYSPACE 60000
#define OPS_PER_BATCH 20000

typedef struct node {
    uint32_t value;
    int height;
    char key[12];
    struct node *next[];
} node;

typedef struct {
    node *head;
    int level;
    int count;
    bench_rng rng;
} skiplist;

static int failures;

static node *node_new(int height, const char *key, uint32_t value)
{
    node *n = malloc(sizeof(node) + sizeof(node *) * (size_t)height);
    n->height = height;
    n->value = value;
    if (key)
        strcpy(n->key, key);
    else
        n->key[0] = '\0';
    for (int i = 0; i < height; i++)
        n->next[i] = NULL;
    return n;
}

static void sl_init(skiplist *s, uint64_t seed)
{
    s->head = node_new(MAXLEVEL, NULL, 0);
    s->level = 1;
    s->count = 0;
    s->rng.s = seed;
}

static int random_height(skiplist *s)
{
    uint64_t x = rng_next(&s->rng) | (1ULL << 40);
    int h = 1 + __builtin_ctzll(x) / 2;
    return h > MAXLEVEL ? MAXLEVEL : h;
}

/* fills update[] with the last node before key on every level; returns the candidate node */
static node *find_path(skiplist *s, const char *key, node **update)
{
    node *x = s->head;
    for (int i = s->level - 1; i >= 0; i--) {
        while (x->next[i] && strcmp(x->next[i]->key, key) < 0)
            x = x->next[i];
        if (update)
            update[i] = x;
    }
    return x->next[0];
}

/* returns 1 if inserted, 0 if replaced */
static int sl_put(skiplist *s, const char *key, uint32_t value)
{
    node *update[MAXLEVEL];
    node *x = find_path(s, key, update);
    if (x && strcmp(x->key, key) == 0) {
        x->value = value;
        return 0;
    }
    int h = random_height(s);
    if (h > s->level) {
        for (int i = s->level; i < h; i++)
            update[i] = s->head;
        s->level = h;
    }
    node *n = node_new(h, key, value);
    for (int i = 0; i < h; i++) {
        n->next[i] = update[i]->next[i];
        update[i]->next[i] = n;
    }
    s->count++;
    return 1;
}

static node *sl_get(skiplist *s, const char *key)
{
    node *x = find_path(s, key, NULL);
    return x && strcmp(x->key, key) == 0 ? x : NULL;
}

static int sl_delete(skiplist *s, const char *key, uint32_t *old)
{
    node *update[MAXLEVEL];
    node *x = find_path(s, key, update);
    if (!x || strcmp(x->key, key) != 0)
        return 0;
    for (int i = 0; i < s->level; i++) {
        if (update[i]->next[i] != x)
            break;
        update[i]->next[i] = x->next[i];
    }
    while (s->level > 1 && s->head->next[s->level - 1] == NULL)
        s->level--;
    *old = x->value;
    free(x);
    s->count--;
    return 1;
}

/* scan [lo, hi): count and sum of values */
static int sl_range(skiplist *s, const char *lo, const char *hi, uint64_t *sum)
{
    node *x = find_path(s, lo, NULL);
    int c = 0;
    uint64_t acc = 0;
    while (x && strcmp(x->key, hi) < 0) {
        acc += x->value;
        c++;
        x = x->next[0];
    }
    *sum = acc;
    return c;
}

static int sl_popmin(skiplist *s, char *key, uint32_t *value)
{
    node *x = s->head->next[0];
    if (!x)
        return 0;
    strcpy(key, x->key);
    return sl_delete(s, key, value);
}

static void sl_check(skiplist *s)
{
    for (int i = 0; i < s->level; i++) {
        node *lower = s->head->next[0];
        int n = 0;
        for (node *x = s->head->next[i]; x; x = x->next[i]) {
            if (x->next[i] && strcmp(x->key, x->next[i]->key) >= 0)
                failures++;
            while (lower && lower != x)
                lower = lower->next[0];
            if (!lower)
                failures++;
            n++;
        }
        if (i == 0 && n != s->count)
            failures++;
    }
}

/* rebuild every node with fresh heights (simulates a compaction pass) */
static void sl_rebuild(skiplist *s)
{
    node *x = s->head->next[0];
    for (int i = 0; i < MAXLEVEL; i++)
        s->head->next[i] = NULL;
    node *tail[MAXLEVEL];
    for (int i = 0; i < MAXLEVEL; i++)
        tail[i] = s->head;
    s->level = 1;
    while (x) {
        node *nx = x->next[0];
        int h = random_height(s);
        node *n = node_new(h, x->key, x->value);
        for (int i = 0; i < h; i++) {
            tail[i]->next[i] = n;
            tail[i] = n;
        }
        if (h > s->level)
            s->level = h;
        free(x);
        x = nx;
    }
}

static void sl_free(skiplist *s)
{
    node *x = s->head;
    while (x) {
        node *nx = x->next[0];
        free(x);
        x = nx;
    }
}

static void make_key(char *buf, uint32_t k) { snprintf(buf, 12, "u%07u", k); }

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 40);
    int nops = scale * OPS_PER_BATCH;
    uint32_t *ops = malloc(sizeof(uint32_t) * (size_t)nops * 2);
    bench_rng r = { 0x51c1b115ULL };
    for (int i = 0; i < nops; i++) {
        uint32_t kind = rng_below(&r, 100);
        /* skew keys toward a hot region so some ranges are dense */
        uint32_t key = rng_below(&r, 4) == 0 ? rng_below(&r, KEYSPACE / 20) * 7 % KEYSPACE
                                             : rng_below(&r, KEYSPACE);
        ops[2 * i] = kind;
        ops[2 * i + 1] = key;
    }
    uint32_t *model = calloc(KEYSPACE, sizeof(uint32_t)); /* value+1, 0 = absent */
    int model_count = 0;

    double t0 = bench_now();
    skiplist s;
    sl_init(&s, 0xabcdef12345ULL);
    uint64_t h = 0;
    char kb[12], kb2[12];
    for (int i = 0; i < nops; i++) {
        uint32_t kind = ops[2 * i], k = ops[2 * i + 1];
        make_key(kb, k);
        if (kind < 45) {
            uint32_t v = ((k * 2654435761u) ^ (uint32_t)i) & 0x7fffffffu;
            int ins = sl_put(&s, kb, v);
            if (ins != (model[k] == 0))
                failures++;
            if (ins)
                model_count++;
            model[k] = v + 1;
        } else if (kind < 75) {
            node *n = sl_get(&s, kb);
            if ((n != NULL) != (model[k] != 0) || (n && n->value + 1 != model[k]))
                failures++;
            h = mix64(h, n ? n->value : 0xffffffffu);
        } else if (kind < 90) {
            uint32_t old = 0;
            int del = sl_delete(&s, kb, &old);
            if (del != (model[k] != 0) || (del && old + 1 != model[k]))
                failures++;
            if (del)
                model_count--;
            model[k] = 0;
        } else if (kind < 99) {
            uint32_t len = 1 + (k * 13u) % 700u;
            uint32_t hi = k + len > KEYSPACE ? KEYSPACE : k + len;
            make_key(kb2, hi);
            uint64_t sum;
            int c = sl_range(&s, kb, kb2, &sum);
            int mc = 0;
            uint64_t msum = 0;
            for (uint32_t j = k; j < hi; j++)
                if (model[j]) {
                    mc++;
                    msum += model[j] - 1;
                }
            if (c != mc || sum != msum)
                failures++;
            h = mix64(h, (uint64_t)c << 40 ^ sum);
        } else {
            uint32_t v;
            if (sl_popmin(&s, kb2, &v)) {
                uint32_t mk = (uint32_t)strtoul(kb2 + 1, NULL, 10);
                if (model[mk] != v + 1)
                    failures++;
                for (uint32_t j = 0; j < mk; j++)
                    if (model[j])
                        failures++;
                model[mk] = 0;
                model_count--;
                h = mix64(h, mk);
            }
        }
        if (s.count != model_count)
            failures++;
        if ((i + 1) % OPS_PER_BATCH == 0) {
            sl_check(&s);
            if ((i / OPS_PER_BATCH) % 4 == 3)
                sl_rebuild(&s);
            h = mix64(h, (uint64_t)s.count);
        }
    }
    sl_check(&s);
    bench_report(t0);
    printf("skiplist_kv: ops=%d live=%d failures=%d checksum=%016llx\n", nops, s.count, failures,
           (unsigned long long)h);
    sl_free(&s);
    free(ops);
    free(model);
    return failures != 0;
}
