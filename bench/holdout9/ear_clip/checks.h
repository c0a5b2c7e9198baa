/* ear_clip/checks.h — validating triangulations, the polygon mix and the main loop.
 * Part of ear_clip.c, one translation unit: it includes the parts in order. */

typedef struct {
    int prev[MAXV], next[MAXV], uf[MAXV];
    tri_t tri[MAXV];
    uint64_t diag[3 * MAXV];
} scratch_t;

static int uf_find(int *uf, int x)
{
    while (uf[x] != x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
    }
    return x;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int on_segment(pt_t a, pt_t b, pt_t q)
{
    return (q.x >= a.x ? q.x <= b.x : q.x >= b.x) && (q.y >= a.y ? q.y <= b.y : q.y >= b.y);
}

static int segments_touch(pt_t a, pt_t b, pt_t c, pt_t d)
{
    int64_t d1 = cross3(a, b, c), d2 = cross3(a, b, d), d3 = cross3(c, d, a), d4 = cross3(c, d, b);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        return 1;
    return (d1 == 0 && on_segment(a, b, c)) || (d2 == 0 && on_segment(a, b, d)) ||
           (d3 == 0 && on_segment(c, d, a)) || (d4 == 0 && on_segment(c, d, b));
}

static int winding(const pt_t *p, int n, pt_t q, int *boundary)
{
    int wn = 0;
    for (int i = 0, j = n - 1; i < n; j = i++) {
        pt_t a = p[j], b = p[i];
        int64_t c = cross3(a, b, q);
        if (c == 0 && on_segment(a, b, q))
            *boundary = 1;
        if (a.y <= q.y) {
            if (b.y > q.y && c > 0)
                wn++;
        } else if (b.y <= q.y && c < 0) {
            wn--;
        }
    }
    return wn;
}

static uint64_t check_polygon(pt_t *p, int n0, int full, bench_rng *g, scratch_t *s, uint64_t h)
{
    make_ccw(p, n0);
    int n = drop_collinear(p, n0);
    int64_t total = area2(p, n);
    int dropped;
    int nt = ear_clip(p, n, s->tri, s->prev, s->next, &dropped);
    h = mix64(h, (uint64_t)(n0 * 4096 + n));
    h = mix64(h, (uint64_t)nt);
    if (nt + dropped != n - 2 || total <= 0)
        failures++;
    int64_t sum = 0;
    int nd = 0;
    for (int t = 0; t < nt; t++) {
        tri_t tr = s->tri[t];
        int64_t a = cross3(p[tr.a], p[tr.b], p[tr.c]);
        if (a <= 0)
            failures++;
        sum += a;
        int v[3] = { tr.a, tr.b, tr.c };
        for (int e = 0; e < 3; e++) {
            int x = v[e], y = v[(e + 1) % 3];
            if (x > y) {
                int tmp = x;
                x = y;
                y = tmp;
            }
            if (y - x != 1 && !(x == 0 && y == n - 1)) /* not a polygon edge: a diagonal */
                s->diag[nd++] = (uint64_t)x << 40 | (uint64_t)y << 20 | (uint64_t)t;
        }
        h = mix64(h, (uint64_t)(tr.a * 1000003 + tr.b * 1009 + tr.c));
    }
    if (sum != total)
        failures++;
    /* every diagonal is shared by exactly two triangles: n-3 distinct diagonals, dual tree */
    qsort(s->diag, (size_t)nd, sizeof(uint64_t), cmp_u64);
    for (int t = 0; t < nt; t++)
        s->uf[t] = t;
    int distinct = 0, comps = nt;
    for (int i = 0; i < nd; i += 2) {
        if (i + 1 >= nd || s->diag[i] >> 20 != s->diag[i + 1] >> 20) {
            failures++;
            break;
        }
        if (i + 2 < nd && s->diag[i + 2] >> 20 == s->diag[i] >> 20)
            failures++;
        distinct++;
        int a = uf_find(s->uf, (int)(s->diag[i] & 0xFFFFF)), b = uf_find(s->uf, (int)(s->diag[i + 1] & 0xFFFFF));
        if (a != b) {
            s->uf[a] = b;
            comps--;
        }
    }
    if (dropped == 0 && (distinct != n - 3 || comps != 1))
        failures++;
    if (full) { /* diagonals must not touch any polygon edge except at their own endpoints */
        for (int i = 0; i < nd; i += 2) {
            int x = (int)(s->diag[i] >> 40), y = (int)(s->diag[i] >> 20 & 0xFFFFF);
            for (int e = 0; e < n; e++) {
                int f = (e + 1) % n;
                if (e == x || e == y || f == x || f == y)
                    continue;
                if (segments_touch(p[x], p[y], p[e], p[f]))
                    failures++;
            }
        }
    }
    /* point location: winding number against triangle membership */
    int64_t minx = p[0].x, maxx = p[0].x, miny = p[0].y, maxy = p[0].y;
    for (int i = 1; i < n; i++) {
        minx = p[i].x < minx ? p[i].x : minx;
        maxx = p[i].x > maxx ? p[i].x : maxx;
        miny = p[i].y < miny ? p[i].y : miny;
        maxy = p[i].y > maxy ? p[i].y : maxy;
    }
    int inside_count = 0;
    for (int k = 0; k < 24; k++) {
        pt_t q = { minx + (int64_t)rng_below(g, (uint32_t)(maxx - minx + 1)),
                   miny + (int64_t)rng_below(g, (uint32_t)(maxy - miny + 1)) };
        int boundary = 0;
        int wn = winding(p, n, q, &boundary);
        int hits = 0;
        for (int t = 0; t < nt && !boundary; t++) {
            tri_t tr = s->tri[t];
            int64_t c1 = cross3(p[tr.a], p[tr.b], q), c2 = cross3(p[tr.b], p[tr.c], q),
                    c3 = cross3(p[tr.c], p[tr.a], q);
            if (c1 == 0 || c2 == 0 || c3 == 0) {
                if (c1 >= 0 && c2 >= 0 && c3 >= 0)
                    boundary = 1;
            } else if (c1 > 0 && c2 > 0 && c3 > 0) {
                hits++;
            }
        }
        if (boundary)
            continue;
        if (wn != 0 && wn != 1)
            failures++;
        if (hits != wn)
            failures++;
        inside_count += hits;
    }
    return mix64(h, (uint64_t)inside_count);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 36);
    bench_rng g = { 0x5851F42D4C957F2DULL };
    static scratch_t s;
    static pt_t poly[MAXV];

    double t0 = bench_now();
    uint64_t h = 0x14650FB0739D0383ULL;
    int polys = 0;
    for (int round = 0; round < scale; round++) {
        for (int k = 0; k < 40; k++) {
            int kind = k & 3, n;
            if (kind == 0)
                n = gen_star(poly, 40 + (int)rng_below(&g, 500), 20000, &g);
            else if (kind == 1)
                n = gen_comb(poly, 20 + (int)rng_below(&g, 150), &g);
            else if (kind == 2)
                n = gen_mountain(poly, 20 + (int)rng_below(&g, 250), &g);
            else
                n = gen_flat_star(poly, 40 + (int)rng_below(&g, 300), &g);
            if (rng_below(&g, 2)) /* clockwise input half of the time, rotated start */
                for (int i = 0, j = n - 1; i < j; i++, j--) {
                    pt_t t = poly[i];
                    poly[i] = poly[j];
                    poly[j] = t;
                }
            h = check_polygon(poly, n, (polys & 3) == 0, &g, &s, h);
            polys++;
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
