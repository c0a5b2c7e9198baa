/* basic_interp/lexer.h — tokens, the line tokenizer and the detokenizer (LIST). */

enum {
    T_EOL, T_NUM, T_STR, T_VAR, T_SVAR, T_LPAR, T_RPAR, T_COMMA, T_SEMI, T_COLON,
    T_PLUS, T_MINUS, T_MUL, T_DIV, T_EQ, T_NE, T_LT, T_GT, T_LE, T_GE,
    /* keywords, in the order of kw_names */
    T_PRINT, T_LET, T_IF, T_THEN, T_GOTO, T_GOSUB, T_RETURN, T_FOR, T_TO, T_STEP, T_NEXT,
    T_DIM, T_END, T_REM, T_AND, T_OR, T_NOT, T_MOD,
    T_LEN, T_MID, T_LEFT, T_RIGHT, T_CHR, T_ASC, T_STRF, T_VAL, T_ABS, T_INSTR,
    T_COUNT
};

static const char *const kw_names[] = {
    "PRINT", "LET", "IF", "THEN", "GOTO", "GOSUB", "RETURN", "FOR", "TO", "STEP", "NEXT",
    "DIM", "END", "REM", "AND", "OR", "NOT", "MOD",
    "LEN", "MID$", "LEFT$", "RIGHT$", "CHR$", "ASC", "STR$", "VAL", "ABS", "INSTR",
};
#define FIRST_KW T_PRINT

enum { E_OK, E_SYNTAX, E_DIV0, E_RETURN, E_NEXT, E_LINE, E_BOUNDS, E_TYPE, E_STEPS, E_MEMORY };

#define NVARS (26 * 11)
#define MAXLINES 256
#define MAXTOKS 8192
#define STRPOOL 8192

typedef struct {
    uint8_t kind;
    int16_t len;   /* string literal length */
    int32_t val;   /* number, variable index or string pool offset */
} Token;

typedef struct {
    int number, first; /* first token index; the line ends with T_EOL */
} Line;

typedef struct {
    Line lines[MAXLINES];
    int nlines;
    Token toks[MAXTOKS];
    int ntoks;
    char pool[STRPOOL];
    int pool_used;
} Program;

static int var_index(const char *s, int *adv)
{
    int idx = (s[0] - 'A') * 11;
    *adv = 1;
    if (isdigit((unsigned char)s[1])) {
        idx += s[1] - '0' + 1;
        *adv = 2;
    }
    return idx;
}

static int emit(Program *p, int kind, int32_t val, int len)
{
    if (p->ntoks >= MAXTOKS) return 0;
    Token *t = &p->toks[p->ntoks++];
    t->kind = (uint8_t)kind;
    t->val = val;
    t->len = (int16_t)len;
    return 1;
}

/* Tokenizes one source line "NNN statements"; returns 0 on a lexical error. */
static int lex_line(Program *p, const char *src)
{
    char *end;
    long num = strtol(src, &end, 10);
    if (end == src || num <= 0 || num > 65535 || p->nlines >= MAXLINES) return 0;
    if (p->nlines > 0 && p->lines[p->nlines - 1].number >= num) return 0;
    p->lines[p->nlines].number = (int)num;
    p->lines[p->nlines].first = p->ntoks;
    p->nlines++;
    const char *s = end;
    for (;;) {
        s += strspn(s, " \t");
        if (!*s) break;
        if (isdigit((unsigned char)*s)) {
            long v = strtol(s, &end, 10);
            if (v > 2147483647L) return 0;
            if (!emit(p, T_NUM, (int32_t)v, 0)) return 0;
            s = end;
            continue;
        }
        if (*s == '"') {
            const char *close = strchr(s + 1, '"');
            if (!close) return 0;
            int len = (int)(close - s - 1);
            if (p->pool_used + len + 1 > STRPOOL) return 0;
            memcpy(p->pool + p->pool_used, s + 1, (size_t)len);
            p->pool[p->pool_used + len] = 0;
            if (!emit(p, T_STR, p->pool_used, len)) return 0;
            p->pool_used += len + 1;
            s = close + 1;
            continue;
        }
        if (isupper((unsigned char)*s)) {
            int kw = -1;
            size_t best = 0;
            for (int k = FIRST_KW; k < T_COUNT; k++) {
                size_t n = strlen(kw_names[k - FIRST_KW]);
                if (n > best && strncmp(s, kw_names[k - FIRST_KW], n) == 0) {
                    kw = k;
                    best = n;
                }
            }
            if (kw >= 0) {
                if (!emit(p, kw, 0, 0)) return 0;
                s += best;
                if (kw == T_REM) break; /* the rest of the line is a comment */
                continue;
            }
            int adv, idx = var_index(s, &adv);
            s += adv;
            if (*s == '$') {
                s++;
                if (!emit(p, T_SVAR, idx, 0)) return 0;
            } else if (!emit(p, T_VAR, idx, 0)) {
                return 0;
            }
            continue;
        }
        static const char singles[] = "(),;:+-*/=";
        static const uint8_t kinds[] = { T_LPAR, T_RPAR, T_COMMA, T_SEMI, T_COLON, T_PLUS, T_MINUS, T_MUL, T_DIV, T_EQ };
        const char *c = strchr(singles, *s);
        int kind;
        if (c && *s) {
            kind = kinds[c - singles];
            s++;
        } else if (*s == '<') {
            s++;
            kind = *s == '>' ? (s++, T_NE) : *s == '=' ? (s++, T_LE) : T_LT;
        } else if (*s == '>') {
            s++;
            kind = *s == '=' ? (s++, T_GE) : T_GT;
        } else {
            return 0;
        }
        if (!emit(p, kind, 0, 0)) return 0;
    }
    return emit(p, T_EOL, 0, 0);
}

