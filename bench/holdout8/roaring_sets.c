/* roaring_sets.c — compressed bitmap sets in the style of Roaring bitmaps.
 *
 * 32-bit values are split into a 16-bit key (the chunk) and a 16-bit low part. Each non-empty
 * chunk is one container: a sorted uint16 array (up to 4096 values), a 65536-bit bitmap, or a
 * list of runs (start, length-1) after run optimisation. Union, intersection, difference and
 * symmetric difference dispatch on the container pair; point inserts and deletes convert between
 * array and bitmap at the 4096 threshold; rank/select, a little-endian serialisation round trip
 * and run optimisation are included. Every result is compared with a flat bitset model.
 */
#include "../programs/bench.h"

#define UNIVERSE_BITS 22
#define NCHUNK (1 << (UNIVERSE_BITS - 16))
#define MODEL_WORDS (1 << (UNIVERSE_BITS - 6))
#define ARRAY_MAX 4096
#define BWORDS 1024

enum { C_ARRAY = 1, C_BITMAP = 2, C_RUN = 3 };

typedef struct {
    uint16_t key;
    uint8_t type;
    int card;
    int n;          /* array: values; run: number of runs */
    int cap;        /* capacity of vals in uint16 units */
    uint16_t *vals; /* array values, or run pairs (start, len-1) */
    uint64_t *words;
} cont_t;

typedef struct {
    cont_t *c;
    int n, cap;
} rbm_t;

static int failures;

/* ---------- container helpers ---------- */

static void cont_free(cont_t *c)
{
    free(c->vals);
    free(c->words);
    c->vals = NULL;
    c->words = NULL;
}

static cont_t cont_empty_array(uint16_t key, int cap)
{
    cont_t c;
    c.key = key;
    c.type = C_ARRAY;
    c.card = 0;
    c.n = 0;
    c.cap = cap < 4 ? 4 : cap;
    c.vals = malloc(sizeof(uint16_t) * (size_t)c.cap);
    c.words = NULL;
    return c;
}

static cont_t cont_empty_bitmap(uint16_t key)
{
    cont_t c;
    c.key = key;
    c.type = C_BITMAP;
    c.card = 0;
    c.n = 0;
    c.cap = 0;
    c.vals = NULL;
    c.words = calloc(BWORDS, sizeof(uint64_t));
    return c;
}

static void array_reserve(cont_t *c, int need)
{
    if (need <= c->cap)
        return;
    int cap = c->cap * 2;
    if (cap < need)
        cap = need;
    c->vals = realloc(c->vals, sizeof(uint16_t) * (size_t)cap);
    c->cap = cap;
}

static int popcount_words(const uint64_t *w, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += __builtin_popcountll(w[i]);
    return s;
}

/* Fill a 1024-word bitmap from any container. */
static void cont_to_words(const cont_t *c, uint64_t *w)
{
    if (c->type == C_BITMAP) {
        memcpy(w, c->words, BWORDS * sizeof(uint64_t));
        return;
    }
    memset(w, 0, BWORDS * sizeof(uint64_t));
    if (c->type == C_ARRAY) {
        for (int i = 0; i < c->n; i++)
            w[c->vals[i] >> 6] |= 1ULL << (c->vals[i] & 63);
    } else {
        for (int r = 0; r < c->n; r++) {
            uint32_t start = c->vals[2 * r], end = start + c->vals[2 * r + 1]; /* inclusive */
            uint32_t sw = start >> 6, ew = end >> 6;
            uint64_t first = ~0ULL << (start & 63);
            uint64_t last = ~0ULL >> (63 - (end & 63));
            if (sw == ew) {
                w[sw] |= first & last;
            } else {
                w[sw] |= first;
                for (uint32_t k = sw + 1; k < ew; k++)
                    w[k] = ~0ULL;
                w[ew] |= last;
            }
        }
    }
}

/* Build the natural (array or bitmap) container from a bitmap with known cardinality. */
static cont_t cont_from_words(uint16_t key, const uint64_t *w, int card)
{
    if (card > ARRAY_MAX) {
        cont_t c = cont_empty_bitmap(key);
        memcpy(c.words, w, BWORDS * sizeof(uint64_t));
        c.card = card;
        return c;
    }
    cont_t c = cont_empty_array(key, card);
    int k = 0;
    for (int i = 0; i < BWORDS; i++) {
        uint64_t x = w[i];
        while (x) {
            c.vals[k++] = (uint16_t)(i * 64 + __builtin_ctzll(x));
            x &= x - 1;
        }
    }
    c.n = c.card = k;
    return c;
}

