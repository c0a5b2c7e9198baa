/* dfa_minimize/minimize.h — automaton storage, canonical trimming, Hopcroft partition refinement,
 * Moore refinement through a signature hash table, and minimisation built on them. */

static void dfa_alloc(Dfa *d, int n, int k)
{
    d->n = n;
    d->k = k;
    d->start = 0;
    d->delta = malloc(sizeof(int) * (size_t)n * (size_t)k);
    d->acc = calloc((size_t)n, 1);
}

static void dfa_free(Dfa *d)
{
    free(d->delta);
    free(d->acc);
}

/* Canonical trim: keeps reachable states, numbered in BFS order from the start. */
static void dfa_trim(const Dfa *d, Dfa *out)
{
    int *num = malloc(sizeof(int) * (size_t)d->n), *order = malloc(sizeof(int) * (size_t)d->n);
    for (int i = 0; i < d->n; i++)
        num[i] = -1;
    int head = 0, tail = 0;
    num[d->start] = tail;
    order[tail++] = d->start;
    while (head < tail) {
        int q = order[head++];
        for (int a = 0; a < d->k; a++) {
            int r = d->delta[q * d->k + a];
            if (num[r] < 0) {
                num[r] = tail;
                order[tail++] = r;
            }
        }
    }
    dfa_alloc(out, tail, d->k);
    for (int i = 0; i < tail; i++) {
        int q = order[i];
        out->acc[i] = d->acc[q];
        for (int a = 0; a < d->k; a++)
            out->delta[i * d->k + a] = num[d->delta[q * d->k + a]];
    }
    free(num);
    free(order);
}

/* Hopcroft partition refinement; block[q] receives the block number of each state. */
static int hopcroft(const Dfa *d, int *block)
{
    int n = d->n, k = d->k;
    int *elems = malloc(sizeof(int) * (size_t)n), *loc = malloc(sizeof(int) * (size_t)n);
    int *first = malloc(sizeof(int) * (size_t)(n + 1)), *end = malloc(sizeof(int) * (size_t)(n + 1));
    int *marked = calloc((size_t)n + 1, sizeof(int)), *touched = malloc(sizeof(int) * (size_t)n);
    int *inv_start = calloc((size_t)n * (size_t)k + 1, sizeof(int)), *inv = malloc(sizeof(int) * (size_t)n * (size_t)k);
    int *preds = malloc(sizeof(int) * (size_t)n * (size_t)k);
    uint8_t *inwl = calloc((size_t)n * (size_t)k, 1);
    int *wl = malloc(sizeof(int) * 2 * (size_t)n * (size_t)k), wlen = 0;

    /* inverse transitions grouped by (letter, target) */
    for (int q = 0; q < n; q++)
        for (int a = 0; a < k; a++)
            inv_start[a * n + d->delta[q * k + a] + 1]++;
    for (int i = 0; i < n * k; i++)
        inv_start[i + 1] += inv_start[i];
    int *fill = malloc(sizeof(int) * (size_t)n * (size_t)k);
    memcpy(fill, inv_start, sizeof(int) * (size_t)n * (size_t)k);
    for (int q = 0; q < n; q++)
        for (int a = 0; a < k; a++)
            inv[fill[a * n + d->delta[q * k + a]]++] = q;
    free(fill);

    int nblocks = 0, pos = 0;
    for (int f = 1; f >= 0; f--) {
        int b = nblocks, s = pos;
        for (int q = 0; q < n; q++)
            if (d->acc[q] == f) {
                elems[pos] = q;
                loc[q] = pos++;
                block[q] = b;
            }
        if (pos > s) {
            first[b] = s;
            end[b] = pos;
            nblocks++;
        }
    }
    if (nblocks == 2) {
        int b = (end[0] - first[0] <= end[1] - first[1]) ? 0 : 1;
        for (int a = 0; a < k; a++) {
            wl[wlen++] = b * k + a;
            inwl[b * k + a] = 1;
        }
    }
    while (wlen > 0) {
        int item = wl[--wlen], sb = item / k, a = item % k;
        inwl[item] = 0;
        int np = 0, nt = 0;
        for (int i = first[sb]; i < end[sb]; i++) {
            int q = elems[i];
            for (int j = inv_start[a * n + q]; j < inv_start[a * n + q + 1]; j++)
                preds[np++] = inv[j];
        }
        for (int i = 0; i < np; i++) {
            int p = preds[i], b = block[p];
            int m = first[b] + marked[b];
            if (loc[p] < m)
                continue; /* already marked */
            if (marked[b] == 0)
                touched[nt++] = b;
            int other = elems[m];
            elems[m] = p;
            elems[loc[p]] = other;
            loc[other] = loc[p];
            loc[p] = m;
            marked[b]++;
        }
        for (int t = 0; t < nt; t++) {
            int b = touched[t], size = end[b] - first[b], m = marked[b];
            marked[b] = 0;
            if (m == size)
                continue;
            int nb = nblocks++;
            /* the marked prefix becomes the new block */
            first[nb] = first[b];
            end[nb] = first[b] + m;
            first[b] += m;
            for (int i = first[nb]; i < end[nb]; i++)
                block[elems[i]] = nb;
            int smaller = (m <= size - m) ? nb : b;
            for (int c = 0; c < k; c++) {
                if (inwl[b * k + c]) {
                    wl[wlen++] = nb * k + c;
                    inwl[nb * k + c] = 1;
                } else {
                    wl[wlen++] = smaller * k + c;
                    inwl[smaller * k + c] = 1;
                }
            }
        }
    }
    free(elems); free(loc); free(first); free(end); free(marked); free(touched);
    free(inv_start); free(inv); free(preds); free(inwl); free(wl);
    return nblocks;
}

