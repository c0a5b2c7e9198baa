/* symtab_resolve — a C-like tokenizer feeding a string-interning table (chained hash, strncmp/memcpy/strlen,
 * bump arena) and a block-scoped symbol table that resolves identifier uses to their declarations.
 * bench-cflags: -Os
 *
 * A source text of functions with nested blocks, declarations, comments, string literals and
 * expressions is generated before the timer starts. Each round interns every identifier from
 * scratch, pushes and pops scopes at braces with a shadowing stack, counts resolved and
 * unresolved uses, shadowed declarations and per-kind token totals. */
#include "../programs/bench.h"

#include <ctype.h>

#define SRC_CAP (1 << 21)
#define NBUCKETS 4096
#define ARENA_CAP (1 << 20)
#define MAX_SYMS (1 << 16)
#define MAX_BINDINGS (1 << 18)

enum { T_EOF, T_IDENT, T_NUMBER, T_STRING, T_PUNCT, T_KEYWORD };

typedef struct istr {
    struct istr *next;
    const char *text;
    size_t len;
    uint32_t hash;
    int id;
    int binding;   /* index into bindings of the innermost declaration, or -1 */
    int keyword;   /* nonzero for reserved words */
} istr;

typedef struct {
    istr *buckets[NBUCKETS];
    istr *nodes;
    int count;
    char *arena;
    size_t arena_used;
} intern_table;

typedef struct {
    istr *name;
    int prev;      /* previous binding of the same name */
    int line;
    int depth;
} binding;

static const char *keywords[] = { "int", "long", "char", "if", "else", "while", "for", "return", "struct", "void",
                                  "static", "const", "break", "continue" };

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= (uint8_t)s[i]; h *= 16777619u; }
    return h;
}

static istr *intern(intern_table *t, const char *s, size_t n)
{
    uint32_t h = hash_bytes(s, n);
    istr **slot = &t->buckets[h & (NBUCKETS - 1)];
    for (istr *p = *slot; p; p = p->next)
        if (p->hash == h && p->len == n && strncmp(p->text, s, n) == 0) return p;
    if (t->count >= MAX_SYMS || t->arena_used + n + 1 > ARENA_CAP) {
        fprintf(stderr, "intern table full\n");
        exit(1);
    }
    char *copy = t->arena + t->arena_used;
    memcpy(copy, s, n);
    copy[n] = '\0';
    t->arena_used += n + 1;
    istr *node = &t->nodes[t->count];
    node->text = copy;
    node->len = n;
    node->hash = h;
    node->id = t->count++;
    node->binding = -1;
    node->keyword = 0;
    node->next = *slot;
    *slot = node;
    return node;
}

static void table_reset(intern_table *t)
{
    memset(t->buckets, 0, sizeof t->buckets);
    t->count = 0;
    t->arena_used = 0;
    for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++) {
        istr *kw = intern(t, keywords[k], strlen(keywords[k]));
        kw->keyword = (int)k + 1;
    }
}

typedef struct {
    const char *p;
    int line;
} lexer;

typedef struct {
    int kind;
    const char *start;
    size_t len;
    istr *sym;
} token;

