/* prolog_solve.c — a small Prolog interpreter.
 *
 * Programs are read by an operator-precedence parser (standard operator table, lists, quoted
 * atoms, anonymous variables) into a code area of tagged 32-bit cells with clause-numbered
 * variables. Resolution is depth-first with structure copying: each call renames a clause onto
 * the global heap, unification is iterative with an explicit stack and conditional trailing,
 * goal continuations are immutable frames, and choice points record heap, trail and frame tops
 * so backtracking resets them. First-argument indexing avoids leaving needless choice points; cut
 * uses per-call barriers; if-then-else, negation as failure, disjunction and integer arithmetic
 * are built in. The workload consults a program (naive reverse, N-queens, Fibonacci, trial-
 * division primes, the zebra puzzle, quicksort on an LCG list, Hanoi) and runs queries whose
 * answers are checked against the same computations written in C.
 */
#include "../programs/bench.h"

enum { T_REF = 0, T_ATM = 1, T_INT = 2, T_STR = 3, T_FUN = 4, T_CVAR = 5 };
#define TAG(c) ((c) & 7u)
#define VAL(c) ((c) >> 3)
static inline uint32_t mk(uint32_t tag, uint32_t v) { return (v << 3) | tag; }

#define INT_MIN29 (-(1 << 28))
#define INT_MAX29 ((1 << 28) - 1)

static inline uint32_t mk_int(int32_t v) { return mk(T_INT, (uint32_t)v & 0x1FFFFFFFu); }
static inline int32_t int_val(uint32_t c)
{
    int32_t v = (int32_t)(c >> 3);
    if (v & (1 << 28))
        v -= 1 << 29;
    return v;
}

static int errors; /* resource or type errors during a run */
static int failures;

/* ---------- atoms and functors ---------- */

#define MAX_ATOMS 1024
#define ATOM_HASH 2048
static char *atom_name[MAX_ATOMS];
static uint32_t atom_hashv[MAX_ATOMS];
static int natoms;
static int atom_table[ATOM_HASH];

static uint32_t str_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int intern_n(const char *s, size_t n)
{
    uint32_t hv = str_hash(s, n);
    uint32_t i = hv & (ATOM_HASH - 1);
    while (atom_table[i] >= 0) {
        int a = atom_table[i];
        if (atom_hashv[a] == hv && strlen(atom_name[a]) == n && memcmp(atom_name[a], s, n) == 0)
            return a;
        i = (i + 1) & (ATOM_HASH - 1);
    }
    if (natoms == MAX_ATOMS) {
        errors++;
        return 0;
    }
    char *copy = malloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = 0;
    atom_name[natoms] = copy;
    atom_hashv[natoms] = hv;
    atom_table[i] = natoms;
    return natoms++;
}

static int intern(const char *s) { return intern_n(s, strlen(s)); }

#define MAX_FUNS 1024
static int fun_atom[MAX_FUNS], fun_arity[MAX_FUNS], nfuns;
static int fun_pred[MAX_FUNS];    /* predicate index or -1 */
static int fun_builtin[MAX_FUNS]; /* builtin code or 0 */

static int functor_id(int atom, int arity)
{
    for (int i = 0; i < nfuns; i++)
        if (fun_atom[i] == atom && fun_arity[i] == arity)
            return i;
    if (nfuns == MAX_FUNS) {
        errors++;
        return 0;
    }
    fun_atom[nfuns] = atom;
    fun_arity[nfuns] = arity;
    fun_pred[nfuns] = -1;
    fun_builtin[nfuns] = 0;
    return nfuns++;
}

enum {
    B_NONE, B_TRUE, B_FAIL, B_CONJ, B_DISJ, B_ITE, B_CUT, B_CUTTO, B_NOT, B_UNIFY, B_NUNIFY,
    B_IS, B_EQ, B_NE, B_LT, B_GT, B_LE, B_GE, B_VAR, B_NONVAR, B_INTEGER, B_ATOM, B_RECORD,
    B_CHECK_NREV
};

static int A_NIL, A_DOT, A_MINUS, A_PLUS, A_TIMES, A_DIV, A_MOD, A_MIN, A_MAX, A_TRUE, A_CUTTO;
static int F_DOT, F_CUTTO, F_ITE, F_CONJ;

/* ---------- memory areas ---------- */

#define CODE_SIZE (1 << 16)
#define HEAP_SIZE (1 << 21)
#define TRAIL_SIZE (1 << 19)
#define FRAME_SIZE (1 << 19)
#define CP_SIZE (1 << 17)
#define PDL_SIZE (1 << 14)

static uint32_t code[CODE_SIZE];
static uint32_t code_top;
static uint32_t H[HEAP_SIZE];
static uint32_t hp, hb;
static uint32_t trail[TRAIL_SIZE];
static uint32_t tr;

typedef struct {
    uint32_t goal, cutb;
    int next;
} frame_t;
static frame_t frames[FRAME_SIZE];
static int fr_top;

enum { CP_CLAUSE, CP_ALT };
typedef struct {
    int kind;
    uint32_t goal;
    int fid, next_clause;
    int cont;
    uint32_t barrier;
    uint32_t heap, trail;
    int frame;
} cp_t;
static cp_t cps[CP_SIZE];
static uint32_t cp_top;

static void set_cp_top(uint32_t n)
{
    cp_top = n;
    hb = n ? cps[n - 1].heap : 0;
}

/* ---------- clauses ---------- */

typedef struct {
    uint32_t head, body;
    int nvars;
    uint32_t key; /* first-argument index key, 0 = variable */
} clause_t;

#define MAX_CLAUSES 1024
static clause_t clauses[MAX_CLAUSES];
static int nclauses;

typedef struct {
    int *cl;
    int n, cap;
} pred_t;
#define MAX_PREDS 512
static pred_t preds[MAX_PREDS];
static int npreds;

/* ---------- tokenizer ---------- */

