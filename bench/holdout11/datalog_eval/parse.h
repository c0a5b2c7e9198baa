/* datalog_eval/parse.h -- Datalog programs as text: rules `head :- literal, ... .` and facts
 * `name(1,2).`, literals being atoms, negated atoms `!name(...)` and comparisons `X != Y`,
 * `X < Y`, `X = Y`; variables start with an upper-case letter or are `_`, constants are
 * integers, `%` starts a comment. Also the printer used for the round trip. */

#define MAXREL 16
#define MAXRULE 24
#define MAXBODY 6
#define MAXVAR 12

enum { TERM_VAR, TERM_CONST, TERM_ANON };

typedef struct {
    int kind;
    int32_t val; /* variable number or constant */
} Term;

typedef struct {
    int rel, neg, nargs;
    Term args[MAXARITY];
} Atom;

typedef struct {
    char op; /* '!' for !=, '<', '=' */
    Term a, b;
} Cmp;

typedef struct {
    Atom head;
    Atom body[MAXBODY];
    int nbody;
    Cmp cmp[4];
    int ncmp;
    int nvars;
    char var[MAXVAR][12];
} Rule;

typedef struct {
    Relation rel[MAXREL];
    int nrel;
    Rule rules[MAXRULE];
    int nrules;
    int stratum[MAXREL];
    int nfacts;
} Program;

typedef struct {
    const char *s;
    int err;
} Lexer;

static void skip_ws(Lexer *lx)
{
    for (;;) {
        lx->s += strspn(lx->s, " \t\r\n");
        if (*lx->s != '%')
            return;
        const char *nl = strchr(lx->s, '\n');
        lx->s = nl ? nl + 1 : lx->s + strlen(lx->s);
    }
}

static int accept(Lexer *lx, const char *tok)
{
    skip_ws(lx);
    size_t n = strlen(tok);
    if (strncmp(lx->s, tok, n) != 0)
        return 0;
    lx->s += n;
    return 1;
}

static void expect(Lexer *lx, const char *tok)
{
    if (!accept(lx, tok))
        lx->err = 1;
}

static int ident(Lexer *lx, char *out, size_t cap)
{
    skip_ws(lx);
    static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    size_t n = strspn(lx->s, chars);
    if (n == 0 || n >= cap || (lx->s[0] >= '0' && lx->s[0] <= '9')) {
        lx->err = 1;
        return 0;
    }
    memcpy(out, lx->s, n);
    out[n] = 0;
    lx->s += n;
    return 1;
}

static int find_rel(Program *p, const char *name, int arity)
{
    for (int i = 0; i < p->nrel; i++)
        if (strcmp(p->rel[i].name, name) == 0)
            return p->rel[i].arity == arity ? i : -1;
    if (p->nrel == MAXREL || arity < 1 || arity > MAXARITY)
        return -1;
    rel_init(&p->rel[p->nrel], name, arity);
    return p->nrel++;
}

static Term parse_term(Lexer *lx, Rule *r)
{
    Term t = { TERM_CONST, 0 };
    skip_ws(lx);
    if ((*lx->s >= '0' && *lx->s <= '9') || *lx->s == '-') {
        char *end;
        long v = strtol(lx->s, &end, 10);
        if (end == lx->s)
            lx->err = 1;
        lx->s = end;
        t.val = (int32_t)v;
        return t;
    }
    char name[16];
    if (!ident(lx, name, sizeof name))
        return t;
    if (strcmp(name, "_") == 0) {
        t.kind = TERM_ANON;
        return t;
    }
    if (!(name[0] >= 'A' && name[0] <= 'Z')) {
        lx->err = 1;
        return t;
    }
    t.kind = TERM_VAR;
    for (int i = 0; i < r->nvars; i++)
        if (strcmp(r->var[i], name) == 0) {
            t.val = i;
            return t;
        }
    if (r->nvars == MAXVAR || strlen(name) >= sizeof r->var[0]) {
        lx->err = 1;
        return t;
    }
    snprintf(r->var[r->nvars], sizeof r->var[0], "%s", name);
    t.val = r->nvars++;
    return t;
}

