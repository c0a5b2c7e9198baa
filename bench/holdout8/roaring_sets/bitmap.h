/* roaring_sets/bitmap.h — the roaring bitmap: keys, containers, set operations.
 * Part of roaring_sets.c, one translation unit: it includes the parts in order. */

/* ---------- roaring bitmap ---------- */

static void rbm_init(rbm_t *r)
{
    r->c = NULL;
    r->n = r->cap = 0;
}

static void rbm_free(rbm_t *r)
{
    for (int i = 0; i < r->n; i++)
        cont_free(&r->c[i]);
    free(r->c);
    rbm_init(r);
}

static void rbm_push(rbm_t *r, cont_t c)
{
    if (c.card == 0) {
        cont_free(&c);
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->c = realloc(r->c, sizeof(cont_t) * (size_t)r->cap);
    }
    r->c[r->n++] = c;
}

static int rbm_find(const rbm_t *r, uint16_t key)
{
    int lo = 0, hi = r->n;
    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        if (r->c[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int rbm_add(rbm_t *r, uint32_t v)
{
    uint16_t key = (uint16_t)(v >> 16);
    int i = rbm_find(r, key);
    if (i == r->n || r->c[i].key != key) {
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 8;
            r->c = realloc(r->c, sizeof(cont_t) * (size_t)r->cap);
        }
        memmove(r->c + i + 1, r->c + i, sizeof(cont_t) * (size_t)(r->n - i));
        r->c[i] = cont_empty_array(key, 4);
        r->n++;
    }
    return cont_add(&r->c[i], (uint16_t)v);
}

static int rbm_remove(rbm_t *r, uint32_t v)
{
    uint16_t key = (uint16_t)(v >> 16);
    int i = rbm_find(r, key);
    if (i == r->n || r->c[i].key != key)
        return 0;
    int res = cont_remove(&r->c[i], (uint16_t)v);
    if (r->c[i].card == 0) {
        cont_free(&r->c[i]);
        memmove(r->c + i, r->c + i + 1, sizeof(cont_t) * (size_t)(r->n - i - 1));
        r->n--;
    }
    return res;
}

static int rbm_contains(const rbm_t *r, uint32_t v)
{
    uint16_t key = (uint16_t)(v >> 16);
    int i = rbm_find(r, key);
    return i < r->n && r->c[i].key == key && cont_contains(&r->c[i], (uint16_t)v);
}

static uint64_t rbm_card(const rbm_t *r)
{
    uint64_t s = 0;
    for (int i = 0; i < r->n; i++)
        s += (uint64_t)r->c[i].card;
    return s;
}

static rbm_t rbm_op(const rbm_t *a, const rbm_t *b, int op)
{
    rbm_t r;
    rbm_init(&r);
    int i = 0, j = 0;
    while (i < a->n || j < b->n) {
        if (j >= b->n || (i < a->n && a->c[i].key < b->c[j].key)) {
            if (op != OP_AND)
                rbm_push(&r, cont_copy(&a->c[i]));
            i++;
        } else if (i >= a->n || b->c[j].key < a->c[i].key) {
            if (op == OP_OR || op == OP_XOR)
                rbm_push(&r, cont_copy(&b->c[j]));
            j++;
        } else {
            rbm_push(&r, cont_op(&a->c[i], &b->c[j], op));
            i++;
            j++;
        }
    }
    return r;
}

/* number of values <= v */
static uint64_t rbm_rank(const rbm_t *r, uint32_t v)
{
    uint16_t key = (uint16_t)(v >> 16), lo = (uint16_t)v;
    uint64_t s = 0;
    for (int i = 0; i < r->n; i++) {
        const cont_t *c = &r->c[i];
        if (c->key < key) {
            s += (uint64_t)c->card;
            continue;
        }
        if (c->key > key)
            break;
        if (c->type == C_ARRAY) {
            int k = array_find(c->vals, c->n, lo);
            s += (uint64_t)k + (k < c->n && c->vals[k] == lo);
        } else if (c->type == C_BITMAP) {
            int w = lo >> 6;
            for (int k = 0; k < w; k++)
                s += (uint64_t)__builtin_popcountll(c->words[k]);
            s += (uint64_t)__builtin_popcountll(c->words[w] & (~0ULL >> (63 - (lo & 63))));
        } else {
            for (int k = 0; k < c->n; k++) {
                uint32_t st = c->vals[2 * k], en = st + c->vals[2 * k + 1];
                if (st > lo)
                    break;
                s += (en <= lo ? en : lo) - st + 1;
            }
        }
        break;
    }
    return s;
}

/* value with the given 0-based rank; returns 0 with *ok = 0 when out of range */
static uint32_t rbm_select(const rbm_t *r, uint64_t k, int *ok)
{
    *ok = 0;
    for (int i = 0; i < r->n; i++) {
        const cont_t *c = &r->c[i];
        if (k >= (uint64_t)c->card) {
            k -= (uint64_t)c->card;
            continue;
        }
        uint32_t base = (uint32_t)c->key << 16;
        *ok = 1;
        if (c->type == C_ARRAY)
            return base | c->vals[k];
        if (c->type == C_RUN) {
            for (int j = 0;; j++) {
                uint32_t len = (uint32_t)c->vals[2 * j + 1] + 1;
                if (k < len)
                    return base | (uint32_t)(c->vals[2 * j] + k);
                k -= len;
            }
        }
        for (int w = 0;; w++) {
            int pc = __builtin_popcountll(c->words[w]);
            if (k < (uint64_t)pc) {
                uint64_t x = c->words[w];
                while (k--)
                    x &= x - 1;
                return base | (uint32_t)(w * 64 + __builtin_ctzll(x));
            }
            k -= (uint64_t)pc;
        }
    }
    return 0;
}

static int cont_count_runs(const cont_t *c)
{
    if (c->type == C_RUN)
        return c->n;
    if (c->type == C_ARRAY) {
        int runs = c->n > 0;
        for (int i = 1; i < c->n; i++)
            runs += c->vals[i] != c->vals[i - 1] + 1;
        return runs;
    }
    int runs = 0;
    uint64_t carry = 0;
    for (int i = 0; i < BWORDS; i++) {
        uint64_t w = c->words[i];
        runs += __builtin_popcountll(w & ~((w << 1) | carry));
        carry = w >> 63;
    }
    return runs;
}

/* convert containers to runs where that is smaller; returns how many converted */
static int rbm_run_optimize(rbm_t *r)
{
    int conv = 0;
    for (int i = 0; i < r->n; i++) {
        cont_t *c = &r->c[i];
        if (c->type == C_RUN)
            continue;
        int runs = cont_count_runs(c);
        int cur = c->type == C_ARRAY ? 2 * c->card : 8192;
        if (4 * runs + 2 >= cur)
            continue;
        cont_t d = cont_empty_array(c->key, 2 * runs);
        d.type = C_RUN;
        if (c->type == C_ARRAY) {
            for (int j = 0; j < c->n; j++)
                run_push(&d, c->vals[j], c->vals[j]);
        } else {
            for (int w = 0; w < BWORDS; w++) {
                uint64_t x = c->words[w];
                while (x) {
                    int s = __builtin_ctzll(x);
                    uint64_t ones = ~x >> s; /* find end of this run of ones */
                    int len = ones ? __builtin_ctzll(ones) : 64 - s;
                    run_push(&d, (uint32_t)(w * 64 + s), (uint32_t)(w * 64 + s + len - 1));
                    if (s + len >= 64)
                        x = 0;
                    else
                        x &= ~0ULL << (s + len);
                }
            }
        }
        d.card = c->card;
        cont_free(c);
        *c = d;
        conv++;
    }
    return conv;
}