enum { TK_ATOM, TK_VAR, TK_INT, TK_PUNCT, TK_END, TK_EOF, TK_BAD };
typedef struct {
    int type;
    int atom;      /* atom id for TK_ATOM */
    int32_t ival;  /* TK_INT */
    char punct;    /* TK_PUNCT */
    const char *start;
    int len;       /* TK_VAR name */
    int paren;     /* atom immediately followed by '(' */
} token_t;

static const char *src;
static token_t tok;

static int is_symch(char c) { return c && strchr("+-*/\\^<>=~:.?@#&$", c) != NULL; }
static int is_alnum_(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static void next_token(void)
{
    for (;;) {
        while (*src == ' ' || *src == '\n' || *src == '\t' || *src == '\r')
            src++;
        if (*src == '%') {
            while (*src && *src != '\n')
                src++;
            continue;
        }
        break;
    }
    tok.start = src;
    tok.paren = 0;
    char c = *src;
    if (!c) {
        tok.type = TK_EOF;
        return;
    }
    if (c >= '0' && c <= '9') {
        int32_t v = 0;
        while (*src >= '0' && *src <= '9') {
            v = v * 10 + (*src - '0');
            src++;
        }
        tok.type = TK_INT;
        tok.ival = v;
        return;
    }
    if ((c >= 'A' && c <= 'Z') || c == '_') {
        while (is_alnum_(*src))
            src++;
        tok.type = TK_VAR;
        tok.len = (int)(src - tok.start);
        return;
    }
    if (c >= 'a' && c <= 'z') {
        while (is_alnum_(*src))
            src++;
        tok.type = TK_ATOM;
        tok.atom = intern_n(tok.start, (size_t)(src - tok.start));
        tok.paren = *src == '(';
        return;
    }
    if (c == '\'') {
        const char *s = ++src;
        while (*src && *src != '\'')
            src++;
        tok.type = TK_ATOM;
        tok.atom = intern_n(s, (size_t)(src - s));
        if (*src)
            src++;
        tok.paren = *src == '(';
        return;
    }
    if (c == '.' && (src[1] == 0 || src[1] == ' ' || src[1] == '\n' || src[1] == '\t' || src[1] == '%')) {
        src++;
        tok.type = TK_END;
        return;
    }
    if (c == '!' || c == ';') {
        src++;
        tok.type = TK_ATOM;
        tok.atom = intern_n(tok.start, 1);
        tok.paren = *src == '(';
        return;
    }
    if (strchr("()[]|,", c)) {
        src++;
        tok.type = TK_PUNCT;
        tok.punct = c;
        return;
    }
    if (is_symch(c)) {
        while (is_symch(*src))
            src++;
        tok.type = TK_ATOM;
        tok.atom = intern_n(tok.start, (size_t)(src - tok.start));
        tok.paren = *src == '(';
        return;
    }
    src++;
    tok.type = TK_BAD;
}

/* ---------- operators ---------- */

enum { XFX, XFY, YFX, FY, FX };
static int infix_prec[MAX_ATOMS], infix_type[MAX_ATOMS], prefix_prec[MAX_ATOMS], prefix_type[MAX_ATOMS];

static void def_op(const char *name, int prec, int type)
{
    int a = intern(name);
    if (type == FY || type == FX) {
        prefix_prec[a] = prec;
        prefix_type[a] = type;
    } else {
        infix_prec[a] = prec;
        infix_type[a] = type;
    }
}

/* ---------- parser into the code area ---------- */

#define MAX_VARS 128
static char var_names[MAX_VARS][32];
static int nvars;
static int parse_error;

static uint32_t code_alloc(uint32_t n)
{
    if (code_top + n > CODE_SIZE) {
        errors++;
        parse_error = 1;
        return 0;
    }
    uint32_t at = code_top;
    code_top += n;
    return at;
}

static uint32_t make_struct(int fid, const uint32_t *args, int n)
{
    uint32_t at = code_alloc((uint32_t)n + 1);
    if (parse_error)
        return mk(T_ATM, (uint32_t)A_NIL);
    code[at] = mk(T_FUN, (uint32_t)fid);
    for (int i = 0; i < n; i++)
        code[at + 1 + i] = args[i];
    return mk(T_STR, at);
}

static uint32_t var_cell(const char *name, int len)
{
    if (len == 1 && name[0] == '_') {
        if (nvars == MAX_VARS) {
            parse_error = 1;
            return 0;
        }
        var_names[nvars][0] = 0;
        return mk(T_CVAR, (uint32_t)nvars++);
    }
    for (int i = 0; i < nvars; i++)
        if ((int)strlen(var_names[i]) == len && memcmp(var_names[i], name, (size_t)len) == 0)
            return mk(T_CVAR, (uint32_t)i);
    if (nvars == MAX_VARS || len >= 32) {
        parse_error = 1;
        return 0;
    }
    memcpy(var_names[nvars], name, (size_t)len);
    var_names[nvars][len] = 0;
    return mk(T_CVAR, (uint32_t)nvars++);
}

static uint32_t parse(int maxprec);

static int starts_term(void)
{
    if (tok.type == TK_INT || tok.type == TK_VAR)
        return 1;
    if (tok.type == TK_PUNCT)
        return tok.punct == '(' || tok.punct == '[';
    if (tok.type == TK_ATOM)
        return infix_prec[tok.atom] == 0 || tok.paren;
    return 0;
}

static void expect(char p)
{
    if (tok.type == TK_PUNCT && tok.punct == p)
        next_token();
    else
        parse_error = 1;
}

static uint32_t parse_primary(int maxprec, int *prec)
{
    *prec = 0;
    if (parse_error)
        return 0;
    if (tok.type == TK_INT) {
        int32_t v = tok.ival;
        next_token();
        return mk_int(v);
    }
    if (tok.type == TK_VAR) {
        uint32_t c = var_cell(tok.start, tok.len);
        next_token();
        return c;
    }
    if (tok.type == TK_PUNCT && tok.punct == '(') {
        next_token();
        uint32_t t = parse(1200);
        expect(')');
        return t;
    }
    if (tok.type == TK_PUNCT && tok.punct == '[') {
        next_token();
        if (tok.type == TK_PUNCT && tok.punct == ']') {
            next_token();
            return mk(T_ATM, (uint32_t)A_NIL);
        }
        uint32_t items[256];
        int n = 0;
        uint32_t tail = mk(T_ATM, (uint32_t)A_NIL);
        for (;;) {
            if (n == 256) {
                parse_error = 1;
                return 0;
            }
            items[n++] = parse(999);
            if (tok.type == TK_PUNCT && tok.punct == ',') {
                next_token();
                continue;
            }
            if (tok.type == TK_PUNCT && tok.punct == '|') {
                next_token();
                tail = parse(999);
            }
            break;
        }
        expect(']');
        for (int i = n - 1; i >= 0; i--) {
            uint32_t args[2] = { items[i], tail };
            tail = make_struct(F_DOT, args, 2);
        }
        return tail;
    }
    if (tok.type == TK_ATOM) {
        int a = tok.atom;
        if (tok.paren) {
            next_token();
            next_token(); /* '(' */
            uint32_t args[16];
            int n = 0;
            for (;;) {
                if (n == 16) {
                    parse_error = 1;
                    return 0;
                }
                args[n++] = parse(999);
                if (tok.type == TK_PUNCT && tok.punct == ',') {
                    next_token();
                    continue;
                }
                break;
            }
            expect(')');
            return make_struct(functor_id(a, n), args, n);
        }
        next_token();
        if (a == A_MINUS && tok.type == TK_INT) {
            int32_t v = -tok.ival;
            next_token();
            return mk_int(v);
        }
        if (prefix_prec[a] && starts_term()) {
            int p = prefix_prec[a];
            if (p > maxprec)
                p = 999;
            uint32_t arg = parse(prefix_type[a] == FY ? p : p - 1);
            *prec = p;
            return make_struct(functor_id(a, 1), &arg, 1);
        }
        return mk(T_ATM, (uint32_t)a);
    }
    parse_error = 1;
    return 0;
}

static uint32_t parse(int maxprec)
{
    int lprec;
    uint32_t left = parse_primary(maxprec, &lprec);
    while (!parse_error) {
        int a;
        if (tok.type == TK_ATOM && infix_prec[tok.atom])
            a = tok.atom;
        else if (tok.type == TK_PUNCT && tok.punct == ',')
            a = fun_atom[F_CONJ];
        else
            break;
        int p = infix_prec[a], t = infix_type[a];
        int leftmax = t == YFX ? p : p - 1;
        if (p > maxprec || lprec > leftmax)
            break;
        next_token();
        uint32_t right = parse(t == XFY ? p : p - 1);
        uint32_t args[2] = { left, right };
        left = make_struct(functor_id(a, 2), args, 2);
        lprec = p;
    }
    return left;
}

static uint32_t code_key(uint32_t c)
{
    if (TAG(c) == T_ATM || TAG(c) == T_INT)
        return c;
    if (TAG(c) == T_STR)
        return code[VAL(c)];
    return 0;
}

/* consult a program text; returns number of clauses added */
static int consult(const char *text)
{
    src = text;
    next_token();
    int added = 0;
    while (tok.type != TK_EOF && !parse_error) {
        nvars = 0;
        uint32_t t = parse(1200);
        if (tok.type != TK_END)
            parse_error = 1;
        next_token();
        if (parse_error)
            break;
        uint32_t head = t, body = mk(T_ATM, (uint32_t)A_TRUE);
        if (TAG(t) == T_STR) {
            int fid = (int)VAL(code[VAL(t)]);
            if (fun_atom[fid] == intern(":-") && fun_arity[fid] == 2) {
                head = code[VAL(t) + 1];
                body = code[VAL(t) + 2];
            }
        }
        int fid;
        if (TAG(head) == T_ATM)
            fid = functor_id((int)VAL(head), 0);
        else if (TAG(head) == T_STR)
            fid = (int)VAL(code[VAL(head)]);
        else {
            parse_error = 1;
            break;
        }
        if (nclauses == MAX_CLAUSES) {
            errors++;
            break;
        }
        clause_t *cl = &clauses[nclauses];
        cl->head = head;
        cl->body = body;
        cl->nvars = nvars;
        cl->key = TAG(head) == T_STR && fun_arity[fid] > 0 ? code_key(code[VAL(head) + 1]) : 0;
        if (fun_pred[fid] < 0) {
            if (npreds == MAX_PREDS) {
                errors++;
                break;
            }
            fun_pred[fid] = npreds++;
        }
        pred_t *p = &preds[fun_pred[fid]];
        if (p->n == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 4;
            p->cl = realloc(p->cl, sizeof(int) * (size_t)p->cap);
        }
        p->cl[p->n++] = nclauses++;
        added++;
    }
    if (parse_error)
        errors++;
    return added;
}

/* ---------- heap, binding and unification ---------- */

static inline uint32_t heap_alloc(uint32_t n)
{
    if (hp + n > HEAP_SIZE) {
        errors++;
        return 0;
    }
    uint32_t at = hp;
    hp += n;
    return at;
}

static inline uint32_t deref(uint32_t c)
{
    while (TAG(c) == T_REF) {
        uint32_t v = H[VAL(c)];
        if (v == c)
            return c;
        c = v;
    }
    return c;
}

static inline void bind(uint32_t var, uint32_t val)
{
    uint32_t a = VAL(var);
    H[a] = val;
    if (a < hb) {
        if (tr == TRAIL_SIZE) {
            errors++;
            return;
        }
        trail[tr++] = a;
    }
}

static void undo_trail(uint32_t to)
{
    while (tr > to) {
        uint32_t a = trail[--tr];
        H[a] = mk(T_REF, a);
    }
}

static uint32_t pdl[PDL_SIZE];

static int unify(uint32_t a, uint32_t b)
{
    int sp = 0;
    pdl[sp++] = a;
    pdl[sp++] = b;
    while (sp) {
        uint32_t y = deref(pdl[--sp]), x = deref(pdl[--sp]);
        if (x == y)
            continue;
        if (TAG(x) == T_REF) {
            if (TAG(y) == T_REF && VAL(y) > VAL(x))
                bind(y, x); /* younger variable points at the older one */
            else
                bind(x, y);
            continue;
        }
        if (TAG(y) == T_REF) {
            bind(y, x);
            continue;
        }
        if (TAG(x) != T_STR || TAG(y) != T_STR)
            return 0;
        uint32_t fx = VAL(x), fy = VAL(y);
        if (H[fx] != H[fy])
            return 0;
        int n = fun_arity[VAL(H[fx])];
        if (sp + 2 * n > PDL_SIZE) {
            errors++;
            return 0;
        }
        for (int i = n; i >= 1; i--) {
            pdl[sp++] = H[fx + i];
            pdl[sp++] = H[fy + i];
        }
    }
    return 1;
}

/* copy a code-area term onto the heap, renaming clause variables */
static uint32_t copy_term(uint32_t c, uint32_t *vars)
{
    switch (TAG(c)) {
    case T_CVAR: {
        uint32_t n = VAL(c);
        if (!vars[n]) {
            uint32_t at = heap_alloc(1);
            H[at] = mk(T_REF, at);
            vars[n] = H[at];
        }
        return vars[n];
    }
    case T_STR: {
        uint32_t f = VAL(c);
        int n = fun_arity[VAL(code[f])];
        uint32_t at = heap_alloc((uint32_t)n + 1);
        if (errors)
            return mk(T_ATM, (uint32_t)A_NIL);
        H[at] = code[f];
        for (int i = 1; i <= n; i++) {
            uint32_t v = copy_term(code[f + i], vars);
            H[at + i] = v;
        }
        return mk(T_STR, at);
    }
    default:
        return c;
    }
}

/* unify a clause head (in the code area) directly against a heap goal, creating heap
 * structure only where the goal has unbound variables */
static int unify_head(uint32_t hc, uint32_t g, uint32_t *vars)
{
    switch (TAG(hc)) {
    case T_CVAR: {
        uint32_t n = VAL(hc);
        if (!vars[n]) {
            vars[n] = g;
            return 1;
        }
        return unify(vars[n], g);
    }
    case T_STR: {
        g = deref(g);
        uint32_t f = VAL(hc);
        if (TAG(g) == T_REF) {
            bind(g, copy_term(hc, vars));
            return !errors;
        }
        if (TAG(g) != T_STR || H[VAL(g)] != code[f])
            return 0;
        int n = fun_arity[VAL(code[f])];
        for (int i = 1; i <= n; i++)
            if (!unify_head(code[f + i], H[VAL(g) + i], vars))
                return 0;
        return 1;
    }
    default: {
        g = deref(g);
        if (g == hc)
            return 1;
        if (TAG(g) == T_REF) {
            bind(g, hc);
            return 1;
        }
        return 0;
    }
    }
}

static uint32_t heap_key(uint32_t goal)
{
    if (TAG(goal) != T_STR || fun_arity[VAL(H[VAL(goal)])] == 0)
        return 0;
    uint32_t a = deref(H[VAL(goal) + 1]);
    if (TAG(a) == T_ATM || TAG(a) == T_INT)
        return a;
    if (TAG(a) == T_STR)
        return H[VAL(a)];
    return 0;
}

/* ---------- arithmetic ---------- */

static int64_t eval(uint32_t t, int *ok)
{
    t = deref(t);
    if (TAG(t) == T_INT)
        return int_val(t);
    if (TAG(t) != T_STR) {
        *ok = 0;
        return 0;
    }
    uint32_t f = VAL(t);
    int fid = (int)VAL(H[f]);
    int a = fun_atom[fid], n = fun_arity[fid];
    if (n == 1 && a == A_MINUS)
        return -eval(H[f + 1], ok);
    if (n != 2) {
        *ok = 0;
        return 0;
    }
    int64_t x = eval(H[f + 1], ok), y = eval(H[f + 2], ok);
    if (!*ok)
        return 0;
    if (a == A_PLUS) return x + y;
    if (a == A_MINUS) return x - y;
    if (a == A_TIMES) return x * y;
    if (a == A_MIN) return x < y ? x : y;
    if (a == A_MAX) return x > y ? x : y;
    if (y == 0) {
        *ok = 0;
        return 0;
    }
    if (a == A_DIV) return x / y;
    if (a == A_MOD) return ((x % y) + y) % y;
    *ok = 0;
    return 0;
}

/* ---------- term hashing for recorded answers ---------- */

static uint64_t rec_hash;
static int rec_count;

static uint64_t term_hash(uint32_t t, uint64_t h)
{
    t = deref(t);
    switch (TAG(t)) {
    case T_ATM: return mix64(h, atom_hashv[VAL(t)]);
    case T_INT: return mix64(h, (uint64_t)(int64_t)int_val(t) + 0x1000);
    case T_STR: {
        uint32_t f = VAL(t);
        int fid = (int)VAL(H[f]);
        h = mix64(h, atom_hashv[fun_atom[fid]] + (uint64_t)fun_arity[fid]);
        for (int i = 1; i <= fun_arity[fid]; i++)
            h = term_hash(H[f + i], h);
        return h;
    }
    default: return mix64(h, 7);
    }
}

/* read a proper list of integers; returns length or -1 */
static int list_ints(uint32_t t, int32_t *out, int max)
{
    int n = 0;
    for (;;) {
        t = deref(t);
        if (TAG(t) == T_ATM && VAL(t) == (uint32_t)A_NIL)
            return n;
        if (TAG(t) != T_STR || H[VAL(t)] != mk(T_FUN, (uint32_t)F_DOT))
            return -1;
        uint32_t e = deref(H[VAL(t) + 1]);
        if (TAG(e) != T_INT || n == max)
            return -1;
        out[n++] = int_val(e);
        t = H[VAL(t) + 2];
    }
}

static int nrev_checked;
static int nrev_len;

/* ---------- the solver ---------- */

static inline int push_frame(uint32_t goal, uint32_t cutb, int next)
{
    if (fr_top == FRAME_SIZE) {
        errors++;
        return -1;
    }
    frames[fr_top].goal = goal;
    frames[fr_top].cutb = cutb;
    frames[fr_top].next = next;
    return fr_top++;
}

static inline void push_cp(int kind, uint32_t goal, int fid, int next_clause, int cont, uint32_t barrier)
{
    if (cp_top == CP_SIZE) {
        errors++;
        return;
    }
    cp_t *c = &cps[cp_top];
    c->kind = kind;
    c->goal = goal;
    c->fid = fid;
    c->next_clause = next_clause;
    c->cont = cont;
    c->barrier = barrier;
    c->heap = hp;
    c->trail = tr;
    c->frame = fr_top;
    set_cp_top(cp_top + 1);
}

static uint32_t cut_goal(uint32_t height)
{
    uint32_t at = heap_alloc(2);
    H[at] = mk(T_FUN, (uint32_t)F_CUTTO);
    H[at + 1] = mk_int((int32_t)height);
    return mk(T_STR, at);
}

static inline int next_match(const pred_t *p, int i, uint32_t key)
{
    while (i < p->n) {
        uint32_t k = clauses[p->cl[i]].key;
        if (!key || !k || k == key)
            return i;
        i++;
    }
    return i;
}

static uint32_t vars_buf[MAX_VARS];

/* try clauses of the goal's predicate starting at index start */
static int call_pred(uint32_t goal, int fid, int start, int cont, uint32_t barrier, int *newcont)
{
    const pred_t *p = &preds[fun_pred[fid]];
    uint32_t key = heap_key(goal);
    int i = next_match(p, start, key);
    if (i >= p->n)
        return 0;
    int j = next_match(p, i + 1, key);
    if (j < p->n)
        push_cp(CP_CLAUSE, goal, fid, j, cont, barrier);
    const clause_t *cl = &clauses[p->cl[i]];
    memset(vars_buf, 0, sizeof(uint32_t) * (size_t)cl->nvars);
    if (TAG(cl->head) == T_STR) {
        uint32_t f = VAL(cl->head), g = VAL(goal);
        int n = fun_arity[fid];
        for (int k = 1; k <= n; k++)
            if (!unify_head(code[f + k], H[g + k], vars_buf))
                return 0;
    }
    if (TAG(cl->body) == T_ATM && VAL(cl->body) == (uint32_t)A_TRUE) {
        *newcont = cont;
    } else {
        uint32_t body = copy_term(cl->body, vars_buf);
        *newcont = push_frame(body, barrier, cont);
    }
    return !errors;
}

static int backtrack(int *cont)
{
    while (cp_top > 0 && !errors) {
        cp_t c = cps[cp_top - 1];
        undo_trail(c.trail);
        hp = c.heap;
        fr_top = c.frame;
        set_cp_top(cp_top - 1);
        if (c.kind == CP_ALT) {
            *cont = push_frame(c.goal, c.barrier, c.cont);
            return 1;
        }
        if (call_pred(c.goal, c.fid, c.next_clause, c.cont, c.barrier, cont))
            return 1;
    }
    return 0;
}

static long long inferences;

static int solve(uint32_t query)
{
    set_cp_top(0);
    fr_top = 0;
    int cont = push_frame(query, 0, -1);
    for (;;) {
        if (errors)
            return 0;
        if (cont < 0)
            return 1;
        frame_t f = frames[cont];
        cont = f.next;
        uint32_t g = deref(f.goal);
        int fid;
        if (TAG(g) == T_ATM)
            fid = functor_id((int)VAL(g), 0);
        else if (TAG(g) == T_STR)
            fid = (int)VAL(H[VAL(g)]);
        else {
            errors++;
            return 0;
        }
        inferences++;
        uint32_t *args = TAG(g) == T_STR ? &H[VAL(g) + 1] : NULL;
        int ok = 1;
        switch (fun_builtin[fid]) {
        case B_TRUE:
            break;
        case B_FAIL:
            ok = 0;
            break;
        case B_CONJ:
            cont = push_frame(args[1], f.cutb, cont);
            cont = push_frame(args[0], f.cutb, cont);
            break;
        case B_DISJ: {
            uint32_t lhs = deref(args[0]);
            if (TAG(lhs) == T_STR && H[VAL(lhs)] == mk(T_FUN, (uint32_t)F_ITE)) {
                uint32_t h = cp_top;
                push_cp(CP_ALT, args[1], 0, 0, cont, f.cutb);
                cont = push_frame(H[VAL(lhs) + 2], f.cutb, cont);
                cont = push_frame(cut_goal(h), f.cutb, cont);
                cont = push_frame(H[VAL(lhs) + 1], h + 1, cont);
            } else {
                push_cp(CP_ALT, args[1], 0, 0, cont, f.cutb);
                cont = push_frame(args[0], f.cutb, cont);
            }
            break;
        }
        case B_ITE: { /* (C -> T) without an else branch */
            uint32_t h = cp_top;
            push_cp(CP_ALT, mk(T_ATM, (uint32_t)intern("fail")), 0, 0, cont, f.cutb);
            cont = push_frame(args[1], f.cutb, cont);
            cont = push_frame(cut_goal(h), f.cutb, cont);
            cont = push_frame(args[0], h + 1, cont);
            break;
        }
        case B_CUT:
            if (f.cutb < cp_top)
                set_cp_top(f.cutb);
            break;
        case B_CUTTO: {
            uint32_t n = (uint32_t)int_val(deref(args[0]));
            if (n < cp_top)
                set_cp_top(n);
            break;
        }
        case B_NOT: {
            uint32_t h = cp_top;
            push_cp(CP_ALT, mk(T_ATM, (uint32_t)A_TRUE), 0, 0, cont, f.cutb);
            int fail_fr = push_frame(mk(T_ATM, (uint32_t)intern("fail")), f.cutb, -1);
            int c2 = push_frame(cut_goal(h), f.cutb, fail_fr);
            cont = push_frame(args[0], h + 1, c2);
            break;
        }
        case B_UNIFY:
            ok = unify(args[0], args[1]);
            break;
        case B_NUNIFY: {
            uint32_t save_hb = hb, save_tr = tr;
            hb = hp; /* trail every binding so they can all be undone */
            int u = unify(args[0], args[1]);
            undo_trail(save_tr);
            hb = save_hb;
            ok = !u;
            break;
        }
        case B_IS: {
            int eok = 1;
            int64_t v = eval(args[1], &eok);
            if (!eok || v < INT_MIN29 || v > INT_MAX29) {
                errors++;
                ok = 0;
            } else {
                ok = unify(args[0], mk_int((int32_t)v));
            }
            break;
        }
        case B_EQ: case B_NE: case B_LT: case B_GT: case B_LE: case B_GE: {
            int eok = 1;
            int64_t x = eval(args[0], &eok), y = eval(args[1], &eok);
            if (!eok) {
                errors++;
                ok = 0;
                break;
            }
            switch (fun_builtin[fid]) {
            case B_EQ: ok = x == y; break;
            case B_NE: ok = x != y; break;
            case B_LT: ok = x < y; break;
            case B_GT: ok = x > y; break;
            case B_LE: ok = x <= y; break;
            default: ok = x >= y; break;
            }
            break;
        }
        case B_VAR:
            ok = TAG(deref(args[0])) == T_REF;
            break;
        case B_NONVAR:
            ok = TAG(deref(args[0])) != T_REF;
            break;
        case B_INTEGER:
            ok = TAG(deref(args[0])) == T_INT;
            break;
        case B_ATOM:
            ok = TAG(deref(args[0])) == T_ATM;
            break;
        case B_RECORD:
            rec_hash = term_hash(args[0], rec_hash);
            rec_count++;
            break;
        case B_CHECK_NREV: {
            int32_t buf[64];
            int n = list_ints(args[0], buf, 64);
            int good = n == nrev_len;
            for (int i = 0; good && i < n; i++)
                good = buf[i] == nrev_len - i;
            if (!good)
                failures++;
            nrev_checked++;
            break;
        }
        default:
            if (fun_pred[fid] < 0) {
                errors++; /* unknown procedure */
                return 0;
            }
            ok = call_pred(g, fid, 0, cont, cp_top, &cont);
            break;
        }
        if (!ok && !backtrack(&cont))
            return 0;
    }
}

/* run a query text; the query's variables are returned in qvars (heap cells) */
static uint32_t qvars[MAX_VARS];
static char qnames[MAX_VARS][32];
static int nqvars;

static int run_query(const char *text)
{
    uint32_t save_code = code_top;
    src = text;
    parse_error = 0;
    nvars = 0;
    next_token();
    uint32_t t = parse(1200);
    if (parse_error || tok.type != TK_END) {
        errors++;
        code_top = save_code;
        return 0;
    }
    hp = 1;
    tr = 0;
    memset(qvars, 0, sizeof qvars);
    uint32_t goal = copy_term(t, qvars);
    for (int i = 0; i < nvars; i++)
        if (!qvars[i]) {
            uint32_t at = heap_alloc(1);
            H[at] = mk(T_REF, at);
            qvars[i] = H[at];
        }
    nqvars = nvars;
    memcpy(qnames, var_names, sizeof qnames);
    code_top = save_code;
    return solve(goal);
}

static uint32_t qvar(const char *name)
{
    for (int i = 0; i < nqvars; i++)
        if (strcmp(qnames[i], name) == 0)
            return deref(qvars[i]);
    return 0;
}

/* ---------- setup ---------- */

static void reset_world(void)
{
    for (int i = 0; i < natoms; i++)
        free(atom_name[i]);
    natoms = 0;
    memset(atom_table, -1, sizeof atom_table);
    memset(infix_prec, 0, sizeof infix_prec);
    memset(prefix_prec, 0, sizeof prefix_prec);
    nfuns = 0;
    for (int i = 0; i < npreds; i++)
        free(preds[i].cl);
    memset(preds, 0, sizeof preds);
    npreds = 0;
    nclauses = 0;
    code_top = 0;
    parse_error = 0;

    A_NIL = intern("[]");
    A_DOT = intern(".");
    A_MINUS = intern("-");
    A_PLUS = intern("+");
    A_TIMES = intern("*");
    A_DIV = intern("//");
    A_MOD = intern("mod");
    A_MIN = intern("min");
    A_MAX = intern("max");
    A_TRUE = intern("true");
    A_CUTTO = intern("$cut");
    F_DOT = functor_id(A_DOT, 2);
    F_CUTTO = functor_id(A_CUTTO, 1);
    F_ITE = functor_id(intern("->"), 2);
    F_CONJ = functor_id(intern(","), 2);

    def_op(":-", 1200, XFX);
    def_op(";", 1100, XFY);
    def_op("->", 1050, XFY);
    def_op(",", 1000, XFY);
    def_op("\\+", 900, FY);
    static const char *const cmp_ops[] = { "=", "\\=", "is", "=:=", "=\\=", "<", ">", "=<", ">=" };
    for (int i = 0; i < 9; i++)
        def_op(cmp_ops[i], 700, XFX);
    def_op("+", 500, YFX);
    def_op("-", 500, YFX);
    def_op("*", 400, YFX);
    def_op("//", 400, YFX);
    def_op("mod", 400, YFX);
    def_op("-", 200, FY);

    static const struct { const char *name; int arity, code; } bi[] = {
        { "true", 0, B_TRUE }, { "fail", 0, B_FAIL }, { ",", 2, B_CONJ }, { ";", 2, B_DISJ },
        { "->", 2, B_ITE }, { "!", 0, B_CUT }, { "$cut", 1, B_CUTTO }, { "\\+", 1, B_NOT },
        { "=", 2, B_UNIFY }, { "\\=", 2, B_NUNIFY }, { "is", 2, B_IS }, { "=:=", 2, B_EQ },
        { "=\\=", 2, B_NE }, { "<", 2, B_LT }, { ">", 2, B_GT }, { "=<", 2, B_LE }, { ">=", 2, B_GE },
        { "var", 1, B_VAR }, { "nonvar", 1, B_NONVAR }, { "integer", 1, B_INTEGER },
        { "atom", 1, B_ATOM }, { "$record", 1, B_RECORD }, { "$check_nrev", 1, B_CHECK_NREV },
    };
    for (size_t i = 0; i < sizeof bi / sizeof bi[0]; i++)
        fun_builtin[functor_id(intern(bi[i].name), bi[i].arity)] = bi[i].code;
}

static const char *const program_text =
    "% list basics\n"
    "app([], L, L).\n"
    "app([H|T], L, [H|R]) :- app(T, L, R).\n"
    "nrev([], []).\n"
    "nrev([H|T], R) :- nrev(T, RT), app(RT, [H], R).\n"
    "range(N, N, [N]) :- !.\n"
    "range(I, N, [I|T]) :- I < N, I1 is I + 1, range(I1, N, T).\n"
    "between(L, H, L) :- L =< H.\n"
    "between(L, H, X) :- L < H, L1 is L + 1, between(L1, H, X).\n"
    "len([], 0).\n"
    "len([_|T], N) :- len(T, M), N is M + 1.\n"
    "bench_nrev(K, N) :- range(1, N, L), between(1, K, _), nrev(L, R), '$check_nrev'(R), fail.\n"
    "bench_nrev(_, _).\n"
    "\n"
    "% N-queens by selection with an attack check\n"
    "sel(X, [X|T], T).\n"
    "sel(X, [H|T], [H|R]) :- sel(X, T, R).\n"
    "queens(N, Qs) :- range(1, N, Ns), q(Ns, [], Qs).\n"
    "q([], Qs, Qs).\n"
    "q(Unplaced, Safe, Qs) :- sel(Q, Unplaced, R), noattack(Q, Safe, 1), q(R, [Q|Safe], Qs).\n"
    "noattack(_, [], _).\n"
    "noattack(Q, [Q1|Qs], D) :- Q =\\= Q1 + D, Q =\\= Q1 - D, D1 is D + 1, noattack(Q, Qs, D1).\n"
    "all_queens(N) :- queens(N, Qs), '$record'(Qs), fail.\n"
    "all_queens(_).\n"
    "\n"
    "fib(0, 0).\n"
    "fib(1, 1).\n"
    "fib(N, F) :- N > 1, A is N - 1, B is N - 2, fib(A, FA), fib(B, FB), F is FA + FB.\n"
    "\n"
    "% primes by trial division, with if-then-else and negation\n"
    "prime(2).\n"
    "prime(N) :- N > 2, N mod 2 =\\= 0, \\+ has_factor(N, 3).\n"
    "has_factor(N, F) :- F * F =< N, ( N mod F =:= 0 -> true ; F2 is F + 2, has_factor(N, F2) ).\n"
    "count_primes(Lo, Hi) :- between(Lo, Hi, N), prime(N), '$record'(N), fail.\n"
    "count_primes(_, _).\n"
    "\n"
    "% the zebra puzzle\n"
    "right_of(X, Y, [Y,X|_]).\n"
    "right_of(X, Y, [_|T]) :- right_of(X, Y, T).\n"
    "next_to(X, Y, L) :- right_of(X, Y, L).\n"
    "next_to(X, Y, L) :- right_of(Y, X, L).\n"
    "mem(X, [X|_]).\n"
    "mem(X, [_|T]) :- mem(X, T).\n"
    "zebra(Z, W) :-\n"
    "    Hs = [h(_,norwegian,_,_,_), _, h(_,_,_,milk,_), _, _],\n"
    "    mem(h(red,english,_,_,_), Hs),\n"
    "    mem(h(_,spanish,dog,_,_), Hs),\n"
    "    mem(h(green,_,_,coffee,_), Hs),\n"
    "    mem(h(_,ukrainian,_,tea,_), Hs),\n"
    "    right_of(h(green,_,_,_,_), h(ivory,_,_,_,_), Hs),\n"
    "    mem(h(_,_,snails,_,oldgold), Hs),\n"
    "    mem(h(yellow,_,_,_,kools), Hs),\n"
    "    next_to(h(_,_,_,_,chesterfield), h(_,_,fox,_,_), Hs),\n"
    "    next_to(h(_,_,_,_,kools), h(_,_,horse,_,_), Hs),\n"
    "    mem(h(_,_,_,orangejuice,luckystrike), Hs),\n"
    "    mem(h(_,japanese,_,_,parliament), Hs),\n"
    "    next_to(h(_,norwegian,_,_,_), h(blue,_,_,_,_), Hs),\n"
    "    mem(h(_,Z,zebra,_,_), Hs),\n"
    "    mem(h(_,W,_,water,_), Hs).\n"
    "all_zebra :- zebra(Z, W), '$record'(Z - W), fail.\n"
    "all_zebra.\n"
    "\n"
    "% quicksort of a pseudo-random list\n"
    "lcg_list(0, _, []) :- !.\n"
    "lcg_list(N, S, [X|T]) :- S1 is (S * 1103 + 12345) mod 65536, X is S1 mod 1000,\n"
    "    N1 is N - 1, lcg_list(N1, S1, T).\n"
    "partition([], _, [], []).\n"
    "partition([X|L], P, [X|A], B) :- X =< P, !, partition(L, P, A, B).\n"
    "partition([X|L], P, A, [X|B]) :- partition(L, P, A, B).\n"
    "qsort([], []).\n"
    "qsort([P|L], S) :- partition(L, P, A, B), qsort(A, SA), qsort(B, SB), app(SA, [P|SB], S).\n"
    "\n"
    "% towers of Hanoi with an accumulator\n"
    "hanoi(0, _, _, _, M, M) :- !.\n"
    "hanoi(N, A, B, C, M0, M) :- N1 is N - 1, hanoi(N1, A, C, B, M0, M1), M2 is M1 + 1,\n"
    "    hanoi(N1, C, B, A, M2, M).\n"
    "\n"
    "% max of a list with disjunction\n"
    "maxl([X], X).\n"
    "maxl([X|T], M) :- T \\= [], maxl(T, M1), ( X > M1, M = X ; X =< M1, M = M1 ).\n";

/* ---------- C reference computations ---------- */

static int c_queens(int n, int row, uint32_t cols, uint32_t d1, uint32_t d2)
{
    if (row == n)
        return 1;
    int count = 0;
    for (int c = 0; c < n; c++) {
        if ((cols >> c) & 1 || (d1 >> (row + c)) & 1 || (d2 >> (row - c + n)) & 1)
            continue;
        count += c_queens(n, row + 1, cols | 1u << c, d1 | 1u << (row + c), d2 | 1u << (row - c + n));
    }
    return count;
}

static int c_prime_count(int lo, int hi)
{
    int n = 0;
    for (int k = lo; k <= hi; k++) {
        int p = k >= 2;
        for (int d = 2; d * d <= k && p; d++)
            p = k % d != 0;
        n += p;
    }
    return n;
}

static int cmp_int(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 40);
    char qbuf[256];
    int32_t lst[2048], ref[2048];
    memset(atom_table, -1, sizeof atom_table);

    double t0 = bench_now();
    uint64_t h = 0x1F83D9ABFB41BD6BULL;
    for (int round = 0; round < scale; round++) {
        reset_world();
        int ncl = consult(program_text);
        h = mix64(h, (uint64_t)ncl);
        if (ncl != 49 || errors)
            failures++;

        /* naive reverse */
        nrev_len = 30;
        nrev_checked = 0;
        snprintf(qbuf, sizeof qbuf, "bench_nrev(%d, %d).", 150, nrev_len);
        if (!run_query(qbuf) || nrev_checked != 150)
            failures++;

        /* all solutions of N-queens for a few N */
        for (int n = 5; n <= 8; n++) {
            rec_count = 0;
            snprintf(qbuf, sizeof qbuf, "all_queens(%d).", n);
            if (!run_query(qbuf) || rec_count != c_queens(n, 0, 0, 0, 0))
                failures++;
            h = mix64(h, (uint64_t)rec_count);
        }

        /* Fibonacci by doubly recursive calls */
        {
            int n = 15 + round % 3;
            snprintf(qbuf, sizeof qbuf, "fib(%d, F).", n);
            int ok = run_query(qbuf);
            uint32_t f = qvar("F");
            int32_t a = 0, b = 1;
            for (int i = 0; i < n; i++) {
                int32_t t = a + b;
                a = b;
                b = t;
            }
            if (!ok || TAG(f) != T_INT || int_val(f) != a)
                failures++;
            h = mix64(h, (uint64_t)a);
        }

        /* primes */
        {
            int lo = 2 + round * 37, hi = lo + 1200;
            rec_count = 0;
            snprintf(qbuf, sizeof qbuf, "count_primes(%d, %d).", lo, hi);
            if (!run_query(qbuf) || rec_count != c_prime_count(lo, hi))
                failures++;
            h = mix64(h, (uint64_t)rec_count);
        }

        /* zebra: one solution, the japanese own the zebra and the norwegian drinks water */
        {
            if (!run_query("zebra(Z, W).")) {
                failures++;
            } else {
                uint32_t z = qvar("Z"), w = qvar("W");
                if (TAG(z) != T_ATM || strcmp(atom_name[VAL(z)], "japanese") != 0 ||
                    TAG(w) != T_ATM || strcmp(atom_name[VAL(w)], "norwegian") != 0)
                    failures++;
            }
            rec_count = 0;
            if (!run_query("all_zebra.") || rec_count != 1)
                failures++;
        }

        /* quicksort */
        {
            int n = 400 + round % 50;
            int seed = 17 + round;
            snprintf(qbuf, sizeof qbuf, "lcg_list(%d, %d, L), qsort(L, S), len(S, N).", n, seed);
            int ok = run_query(qbuf);
            int got = ok ? list_ints(qvar("S"), lst, 2048) : -1;
            int32_t s = seed;
            for (int i = 0; i < n; i++) {
                s = (s * 1103 + 12345) % 65536;
                ref[i] = s % 1000;
            }
            qsort(ref, (size_t)n, sizeof ref[0], cmp_int);
            if (got != n || memcmp(lst, ref, sizeof(int32_t) * (size_t)n) != 0 || int_val(qvar("N")) != n)
                failures++;
            for (int i = 0; i < got; i += 16)
                h = mix64(h, (uint64_t)lst[i]);
        }

        /* Hanoi and list max */
        {
            int n = 12 + round % 3;
            snprintf(qbuf, sizeof qbuf, "hanoi(%d, a, b, c, 0, M).", n);
            int ok = run_query(qbuf);
            uint32_t m = qvar("M");
            if (!ok || TAG(m) != T_INT || int_val(m) != (1 << n) - 1)
                failures++;
            snprintf(qbuf, sizeof qbuf, "lcg_list(%d, %d, L), maxl(L, M).", 300, 5 + round);
            ok = run_query(qbuf);
            int cnt = list_ints(qvar("L"), lst, 2048);
            int32_t mx = -1;
            for (int i = 0; i < cnt; i++)
                mx = lst[i] > mx ? lst[i] : mx;
            if (!ok || cnt != 300 || int_val(qvar("M")) != mx)
                failures++;
            h = mix64(h, (uint64_t)mx);
        }

        if (errors) {
            failures++;
            errors = 0;
        }
    }
    bench_report(t0);
    h = mix64(h, rec_hash);
    h = mix64(h, (uint64_t)inferences);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
