/* ear_clip/triangulate.h — orientation, collinear-vertex removal and ear clipping.
 * Part of ear_clip.c, one translation unit: it includes the parts in order. */

typedef struct {
    const pt_t *p;
    int *prev, *next;
} ring_t;

static void make_ccw(pt_t *p, int n)
{
    if (area2(p, n) < 0)
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            pt_t t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
}

/* drops vertices lying on the straight line through their neighbours; returns the new count */
static int drop_collinear(pt_t *p, int n)
{
    int changed = 1;
    while (changed && n > 3) {
        changed = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            pt_t a = k ? p[k - 1] : p[n - 1], b = p[i], c = p[(i + 1) % n];
            if (cross3(a, b, c) == 0) {
                changed = 1;
                continue;
            }
            p[k++] = b;
        }
        n = k;
    }
    return n;
}

static inline int reflex_or_flat(const ring_t *r, int v)
{
    return cross3(r->p[r->prev[v]], r->p[v], r->p[r->next[v]]) <= 0;
}

/* q in or on triangle abc (counter-clockwise) */
static inline int in_triangle(pt_t a, pt_t b, pt_t c, pt_t q)
{
    return cross3(a, b, q) >= 0 && cross3(b, c, q) >= 0 && cross3(c, a, q) >= 0;
}

static int is_ear(const ring_t *r, int v)
{
    int a = r->prev[v], c = r->next[v];
    pt_t pa = r->p[a], pv = r->p[v], pc = r->p[c];
    if (cross3(pa, pv, pc) <= 0)
        return 0;
    for (int u = r->next[c]; u != a; u = r->next[u]) {
        pt_t q = r->p[u];
        if ((q.x == pa.x && q.y == pa.y) || (q.x == pc.x && q.y == pc.y))
            continue;
        if (reflex_or_flat(r, u) && in_triangle(pa, pv, pc, q))
            return 0;
    }
    return 1;
}

/* returns the number of triangles written; *dropped counts flat vertices removed when stuck */
static int ear_clip(const pt_t *p, int n, tri_t *out, int *prev, int *next, int *dropped)
{
    ring_t r = { p, prev, next };
    for (int i = 0; i < n; i++) {
        prev[i] = (i + n - 1) % n;
        next[i] = (i + 1) % n;
    }
    int left = n, nt = 0, v = 0, stop = 0;
    *dropped = 0;
    while (left > 3) {
        if (is_ear(&r, v)) {
            int a = prev[v], c = next[v];
            out[nt++] = (tri_t){ a, v, c };
            next[a] = c;
            prev[c] = a;
            left--;
            v = c;
            stop = c;
            continue;
        }
        v = next[v];
        if (v == stop) { /* a full pass without an ear: remove a flat vertex if there is one */
            int u = v, found = 0;
            do {
                if (cross3(p[prev[u]], p[u], p[next[u]]) == 0) {
                    next[prev[u]] = next[u];
                    prev[next[u]] = prev[u];
                    left--;
                    (*dropped)++;
                    v = stop = next[u];
                    found = 1;
                    break;
                }
                u = next[u];
            } while (u != v);
            if (!found) {
                failures++;
                return nt;
            }
        }
    }
    if (cross3(p[prev[v]], p[v], p[next[v]]) > 0)
        out[nt++] = (tri_t){ prev[v], v, next[v] };
    else
        (*dropped)++;
    return nt;
}
