/* http_parse.c — an incremental HTTP/1.1 request parser and router.
 *
 * Pipelined request streams are generated from structured records: percent-encoded path
 * segments with dot-segment and empty-segment noise, form-encoded query strings, headers with
 * random name case and optional whitespace, bodies sent with Content-Length or chunked transfer
 * coding (hex sizes in either case, chunk extensions, trailers). The parser is a state machine
 * fed network-sized pieces: request and header lines are gathered with memchr/memcpy into a
 * line buffer, split with strchr, methods looked up with strcmp, content lengths read with
 * strtol; paths are split, decoded and normalised, queries decoded, headers lower-cased and
 * trimmed, chunked bodies de-chunked. Requests are routed through a segment trie with static,
 * parameter and wildcard children, and answered with snprintf-built responses. Every parsed
 * request is compared with its record, the same stream fed in one piece must give the same
 * result, and corrupted requests must be rejected.
 */
// bench-cflags: -Os
#include "../programs/bench.h"

#define MAX_SEGS 24
#define SEG_LEN 40
#define MAX_QUERY 12
#define QK_LEN 24
#define QV_LEN 48
#define MAX_HDRS 24
#define HN_LEN 32
#define HV_LEN 96
#define MAX_BODY 4096
#define LINE_MAX_LEN 4096

static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };
#define NMETHODS 7

typedef struct {
    int method;
    int nseg;
    char seg[MAX_SEGS][SEG_LEN];
    int nq;
    char qk[MAX_QUERY][QK_LEN], qv[MAX_QUERY][QV_LEN];
    int nh;
    char hn[MAX_HDRS][HN_LEN], hv[MAX_HDRS][HV_LEN];
    int body_len;
    uint8_t body[MAX_BODY];
    int route; /* expected route, -1 for none */
} request_t;

static int failures;

/* ---------- character helpers ---------- */

