/* scheme_interp — a small Scheme interpreter: reader, tagged 31-bit fixnums and cell indices,
 * environment frames as association lists, tail-calling eval, and a non-moving mark-sweep GC over a fixed cell heap.
 *
 * The Scheme prelude (list utilities, quicksort, functional tree insert, closures with set!,
 * tak, fib, count-change) is read and defined before the timer; each round evaluates (run r). */
#include "../programs/bench.h"

typedef uint32_t val;

enum { T_FREE, T_PAIR, T_SYMBOL, T_CLOSURE, T_PRIM, T_FRAME };

#define NCELLS (1u << 17)
#define NIL ((val)0)
#define TRUE_V ((val)2)
#define FALSE_V ((val)4)
#define UNSPEC ((val)6)
#define FIRST_CELL 4u

typedef struct {
    uint8_t type, mark;
    val a, b;
} cell;

static cell heap[NCELLS];
static uint32_t free_list;
static uint32_t free_count;
static int gc_enabled;
static uint64_t gc_runs;

static val *roots[65536];
static int nroots;
#define PROTECT(v) do { if (nroots >= 65536) fatal("root stack overflow"); roots[nroots++] = &(v); } while (0)

static char symnames[512][24];
static int nsyms;
static val symlist = NIL; /* list of all symbols, a GC root */
static val global_env = NIL;

static void fatal(const char *msg)
{
    printf("scheme_interp: %s\n", msg);
    exit(1);
}

static inline int isfix(val v) { return v & 1; }
static inline val mkfix(uint32_t n) { return (n << 1) | 1u; }
static inline int32_t fixval(val v) { return (int32_t)v >> 1; }
static inline uint32_t cidx(val v) { return v >> 1; }
static inline int isref(val v) { return !isfix(v) && cidx(v) >= FIRST_CELL; }
static inline int typeof_v(val v) { return isref(v) ? heap[cidx(v)].type : -1; }
static inline val car(val v) { if (typeof_v(v) != T_PAIR) fatal("car of non-pair"); return heap[cidx(v)].a; }
static inline val cdr(val v) { if (typeof_v(v) != T_PAIR) fatal("cdr of non-pair"); return heap[cidx(v)].b; }
static inline val cadr(val v) { return car(cdr(v)); }
static inline val cddr(val v) { return cdr(cdr(v)); }
static inline val caddr(val v) { return car(cddr(v)); }

static void mark_from(val v)
{
    static uint32_t stack[NCELLS];
    int sp = 0;
    if (!isref(v)) return;
    stack[sp++] = cidx(v);
    while (sp > 0) {
        uint32_t i = stack[--sp];
        while (!heap[i].mark) {
            heap[i].mark = 1;
            cell *c = &heap[i];
            int t = c->type;
            if (t == T_SYMBOL || t == T_PRIM) break;
            if (isref(c->a) && !heap[cidx(c->a)].mark) stack[sp++] = cidx(c->a);
            if (!isref(c->b)) break;
            i = cidx(c->b);
        }
    }
}

static void collect(void)
{
    gc_runs++;
    mark_from(symlist);
    mark_from(global_env);
    for (int i = 0; i < nroots; i++) mark_from(*roots[i]);
    free_list = 0;
    free_count = 0;
    for (uint32_t i = NCELLS - 1; i >= FIRST_CELL; i--) {
        if (heap[i].mark) {
            heap[i].mark = 0;
        } else {
            heap[i].type = T_FREE;
            heap[i].a = NIL;
            heap[i].b = free_list;
            free_list = i;
            free_count++;
        }
    }
    if (free_count < NCELLS / 8) fatal("heap exhausted");
}

static val alloc(int type, val a, val b)
{
    if (free_list == 0) {
        if (!gc_enabled) fatal("heap exhausted while reading");
        int base = nroots;
        PROTECT(a); PROTECT(b);
        collect();
        nroots = base;
    }
    uint32_t i = free_list;
    free_list = heap[i].b;
    free_count--;
    heap[i].type = (uint8_t)type;
    heap[i].a = a;
    heap[i].b = b;
    return i << 1;
}

