/* datalog_eval/workloads.h -- the three programs and their checks: failure counting, facts
 * written as text, loading and running a program semi-naively (and naively for comparison),
 * the print/parse round trip, and one round each of the graph, forest and points-to workloads
 * with their independent references (BFS, adjacency-matrix brute force, depths and roots,
 * parent walks, a points-to fixpoint over bit sets). */

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

static const char graph_rules[] =
    "% closure, cycles, reachability with negation, triangles\n"
    "path(X, Y) :- edge(X, Y).\n"
    "path(X, Z) :- path(X, Y), edge(Y, Z).\n"
    "cyclic(X) :- path(X, X).\n"
    "reach(X) :- start(X).\n"
    "reach(Y) :- reach(X), edge(X, Y).\n"
    "unreach(X) :- node(X), !reach(X).\n"
    "tri(X, Y, Z) :- edge(X, Y), edge(Y, Z), edge(Z, X), X < Y, X < Z.\n"
    "mutual(X, Y) :- path(X, Y), X < Y, path(Y, X).\n"
    "lonely(X) :- node(X), !cyclic(X), !reach(X).\n"
    "two_step(X, Y, Z) :- edge(X, Y), edge(Y, Z).\n";

static const char forest_rules[] =
    "sg(X, Y) :- parent(X, P), parent(Y, P), X != Y.\n"
    "sg(X, Y) :- parent(X, A), sg(A, B), parent(Y, B).\n"
    "anc(X, Y) :- parent(X, Y).\n"
    "anc(X, Z) :- parent(X, Y), anc(Y, Z).\n"
    "has_sg(X) :- sg(X, _).\n"
    "alone(X) :- person(X), !has_sg(X).\n";

static const char pointsto_rules[] =
    "pt(V, H) :- alloc(V, H).\n"
    "pt(V, H) :- assign(V, W), pt(W, H).\n"
    "pt(V, H) :- load(V, W), pt(W, O), hpt(O, H).\n"
    "hpt(O, H) :- store(V, W), pt(V, O), pt(W, H).\n"
    "alias(V, W) :- pt(V, H), pt(W, H), V < W.\n";

typedef struct {
    char *s;
    size_t len, cap;
} Text;

static void text_printf(Text *t, const char *fmt, ...)
{
    if (t->len + 64 > t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->s = xrealloc(t->s, t->cap);
    }
    va_list ap;
    va_start(ap, fmt);
    t->len += (size_t)vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
}

static int rel_index(const Program *p, const char *name)
{
    for (int i = 0; i < p->nrel; i++)
        if (strcmp(p->rel[i].name, name) == 0)
            return i;
    return -1;
}

static const Relation *R(const Program *p, const char *name)
{
    int i = rel_index(p, name);
    static Relation empty;
    return i >= 0 ? &p->rel[i] : &empty;
}

static void program_free(Program *p)
{
    for (int i = 0; i < p->nrel; i++)
        rel_free(&p->rel[i]);
    memset(p, 0, sizeof *p);
}

/* parses rules + facts into two programs, evaluates one semi-naively and one naively */
static int load_and_run(Program *semi, Program *naive, const char *rules, const Text *facts,
                        long *stats, int round, int with_naive)
{
    char *all = xrealloc(NULL, strlen(rules) + facts->len + 1);
    memcpy(all, rules, strlen(rules));
    memcpy(all + strlen(rules), facts->s, facts->len);
    all[strlen(rules) + facts->len] = 0;
    int ok = parse_program(semi, all) && stratify(semi);
    if (ok && with_naive)
        ok = parse_program(naive, all) && stratify(naive);
    free(all);
    if (!ok) {
        fail("parse or stratify", round);
        return 0;
    }
    overflow = 0;
    probe_budget = PROBE_LIMIT;
    eval_seminaive(semi, stats);
    if (overflow) {
        fail("runaway evaluation", round);
        return 0;
    }
    if (!with_naive)
        return 1;
    long nstats[3] = { 0, 0, 0 };
    probe_budget = PROBE_LIMIT;
    eval_naive(naive, nstats);
    if (overflow) {
        fail("runaway evaluation", round);
        return 0;
    }
    for (int i = 0; i < semi->nrel; i++)
        if (!rel_same(&semi->rel[i], &naive->rel[i]))
            fail("semi-naive against naive", round);
    return 1;
}

