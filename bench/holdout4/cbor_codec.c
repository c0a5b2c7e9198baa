/* cbor_codec — CBOR (RFC 8949) encoder, decoder and diagnostic printer over generated documents.
 * bench-cflags: -Os
 *
 * Documents are trees of unsigned/negative integers, byte and text strings, arrays (some
 * indefinite-length), maps with text keys, tags, simple values and doubles (encoded in 4 bytes when
 * exact as float). Each round encodes every document with minimal-length heads, decodes it into a
 * fresh node arena with bounds checks, compares the trees, re-encodes and compares bytes, rejects a
 * truncated copy, runs a key-path query and renders diagnostic notation. */
#include "../programs/bench.h"

enum { T_UINT, T_NEG, T_BYTES, T_TEXT, T_ARRAY, T_MAP, T_TAG, T_SIMPLE, T_FLOAT };

typedef struct {
    uint8_t type, indef;
    uint32_t n;     /* string length, array length, map pair count */
    uint32_t ref;   /* string: offset into bytes; array/map/tag: first index into kids */
    uint64_t u;     /* integer magnitude, tag number, simple value, double bits */
} node;

typedef struct {
    node *nodes; uint32_t n_nodes, cap_nodes;
    uint32_t *kids; uint32_t n_kids, cap_kids;
    uint8_t *bytes; uint32_t n_bytes, cap_bytes;
} tree;

static int tree_init(tree *t, uint32_t nodes, uint32_t kids, uint32_t bytes)
{
    t->nodes = malloc(sizeof(node) * nodes);
    t->kids = malloc(sizeof(uint32_t) * kids);
    t->bytes = malloc(bytes);
    t->cap_nodes = nodes; t->cap_kids = kids; t->cap_bytes = bytes;
    t->n_nodes = t->n_kids = t->n_bytes = 0;
    return t->nodes && t->kids && t->bytes;
}

static void tree_free(tree *t) { free(t->nodes); free(t->kids); free(t->bytes); }

static int64_t new_node(tree *t, uint8_t type)
{
    if (t->n_nodes >= t->cap_nodes) return -1;
    node *n = &t->nodes[t->n_nodes];
    memset(n, 0, sizeof *n);
    n->type = type;
    return t->n_nodes++;
}

/* ---------- generation ---------- */
static const char *keys[] = { "id", "name", "email", "tags", "score", "ratio", "created", "children", "payload",
                              "active", "owner", "version", "meta", "counts", "delta", "label", "path", "flags" };
#define NKEYS (int)(sizeof keys / sizeof keys[0])

static uint32_t add_bytes(tree *t, const void *p, uint32_t n)
{
    uint32_t off = t->n_bytes;
    memcpy(t->bytes + off, p, n);
    t->n_bytes += n;
    return off;
}

static uint32_t gen_value(tree *t, bench_rng *r, int depth);

static uint32_t gen_text(tree *t, bench_rng *r, uint32_t maxlen)
{
    uint32_t id = (uint32_t)new_node(t, T_TEXT);
    uint32_t len = rng_below(r, maxlen + 1);
    char buf[128];
    for (uint32_t i = 0; i < len; i++) {
        uint32_t k = rng_below(r, 40);
        buf[i] = k < 26 ? (char)('a' + k) : k < 30 ? ' ' : k < 36 ? (char)('0' + k - 30) : "\"\\\n/"[k - 36];
    }
    t->nodes[id].n = len;
    t->nodes[id].ref = add_bytes(t, buf, len);
    return id;
}

static uint32_t gen_container(tree *t, bench_rng *r, int depth, int is_map)
{
    uint32_t id = (uint32_t)new_node(t, is_map ? T_MAP : T_ARRAY);
    uint32_t cnt = depth == 0 ? 16 + rng_below(r, 49) : 1 + rng_below(r, depth > 2 ? 4 : 9);
    uint32_t tmp[2 * 64];
    for (uint32_t i = 0; i < cnt; i++) {
        if (is_map) {
            uint32_t k = (uint32_t)new_node(t, T_TEXT);
            const char *ks = keys[rng_below(r, NKEYS)];
            t->nodes[k].n = (uint32_t)strlen(ks);
            t->nodes[k].ref = add_bytes(t, ks, t->nodes[k].n);
            tmp[2 * i] = k;
            tmp[2 * i + 1] = gen_value(t, r, depth + 1);
        } else {
            tmp[i] = gen_value(t, r, depth + 1);
        }
    }
    uint32_t nk = is_map ? 2 * cnt : cnt;
    t->nodes[id].n = cnt;
    t->nodes[id].ref = t->n_kids;
    t->nodes[id].indef = !is_map && rng_below(r, 6) == 0;
    memcpy(t->kids + t->n_kids, tmp, sizeof(uint32_t) * nk);
    t->n_kids += nk;
    return id;
}

