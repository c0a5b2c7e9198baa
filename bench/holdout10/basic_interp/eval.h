/* basic_interp/eval.h — interpreter state, values and the recursive-descent expression evaluator.
 * Numbers are 32-bit integers with wrapping arithmetic; true is -1; strings live in a per-
 * statement arena while temporary and in malloc'ed copies once assigned to a variable. */

#define ARENA (1 << 16)
#define MAXSTR 255

typedef struct {
    int32_t *data;
    int d1, d2; /* highest indices; d2 < 0 for one dimension */
} Array;

typedef struct { int var, pos; int32_t limit, step; } ForFrame;

typedef struct {
    const Program *prog;
    int32_t num[NVARS];
    char *str[NVARS];
    Array arr[NVARS];
    ForFrame fors[16];
    int nfor;
    int rets[64];
    int nret;
    char *out;
    int outlen, outcap;
    char arena[ARENA];
    int arena_used;
    int pos;            /* current token index */
    int err, err_line, jumped;
    long steps, max_steps;
} Interp;

typedef struct {
    int is_str;
    int32_t n;
    const char *s;
} Value;

static inline const Token *cur(const Interp *I) { return &I->prog->toks[I->pos]; }

static void fail(Interp *I, int code)
{
    if (!I->err) I->err = code;
}

static int expect_tok(Interp *I, int kind)
{
    if (cur(I)->kind != kind) {
        fail(I, E_SYNTAX);
        return 0;
    }
    I->pos++;
    return 1;
}

static char *arena_alloc(Interp *I, size_t n)
{
    if (I->arena_used + (int)n > ARENA) {
        fail(I, E_MEMORY);
        return NULL;
    }
    char *p = I->arena + I->arena_used;
    I->arena_used += (int)n;
    return p;
}

