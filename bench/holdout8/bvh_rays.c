/* bvh_rays.c — single-precision ray casting through a bounding volume hierarchy.
 *
 * A triangle scene (a heightfield terrain, animated boxes and drifting debris) is rebuilt every
 * frame: vertices move, a binned surface-area-heuristic BVH is built over the triangle centroids
 * with an in-place partition of the index array, and a camera on a rationally parametrised orbit
 * casts one primary ray per pixel (closest hit, near-child-first stack traversal with slab tests
 * against precomputed inverse directions, Moller-Trumbore triangle tests) and one shadow ray per
 * hit (any-hit traversal with early exit). Sampled rays are re-cast by brute force over every
 * triangle and must give the same hit distance and occlusion; the hierarchy is checked for
 * containment and for holding every triangle exactly once.
 */
// bench-cflags: -O3
#include "../programs/bench.h"
#include <math.h>

typedef struct { float x, y, z; } vec3;

static inline vec3 v3(float x, float y, float z) { vec3 r = { x, y, z }; return r; }
static inline vec3 vsub(vec3 a, vec3 b) { return v3(a.x - b.x, a.y - b.y, a.z - b.z); }
static inline vec3 vadd(vec3 a, vec3 b) { return v3(a.x + b.x, a.y + b.y, a.z + b.z); }
static inline vec3 vscale(vec3 a, float s) { return v3(a.x * s, a.y * s, a.z * s); }
static inline float vdot(vec3 a, vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static inline vec3 vcross(vec3 a, vec3 b)
{
    return v3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
static inline vec3 vnorm(vec3 a)
{
    float l = sqrtf(vdot(a, a));
    return l > 0.0f ? vscale(a, 1.0f / l) : a;
}
static inline float fminf_(float a, float b) { return a < b ? a : b; }
static inline float fmaxf_(float a, float b) { return a > b ? a : b; }
static inline float absf(float a) { return a < 0.0f ? -a : a; }


/* ---------- scene ---------- */

#define GRID 84
#define NBOX 36
#define NDEBRIS 1800
#define NTRI ((GRID - 1) * (GRID - 1) * 2 + NBOX * 12 + NDEBRIS)

typedef struct {
    vec3 v0, e1, e2;
} tri_t;

typedef struct {
    vec3 base[3]; /* debris at rest */
    vec3 vel;
} debris_t;

static tri_t tris[NTRI];
static vec3 centroid[NTRI];
static vec3 tbmin[NTRI], tbmax[NTRI];
static float terrain_h[GRID][GRID];
static vec3 box_pos[NBOX], box_size[NBOX], box_vel[NBOX];
static debris_t debris[NDEBRIS];

static float rng_float(bench_rng *g)
{
    return (float)(rng_next(g) >> 40) * (1.0f / 16777216.0f);
}

static void scene_init(bench_rng *g)
{
    float cx[12], cz[12], amp[12], rad[12];
    for (int i = 0; i < 12; i++) {
        cx[i] = rng_float(g) * 100.0f;
        cz[i] = rng_float(g) * 100.0f;
        amp[i] = 2.0f + rng_float(g) * 10.0f;
        rad[i] = 6.0f + rng_float(g) * 18.0f;
    }
    for (int i = 0; i < GRID; i++) {
        for (int j = 0; j < GRID; j++) {
            float x = (float)i * (100.0f / (GRID - 1)), z = (float)j * (100.0f / (GRID - 1));
            float h = 0.0f;
            for (int k = 0; k < 12; k++) {
                float dx = x - cx[k], dz = z - cz[k];
                h += amp[k] / (1.0f + (dx * dx + dz * dz) / (rad[k] * rad[k]));
            }
            terrain_h[i][j] = h;
        }
    }
    for (int b = 0; b < NBOX; b++) {
        box_pos[b] = v3(10.0f + rng_float(g) * 80.0f, 8.0f + rng_float(g) * 10.0f, 10.0f + rng_float(g) * 80.0f);
        box_size[b] = v3(1.0f + rng_float(g) * 4.0f, 1.0f + rng_float(g) * 6.0f, 1.0f + rng_float(g) * 4.0f);
        box_vel[b] = v3(rng_float(g) - 0.5f, (rng_float(g) - 0.5f) * 0.2f, rng_float(g) - 0.5f);
    }
    for (int d = 0; d < NDEBRIS; d++) {
        vec3 c = v3(rng_float(g) * 100.0f, 10.0f + rng_float(g) * 25.0f, rng_float(g) * 100.0f);
        for (int k = 0; k < 3; k++)
            debris[d].base[k] = vadd(c, v3(rng_float(g) * 2.0f - 1.0f, rng_float(g) * 2.0f - 1.0f, rng_float(g) * 2.0f - 1.0f));
        debris[d].vel = v3((rng_float(g) - 0.5f) * 0.6f, (rng_float(g) - 0.5f) * 0.1f, (rng_float(g) - 0.5f) * 0.6f);
    }
}

static void set_tri(int i, vec3 a, vec3 b, vec3 c)
{
    tris[i].v0 = a;
    tris[i].e1 = vsub(b, a);
    tris[i].e2 = vsub(c, a);
    tbmin[i] = v3(fminf_(a.x, fminf_(b.x, c.x)), fminf_(a.y, fminf_(b.y, c.y)), fminf_(a.z, fminf_(b.z, c.z)));
    tbmax[i] = v3(fmaxf_(a.x, fmaxf_(b.x, c.x)), fmaxf_(a.y, fmaxf_(b.y, c.y)), fmaxf_(a.z, fmaxf_(b.z, c.z)));
    centroid[i] = vscale(vadd(a, vadd(b, c)), 1.0f / 3.0f);
}

/* wrap a coordinate into [0, 100) by reflection, so objects bounce around the terrain */
static float bounce(float x, float lo, float hi)
{
    float span = hi - lo;
    float t = x - lo;
    float period = 2.0f * span;
    int k = (int)(t / period);
    if (t < 0.0f)
        k--;
    t -= (float)k * period;
    if (t > span)
        t = period - t;
    return lo + t;
}

static void scene_frame(int frame)
{
    int n = 0;
    float tf = (float)frame;
    /* terrain with a slow swell */
    float swell = 1.0f + 0.3f * (tf * 0.05f) / (1.0f + tf * 0.05f * tf * 0.05f);
    for (int i = 0; i + 1 < GRID; i++) {
        for (int j = 0; j + 1 < GRID; j++) {
            float s = 100.0f / (GRID - 1);
            vec3 p00 = v3((float)i * s, terrain_h[i][j] * swell, (float)j * s);
            vec3 p10 = v3((float)(i + 1) * s, terrain_h[i + 1][j] * swell, (float)j * s);
            vec3 p01 = v3((float)i * s, terrain_h[i][j + 1] * swell, (float)(j + 1) * s);
            vec3 p11 = v3((float)(i + 1) * s, terrain_h[i + 1][j + 1] * swell, (float)(j + 1) * s);
            set_tri(n++, p00, p10, p11);
            set_tri(n++, p00, p11, p01);
        }
    }
    for (int b = 0; b < NBOX; b++) {
        vec3 p = vadd(box_pos[b], vscale(box_vel[b], tf));
        p = v3(bounce(p.x, 0.0f, 100.0f), bounce(p.y, 6.0f, 22.0f), bounce(p.z, 0.0f, 100.0f));
        vec3 s = box_size[b];
        vec3 c[8];
        for (int k = 0; k < 8; k++)
            c[k] = v3(p.x + ((k & 1) ? s.x : -s.x), p.y + ((k & 2) ? s.y : -s.y), p.z + ((k & 4) ? s.z : -s.z));
        static const int faces[6][4] = { { 0, 1, 3, 2 }, { 4, 6, 7, 5 }, { 0, 4, 5, 1 },
                                         { 2, 3, 7, 6 }, { 0, 2, 6, 4 }, { 1, 5, 7, 3 } };
        for (int f = 0; f < 6; f++) {
            set_tri(n++, c[faces[f][0]], c[faces[f][1]], c[faces[f][2]]);
            set_tri(n++, c[faces[f][0]], c[faces[f][2]], c[faces[f][3]]);
        }
    }
    for (int d = 0; d < NDEBRIS; d++) {
        vec3 off = vscale(debris[d].vel, tf);
        vec3 a = vadd(debris[d].base[0], off), b = vadd(debris[d].base[1], off), c = vadd(debris[d].base[2], off);
        float wx = bounce(a.x, 0.0f, 100.0f) - a.x, wz = bounce(a.z, 0.0f, 100.0f) - a.z;
        vec3 w = v3(wx, 0.0f, wz);
        set_tri(n++, vadd(a, w), vadd(b, w), vadd(c, w));
    }
}

/* ---------- BVH ---------- */

typedef struct {
    vec3 bmin, bmax;
    int start; /* first child (inner) or first triangle index (leaf) */
    int count; /* 0 for inner nodes */
} node_t;

static node_t nodes[2 * NTRI];
static int nnodes;
static int tri_index[NTRI];

#define NBINS 16
#define MAX_LEAF 8

static float area(vec3 mn, vec3 mx)
{
    vec3 d = vsub(mx, mn);
    return d.x * d.y + d.y * d.z + d.z * d.x;
}

static float axis_of(vec3 v, int a)
{
    return a == 0 ? v.x : (a == 1 ? v.y : v.z);
}

static void node_bounds(node_t *nd)
{
    vec3 mn = v3(1e30f, 1e30f, 1e30f), mx = v3(-1e30f, -1e30f, -1e30f);
    for (int i = nd->start; i < nd->start + nd->count; i++) {
        int t = tri_index[i];
        mn = v3(fminf_(mn.x, tbmin[t].x), fminf_(mn.y, tbmin[t].y), fminf_(mn.z, tbmin[t].z));
        mx = v3(fmaxf_(mx.x, tbmax[t].x), fmaxf_(mx.y, tbmax[t].y), fmaxf_(mx.z, tbmax[t].z));
    }
    /* pad so that rounding in the slab test can never reject a ray that hits a triangle */
    vec3 ext = vsub(mx, mn);
    float pad = 1e-4f * (ext.x + ext.y + ext.z) + 1e-4f;
    nd->bmin = v3(mn.x - pad, mn.y - pad, mn.z - pad);
    nd->bmax = v3(mx.x + pad, mx.y + pad, mx.z + pad);
}

static int max_depth;

static void subdivide(int ni, int depth)
{
    node_t *nd = &nodes[ni];
    if (depth > max_depth)
        max_depth = depth;
    node_bounds(nd);
    if (nd->count <= 2)
        return;
    /* centroid bounds */
    vec3 cmin = v3(1e30f, 1e30f, 1e30f), cmax = v3(-1e30f, -1e30f, -1e30f);
    for (int i = nd->start; i < nd->start + nd->count; i++) {
        vec3 c = centroid[tri_index[i]];
        cmin = v3(fminf_(cmin.x, c.x), fminf_(cmin.y, c.y), fminf_(cmin.z, c.z));
        cmax = v3(fmaxf_(cmax.x, c.x), fmaxf_(cmax.y, c.y), fmaxf_(cmax.z, c.z));
    }
    float best_cost = 1e30f;
    int best_axis = -1, best_split = 0;
    for (int axis = 0; axis < 3; axis++) {
        float lo = axis_of(cmin, axis), hi = axis_of(cmax, axis);
        if (hi - lo < 1e-6f)
            continue;
        int bcount[NBINS] = { 0 };
        vec3 bmn[NBINS], bmx[NBINS];
        for (int b = 0; b < NBINS; b++) {
            bmn[b] = v3(1e30f, 1e30f, 1e30f);
            bmx[b] = v3(-1e30f, -1e30f, -1e30f);
        }
        float k = (float)NBINS / (hi - lo);
        for (int i = nd->start; i < nd->start + nd->count; i++) {
            int t = tri_index[i];
            int b = (int)((axis_of(centroid[t], axis) - lo) * k);
            if (b >= NBINS)
                b = NBINS - 1;
            bcount[b]++;
            bmn[b] = v3(fminf_(bmn[b].x, tbmin[t].x), fminf_(bmn[b].y, tbmin[t].y), fminf_(bmn[b].z, tbmin[t].z));
            bmx[b] = v3(fmaxf_(bmx[b].x, tbmax[t].x), fmaxf_(bmx[b].y, tbmax[t].y), fmaxf_(bmx[b].z, tbmax[t].z));
        }
        /* sweep from the right to get suffix areas, then from the left */
        float rarea[NBINS];
        int rcount[NBINS];
        vec3 rmn = v3(1e30f, 1e30f, 1e30f), rmx = v3(-1e30f, -1e30f, -1e30f);
        int rc = 0;
        for (int b = NBINS - 1; b > 0; b--) {
            rc += bcount[b];
            if (bcount[b]) {
                rmn = v3(fminf_(rmn.x, bmn[b].x), fminf_(rmn.y, bmn[b].y), fminf_(rmn.z, bmn[b].z));
                rmx = v3(fmaxf_(rmx.x, bmx[b].x), fmaxf_(rmx.y, bmx[b].y), fmaxf_(rmx.z, bmx[b].z));
            }
            rcount[b] = rc;
            rarea[b] = rc ? area(rmn, rmx) : 0.0f;
        }
        vec3 lmn = v3(1e30f, 1e30f, 1e30f), lmx = v3(-1e30f, -1e30f, -1e30f);
        int lc = 0;
        for (int b = 0; b < NBINS - 1; b++) {
            lc += bcount[b];
            if (bcount[b]) {
                lmn = v3(fminf_(lmn.x, bmn[b].x), fminf_(lmn.y, bmn[b].y), fminf_(lmn.z, bmn[b].z));
                lmx = v3(fmaxf_(lmx.x, bmx[b].x), fmaxf_(lmx.y, bmx[b].y), fmaxf_(lmx.z, bmx[b].z));
            }
            if (lc == 0 || rcount[b + 1] == 0)
                continue;
            float cost = (float)lc * area(lmn, lmx) + (float)rcount[b + 1] * rarea[b + 1];
            if (cost < best_cost) {
                best_cost = cost;
                best_axis = axis;
                best_split = b;
            }
        }
    }
    float leaf_cost = (float)nd->count * area(nd->bmin, nd->bmax);
    if (best_axis < 0 || (nd->count <= MAX_LEAF && best_cost >= leaf_cost))
        return;
    float lo = axis_of(cmin, best_axis), hi = axis_of(cmax, best_axis);
    float k = (float)NBINS / (hi - lo);
    int i = nd->start, j = nd->start + nd->count - 1;
    while (i <= j) {
        int b = (int)((axis_of(centroid[tri_index[i]], best_axis) - lo) * k);
        if (b >= NBINS)
            b = NBINS - 1;
        if (b <= best_split) {
            i++;
        } else {
            int t = tri_index[i];
            tri_index[i] = tri_index[j];
            tri_index[j--] = t;
        }
    }
    int left_count = i - nd->start;
    if (left_count == 0 || left_count == nd->count)
        return;
    int l = nnodes;
    nnodes += 2;
    nodes[l].start = nd->start;
    nodes[l].count = left_count;
    nodes[l + 1].start = i;
    nodes[l + 1].count = nd->count - left_count;
    nd->start = l;
    nd->count = 0;
    subdivide(l, depth + 1);
    subdivide(l + 1, depth + 1);
}

static void bvh_build(void)
{
    for (int i = 0; i < NTRI; i++)
        tri_index[i] = i;
    nnodes = 1;
    nodes[0].start = 0;
    nodes[0].count = NTRI;
    max_depth = 0;
    subdivide(0, 0);
}

static int contains_box(const node_t *outer, vec3 mn, vec3 mx)
{
    return outer->bmin.x <= mn.x && outer->bmin.y <= mn.y && outer->bmin.z <= mn.z &&
           outer->bmax.x >= mx.x && outer->bmax.y >= mx.y && outer->bmax.z >= mx.z;
}

static int bvh_check(unsigned char *seen)
{
    int bad = 0;
    memset(seen, 0, NTRI);
    for (int n = 0; n < nnodes; n++) {
        const node_t *nd = &nodes[n];
        if (nd->count == 0) {
            if (nd->start <= n || nd->start + 1 >= nnodes)
                bad++;
            else if (!contains_box(nd, nodes[nd->start].bmin, nodes[nd->start].bmax) ||
                     !contains_box(nd, nodes[nd->start + 1].bmin, nodes[nd->start + 1].bmax))
                bad++;
        } else {
            for (int i = nd->start; i < nd->start + nd->count; i++) {
                int t = tri_index[i];
                if (seen[t]++)
                    bad++;
                if (!contains_box(nd, tbmin[t], tbmax[t]))
                    bad++;
            }
        }
    }
    for (int t = 0; t < NTRI; t++)
        if (seen[t] != 1)
            bad++;
    return bad;
}

/* ---------- ray queries ---------- */

typedef struct {
    vec3 o, d, inv;
} ray_t;

static ray_t make_ray(vec3 o, vec3 d)
{
    ray_t r;
    if (absf(d.x) < 1e-8f) d.x = 1e-8f;
    if (absf(d.y) < 1e-8f) d.y = 1e-8f;
    if (absf(d.z) < 1e-8f) d.z = 1e-8f;
    r.o = o;
    r.d = d;
    r.inv = v3(1.0f / d.x, 1.0f / d.y, 1.0f / d.z);
    return r;
}

static inline int tri_hit(const tri_t *tr, const ray_t *r, float tmin, float tmax, float *tout)
{
    vec3 p = vcross(r->d, tr->e2);
    float det = vdot(tr->e1, p);
    if (absf(det) < 1e-12f)
        return 0;
    float inv = 1.0f / det;
    vec3 s = vsub(r->o, tr->v0);
    float u = vdot(s, p) * inv;
    if (u < 0.0f || u > 1.0f)
        return 0;
    vec3 q = vcross(s, tr->e1);
    float v = vdot(r->d, q) * inv;
    if (v < 0.0f || u + v > 1.0f)
        return 0;
    float t = vdot(tr->e2, q) * inv;
    if (t <= tmin || t >= tmax)
        return 0;
    *tout = t;
    return 1;
}

static inline float slab(const node_t *nd, const ray_t *r, float tmax)
{
    float tx1 = (nd->bmin.x - r->o.x) * r->inv.x, tx2 = (nd->bmax.x - r->o.x) * r->inv.x;
    float tn = fminf_(tx1, tx2), tf = fmaxf_(tx1, tx2);
    float ty1 = (nd->bmin.y - r->o.y) * r->inv.y, ty2 = (nd->bmax.y - r->o.y) * r->inv.y;
    tn = fmaxf_(tn, fminf_(ty1, ty2));
    tf = fminf_(tf, fmaxf_(ty1, ty2));
    float tz1 = (nd->bmin.z - r->o.z) * r->inv.z, tz2 = (nd->bmax.z - r->o.z) * r->inv.z;
    tn = fmaxf_(tn, fminf_(tz1, tz2));
    tf = fminf_(tf, fmaxf_(tz1, tz2));
    if (tf >= tn && tf > 0.0f && tn < tmax)
        return tn;
    return 1e30f;
}

static long long node_visits;

static int closest_hit(const ray_t *r, float tmin, float *tbest)
{
    int stack[256], sp = 0, hit = -1;
    float best = 1e30f;
    int n = 0;
    if (slab(&nodes[0], r, best) >= 1e30f)
        return -1;
    for (;;) {
        const node_t *nd = &nodes[n];
        node_visits++;
        if (nd->count) {
            for (int i = nd->start; i < nd->start + nd->count; i++) {
                float t;
                int ti = tri_index[i];
                if (tri_hit(&tris[ti], r, tmin, best, &t)) {
                    best = t;
                    hit = ti;
                }
            }
        } else {
            int a = nd->start, b = nd->start + 1;
            float da = slab(&nodes[a], r, best), db = slab(&nodes[b], r, best);
            if (da > db) {
                float tt = da; da = db; db = tt;
                int ti = a; a = b; b = ti;
            }
            if (da < 1e30f) {
                if (db < 1e30f)
                    stack[sp++] = b;
                n = a;
                continue;
            }
        }
        /* pop, skipping nodes that are now farther than the best hit */
        for (;;) {
            if (sp == 0) {
                *tbest = best;
                return hit;
            }
            n = stack[--sp];
            if (slab(&nodes[n], r, best) < 1e30f)
                break;
        }
    }
}

static int any_hit(const ray_t *r, float tmin, float tmax)
{
    int stack[256], sp = 0;
    stack[sp++] = 0;
    while (sp) {
        const node_t *nd = &nodes[stack[--sp]];
        node_visits++;
        if (slab(nd, r, tmax) >= 1e30f)
            continue;
        if (nd->count) {
            for (int i = nd->start; i < nd->start + nd->count; i++) {
                float t;
                if (tri_hit(&tris[tri_index[i]], r, tmin, tmax, &t))
                    return 1;
            }
        } else {
            stack[sp++] = nd->start + 1;
            stack[sp++] = nd->start;
        }
    }
    return 0;
}

static int brute_closest(const ray_t *r, float tmin, float *tbest)
{
    float best = 1e30f;
    int hit = -1;
    for (int i = 0; i < NTRI; i++) {
        float t;
        if (tri_hit(&tris[i], r, tmin, best, &t)) {
            best = t;
            hit = i;
        }
    }
    *tbest = best;
    return hit;
}

static int brute_any(const ray_t *r, float tmin, float tmax)
{
    for (int i = 0; i < NTRI; i++) {
        float t;
        if (tri_hit(&tris[i], r, tmin, tmax, &t))
            return 1;
    }
    return 0;
}

#define W 128
#define H 96

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 25);
    bench_rng g = { 0x5DEECE66DULL };
    scene_init(&g);
    static unsigned char seen[NTRI];
    static unsigned char image[H][W];
    int failures = 0;

    double t0 = bench_now();
    uint64_t h = 0x6A09E667F3BCC908ULL;
    int sample = 0;
    for (int frame = 0; frame < scale; frame++) {
        scene_frame(frame);
        bvh_build();
        failures += bvh_check(seen);
        if (max_depth > 120)
            failures++;
        h = mix64(h, (uint64_t)nnodes);

        /* camera on a circle parametrised by t -> ((1-t^2)/(1+t^2), 2t/(1+t^2)) */
        float t = -1.0f + 2.0f * (float)frame / (float)(scale > 1 ? scale : 2);
        float cx = (1.0f - t * t) / (1.0f + t * t), cz = 2.0f * t / (1.0f + t * t);
        vec3 eye = v3(50.0f + 70.0f * cx, 45.0f, 50.0f + 70.0f * cz);
        vec3 target = v3(50.0f, 8.0f, 50.0f);
        vec3 fwd = vnorm(vsub(target, eye));
        vec3 right = vnorm(vcross(fwd, v3(0.0f, 1.0f, 0.0f)));
        vec3 up = vcross(right, fwd);
        vec3 light = v3(20.0f + (float)(frame % 7) * 9.0f, 90.0f, 30.0f);

        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float px = ((float)x + 0.5f) / (float)W * 2.0f - 1.0f;
                float py = 1.0f - ((float)y + 0.5f) / (float)H * 2.0f;
                vec3 dir = vnorm(vadd(fwd, vadd(vscale(right, px * 0.9f), vscale(up, py * 0.68f))));
                ray_t r = make_ray(eye, dir);
                float thit;
                int hit = closest_hit(&r, 1e-3f, &thit);
                int check = (++sample % 211) == 0;
                if (check) {
                    float tb;
                    int hb = brute_closest(&r, 1e-3f, &tb);
                    if ((hb < 0) != (hit < 0) || (hit >= 0 && tb != thit))
                        failures++;
                }
                unsigned char pix;
                if (hit < 0) {
                    pix = (unsigned char)(40 + y / 4);
                } else {
                    vec3 p = vadd(eye, vscale(dir, thit));
                    vec3 nrm = vnorm(vcross(tris[hit].e1, tris[hit].e2));
                    if (vdot(nrm, dir) > 0.0f)
                        nrm = vscale(nrm, -1.0f);
                    vec3 tl = vsub(light, p);
                    float dist = sqrtf(vdot(tl, tl));
                    vec3 ldir = vscale(tl, 1.0f / dist);
                    float lam = vdot(nrm, ldir);
                    float shade = 0.15f;
                    if (lam > 0.0f) {
                        ray_t sr = make_ray(vadd(p, vscale(nrm, 1e-3f)), ldir);
                        int occ = any_hit(&sr, 1e-3f, dist);
                        if (check && occ != brute_any(&sr, 1e-3f, dist))
                            failures++;
                        if (!occ)
                            shade += 0.85f * lam;
                    }
                    pix = (unsigned char)(shade * 255.0f);
                    h = mix64(h, (uint64_t)hit);
                }
                image[y][x] = pix;
            }
        }
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x += 8) {
                uint64_t w = 0;
                for (int k = 0; k < 8; k++)
                    w = (w << 8) | image[y][x + k];
                h = mix64(h, w);
            }
    }
    bench_report(t0);
    h = mix64(h, (uint64_t)node_visits);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