static val cons(val a, val b) { return alloc(T_PAIR, a, b); }

static val intern(const char *s, size_t len)
{
    for (val l = symlist; l != NIL; l = cdr(l)) {
        val sym = car(l);
        const char *nm = symnames[heap[cidx(sym)].a];
        if (strlen(nm) == len && memcmp(nm, s, len) == 0) return sym;
    }
    if (nsyms >= 512 || len >= 24) fatal("symbol table full");
    memcpy(symnames[nsyms], s, len);
    symnames[nsyms][len] = 0;
    val sym = alloc(T_SYMBOL, (val)nsyms, NIL);
    nsyms++;
    symlist = cons(sym, symlist);
    return sym;
}

/* ---- reader (runs with the GC disabled) ---- */
static const char *rp;

static void skip_ws(void)
{
    for (;;) {
        while (*rp == ' ' || *rp == '\n' || *rp == '\t') rp++;
        if (*rp == ';') { while (*rp && *rp != '\n') rp++; continue; }
        return;
    }
}

static val read_expr(void);

static val read_list(void)
{
    skip_ws();
    if (*rp == ')') { rp++; return NIL; }
    val head = read_expr();
    return cons(head, read_list());
}

static val s_quote, s_if, s_define, s_lambda, s_let, s_begin, s_set, s_cond, s_else, s_and, s_or, s_run;

static val read_expr(void)
{
    skip_ws();
    char c = *rp;
    if (c == '(') { rp++; return read_list(); }
    if (c == '\'') { rp++; val q = read_expr(); return cons(s_quote, cons(q, NIL)); }
    if (c == '#') { rp += 2; return rp[-1] == 't' ? TRUE_V : FALSE_V; }
    const char *s = rp;
    while (*rp && *rp != ' ' && *rp != '\n' && *rp != '\t' && *rp != '(' && *rp != ')') rp++;
    size_t len = (size_t)(rp - s);
    int neg = s[0] == '-' && len > 1;
    size_t k = neg ? 1 : 0;
    int numeric = len > k;
    for (size_t j = k; j < len; j++) if (s[j] < '0' || s[j] > '9') numeric = 0;
    if (numeric) {
        uint32_t n = 0;
        for (size_t j = k; j < len; j++) n = n * 10u + (uint32_t)(s[j] - '0');
        return mkfix(neg ? 0u - n : n);
    }
    return intern(s, len);
}

/* ---- environments ---- */
static val lookup(val sym, val env)
{
    for (val e = env; e != NIL; e = heap[cidx(e)].b)
        for (val l = heap[cidx(e)].a; l != NIL; l = heap[cidx(l)].b) {
            val p = heap[cidx(l)].a;
            if (heap[cidx(p)].a == sym) return heap[cidx(p)].b;
        }
    fatal("unbound variable");
    return NIL;
}

static void env_set(val env, val sym, val v)
{
    for (val e = env; e != NIL; e = heap[cidx(e)].b)
        for (val l = heap[cidx(e)].a; l != NIL; l = heap[cidx(l)].b) {
            val p = heap[cidx(l)].a;
            if (heap[cidx(p)].a == sym) { heap[cidx(p)].b = v; return; }
        }
    fatal("set! of unbound variable");
}

static void env_define(val env, val sym, val v)
{
    for (val l = heap[cidx(env)].a; l != NIL; l = heap[cidx(l)].b) {
        val p = heap[cidx(l)].a;
        if (heap[cidx(p)].a == sym) { heap[cidx(p)].b = v; return; }
    }
    int base = nroots;
    PROTECT(env); PROTECT(sym); PROTECT(v);
    val p = cons(sym, v);
    PROTECT(p);
    val l = cons(p, heap[cidx(env)].a);
    heap[cidx(env)].a = l;
    nroots = base;
}

/* ---- primitives ---- */
enum { P_ADD, P_SUB, P_MUL, P_LT, P_GT, P_LE, P_GE, P_NUMEQ, P_QUOT, P_REM, P_CONS, P_CAR, P_CDR,
       P_CADR, P_CADDR, P_NULLP, P_PAIRP, P_EQP, P_NOT, P_LIST, P_EVENP, P_COUNT };
