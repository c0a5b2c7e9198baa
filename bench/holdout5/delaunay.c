/* delaunay — incremental Delaunay triangulation with Lawson flips.
 *
 * Points with integer coordinates in (0, 4096)^2 (uniform, clustered and on lattice lines, so
 * collinear and cocircular cases occur) are sorted along a Morton curve with qsort and inserted
 * into a triangulation of the bounding square. Triangles are an array of structs with three
 * vertices and three neighbour indices. Each insertion walks from the previous triangle using
 * orientation tests, splits a triangle in three or an edge's two triangles in four, and restores
 * the Delaunay property by recursive edge flips driven by the in-circle determinant. With these
 * coordinate bounds the double-precision orientation and in-circle predicates are exact. Each
 * round checks every edge for local Delaunayness and the triangle count, and sums edge lengths
 * with sqrt. */
#include "../programs/bench.h"

#include <math.h>

typedef struct {
    int32_t v[3];
    int32_t n[3]; /* n[i]: neighbour across the edge opposite v[i], -1 on the hull */
} Tri;

typedef struct {
    double x, y;
    uint32_t key;
} Pt;

static Pt *pts;
static Tri *tris;
static int32_t ntris;
static uint64_t flips, walk_steps;

static inline double orient(int32_t a, int32_t b, int32_t c)
{
    return (pts[b].x - pts[a].x) * (pts[c].y - pts[a].y) - (pts[b].y - pts[a].y) * (pts[c].x - pts[a].x);
}

/* > 0 when d lies strictly inside the circumcircle of counter-clockwise (a, b, c) */
static inline double incircle(int32_t a, int32_t b, int32_t c, int32_t d)
{
    double adx = pts[a].x - pts[d].x, ady = pts[a].y - pts[d].y;
    double bdx = pts[b].x - pts[d].x, bdy = pts[b].y - pts[d].y;
    double cdx = pts[c].x - pts[d].x, cdy = pts[c].y - pts[d].y;
    double al = adx * adx + ady * ady, bl = bdx * bdx + bdy * bdy, cl = cdx * cdx + cdy * cdy;
    return al * (bdx * cdy - cdx * bdy) + bl * (cdx * ady - adx * cdy) + cl * (adx * bdy - bdx * ady);
}

static void rotate_to(Tri *t, int i)
{
    while (i-- > 0) {
        int32_t v = t->v[0], n = t->n[0];
        t->v[0] = t->v[1];
        t->v[1] = t->v[2];
        t->v[2] = v;
        t->n[0] = t->n[1];
        t->n[1] = t->n[2];
        t->n[2] = n;
    }
}

static void replace_nb(int32_t t, int32_t old, int32_t nw)
{
    if (t < 0)
        return;
    for (int k = 0; k < 3; k++)
        if (tris[t].n[k] == old) {
            tris[t].n[k] = nw;
            return;
        }
}

/* t has the new point at v[0]; make the edge opposite it Delaunay. */
static void legalize(int32_t t)
{
    int32_t u = tris[t].n[0];
    if (u < 0)
        return;
    int j = 0;
    while (tris[u].n[j] != t)
        j++;
    rotate_to(&tris[u], j);
    Tri *T = &tris[t], *U = &tris[u];
    int32_t p = T->v[0], b = T->v[1], c = T->v[2], d = U->v[0];
    if (incircle(p, b, c, d) <= 0.0)
        return;
    flips++;
    int32_t A = T->n[1], B = T->n[2], ub = U->n[1], uc = U->n[2];
    /* t' = (p, b, d), u' = (p, d, c) */
    T->v[0] = p; T->v[1] = b; T->v[2] = d;
    T->n[0] = ub; T->n[1] = u; T->n[2] = B;
    U->v[0] = p; U->v[1] = d; U->v[2] = c;
    U->n[0] = uc; U->n[1] = A; U->n[2] = t;
    replace_nb(ub, u, t);
    replace_nb(A, t, u);
    legalize(t);
    legalize(u);
}