static uint32_t gen_value(tree *t, bench_rng *r, int depth)
{
    uint32_t kind = rng_below(r, depth >= 5 ? 7 : 10);
    uint32_t id;
    switch (kind) {
    case 0: case 1:
        id = (uint32_t)new_node(t, T_UINT);
        switch (rng_below(r, 4)) {
        case 0: t->nodes[id].u = rng_below(r, 24); break;
        case 1: t->nodes[id].u = rng_below(r, 65536); break;
        case 2: t->nodes[id].u = rng_next(r) >> 32; break;
        default: t->nodes[id].u = rng_next(r) >> rng_below(r, 8); break;
        }
        return id;
    case 2:
        id = (uint32_t)new_node(t, T_NEG);
        t->nodes[id].u = rng_below(r, 2) ? rng_below(r, 1000) : rng_next(r) >> 3;
        return id;
    case 3: return gen_text(t, r, 40);
    case 4: {
        id = (uint32_t)new_node(t, T_BYTES);
        uint8_t buf[64];
        uint32_t len = rng_below(r, 65);
        for (uint32_t i = 0; i < len; i++) buf[i] = (uint8_t)rng_next(r);
        t->nodes[id].n = len;
        t->nodes[id].ref = add_bytes(t, buf, len);
        return id;
    }
    case 5: {
        id = (uint32_t)new_node(t, T_FLOAT);
        int32_t k = (int32_t)rng_below(r, 1u << 30) - (1 << 29);
        double v = rng_below(r, 2) ? (double)k / 1024.0 : (double)(k / 4096) / 4.0;
        memcpy(&t->nodes[id].u, &v, 8);
        return id;
    }
    case 6:
        id = (uint32_t)new_node(t, T_SIMPLE);
        t->nodes[id].u = 20 + rng_below(r, 3); /* false, true, null */
        return id;
    case 7: {
        id = (uint32_t)new_node(t, T_TAG);
        t->nodes[id].u = rng_below(r, 2) ? 1 : 32 + rng_below(r, 300);
        uint32_t c = gen_value(t, r, depth + 1);
        t->nodes[id].n = 1;
        t->nodes[id].ref = t->n_kids;
        t->kids[t->n_kids++] = c;
        return id;
    }
    case 8: return gen_container(t, r, depth, 0);
    default: return gen_container(t, r, depth, 1);
    }
}

/* ---------- encoding ---------- */
typedef struct { uint8_t *p; uint32_t n, cap; } obuf;

static void put_head(obuf *o, uint8_t major, uint64_t v)
{
    uint8_t *p = o->p + o->n;
    major <<= 5;
    if (v < 24) { p[0] = (uint8_t)(major | v); o->n += 1; }
    else if (v <= 0xff) { p[0] = major | 24; p[1] = (uint8_t)v; o->n += 2; }
    else if (v <= 0xffff) { p[0] = major | 25; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)v; o->n += 3; }
    else if (v <= 0xffffffffu) {
        p[0] = major | 26;
        for (int i = 0; i < 4; i++) p[1 + i] = (uint8_t)(v >> (24 - 8 * i));
        o->n += 5;
    } else {
        p[0] = major | 27;
        for (int i = 0; i < 8; i++) p[1 + i] = (uint8_t)(v >> (56 - 8 * i));
        o->n += 9;
    }
}