static token next_token(lexer *lx, intern_table *t)
{
    token tk = { T_EOF, NULL, 0, NULL };
    for (;;) {
        char c = *lx->p;
        if (c == '\n') { lx->line++; lx->p++; }
        else if (c == ' ' || c == '\t' || c == '\r') lx->p++;
        else if (c == '/' && lx->p[1] == '/') {
            const char *nl = strchr(lx->p, '\n');
            lx->p = nl ? nl : lx->p + strlen(lx->p);
        } else if (c == '/' && lx->p[1] == '*') {
            const char *end = strstr(lx->p + 2, "*/");
            const char *stop = end ? end + 2 : lx->p + strlen(lx->p);
            for (const char *q = lx->p; q < stop; q++) lx->line += *q == '\n';
            lx->p = stop;
        } else break;
    }
    const char *s = lx->p;
    char c = *s;
    tk.start = s;
    if (c == '\0') return tk;
    if (isalpha((unsigned char)c) || c == '_') {
        while (isalnum((unsigned char)*lx->p) || *lx->p == '_') lx->p++;
        tk.len = (size_t)(lx->p - s);
        tk.sym = intern(t, s, tk.len);
        tk.kind = tk.sym->keyword ? T_KEYWORD : T_IDENT;
    } else if (isdigit((unsigned char)c)) {
        while (isalnum((unsigned char)*lx->p)) lx->p++;
        tk.kind = T_NUMBER;
        tk.len = (size_t)(lx->p - s);
    } else if (c == '"') {
        lx->p++;
        while (*lx->p && *lx->p != '"') {
            if (*lx->p == '\\' && lx->p[1]) lx->p++;
            lx->p++;
        }
        if (*lx->p == '"') lx->p++;
        tk.kind = T_STRING;
        tk.len = (size_t)(lx->p - s);
    } else {
        static const char *two[] = { "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "->", "++", "--" };
        tk.kind = T_PUNCT;
        tk.len = 1;
        for (size_t k = 0; k < sizeof two / sizeof *two; k++)
            if (strncmp(s, two[k], 2) == 0) { tk.len = 2; break; }
        lx->p += tk.len;
    }
    return tk;
}

typedef struct {
    long tokens[6];
    long resolved, unresolved, decls, shadowed, max_depth;
    uint64_t h;
} stats;

static void resolve(const char *src, intern_table *t, binding *binds, int *scope_marks, stats *st)
{
    table_reset(t);
    lexer lx = { src, 1 };
    int nbind = 0, depth = 0;
    int pending_type = 0;  /* previous token was a type keyword, so an identifier is declared */
    for (;;) {
        token tk = next_token(&lx, t);
        st->tokens[tk.kind]++;
        if (tk.kind == T_EOF) break;
        if (tk.kind == T_PUNCT && tk.len == 1 && tk.start[0] == '{') {
            scope_marks[++depth] = nbind;
            if (depth > st->max_depth) st->max_depth = depth;
        } else if (tk.kind == T_PUNCT && tk.len == 1 && tk.start[0] == '}') {
            if (depth > 0) {
                while (nbind > scope_marks[depth]) {
                    binding *b = &binds[--nbind];
                    b->name->binding = b->prev;
                }
                depth--;
            }
        } else if (tk.kind == T_KEYWORD) {
            int k = tk.sym->keyword;
            pending_type = k == 1 || k == 2 || k == 3 || k == 10;
            continue;
        } else if (tk.kind == T_IDENT) {
            if (pending_type) {
                istr *name = tk.sym;
                if (name->binding >= 0 && binds[name->binding].depth == depth) {
                    /* redeclaration in the same scope: just update the line */
                    binds[name->binding].line = lx.line;
                } else {
                    if (name->binding >= 0) st->shadowed++;
                    if (nbind >= MAX_BINDINGS) { fprintf(stderr, "too many bindings\n"); exit(1); }
                    binds[nbind].name = name;
                    binds[nbind].prev = name->binding;
                    binds[nbind].line = lx.line;
                    binds[nbind].depth = depth;
                    name->binding = nbind++;
                }
                st->decls++;
                pending_type = 0;
                continue;
            }
            if (tk.sym->binding >= 0) {
                const binding *b = &binds[tk.sym->binding];
                st->resolved++;
                st->h = mix64(st->h, (uint64_t)tk.sym->id << 32 | (uint64_t)(lx.line - b->line) << 8 | (uint64_t)b->depth);
            } else {
                st->unresolved++;
                st->h = mix64(st->h, (uint64_t)tk.sym->len);
            }
        }
        if (!(tk.kind == T_PUNCT && tk.start[0] == '*')) pending_type = 0;
    }
    st->h = mix64(st->h, (uint64_t)t->count);
    st->h = mix64(st->h, (uint64_t)t->arena_used);
}

/* ---- source generator ---- */

typedef struct {
    char *buf;
    size_t len;
} sbuf;

static void emit(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 < SRC_CAP) {
        memcpy(b->buf + b->len, s, n);
        b->len += n;
        b->buf[b->len] = '\0';
    }
}

static void make_name(bench_rng *r, char *out, int pool)
{
    static const char *syl[] = { "ka", "lo", "mi", "ren", "to", "sa", "vi", "qu", "ex", "dor", "fin", "bal", "cur", "nit" };
    uint32_t v = rng_below(r, (uint32_t)pool);
    int n = 0;
    out[n++] = "abcdefghijklmnopqrstuvwxyz_"[v % 27];
    v /= 27;
    do {
        const char *s = syl[v % 14];
        while (*s) out[n++] = *s++;
        v /= 14;
    } while (v);
    out[n] = '\0';
}

