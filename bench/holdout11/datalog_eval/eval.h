/* datalog_eval/eval.h -- stratification and bottom-up evaluation. Rules are evaluated by
 * nested-loop joins left to right, each positive atom looked up through the index of its first
 * bound column (or scanned), negated atoms tested for absence, comparisons at the end.
 * Semi-naive evaluation restricts one recursive atom per rule variant to the tuples that were
 * new in the previous iteration (a range of tuple indices); naive evaluation recomputes
 * everything until nothing changes. */

typedef struct {
    int lo, hi;
} Range;

typedef struct {
    Program *p;
    const Rule *r;
    const Range *range; /* per body atom */
    int32_t vals[MAXVAR];
    long derived, inserted, probes;
} JoinCtx;

/* a guard for broken evaluations that would otherwise derive tuples without end */
#define TUPLE_LIMIT 2000000
#define PROBE_LIMIT 20000000L
static int overflow;
static long probe_budget;

static int too_many(const Program *p)
{
    long total = 0;
    for (int i = 0; i < p->nrel; i++)
        total += p->rel[i].count;
    if (total > TUPLE_LIMIT)
        overflow = 1;
    return overflow;
}

static int stratify(Program *p)
{
    for (int i = 0; i < p->nrel; i++)
        p->stratum[i] = 0;
    for (int iter = 0;; iter++) {
        int changed = 0;
        for (int k = 0; k < p->nrules; k++) {
            const Rule *r = &p->rules[k];
            int h = r->head.rel;
            for (int i = 0; i < r->nbody; i++) {
                int need = p->stratum[r->body[i].rel] + (r->body[i].neg ? 1 : 0);
                if (p->stratum[h] < need) {
                    p->stratum[h] = need;
                    changed = 1;
                }
            }
        }
        if (!changed)
            return 1;
        if (iter > p->nrel + 1)
            return 0; /* negation through recursion */
    }
}

static int32_t term_value(const JoinCtx *c, Term t) { return t.kind == TERM_CONST ? t.val : c->vals[t.val]; }

static void join(JoinCtx *c, int pos, uint32_t bound)
{
    const Rule *r = c->r;
    if (pos == r->nbody) {
        for (int i = 0; i < r->ncmp; i++) {
            int32_t a = term_value(c, r->cmp[i].a), b = term_value(c, r->cmp[i].b);
            int ok = r->cmp[i].op == '!' ? a != b : r->cmp[i].op == '<' ? a < b : a == b;
            if (!ok)
                return;
        }
        int32_t t[MAXARITY];
        for (int i = 0; i < r->head.nargs; i++)
            t[i] = term_value(c, r->head.args[i]);
        c->derived++;
        c->inserted += rel_insert(&c->p->rel[r->head.rel], t);
        return;
    }
    const Atom *a = &r->body[pos];
    Relation *rel = &c->p->rel[a->rel];
    if (a->neg) {
        int32_t t[MAXARITY];
        for (int i = 0; i < a->nargs; i++)
            t[i] = term_value(c, a->args[i]);
        c->probes++;
        if (!rel_contains(rel, t))
            join(c, pos + 1, bound);
        return;
    }
    int key = -1;
    int32_t keyval = 0;
    for (int i = 0; i < a->nargs && key < 0; i++) {
        Term t = a->args[i];
        if (t.kind == TERM_CONST || (t.kind == TERM_VAR && (bound >> t.val & 1))) {
            key = i;
            keyval = term_value(c, t);
        }
    }
    int lo = c->range[pos].lo, hi = c->range[pos].hi;
    int idx;
    if (key >= 0) {
        if (!rel->nbuck)
            return;
        idx = rel->head[key][hash_value(keyval) & (uint32_t)(rel->nbuck - 1)];
    } else {
        idx = hi - 1;
    }
    /* both the chains and the scan run from newer to older tuples */
    for (; idx >= lo; idx = key >= 0 ? rel->next[key][idx] : idx - 1) {
        if (idx >= hi)
            continue;
        const int32_t *tu = rel->tup + idx * MAXARITY;
        uint32_t nb = bound;
        int ok = 1;
        c->probes++;
        if (--probe_budget < 0) {
            overflow = 1;
            return;
        }
        for (int i = 0; i < a->nargs && ok; i++) {
            Term t = a->args[i];
            if (t.kind == TERM_ANON)
                continue;
            if (t.kind == TERM_CONST) {
                ok = tu[i] == t.val;
            } else if (nb >> t.val & 1) {
                ok = tu[i] == c->vals[t.val];
            } else {
                c->vals[t.val] = tu[i];
                nb |= 1u << t.val;
            }
        }
        if (ok)
            join(c, pos + 1, nb);
    }
}