static void encode(const tree *t, uint32_t id, obuf *o)
{
    const node *n = &t->nodes[id];
    switch (n->type) {
    case T_UINT: put_head(o, 0, n->u); break;
    case T_NEG: put_head(o, 1, n->u); break;
    case T_BYTES: case T_TEXT:
        put_head(o, n->type == T_BYTES ? 2 : 3, n->n);
        memcpy(o->p + o->n, t->bytes + n->ref, n->n);
        o->n += n->n;
        break;
    case T_ARRAY:
        if (n->indef) o->p[o->n++] = 0x9f;
        else put_head(o, 4, n->n);
        for (uint32_t i = 0; i < n->n; i++) encode(t, t->kids[n->ref + i], o);
        if (n->indef) o->p[o->n++] = 0xff;
        break;
    case T_MAP:
        put_head(o, 5, n->n);
        for (uint32_t i = 0; i < 2 * n->n; i++) encode(t, t->kids[n->ref + i], o);
        break;
    case T_TAG:
        put_head(o, 6, n->u);
        encode(t, t->kids[n->ref], o);
        break;
    case T_SIMPLE: o->p[o->n++] = (uint8_t)(0xe0 | n->u); break;
    case T_FLOAT: {
        double d;
        memcpy(&d, &n->u, 8);
        float f = (float)d;
        if ((double)f == d) {
            uint32_t b;
            memcpy(&b, &f, 4);
            o->p[o->n++] = 0xfa;
            for (int i = 0; i < 4; i++) o->p[o->n++] = (uint8_t)(b >> (24 - 8 * i));
        } else {
            o->p[o->n++] = 0xfb;
            for (int i = 0; i < 8; i++) o->p[o->n++] = (uint8_t)(n->u >> (56 - 8 * i));
        }
        break;
    }
    }
}

/* ---------- decoding ---------- */
typedef struct { const uint8_t *p; uint32_t n, pos; } ibuf;

static int get_arg(ibuf *in, uint8_t info, uint64_t *v)
{
    if (info < 24) { *v = info; return 0; }
    int len = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : -1;
    if (len < 0 || in->pos + (uint32_t)len > in->n) return -1;
    uint64_t x = 0;
    for (int i = 0; i < len; i++) x = x << 8 | in->p[in->pos++];
    *v = x;
    return 0;
}

static int64_t decode(ibuf *in, tree *t, int depth)
{
    if (depth > 64 || in->pos >= in->n) return -1;
    uint8_t ib = in->p[in->pos++];
    uint8_t major = ib >> 5, info = ib & 31;
    uint64_t v = 0;
    int64_t id;
    if (major == 7) {
        if (info == 26 || info == 27) {
            int len = info == 26 ? 4 : 8;
            if (in->pos + (uint32_t)len > in->n) return -1;
            uint64_t x = 0;
            for (int i = 0; i < len; i++) x = x << 8 | in->p[in->pos++];
            double d;
            if (len == 4) {
                uint32_t b = (uint32_t)x;
                float f;
                memcpy(&f, &b, 4);
                d = f;
            } else {
                memcpy(&d, &x, 8);
            }
            if ((id = new_node(t, T_FLOAT)) < 0) return -1;
            memcpy(&t->nodes[id].u, &d, 8);
            return id;
        }
        if (info >= 24) return -1;
        if ((id = new_node(t, T_SIMPLE)) < 0) return -1;
        t->nodes[id].u = info;
        return id;
    }
    if (major == 4 && info == 31) {
        uint32_t tmp[128], cnt = 0;
        for (;;) {
            if (in->pos >= in->n) return -1;
            if (in->p[in->pos] == 0xff) { in->pos++; break; }
            int64_t c = decode(in, t, depth + 1);
            if (c < 0 || cnt >= 128) return -1;
            tmp[cnt++] = (uint32_t)c;
        }
        if ((id = new_node(t, T_ARRAY)) < 0 || t->n_kids + cnt > t->cap_kids) return -1;
        t->nodes[id].indef = 1;
        t->nodes[id].n = cnt;
        t->nodes[id].ref = t->n_kids;
        memcpy(t->kids + t->n_kids, tmp, sizeof(uint32_t) * cnt);
        t->n_kids += cnt;
        return id;
    }
    if (get_arg(in, info, &v) < 0) return -1;
    switch (major) {
    case 0: case 1:
        if ((id = new_node(t, major == 0 ? T_UINT : T_NEG)) < 0) return -1;
        t->nodes[id].u = v;
        return id;
    case 2: case 3:
        if (v > in->n - in->pos || t->n_bytes + v > t->cap_bytes) return -1;
        if ((id = new_node(t, major == 2 ? T_BYTES : T_TEXT)) < 0) return -1;
        t->nodes[id].n = (uint32_t)v;
        t->nodes[id].ref = add_bytes(t, in->p + in->pos, (uint32_t)v);
        in->pos += (uint32_t)v;
        return id;
    case 4: case 5: {
        uint64_t nk = major == 5 ? 2 * v : v;
        if (nk > 128) return -1;
        uint32_t tmp[128];
        for (uint32_t i = 0; i < nk; i++) {
            int64_t c = decode(in, t, depth + 1);
            if (c < 0) return -1;
            tmp[i] = (uint32_t)c;
        }
        if ((id = new_node(t, major == 5 ? T_MAP : T_ARRAY)) < 0 || t->n_kids + nk > t->cap_kids) return -1;
        t->nodes[id].n = (uint32_t)v;
        t->nodes[id].ref = t->n_kids;
        memcpy(t->kids + t->n_kids, tmp, sizeof(uint32_t) * nk);
        t->n_kids += (uint32_t)nk;
        return id;
    }
    case 6: {
        int64_t c = decode(in, t, depth + 1);
        if (c < 0 || (id = new_node(t, T_TAG)) < 0 || t->n_kids >= t->cap_kids) return -1;
        t->nodes[id].u = v;
        t->nodes[id].n = 1;
        t->nodes[id].ref = t->n_kids;
        t->kids[t->n_kids++] = (uint32_t)c;
        return id;
    }
    }
    return -1;
}

