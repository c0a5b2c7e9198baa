/* http_parse/parser.h — the incremental request parser: request and header lines, targets, bodies, chunks.
 * Part of http_parse.c, one translation unit: it includes the parts in order. */

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