static char printed1[MAXRULE * 4096], printed2[MAXRULE * 4096];

static void print_round_trip(const Program *p, int round)
{
    print_rules(p, printed1);
    static Program q;
    memset(&q, 0, sizeof q);
    if (!parse_program(&q, printed1)) {
        fail("reparse", round);
    } else {
        print_rules(&q, printed2);
        if (strcmp(printed1, printed2) != 0 || q.nrules != p->nrules)
            fail("print/parse round trip", round);
    }
    program_free(&q);
}

#define MAXN 320

static uint64_t adj[MAXN][MAXN / 64 + 1], reach1[MAXN][MAXN / 64 + 1];

static inline int bit(const uint64_t *s, int i) { return (int)(s[i >> 6] >> (i & 63) & 1); }

static uint64_t graph_round(bench_rng *rng, Text *facts, long *stats, int round)
{
    int n = 90 + (int)rng_below(rng, 70), W = (n + 63) / 64;
    memset(adj, 0, sizeof adj);
    facts->len = 0;
    for (int v = 0; v < n; v++) {
        text_printf(facts, "node(%d).\n", v);
        int deg = 1 + (int)rng_below(rng, 2);
        for (int k = 0; k < deg; k++) {
            int w;
            uint32_t x = rng_below(rng, 10);
            if (x < 6)
                w = v + 1 + (int)rng_below(rng, 8);
            else if (x < 9)
                w = v - 1 - (int)rng_below(rng, 12);
            else
                w = (int)rng_below(rng, (uint32_t)n);
            if (w < 0 || w >= n || bit(adj[v], w))
                continue;
            adj[v][w >> 6] |= 1ULL << (w & 63);
            text_printf(facts, "edge(%d, %d).\n", v, w);
        }
    }
    int starts[3];
    for (int k = 0; k < 3; k++) {
        starts[k] = (int)rng_below(rng, (uint32_t)n);
        text_printf(facts, "start(%d).\n", starts[k]);
    }
    static Program semi, naive;
    memset(&semi, 0, sizeof semi);
    memset(&naive, 0, sizeof naive);
    uint64_t h = 0;
    if (load_and_run(&semi, &naive, graph_rules, facts, stats, round, round % 6 == 0)) {
        /* BFS from every node (paths of length >= 1) */
        static int queue[MAXN];
        long npath = 0, ncyc = 0, nmutual = 0, ntri = 0;
        for (int s = 0; s < n; s++) {
            uint64_t *seen = reach1[s];
            memset(seen, 0, (size_t)W * sizeof(uint64_t));
            int head = 0, tail = 0;
            queue[tail++] = s;
            while (head < tail) {
                int v = queue[head++];
                for (int w = 0; w < n; w++)
                    if (bit(adj[v], w) && !bit(seen, w)) {
                        seen[w >> 6] |= 1ULL << (w & 63);
                        queue[tail++] = w;
                    }
            }
            npath += tail - 1; /* s itself is counted only if it was reached again */
            ncyc += bit(seen, s);
        }
        const Relation *path = R(&semi, "path");
        int badpath = path->count != npath;
        for (int i = 0; i < path->count && !badpath; i++)
            badpath |= !bit(reach1[path->tup[i * MAXARITY]], path->tup[i * MAXARITY + 1]);
        if (badpath)
            fail("paths against BFS", round);
        for (int x = 0; x < n; x++)
            for (int y = x + 1; y < n; y++) {
                nmutual += bit(reach1[x], y) && bit(reach1[y], x);
                if (!bit(adj[x], y))
                    continue;
                for (int z = x + 1; z < n; z++)
                    ntri += bit(adj[y], z) && bit(adj[z], x);
            }
        /* reachable from the start nodes in zero or more steps */
        uint64_t from_start[MAXN / 64 + 1] = { 0 };
        for (int k = 0; k < 3; k++) {
            from_start[starts[k] >> 6] |= 1ULL << (starts[k] & 63);
            for (int w = 0; w < W; w++)
                from_start[w] |= reach1[starts[k]][w];
        }
        long nunreach = 0, nlonely = 0, ntwo = 0;
        for (int x = 0; x < n; x++)
            for (int y = 0; y < n; y++)
                if (bit(adj[x], y))
                    for (int w = 0; w < W; w++)
                        ntwo += __builtin_popcountll(adj[y][w]);
        for (int v = 0; v < n; v++) {
            int r = bit(from_start, v);
            nunreach += !r;
            nlonely += !r && !bit(reach1[v], v);
            if (r == rel_contains(R(&semi, "unreach"), &(int32_t){ v }))
                fail("unreachable nodes against BFS", round);
        }
        if (R(&semi, "cyclic")->count != ncyc || R(&semi, "mutual")->count != nmutual ||
            R(&semi, "tri")->count != ntri || R(&semi, "unreach")->count != nunreach ||
            R(&semi, "lonely")->count != nlonely || R(&semi, "two_step")->count != ntwo)
            fail("graph relation sizes", round);
        for (int i = 0; i < semi.nrel; i++)
            h = mix64(h, rel_digest(&semi.rel[i]));
        if (round % 4 == 0)
            print_round_trip(&semi, round);
    }
    program_free(&semi);
    program_free(&naive);
    return h;
}

