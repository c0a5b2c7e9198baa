/* dominators/algos.h -- immediate dominators by Lengauer-Tarjan (simple version: iterative DFS,
 * semidominators, buckets, eval with path compression over an explicit stack) and by the
 * Cooper-Harvey-Kennedy iteration over reverse postorder; dominance frontiers bottom-up over the
 * dominator tree (Cytron et al.) and by walking up from each predecessor. */

typedef struct {
    /* scratch, sized for the largest graph */
    int *vertex, *semi, *parent, *ancestor, *label, *bucket_head, *bucket_next, *dfnum;
    int *stack, *stack_edge, *order, *po_num;
    int cap;
} Work;

static void work_init(Work *w, int cap)
{
    w->cap = cap;
    int **arrays[] = { &w->vertex, &w->semi, &w->parent, &w->ancestor, &w->label,
                       &w->bucket_head, &w->bucket_next, &w->dfnum, &w->stack,
                       &w->stack_edge, &w->order, &w->po_num };
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        *arrays[i] = malloc((size_t)cap * sizeof(int));
        if (!*arrays[i])
            exit(1);
    }
}

static void work_free(Work *w)
{
    free(w->vertex), free(w->semi), free(w->parent), free(w->ancestor), free(w->label);
    free(w->bucket_head), free(w->bucket_next), free(w->dfnum), free(w->stack);
    free(w->stack_edge), free(w->order), free(w->po_num);
}

/* preorder numbering from the entry; returns the number of reachable nodes.
 * dfnum[v] = -1 for unreachable v; vertex[i] = node with number i; parent[] in numbers */
static int dfs_preorder(const Graph *g, Work *w)
{
    int n = g->n, count = 0, sp = 0;
    for (int v = 0; v < n; v++)
        w->dfnum[v] = -1;
    w->dfnum[g->entry] = count;
    w->vertex[count] = g->entry;
    w->parent[count] = -1;
    count++;
    w->stack[sp] = g->entry;
    w->stack_edge[sp] = g->succ_off[g->entry];
    sp++;
    while (sp) {
        int v = w->stack[sp - 1], *ei = &w->stack_edge[sp - 1];
        if (*ei == g->succ_off[v + 1]) {
            sp--;
            continue;
        }
        int x = g->succ[(*ei)++];
        if (w->dfnum[x] >= 0)
            continue;
        w->dfnum[x] = count;
        w->vertex[count] = x;
        w->parent[count] = w->dfnum[v];
        count++;
        w->stack[sp] = x;
        w->stack_edge[sp] = g->succ_off[x];
        sp++;
    }
    return count;
}

/* eval(v) over DFS numbers: the vertex with the smallest semidominator on the compressed path */
static int lt_eval(Work *w, int v)
{
    if (w->ancestor[v] < 0)
        return v;
    /* collect the path up to the root of v's tree in the forest, then compress top-down */
    int sp = 0, x = v;
    while (w->ancestor[w->ancestor[x]] >= 0) {
        w->stack[sp++] = x;
        x = w->ancestor[x];
    }
    while (sp) {
        int y = w->stack[--sp];
        int a = w->ancestor[y];
        if (w->semi[w->label[a]] < w->semi[w->label[y]])
            w->label[y] = w->label[a];
        w->ancestor[y] = w->ancestor[a];
    }
    return w->label[v];
}

/* idom[v] = node id of the immediate dominator, -1 for the entry and unreachable nodes */
static void idom_lengauer_tarjan(const Graph *g, Work *w, int *idom)
{
    int count = dfs_preorder(g, w);
    int *dom = w->order; /* in DFS numbers */
    for (int i = 0; i < count; i++) {
        w->semi[i] = i;
        w->label[i] = i;
        w->ancestor[i] = -1;
        w->bucket_head[i] = -1;
    }
    for (int i = count - 1; i > 0; i--) {
        int v = w->vertex[i];
        for (int k = g->pred_off[v]; k < g->pred_off[v + 1]; k++) {
            int p = w->dfnum[g->pred[k]];
            if (p < 0)
                continue;
            int u = lt_eval(w, p);
            if (w->semi[u] < w->semi[i])
                w->semi[i] = w->semi[u];
        }
        int s = w->semi[i];
        w->bucket_next[i] = w->bucket_head[s];
        w->bucket_head[s] = i;
        int par = w->parent[i];
        w->ancestor[i] = par; /* link */
        for (int b = w->bucket_head[par]; b >= 0; b = w->bucket_next[b]) {
            int u = lt_eval(w, b);
            dom[b] = w->semi[u] < w->semi[b] ? u : par;
        }
        w->bucket_head[par] = -1;
    }
    for (int i = 1; i < count; i++)
        if (dom[i] != w->semi[i])
            dom[i] = dom[dom[i]];
    for (int v = 0; v < g->n; v++)
        idom[v] = -1;
    for (int i = 1; i < count; i++)
        idom[w->vertex[i]] = w->vertex[dom[i]];
}

/* postorder by iterative DFS; order[] gets nodes in postorder, po_num[v] their numbers */
static int dfs_postorder(const Graph *g, Work *w)
{
    int n = g->n, count = 0, sp = 0;
    for (int v = 0; v < n; v++)
        w->po_num[v] = -2; /* unvisited */
    w->po_num[g->entry] = -1;
    w->stack[sp] = g->entry;
    w->stack_edge[sp++] = g->succ_off[g->entry];
    while (sp) {
        int v = w->stack[sp - 1];
        if (w->stack_edge[sp - 1] == g->succ_off[v + 1]) {
            w->po_num[v] = count;
            w->order[count++] = v;
            sp--;
            continue;
        }
        int x = g->succ[w->stack_edge[sp - 1]++];
        if (w->po_num[x] != -2)
            continue;
        w->po_num[x] = -1;
        w->stack[sp] = x;
        w->stack_edge[sp++] = g->succ_off[x];
    }
    return count;
}

