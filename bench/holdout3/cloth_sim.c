/* cloth_sim — position-based cloth: a 64x64 particle grid (double) with Verlet integration,
 * structural/shear/bend distance constraints relaxed Gauss-Seidel style, pinned corners, a moving sphere and a floor.
 * bench-cflags: -O3
 *
 * Wind gusts are a triangle wave in time; the checksum folds in quantised particle positions and
 * the total constraint error after every block of steps. */
#include "../programs/bench.h"
#include <math.h>

#define GW 64
#define GH 64
#define NP (GW * GH)
#define ITERS 6
#define STEPS_PER_SCALE 40

typedef struct { double x, y, z; } vec3;
typedef struct { int a, b; double rest, stiff; } constraint;

static vec3 pos[NP], prev[NP];
static double inv_mass[NP];
static constraint cons_list[NP * 6];
static int ncons;

/* Quantise for the checksum; out-of-range values (never expected) map to a fixed marker. */
static uint64_t quant(double v, double s)
{
    double q = v * s;
    if (!(q > -9.0e18 && q < 9.0e18)) return 0xdeadULL;
    return (uint64_t)(int64_t)q;
}

static void add_constraint(int a, int b, double stiff)
{
    double dx = pos[b].x - pos[a].x, dy = pos[b].y - pos[a].y, dz = pos[b].z - pos[a].z;
    constraint *c = &cons_list[ncons++];
    c->a = a; c->b = b; c->rest = sqrt(dx * dx + dy * dy + dz * dz); c->stiff = stiff;
}

static double tri_wave(int t, int period)
{
    int m = t % period;
    double u = (double)m / (double)period;   /* 0..1 */
    return u < 0.5 ? 4.0 * u - 1.0 : 3.0 - 4.0 * u;
}

static void setup(bench_rng *r)
{
    double spacing = 0.05;
    for (int j = 0; j < GH; j++)
        for (int i = 0; i < GW; i++) {
            int k = j * GW + i;
            double jitter = ((double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0) - 0.5) * 1e-4;
            pos[k].x = (double)i * spacing - 1.6;
            pos[k].y = 2.0;
            pos[k].z = (double)j * spacing - 1.6 + jitter;
            prev[k] = pos[k];
            inv_mass[k] = 1.0;
        }
    inv_mass[0] = 0.0;
    inv_mass[GW - 1] = 0.0;
    inv_mass[GW / 2] = 0.0;
    ncons = 0;
    for (int j = 0; j < GH; j++)
        for (int i = 0; i < GW; i++) {
            int k = j * GW + i;
            if (i + 1 < GW) add_constraint(k, k + 1, 1.0);
            if (j + 1 < GH) add_constraint(k, k + GW, 1.0);
            if (i + 1 < GW && j + 1 < GH) add_constraint(k, k + GW + 1, 0.5);
            if (i > 0 && j + 1 < GH) add_constraint(k, k + GW - 1, 0.5);
            if (i + 2 < GW) add_constraint(k, k + 2, 0.2);
            if (j + 2 < GH) add_constraint(k, k + 2 * GW, 0.2);
        }
}

static void step(int t)
{
    const double dt = 1.0 / 120.0;
    const double damping = 0.995;
    double wind = 2.5 * tri_wave(t, 240) + 0.8 * tri_wave(t + 37, 55);
    for (int k = 0; k < NP; k++) {
        if (inv_mass[k] == 0.0) continue;
        vec3 p = pos[k];
        double vx = (p.x - prev[k].x) * damping;
        double vy = (p.y - prev[k].y) * damping;
        double vz = (p.z - prev[k].z) * damping;
        prev[k] = p;
        /* wind acts more on particles far from the pinned edge */
        double w = wind * (0.3 + 0.7 * (double)(k / GW) / (double)GH);
        pos[k].x = p.x + vx + w * 0.4 * dt * dt;
        pos[k].y = p.y + vy - 9.81 * dt * dt;
        pos[k].z = p.z + vz + w * dt * dt;
    }
    /* moving sphere */
    double sx = 0.8 * tri_wave(t, 600), sy = 0.9, sz = 0.2 + 0.5 * tri_wave(t + 150, 600), sr = 0.45;
    for (int it = 0; it < ITERS; it++) {
        for (int c = 0; c < ncons; c++) {
            constraint *cn = &cons_list[c];
            double wa = inv_mass[cn->a], wb = inv_mass[cn->b];
            double wsum = wa + wb;
            if (wsum == 0.0) continue;
            vec3 *pa = &pos[cn->a], *pb = &pos[cn->b];
            double dx = pb->x - pa->x, dy = pb->y - pa->y, dz = pb->z - pa->z;
            double len = sqrt(dx * dx + dy * dy + dz * dz);
            if (len < 1e-12) continue;
            double corr = (len - cn->rest) / (len * wsum) * cn->stiff;
            pa->x += dx * corr * wa; pa->y += dy * corr * wa; pa->z += dz * corr * wa;
            pb->x -= dx * corr * wb; pb->y -= dy * corr * wb; pb->z -= dz * corr * wb;
        }
        for (int k = 0; k < NP; k++) {
            if (inv_mass[k] == 0.0) continue;
            double dx = pos[k].x - sx, dy = pos[k].y - sy, dz = pos[k].z - sz;
            double d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < sr * sr && d2 > 1e-12) {
                double d = sqrt(d2);
                double s = sr / d;
                pos[k].x = sx + dx * s; pos[k].y = sy + dy * s; pos[k].z = sz + dz * s;
            }
            if (pos[k].y < 0.0) pos[k].y = 0.0;
        }
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 7);
    bench_rng rng = { 0x636c6f7468ULL };
    setup(&rng);

    double start = bench_now();
    uint64_t h = 0;
    int t = 0;
    for (int s = 0; s < scale; s++) {
        for (int k = 0; k < STEPS_PER_SCALE; k++) step(t++);
        double err = 0.0;
        for (int c = 0; c < ncons; c++) {
            const constraint *cn = &cons_list[c];
            double dx = pos[cn->b].x - pos[cn->a].x, dy = pos[cn->b].y - pos[cn->a].y, dz = pos[cn->b].z - pos[cn->a].z;
            double e = sqrt(dx * dx + dy * dy + dz * dz) - cn->rest;
            err += e * e;
        }
        h = mix64(h, quant(err, 1e9));
        for (int k = 0; k < NP; k += 17)
            h = mix64(h, quant(pos[k].x, 1e6) ^ (quant(pos[k].y, 1e6) << 21) ^ (quant(pos[k].z, 1e6) << 42));
    }
    double cy = 0.0;
    for (int k = 0; k < NP; k++) cy += pos[k].y;
    bench_report(start);
    printf("cloth_sim steps=%d constraints=%d mean_y=%.9f checksum=%016llx\n", t, ncons, cy / NP,
           (unsigned long long)h);
    return 0;
}
