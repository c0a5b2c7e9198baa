/* prolog_solve/reader.h — the tokenizer, operators, and the parser into the code area.
 * Part of prolog_solve.c, one translation unit: it includes the parts in order. */

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