static void run_rule(Program *p, const Rule *r, const Range *range, long *stats)
{
    JoinCtx c;
    c.p = p;
    c.r = r;
    c.range = range;
    c.derived = c.inserted = c.probes = 0;
    join(&c, 0, 0);
    stats[0] += c.derived;
    stats[1] += c.probes;
}

static void eval_seminaive(Program *p, long *stats)
{
    int maxs = 0;
    for (int i = 0; i < p->nrel; i++)
        if (p->stratum[i] > maxs)
            maxs = p->stratum[i];
    Range range[MAXBODY];
    int lo[MAXREL], hi[MAXREL];
    for (int s = 0; s <= maxs; s++) {
        /* first pass: every rule of the stratum on everything there is */
        for (int i = 0; i < p->nrel; i++)
            lo[i] = p->rel[i].count;
        for (int k = 0; k < p->nrules; k++) {
            const Rule *r = &p->rules[k];
            if (p->stratum[r->head.rel] != s)
                continue;
            for (int i = 0; i < r->nbody; i++)
                range[i].lo = 0, range[i].hi = p->rel[r->body[i].rel].count;
            run_rule(p, r, range, stats);
        }
        for (int i = 0; i < p->nrel; i++)
            hi[i] = p->rel[i].count;
        /* then only the rule variants that see a new tuple in a recursive atom */
        while (!too_many(p)) {
            int any = 0;
            for (int i = 0; i < p->nrel; i++)
                any |= p->stratum[i] == s && hi[i] > lo[i];
            if (!any)
                break;
            stats[2]++;
            for (int k = 0; k < p->nrules; k++) {
                const Rule *r = &p->rules[k];
                if (p->stratum[r->head.rel] != s)
                    continue;
                for (int d = 0; d < r->nbody; d++) {
                    int dr = r->body[d].rel;
                    if (r->body[d].neg || p->stratum[dr] != s || hi[dr] == lo[dr])
                        continue;
                    for (int i = 0; i < r->nbody; i++) {
                        int br = r->body[i].rel;
                        range[i].lo = i == d ? lo[br] : 0;
                        range[i].hi = hi[br];
                    }
                    run_rule(p, r, range, stats);
                }
            }
            for (int i = 0; i < p->nrel; i++) {
                lo[i] = hi[i];
                hi[i] = p->rel[i].count;
            }
        }
    }
}

static void eval_naive(Program *p, long *stats)
{
    int maxs = 0;
    for (int i = 0; i < p->nrel; i++)
        if (p->stratum[i] > maxs)
            maxs = p->stratum[i];
    Range range[MAXBODY];
    for (int s = 0; s <= maxs; s++) {
        for (;;) {
            int before = 0, after = 0;
            int snap[MAXREL];
            for (int i = 0; i < p->nrel; i++)
                before += snap[i] = p->rel[i].count;
            for (int k = 0; k < p->nrules; k++) {
                const Rule *r = &p->rules[k];
                if (p->stratum[r->head.rel] != s)
                    continue;
                for (int i = 0; i < r->nbody; i++)
                    range[i].lo = 0, range[i].hi = snap[r->body[i].rel];
                run_rule(p, r, range, stats);
            }
            stats[2]++;
            for (int i = 0; i < p->nrel; i++)
                after += p->rel[i].count;
            if (after == before || too_many(p))
                break;
        }
    }
}
