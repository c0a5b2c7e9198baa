/* lazy_dfa — grep-style regular expression search with a lazily built DFA.
 *
 * Patterns (literals, ., [classes] with ranges and negation, \d \w \s, grouping, |, * + ?) are
 * parsed into an AST by recursive descent and compiled backwards into a Thompson NFA. Lines of
 * generated log text are searched (unanchored, earliest match end) with a DFA whose states are
 * epsilon-closed NFA state sets, created on demand, interned in a hash table and flushed when the
 * state cache fills. Every 16th line is cross-checked against a direct NFA set simulation. */
#include "../programs/bench.h"

/* ---- AST ---- */
enum { A_CLASS, A_CAT, A_ALT, A_STAR, A_PLUS, A_QUEST, A_EMPTY };

typedef struct { int kind, a, b; uint32_t cls[8]; } ast_node;

#define MAX_AST 512
static ast_node ast[MAX_AST];
static int n_ast;
static const char *pp; /* parse position */

static int ast_new(int kind, int a, int b)
{
    if (n_ast >= MAX_AST) { fprintf(stderr, "ast overflow\n"); exit(1); }
    ast_node *n = &ast[n_ast];
    n->kind = kind; n->a = a; n->b = b;
    memset(n->cls, 0, sizeof n->cls);
    return n_ast++;
}

static void cls_set(uint32_t *cls, int c) { cls[(c & 255) >> 5] |= 1u << (c & 31); }
static void cls_range(uint32_t *cls, int lo, int hi) { for (int c = lo; c <= hi; c++) cls_set(cls, c); }

static void cls_escape(uint32_t *cls, int e)
{
    switch (e) {
    case 'd': cls_range(cls, '0', '9'); break;
    case 'w': cls_range(cls, 'a', 'z'); cls_range(cls, 'A', 'Z'); cls_range(cls, '0', '9'); cls_set(cls, '_'); break;
    case 's': cls_set(cls, ' '); cls_set(cls, '\t'); break;
    default: cls_set(cls, e); break;
    }
}

static int parse_alt(void);

static int parse_atom(void)
{
    char c = *pp;
    if (c == '(') {
        pp++;
        int r = parse_alt();
        if (*pp == ')') pp++;
        return r;
    }
    int n = ast_new(A_CLASS, -1, -1);
    uint32_t *cls = ast[n].cls;
    if (c == '.') {
        pp++;
        cls_range(cls, 1, 255);
        cls[0] &= ~(1u << '\n');
    } else if (c == '\\') {
        pp++;
        cls_escape(cls, *pp ? *pp++ : '\\');
    } else if (c == '[') {
        pp++;
        int neg = 0;
        if (*pp == '^') { neg = 1; pp++; }
        uint32_t tmp[8] = { 0 };
        while (*pp && *pp != ']') {
            int lo = (unsigned char)*pp++;
            if (lo == '\\' && *pp) { cls_escape(tmp, *pp++); continue; }
            if (*pp == '-' && pp[1] && pp[1] != ']') {
                int hi = (unsigned char)pp[1];
                pp += 2;
                cls_range(tmp, lo, hi);
            } else {
                cls_set(tmp, lo);
            }
        }
        if (*pp == ']') pp++;
        for (int i = 0; i < 8; i++) cls[i] = neg ? ~tmp[i] : tmp[i];
        if (neg) cls[0] &= ~((1u << '\n') | 1u);
    } else {
        pp++;
        cls_set(cls, (unsigned char)c);
    }
    return n;
}

static int parse_repeat(void)
{
    int a = parse_atom();
    for (;;) {
        if (*pp == '*') a = ast_new(A_STAR, a, -1);
        else if (*pp == '+') a = ast_new(A_PLUS, a, -1);
        else if (*pp == '?') a = ast_new(A_QUEST, a, -1);
        else break;
        pp++;
    }
    return a;
}

static int parse_cat(void)
{
    int r = -1;
    while (*pp && *pp != '|' && *pp != ')') {
        int a = parse_repeat();
        r = r < 0 ? a : ast_new(A_CAT, r, a);
    }
    return r < 0 ? ast_new(A_EMPTY, -1, -1) : r;
}

static int parse_alt(void)
{
    int r = parse_cat();
    while (*pp == '|') {
        pp++;
        int b = parse_cat();
        r = ast_new(A_ALT, r, b);
    }
    return r;
}

/* ---- NFA ---- */
enum { N_CHAR, N_SPLIT, N_MATCH };
typedef struct { int kind, out, out1; uint32_t cls[8]; } nfa_state;

