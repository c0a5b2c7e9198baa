/* http_parse/router.h — character classes and the router's trie of path segments.
 * Part of http_parse.c, one translation unit: it includes the parts in order. */

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
