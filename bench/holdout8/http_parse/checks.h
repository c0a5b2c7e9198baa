/* http_parse/checks.h — comparing parsed requests with their records, responses, corrupted requests.
 * Part of http_parse.c, one translation unit: it includes the parts in order. */

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
