/* roaring_sets/containers.h — array, bitmap and run containers and their helpers.
 * Part of roaring_sets.c, one translation unit: it includes the parts in order. */

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