static int tree_equal(const tree *a, uint32_t x, const tree *b, uint32_t y)
{
    const node *p = &a->nodes[x], *q = &b->nodes[y];
    if (p->type != q->type || p->n != q->n || p->indef != q->indef) return 0;
    switch (p->type) {
    case T_BYTES: case T_TEXT: return memcmp(a->bytes + p->ref, b->bytes + q->ref, p->n) == 0;
    case T_ARRAY: case T_MAP: case T_TAG: {
        if (p->type == T_TAG && p->u != q->u) return 0;
        uint32_t k = p->type == T_MAP ? 2 * p->n : p->n;
        for (uint32_t i = 0; i < k; i++)
            if (!tree_equal(a, a->kids[p->ref + i], b, b->kids[q->ref + i])) return 0;
        return 1;
    }
    default: return p->u == q->u;
    }
}

/* sum of integer values stored under the key `key` anywhere; count of matches */
static void query(const tree *t, uint32_t id, const char *key, uint32_t klen, uint64_t *sum, uint32_t *hits)
{
    const node *n = &t->nodes[id];
    if (n->type == T_MAP) {
        for (uint32_t i = 0; i < n->n; i++) {
            const node *k = &t->nodes[t->kids[n->ref + 2 * i]];
            uint32_t vid = t->kids[n->ref + 2 * i + 1];
            if (k->n == klen && memcmp(t->bytes + k->ref, key, klen) == 0) {
                const node *v = &t->nodes[vid];
                (*hits)++;
                if (v->type == T_UINT) *sum += v->u;
                else if (v->type == T_NEG) *sum -= v->u + 1;
            }
            query(t, vid, key, klen, sum, hits);
        }
    } else if (n->type == T_ARRAY || n->type == T_TAG) {
        for (uint32_t i = 0; i < n->n; i++) query(t, t->kids[n->ref + i], key, klen, sum, hits);
    }
}

/* ---------- diagnostic notation ---------- */
static char *put_u64(char *s, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) *s++ = tmp[--n];
    return s;
}

static char *diag(const tree *t, uint32_t id, char *s)
{
    const node *n = &t->nodes[id];
    switch (n->type) {
    case T_UINT: return put_u64(s, n->u);
    case T_NEG:
        *s++ = '-';
        if (n->u == UINT64_MAX) { memcpy(s, "18446744073709551616", 20); return s + 20; }
        return put_u64(s, n->u + 1);
    case T_BYTES:
        *s++ = 'h'; *s++ = '\'';
        for (uint32_t i = 0; i < n->n; i++) {
            uint8_t b = t->bytes[n->ref + i];
            *s++ = "0123456789abcdef"[b >> 4];
            *s++ = "0123456789abcdef"[b & 15];
        }
        *s++ = '\'';
        return s;
    case T_TEXT:
        *s++ = '"';
        for (uint32_t i = 0; i < n->n; i++) {
            char c = (char)t->bytes[n->ref + i];
            if (c == '"' || c == '\\') { *s++ = '\\'; *s++ = c; }
            else if (c == '\n') { *s++ = '\\'; *s++ = 'n'; }
            else *s++ = c;
        }
        *s++ = '"';
        return s;
    case T_ARRAY: case T_MAP: {
        int map = n->type == T_MAP;
        *s++ = map ? '{' : '[';
        if (n->indef) { *s++ = '_'; *s++ = ' '; }
        uint32_t k = map ? 2 * n->n : n->n;
        for (uint32_t i = 0; i < k; i++) {
            if (i) { *s++ = map && (i & 1) ? ':' : ','; *s++ = ' '; }
            s = diag(t, t->kids[n->ref + i], s);
        }
        *s++ = map ? '}' : ']';
        return s;
    }
    case T_TAG:
        s = put_u64(s, n->u);
        *s++ = '(';
        s = diag(t, t->kids[n->ref], s);
        *s++ = ')';
        return s;
    case T_SIMPLE: {
        const char *w = n->u == 20 ? "false" : n->u == 21 ? "true" : n->u == 22 ? "null" : "simple";
        size_t l = strlen(w);
        memcpy(s, w, l);
        return s + l;
    }
    default: {
        /* generated doubles are dyadic with at most 10 fraction bits: exact decimal expansion */
        double d;
        memcpy(&d, &n->u, 8);
        if (d < 0) { *s++ = '-'; d = -d; }
        uint64_t ip = (uint64_t)d;
        double fr = d - (double)ip;
        s = put_u64(s, ip);
        *s++ = '.';
        int digits = 0;
        do {
            fr *= 10.0;
            int dg = (int)fr;
            *s++ = (char)('0' + dg);
            fr -= dg;
        } while (fr != 0.0 && ++digits < 12);
        return s;
    }
    }
}