static void idom_iterative(const Graph *g, Work *w, int *idom, int *passes)
{
    int count = dfs_postorder(g, w);
    for (int v = 0; v < g->n; v++)
        idom[v] = -1;
    int entry = g->entry;
    idom[entry] = entry;
    int changed = 1;
    *passes = 0;
    while (changed) {
        changed = 0;
        ++*passes;
        for (int i = count - 2; i >= 0; i--) { /* reverse postorder without the entry */
            int b = w->order[i], nd = -1;
            for (int k = g->pred_off[b]; k < g->pred_off[b + 1]; k++) {
                int p = g->pred[k];
                if (idom[p] < 0)
                    continue;
                if (nd < 0) {
                    nd = p;
                    continue;
                }
                int f1 = p, f2 = nd;
                while (f1 != f2) {
                    while (w->po_num[f1] < w->po_num[f2])
                        f1 = idom[f1];
                    while (w->po_num[f2] < w->po_num[f1])
                        f2 = idom[f2];
                }
                nd = f1;
            }
            if (idom[b] != nd) {
                idom[b] = nd;
                changed = 1;
            }
        }
    }
    idom[entry] = -1;
}

/* dominator tree as CSR children lists plus preorder intervals and depths */
typedef struct {
    int *child_off, *child, *tin, *tout, *depth, *post; /* post: nodes in tree postorder */
    int npost;
} DomTree;

static void domtree_build(const Graph *g, const int *idom, DomTree *t, Work *w)
{
    int n = g->n;
    memset(t->child_off, 0, (size_t)(n + 1) * sizeof(int));
    for (int v = 0; v < n; v++)
        if (idom[v] >= 0)
            t->child_off[idom[v] + 1]++;
    for (int v = 0; v < n; v++)
        t->child_off[v + 1] += t->child_off[v];
    int *fill = w->label;
    memcpy(fill, t->child_off, (size_t)n * sizeof(int));
    for (int v = 0; v < n; v++)
        if (idom[v] >= 0)
            t->child[fill[idom[v]]++] = v;
    for (int v = 0; v < n; v++)
        t->tin[v] = t->tout[v] = t->depth[v] = -1;
    int clock = 0, sp = 0;
    t->npost = 0;
    t->tin[g->entry] = clock++;
    t->depth[g->entry] = 0;
    w->stack[sp] = g->entry;
    w->stack_edge[sp++] = t->child_off[g->entry];
    while (sp) {
        int v = w->stack[sp - 1];
        if (w->stack_edge[sp - 1] == t->child_off[v + 1]) {
            t->tout[v] = clock - 1;
            t->post[t->npost++] = v;
            sp--;
            continue;
        }
        int c = t->child[w->stack_edge[sp - 1]++];
        t->tin[c] = clock++;
        t->depth[c] = t->depth[v] + 1;
        w->stack[sp] = c;
        w->stack_edge[sp++] = t->child_off[c];
    }
}

typedef struct {
    int *off, *list; /* CSR after finishing */
    int len, cap;
} Sets;

static void sets_push(Sets *s, int x)
{
    if (s->len == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4096;
        s->list = realloc(s->list, (size_t)s->cap * sizeof(int));
        if (!s->list)
            exit(1);
    }
    s->list[s->len++] = x;
}

/* Cytron: DF(x) = {y in succ(x) : idom(y) != x} + {y in DF(z), z child of x : idom(y) != x},
 * computed in dominator-tree postorder. The sets of a node are consecutive in s->list, found
 * through start/end arrays; stamp[] removes duplicates. */
static void df_cytron(const Graph *g, const int *idom, const DomTree *t, Sets *s, int *start,
                      int *end, int *stamp)
{
    s->len = 0;
    for (int v = 0; v < g->n; v++) {
        stamp[v] = -1;
        start[v] = end[v] = 0;
    }
    for (int i = 0; i < t->npost; i++) {
        int x = t->post[i];
        start[x] = s->len;
        for (int k = g->succ_off[x]; k < g->succ_off[x + 1]; k++) {
            int y = g->succ[k];
            if (idom[y] != x && stamp[y] != x) {
                stamp[y] = x;
                sets_push(s, y);
            }
        }
        for (int c = t->child_off[x]; c < t->child_off[x + 1]; c++) {
            int z = t->child[c];
            for (int k = start[z]; k < end[z]; k++) {
                int y = s->list[k];
                if (idom[y] != x && stamp[y] != x) {
                    stamp[y] = x;
                    sets_push(s, y);
                }
            }
        }
        end[x] = s->len;
    }
}

/* the runner method: from each reachable predecessor of y walk up the dominator tree until
 * idom(y); every node passed has y in its frontier. Produces (x, y) pairs. */
static void df_runner(const Graph *g, const int *idom, Sets *pairs, int *stamp)
{
    pairs->len = 0;
    for (int v = 0; v < g->n; v++)
        stamp[v] = -1;
    for (int y = 0; y < g->n; y++) {
        if (idom[y] < 0 && y != g->entry)
            continue;
        for (int k = g->pred_off[y]; k < g->pred_off[y + 1]; k++) {
            int r = g->pred[k];
            if (idom[r] < 0 && r != g->entry)
                continue; /* unreachable predecessor */
            while (r != idom[y] && r >= 0) {
                if (stamp[r] != y) {
                    stamp[r] = y;
                    sets_push(pairs, r);
                    sets_push(pairs, y);
                }
                r = idom[r];
            }
        }
    }
}