/* Tokenizes a whole program of newline-separated lines. */
static int lex_program(Program *p, const char *text)
{
    char buf[512];
    p->nlines = p->ntoks = p->pool_used = 0;
    while (*text) {
        size_t n = strcspn(text, "\n");
        if (n >= sizeof buf) return 0;
        memcpy(buf, text, n);
        buf[n] = 0;
        text += n + (text[n] == '\n');
        if (strspn(buf, " ") == n) continue;
        if (!lex_line(p, buf)) return 0;
    }
    return 1;
}

/* Writes the program back as text, one space between tokens. */
static int detokenize(const Program *p, char *out, int cap)
{
    static const char *const ops[] = { [T_LPAR] = "(", [T_RPAR] = ")", [T_COMMA] = ",", [T_SEMI] = ";",
                                       [T_COLON] = ":", [T_PLUS] = "+", [T_MINUS] = "-", [T_MUL] = "*",
                                       [T_DIV] = "/", [T_EQ] = "=", [T_NE] = "<>", [T_LT] = "<", [T_GT] = ">",
                                       [T_LE] = "<=", [T_GE] = ">=" };
    int len = 0;
    for (int l = 0; l < p->nlines; l++) {
        len += snprintf(out + len, (size_t)(cap - len), "%d", p->lines[l].number);
        for (const Token *t = &p->toks[p->lines[l].first]; t->kind != T_EOL; t++) {
            char tmp[16];
            const char *text = tmp;
            if (t->kind == T_NUM) snprintf(tmp, sizeof tmp, "%d", (int)t->val);
            else if (t->kind == T_VAR || t->kind == T_SVAR) {
                int k = 0;
                tmp[k++] = (char)('A' + t->val / 11);
                if (t->val % 11) tmp[k++] = (char)('0' + t->val % 11 - 1);
                if (t->kind == T_SVAR) tmp[k++] = '$';
                tmp[k] = 0;
            } else if (t->kind >= FIRST_KW) text = kw_names[t->kind - FIRST_KW];
            else if (t->kind != T_STR) text = ops[t->kind];
            if (t->kind == T_STR)
                len += snprintf(out + len, (size_t)(cap - len), " \"%s\"", p->pool + t->val);
            else
                len += snprintf(out + len, (size_t)(cap - len), " %s", text);
            if (len >= cap) return -1;
        }
        len += snprintf(out + len, (size_t)(cap - len), "\n");
        if (len >= cap) return -1;
    }
    return len;
}

/* Token streams equal (string literals compared by content). */
static int same_tokens(const Program *a, const Program *b)
{
    if (a->nlines != b->nlines || a->ntoks != b->ntoks) return 0;
    for (int l = 0; l < a->nlines; l++)
        if (a->lines[l].number != b->lines[l].number || a->lines[l].first != b->lines[l].first) return 0;
    for (int i = 0; i < a->ntoks; i++) {
        const Token *x = &a->toks[i], *y = &b->toks[i];
        if (x->kind != y->kind) return 0;
        if (x->kind == T_STR ? strcmp(a->pool + x->val, b->pool + y->val) != 0 : x->val != y->val) return 0;
    }
    return 1;
}
