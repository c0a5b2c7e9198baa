/* particles_hash — 2-D disc collisions with a spatial hash grid.
 * bench-cflags: -O3
 *
 * Discs of varied radius and mass (struct-of-arrays, double) fall under gravity in a box with a
 * few fixed circular obstacles. Each substep integrates velocities and positions, rebuilds a hashed
 * uniform grid (cell coordinates hashed into a power-of-two bucket table, chained through a
 * per-particle next array), then resolves overlapping pairs from the 3x3 neighbouring cells with
 * positional correction and restitution impulses (sqrt for the contact normal), and finally the
 * walls and obstacles. Only + - * / and sqrt are used on doubles. */
#include "../programs/bench.h"

#include <math.h>

#define N 3000
#define NBUCKET 8192
#define NOBST 5

typedef struct {
    double *x, *y, *vx, *vy, *r, *inv_m;
    int32_t *cx, *cy;
    int32_t *next;
} Particles;

static int32_t head[NBUCKET];
static const double W = 200.0, H = 200.0;
static double ox[NOBST], oy[NOBST], orad[NOBST];

static inline uint32_t cell_hash(int32_t cx, int32_t cy)
{
    return ((uint32_t)cx * 73856093u ^ (uint32_t)cy * 19349663u) & (NBUCKET - 1);
}

static inline void resolve(Particles *p, int i, int j, uint64_t *contacts)
{
    double dx = p->x[j] - p->x[i], dy = p->y[j] - p->y[i];
    double rs = p->r[i] + p->r[j];
    double d2 = dx * dx + dy * dy;
    if (d2 >= rs * rs || d2 == 0.0)
        return;
    (*contacts)++;
    double d = sqrt(d2);
    double nx = dx / d, ny = dy / d;
    double wi = p->inv_m[i], wj = p->inv_m[j], wsum = wi + wj;
    double pen = (rs - d) * 0.8 / wsum;
    p->x[i] -= nx * pen * wi;
    p->y[i] -= ny * pen * wi;
    p->x[j] += nx * pen * wj;
    p->y[j] += ny * pen * wj;
    double rvx = p->vx[j] - p->vx[i], rvy = p->vy[j] - p->vy[i];
    double vn = rvx * nx + rvy * ny;
    if (vn < 0.0) {
        double jimp = -(1.0 + 0.6) * vn / wsum;
        p->vx[i] -= jimp * wi * nx;
        p->vy[i] -= jimp * wi * ny;
        p->vx[j] += jimp * wj * nx;
        p->vy[j] += jimp * wj * ny;
    }
}

static void step(Particles *p, double dt, double cell, uint64_t *contacts)
{
    double inv_cell = 1.0 / cell;
    for (int i = 0; i < N; i++) {
        p->vy[i] -= 9.81 * dt;
        p->vx[i] *= 0.9995;
        p->vy[i] *= 0.9995;
        p->x[i] += p->vx[i] * dt;
        p->y[i] += p->vy[i] * dt;
    }
    for (int b = 0; b < NBUCKET; b++)
        head[b] = -1;
    for (int i = 0; i < N; i++) {
        double x = p->x[i], y = p->y[i];
        if (x < 0.0)
            x = 0.0;
        if (x > W)
            x = W;
        if (y < 0.0)
            y = 0.0;
        if (y > H)
            y = H;
        int32_t cx = (int32_t)(x * inv_cell), cy = (int32_t)(y * inv_cell);
        p->cx[i] = cx;
        p->cy[i] = cy;
        uint32_t b = cell_hash(cx, cy);
        p->next[i] = head[b];
        head[b] = i;
    }
    for (int i = 0; i < N; i++) {
        int32_t cx = p->cx[i], cy = p->cy[i];
        for (int32_t dy = -1; dy <= 1; dy++)
            for (int32_t dx = -1; dx <= 1; dx++) {
                int32_t tx = cx + dx, ty = cy + dy;
                for (int32_t j = head[cell_hash(tx, ty)]; j >= 0; j = p->next[j])
                    if (j > i && p->cx[j] == tx && p->cy[j] == ty)
                        resolve(p, i, j, contacts);
            }
    }
    for (int i = 0; i < N; i++) {
        double r = p->r[i];
        if (p->x[i] < r) {
            p->x[i] = r;
            if (p->vx[i] < 0.0)
                p->vx[i] = -p->vx[i] * 0.5;
        } else if (p->x[i] > W - r) {
            p->x[i] = W - r;
            if (p->vx[i] > 0.0)
                p->vx[i] = -p->vx[i] * 0.5;
        }
        if (p->y[i] < r) {
            p->y[i] = r;
            if (p->vy[i] < 0.0)
                p->vy[i] = -p->vy[i] * 0.5;
        } else if (p->y[i] > H - r) {
            p->y[i] = H - r;
            if (p->vy[i] > 0.0)
                p->vy[i] = -p->vy[i] * 0.5;
        }
        for (int k = 0; k < NOBST; k++) {
            double dx = p->x[i] - ox[k], dy = p->y[i] - oy[k], rs = r + orad[k];
            double d2 = dx * dx + dy * dy;
            if (d2 < rs * rs && d2 > 0.0) {
                double d = sqrt(d2), nx = dx / d, ny = dy / d;
                p->x[i] = ox[k] + nx * rs;
                p->y[i] = oy[k] + ny * rs;
                double vn = p->vx[i] * nx + p->vy[i] * ny;
                if (vn < 0.0) {
                    p->vx[i] -= 1.5 * vn * nx;
                    p->vy[i] -= 1.5 * vn * ny;
                }
            }
        }
    }
}

