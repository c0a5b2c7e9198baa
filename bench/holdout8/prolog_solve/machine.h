/* prolog_solve/machine.h — the heap, binding and unification, arithmetic, term hashing for recorded answers.
 * Part of prolog_solve.c, one translation unit: it includes the parts in order. */

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
