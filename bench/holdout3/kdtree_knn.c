/* kdtree_knn — 3-D k-d tree over double points: median-split build by quickselect on an index
 * array into a flat node array, then k-nearest-neighbour queries with a bounded max-heap and radius counts.
 *
 * Each round rebuilds the tree over a jittered copy of a clustered point cloud and answers a batch
 * of queries; the checksum folds in neighbour ids and quantised squared distances. */
#include "../programs/bench.h"

#define NPTS 60000
#define NQUERY 9000
#define K 8
#define LEAF 6

typedef struct { double x[3]; } point;

typedef struct {
    double split;   /* splitting coordinate value */
    int axis;       /* -1 for a leaf */
    int lo, hi;     /* leaf: range in idx[]; inner: children node ids */
    double bmin[3], bmax[3];
} kdnode;

typedef struct {
    const point *pts;
    int *idx;
    kdnode *nodes;
    int nnodes;
} kdtree;

typedef struct {
    double d[K];
    int id[K];
    int n;
} knn_heap;

static double rnd_unit(bench_rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

static double coord(const kdtree *t, int i, int axis) { return t->pts[t->idx[i]].x[axis]; }

/* Hoare-style quickselect so that idx[k] holds the element of rank k along axis. */
static void select_kth(kdtree *t, int lo, int hi, int k, int axis)
{
    while (hi > lo) {
        double pivot = coord(t, lo + (hi - lo) / 2, axis);
        int i = lo, j = hi;
        while (i <= j) {
            while (coord(t, i, axis) < pivot) i++;
            while (coord(t, j, axis) > pivot) j--;
            if (i <= j) {
                int tmp = t->idx[i]; t->idx[i] = t->idx[j]; t->idx[j] = tmp;
                i++; j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return;
    }
}

static int build(kdtree *t, int lo, int hi)   /* [lo, hi) */
{
    int id = t->nnodes++;
    kdnode *nd = &t->nodes[id];
    for (int a = 0; a < 3; a++) { nd->bmin[a] = 1e300; nd->bmax[a] = -1e300; }
    for (int i = lo; i < hi; i++) {
        const point *p = &t->pts[t->idx[i]];
        for (int a = 0; a < 3; a++) {
            if (p->x[a] < nd->bmin[a]) nd->bmin[a] = p->x[a];
            if (p->x[a] > nd->bmax[a]) nd->bmax[a] = p->x[a];
        }
    }
    if (hi - lo <= LEAF) {
        nd->axis = -1; nd->lo = lo; nd->hi = hi; nd->split = 0.0;
        return id;
    }
    int axis = 0;
    double best = nd->bmax[0] - nd->bmin[0];
    for (int a = 1; a < 3; a++)
        if (nd->bmax[a] - nd->bmin[a] > best) { best = nd->bmax[a] - nd->bmin[a]; axis = a; }
    int mid = lo + (hi - lo) / 2;
    select_kth(t, lo, hi - 1, mid, axis);
    double split = coord(t, mid, axis);
    int l = build(t, lo, mid);
    int r = build(t, mid, hi);
    nd = &t->nodes[id];
    nd->axis = axis; nd->split = split; nd->lo = l; nd->hi = r;
    return id;
}

static void heap_push(knn_heap *h, double d, int id)
{
    if (h->n < K) {
        int i = h->n++;
        while (i > 0) {
            int p = (i - 1) / 2;
            if (h->d[p] >= d) break;
            h->d[i] = h->d[p]; h->id[i] = h->id[p]; i = p;
        }
        h->d[i] = d; h->id[i] = id;
    } else if (d < h->d[0]) {
        int i = 0;
        for (;;) {
            int c = 2 * i + 1;
            if (c >= K) break;
            if (c + 1 < K && h->d[c + 1] > h->d[c]) c++;
            if (h->d[c] <= d) break;
            h->d[i] = h->d[c]; h->id[i] = h->id[c]; i = c;
        }
        h->d[i] = d; h->id[i] = id;
    }
}

static double box_dist2(const kdnode *nd, const double *q)
{
    double s = 0.0;
    for (int a = 0; a < 3; a++) {
        double v = 0.0;
        if (q[a] < nd->bmin[a]) v = nd->bmin[a] - q[a];
        else if (q[a] > nd->bmax[a]) v = q[a] - nd->bmax[a];
        s += v * v;
    }
    return s;
}

static void knn(const kdtree *t, int node, const double *q, knn_heap *h)
{
    const kdnode *nd = &t->nodes[node];
    if (h->n == K && box_dist2(nd, q) >= h->d[0]) return;
    if (nd->axis < 0) {
        for (int i = nd->lo; i < nd->hi; i++) {
            int pid = t->idx[i];
            const point *p = &t->pts[pid];
            double dx = p->x[0] - q[0], dy = p->x[1] - q[1], dz = p->x[2] - q[2];
            heap_push(h, dx * dx + dy * dy + dz * dz, pid);
        }
        return;
    }
    int first = q[nd->axis] < nd->split ? nd->lo : nd->hi;
    int second = first == nd->lo ? nd->hi : nd->lo;
    knn(t, first, q, h);
    knn(t, second, q, h);
}

static int radius_count(const kdtree *t, int node, const double *q, double r2)
{
    const kdnode *nd = &t->nodes[node];
    if (box_dist2(nd, q) > r2) return 0;
    if (nd->axis < 0) {
        int c = 0;
        for (int i = nd->lo; i < nd->hi; i++) {
            const point *p = &t->pts[t->idx[i]];
            double dx = p->x[0] - q[0], dy = p->x[1] - q[1], dz = p->x[2] - q[2];
            if (dx * dx + dy * dy + dz * dz <= r2) c++;
        }
        return c;
    }
    return radius_count(t, nd->lo, q, r2) + radius_count(t, nd->hi, q, r2);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 15);
    bench_rng rng = { 0x6b647472656531ULL };

    /* Clustered cloud: 40 Gaussian-ish blobs (sum of uniforms) plus uniform background. */
    point *base = malloc(sizeof(point) * NPTS);
    point *pts = malloc(sizeof(point) * NPTS);
    double *jitter = malloc(sizeof(double) * NPTS * 3);
    double *queries = malloc(sizeof(double) * NQUERY * 3);
    int *idx = malloc(sizeof(int) * NPTS);
    kdnode *nodes = malloc(sizeof(kdnode) * NPTS);
    if (!base || !pts || !jitter || !queries || !idx || !nodes) return 1;
    double centers[40][3];
    for (int c = 0; c < 40; c++)
        for (int a = 0; a < 3; a++) centers[c][a] = rnd_unit(&rng) * 100.0;
    for (int i = 0; i < NPTS; i++) {
        if (i % 5 == 0) {
            for (int a = 0; a < 3; a++) base[i].x[a] = rnd_unit(&rng) * 100.0;
        } else {
            int c = (int)rng_below(&rng, 40);
            for (int a = 0; a < 3; a++) {
                double g = rnd_unit(&rng) + rnd_unit(&rng) + rnd_unit(&rng) - 1.5;
                base[i].x[a] = centers[c][a] + g * 4.0;
            }
        }
    }
    for (int i = 0; i < NPTS * 3; i++) jitter[i] = (rnd_unit(&rng) - 0.5) * 0.02;
    for (int i = 0; i < NQUERY; i++) {
        int c = (int)rng_below(&rng, 40);
        for (int a = 0; a < 3; a++)
            queries[i * 3 + a] = (i & 1) ? rnd_unit(&rng) * 100.0 : centers[c][a] + (rnd_unit(&rng) - 0.5) * 6.0;
    }

    double start = bench_now();
    uint64_t h = 0;
    long long total_in_radius = 0;
    for (int round = 0; round < scale; round++) {
        double amp = (double)(round % 7);
        for (int i = 0; i < NPTS; i++)
            for (int a = 0; a < 3; a++) pts[i].x[a] = base[i].x[a] + jitter[i * 3 + a] * amp;
        for (int i = 0; i < NPTS; i++) idx[i] = i;
        kdtree t = { pts, idx, nodes, 0 };
        int root = build(&t, 0, NPTS);
        h = mix64(h, (uint64_t)t.nnodes);
        for (int qi = 0; qi < NQUERY; qi++) {
            const double *q = &queries[qi * 3];
            knn_heap hp;
            hp.n = 0;
            knn(&t, root, q, &hp);
            /* heap root is the farthest of the K; fold all ids and the max distance */
            uint64_t ids = 0;
            for (int j = 0; j < hp.n; j++) ids += (uint64_t)hp.id[j] * (uint64_t)(hp.id[j] + 1);
            h = mix64(h, ids);
            h = mix64(h, (uint64_t)(hp.d[0] * 1048576.0));
            if ((qi & 3) == 0) {
                int c = radius_count(&t, root, q, 2.25);
                total_in_radius += c;
                h = mix64(h, (uint64_t)c);
            }
        }
    }
    bench_report(start);
    printf("kdtree_knn points=%d queries=%d rounds=%d in_radius=%lld checksum=%016llx\n", NPTS, NQUERY, scale,
           total_in_radius, (unsigned long long)h);
    free(base); free(pts); free(jitter); free(queries); free(idx); free(nodes);
    return 0;
}