static const char *prim_names[P_COUNT] = { "+", "-", "*", "<", ">", "<=", ">=", "=", "quotient", "remainder",
    "cons", "car", "cdr", "cadr", "caddr", "null?", "pair?", "eq?", "not", "list", "even?" };

static int32_t num(val v)
{
    if (!isfix(v)) fatal("not a number");
    return fixval(v);
}

static val apply_prim(int id, val args)
{
    switch (id) {
    case P_ADD: { uint32_t s = 0; for (; args != NIL; args = cdr(args)) s += (uint32_t)num(car(args)); return mkfix(s); }
    case P_MUL: { uint32_t s = 1; for (; args != NIL; args = cdr(args)) s *= (uint32_t)num(car(args)); return mkfix(s); }
    case P_SUB: {
        uint32_t s = (uint32_t)num(car(args));
        if (cdr(args) == NIL) return mkfix(0u - s);
        for (args = cdr(args); args != NIL; args = cdr(args)) s -= (uint32_t)num(car(args));
        return mkfix(s);
    }
    case P_LT: return num(car(args)) < num(cadr(args)) ? TRUE_V : FALSE_V;
    case P_GT: return num(car(args)) > num(cadr(args)) ? TRUE_V : FALSE_V;
    case P_LE: return num(car(args)) <= num(cadr(args)) ? TRUE_V : FALSE_V;
    case P_GE: return num(car(args)) >= num(cadr(args)) ? TRUE_V : FALSE_V;
    case P_NUMEQ: return num(car(args)) == num(cadr(args)) ? TRUE_V : FALSE_V;
    case P_QUOT: { int32_t d = num(cadr(args)); return d == 0 ? mkfix(0) : mkfix((uint32_t)(num(car(args)) / d)); }
    case P_REM: { int32_t d = num(cadr(args)); return d == 0 ? mkfix(0) : mkfix((uint32_t)(num(car(args)) % d)); }
    case P_CONS: return cons(car(args), cadr(args));
    case P_CAR: return car(car(args));
    case P_CDR: return cdr(car(args));
    case P_CADR: return cadr(car(args));
    case P_CADDR: return caddr(car(args));
    case P_NULLP: return car(args) == NIL ? TRUE_V : FALSE_V;
    case P_PAIRP: return typeof_v(car(args)) == T_PAIR ? TRUE_V : FALSE_V;
    case P_EQP: return car(args) == cadr(args) ? TRUE_V : FALSE_V;
    case P_NOT: return car(args) == FALSE_V ? TRUE_V : FALSE_V;
    case P_LIST: return args;
    case P_EVENP: return (num(car(args)) & 1) == 0 ? TRUE_V : FALSE_V;
    }
    return UNSPEC;
}