#define MAX_NFA 1024
typedef struct {
    nfa_state st[MAX_NFA];
    int n, start;
} nfa;

static int nfa_new(nfa *m, int kind, int out, int out1)
{
    if (m->n >= MAX_NFA) { fprintf(stderr, "nfa overflow\n"); exit(1); }
    nfa_state *s = &m->st[m->n];
    s->kind = kind; s->out = out; s->out1 = out1;
    return m->n++;
}

/* compile node so that on success control continues at next; returns the entry state */
static int compile(nfa *m, int node, int next)
{
    ast_node *a = &ast[node];
    switch (a->kind) {
    case A_CLASS: {
        int s = nfa_new(m, N_CHAR, next, -1);
        memcpy(m->st[s].cls, a->cls, sizeof a->cls);
        return s;
    }
    case A_CAT: return compile(m, a->a, compile(m, a->b, next));
    case A_ALT: {
        int x = compile(m, a->a, next);
        int y = compile(m, a->b, next);
        return nfa_new(m, N_SPLIT, x, y);
    }
    case A_STAR: {
        int s = nfa_new(m, N_SPLIT, -1, next);
        m->st[s].out = compile(m, a->a, s);
        return s;
    }
    case A_PLUS: {
        int s = nfa_new(m, N_SPLIT, -1, next);
        int e = compile(m, a->a, s);
        m->st[s].out = e;
        return e;
    }
    case A_QUEST: {
        int x = compile(m, a->a, next);
        return nfa_new(m, N_SPLIT, x, next);
    }
    default: return next;
    }
}

static void nfa_build(nfa *m, const char *pattern)
{
    n_ast = 0;
    pp = pattern;
    int root = parse_alt();
    m->n = 0;
    int match = nfa_new(m, N_MATCH, -1, -1);
    m->start = compile(m, root, match);
}

/* ---- state sets ---- */
typedef struct { int *ids; int n; } sset;

static uint32_t mark_gen = 1;
static uint32_t marks[MAX_NFA];
static int stackbuf[MAX_NFA * 2];

static void closure_add(const nfa *m, sset *s, int id)
{
    int sp = 0;
    stackbuf[sp++] = id;
    while (sp) {
        int x = stackbuf[--sp];
        if (x < 0 || marks[x] == mark_gen) continue;
        marks[x] = mark_gen;
        const nfa_state *st = &m->st[x];
        if (st->kind == N_SPLIT) {
            stackbuf[sp++] = st->out1;
            stackbuf[sp++] = st->out;
        } else {
            s->ids[s->n++] = x;
        }
    }
}