static uint64_t forest_round(bench_rng *rng, Text *facts, long *stats, int round)
{
    int n = 150 + (int)rng_below(rng, 150);
    static int parent[MAXN], depth[MAXN], root[MAXN];
    facts->len = 0;
    for (int v = 0; v < n; v++) {
        text_printf(facts, "person(%d).\n", v);
        if (v == 0 || rng_below(rng, 20) == 0) {
            parent[v] = -1;
            depth[v] = 0;
            root[v] = v;
        } else {
            /* parents among the recent nodes make deep trees, any earlier node bushy ones */
            int p = rng_below(rng, 2) ? v - 1 - (int)rng_below(rng, v < 6 ? (uint32_t)v : 6u)
                                      : (int)rng_below(rng, (uint32_t)v);
            parent[v] = p;
            depth[v] = depth[p] + 1;
            root[v] = root[p];
            text_printf(facts, "parent(%d, %d).\n", v, p);
        }
    }
    static Program semi, naive;
    memset(&semi, 0, sizeof semi);
    memset(&naive, 0, sizeof naive);
    uint64_t h = 0;
    if (load_and_run(&semi, &naive, forest_rules, facts, stats, round, round % 6 == 1)) {
        long nsg = 0, nanc = 0, nalone = 0;
        for (int x = 0; x < n; x++) {
            int has = 0;
            for (int y = 0; y < n; y++)
                if (x != y && root[x] == root[y] && depth[x] == depth[y])
                    nsg++, has = 1;
            nalone += !has;
            nanc += depth[x];
        }
        const Relation *sg = R(&semi, "sg"), *anc = R(&semi, "anc");
        int bad = sg->count != nsg || anc->count != nanc || R(&semi, "alone")->count != nalone;
        for (int i = 0; i < sg->count && !bad; i++) {
            int x = sg->tup[i * MAXARITY], y = sg->tup[i * MAXARITY + 1];
            bad |= x == y || root[x] != root[y] || depth[x] != depth[y];
        }
        for (int i = 0; i < anc->count && !bad; i++) {
            int x = anc->tup[i * MAXARITY], y = anc->tup[i * MAXARITY + 1], v = x;
            while (v >= 0 && v != y)
                v = parent[v];
            bad |= v != y || x == y;
        }
        if (bad)
            fail("same generation and ancestors", round);
        for (int i = 0; i < semi.nrel; i++)
            h = mix64(h, rel_digest(&semi.rel[i]));
    }
    program_free(&semi);
    program_free(&naive);
    return h;
}