/* Returns 0 inserted, 1 duplicate. */
static int insert(int32_t p, int32_t *hint)
{
    int32_t t = *hint;
    int start = 0;
    for (;;) {
        walk_steps++;
        int moved = 0, zeros = 0, zi = -1;
        for (int k = 0; k < 3; k++) {
            int i = (start + k) % 3;
            Tri *T = &tris[t];
            double o = orient(T->v[(i + 1) % 3], T->v[(i + 2) % 3], p);
            if (o < 0.0) {
                t = T->n[i];
                moved = 1;
                break;
            }
            if (o == 0.0) {
                zeros++;
                zi = i;
            }
        }
        start = (start + 1) % 3;
        if (moved)
            continue;
        if (zeros >= 2)
            return 1; /* coincides with a vertex */
        if (zeros == 0) {
            Tri old = tris[t];
            int32_t t1 = ntris++, t2 = ntris++;
            int32_t a = old.v[0], b = old.v[1], c = old.v[2];
            tris[t] = (Tri){ { p, b, c }, { old.n[0], t1, t2 } };
            tris[t1] = (Tri){ { p, c, a }, { old.n[1], t2, t } };
            tris[t2] = (Tri){ { p, a, b }, { old.n[2], t, t1 } };
            replace_nb(old.n[1], t, t1);
            replace_nb(old.n[2], t, t2);
            legalize(t);
            legalize(t1);
            legalize(t2);
        } else {
            rotate_to(&tris[t], zi);
            int32_t u = tris[t].n[0];
            int j = 0;
            while (tris[u].n[j] != t)
                j++;
            rotate_to(&tris[u], j);
            Tri T = tris[t], U = tris[u];
            int32_t a = T.v[0], b = T.v[1], c = T.v[2], d = U.v[0];
            int32_t A = T.n[1], B = T.n[2], ub = U.n[1], uc = U.n[2];
            int32_t t1 = ntris++, t3 = ntris++;
            tris[t] = (Tri){ { p, c, a }, { A, t1, t3 } };
            tris[t1] = (Tri){ { p, a, b }, { B, u, t } };
            tris[u] = (Tri){ { p, b, d }, { ub, t3, t1 } };
            tris[t3] = (Tri){ { p, d, c }, { uc, t, u } };
            replace_nb(B, t, t1);
            replace_nb(uc, u, t3);
            legalize(t);
            legalize(t1);
            legalize(u);
            legalize(t3);
        }
        *hint = t;
        return 0;
    }
}

static uint32_t morton(uint32_t x, uint32_t y)
{
    uint32_t k = 0;
    for (int b = 0; b < 12; b++)
        k |= (x >> b & 1) << (2 * b) | (y >> b & 1) << (2 * b + 1);
    return k;
}

static int cmp_key(const void *a, const void *b)
{
    uint32_t x = ((const Pt *)a)->key, y = ((const Pt *)b)->key;
    return x < y ? -1 : x > y;
}