static void parse_atom(Lexer *lx, Program *p, Rule *r, Atom *a)
{
    char name[24];
    if (!ident(lx, name, sizeof name))
        return;
    expect(lx, "(");
    a->nargs = 0;
    do {
        if (a->nargs == MAXARITY) {
            lx->err = 1;
            return;
        }
        a->args[a->nargs++] = parse_term(lx, r);
    } while (!lx->err && accept(lx, ","));
    expect(lx, ")");
    a->rel = find_rel(p, name, a->nargs);
    if (a->rel < 0)
        lx->err = 1;
}

/* parses rules and facts; returns 0 on a syntax error */
static int parse_program(Program *p, const char *text)
{
    Lexer lx = { text, 0 };
    for (;;) {
        skip_ws(&lx);
        if (!*lx.s)
            break;
        Rule r;
        memset(&r, 0, sizeof r);
        parse_atom(&lx, p, &r, &r.head);
        if (lx.err)
            return 0;
        if (accept(&lx, ":-")) {
            do {
                skip_ws(&lx);
                const char *save = lx.s;
                int neg = accept(&lx, "!");
                char name[24];
                const char *before = lx.s;
                if (!neg && ident(&lx, name, sizeof name) && (skip_ws(&lx), *lx.s == '(')) {
                    lx.s = before;
                } else if (!neg) {
                    /* a comparison */
                    lx.err = 0;
                    lx.s = save;
                    if (r.ncmp == 4)
                        return 0;
                    Cmp *c = &r.cmp[r.ncmp++];
                    c->a = parse_term(&lx, &r);
                    c->op = accept(&lx, "!=") ? '!' : accept(&lx, "<") ? '<' : accept(&lx, "=") ? '=' : 0;
                    if (!c->op)
                        return 0;
                    c->b = parse_term(&lx, &r);
                    continue;
                }
                if (r.nbody == MAXBODY)
                    return 0;
                Atom *a = &r.body[r.nbody++];
                a->neg = neg;
                parse_atom(&lx, p, &r, a);
            } while (!lx.err && accept(&lx, ","));
        }
        expect(&lx, ".");
        if (lx.err)
            return 0;
        int ground = r.nbody == 0 && r.ncmp == 0;
        for (int i = 0; i < r.head.nargs; i++)
            ground &= r.head.args[i].kind == TERM_CONST;
        if (ground) {
            int32_t t[MAXARITY];
            for (int i = 0; i < r.head.nargs; i++)
                t[i] = r.head.args[i].val;
            rel_insert(&p->rel[r.head.rel], t);
            p->nfacts++;
        } else {
            if (p->nrules == MAXRULE)
                return 0;
            p->rules[p->nrules++] = r;
        }
    }
    return 1;
}

static void print_term(char **o, const Rule *r, Term t)
{
    if (t.kind == TERM_VAR)
        *o += sprintf(*o, "%s", r->var[t.val]);
    else if (t.kind == TERM_ANON)
        *o += sprintf(*o, "_");
    else
        *o += sprintf(*o, "%d", (int)t.val);
}

static void print_atom(char **o, const Program *p, const Rule *r, const Atom *a)
{
    *o += sprintf(*o, "%s%s(", a->neg ? "!" : "", p->rel[a->rel].name);
    for (int i = 0; i < a->nargs; i++) {
        if (i)
            *o += sprintf(*o, ", ");
        print_term(o, r, a->args[i]);
    }
    *o += sprintf(*o, ")");
}

/* the rules (not the facts) as text; out must be large enough (4 KiB per rule) */
static void print_rules(const Program *p, char *out)
{
    char *o = out;
    *o = 0;
    for (int k = 0; k < p->nrules; k++) {
        const Rule *r = &p->rules[k];
        print_atom(&o, p, r, &r->head);
        for (int i = 0; i < r->nbody + r->ncmp; i++) {
            o += sprintf(o, i ? ", " : " :- ");
            if (i < r->nbody) {
                print_atom(&o, p, r, &r->body[i]);
            } else {
                const Cmp *c = &r->cmp[i - r->nbody];
                print_term(&o, r, c->a);
                o += sprintf(o, c->op == '!' ? " != " : c->op == '<' ? " < " : " = ");
                print_term(&o, r, c->b);
            }
        }
        o += sprintf(o, ".\n");
    }
}