static int is_unreserved(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static int is_tchar(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int ieq(const char *a, const char *b)
{
    while (*a && *b && lower((unsigned char)*a) == lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == 0 && *b == 0;
}

/* ---------- router: a trie of path segments ---------- */

typedef struct rnode {
    char seg[SEG_LEN];
    struct rnode *child, *sibling; /* static children */
    struct rnode *param;           /* ":name" child */
    int wildcard_route;            /* "*name" terminal, -1 if none */
    int route;                     /* route ending here, -1 if none */
} rnode_t;

static rnode_t *rnode_new(const char *seg)
{
    rnode_t *n = calloc(1, sizeof *n);
    snprintf(n->seg, sizeof n->seg, "%s", seg);
    n->wildcard_route = -1;
    n->route = -1;
    return n;
}

static void router_add(rnode_t *root, const char *pattern, int route)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", pattern);
    rnode_t *n = root;
    char *p = buf + 1;
    while (*p) {
        char *slash = strchr(p, '/');
        if (slash)
            *slash = 0;
        if (*p == ':') {
            if (!n->param)
                n->param = rnode_new(p);
            n = n->param;
        } else if (*p == '*') {
            n->wildcard_route = route;
            return;
        } else {
            rnode_t *c = n->child;
            while (c && strcmp(c->seg, p) != 0)
                c = c->sibling;
            if (!c) {
                c = rnode_new(p);
                c->sibling = n->child;
                n->child = c;
            }
            n = c;
        }
        if (!slash)
            break;
        p = slash + 1;
    }
    n->route = route;
}

/* match with backtracking; static children take precedence over parameters */
static int router_match(const rnode_t *n, const char (*segs)[SEG_LEN], int nseg, int i, int *params, int *nparams)
{
    if (i == nseg) {
        if (n->route >= 0)
            return n->route;
        return -1;
    }
    for (const rnode_t *c = n->child; c; c = c->sibling) {
        if (strcmp(c->seg, segs[i]) == 0) {
            int r = router_match(c, segs, nseg, i + 1, params, nparams);
            if (r >= 0)
                return r;
        }
    }
    if (n->param) {
        int save = *nparams;
        params[(*nparams)++] = i;
        int r = router_match(n->param, segs, nseg, i + 1, params, nparams);
        if (r >= 0)
            return r;
        *nparams = save;
    }
    if (n->wildcard_route >= 0) {
        params[(*nparams)++] = i;
        return n->wildcard_route;
    }
    return -1;
}

static void router_free(rnode_t *n)
{
    if (!n)
        return;
    router_free(n->child);
    router_free(n->sibling);
    router_free(n->param);
    free(n);
}

static const char *const route_patterns[] = {
    "/health", "/api/v1/users/:id", "/api/v1/users/:id/posts/:pid", "/api/v1/users/me",
    "/static/*rest", "/api/v1/search", "/files/:name/raw", "/api/v2/:kind/:id/history",
};
#define NROUTES 8

/* ---------- parser ---------- */

enum { S_REQLINE, S_HEADERS, S_BODY, S_CHUNK_SIZE, S_CHUNK_DATA, S_CHUNK_END, S_TRAILERS, S_ERROR };

typedef struct {
    int state;
    char line[LINE_MAX_LEN + 2];
    int line_len;
    long remaining; /* body or chunk bytes still to read */
    int chunked, have_cl;
    request_t req; /* request being parsed */
    int completed;
    void (*on_request)(const request_t *req, void *ctx);
    void *ctx;
} parser_t;

static void parser_reset(parser_t *p)
{
    p->state = S_REQLINE;
    p->line_len = 0;
    p->remaining = 0;
    p->chunked = p->have_cl = 0;
    p->req.nseg = p->req.nq = p->req.nh = p->req.body_len = 0;
}

/* percent-decode src[0..n) into dst; plus_space turns '+' into ' '. Returns length or -1. */
static int pct_decode(const char *s, int n, char *dst, int cap, int plus_space)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int a = hexval((unsigned char)s[i + 1]), b = hexval((unsigned char)s[i + 2]);
            if (a < 0 || b < 0)
                return -1;
            c = a * 16 + b;
            if (c == 0)
                return -1;
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        }
        if (k + 1 >= cap)
            return -1;
        dst[k++] = (char)c;
    }
    dst[k] = 0;
    return k;
}

static int parse_target(parser_t *p, char *target)
{
    request_t *r = &p->req;
    if (target[0] != '/')
        return -1;
    char *q = strchr(target, '?');
    if (q)
        *q++ = 0;
    /* path: split on '/', drop empty and "." segments, ".." pops */
    char *s = target + 1;
    for (;;) {
        char *slash = strchr(s, '/');
        int len = slash ? (int)(slash - s) : (int)strlen(s);
        if (len == 0 || (len == 1 && s[0] == '.')) {
            /* skip */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (r->nseg > 0)
                r->nseg--;
        } else {
            if (r->nseg == MAX_SEGS)
                return -1;
            if (pct_decode(s, len, r->seg[r->nseg], SEG_LEN, 0) < 0)
                return -1;
            r->nseg++;
        }
        if (!slash)
            break;
        s = slash + 1;
    }
    /* query: k=v pairs separated by '&' */
    while (q && *q) {
        char *amp = strchr(q, '&');
        if (amp)
            *amp = 0;
        char *eq = strchr(q, '=');
        if (r->nq == MAX_QUERY)
            return -1;
        int kl = eq ? (int)(eq - q) : (int)strlen(q);
        if (pct_decode(q, kl, r->qk[r->nq], QK_LEN, 1) < 0)
            return -1;
        if (eq) {
            if (pct_decode(eq + 1, (int)strlen(eq + 1), r->qv[r->nq], QV_LEN, 1) < 0)
                return -1;
        } else {
            r->qv[r->nq][0] = 0;
        }
        r->nq++;
        q = amp ? amp + 1 : NULL;
    }
    return 0;
}