#define NPTS 16000

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 93);
    bench_rng rng = { 0x64656c61756e6179ULL };
    const int NSETS = 4;
    Pt *sets = malloc(sizeof(Pt) * NPTS * NSETS);
    for (int s = 0; s < NSETS; s++)
        for (int i = 0; i < NPTS; i++) {
            Pt *q = &sets[s * NPTS + i];
            uint32_t kind = rng_below(&rng, 10), x, y;
            if (kind < 5) {
                x = 1 + rng_below(&rng, 4095);
                y = 1 + rng_below(&rng, 4095);
            } else if (kind < 8) { /* clusters */
                uint32_t c = rng_below(&rng, 6);
                x = 600 + c * 500 + rng_below(&rng, 200);
                y = 900 + (c * 1300) % 2600 + rng_below(&rng, 200);
            } else { /* lattice lines: many collinear points */
                x = 64 * (1 + rng_below(&rng, 63));
                y = 1 + rng_below(&rng, 4095);
                if (kind == 9) {
                    uint32_t t = x;
                    x = y;
                    y = t;
                }
            }
            q->x = (double)x;
            q->y = (double)y;
            q->key = morton(x, y);
        }
    pts = malloc(sizeof(Pt) * (NPTS + 4));
    tris = malloc(sizeof(Tri) * (2 * NPTS + 16));

    double start = bench_now();
    uint64_t h = 0, dups = 0, total_tris = 0;
    double total_len = 0.0;
    for (int round = 0; round < scale; round++) {
        /* corners of the square, then the point set of this round, shifted by the round number */
        pts[0] = (Pt){ 0.0, 0.0, 0 };
        pts[1] = (Pt){ 4096.0, 0.0, 0 };
        pts[2] = (Pt){ 4096.0, 4096.0, 0 };
        pts[3] = (Pt){ 0.0, 4096.0, 0 };
        const Pt *src = sets + (round % NSETS) * NPTS;
        int32_t n = NPTS - 1000 + (round % 7) * 150;
        for (int32_t i = 0; i < n; i++)
            pts[4 + i] = src[i];
        qsort(pts + 4, (size_t)n, sizeof(Pt), cmp_key);
        ntris = 2;
        tris[0] = (Tri){ { 0, 1, 2 }, { -1, 1, -1 } };
        tris[1] = (Tri){ { 0, 2, 3 }, { -1, -1, 0 } };
        int32_t hint = 0, inserted = 4;
        for (int32_t i = 0; i < n; i++) {
            if (insert(4 + i, &hint))
                dups++;
            else
                inserted++;
        }
        if (ntris != 2 * inserted - 4 - 2) {
            fprintf(stderr, "bad triangle count %d for %d points\n", ntris, inserted);
            return 1;
        }
        double len = 0.0;
        for (int32_t t = 0; t < ntris; t++) {
            const Tri *T = &tris[t];
            if (orient(T->v[0], T->v[1], T->v[2]) <= 0.0) {
                fprintf(stderr, "inverted triangle\n");
                return 1;
            }
            for (int k = 0; k < 3; k++) {
                int32_t u = T->n[k];
                int32_t a = T->v[(k + 1) % 3], b = T->v[(k + 2) % 3];
                if (u < 0 || u > t) {
                    double dx = pts[a].x - pts[b].x, dy = pts[a].y - pts[b].y;
                    len += sqrt(dx * dx + dy * dy);
                }
                if (u >= 0) {
                    const Tri *U = &tris[u];
                    int32_t d = U->v[0] != a && U->v[0] != b ? U->v[0] : U->v[1] != a && U->v[1] != b ? U->v[1] : U->v[2];
                    if (incircle(T->v[0], T->v[1], T->v[2], d) > 0.0) {
                        fprintf(stderr, "edge not locally Delaunay\n");
                        return 1;
                    }
                }
            }
        }
        total_len += len;
        total_tris += (uint64_t)ntris;
        uint64_t bits;
        memcpy(&bits, &len, sizeof bits);
        h = mix64(h, bits);
        for (int32_t t = 0; t < ntris; t += 13)
            h = mix64(h, (uint64_t)tris[t].v[0] << 40 ^ (uint64_t)tris[t].v[1] << 20 ^ (uint64_t)tris[t].v[2]);
    }
    bench_report(start);
    printf("delaunay rounds=%d triangles=%llu duplicates=%llu flips=%llu walk=%llu length=%.3f checksum=%016llx\n",
           scale, (unsigned long long)total_tris, (unsigned long long)dups, (unsigned long long)flips,
           (unsigned long long)walk_steps, total_len, (unsigned long long)h);
    free(sets);
    free(pts);
    free(tris);
    return 0;
}
