/* sat_cdcl — a conflict-driven clause-learning SAT solver (two watched literals, first-UIP learning,
 * activity-based branching with phase saving, geometric restarts) on generated random 3-SAT.
 *
 * Instances sit near the satisfiability threshold (clause/variable ratio about 4.2), so roughly
 * half are satisfiable. Models are checked against the original clauses. All instances are
 * generated before the timer starts; SCALE is the number of batches of instances solved. */
#include "../programs/bench.h"

#define NVARS 110
#define NCLAUSES 462
#define BATCH 24

typedef struct {
    int *v;
    int n, cap;
} ivec;

static void ivec_push(ivec *a, int x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->v = realloc(a->v, (size_t)a->cap * sizeof(int));
        if (!a->v) { fprintf(stderr, "out of memory\n"); exit(1); }
    }
    a->v[a->n++] = x;
}

typedef struct {
    int nvars;
    /* clause arena: clause c occupies lits[start[c] .. start[c]+len[c]) */
    ivec lits, start, len;
    ivec *watches;            /* per literal: clauses watching it */
    signed char *value;       /* per variable: -1 unassigned, 0 false, 1 true */
    signed char *phase;       /* saved phase */
    int *level, *reason, *trail, *trail_lim;
    int trail_n, nlevels, qhead;
    double *activity;
    double var_inc;
    char *seen;
    ivec learnt;
    long conflicts, decisions, propagations;
} solver;

static inline int lit_var(int l) { return l >> 1; }
static inline int lit_val(const solver *s, int l)
{
    int v = s->value[l >> 1];
    return v < 0 ? -1 : (v ^ (l & 1));
}

static void solver_init(solver *s, int nvars)
{
    memset(s, 0, sizeof *s);
    s->nvars = nvars;
    s->watches = calloc((size_t)(2 * nvars), sizeof(ivec));
    s->value = malloc((size_t)nvars);
    s->phase = calloc((size_t)nvars, 1);
    s->level = calloc((size_t)nvars, sizeof(int));
    s->reason = malloc((size_t)nvars * sizeof(int));
    s->trail = malloc((size_t)nvars * sizeof(int));
    s->trail_lim = malloc((size_t)(nvars + 1) * sizeof(int));
    s->activity = calloc((size_t)nvars, sizeof(double));
    s->seen = calloc((size_t)nvars, 1);
    s->var_inc = 1.0;
    for (int i = 0; i < nvars; i++) { s->value[i] = -1; s->reason[i] = -1; }
}

static void solver_free(solver *s)
{
    for (int i = 0; i < 2 * s->nvars; i++) free(s->watches[i].v);
    free(s->watches); free(s->value); free(s->phase); free(s->level); free(s->reason);
    free(s->trail); free(s->trail_lim); free(s->activity); free(s->seen);
    free(s->lits.v); free(s->start.v); free(s->len.v); free(s->learnt.v);
}

static void enqueue(solver *s, int lit, int reason)
{
    int v = lit_var(lit);
    s->value[v] = (signed char)(1 ^ (lit & 1));
    s->level[v] = s->nlevels;
    s->reason[v] = reason;
    s->trail[s->trail_n++] = lit;
}

/* Adds a clause of >= 2 literals; the first two are watched. */
static int add_clause(solver *s, const int *lits, int n)
{
    int c = s->start.n;
    ivec_push(&s->start, s->lits.n);
    ivec_push(&s->len, n);
    for (int i = 0; i < n; i++) ivec_push(&s->lits, lits[i]);
    ivec_push(&s->watches[lits[0]], c);
    ivec_push(&s->watches[lits[1]], c);
    return c;
}

/* Unit propagation; returns a conflicting clause or -1. */
static int propagate(solver *s)
{
    while (s->qhead < s->trail_n) {
        int p = s->trail[s->qhead++];
        int falsified = p ^ 1;
        ivec *ws = &s->watches[falsified];
        int i = 0, j = 0;
        s->propagations++;
        while (i < ws->n) {
            int c = ws->v[i++];
            int *cl = s->lits.v + s->start.v[c];
            int n = s->len.v[c];
            if (cl[0] == falsified) { cl[0] = cl[1]; cl[1] = falsified; }
            if (lit_val(s, cl[0]) == 1) { ws->v[j++] = c; continue; }
            int moved = 0;
            for (int k = 2; k < n; k++) {
                if (lit_val(s, cl[k]) != 0) {
                    cl[1] = cl[k];
                    cl[k] = falsified;
                    ivec_push(&s->watches[cl[1]], c);
                    moved = 1;
                    break;
                }
            }
            if (moved) continue;
            ws->v[j++] = c;
            if (lit_val(s, cl[0]) == 0) {
                while (i < ws->n) ws->v[j++] = ws->v[i++];
                ws->n = j;
                s->qhead = s->trail_n;
                return c;
            }
            enqueue(s, cl[0], c);
        }
        ws->n = j;
    }
    return -1;
}

static void bump(solver *s, int v)
{
    s->activity[v] += s->var_inc;
    if (s->activity[v] > 1e100) {
        for (int i = 0; i < s->nvars; i++) s->activity[i] *= 1e-100;
        s->var_inc *= 1e-100;
    }
}

/* First-UIP conflict analysis. Fills s->learnt (asserting literal first) and returns the
 * backjump level. */