static int parse_request_line(parser_t *p)
{
    char *line = p->line;
    char *sp1 = strchr(line, ' ');
    if (!sp1)
        return -1;
    *sp1 = 0;
    char *target = sp1 + 1;
    char *sp2 = strchr(target, ' ');
    if (!sp2)
        return -1;
    *sp2 = 0;
    const char *version = sp2 + 1;
    p->req.method = -1;
    for (int i = 0; i < NMETHODS; i++)
        if (strcmp(line, methods[i]) == 0)
            p->req.method = i;
    if (p->req.method < 0)
        return -1;
    if (strcmp(version, "HTTP/1.1") != 0 && strcmp(version, "HTTP/1.0") != 0)
        return -1;
    return parse_target(p, target);
}

static int parse_header_line(parser_t *p, int trailer)
{
    request_t *r = &p->req;
    char *colon = strchr(p->line, ':');
    if (!colon || colon == p->line)
        return -1;
    *colon = 0;
    for (char *c = p->line; *c; c++) {
        if (!is_tchar((unsigned char)*c))
            return -1;
        *c = (char)lower((unsigned char)*c);
    }
    char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    int vl = (int)strlen(v);
    while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
        vl--;
    v[vl] = 0;
    if (r->nh == MAX_HDRS || strlen(p->line) >= HN_LEN || vl >= HV_LEN)
        return -1;
    memcpy(r->hn[r->nh], p->line, strlen(p->line) + 1);
    memcpy(r->hv[r->nh], v, (size_t)vl + 1);
    r->nh++;
    if (trailer)
        return 0;
    if (strcmp(p->line, "content-length") == 0) {
        char *end;
        if (*v < '0' || *v > '9' || p->have_cl)
            return -1;
        long n = strtol(v, &end, 10);
        if (*end || n > MAX_BODY)
            return -1;
        p->have_cl = 1;
        p->remaining = n;
    } else if (strcmp(p->line, "transfer-encoding") == 0) {
        if (!ieq(v, "chunked"))
            return -1;
        p->chunked = 1;
    }
    return 0;
}

static void finish(parser_t *p)
{
    p->completed++;
    if (p->on_request)
        p->on_request(&p->req, p->ctx);
    parser_reset(p);
}

static int append_body(parser_t *p, const uint8_t *data, size_t n)
{
    if (p->req.body_len + (long)n > MAX_BODY)
        return -1;
    memcpy(p->req.body + p->req.body_len, data, n);
    p->req.body_len += (int)n;
    return 0;
}

/* handle one complete line (without CRLF) according to the state */
static void on_line(parser_t *p)
{
    switch (p->state) {
    case S_REQLINE:
        if (p->line_len == 0)
            return; /* tolerate empty lines between requests */
        p->state = parse_request_line(p) < 0 ? S_ERROR : S_HEADERS;
        return;
    case S_HEADERS:
        if (p->line_len == 0) {
            if (p->chunked && p->have_cl) {
                p->state = S_ERROR;
            } else if (p->chunked) {
                p->state = S_CHUNK_SIZE;
            } else if (p->remaining > 0) {
                p->state = S_BODY;
            } else {
                finish(p);
            }
            return;
        }
        if (parse_header_line(p, 0) < 0)
            p->state = S_ERROR;
        return;
    case S_CHUNK_SIZE: {
        char *semi = strchr(p->line, ';');
        if (semi)
            *semi = 0;
        long n = 0;
        if (!p->line[0])
            goto bad;
        for (char *c = p->line; *c; c++) {
            int h = hexval((unsigned char)*c);
            if (h < 0 || n > MAX_BODY)
                goto bad;
            n = n * 16 + h;
        }
        if (n == 0) {
            p->state = S_TRAILERS;
        } else {
            p->remaining = n;
            p->state = S_CHUNK_DATA;
        }
        return;
    }
    case S_CHUNK_END:
        if (p->line_len != 0)
            goto bad;
        p->state = S_CHUNK_SIZE;
        return;
    case S_TRAILERS:
        if (p->line_len == 0) {
            finish(p);
            return;
        }
        if (parse_header_line(p, 1) < 0)
            goto bad;
        return;
    default:
        return;
    }
bad:
    p->state = S_ERROR;
}

