/* basic_interp/exec.h — statements and the run loop. Tokens of consecutive lines are stored
 * contiguously, so control flow is a token index: after a line's T_EOL comes the next line. */

static int find_line(const Program *p, int number)
{
    int lo = 0, hi = p->nlines - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (p->lines[mid].number == number) return p->lines[mid].first;
        if (p->lines[mid].number < number) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

static int line_of(const Program *p, int pos)
{
    int lo = 0, hi = p->nlines - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (p->lines[mid].first <= pos) lo = mid; else hi = mid - 1;
    }
    return p->lines[lo].number;
}

static void output(Interp *I, const char *s, size_t n)
{
    if (I->outlen + (int)n + 1 > I->outcap) {
        int cap = I->outcap ? I->outcap : 256;
        while (cap < I->outlen + (int)n + 1) cap *= 2;
        char *p = realloc(I->out, (size_t)cap);
        if (!p) { fail(I, E_MEMORY); return; }
        I->out = p;
        I->outcap = cap;
    }
    memcpy(I->out + I->outlen, s, n);
    I->outlen += (int)n;
    I->out[I->outlen] = 0;
}

static void jump(Interp *I, int number)
{
    int pos = find_line(I->prog, number);
    if (pos < 0) fail(I, E_LINE);
    else { I->pos = pos; I->jumped = 1; }
}

static void skip_to_eol(Interp *I)
{
    while (cur(I)->kind != T_EOL) I->pos++;
}

static void st_print(Interp *I)
{
    int newline = 1;
    while (cur(I)->kind != T_EOL && cur(I)->kind != T_COLON && !I->err) {
        int k = cur(I)->kind;
        if (k == T_SEMI || k == T_COMMA) {
            I->pos++;
            if (k == T_COMMA) output(I, " ", 1);
            newline = 0;
            continue;
        }
        Value v = expr(I);
        if (v.is_str) output(I, v.s, strlen(v.s));
        else {
            char buf[16];
            int n = snprintf(buf, sizeof buf, "%d", (int)v.n);
            output(I, buf, (size_t)n);
        }
        newline = 1;
    }
    if (newline) output(I, "\n", 1);
}

static void st_let(Interp *I)
{
    const Token *t = cur(I);
    if (t->kind == T_SVAR) {
        I->pos++;
        if (!expect_tok(I, T_EQ)) return;
        const char *s = str_expr(I);
        if (I->err) return;
        size_t n = strlen(s);
        char *copy = realloc(I->str[t->val], n + 1);
        if (!copy) { fail(I, E_MEMORY); return; }
        memcpy(copy, s, n + 1);
        I->str[t->val] = copy;
    } else if (t->kind == T_VAR) {
        I->pos++;
        int32_t *target = &I->num[t->val];
        if (cur(I)->kind == T_LPAR) target = element(I, t->val);
        if (!target || !expect_tok(I, T_EQ)) return;
        int32_t v = num_expr(I);
        if (!I->err) *target = v;
    } else {
        fail(I, E_SYNTAX);
    }
}

static void st_dim(Interp *I)
{
    for (;;) {
        const Token *t = cur(I);
        if (t->kind != T_VAR) { fail(I, E_SYNTAX); return; }
        I->pos++;
        if (!expect_tok(I, T_LPAR)) return;
        int32_t d1 = num_expr(I), d2 = -1;
        if (cur(I)->kind == T_COMMA) {
            I->pos++;
            d2 = num_expr(I);
        }
        if (!expect_tok(I, T_RPAR)) return;
        if (d1 < 0 || d1 > 100000 || d2 > 1000 || (long)(d1 + 1) * (d2 + 1 > 0 ? d2 + 1 : 1) > 1000000) {
            fail(I, E_MEMORY);
            return;
        }
        Array *a = &I->arr[t->val];
        free(a->data);
        a->d1 = d1;
        a->d2 = d2;
        a->data = calloc((size_t)(d1 + 1) * (size_t)(d2 >= 0 ? d2 + 1 : 1), sizeof(int32_t));
        if (cur(I)->kind != T_COMMA) return;
        I->pos++;
    }
}

/* Skips a FOR whose body runs zero times: past the matching NEXT [var]. */
static void skip_loop(Interp *I)
{
    int depth = 0;
    const Program *p = I->prog;
    for (int i = I->pos; i < p->ntoks; i++) {
        int k = p->toks[i].kind;
        if (k == T_FOR) depth++;
        else if (k == T_NEXT && depth-- == 0) {
            I->pos = i + 1;
            if (cur(I)->kind == T_VAR) I->pos++;
            return;
        }
    }
    fail(I, E_NEXT);
}