/* ---- evaluator ---- */
static val eval(val x, val env)
{
    int base = nroots;
    val f = NIL, args = NIL, tmp = NIL;
    PROTECT(x); PROTECT(env); PROTECT(f); PROTECT(args); PROTECT(tmp);
    val result = UNSPEC;
    for (;;) {
        if (!isref(x)) { result = x; break; }
        int t = heap[cidx(x)].type;
        if (t == T_SYMBOL) { result = lookup(x, env); break; }
        if (t != T_PAIR) { result = x; break; }
        val op = car(x);
        if (op == s_quote) { result = cadr(x); break; }
        if (op == s_if) {
            tmp = eval(cadr(x), env);
            if (tmp != FALSE_V) { x = caddr(x); continue; }
            val rest = cdr(cddr(x));
            if (rest == NIL) { result = UNSPEC; break; }
            x = car(rest);
            continue;
        }
        if (op == s_define) {
            val target = cadr(x);
            val name;
            if (typeof_v(target) == T_PAIR) {
                name = car(target);
                tmp = cons(cdr(target), cddr(x));
                tmp = alloc(T_CLOSURE, tmp, env);
            } else {
                name = target;
                tmp = eval(caddr(x), env);
            }
            env_define(env, name, tmp);
            result = UNSPEC;
            break;
        }
        if (op == s_lambda) { result = alloc(T_CLOSURE, cdr(x), env); break; }
        if (op == s_set) {
            tmp = eval(caddr(x), env);
            env_set(env, cadr(x), tmp);
            result = UNSPEC;
            break;
        }
        if (op == s_begin) { x = cdr(x); goto body; }
        if (op == s_let) {
            args = NIL;
            for (val b = cadr(x); b != NIL; b = cdr(b)) {
                tmp = eval(cadr(car(b)), env);
                tmp = cons(car(car(b)), tmp);
                args = cons(tmp, args);
            }
            env = alloc(T_FRAME, args, env);
            x = cddr(x);
            goto body;
        }
        if (op == s_cond) {
            val cl;
            for (cl = cdr(x); cl != NIL; cl = cdr(cl)) {
                val test = car(car(cl));
                if (test == s_else) break;
                tmp = eval(test, env);
                if (tmp != FALSE_V) break;
            }
            if (cl == NIL) { result = UNSPEC; break; }
            x = cdr(car(cl));
            goto body;
        }
        if (op == s_and || op == s_or) {
            x = cdr(x);
            if (x == NIL) { result = op == s_and ? TRUE_V : FALSE_V; break; }
            int done = 0;
            while (cdr(x) != NIL) {
                tmp = eval(car(x), env);
                if ((op == s_and) == (tmp == FALSE_V)) { result = op == s_and ? FALSE_V : tmp; done = 1; break; }
                x = cdr(x);
            }
            if (done) break;
            x = car(x);
            continue;
        }
        /* application */
        f = eval(op, env);
        args = NIL;
        val tail = NIL;
        for (val a = cdr(x); a != NIL; a = cdr(a)) {
            tmp = eval(car(a), env);
            val c = cons(tmp, NIL);
            if (args == NIL) args = c; else heap[cidx(tail)].b = c;
            tail = c;
        }
        int ft = typeof_v(f);
        if (ft == T_PRIM) { result = apply_prim((int)heap[cidx(f)].a, args); break; }
        if (ft != T_CLOSURE) fatal("application of non-procedure");
        val lam = heap[cidx(f)].a;
        tmp = NIL;
        val p = car(lam), a = args;
        for (; p != NIL && a != NIL; p = cdr(p), a = cdr(a)) {
            val binding = cons(car(p), car(a));
            tmp = cons(binding, tmp);
        }
        if (p != NIL || a != NIL) fatal("arity mismatch");
        env = alloc(T_FRAME, tmp, heap[cidx(f)].b);
        x = cdr(lam);
    body:
        if (x == NIL) { result = UNSPEC; break; }
        while (cdr(x) != NIL) {
            eval(car(x), env);
            x = cdr(x);
        }
        x = car(x);
    }
    nroots = base;
    return result;
}

