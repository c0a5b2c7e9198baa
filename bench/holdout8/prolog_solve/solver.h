/* prolog_solve/solver.h — the solver.
 * Part of prolog_solve.c, one translation unit: it includes the parts in order. */

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