#define NDOCS 160

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 150);
    bench_rng rng = { 0x63626f72636f6465ULL };
    tree src, dec;
    if (!tree_init(&src, 1u << 20, 1u << 20, 16u << 20) || !tree_init(&dec, 1u << 18, 1u << 18, 4u << 20)) return 1;
    uint32_t roots[NDOCS];
    for (int i = 0; i < NDOCS; i++) roots[i] = gen_container(&src, &rng, 0, (int)(i % 3 != 0));
    obuf o1 = { malloc(8u << 20), 0, 8u << 20 }, o2 = { malloc(8u << 20), 0, 8u << 20 };
    char *text = malloc(32u << 20);
    if (!o1.p || !o2.p || !text) return 1;

    double start = bench_now();
    uint64_t h = 0, total_bytes = 0, total_diag = 0;
    for (int round = 0; round < scale; round++) {
        for (int i = 0; i < NDOCS; i++) {
            o1.n = 0;
            encode(&src, roots[i], &o1);
            dec.n_nodes = dec.n_kids = dec.n_bytes = 0;
            ibuf in = { o1.p, o1.n, 0 };
            int64_t r = decode(&in, &dec, 0);
            if (r < 0 || in.pos != o1.n) { fprintf(stderr, "decode failed doc %d\n", i); return 1; }
            if (!tree_equal(&src, roots[i], &dec, (uint32_t)r)) { fprintf(stderr, "tree mismatch doc %d\n", i); return 1; }
            o2.n = 0;
            encode(&dec, (uint32_t)r, &o2);
            if (o2.n != o1.n || memcmp(o1.p, o2.p, o1.n) != 0) { fprintf(stderr, "re-encode mismatch doc %d\n", i); return 1; }
            ibuf cut = { o1.p, o1.n - 1 - (uint32_t)((unsigned)(round + i) % (o1.n / 2 + 1)), 0 };
            dec.n_nodes = dec.n_kids = dec.n_bytes = 0;
            if (decode(&cut, &dec, 0) >= 0 && cut.pos == cut.n) { fprintf(stderr, "truncation accepted doc %d\n", i); return 1; }
            uint64_t sum = 0;
            uint32_t hits = 0;
            const char *key = keys[(round + i) % NKEYS];
            query(&src, roots[i], key, (uint32_t)strlen(key), &sum, &hits);
            char *end = diag(&src, roots[i], text);
            uint32_t dlen = (uint32_t)(end - text);
            uint32_t dh = 2166136261u;
            for (uint32_t k = 0; k < dlen; k++) { dh ^= (uint8_t)text[k]; dh *= 16777619u; }
            total_bytes += o1.n;
            total_diag += dlen;
            h = mix64(h, (uint64_t)o1.n << 32 | dlen);
            h = mix64(h, sum ^ (uint64_t)hits << 48);
            h = mix64(h, dh);
            h = mix64(h, (uint64_t)o1.p[o1.n / 2] << 8 | o1.p[o1.n - 1]);
        }
    }
    bench_report(start);
    printf("cbor_codec docs=%d rounds=%d cbor_bytes=%llu diag_chars=%llu checksum=%016llx\n", NDOCS, scale,
           (unsigned long long)total_bytes, (unsigned long long)total_diag, (unsigned long long)h);
    tree_free(&src); tree_free(&dec); free(o1.p); free(o2.p); free(text);
    return 0;
}