/* Moore refinement with signatures hashed into an open-addressing table. */
static int moore(const Dfa *d, int *cls)
{
    int n = d->n, k = d->k, count = 0;
    int *sig = malloc(sizeof(int) * (size_t)n * (size_t)(k + 1)), *ncls = malloc(sizeof(int) * (size_t)n);
    int cap = 1;
    while (cap < 2 * n)
        cap <<= 1;
    int *table = malloc(sizeof(int) * (size_t)cap);
    for (int q = 0; q < n; q++)
        cls[q] = d->acc[q];
    for (;;) {
        for (int i = 0; i < cap; i++)
            table[i] = -1;
        int ncount = 0;
        for (int q = 0; q < n; q++) {
            int *s = sig + (size_t)q * (size_t)(k + 1);
            uint32_t h = 2166136261u;
            s[0] = cls[q];
            for (int a = 0; a < k; a++)
                s[a + 1] = cls[d->delta[q * k + a]];
            for (int a = 0; a <= k; a++)
                h = (h ^ (uint32_t)s[a]) * 16777619u;
            uint32_t slot = h & (uint32_t)(cap - 1);
            for (;;) {
                int r = table[slot];
                if (r < 0) {
                    table[slot] = q;
                    ncls[q] = ncount++;
                    break;
                }
                if (memcmp(sig + (size_t)r * (size_t)(k + 1), s, sizeof(int) * (size_t)(k + 1)) == 0) {
                    ncls[q] = ncls[r];
                    break;
                }
                slot = (slot + 1) & (uint32_t)(cap - 1);
            }
        }
        memcpy(cls, ncls, sizeof(int) * (size_t)n);
        if (ncount == count)
            break;
        count = ncount;
    }
    free(sig); free(ncls); free(table);
    return count;
}

/* Partitions equal iff every state maps to the same smallest member of its block. */
static int same_partition(const int *b1, int n1, const int *b2, int n2, int n)
{
    if (n1 != n2) return 0;
    int *m1 = malloc(sizeof(int) * (size_t)n), *m2 = malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++) m1[i] = m2[i] = -1;
    int ok = 1;
    for (int q = 0; q < n && ok; q++) {
        if (m1[b1[q]] < 0) m1[b1[q]] = q;
        if (m2[b2[q]] < 0) m2[b2[q]] = q;
        ok = m1[b1[q]] == m2[b2[q]];
    }
    free(m1); free(m2);
    return ok;
}

/* Full minimisation; with check set, Moore's algorithm must agree. */
static void minimize(const Dfa *d, Dfa *out, int check)
{
    Dfa t;
    dfa_trim(d, &t);
    int *block = malloc(sizeof(int) * (size_t)t.n);
    int nb = hopcroft(&t, block);
    if (check) {
        int *cls = malloc(sizeof(int) * (size_t)t.n);
        int nm = moore(&t, cls);
        if (!same_partition(block, nb, cls, nm, t.n)) failures++;
        free(cls);
    }
    Dfa q;
    dfa_alloc(&q, nb, t.k);
    q.start = block[t.start];
    for (int s = 0; s < t.n; s++) {
        q.acc[block[s]] = t.acc[s];
        for (int a = 0; a < t.k; a++)
            q.delta[block[s] * t.k + a] = block[t.delta[s * t.k + a]];
    }
    dfa_trim(&q, out);
    dfa_free(&q);
    dfa_free(&t);
    free(block);
}
