/* hamt_persist/reference.h -- the reference model: one sorted key array and value array per
 * version, binary search, and diffs by merging. */

typedef struct {
    uint32_t *k, *v;
    int n, cap;
} RefMap;

static void ref_reserve(RefMap *r, int cap)
{
    if (r->cap >= cap)
        return;
    r->cap = cap;
    r->k = realloc(r->k, (size_t)cap * sizeof(uint32_t));
    r->v = realloc(r->v, (size_t)cap * sizeof(uint32_t));
    if (!r->k || !r->v)
        exit(1);
}

static int ref_find(const RefMap *r, uint32_t k, int *pos)
{
    int lo = 0, hi = r->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (r->k[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return lo < r->n && r->k[lo] == k;
}

static void ref_copy(RefMap *dst, const RefMap *src)
{
    ref_reserve(dst, src->n > 16 ? src->n : 16);
    memcpy(dst->k, src->k, (size_t)src->n * sizeof(uint32_t));
    memcpy(dst->v, src->v, (size_t)src->n * sizeof(uint32_t));
    dst->n = src->n;
}

static int cmp_diff(const void *pa, const void *pb)
{
    const Diff *a = pa, *b = pb;
    return (a->k > b->k) - (a->k < b->k);
}

static int ref_diff(const RefMap *a, const RefMap *b, Diff *out)
{
    int i = 0, j = 0, n = 0;
    while (i < a->n || j < b->n) {
        if (j == b->n || (i < a->n && a->k[i] < b->k[j])) {
            out[n].k = a->k[i], out[n].a = a->v[i], out[n].b = NONE, n++, i++;
        } else if (i == a->n || b->k[j] < a->k[i]) {
            out[n].k = b->k[j], out[n].a = NONE, out[n].b = b->v[j], n++, j++;
        } else {
            if (a->v[i] != b->v[j])
                out[n].k = a->k[i], out[n].a = a->v[i], out[n].b = b->v[j], n++;
            i++, j++;
        }
    }
    return n;
}