static const char *make_str(Interp *I, const char *s, size_t n)
{
    if (n > MAXSTR) n = MAXSTR;
    char *p = arena_alloc(I, n + 1);
    if (!p) return "";
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static Value num_value(int32_t n) { Value v = { 0, n, NULL }; return v; }
static Value str_value(const char *s) { Value v = { 1, 0, s }; return v; }

static int32_t wrap(uint32_t u) { return (int32_t)u; }

static Value expr(Interp *I);

static int32_t num_expr(Interp *I)
{
    Value v = expr(I);
    if (v.is_str) fail(I, E_TYPE);
    return v.n;
}

static const char *str_expr(Interp *I)
{
    Value v = expr(I);
    if (!v.is_str) {
        fail(I, E_TYPE);
        return "";
    }
    return v.s;
}

/* Resolves an array element A(i) or A(i, j); the name token has been consumed. */
static int32_t *element(Interp *I, int var)
{
    Array *a = &I->arr[var];
    if (!expect_tok(I, T_LPAR)) return NULL;
    int32_t i = num_expr(I), j = 0;
    int two = cur(I)->kind == T_COMMA;
    if (two) {
        I->pos++;
        j = num_expr(I);
    }
    if (!expect_tok(I, T_RPAR) || I->err) return NULL;
    if (!a->data || two != (a->d2 >= 0) || i < 0 || i > a->d1 || (two && (j < 0 || j > a->d2))) {
        fail(I, E_BOUNDS);
        return NULL;
    }
    return &a->data[two ? (size_t)i * (size_t)(a->d2 + 1) + (size_t)j : (size_t)i];
}

static Value function_call(Interp *I, int f)
{
    if (!expect_tok(I, T_LPAR)) return num_value(0);
    Value r = num_value(0);
    switch (f) {
    case T_LEN: r = num_value((int32_t)strlen(str_expr(I))); break;
    case T_ASC: { const char *s = str_expr(I); r = num_value((unsigned char)s[0]); break; }
    case T_VAL: r = num_value((int32_t)strtol(str_expr(I), NULL, 10)); break;
    case T_ABS: { int32_t n = num_expr(I); r = num_value(n < 0 ? wrap(0u - (uint32_t)n) : n); break; }
    case T_CHR: { char c = (char)num_expr(I); r = str_value(make_str(I, &c, 1)); break; }
    case T_STRF: {
        char buf[16];
        int n = snprintf(buf, sizeof buf, "%d", (int)num_expr(I));
        r = str_value(make_str(I, buf, (size_t)n));
        break;
    }
    case T_LEFT: case T_RIGHT: case T_MID: {
        const char *s = str_expr(I);
        size_t len = strlen(s);
        expect_tok(I, T_COMMA);
        int32_t a = num_expr(I), b = -1;
        if (f == T_MID && cur(I)->kind == T_COMMA) {
            I->pos++;
            b = num_expr(I);
        }
        size_t start, count;
        if (a < 0) a = 0;
        if (f == T_LEFT) { start = 0; count = (size_t)a < len ? (size_t)a : len; }
        else if (f == T_RIGHT) { count = (size_t)a < len ? (size_t)a : len; start = len - count; }
        else {
            start = a >= 1 ? (size_t)a - 1 : 0;
            if (start > len) start = len;
            count = b < 0 ? len - start : ((size_t)b < len - start ? (size_t)b : len - start);
        }
        r = str_value(make_str(I, s + start, count));
        break;
    }
    case T_INSTR: { /* INSTR(haystack, needle): 1-based position or 0 */
        const char *hay = str_expr(I);
        expect_tok(I, T_COMMA);
        const char *needle = str_expr(I);
        const char *hit = strstr(hay, needle);
        r = num_value(hit ? (int32_t)(hit - hay) + 1 : 0);
        break;
    }
    default: fail(I, E_SYNTAX);
    }
    expect_tok(I, T_RPAR);
    return r;
}

static Value primary(Interp *I)
{
    const Token *t = cur(I);
    switch (t->kind) {
    case T_NUM: I->pos++; return num_value(t->val);
    case T_STR: I->pos++; return str_value(I->prog->pool + t->val);
    case T_SVAR: I->pos++; return str_value(I->str[t->val] ? I->str[t->val] : "");
    case T_VAR:
        I->pos++;
        if (cur(I)->kind == T_LPAR) {
            int32_t *e = element(I, t->val);
            return num_value(e ? *e : 0);
        }
        return num_value(I->num[t->val]);
    case T_LPAR: {
        I->pos++;
        Value v = expr(I);
        expect_tok(I, T_RPAR);
        return v;
    }
    case T_MINUS: {
        I->pos++;
        Value v = primary(I);
        if (v.is_str) fail(I, E_TYPE);
        return num_value(wrap(0u - (uint32_t)v.n));
    }
    case T_NOT: {
        I->pos++;
        Value v = primary(I);
        if (v.is_str) fail(I, E_TYPE);
        return num_value(~v.n);
    }
    default:
        if (t->kind >= T_LEN && t->kind < T_COUNT) {
            I->pos++;
            return function_call(I, t->kind);
        }
        fail(I, E_SYNTAX);
        return num_value(0);
    }
}

static Value term(Interp *I)
{
    Value a = primary(I);
    for (;;) {
        int op = cur(I)->kind;
        if (op != T_MUL && op != T_DIV && op != T_MOD) return a;
        I->pos++;
        Value b = primary(I);
        if (a.is_str || b.is_str) { fail(I, E_TYPE); return a; }
        if (op == T_MUL) a.n = wrap((uint32_t)a.n * (uint32_t)b.n);
        else if (b.n == 0) { fail(I, E_DIV0); return a; }
        else if (b.n == -1) a.n = op == T_DIV ? wrap(0u - (uint32_t)a.n) : 0;
        else a.n = op == T_DIV ? a.n / b.n : a.n % b.n;
    }
}

static Value sum(Interp *I)
{
    Value a = term(I);
    for (;;) {
        int op = cur(I)->kind;
        if (op != T_PLUS && op != T_MINUS) return a;
        I->pos++;
        Value b = term(I);
        if (a.is_str && b.is_str && op == T_PLUS) { /* concatenation */
            size_t la = strlen(a.s), lb = strlen(b.s);
            char buf[2 * MAXSTR + 2];
            memcpy(buf, a.s, la);
            memcpy(buf + la, b.s, lb);
            a.s = make_str(I, buf, la + lb);
        } else if (a.is_str || b.is_str) {
            fail(I, E_TYPE);
            return a;
        } else {
            a.n = op == T_PLUS ? wrap((uint32_t)a.n + (uint32_t)b.n) : wrap((uint32_t)a.n - (uint32_t)b.n);
        }
    }
}

static Value comparison(Interp *I)
{
    Value a = sum(I);
    int op = cur(I)->kind;
    if (op < T_EQ || op > T_GE) return a;
    I->pos++;
    Value b = sum(I);
    if (a.is_str != b.is_str) { fail(I, E_TYPE); return num_value(0); }
    int c = a.is_str ? strcmp(a.s, b.s) : (a.n > b.n) - (a.n < b.n);
    int r = op == T_EQ ? c == 0 : op == T_NE ? c != 0 : op == T_LT ? c < 0 : op == T_GT ? c > 0
        : op == T_LE ? c <= 0 : c >= 0;
    return num_value(r ? -1 : 0);
}

static Value conjunction(Interp *I)
{
    Value a = comparison(I);
    while (cur(I)->kind == T_AND) {
        I->pos++;
        Value b = comparison(I);
        if (a.is_str || b.is_str) { fail(I, E_TYPE); return a; }
        a.n &= b.n;
    }
    return a;
}

static Value expr(Interp *I)
{
    Value a = conjunction(I);
    while (cur(I)->kind == T_OR) {
        I->pos++;
        Value b = conjunction(I);
        if (a.is_str || b.is_str) { fail(I, E_TYPE); return a; }
        a.n |= b.n;
    }
    return a;
}