/* feed bytes; returns 0, or -1 once the stream is in error */
static int parser_feed(parser_t *p, const uint8_t *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (p->state == S_ERROR)
            return -1;
        if (p->state == S_BODY || p->state == S_CHUNK_DATA) {
            size_t n = len - i;
            if ((long)n > p->remaining)
                n = (size_t)p->remaining;
            if (append_body(p, data + i, n) < 0) {
                p->state = S_ERROR;
                return -1;
            }
            i += n;
            p->remaining -= (long)n;
            if (p->remaining == 0) {
                if (p->state == S_BODY)
                    finish(p);
                else
                    p->state = S_CHUNK_END;
            }
            continue;
        }
        const uint8_t *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
        if (p->line_len + (long)n > LINE_MAX_LEN) {
            p->state = S_ERROR;
            return -1;
        }
        memcpy(p->line + p->line_len, data + i, n);
        p->line_len += (int)n;
        i += n;
        if (!nl)
            break;
        i++; /* the '\n' */
        if (p->line_len == 0 || p->line[p->line_len - 1] != '\r') {
            p->state = S_ERROR;
            return -1;
        }
        p->line[--p->line_len] = 0;
        if (memchr(p->line, 0, (size_t)p->line_len)) {
            p->state = S_ERROR;
            return -1;
        }
        on_line(p);
        p->line_len = 0;
    }
    return p->state == S_ERROR ? -1 : 0;
}

/* ---------- request generator and encoder ---------- */

static const char *const header_names[] = {
    "User-Agent", "Accept", "Accept-Language", "Cache-Control", "X-Request-Id", "Cookie",
    "Referer", "X-Forwarded-For", "Authorization", "If-None-Match", "Origin", "DNT",
};
#define NHEADER_NAMES 12

static void rand_seg(bench_rng *g, char *out, int maxlen, int plain)
{
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789-_.~";
    static const char special[] = " /?#%&=+:@!$'()*,;[]\"<>\\^`{|}";
    int len;
    do {
        len = 1 + (int)rng_below(g, (uint32_t)maxlen - 1);
        for (int i = 0; i < len; i++) {
            uint32_t k = rng_below(g, 100);
            if (plain || k < 75)
                out[i] = alpha[rng_below(g, sizeof alpha - 1)];
            else if (k < 92)
                out[i] = special[rng_below(g, sizeof special - 1)];
            else
                out[i] = (char)(0x80 + rng_below(g, 0x7F));
        }
        out[len] = 0;
    } while (strcmp(out, ".") == 0 || strcmp(out, "..") == 0 || strcmp(out, "me") == 0);
}

