/* json_parse — recursion-heavy parsing with pointers passed across calls: a recursive generator
 * writes a nested JSON document (objects, arrays, integers, strings with escapes, true/false/null)
 * into a buffer; a recursive-descent parser (parse_value/parse_object/parse_array/parse_string,
 * each advancing a `const char **p`) builds a malloc'ed tree with realloc-grown arrays; a recursive
 * walk checksums the tree and another frees it. Repeated over fresh documents. The style is a
 * typical hand-written C parser: many small functions, pointer-to-pointer cursors, small mallocs. */
#include "bench.h"

#define DOC_CAP (1 << 21)
#define DOC_TARGET (1 << 20)
#define MAX_DEPTH 12

enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct json json;
struct json {
    int type;
    union {
        int64_t num;
        struct { char *s; size_t len; } str;
        struct { json **items; size_t n, cap; } arr;
        struct { char **keys; json **vals; size_t n, cap; } obj;
    } u;
};

static char doc[DOC_CAP];

/* ---- generator ---- */

typedef struct { char *buf; size_t pos; bench_rng *rng; } gen;

static const char *key_names[] = {
    "id", "name", "value", "items", "type", "children", "count", "label", "x", "y",
    "enabled", "data", "meta", "tags", "offset", "size", "owner", "path", "kind", "ref",
};

static void put(gen *g, const char *s)
{
    size_t n = strlen(s);
    memcpy(g->buf + g->pos, s, n);
    g->pos += n;
}

static void gen_string(gen *g)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789_.:/";
    uint32_t len = rng_below(g->rng, 24);
    g->buf[g->pos++] = '"';
    for (uint32_t i = 0; i < len; i++) {
        uint32_t c = rng_below(g->rng, 64);
        if (c < 54) {
            g->buf[g->pos++] = plain[rng_below(g->rng, sizeof plain - 1)];
        } else if (c < 56) {
            put(g, "\\\"");
        } else if (c < 58) {
            put(g, "\\\\");
        } else if (c < 60) {
            put(g, "\\n");
        } else if (c < 61) {
            put(g, "\\t");
        } else if (c < 62) {
            put(g, "\\/");
        } else {
            char u[8];
            snprintf(u, sizeof u, "\\u%04x", 0x20 + rng_below(g->rng, 0x700));
            put(g, u);
        }
    }
    g->buf[g->pos++] = '"';
}

static void gen_value(gen *g, int depth)
{
    uint32_t pick = rng_below(g->rng, 100);
    int nest = depth < MAX_DEPTH && g->pos < DOC_CAP - 65536;   /* containers only while there is room */
    if (nest && pick < 22) {
        uint32_t n = rng_below(g->rng, 7);
        g->buf[g->pos++] = '{';
        for (uint32_t i = 0; i < n; i++) {
            if (i) put(g, ", ");
            if (rng_below(g->rng, 4) == 0) gen_string(g);
            else { g->buf[g->pos++] = '"'; put(g, key_names[rng_below(g->rng, 20)]); g->buf[g->pos++] = '"'; }
            put(g, ": ");
            gen_value(g, depth + 1);
        }
        g->buf[g->pos++] = '}';
    } else if (nest && pick < 38) {
        uint32_t n = rng_below(g->rng, 8);
        g->buf[g->pos++] = '[';
        for (uint32_t i = 0; i < n; i++) {
            if (i) g->buf[g->pos++] = ',';
            gen_value(g, depth + 1);
        }
        g->buf[g->pos++] = ']';
    } else if (pick < 70) {
        char num[24];
        int64_t v = (int64_t)rng_below(g->rng, 1u << (1 + rng_below(g->rng, 31)));
        if (rng_below(g->rng, 3) == 0) v = -v;
        snprintf(num, sizeof num, "%lld", (long long)v);
        put(g, num);
    } else if (pick < 92) {
        gen_string(g);
    } else if (pick < 95) {
        put(g, "true");
    } else if (pick < 98) {
        put(g, "false");
    } else {
        put(g, "null");
    }
}