static const char *prelude =
    "(define (length l) (if (null? l) 0 (+ 1 (length (cdr l)))))\n"
    "(define (append a b) (if (null? a) b (cons (car a) (append (cdr a) b))))\n"
    "(define (map f l) (if (null? l) '() (cons (f (car l)) (map f (cdr l)))))\n"
    "(define (filter p l) (cond ((null? l) '()) ((p (car l)) (cons (car l) (filter p (cdr l)))) (else (filter p (cdr l)))))\n"
    "(define (foldl f acc l) (if (null? l) acc (foldl f (f acc (car l)) (cdr l))))\n"
    "(define (reverse l) (foldl (lambda (acc x) (cons x acc)) '() l))\n"
    "(define (qsort l)\n"
    "  (if (null? l) '()\n"
    "      (let ((p (car l)) (rest (cdr l)))\n"
    "        (append (qsort (filter (lambda (x) (< x p)) rest))\n"
    "                (cons p (qsort (filter (lambda (x) (>= x p)) rest)))))))\n"
    "(define (make-lcg seed)\n"
    "  (lambda () (set! seed (remainder (+ (* seed 1103) 12345) 32768)) seed))\n"
    "(define (rand-list g n) (if (= n 0) '() (cons (g) (rand-list g (- n 1)))))\n"
    "(define (tree-insert t k)\n"
    "  (cond ((null? t) (list k '() '()))\n"
    "        ((< k (car t)) (list (car t) (tree-insert (cadr t) k) (caddr t)))\n"
    "        (else (list (car t) (cadr t) (tree-insert (caddr t) k)))))\n"
    "(define (tree-depth t) (if (null? t) 0\n"
    "  (let ((l (tree-depth (cadr t))) (r (tree-depth (caddr t)))) (+ 1 (if (> l r) l r)))))\n"
    "(define (tree-sum t) (if (null? t) 0 (+ (car t) (tree-sum (cadr t)) (tree-sum (caddr t)))))\n"
    "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))\n"
    "(define (tak x y z) (if (not (< y x)) z (tak (tak (- x 1) y z) (tak (- y 1) z x) (tak (- z 1) x y))))\n"
    "(define (denom k) (cond ((= k 1) 1) ((= k 2) 5) ((= k 3) 10) ((= k 4) 25) (else 50)))\n"
    "(define (cc amount k)\n"
    "  (cond ((= amount 0) 1)\n"
    "        ((or (< amount 0) (= k 0)) 0)\n"
    "        (else (+ (cc amount (- k 1)) (cc (- amount (denom k)) k)))))\n"
    "(define (weighted-sum l i) (if (null? l) 0 (+ (* i (car l)) (weighted-sum (cdr l) (+ i 1)))))\n"
    "(define (run r)\n"
    "  (let ((g (make-lcg r)))\n"
    "    (let ((l (rand-list g (+ 300 (remainder r 50)))))\n"
    "      (let ((sorted (qsort l))\n"
    "            (tree (foldl tree-insert '() l)))\n"
    "        (+ (weighted-sum sorted 1)\n"
    "           (* 1000 (tree-depth tree))\n"
    "           (tree-sum tree)\n"
    "           (length (filter even? (map (lambda (x) (+ x r)) l)))\n"
    "           (car (reverse sorted))\n"
    "           (fib (+ 12 (remainder r 4)))\n"
    "           (tak (+ 10 (remainder r 3)) 6 2)\n"
    "           (cc (+ 40 (remainder r 20)) 5))))))\n";

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 18);

    for (uint32_t i = NCELLS - 1; i >= FIRST_CELL; i--) {
        heap[i].type = T_FREE;
        heap[i].b = free_list;
        free_list = i;
        free_count++;
    }
    s_quote = intern("quote", 5); s_if = intern("if", 2); s_define = intern("define", 6);
    s_lambda = intern("lambda", 6); s_let = intern("let", 3); s_begin = intern("begin", 5);
    s_set = intern("set!", 4); s_cond = intern("cond", 4); s_else = intern("else", 4);
    s_and = intern("and", 3); s_or = intern("or", 2); s_run = intern("run", 3);
    global_env = alloc(T_FRAME, NIL, NIL);
    for (int p = 0; p < P_COUNT; p++) {
        val sym = intern(prim_names[p], strlen(prim_names[p]));
        env_define(global_env, sym, alloc(T_PRIM, (val)p, NIL));
    }
    rp = prelude;
    val program = NIL, ptail = NIL;
    for (;;) {
        skip_ws();
        if (!*rp) break;
        val e = cons(read_expr(), NIL);
        if (program == NIL) program = e; else heap[cidx(ptail)].b = e;
        ptail = e;
    }
    gc_enabled = 1;
    PROTECT(program);
    for (val e = program; e != NIL; e = cdr(e)) eval(car(e), global_env);
    program = NIL;
    /* Keep the per-round expression list (run r) rooted while evaluating it. */
    val expr = NIL;
    PROTECT(expr);

    double start = bench_now();
    uint64_t h = 0;
    for (int r = 0; r < scale * 4; r++) {
        expr = cons(mkfix((uint32_t)r + 1u), NIL);
        expr = cons(s_run, expr);
        val v = eval(expr, global_env);
        h = mix64(h, (uint64_t)(uint32_t)num(v));
    }
    bench_report(start);
    printf("scheme_interp rounds=%d gcs=%llu symbols=%d checksum=%016llx\n", scale * 4, (unsigned long long)gc_runs,
           nsyms, (unsigned long long)h);
    return 0;
}