/* Turn a run container back into array or bitmap form before mutation. */
static void cont_unrun(cont_t *c)
{
    if (c->type != C_RUN)
        return;
    uint64_t w[BWORDS];
    cont_to_words(c, w);
    cont_t d = cont_from_words(c->key, w, c->card);
    cont_free(c);
    *c = d;
}

static int array_find(const uint16_t *v, int n, uint16_t x)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cont_contains(const cont_t *c, uint16_t x)
{
    if (c->type == C_BITMAP)
        return (int)((c->words[x >> 6] >> (x & 63)) & 1);
    if (c->type == C_ARRAY) {
        int i = array_find(c->vals, c->n, x);
        return i < c->n && c->vals[i] == x;
    }
    /* runs: last run whose start <= x */
    int lo = 0, hi = c->n;
    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        if (c->vals[2 * mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    lo--;
    return (uint32_t)x <= (uint32_t)c->vals[2 * lo] + c->vals[2 * lo + 1];
}

static void array_to_bitmap(cont_t *c)
{
    cont_t b = cont_empty_bitmap(c->key);
    for (int i = 0; i < c->n; i++)
        b.words[c->vals[i] >> 6] |= 1ULL << (c->vals[i] & 63);
    b.card = c->card;
    cont_free(c);
    *c = b;
}

static void bitmap_to_array(cont_t *c)
{
    cont_t a = cont_from_words(c->key, c->words, c->card);
    cont_free(c);
    *c = a;
}

/* returns 1 if the value was newly added */
static int cont_add(cont_t *c, uint16_t x)
{
    cont_unrun(c);
    if (c->type == C_BITMAP) {
        uint64_t bit = 1ULL << (x & 63);
        if (c->words[x >> 6] & bit)
            return 0;
        c->words[x >> 6] |= bit;
        c->card++;
        return 1;
    }
    int i = array_find(c->vals, c->n, x);
    if (i < c->n && c->vals[i] == x)
        return 0;
    if (c->n == ARRAY_MAX) {
        array_to_bitmap(c);
        return cont_add(c, x);
    }
    array_reserve(c, c->n + 1);
    memmove(c->vals + i + 1, c->vals + i, sizeof(uint16_t) * (size_t)(c->n - i));
    c->vals[i] = x;
    c->n++;
    c->card++;
    return 1;
}

static int cont_remove(cont_t *c, uint16_t x)
{
    cont_unrun(c);
    if (c->type == C_BITMAP) {
        uint64_t bit = 1ULL << (x & 63);
        if (!(c->words[x >> 6] & bit))
            return 0;
        c->words[x >> 6] &= ~bit;
        c->card--;
        if (c->card <= ARRAY_MAX)
            bitmap_to_array(c);
        return 1;
    }
    int i = array_find(c->vals, c->n, x);
    if (i >= c->n || c->vals[i] != x)
        return 0;
    memmove(c->vals + i, c->vals + i + 1, sizeof(uint16_t) * (size_t)(c->n - i - 1));
    c->n--;
    c->card--;
    return 1;
}

static cont_t cont_copy(const cont_t *c)
{
    cont_t d = *c;
    if (c->vals) {
        d.vals = malloc(sizeof(uint16_t) * (size_t)c->cap);
        memcpy(d.vals, c->vals, sizeof(uint16_t) * (size_t)(c->type == C_RUN ? 2 * c->n : c->n));
    }
    if (c->words) {
        d.words = malloc(BWORDS * sizeof(uint64_t));
        memcpy(d.words, c->words, BWORDS * sizeof(uint64_t));
    }
    return d;
}

/* ---------- binary operations on containers ---------- */

enum { OP_OR, OP_AND, OP_ANDNOT, OP_XOR };

static cont_t array_merge(uint16_t key, const cont_t *a, const cont_t *b, int op)
{
    int cap = (op == OP_OR || op == OP_XOR) ? a->n + b->n : (op == OP_AND ? (a->n < b->n ? a->n : b->n) : a->n);
    cont_t r = cont_empty_array(key, cap);
    int i = 0, j = 0, k = 0;
    const uint16_t *x = a->vals, *y = b->vals;
    while (i < a->n && j < b->n) {
        if (x[i] < y[j]) {
            if (op != OP_AND)
                r.vals[k++] = x[i];
            i++;
        } else if (x[i] > y[j]) {
            if (op == OP_OR || op == OP_XOR)
                r.vals[k++] = y[j];
            j++;
        } else {
            if (op == OP_OR || op == OP_AND)
                r.vals[k++] = x[i];
            i++;
            j++;
        }
    }
    if (op != OP_AND)
        while (i < a->n)
            r.vals[k++] = x[i++];
    if (op == OP_OR || op == OP_XOR)
        while (j < b->n)
            r.vals[k++] = y[j++];
    r.n = r.card = k;
    if (k > ARRAY_MAX)
        array_to_bitmap(&r);
    return r;
}

static void run_push(cont_t *r, uint32_t s, uint32_t e)
{
    if (r->n > 0) {
        uint32_t ps = r->vals[2 * (r->n - 1)], pe = ps + r->vals[2 * (r->n - 1) + 1];
        if (s <= pe + 1) {
            if (e > pe)
                r->vals[2 * (r->n - 1) + 1] = (uint16_t)(e - ps);
            return;
        }
    }
    array_reserve(r, 2 * r->n + 2);
    r->vals[2 * r->n] = (uint16_t)s;
    r->vals[2 * r->n + 1] = (uint16_t)(e - s);
    r->n++;
}

static int run_card(const cont_t *r)
{
    int s = 0;
    for (int i = 0; i < r->n; i++)
        s += r->vals[2 * i + 1] + 1;
    return s;
}

/* union and intersection of two run containers, interval by interval */
static cont_t run_run(uint16_t key, const cont_t *a, const cont_t *b, int op)
{
    cont_t r = cont_empty_array(key, 2 * (a->n + b->n));
    r.type = C_RUN;
    int i = 0, j = 0;
    if (op == OP_OR) {
        while (i < a->n || j < b->n) {
            int takea = j >= b->n || (i < a->n && a->vals[2 * i] <= b->vals[2 * j]);
            const uint16_t *p = takea ? &a->vals[2 * i++] : &b->vals[2 * j++];
            run_push(&r, p[0], (uint32_t)p[0] + p[1]);
        }
    } else {
        while (i < a->n && j < b->n) {
            uint32_t as = a->vals[2 * i], ae = as + a->vals[2 * i + 1];
            uint32_t bs = b->vals[2 * j], be = bs + b->vals[2 * j + 1];
            uint32_t s = as > bs ? as : bs, e = ae < be ? ae : be;
            if (s <= e)
                run_push(&r, s, e);
            if (ae < be)
                i++;
            else
                j++;
        }
    }
    r.card = run_card(&r);
    if (r.card == 0) {
        r.type = C_ARRAY;
        r.n = 0;
    }
    return r;
}

static cont_t cont_op(const cont_t *a, const cont_t *b, int op)
{
    uint16_t key = a->key;
    if (a->type == C_ARRAY && b->type == C_ARRAY)
        return array_merge(key, a, b, op);
    if (a->type == C_RUN && b->type == C_RUN && (op == OP_OR || op == OP_AND))
        return run_run(key, a, b, op);
    if (op == OP_AND && (a->type == C_ARRAY || b->type == C_ARRAY) && a->type != C_RUN && b->type != C_RUN) {
        const cont_t *arr = a->type == C_ARRAY ? a : b, *bm = a->type == C_ARRAY ? b : a;
        cont_t r = cont_empty_array(key, arr->n);
        int k = 0;
        for (int i = 0; i < arr->n; i++) {
            uint16_t v = arr->vals[i];
            r.vals[k] = v;
            k += (int)((bm->words[v >> 6] >> (v & 63)) & 1);
        }
        r.n = r.card = k;
        return r;
    }
    if (op == OP_ANDNOT && a->type == C_ARRAY && b->type != C_ARRAY) {
        cont_t r = cont_empty_array(key, a->n);
        int k = 0;
        for (int i = 0; i < a->n; i++)
            if (!cont_contains(b, a->vals[i]))
                r.vals[k++] = a->vals[i];
        r.n = r.card = k;
        return r;
    }
    uint64_t wa[BWORDS], wb[BWORDS];
    cont_to_words(a, wa);
    if (b->type == C_ARRAY && op != OP_AND) {
        int card = a->type == C_RUN ? popcount_words(wa, BWORDS) : a->card;
        for (int i = 0; i < b->n; i++) {
            uint16_t v = b->vals[i];
            uint64_t bit = 1ULL << (v & 63), old = wa[v >> 6];
            if (op == OP_OR) {
                card += !(old & bit);
                wa[v >> 6] = old | bit;
            } else if (op == OP_ANDNOT) {
                card -= !!(old & bit);
                wa[v >> 6] = old & ~bit;
            } else {
                card += (old & bit) ? -1 : 1;
                wa[v >> 6] = old ^ bit;
            }
        }
        return cont_from_words(key, wa, card);
    }
    cont_to_words(b, wb);
    int card = 0;
    for (int i = 0; i < BWORDS; i++) {
        uint64_t x;
        switch (op) {
        case OP_OR: x = wa[i] | wb[i]; break;
        case OP_AND: x = wa[i] & wb[i]; break;
        case OP_ANDNOT: x = wa[i] & ~wb[i]; break;
        default: x = wa[i] ^ wb[i]; break;
        }
        wa[i] = x;
        card += __builtin_popcountll(x);
    }
    return cont_from_words(key, wa, card);
}

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

/* ---------- serialisation ---------- */

static size_t put16(uint8_t *p, size_t at, uint32_t v)
{
    p[at] = (uint8_t)v;
    p[at + 1] = (uint8_t)(v >> 8);
    return at + 2;
}

static uint32_t get16(const uint8_t *p, size_t at)
{
    return (uint32_t)p[at] | ((uint32_t)p[at + 1] << 8);
}

static size_t rbm_serialize(const rbm_t *r, uint8_t *out)
{
    size_t at = put16(out, 0, (uint32_t)r->n);
    for (int i = 0; i < r->n; i++) {
        const cont_t *c = &r->c[i];
        at = put16(out, at, c->key);
        out[at++] = c->type;
        at = put16(out, at, (uint32_t)(c->card - 1));
        if (c->type == C_ARRAY) {
            for (int j = 0; j < c->n; j++)
                at = put16(out, at, c->vals[j]);
        } else if (c->type == C_RUN) {
            at = put16(out, at, (uint32_t)c->n);
            for (int j = 0; j < 2 * c->n; j++)
                at = put16(out, at, c->vals[j]);
        } else {
            for (int j = 0; j < BWORDS; j++)
                for (int b = 0; b < 8; b++)
                    out[at++] = (uint8_t)(c->words[j] >> (8 * b));
        }
    }
    return at;
}

static size_t rbm_deserialize(rbm_t *r, const uint8_t *in, size_t len)
{
    rbm_init(r);
    size_t at = 2;
    int n = (int)get16(in, 0);
    for (int i = 0; i < n && at < len; i++) {
        uint16_t key = (uint16_t)get16(in, at);
        int type = in[at + 2];
        int card = (int)get16(in, at + 3) + 1;
        at += 5;
        cont_t c;
        if (type == C_ARRAY) {
            c = cont_empty_array(key, card);
            for (int j = 0; j < card; j++, at += 2)
                c.vals[j] = (uint16_t)get16(in, at);
            c.n = card;
        } else if (type == C_RUN) {
            int runs = (int)get16(in, at);
            at += 2;
            c = cont_empty_array(key, 2 * runs);
            c.type = C_RUN;
            for (int j = 0; j < 2 * runs; j++, at += 2)
                c.vals[j] = (uint16_t)get16(in, at);
            c.n = runs;
        } else {
            c = cont_empty_bitmap(key);
            for (int j = 0; j < BWORDS; j++) {
                uint64_t w = 0;
                for (int b = 0; b < 8; b++)
                    w |= (uint64_t)in[at++] << (8 * b);
                c.words[j] = w;
            }
        }
        c.card = card;
        rbm_push(r, c);
    }
    return at;
}

/* ---------- model comparison ---------- */

static void model_from(const rbm_t *r, uint64_t *m)
{
    memset(m, 0, MODEL_WORDS * sizeof(uint64_t));
    for (int i = 0; i < r->n; i++)
        cont_to_words(&r->c[i], m + (size_t)r->c[i].key * BWORDS);
}

static uint64_t model_card(const uint64_t *m)
{
    uint64_t s = 0;
    for (int i = 0; i < MODEL_WORDS; i++)
        s += (uint64_t)__builtin_popcountll(m[i]);
    return s;
}

/* compare a roaring bitmap with a model bitset; also checks container invariants */
static uint64_t check_against(const rbm_t *r, const uint64_t *m, uint64_t h)
{
    uint64_t w[BWORDS];
    int next = 0;
    for (int chunk = 0; chunk < NCHUNK; chunk++) {
        const uint64_t *mw = m + (size_t)chunk * BWORDS;
        if (next < r->n && r->c[next].key == chunk) {
            const cont_t *c = &r->c[next++];
            cont_to_words(c, w);
            int pc = popcount_words(w, BWORDS);
            if (pc != c->card || memcmp(w, mw, sizeof w) != 0)
                failures++;
            if (c->type == C_ARRAY) {
                if (c->card > ARRAY_MAX)
                    failures++;
                for (int i = 1; i < c->n; i++)
                    if (c->vals[i] <= c->vals[i - 1])
                        failures++;
            } else if (c->type == C_BITMAP && c->card <= ARRAY_MAX) {
                failures++;
            }
            h = mix64(h, ((uint64_t)c->key << 32) | (uint64_t)c->card);
            h = mix64(h, (uint64_t)c->type);
        } else {
            for (int i = 0; i < BWORDS; i++)
                if (mw[i])
                    failures++;
        }
    }
    if (next != r->n)
        failures++;
    return h;
}

/* ---------- set generators ---------- */

static void gen_set(rbm_t *r, uint64_t *m, bench_rng *g, int kind)
{
    rbm_init(r);
    memset(m, 0, MODEL_WORDS * sizeof(uint64_t));
    uint32_t U = 1u << UNIVERSE_BITS;
    int count;
    switch (kind) {
    case 0: /* sparse uniform */
        count = 20000 + (int)rng_below(g, 40000);
        for (int i = 0; i < count; i++) {
            uint32_t v = rng_below(g, U);
            rbm_add(r, v);
            m[v >> 6] |= 1ULL << (v & 63);
        }
        break;
    case 1: /* intervals */
        count = 20 + (int)rng_below(g, 60);
        for (int i = 0; i < count; i++) {
            uint32_t s = rng_below(g, U), len = 1 + rng_below(g, 20000);
            for (uint32_t v = s; v < s + len && v < U; v++) {
                rbm_add(r, v);
                m[v >> 6] |= 1ULL << (v & 63);
            }
        }
        break;
    case 2: /* dense chunks */
        count = 3 + (int)rng_below(g, 6);
        for (int i = 0; i < count; i++) {
            uint32_t base = rng_below(g, NCHUNK) << 16;
            uint32_t dens = 2 + rng_below(g, 6);
            for (uint32_t lo = 0; lo < 65536; lo++) {
                if (rng_below(g, dens) == 0) {
                    uint32_t v = base | lo;
                    rbm_add(r, v);
                    m[v >> 6] |= 1ULL << (v & 63);
                }
            }
        }
        break;
    default: { /* strided progressions */
        count = 4 + (int)rng_below(g, 8);
        for (int i = 0; i < count; i++) {
            uint32_t s = rng_below(g, U), stride = 1 + rng_below(g, 97), n = 500 + rng_below(g, 8000);
            for (uint32_t k = 0; k < n; k++) {
                uint32_t v = s + k * stride;
                if (v >= U)
                    break;
                rbm_add(r, v);
                m[v >> 6] |= 1ULL << (v & 63);
            }
        }
    } break;
    }
}

#define NSETS 6

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 11);
    bench_rng g = { 0x9E3779B97F4A7C15ULL };

    /* inputs: a pool of sets with their models, generated before the timer */
    rbm_t sets[NSETS];
    uint64_t *models[NSETS];
    for (int i = 0; i < NSETS; i++) {
        models[i] = malloc(MODEL_WORDS * sizeof(uint64_t));
        gen_set(&sets[i], models[i], &g, i % 4);
    }
    uint64_t *mres = malloc(MODEL_WORDS * sizeof(uint64_t));
    uint64_t *mtmp = malloc(MODEL_WORDS * sizeof(uint64_t));
    uint8_t *buf = malloc((size_t)NCHUNK * (16 + 4 * 32768) + 2);

    double t0 = bench_now();
    uint64_t h = 0x243F6A8885A308D3ULL;
    for (int round = 0; round < scale; round++) {
        /* pairwise set algebra */
        for (int a = 0; a < NSETS; a++) {
            for (int b = 0; b < NSETS; b++) {
                if (a == b)
                    continue;
                for (int op = 0; op < 4; op++) {
                    rbm_t r = rbm_op(&sets[a], &sets[b], op);
                    const uint64_t *ma = models[a], *mb = models[b];
                    for (int i = 0; i < MODEL_WORDS; i++) {
                        switch (op) {
                        case OP_OR: mres[i] = ma[i] | mb[i]; break;
                        case OP_AND: mres[i] = ma[i] & mb[i]; break;
                        case OP_ANDNOT: mres[i] = ma[i] & ~mb[i]; break;
                        default: mres[i] = ma[i] ^ mb[i]; break;
                        }
                    }
                    if (rbm_card(&r) != model_card(mres))
                        failures++;
                    h = check_against(&r, mres, h);
                    rbm_free(&r);
                }
            }
        }

        /* rank/select probes on each set */
        for (int s = 0; s < NSETS; s++) {
            uint64_t card = rbm_card(&sets[s]);
            for (int q = 0; q < 200 && card > 0; q++) {
                uint64_t k = rng_next(&g) % card;
                int ok;
                uint32_t v = rbm_select(&sets[s], k, &ok);
                if (!ok || rbm_rank(&sets[s], v) != k + 1 || !rbm_contains(&sets[s], v))
                    failures++;
                h = mix64(h, v);
            }
        }

        /* mutation: random inserts and deletes mirrored in the model */
        int victim = round % NSETS;
        rbm_t *vs = &sets[victim];
        uint64_t *vm = models[victim];
        for (int q = 0; q < 60000; q++) {
            uint32_t v;
            uint64_t rr = rng_next(&g);
            if ((rr & 3) == 0 && vs->n > 0) {
                /* near an existing chunk so that array/bitmap conversions happen */
                const cont_t *c = &vs->c[(rr >> 8) % (uint64_t)vs->n];
                v = ((uint32_t)c->key << 16) | (uint32_t)((rr >> 32) & 0xFFFF);
            } else {
                v = (uint32_t)(rr >> 40) & ((1u << UNIVERSE_BITS) - 1);
            }
            int present = (int)((vm[v >> 6] >> (v & 63)) & 1);
            if ((rr >> 4) & 1) {
                if (rbm_add(vs, v) == present)
                    failures++;
                vm[v >> 6] |= 1ULL << (v & 63);
            } else {
                if (rbm_remove(vs, v) != present)
                    failures++;
                vm[v >> 6] &= ~(1ULL << (v & 63));
            }
            if (rbm_contains(vs, v ^ 1) != (int)((vm[(v ^ 1) >> 6] >> ((v ^ 1) & 63)) & 1))
                failures++;
        }
        h = check_against(vs, vm, h);

        /* run optimisation and serialisation round trip */
        int other = (round + 1) % NSETS;
        int conv = rbm_run_optimize(&sets[other]);
        h = mix64(h, (uint64_t)conv);
        h = check_against(&sets[other], models[other], h);
        size_t len = rbm_serialize(&sets[other], buf);
        rbm_t back;
        size_t used = rbm_deserialize(&back, buf, len);
        if (used != len)
            failures++;
        model_from(&back, mtmp);
        if (memcmp(mtmp, models[other], MODEL_WORDS * sizeof(uint64_t)) != 0)
            failures++;
        h = mix64(h, (uint64_t)len);
        for (size_t i = 0; i < len; i += 61)
            h = mix64(h, buf[i]);
        rbm_free(&back);
    }
    bench_report(t0);

    for (int i = 0; i < NSETS; i++) {
        h = mix64(h, rbm_card(&sets[i]));
        rbm_free(&sets[i]);
        free(models[i]);
    }
    free(mres);
    free(mtmp);
    free(buf);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
