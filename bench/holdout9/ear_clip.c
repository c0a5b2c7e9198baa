/* ear_clip.c — simple polygon triangulation by ear clipping, with exact integer geometry.
 *
 * Polygons with integer vertices (an array of point structs) are generated in four shapes:
 * star-shaped polygons from annulus points sorted by angle with exact cross-product
 * comparisons, rectilinear combs with teeth of random width and height, x-monotone "mountains",
 * and stars with midpoints inserted on some edges (collinear vertices). Orientation is made
 * counter-clockwise by the signed shoelace area, collinear vertices are removed, and the polygon
 * is triangulated by ear clipping over a circular doubly linked list kept in prev/next index
 * arrays: a vertex is an ear if it is strictly convex and no reflex or flat vertex of the
 * remaining polygon lies in or on the candidate triangle. Each triangulation is checked: n-2
 * triangles, all counter-clockwise and non-degenerate, doubled areas summing exactly to the
 * doubled polygon area, n-3 distinct diagonals forming a connected dual tree (union-find over
 * triangles sharing diagonals), diagonals crossing no polygon edge (brute force, on a sample of
 * polygons), and random points classified inside/outside by the winding number must lie in
 * exactly one/zero triangles.
 */
#include "../programs/bench.h"

#define MAXV 1200

typedef struct {
    int64_t x, y;
} pt_t;

typedef struct {
    int a, b, c;
} tri_t;

static int failures;

static inline int64_t cross3(pt_t o, pt_t a, pt_t b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

static int64_t area2(const pt_t *p, int n)
{
    int64_t s = 0;
    for (int i = 0, j = n - 1; i < n; j = i++)
        s += p[j].x * p[i].y - p[i].x * p[j].y;
    return s;
}

/* ---------- generators ---------- */

static pt_t centre;

static int half(pt_t d) { return d.y < 0 || (d.y == 0 && d.x < 0); }

static int angle_cmp(const void *pa, const void *pb)
{
    pt_t a = *(const pt_t *)pa, b = *(const pt_t *)pb;
    pt_t da = { a.x - centre.x, a.y - centre.y }, db = { b.x - centre.x, b.y - centre.y };
    int ha = half(da), hb = half(db);
    if (ha != hb)
        return ha - hb;
    int64_t c = da.x * db.y - da.y * db.x;
    if (c != 0)
        return c > 0 ? -1 : 1;
    int64_t ra = da.x * da.x + da.y * da.y, rb = db.x * db.x + db.y * db.y;
    return ra < rb ? -1 : ra > rb;
}

static int gen_star(pt_t *p, int m, int64_t R, bench_rng *g)
{
    for (;;) {
        centre.x = (int64_t)rng_below(g, 1000);
        centre.y = (int64_t)rng_below(g, 1000);
        for (int i = 0; i < m; i++) {
            int64_t dx, dy, r2;
            do {
                dx = (int64_t)rng_below(g, (uint32_t)(2 * R + 1)) - R;
                dy = (int64_t)rng_below(g, (uint32_t)(2 * R + 1)) - R;
                r2 = dx * dx + dy * dy;
            } while (r2 > R * R || 9 * r2 < R * R);
            p[i].x = centre.x + dx;
            p[i].y = centre.y + dy;
        }
        qsort(p, (size_t)m, sizeof(pt_t), angle_cmp);
        int ok = 1;
        for (int i = 0; i < m && ok; i++) /* consecutive angles strictly increasing, gaps < pi */
            if (cross3(centre, p[i], p[(i + 1) % m]) <= 0)
                ok = 0;
        if (ok)
            return m;
    }
}

/* rectilinear comb: a flat bottom, teeth of random width and height along the top */
static int gen_comb(pt_t *p, int teeth, bench_rng *g)
{
    int n = 0;
    int64_t base = 10 + (int64_t)rng_below(g, 50), cx = 0;
    for (int t = 0; t < teeth; t++)
        cx += 4 + (int64_t)rng_below(g, 30);
    p[n++] = (pt_t){ 0, 0 };
    p[n++] = (pt_t){ cx, 0 };
    p[n++] = (pt_t){ cx, base }; /* collinear with its neighbours: removed later */
    while (cx > 0) {
        int64_t w = 2 + (int64_t)rng_below(g, 20);
        if (w > cx)
            w = cx;
        int64_t hgt = base + 5 + (int64_t)rng_below(g, 400);
        p[n++] = (pt_t){ cx, hgt };
        p[n++] = (pt_t){ cx - w, hgt };
        cx -= w;
        if (cx > 1) {
            int64_t gap = 1 + (int64_t)rng_below(g, 10);
            if (gap >= cx)
                gap = cx - 1;
            p[n++] = (pt_t){ cx, base };
            cx -= gap;
            p[n++] = (pt_t){ cx, base };
        }
    }
    p[n++] = (pt_t){ 0, base };
    return n;
}

/* x-monotone polygon: a bottom chain below y = 0 left to right, a top chain above it right to
 * left whose ends lie just outside the bottom chain's x range */
static int gen_mountain(pt_t *p, int m, bench_rng *g)
{
    int n = 0;
    int64_t x = 0;
    for (int i = 0; i < m; i++) {
        p[n++] = (pt_t){ x, -10 - (int64_t)rng_below(g, 5000) };
        x += 1 + (int64_t)rng_below(g, 60);
    }
    p[n++] = (pt_t){ p[m - 1].x + 1, 10 + (int64_t)rng_below(g, 5000) };
    for (int j = m - 2; j >= 1; j--) { /* one top vertex inside each bottom gap */
        int64_t gap = p[j + 1].x - p[j].x;
        p[n++] = (pt_t){ p[j].x + (int64_t)rng_below(g, (uint32_t)gap), 10 + (int64_t)rng_below(g, 5000) };
    }
    p[n++] = (pt_t){ -1, 10 + (int64_t)rng_below(g, 5000) };
    return n;
}

/* star with midpoints inserted on some edges: even coordinates so midpoints are exact */
static int gen_flat_star(pt_t *p, int m, bench_rng *g)
{
    pt_t tmp[MAXV];
    gen_star(tmp, m, 3000, g);
    int n = 0;
    for (int i = 0; i < m; i++) {
        pt_t a = { 2 * tmp[i].x, 2 * tmp[i].y }, b = { 2 * tmp[(i + 1) % m].x, 2 * tmp[(i + 1) % m].y };
        p[n++] = a;
        if (rng_below(g, 3) == 0)
            p[n++] = (pt_t){ (a.x + b.x) / 2, (a.y + b.y) / 2 };
    }
    return n;
}

#include "ear_clip/triangulate.h"
#include "ear_clip/checks.h"
