/* hull_clip.c — 2D computational geometry on array-of-structs points: Andrew's monotone-chain
 * convex hull (qsort by x then y, exact integer-valued cross products), rotating-calipers
 * diameter and minimum width, Sutherland-Hodgman clipping of star-shaped and convex polygons
 * against convex windows, shoelace areas, and crossing-number point-in-polygon tests.
 *
 * Checks: every input point lies inside or on the hull, calipers diameter equals the brute-force
 * farthest hull pair, intersection areas are symmetric for convex pairs and bounded by both
 * operands, and sampled points are inside the clipped polygon exactly when they are inside both
 * operands (points near an edge are skipped). SCALE = rounds of point clouds. */
#include "../programs/bench.h"
#include <math.h>

typedef struct { double x, y; } pt;

static int failures;

static int cmp_pt(const void *a, const void *b)
{
    const pt *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return 0;
}

static inline double cross(pt o, pt a, pt b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

/* points are sorted in place; hull receives counter-clockwise vertices, returns count */
static int convex_hull(pt *p, int n, pt *hull)
{
    qsort(p, (size_t)n, sizeof(pt), cmp_pt);
    int k = 0;
    for (int i = 0; i < n; i++) {
        while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            k--;
        hull[k++] = p[i];
    }
    for (int i = n - 2, lo = k + 1; i >= 0; i--) {
        while (k >= lo && cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            k--;
        hull[k++] = p[i];
    }
    return k - 1;
}

static double area(const pt *poly, int n)
{
    double s = 0.0;
    for (int i = 0, j = n - 1; i < n; j = i++)
        s += poly[j].x * poly[i].y - poly[i].x * poly[j].y;
    return s * 0.5;
}

static inline double dist2(pt a, pt b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }

static void calipers(const pt *h, int n, double *diam2, double *width)
{
    double best = 0.0, minw = -1.0;
    if (n < 3) {
        *diam2 = n == 2 ? dist2(h[0], h[1]) : 0.0;
        *width = 0.0;
        return;
    }
    int j = 1;
    for (int i = 0; i < n; i++) {
        int i1 = (i + 1) % n;
        while (cross(h[i], h[i1], h[(j + 1) % n]) > cross(h[i], h[i1], h[j]))
            j = (j + 1) % n;
        double d = dist2(h[i], h[j]);
        if (d > best) best = d;
        d = dist2(h[i1], h[j]);
        if (d > best) best = d;
        double w = cross(h[i], h[i1], h[j]) / sqrt(dist2(h[i], h[i1]));
        if (minw < 0.0 || w < minw) minw = w;
    }
    *diam2 = best;
    *width = minw;
}

/* clip subject (any simple polygon) by convex CCW window; returns new vertex count */
static int clip(const pt *subj, int ns, const pt *win, int nw, pt *out, pt *tmp)
{
    const pt *in = subj;
    int n = ns;
    pt *bufs[2] = { out, tmp };
    int which = (nw & 1) ? 0 : 1; /* arrange for the final pass to land in out */
    for (int e = 0; e < nw && n > 0; e++) {
        pt a = win[e], b = win[(e + 1) % nw];
        pt *dst = bufs[which];
        which ^= 1;
        int m = 0;
        for (int i = 0; i < n; i++) {
            pt p = in[i], q = in[(i + 1) % n];
            double cp = cross(a, b, p), cq = cross(a, b, q);
            if (cp >= 0.0)
                dst[m++] = p;
            if ((cp >= 0.0) != (cq >= 0.0)) {
                double t = cp / (cp - cq);
                pt r = { p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t };
                dst[m++] = r;
            }
        }
        in = dst;
        n = m;
    }
    if (n > 0 && in != out)
        memcpy(out, in, sizeof(pt) * (size_t)n);
    return n;
}

/* crossing number; returns 1 inside, 0 outside, -1 if too close to an edge to be sure */
static int inside(const pt *poly, int n, pt q, double eps)
{
    int c = 0;
    for (int i = 0, j = n - 1; i < n; j = i++) {
        pt a = poly[j], b = poly[i];
        double ex = b.x - a.x, ey = b.y - a.y;
        double len2 = ex * ex + ey * ey;
        double t = len2 > 0.0 ? ((q.x - a.x) * ex + (q.y - a.y) * ey) / len2 : 0.0;
        if (t < 0.0) t = 0.0;
        if (t > 1.0) t = 1.0;
        pt near = { a.x + ex * t, a.y + ey * t };
        if (dist2(near, q) < eps * eps)
            return -1;
        if ((a.y > q.y) != (b.y > q.y)) {
            double xi = a.x + (q.y - a.y) * ex / ey;
            if (q.x < xi)
                c ^= 1;
        }
    }
    return c;
}

static int star_polygon(bench_rng *r, pt *out, int n, double cx, double cy, double rmin, double rmax)
{
    /* vertices at increasing angles, using a rational parametrisation of the circle */
    for (int i = 0; i < n; i++) {
        double t = -1.0 + 2.0 * (i + 0.5) / n;           /* tangent of half angle within (-1, 1) */
        double s = 1.0 + t * t;
        double ux = (1.0 - t * t) / s, uy = 2.0 * t / s; /* right half-plane arc */
        double rad = rmin + (rmax - rmin) * (double)rng_below(r, 1000) / 1000.0;
        out[i].x = cx + rad * ux;
        out[i].y = cy + rad * uy;
        out[n + i].x = cx - rad * ux; /* mirrored onto the left arc, CCW order continues */
        out[n + i].y = cy - rad * uy;
    }
    return 2 * n;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 82);
    enum { NPTS = 20000, NSTAR = 300 };
    pt *pts = malloc(sizeof(pt) * NPTS), *h1 = malloc(sizeof(pt) * (NPTS + 1)), *h2 = malloc(sizeof(pt) * (NPTS + 1));
    pt *star = malloc(sizeof(pt) * 2 * NSTAR), *out = malloc(sizeof(pt) * (4 * NSTAR + 4 * NPTS)),
       *tmp = malloc(sizeof(pt) * (4 * NSTAR + 4 * NPTS)), *out2 = malloc(sizeof(pt) * (4 * NSTAR + 4 * NPTS));
    bench_rng r = { 0x4011c11bULL };

    double t0 = bench_now();
    uint64_t h = 0;
    for (int round = 0; round < scale; round++) {
        /* cloud 1: integer points in a disc-ish blob; cloud 2: shifted ellipse-ish blob */
        int n1 = 0;
        while (n1 < NPTS) {
            double x = (double)rng_below(&r, 200001) - 100000.0, y = (double)rng_below(&r, 200001) - 100000.0;
            if (x * x + y * y <= 1e10)
                pts[n1++] = (pt){ x, y };
        }
        int k1 = convex_hull(pts, n1, h1);
        for (int i = 0; i < n1; i += 7) {
            /* every point inside or on the hull: cross >= 0 for every edge would be O(nh); sample */
            for (int e = 0; e < k1; e += 1 + k1 / 16)
                if (cross(h1[e], h1[(e + 1) % k1], pts[i]) < 0.0)
                    failures++;
        }
        int n2 = 0;
        double ox = (double)rng_below(&r, 80000), oy = (double)rng_below(&r, 60000) - 30000.0;
        while (n2 < NPTS) {
            double x = (double)rng_below(&r, 240001) - 120000.0, y = (double)rng_below(&r, 120001) - 60000.0;
            if (x * x / 4.0 + y * y <= 3.6e9)
                pts[n2++] = (pt){ x + ox, y + oy };
        }
        int k2 = convex_hull(pts, n2, h2);
        double d2, w;
        calipers(h1, k1, &d2, &w);
        double brute = 0.0;
        for (int i = 0; i < k1; i++)
            for (int j = i + 1; j < k1; j++) {
                double d = dist2(h1[i], h1[j]);
                if (d > brute) brute = d;
            }
        if (brute != d2)
            failures++;
        h = mix64(h, (uint64_t)k1 << 32 | (uint64_t)k2);
        h = mix64(h, (uint64_t)(d2 / 1024.0));
        h = mix64(h, (uint64_t)(w * 16.0));

        /* convex intersection, both orders */
        int m1 = clip(h1, k1, h2, k2, out, tmp);
        int m2 = clip(h2, k2, h1, k1, out2, tmp);
        double a1 = area(h1, k1), a2 = area(h2, k2), ai = area(out, m1), aj = area(out2, m2);
        double tol = 1e-9 * (a1 + a2);
        if (ai - aj > tol || aj - ai > tol || ai > a1 + tol || ai > a2 + tol || ai < 0.0)
            failures++;
        h = mix64(h, (uint64_t)(ai / 64.0));

        /* star-shaped subject clipped by each hull */
        int ns = star_polygon(&r, star, NSTAR, ox * 0.5, oy * 0.5, 20000.0, 110000.0);
        int ms = clip(star, ns, h1, k1, out, tmp);
        double as = area(out, ms);
        if (as > area(star, ns) + tol || as > a1 + tol)
            failures++;
        h = mix64(h, (uint64_t)(as / 64.0) ^ (uint64_t)ms << 40);
        /* point classification on the convex intersection */
        m1 = clip(h1, k1, h2, k2, out2, tmp);
        int agree = 0;
        for (int q = 0; q < 120; q++) {
            pt p = { (double)rng_below(&r, 240001) - 100000.0, (double)rng_below(&r, 200001) - 100000.0 };
            int i1 = inside(h1, k1, p, 1.0), i2 = inside(h2, k2, p, 1.0), i3 = inside(out2, m1, p, 1.0);
            if (i1 < 0 || i2 < 0 || i3 < 0)
                continue;
            if (i3 != (i1 & i2))
                failures++;
            agree += i3;
        }
        h = mix64(h, (uint64_t)agree);
    }
    bench_report(t0);
    printf("hull_clip: rounds=%d failures=%d checksum=%016llx\n", scale, failures, (unsigned long long)h);
    free(pts); free(h1); free(h2); free(star); free(out); free(tmp); free(out2);
    return failures != 0;
}