static uint64_t pointsto_round(bench_rng *rng, Text *facts, long *stats, int round)
{
    int nv = 80 + (int)rng_below(rng, 80), nh = 16 + (int)rng_below(rng, 48);
    enum { ALLOC, ASSIGN, LOAD, STORE };
    static int kind[1024], va[1024], vb[1024];
    int ns = 0;
    facts->len = 0;
    for (int v = 0; v < nv; v++)
        if (rng_below(rng, 10) < 3) {
            kind[ns] = ALLOC, va[ns] = v, vb[ns] = (int)rng_below(rng, (uint32_t)nh), ns++;
            text_printf(facts, "alloc(%d, %d).\n", v, 1000 + vb[ns - 1]);
        }
    for (int k = 0; k < nv + nv / 2; k++) {
        int a = (int)rng_below(rng, (uint32_t)nv), b = (int)rng_below(rng, (uint32_t)nv);
        uint32_t x = rng_below(rng, 8);
        kind[ns] = x < 5 ? ASSIGN : x < 7 ? LOAD : STORE;
        va[ns] = a, vb[ns] = b, ns++;
        const char *fmt = kind[ns - 1] == ASSIGN ? "assign(%d, %d).\n"
                          : kind[ns - 1] == LOAD ? "load(%d, %d).\n"
                                                 : "store(%d, %d).\n";
        text_printf(facts, fmt, a, b);
    }
    static Program semi, naive;
    memset(&semi, 0, sizeof semi);
    memset(&naive, 0, sizeof naive);
    uint64_t h = 0;
    if (load_and_run(&semi, &naive, pointsto_rules, facts, stats, round, round % 6 == 2)) {
        /* the same analysis as a fixpoint over 64-bit object sets */
        static uint64_t pt[MAXN], hpt[64];
        memset(pt, 0, sizeof pt);
        memset(hpt, 0, sizeof hpt);
        for (int changed = 1; changed;) {
            changed = 0;
            for (int k = 0; k < ns; k++) {
                uint64_t *dst, add = 0;
                if (kind[k] == ALLOC) {
                    dst = &pt[va[k]], add = 1ULL << vb[k];
                } else if (kind[k] == ASSIGN) {
                    dst = &pt[va[k]], add = pt[vb[k]];
                } else if (kind[k] == LOAD) {
                    dst = &pt[va[k]];
                    for (uint64_t m = pt[vb[k]]; m; m &= m - 1)
                        add |= hpt[__builtin_ctzll(m)];
                } else {
                    for (uint64_t m = pt[va[k]]; m; m &= m - 1) {
                        uint64_t *o = &hpt[__builtin_ctzll(m)];
                        if ((*o | pt[vb[k]]) != *o)
                            *o |= pt[vb[k]], changed = 1;
                    }
                    continue;
                }
                if ((*dst | add) != *dst)
                    *dst |= add, changed = 1;
            }
        }
        long npt = 0, nhpt = 0, nalias = 0;
        for (int v = 0; v < nv; v++) {
            npt += __builtin_popcountll(pt[v]);
            for (int w = v + 1; w < nv; w++)
                nalias += (pt[v] & pt[w]) != 0;
        }
        for (int o = 0; o < nh; o++)
            nhpt += __builtin_popcountll(hpt[o]);
        const Relation *rp = R(&semi, "pt"), *rh = R(&semi, "hpt");
        int bad = rp->count != npt || rh->count != nhpt || R(&semi, "alias")->count != nalias;
        for (int i = 0; i < rp->count && !bad; i++)
            bad |= !(pt[rp->tup[i * MAXARITY]] >> (rp->tup[i * MAXARITY + 1] - 1000) & 1);
        for (int i = 0; i < rh->count && !bad; i++)
            bad |= !(hpt[rh->tup[i * MAXARITY] - 1000] >> (rh->tup[i * MAXARITY + 1] - 1000) & 1);
        if (bad)
            fail("points-to against set fixpoint", round);
        for (int i = 0; i < semi.nrel; i++)
            h = mix64(h, rel_digest(&semi.rel[i]));
    }
    program_free(&semi);
    program_free(&naive);
    return h;
}