static void gen_request(request_t *r, bench_rng *g)
{
    memset(r, 0, sizeof *r);
    r->method = (int)rng_below(g, NMETHODS);
    int kind = (int)rng_below(g, NROUTES + 2);
    char a[SEG_LEN], b[SEG_LEN];
    rand_seg(g, a, 16, 0);
    rand_seg(g, b, 12, 0);
#define SEGS(...)                                                         \
    do {                                                                  \
        const char *s_[] = { __VA_ARGS__ };                               \
        r->nseg = (int)(sizeof s_ / sizeof s_[0]);                        \
        for (int i_ = 0; i_ < r->nseg; i_++)                              \
            snprintf(r->seg[i_], SEG_LEN, "%s", s_[i_]);                  \
    } while (0)
    switch (kind) {
    case 0: SEGS("health"); break;
    case 1: SEGS("api", "v1", "users", a); break;
    case 2: SEGS("api", "v1", "users", a, "posts", b); break;
    case 3: SEGS("api", "v1", "users", "me"); break;
    case 4: {
        SEGS("static");
        int extra = 1 + (int)rng_below(g, 5);
        for (int i = 0; i < extra; i++)
            rand_seg(g, r->seg[r->nseg++], 20, i & 1);
        break;
    }
    case 5: SEGS("api", "v1", "search"); break;
    case 6: SEGS("files", a, "raw"); break;
    case 7: SEGS("api", "v2", b, a, "history"); break;
    default: {
        SEGS("x-unrouted");
        int extra = (int)rng_below(g, 6);
        for (int i = 0; i < extra; i++)
            rand_seg(g, r->seg[r->nseg++], 16, 0);
        kind = -1;
        break;
    }
    }
#undef SEGS
    r->route = kind;
    r->nq = (int)rng_below(g, 5);
    if (kind == 5)
        r->nq += 2;
    for (int i = 0; i < r->nq; i++) {
        rand_seg(g, r->qk[i], 10, 0);
        rand_seg(g, r->qv[i], 30, 0);
        if (rng_below(g, 6) == 0)
            r->qv[i][0] = 0; /* empty value */
    }
    /* headers: Host first, then a few others, then the body framing header */
    snprintf(r->hn[0], HN_LEN, "host");
    snprintf(r->hv[0], HV_LEN, "svc%u.example.net:%u", rng_below(g, 20), 8000 + rng_below(g, 100));
    r->nh = 1;
    int extra = (int)rng_below(g, 9);
    for (int i = 0; i < extra; i++) {
        const char *name = header_names[rng_below(g, NHEADER_NAMES)];
        int k = 0;
        for (; name[k]; k++)
            r->hn[r->nh][k] = (char)lower((unsigned char)name[k]);
        r->hn[r->nh][k] = 0;
        int vl = 1 + (int)rng_below(g, 70);
        for (int j = 0; j < vl; j++)
            r->hv[r->nh][j] = (char)(33 + rng_below(g, 94));
        for (int j = 1; j + 1 < vl; j++)
            if (rng_below(g, 8) == 0)
                r->hv[r->nh][j] = ' ';
        r->hv[r->nh][vl] = 0;
        r->nh++;
    }
    int has_body = r->method == 1 || r->method == 2 || r->method == 4 || rng_below(g, 8) == 0;
    if (has_body) {
        r->body_len = (int)rng_below(g, MAX_BODY / 2);
        for (int i = 0; i < r->body_len; i++)
            r->body[i] = (uint8_t)rng_next(g);
    }
}

typedef struct {
    uint8_t *p;
    size_t len, cap;
} buf_t;