static void gen_block(sbuf *b, bench_rng *r, int depth, char locals[][32], int nlocals)
{
    int stmts = 2 + (int)rng_below(r, 6);
    char line[256], name[32], other[32];
    for (int i = 0; i < stmts && b->len + 512 < SRC_CAP; i++) {
        for (int d = 0; d < depth; d++) emit(b, "    ");
        uint32_t k = rng_below(r, 10);
        if (k < 3 && nlocals < 16) {
            make_name(r, locals[nlocals], 300);
            snprintf(line, sizeof line, "%s %s = %u;\n", rng_below(r, 2) ? "int" : "long", locals[nlocals], rng_below(r, 1000));
            nlocals++;
            emit(b, line);
        } else if (k < 7) {
            const char *a = nlocals ? locals[rng_below(r, (uint32_t)nlocals)] : "g_count";
            make_name(r, other, 6000); /* often a global or an undeclared name */
            snprintf(line, sizeof line, "%s += %s * (%s - %u); /* step %u */\n", a, other, a, rng_below(r, 9), i);
            emit(b, line);
        } else if (k < 9 && depth < 7) {
            make_name(r, name, 300);
            snprintf(line, sizeof line, "%s (%s < %u) {\n", k == 7 ? "if" : "while",
                     nlocals ? locals[rng_below(r, (uint32_t)nlocals)] : name, rng_below(r, 100));
            emit(b, line);
            char inner[16][32];
            memcpy(inner, locals, sizeof inner);
            gen_block(b, r, depth + 1, inner, nlocals);
            for (int d = 0; d < depth; d++) emit(b, "    ");
            emit(b, "}\n");
        } else {
            snprintf(line, sizeof line, "log_msg(\"value \\\"%u\\\" // not a comment\", %s); // trace\n", rng_below(r, 50),
                     nlocals ? locals[0] : "g_count");
            emit(b, line);
        }
    }
}

static size_t gen_source(char *buf, bench_rng *r)
{
    sbuf b = { buf, 0 };
    buf[0] = '\0';
    char name[32], line[256];
    emit(&b, "int g_count;\nchar *log_msg;\n");
    for (int g = 0; g < 400; g++) {
        make_name(r, name, 6000);
        snprintf(line, sizeof line, "static long %s = %u;\n", name, rng_below(r, 100));
        emit(&b, line);
    }
    while (b.len + 4096 < SRC_CAP) {
        make_name(r, name, 6000);
        char locals[16][32];
        int nparams = (int)rng_below(r, 4);
        snprintf(line, sizeof line, "/* function %s\n * generated */\nint %s(", name, name);
        emit(&b, line);
        for (int p = 0; p < nparams; p++) {
            make_name(r, locals[p], 300);
            snprintf(line, sizeof line, "%sint %s", p ? ", " : "", locals[p]);
            emit(&b, line);
        }
        emit(&b, ") {\n");
        gen_block(&b, r, 1, locals, nparams);
        emit(&b, "    return 0;\n}\n\n");
    }
    return b.len;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 55);
    bench_rng rng = { 0x7A11CE5EEDULL };
    char *src = malloc(SRC_CAP);
    intern_table *t = calloc(1, sizeof *t);
    binding *binds = malloc(MAX_BINDINGS * sizeof *binds);
    int *marks = malloc(4096 * sizeof *marks);
    if (!src || !t || !binds || !marks) return 1;
    t->nodes = malloc(MAX_SYMS * sizeof *t->nodes);
    t->arena = malloc(ARENA_CAP);
    if (!t->nodes || !t->arena) return 1;
    size_t n = gen_source(src, &rng);

    double start = bench_now();
    stats st;
    memset(&st, 0, sizeof st);
    for (int round = 0; round < scale; round++) resolve(src, t, binds, marks, &st);
    bench_report(start);
    printf("symtab_resolve bytes=%zu rounds=%d idents=%ld resolved=%ld unresolved=%ld decls=%ld shadowed=%ld "
           "depth=%ld symbols=%d checksum=%016llx\n",
           n, scale, st.tokens[T_IDENT], st.resolved, st.unresolved, st.decls, st.shadowed, st.max_depth, t->count,
           (unsigned long long)st.h);
    free(src); free(t->nodes); free(t->arena); free(t); free(binds); free(marks);
    return 0;
}
