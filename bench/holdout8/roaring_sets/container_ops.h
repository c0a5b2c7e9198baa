/* roaring_sets/container_ops.h — binary operations on containers.
 * Part of roaring_sets.c, one translation unit: it includes the parts in order. */

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