static void put(buf_t *b, const void *data, size_t n)
{
    if (n == 0)
        return;
    if (b->len + n > b->cap) {
        while (b->len + n > b->cap)
            b->cap = b->cap ? 2 * b->cap : 4096;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }

static void put_encoded(buf_t *b, const char *s, int query, bench_rng *g)
{
    static const char hexu[] = "0123456789ABCDEF", hexl[] = "0123456789abcdef";
    for (; *s; s++) {
        int c = (unsigned char)*s;
        int raw = is_unreserved(c) || (!query && c && strchr("!$'()*,;:@", c) != NULL);
        if (query && c == ' ' && rng_below(g, 2)) {
            puts_(b, "+");
        } else if (raw && rng_below(g, 16) != 0) {
            char ch = (char)c;
            put(b, &ch, 1);
        } else {
            const char *hx = rng_below(g, 2) ? hexu : hexl;
            char e[3] = { '%', hx[c >> 4], hx[c & 15] };
            put(b, e, 3);
        }
    }
}

static void put_case(buf_t *b, const char *s, bench_rng *g)
{
    for (; *s; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z' && rng_below(g, 3) == 0)
            c = (char)(c - 32);
        put(b, &c, 1);
    }
}

static void put_ows(buf_t *b, bench_rng *g)
{
    int n = (int)rng_below(g, 3);
    for (int i = 0; i < n; i++)
        puts_(b, rng_below(g, 4) ? " " : "\t");
}

/* encode a request; when it has a body, adds the framing header to r's header list too */
static void encode_request(request_t *r, buf_t *b, bench_rng *g)
{
    char tmp[64];
    puts_(b, methods[r->method]);
    puts_(b, " ");
    for (int i = 0; i < r->nseg; i++) {
        uint32_t noise = rng_below(g, 24);
        if (noise == 0)
            puts_(b, "/.");
        else if (noise == 1)
            puts_(b, "/");
        else if (noise == 2)
            puts_(b, "/junk/..");
        puts_(b, "/");
        put_encoded(b, r->seg[i], 0, g);
    }
    if (r->nseg == 0)
        puts_(b, "/");
    for (int i = 0; i < r->nq; i++) {
        puts_(b, i ? "&" : "?");
        put_encoded(b, r->qk[i], 1, g);
        puts_(b, "=");
        put_encoded(b, r->qv[i], 1, g);
    }
    puts_(b, rng_below(g, 10) ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n");
    int chunked = 0;
    if (r->body_len > 0 || (r->method == 1 && rng_below(g, 2))) {
        chunked = rng_below(g, 2);
        if (chunked) {
            snprintf(r->hn[r->nh], HN_LEN, "transfer-encoding");
            snprintf(r->hv[r->nh], HV_LEN, "chunked");
        } else {
            snprintf(r->hn[r->nh], HN_LEN, "content-length");
            snprintf(r->hv[r->nh], HV_LEN, "%d", r->body_len);
        }
        r->nh++;
    }
    for (int i = 0; i < r->nh; i++) {
        put_case(b, r->hn[i], g);
        puts_(b, ":");
        put_ows(b, g);
        puts_(b, r->hv[i]);
        put_ows(b, g);
        puts_(b, "\r\n");
    }
    puts_(b, "\r\n");
    if (!chunked) {
        put(b, r->body, (size_t)r->body_len);
        return;
    }
    int at = 0;
    while (at < r->body_len) {
        int n = 1 + (int)rng_below(g, 700);
        if (n > r->body_len - at)
            n = r->body_len - at;
        snprintf(tmp, sizeof tmp, rng_below(g, 2) ? "%X" : "%x", n);
        puts_(b, tmp);
        if (rng_below(g, 5) == 0)
            puts_(b, ";ext=v1");
        puts_(b, "\r\n");
        put(b, r->body + at, (size_t)n);
        puts_(b, "\r\n");
        at += n;
    }
    puts_(b, "0\r\n");
    if (rng_below(g, 3) == 0 && r->nh < MAX_HDRS) {
        uint32_t sum = 0;
        for (int i = 0; i < r->body_len; i++)
            sum = sum * 31 + r->body[i];
        snprintf(r->hn[r->nh], HN_LEN, "x-body-sum");
        snprintf(r->hv[r->nh], HV_LEN, "%08x", sum);
        puts_(b, "X-Body-Sum: ");
        puts_(b, r->hv[r->nh]);
        puts_(b, "\r\n");
        r->nh++;
    }
    puts_(b, "\r\n");
}

/* ---------- checking and responding ---------- */

typedef struct {
    const request_t *expect;
    int nexpect;
    int next;
    rnode_t *router;
    uint64_t h;
    buf_t resp;
} ctx_t;

static int same_request(const request_t *a, const request_t *b)
{
    if (a->method != b->method || a->nseg != b->nseg || a->nq != b->nq || a->nh != b->nh ||
        a->body_len != b->body_len)
        return 0;
    for (int i = 0; i < a->nseg; i++)
        if (strcmp(a->seg[i], b->seg[i]) != 0)
            return 0;
    for (int i = 0; i < a->nq; i++)
        if (strcmp(a->qk[i], b->qk[i]) != 0 || strcmp(a->qv[i], b->qv[i]) != 0)
            return 0;
    for (int i = 0; i < a->nh; i++)
        if (strcmp(a->hn[i], b->hn[i]) != 0 || strcmp(a->hv[i], b->hv[i]) != 0)
            return 0;
    return memcmp(a->body, b->body, (size_t)a->body_len) == 0;
}

static void json_str(buf_t *b, const char *s)
{
    char tmp[8];
    puts_(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            put(b, tmp, 2);
        } else if (c < 0x20 || c >= 0x7F) {
            snprintf(tmp, sizeof tmp, "\\u%04x", c);
            puts_(b, tmp);
        } else {
            put(b, &c, 1);
        }
    }
    puts_(b, "\"");
}

static void on_request(const request_t *req, void *vctx)
{
    ctx_t *c = vctx;
    if (c->next >= c->nexpect) {
        failures++;
        return;
    }
    const request_t *e = &c->expect[c->next++];
    if (!same_request(req, e))
        failures++;
    int params[MAX_SEGS], np = 0;
    int route = router_match(c->router, req->seg, req->nseg, 0, params, &np);
    if (route != e->route)
        failures++;

    /* response body: a small JSON document describing the match */
    buf_t body = { 0 };
    char tmp[96];
    snprintf(tmp, sizeof tmp, "{\"route\":%d,\"method\":\"%s\",\"params\":[", route, methods[req->method]);
    puts_(&body, tmp);
    for (int i = 0; i < np; i++) {
        if (i)
            puts_(&body, ",");
        json_str(&body, req->seg[params[i]]);
    }
    puts_(&body, "],\"query\":{");
    for (int i = 0; i < req->nq; i++) {
        if (i)
            puts_(&body, ",");
        json_str(&body, req->qk[i]);
        puts_(&body, ":");
        json_str(&body, req->qv[i]);
    }
    uint32_t bsum = 0;
    for (int i = 0; i < req->body_len; i++)
        bsum = (bsum << 5) + bsum + req->body[i];
    snprintf(tmp, sizeof tmp, "},\"body\":{\"len\":%d,\"sum\":%u}}", req->body_len, bsum);
    puts_(&body, tmp);

    c->resp.len = 0;
    snprintf(tmp, sizeof tmp, "HTTP/1.1 %d %s\r\n", route >= 0 ? 200 : 404, route >= 0 ? "OK" : "Not Found");
    puts_(&c->resp, tmp);
    puts_(&c->resp, "Content-Type: application/json\r\n");
    snprintf(tmp, sizeof tmp, "Content-Length: %zu\r\n\r\n", body.len);
    puts_(&c->resp, tmp);
    put(&c->resp, body.p, body.len);
    /* check the framing of our own response */
    const char *cl = strstr((const char *)c->resp.p, "Content-Length: ");
    const char *end = strstr((const char *)c->resp.p, "\r\n\r\n");
    if (!cl || !end || strtol(cl + 16, NULL, 10) != (long)(c->resp.len - (size_t)(end + 4 - (const char *)c->resp.p)))
        failures++;
    for (size_t i = 0; i < c->resp.len; i += 7)
        c->h = mix64(c->h, c->resp.p[i]);
    c->h = mix64(c->h, (uint64_t)c->resp.len);
    free(body.p);
}

/* ---------- corrupted requests ---------- */

static void corrupt(buf_t *out, const uint8_t *req, size_t len, int kind, bench_rng *g)
{
    out->len = 0;
    const uint8_t *hdr_end = NULL;
    for (size_t i = 0; i + 3 < len; i++)
        if (memcmp(req + i, "\r\n\r\n", 4) == 0) {
            hdr_end = req + i;
            break;
        }
    size_t head = hdr_end ? (size_t)(hdr_end - req) : len;
    switch (kind) {
    case 0: /* lower-case method */
        put(out, req, len);
        out->p[0] = (uint8_t)lower(out->p[0]);
        break;
    case 1: { /* bad version */
        const uint8_t *v = memchr(req, '\r', len);
        put(out, req, (size_t)(v - req) - 1);
        puts_(out, "x");
        put(out, v, len - (size_t)(v - req));
        break;
    }
    case 2: /* header line without a colon */
        put(out, req, head);
        puts_(out, "\r\nBroken-Header-Line");
        put(out, req + head, len - head);
        break;
    case 3: /* bare LF line ending */
        put(out, req, head);
        puts_(out, "\r\nX-A: 1\n");
        put(out, req + head + 2, len - head - 2);
        break;
    case 4: /* invalid percent escape */
        put(out, req, len);
        {
            uint8_t *sp = memchr(out->p, ' ', out->len);
            sp[2] = '%';
            sp[3] = 'G';
        }
        break;
    case 5: { /* over-long header */
        put(out, req, head);
        puts_(out, "\r\nX-Long: ");
        int n = LINE_MAX_LEN + (int)rng_below(g, 100);
        for (int i = 0; i < n; i++)
            puts_(out, "a");
        put(out, req + head, len - head);
        break;
    }
    case 6: /* both framings */
        put(out, req, head);
        puts_(out, "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked");
        put(out, req + head, len - head);
        break;
    default: /* non-numeric content length */
        put(out, req, head);
        puts_(out, "\r\nContent-Length: 12a");
        put(out, req + head, len - head);
        break;
    }
}

#define NREQ 160

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 240);
    bench_rng g = { 0xD1B54A32D192ED03ULL };

    rnode_t *router = rnode_new("");
    for (int i = 0; i < NROUTES; i++)
        router_add(router, route_patterns[i], i);

    static request_t reqs[NREQ];
    static parser_t parser;
    buf_t stream = { 0 }, bad = { 0 };
    size_t offsets[NREQ + 1];

    double t0 = bench_now();
    uint64_t h = 0x452821E638D01377ULL;
    int parsed_total = 0;
    for (int round = 0; round < scale; round++) {
        stream.len = 0;
        for (int i = 0; i < NREQ; i++) {
            gen_request(&reqs[i], &g);
            offsets[i] = stream.len;
            encode_request(&reqs[i], &stream, &g);
        }
        offsets[NREQ] = stream.len;

        uint64_t first_h = 0;
        for (int pass = 0; pass < 3; pass++) {
            ctx_t ctx = { reqs, NREQ, 0, router, 0, { 0 } };
            parser_reset(&parser);
            parser.completed = 0;
            parser.on_request = on_request;
            parser.ctx = &ctx;
            int err = 0;
            if (pass == 0) {
                err = parser_feed(&parser, stream.p, stream.len);
            } else {
                size_t at = 0;
                while (at < stream.len && !err) {
                    size_t n = pass == 1 ? 1 + rng_below(&g, 1460) : 1 + rng_below(&g, 9);
                    if (n > stream.len - at)
                        n = stream.len - at;
                    err = parser_feed(&parser, stream.p + at, n);
                    at += n;
                }
            }
            if (err || ctx.next != NREQ || parser.completed != NREQ || parser.state != S_REQLINE)
                failures++;
            if (pass == 0)
                first_h = ctx.h;
            else if (ctx.h != first_h)
                failures++; /* piecewise feeding must give the same responses */
            parsed_total += parser.completed;
            free(ctx.resp.p);
        }

        h = mix64(h, first_h);

        /* corrupted variants of some requests must be rejected */
        for (int k = 0; k < 16; k++) {
            int i = (int)rng_below(&g, NREQ);
            int kind = (round + k) % 8;
            corrupt(&bad, stream.p + offsets[i], offsets[i + 1] - offsets[i], kind, &g);
            ctx_t ctx = { reqs + i, 1, 0, router, 0, { 0 } };
            parser_reset(&parser);
            parser.completed = 0;
            parser.on_request = on_request;
            parser.ctx = &ctx;
            size_t at = 0;
            int err = 0;
            while (at < bad.len && !err) {
                size_t n = 1 + rng_below(&g, 300);
                if (n > bad.len - at)
                    n = bad.len - at;
                err = parser_feed(&parser, bad.p + at, n);
                at += n;
            }
            if (!err || parser.completed != 0)
                failures++;
            h = mix64(h, (uint64_t)kind * 1000 + (uint64_t)at);
            free(ctx.resp.p);
        }
    }
    bench_report(t0);
    h = mix64(h, (uint64_t)parsed_total);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    free(stream.p);
    free(bad.p);
    router_free(router);
    return failures != 0;
}