static double unit(bench_rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static uint64_t dbits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 95);
    bench_rng rng = { 0x7061727469636c65ULL };
    Particles p;
    double **fields[6] = { &p.x, &p.y, &p.vx, &p.vy, &p.r, &p.inv_m };
    for (int f = 0; f < 6; f++)
        *fields[f] = malloc(N * sizeof(double));
    p.cx = malloc(N * sizeof(int32_t));
    p.cy = malloc(N * sizeof(int32_t));
    p.next = malloc(N * sizeof(int32_t));
    double rmax = 0.0;
    for (int i = 0; i < N; i++) {
        p.r[i] = 0.6 + 1.0 * unit(&rng);
        if (p.r[i] > rmax)
            rmax = p.r[i];
        p.inv_m[i] = 1.0 / (p.r[i] * p.r[i]);
        p.x[i] = p.r[i] + (W - 2.0 * p.r[i]) * unit(&rng);
        p.y[i] = H * 0.3 + (H * 0.7 - p.r[i]) * unit(&rng);
        p.vx[i] = (unit(&rng) - 0.5) * 20.0;
        p.vy[i] = (unit(&rng) - 0.5) * 20.0;
    }
    for (int k = 0; k < NOBST; k++) {
        ox[k] = 20.0 + 40.0 * k;
        oy[k] = 40.0 + 30.0 * (k & 1);
        orad[k] = 8.0 + 2.0 * k;
    }

    double start = bench_now();
    uint64_t contacts = 0, h = 0;
    for (int frame = 0; frame < scale; frame++) {
        for (int s = 0; s < 8; s++)
            step(&p, 1.0 / 240.0, 2.0 * rmax, &contacts);
        /* stir: kick a band of particles upwards so the pile keeps moving */
        int band = (frame * 97) % N;
        for (int i = band; i < band + 200 && i < N; i++)
            p.vy[i] += 30.0;
        double sx = 0.0, sy = 0.0, ke = 0.0;
        for (int i = 0; i < N; i++) {
            sx += p.x[i];
            sy += p.y[i];
            ke += (p.vx[i] * p.vx[i] + p.vy[i] * p.vy[i]) / p.inv_m[i];
        }
        h = mix64(h, dbits(sx));
        h = mix64(h, dbits(sy));
        h = mix64(h, dbits(ke));
    }
    bench_report(start);
    double sx = 0.0, sy = 0.0;
    for (int i = 0; i < N; i++) {
        sx += p.x[i];
        sy += p.y[i];
    }
    printf("particles_hash n=%d frames=%d contacts=%llu mean=(%.6f,%.6f) checksum=%016llx\n", N, scale,
           (unsigned long long)contacts, sx / N, sy / N, (unsigned long long)h);
    for (int f = 0; f < 6; f++)
        free(*fields[f]);
    free(p.cx);
    free(p.cy);
    free(p.next);
    return 0;
}