static size_t generate(bench_rng *rng)
{
    gen g = { doc, 0, rng };
    put(&g, "[\n");
    int first = 1;
    while (g.pos < DOC_TARGET) {
        if (!first) put(&g, ",\n");
        first = 0;
        gen_value(&g, 0);
    }
    put(&g, "\n]\n");
    doc[g.pos] = '\0';
    return g.pos;
}

/* ---- parser ---- */

static json *parse_value(const char **p);

static void skip_ws(const char **p)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') s++;
    *p = s;
}

static json *new_node(int type)
{
    json *j = calloc(1, sizeof *j);
    j->type = type;
    return j;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parses a string literal at *p (which points at the opening quote); returns a malloc'ed,
 * NUL-terminated copy with escapes decoded (\u as UTF-8), or NULL on error. */
static char *parse_string(const char **p, size_t *out_len)
{
    const char *s = *p;
    if (*s != '"') return NULL;
    s++;
    size_t cap = 16, len = 0;
    char *out = malloc(cap);
    for (;;) {
        char c = *s++;
        if (c == '\0') { free(out); return NULL; }
        if (c == '"') break;
        if (len + 4 >= cap) { cap *= 2; out = realloc(out, cap); }
        if (c != '\\') { out[len++] = c; continue; }
        c = *s++;
        switch (c) {
        case '"': out[len++] = '"'; break;
        case '\\': out[len++] = '\\'; break;
        case '/': out[len++] = '/'; break;
        case 'n': out[len++] = '\n'; break;
        case 't': out[len++] = '\t'; break;
        case 'r': out[len++] = '\r'; break;
        case 'b': out[len++] = '\b'; break;
        case 'f': out[len++] = '\f'; break;
        case 'u': {
            uint32_t cp = 0;
            for (int i = 0; i < 4; i++) {
                int d = hex_digit(*s++);
                if (d < 0) { free(out); return NULL; }
                cp = cp << 4 | (uint32_t)d;
            }
            if (cp < 0x80) {
                out[len++] = (char)cp;
            } else if (cp < 0x800) {
                out[len++] = (char)(0xC0 | cp >> 6);
                out[len++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[len++] = (char)(0xE0 | cp >> 12);
                out[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[len++] = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default: free(out); return NULL;
        }
    }
    out[len] = '\0';
    *out_len = len;
    *p = s;
    return out;
}

static json *parse_number(const char **p)
{
    const char *s = *p;
    int neg = 0;
    if (*s == '-') { neg = 1; s++; }
    if (*s < '0' || *s > '9') return NULL;
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (uint64_t)(*s++ - '0');
    json *j = new_node(J_NUM);
    j->u.num = neg ? -(int64_t)v : (int64_t)v;
    *p = s;
    return j;
}

static void free_json(json *j);

static json *parse_array(const char **p)
{
    json *j = new_node(J_ARR);
    (*p)++;   /* '[' */
    skip_ws(p);
    if (**p == ']') { (*p)++; return j; }
    for (;;) {
        json *v = parse_value(p);
        if (!v) { free_json(j); return NULL; }
        if (j->u.arr.n == j->u.arr.cap) {
            j->u.arr.cap = j->u.arr.cap ? j->u.arr.cap * 2 : 4;
            j->u.arr.items = realloc(j->u.arr.items, j->u.arr.cap * sizeof *j->u.arr.items);
        }
        j->u.arr.items[j->u.arr.n++] = v;
        skip_ws(p);
        if (**p == ',') { (*p)++; continue; }
        if (**p == ']') { (*p)++; return j; }
        free_json(j);
        return NULL;
    }
}

static json *parse_object(const char **p)
{
    json *j = new_node(J_OBJ);
    (*p)++;   /* '{' */
    skip_ws(p);
    if (**p == '}') { (*p)++; return j; }
    for (;;) {
        size_t klen;
        skip_ws(p);
        char *key = parse_string(p, &klen);
        if (!key) { free_json(j); return NULL; }
        skip_ws(p);
        if (**p != ':') { free(key); free_json(j); return NULL; }
        (*p)++;
        json *v = parse_value(p);
        if (!v) { free(key); free_json(j); return NULL; }
        if (j->u.obj.n == j->u.obj.cap) {
            j->u.obj.cap = j->u.obj.cap ? j->u.obj.cap * 2 : 4;
            j->u.obj.keys = realloc(j->u.obj.keys, j->u.obj.cap * sizeof *j->u.obj.keys);
            j->u.obj.vals = realloc(j->u.obj.vals, j->u.obj.cap * sizeof *j->u.obj.vals);
        }
        j->u.obj.keys[j->u.obj.n] = key;
        j->u.obj.vals[j->u.obj.n++] = v;
        skip_ws(p);
        if (**p == ',') { (*p)++; continue; }
        if (**p == '}') { (*p)++; return j; }
        free_json(j);
        return NULL;
    }
}

static int match_word(const char **p, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(*p, w, n) != 0) return 0;
    *p += n;
    return 1;
}

static json *parse_value(const char **p)
{
    skip_ws(p);
    switch (**p) {
    case '{': return parse_object(p);
    case '[': return parse_array(p);
    case '"': {
        size_t len;
        char *s = parse_string(p, &len);
        if (!s) return NULL;
        json *j = new_node(J_STR);
        j->u.str.s = s;
        j->u.str.len = len;
        return j;
    }
    case 't': return match_word(p, "true") ? new_node(J_TRUE) : NULL;
    case 'f': return match_word(p, "false") ? new_node(J_FALSE) : NULL;
    case 'n': return match_word(p, "null") ? new_node(J_NULL) : NULL;
    default: return parse_number(p);
    }
}

/* ---- walk and free ---- */

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) { h ^= (uint8_t)s[i]; h *= 0x100000001B3ULL; }
    return h;
}

static uint64_t walk(const json *j, uint64_t h, int depth, uint32_t *nodes)
{
    (*nodes)++;
    h = mix64(h, (uint64_t)j->type * 131 + (uint64_t)depth);
    switch (j->type) {
    case J_NUM: h = mix64(h, (uint64_t)j->u.num); break;
    case J_STR: h = hash_bytes(h, j->u.str.s, j->u.str.len); break;
    case J_ARR:
        for (size_t i = 0; i < j->u.arr.n; i++)
            h = walk(j->u.arr.items[i], h, depth + 1, nodes);
        break;
    case J_OBJ:
        for (size_t i = 0; i < j->u.obj.n; i++) {
            h = hash_bytes(h, j->u.obj.keys[i], strlen(j->u.obj.keys[i]));
            h = walk(j->u.obj.vals[i], h, depth + 1, nodes);
        }
        break;
    default: break;
    }
    return h;
}

static void free_json(json *j)
{
    switch (j->type) {
    case J_STR: free(j->u.str.s); break;
    case J_ARR:
        for (size_t i = 0; i < j->u.arr.n; i++) free_json(j->u.arr.items[i]);
        free(j->u.arr.items);
        break;
    case J_OBJ:
        for (size_t i = 0; i < j->u.obj.n; i++) { free(j->u.obj.keys[i]); free_json(j->u.obj.vals[i]); }
        free(j->u.obj.keys);
        free(j->u.obj.vals);
        break;
    default: break;
    }
    free(j);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 44);
    bench_rng rng = { 0x5DEECE66DULL };
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    uint32_t nodes = 0;
    size_t len = 0;
    for (int r = 0; r < scale; r++) {
        len = generate(&rng);
        const char *p = doc;
        json *root = parse_value(&p);
        skip_ws(&p);
        if (!root || *p != '\0') {
            printf("json_parse: parse error at offset %zu in repetition %d\n", (size_t)(p - doc), r);
            return 1;
        }
        nodes = 0;
        h = walk(root, h, 0, &nodes);
        h = mix64(h, nodes);
        free_json(root);
    }
    bench_report(start);
    printf("json_parse doc=%zu reps=%d nodes=%u checksum=%016llx\n", len, scale, nodes, (unsigned long long)h);
    return 0;
}
