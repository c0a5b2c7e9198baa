/* kmeans — Lloyd's k-means clustering of 4-D float points stored as an array of structs.
 * bench-cflags: -O3
 *
 * Points are drawn around a set of hidden centres (sums of uniforms give a rough bell shape).
 * Each run picks initial centroids from the data, then alternates assignment (nearest centroid by
 * squared distance in float) and update (per-cluster sums accumulated in double, empty clusters
 * re-seeded from the farthest point) until no point moves or an iteration cap is hit. */
#include "../programs/bench.h"

#define NPOINTS 60000
#define DIM 4
#define K 16
#define MAX_ITERS 40

typedef struct {
    float v[DIM];
    int cluster;
    float dist;      /* squared distance to its centroid */
} point;

typedef struct {
    float v[DIM];
} centroid;

static float frand(bench_rng *r) { return (float)rng_below(r, 1u << 24) / (float)(1u << 24); }

static void generate(point *pts, int n, bench_rng *r)
{
    float centres[24][DIM];
    for (int c = 0; c < 24; c++)
        for (int d = 0; d < DIM; d++) centres[c][d] = frand(r) * 100.0f;
    for (int i = 0; i < n; i++) {
        int c = (int)rng_below(r, 24);
        float spread = 2.0f + (float)(c % 5) * 1.5f;
        for (int d = 0; d < DIM; d++) {
            float g = frand(r) + frand(r) + frand(r) + frand(r) - 2.0f;
            pts[i].v[d] = centres[c][d] + g * spread;
        }
        pts[i].cluster = -1;
        pts[i].dist = 0.0f;
    }
}

static inline float dist2(const float *a, const float *b)
{
    float s = 0.0f;
    for (int d = 0; d < DIM; d++) {
        float t = a[d] - b[d];
        s += t * t;
    }
    return s;
}

static int assign(point *pts, int n, const centroid *cent, int k)
{
    int moved = 0;
    for (int i = 0; i < n; i++) {
        int best = 0;
        float bd = dist2(pts[i].v, cent[0].v);
        for (int c = 1; c < k; c++) {
            float d = dist2(pts[i].v, cent[c].v);
            if (d < bd) { bd = d; best = c; }
        }
        if (pts[i].cluster != best) { pts[i].cluster = best; moved++; }
        pts[i].dist = bd;
    }
    return moved;
}

static void update(const point *pts, int n, centroid *cent, int k)
{
    double sum[K][DIM];
    int count[K];
    memset(sum, 0, sizeof sum);
    memset(count, 0, sizeof count);
    for (int i = 0; i < n; i++) {
        int c = pts[i].cluster;
        count[c]++;
        for (int d = 0; d < DIM; d++) sum[c][d] += pts[i].v[d];
    }
    for (int c = 0; c < k; c++) {
        if (count[c] == 0) {
            /* re-seed an empty cluster with the point farthest from its centroid */
            int far = 0;
            for (int i = 1; i < n; i++) if (pts[i].dist > pts[far].dist) far = i;
            for (int d = 0; d < DIM; d++) cent[c].v[d] = pts[far].v[d];
            continue;
        }
        for (int d = 0; d < DIM; d++) cent[c].v[d] = (float)(sum[c][d] / count[c]);
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 27);
    point *pts = malloc(sizeof(point) * NPOINTS);
    bench_rng rng = { 0x3EA45ULL };
    generate(pts, NPOINTS, &rng);

    double start = bench_now();
    uint64_t h = 0;
    long total_iters = 0;
    for (int run = 0; run < scale; run++) {
        centroid cent[K];
        int k = K - (run % 4) * 2;            /* 16, 14, 12, 10 clusters */
        for (int c = 0; c < k; c++) {
            int idx = (int)rng_below(&rng, NPOINTS);
            for (int d = 0; d < DIM; d++) cent[c].v[d] = pts[idx].v[d];
        }
        for (int i = 0; i < NPOINTS; i++) pts[i].cluster = -1;
        int it = 0;
        for (; it < MAX_ITERS; it++) {
            int moved = assign(pts, NPOINTS, cent, k);
            if (moved == 0) break;
            update(pts, NPOINTS, cent, k);
        }
        total_iters += it;
        double inertia = 0.0;
        for (int i = 0; i < NPOINTS; i++) inertia += pts[i].dist;
        uint64_t bits;
        memcpy(&bits, &inertia, sizeof bits);
        h = mix64(h, bits);
        for (int c = 0; c < k; c++) {
            uint32_t b;
            memcpy(&b, &cent[c].v[c % DIM], sizeof b);
            h = mix64(h, b);
        }
        for (int i = 0; i < NPOINTS; i += 97) h = mix64(h, (uint64_t)pts[i].cluster);
    }
    bench_report(start);
    printf("kmeans points=%d runs=%d iterations=%ld checksum=%016llx\n", NPOINTS, scale, total_iters,
           (unsigned long long)h);
    free(pts);
    return 0;
}