static void st_for(Interp *I)
{
    const Token *t = cur(I);
    if (t->kind != T_VAR) { fail(I, E_SYNTAX); return; }
    I->pos++;
    if (!expect_tok(I, T_EQ)) return;
    int32_t start = num_expr(I);
    if (!expect_tok(I, T_TO)) return;
    int32_t limit = num_expr(I), step = 1;
    if (cur(I)->kind == T_STEP) {
        I->pos++;
        step = num_expr(I);
    }
    if (I->err) return;
    I->num[t->val] = start;
    for (int i = I->nfor - 1; i >= 0; i--) /* re-entering a loop drops it and the loops inside */
        if (I->fors[i].var == t->val) { I->nfor = i; break; }
    if (step >= 0 ? start > limit : start < limit) {
        skip_loop(I);
        return;
    }
    if (I->nfor == (int)(sizeof I->fors / sizeof I->fors[0])) { fail(I, E_MEMORY); return; }
    ForFrame *f = &I->fors[I->nfor++];
    f->var = t->val;
    f->limit = limit;
    f->step = step;
    f->pos = I->pos;
}

static void st_next(Interp *I)
{
    int var = -1, i;
    if (cur(I)->kind == T_VAR) var = cur(I)->val, I->pos++;
    for (i = I->nfor - 1; i >= 0 && var >= 0 && I->fors[i].var != var; i--)
        ;
    if (i < 0) { fail(I, E_NEXT); return; }
    I->nfor = i + 1;
    ForFrame *f = &I->fors[i];
    int32_t v = wrap((uint32_t)I->num[f->var] + (uint32_t)f->step);
    I->num[f->var] = v;
    if (f->step >= 0 ? v <= f->limit : v >= f->limit) I->pos = f->pos;
    else I->nfor = i;
}

static void statement(Interp *I);

static void st_if(Interp *I)
{
    int32_t c = num_expr(I);
    if (!expect_tok(I, T_THEN) || I->err) return;
    if (!c) { skip_to_eol(I); return; }
    if (cur(I)->kind == T_NUM) {
        int32_t target = cur(I)->val;
        jump(I, target);
        return;
    }
    statement(I);
}

static void statement(Interp *I)
{
    const Token *t = cur(I);
    I->arena_used = 0;
    if (++I->steps > I->max_steps) { fail(I, E_STEPS); return; }
    if (t->kind == T_VAR || t->kind == T_SVAR) { st_let(I); return; }
    I->pos++;
    switch (t->kind) {
    case T_LET: st_let(I); break;
    case T_PRINT: st_print(I); break;
    case T_IF: st_if(I); break;
    case T_GOTO:
        if (cur(I)->kind != T_NUM) fail(I, E_SYNTAX);
        else jump(I, cur(I)->val);
        break;
    case T_GOSUB:
        if (cur(I)->kind != T_NUM) { fail(I, E_SYNTAX); break; }
        if (I->nret == (int)(sizeof I->rets / sizeof I->rets[0])) { fail(I, E_MEMORY); break; }
        I->rets[I->nret++] = I->pos + 1;
        jump(I, cur(I)->val);
        break;
    case T_RETURN:
        if (I->nret == 0) fail(I, E_RETURN);
        else I->pos = I->rets[--I->nret];
        break;
    case T_FOR: st_for(I); break;
    case T_NEXT: st_next(I); break;
    case T_DIM: st_dim(I); break;
    case T_REM: skip_to_eol(I); break;
    case T_END: I->pos = I->prog->ntoks; break;
    case T_COLON: case T_EOL: I->pos--; break; /* empty statement */
    default: fail(I, E_SYNTAX);
    }
}

/* Runs a tokenized program; returns the error code (E_OK when it ends normally). */
static int run(Interp *I, const Program *p, long max_steps)
{
    memset(I->num, 0, sizeof I->num);
    I->prog = p;
    I->nfor = I->nret = 0;
    I->outlen = 0;
    if (I->out) I->out[0] = 0;
    I->err = E_OK;
    I->err_line = 0;
    I->steps = 0;
    I->max_steps = max_steps;
    I->pos = 0;
    while (I->pos < p->ntoks && !I->err) {
        int at = I->pos;
        I->jumped = 0;
        statement(I);
        if (I->err) { I->err_line = line_of(p, at); break; }
        if (I->pos >= p->ntoks || I->jumped) continue;
        int k = cur(I)->kind;
        if (k == T_COLON || k == T_EOL) I->pos++;
        else { fail(I, E_SYNTAX); I->err_line = line_of(p, at); }
    }
    for (int v = 0; v < NVARS; v++) {
        free(I->str[v]);
        I->str[v] = NULL;
        free(I->arr[v].data);
        I->arr[v].data = NULL;
    }
    return I->err;
}