static void sort_ids(int *a, int n)
{
    for (int i = 1; i < n; i++) {
        int v = a[i], j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

/* next set = closure(step(cur, c)) U closure(start) */
static void step_set(const nfa *m, const sset *cur, int c, sset *out)
{
    mark_gen++;
    out->n = 0;
    for (int i = 0; i < cur->n; i++) {
        const nfa_state *st = &m->st[cur->ids[i]];
        if (st->kind == N_CHAR && (st->cls[c >> 5] >> (c & 31) & 1)) closure_add(m, out, st->out);
    }
    closure_add(m, out, m->start);
}

static int set_has_match(const sset *s)
{
    for (int i = 0; i < s->n; i++)
        if (s->ids[i] == 0) return 1; /* state 0 is always N_MATCH */
    return 0;
}

/* ---- lazy DFA ---- */
#define DFA_CAP 128
#define HASH_CAP 256

typedef struct {
    int next[256];
    int set_off, set_n, match;
    uint32_t hash;
} dstate;

typedef struct {
    const nfa *m;
    dstate st[DFA_CAP];
    int n;
    int hash[HASH_CAP];
    int pool[DFA_CAP * MAX_NFA / 4];
    int pool_n;
    int start_id;
    uint64_t flushes, built;
} dfa;

static uint32_t set_hash(const int *ids, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++) { h ^= (uint32_t)ids[i]; h *= 16777619u; }
    return h;
}

static void dfa_flush(dfa *d)
{
    d->n = 0;
    d->pool_n = 0;
    d->start_id = -1;
    for (int i = 0; i < HASH_CAP; i++) d->hash[i] = -1;
    d->flushes++;
}

/* find or insert a sorted set; returns -1 if the cache is full */
static int dfa_intern(dfa *d, int *ids, int n)
{
    uint32_t h = set_hash(ids, n);
    uint32_t slot = h & (HASH_CAP - 1);
    while (d->hash[slot] >= 0) {
        dstate *s = &d->st[d->hash[slot]];
        if (s->hash == h && s->set_n == n && memcmp(&d->pool[s->set_off], ids, sizeof(int) * n) == 0)
            return d->hash[slot];
        slot = (slot + 1) & (HASH_CAP - 1);
    }
    if (d->n >= DFA_CAP || d->pool_n + n > (int)(sizeof d->pool / sizeof d->pool[0])) return -1;
    int id = d->n++;
    dstate *s = &d->st[id];
    for (int i = 0; i < 256; i++) s->next[i] = -1;
    s->set_off = d->pool_n;
    s->set_n = n;
    s->hash = h;
    memcpy(&d->pool[d->pool_n], ids, sizeof(int) * n);
    d->pool_n += n;
    sset tmp = { ids, n };
    s->match = set_has_match(&tmp);
    d->hash[slot] = id;
    d->built++;
    return id;
}

static int tmp_ids[MAX_NFA], tmp_ids2[MAX_NFA];

static int dfa_start(dfa *d)
{
    if (d->start_id >= 0) return d->start_id;
    sset s = { tmp_ids, 0 };
    mark_gen++;
    closure_add(d->m, &s, d->m->start);
    sort_ids(s.ids, s.n);
    int id = dfa_intern(d, s.ids, s.n);
    if (id < 0) {
        dfa_flush(d);
        id = dfa_intern(d, s.ids, s.n);
    }
    d->start_id = id;
    return id;
}

static int dfa_transition(dfa *d, int from, int c)
{
    dstate *s = &d->st[from];
    memcpy(tmp_ids2, &d->pool[s->set_off], sizeof(int) * s->set_n);
    sset cur = { tmp_ids2, s->set_n };
    sset out = { tmp_ids, 0 };
    step_set(d->m, &cur, c, &out);
    sort_ids(out.ids, out.n);
    int id = dfa_intern(d, out.ids, out.n);
    if (id < 0) {
        dfa_flush(d);
        return dfa_intern(d, out.ids, out.n); /* 'from' is gone; no edge recorded */
    }
    d->st[from].next[c] = id;
    return id;
}

/* returns the end offset of the earliest match, or -1 */
static int dfa_search(dfa *d, const unsigned char *p, int len)
{
    int s = dfa_start(d);
    if (d->st[s].match) return 0;
    for (int i = 0; i < len; i++) {
        int t = d->st[s].next[p[i]];
        if (t < 0) t = dfa_transition(d, s, p[i]);
        s = t;
        if (d->st[s].match) return i + 1;
    }
    return -1;
}

static int nfa_search(const nfa *m, const unsigned char *p, int len)
{
    static int a_ids[MAX_NFA], b_ids[MAX_NFA];
    sset cur = { a_ids, 0 }, nxt = { b_ids, 0 };
    mark_gen++;
    closure_add(m, &cur, m->start);
    if (set_has_match(&cur)) return 0;
    for (int i = 0; i < len; i++) {
        step_set(m, &cur, p[i], &nxt);
        sset t = cur; cur = nxt; nxt = t;
        if (set_has_match(&cur)) return i + 1;
    }
    return -1;
}

/* ---- text generation ---- */
static const char *patterns[] = {
    "err(or|no)=?\\d+",
    "[a-z]+@[a-z]+\\.(com|org|net)",
    "user=[a-z]*[0-9][0-9]",
    "(GET|POST|PUT) /[a-z/]*\\.(html|png)",
    "[ab]*a[a-z][a-z][a-z][a-z][a-z][a-z][a-z]x",
    "\\d\\d:\\d\\d:\\d\\d \\[(warn|crit)\\]",
    "(ab|ba|aab)+c",
    "id=[^ ]*7[^ ]*q",
    "(x|y|z)(x|y|z)(x|y|z)(x|y|z)",
    "lat(ency)?=[1-9]\\d\\d\\dms",
};
#define NPAT (int)(sizeof patterns / sizeof patterns[0])

#define NLINES 6000

static void gen_word(bench_rng *r, char *buf, int *pos, int maxlen)
{
    static const char freq[] = "eeeeettttaaaaoooiiinnnsssrrhhllddcuumwfgypbvkjxqzab";
    int len = 2 + (int)rng_below(r, (uint32_t)maxlen - 1);
    for (int i = 0; i < len; i++) buf[(*pos)++] = freq[rng_below(r, sizeof freq - 1)];
}

static int gen_line(bench_rng *r, char *buf)
{
    static const char *levels[] = { "info", "warn", "crit", "debug" };
    static const char *methods[] = { "GET", "POST", "PUT", "DELETE" };
    static const char *tlds[] = { "com", "org", "net", "io" };
    int pos = 0;
    uint32_t hh = rng_below(r, 24), mm = rng_below(r, 60), ss = rng_below(r, 60);
    pos += sprintf(buf + pos, "%02u:%02u:%02u [%s] ", hh, mm, ss, levels[rng_below(r, 4)]);
    int fields = 3 + (int)rng_below(r, 7);
    for (int f = 0; f < fields; f++) {
        switch (rng_below(r, 9)) {
        case 0: pos += sprintf(buf + pos, "user="); gen_word(r, buf, &pos, 6); pos += sprintf(buf + pos, "%u", rng_below(r, 200)); break;
        case 1: gen_word(r, buf, &pos, 7); buf[pos++] = '@'; gen_word(r, buf, &pos, 5); pos += sprintf(buf + pos, ".%s", tlds[rng_below(r, 4)]); break;
        case 2: pos += sprintf(buf + pos, "%s /", methods[rng_below(r, 4)]); gen_word(r, buf, &pos, 5); buf[pos++] = '/'; gen_word(r, buf, &pos, 8);
                pos += sprintf(buf + pos, rng_below(r, 2) ? ".html" : ".png"); break;
        case 3: { const char *k = rng_below(r, 2) ? "no=" : "or "; pos += sprintf(buf + pos, "err%s%u", k, rng_below(r, 1000)); break; }
        case 4: { const char *k = rng_below(r, 2) ? "ency" : ""; pos += sprintf(buf + pos, "lat%s=%ums", k, rng_below(r, 12000)); break; }
        case 5: pos += sprintf(buf + pos, "id="); for (int i = 0; i < 10; i++) buf[pos++] = "0123456789abcdefq"[rng_below(r, 17)]; break;
        case 6: for (int i = 0, n = 4 + (int)rng_below(r, 12); i < n; i++) buf[pos++] = "abcxyz"[rng_below(r, 6)]; break;
        default: gen_word(r, buf, &pos, 9); break;
        }
        buf[pos++] = ' ';
    }
    buf[pos] = 0;
    return pos;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 37);
    bench_rng rng = { 0x6c617a7964666121ULL };
    char *text = malloc(NLINES * 256);
    int *off = malloc(sizeof(int) * (NLINES + 1));
    nfa *nfas = malloc(sizeof(nfa) * NPAT);
    dfa *d = malloc(sizeof(dfa));
    if (!text || !off || !nfas || !d) return 1;
    off[0] = 0;
    for (int i = 0; i < NLINES; i++) {
        char line[256];
        int len = gen_line(&rng, line);
        memcpy(text + off[i], line, (size_t)len);
        off[i + 1] = off[i] + len;
    }

    double start = bench_now();
    uint64_t h = 0, matched = 0, checked = 0;
    for (int round = 0; round < scale; round++) {
        for (int p = 0; p < NPAT; p++) {
            nfa *m = &nfas[p];
            nfa_build(m, patterns[p]);
            d->m = m;
            d->flushes = d->built = 0;
            dfa_flush(d);
            d->flushes = 0;
            uint64_t pm = 0;
            for (int i = 0; i < NLINES; i++) {
                /* each round searches a rotating window of the line so inputs differ */
                int b = off[i], len = off[i + 1] - off[i];
                int skip = (round * 7 + i) % 5;
                if (skip >= len) skip = 0;
                const unsigned char *s = (const unsigned char *)text + b + skip;
                int e = dfa_search(d, s, len - skip);
                if (e >= 0) { pm++; h = mix64(h, (uint64_t)(i * 64 + p) << 8 ^ (uint64_t)e); }
                if ((i & 15) == (round & 15)) {
                    int e2 = nfa_search(m, s, len - skip);
                    if (e2 != e) { fprintf(stderr, "mismatch pattern %d line %d: %d vs %d\n", p, i, e, e2); return 1; }
                    checked++;
                }
            }
            matched += pm;
            h = mix64(h, pm << 20 ^ d->built << 8 ^ d->flushes);
            h = mix64(h, (uint64_t)m->n);
        }
    }
    bench_report(start);
    printf("lazy_dfa lines=%d patterns=%d rounds=%d matched=%llu checked=%llu checksum=%016llx\n", NLINES, NPAT, scale,
           (unsigned long long)matched, (unsigned long long)checked, (unsigned long long)h);
    free(text); free(off); free(nfas); free(d);
    return 0;
}
