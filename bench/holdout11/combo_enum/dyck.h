/* combo_enum/dyck.h -- Dyck words in lexicographic order, ranks and unranking through a table of
 * ballot numbers, and the bijection with binary trees in a node pool. */

/* ---- Dyck words (1 = up, 0 = down) ---- */

static uint64_t ballot[2 * MAXN + 2][MAXN + 2]; /* completions: ballot[remaining][height] */

static void ballot_init(int n)
{
    memset(ballot, 0, sizeof ballot);
    ballot[0][0] = 1;
    for (int r = 1; r <= 2 * n; r++)
        for (int h = 0; h <= n; h++)
            ballot[r][h] = (h + 1 <= n ? ballot[r - 1][h + 1] : 0) + (h > 0 ? ballot[r - 1][h - 1] : 0);
}

static void gen_dyck(int pos, int open, int n, int *w, Visit visit, void *ctx)
{
    int len = 2 * n, height = 2 * open - pos;
    if (pos == len) {
        visit(ctx, w, len);
        return;
    }
    /* lexicographic order with 0 < 1: down steps first */
    if (height > 0) {
        w[pos] = 0;
        gen_dyck(pos + 1, open, n, w, visit, ctx);
    }
    if (open < n) {
        w[pos] = 1;
        gen_dyck(pos + 1, open + 1, n, w, visit, ctx);
    }
}

typedef struct Tree {
    struct Tree *left, *right;
} Tree;

typedef struct {
    int n;
    uint64_t count, by_peaks[MAXN + 1];
    Tree pool[MAXN + 1];
    int used, bad;
} DyckStats;

/* word = 1 L 0 R; returns the tree and advances *pos */
static Tree *dyck_to_tree(DyckStats *s, const int *w, int len, int *pos)
{
    if (*pos >= len || w[*pos] == 0)
        return NULL;
    Tree *t = &s->pool[s->used++];
    (*pos)++;
    t->left = dyck_to_tree(s, w, len, pos);
    if (*pos >= len || w[*pos] != 0) {
        s->bad++;
        return t;
    }
    (*pos)++;
    t->right = dyck_to_tree(s, w, len, pos);
    return t;
}

static void tree_to_dyck(const Tree *t, int *out, int *pos)
{
    while (t) {
        out[(*pos)++] = 1;
        tree_to_dyck(t->left, out, pos);
        out[(*pos)++] = 0;
        t = t->right;
    }
}

static uint64_t dyck_rank(const int *w, int len)
{
    uint64_t r = 0;
    int h = 0;
    for (int i = 0; i < len; i++) {
        if (w[i] == 1) {
            if (h > 0) /* all words with a down step here come first */
                r += ballot[len - i - 1][h - 1];
            h++;
        } else {
            h--;
        }
    }
    return r;
}

static void dyck_unrank(uint64_t r, int len, int *w)
{
    int h = 0;
    for (int i = 0; i < len; i++) {
        uint64_t down = h > 0 ? ballot[len - i - 1][h - 1] : 0;
        if (r < down) {
            w[i] = 0;
            h--;
        } else {
            r -= down;
            w[i] = 1;
            h++;
        }
    }
}

static void visit_dyck(void *vctx, const int *w, int len)
{
    DyckStats *s = vctx;
    int peaks = 0;
    for (int i = 0; i + 1 < len; i++)
        peaks += w[i] == 1 && w[i + 1] == 0;
    s->by_peaks[peaks]++;
    if (dyck_rank(w, len) != s->count)
        s->bad++;
    if ((s->count & 15) == 0) {
        int back[2 * MAXN], pos = 0;
        dyck_unrank(s->count, len, back);
        if (memcmp(back, w, (size_t)len * sizeof(int)) != 0)
            s->bad++;
        s->used = 0;
        Tree *t = dyck_to_tree(s, w, len, &pos);
        if (pos != len || s->used != s->n)
            s->bad++;
        pos = 0;
        tree_to_dyck(t, back, &pos);
        if (pos != len || memcmp(back, w, (size_t)len * sizeof(int)) != 0)
            s->bad++;
    }
    s->count++;
}