static int analyze(solver *s, int confl)
{
    s->learnt.n = 0;
    ivec_push(&s->learnt, -1);
    int pathc = 0, p = -1, idx = s->trail_n - 1;
    do {
        int *cl = s->lits.v + s->start.v[confl];
        int n = s->len.v[confl];
        for (int k = (p == -1 ? 0 : 1); k < n; k++) {
            int q = cl[k];
            int v = lit_var(q);
            if (!s->seen[v] && s->level[v] > 0) {
                s->seen[v] = 1;
                bump(s, v);
                if (s->level[v] >= s->nlevels) pathc++;
                else ivec_push(&s->learnt, q);
            }
        }
        while (!s->seen[lit_var(s->trail[idx])]) idx--;
        p = s->trail[idx];
        idx--;
        confl = s->reason[lit_var(p)];
        s->seen[lit_var(p)] = 0;
        pathc--;
    } while (pathc > 0);
    s->learnt.v[0] = p ^ 1;

    int bt = 0, maxi = 1;
    for (int k = 1; k < s->learnt.n; k++) {
        int lv = s->level[lit_var(s->learnt.v[k])];
        if (lv > bt) { bt = lv; maxi = k; }
    }
    if (s->learnt.n > 1) {
        int tmp = s->learnt.v[1];
        s->learnt.v[1] = s->learnt.v[maxi];
        s->learnt.v[maxi] = tmp;
    }
    for (int k = 1; k < s->learnt.n; k++) s->seen[lit_var(s->learnt.v[k])] = 0;
    s->var_inc *= 1.0 / 0.95;
    return bt;
}

static void backtrack(solver *s, int lvl)
{
    if (s->nlevels <= lvl) return;
    for (int i = s->trail_n - 1; i >= s->trail_lim[lvl]; i--) {
        int v = lit_var(s->trail[i]);
        s->phase[v] = s->value[v];
        s->value[v] = -1;
        s->reason[v] = -1;
    }
    s->trail_n = s->trail_lim[lvl];
    s->qhead = s->trail_n;
    s->nlevels = lvl;
}

static int pick_branch(solver *s)
{
    int best = -1;
    double ba = -1.0;
    for (int v = 0; v < s->nvars; v++)
        if (s->value[v] < 0 && s->activity[v] > ba) { ba = s->activity[v]; best = v; }
    return best;
}

/* Returns 1 for SAT, 0 for UNSAT. */
static int solve(solver *s)
{
    long restart_limit = 100, since_restart = 0;
    if (propagate(s) >= 0) return 0;
    for (;;) {
        int confl = propagate(s);
        if (confl >= 0) {
            s->conflicts++;
            since_restart++;
            if (s->nlevels == 0) return 0;
            int bt = analyze(s, confl);
            backtrack(s, bt);
            if (s->learnt.n == 1) {
                enqueue(s, s->learnt.v[0], -1);
            } else {
                int c = add_clause(s, s->learnt.v, s->learnt.n);
                enqueue(s, s->learnt.v[0], c);
            }
        } else {
            if (since_restart >= restart_limit) {
                backtrack(s, 0);
                since_restart = 0;
                restart_limit += restart_limit / 2;
                continue;
            }
            int v = pick_branch(s);
            if (v < 0) return 1;
            s->decisions++;
            s->trail_lim[s->nlevels++] = s->trail_n;
            enqueue(s, 2 * v + (s->phase[v] == 1 ? 0 : 1), -1);
        }
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 22);
    bench_rng rng = { 0x5A7C0FFEE1234567ULL };
    int total = scale * BATCH;
    int *inst = malloc((size_t)total * NCLAUSES * 3 * sizeof(int));
    if (!inst) return 1;
    for (int i = 0; i < total; i++) {
        int *cl = inst + (size_t)i * NCLAUSES * 3;
        for (int c = 0; c < NCLAUSES; c++) {
            int a = (int)rng_below(&rng, NVARS), b, d;
            do b = (int)rng_below(&rng, NVARS); while (b == a);
            do d = (int)rng_below(&rng, NVARS); while (d == a || d == b);
            cl[3 * c + 0] = 2 * a + (int)rng_below(&rng, 2);
            cl[3 * c + 1] = 2 * b + (int)rng_below(&rng, 2);
            cl[3 * c + 2] = 2 * d + (int)rng_below(&rng, 2);
        }
    }

    double start = bench_now();
    uint64_t h = 0;
    long nsat = 0, conflicts = 0, decisions = 0, props = 0;
    for (int i = 0; i < total; i++) {
        const int *cl = inst + (size_t)i * NCLAUSES * 3;
        solver s;
        solver_init(&s, NVARS);
        for (int c = 0; c < NCLAUSES; c++) add_clause(&s, cl + 3 * c, 3);
        int sat = solve(&s);
        if (sat) {
            /* Check the model against the original clauses. */
            for (int c = 0; c < NCLAUSES; c++) {
                if (lit_val(&s, cl[3 * c]) != 1 && lit_val(&s, cl[3 * c + 1]) != 1 &&
                    lit_val(&s, cl[3 * c + 2]) != 1) {
                    printf("sat_cdcl: bad model for instance %d\n", i);
                    return 1;
                }
            }
            uint64_t m = 0;
            for (int v = 0; v < NVARS; v++) m = m * 3 + (uint64_t)s.value[v];
            h = mix64(h, m);
            nsat++;
        }
        h = mix64(h, ((uint64_t)sat << 40) ^ (uint64_t)s.conflicts);
        conflicts += s.conflicts;
        decisions += s.decisions;
        props += s.propagations;
        solver_free(&s);
    }
    bench_report(start);
    printf("sat_cdcl instances=%d sat=%ld conflicts=%ld decisions=%ld propagations=%ld checksum=%016llx\n",
           total, nsat, conflicts, decisions, props, (unsigned long long)h);
    free(inst);
    return 0;
}
