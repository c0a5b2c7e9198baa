/* http_parse/requests.h — the request generator and its wire encoder.
 * Part of http_parse.c, one translation unit: it includes the parts in order. */

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
