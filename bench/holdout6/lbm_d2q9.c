/* lbm_d2q9 — lattice Boltzmann channel flow (D2Q9, BGK) past obstacles.
 * bench-cflags: -O3
 *
 * Nine distribution functions per cell in struct-of-arrays double planes, double-buffered. Each
 * step pulls post-collision populations from the upstream neighbours (periodic in x, halfway
 * bounce-back from a solid mask: channel walls and a staggered row of discs), computes density and
 * velocity with a body force shift, and relaxes towards the second-order equilibrium with a single
 * relaxation time. Every few hundred steps the run records the mass, momentum, the maximum
 * speed (sqrt) and a vorticity sample. The checksum hashes those doubles' bit patterns. */
#include "../programs/bench.h"

#include <math.h>

#define NX 240
#define NY 96
#define NC (NX * NY)

static const int EX[9] = { 0, 1, 0, -1, 0, 1, -1, -1, 1 };
static const int EY[9] = { 0, 0, 1, 0, -1, 1, 1, -1, -1 };
static const int OPP[9] = { 0, 3, 4, 1, 2, 7, 8, 5, 6 };
static const double W[9] = { 4.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 36, 1.0 / 36,
    1.0 / 36, 1.0 / 36 };

static double fa[9][NC], fb[9][NC];
static uint8_t solid[NC];
static double ux_f[NC], uy_f[NC];

static uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static void step(double (*src)[NC], double (*dst)[NC], double omega, double fx)
{
    for (int y = 1; y < NY - 1; y++) {
        for (int x = 0; x < NX; x++) {
            int c = y * NX + x;
            if (solid[c])
                continue;
            double f[9];
            for (int i = 0; i < 9; i++) {
                int sx = x - EX[i], sy = y - EY[i];
                if (sx < 0)
                    sx += NX;
                else if (sx >= NX)
                    sx -= NX;
                int s = sy * NX + sx;
                f[i] = solid[s] ? src[OPP[i]][c] : src[i][s];
            }
            double rho = f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7] + f[8];
            double jx = f[1] - f[3] + f[5] - f[6] - f[7] + f[8];
            double jy = f[2] - f[4] + f[5] + f[6] - f[7] - f[8];
            double inv = 1.0 / rho;
            double ux = jx * inv + fx / (omega * rho);
            double uy = jy * inv;
            ux_f[c] = ux;
            uy_f[c] = uy;
            double usq = 1.5 * (ux * ux + uy * uy);
            for (int i = 0; i < 9; i++) {
                double eu = (double)EX[i] * ux + (double)EY[i] * uy;
                double feq = W[i] * rho * (1.0 + 3.0 * eu + 4.5 * eu * eu - usq);
                dst[i][c] = f[i] + omega * (feq - f[i]);
            }
        }
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 9);
    for (int x = 0; x < NX; x++) {
        solid[x] = 1;
        solid[(NY - 1) * NX + x] = 1;
    }
    for (int k = 0; k < 5; k++) { /* staggered discs */
        int cx = 30 + k * 45, cy = (k & 1) ? NY / 2 + 14 : NY / 2 - 10, r = 9 + (k % 3) * 2;
        for (int y = 0; y < NY; y++)
            for (int x = 0; x < NX; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                    solid[y * NX + x] = 1;
    }
    for (int i = 0; i < 9; i++)
        for (int c = 0; c < NC; c++)
            fa[i][c] = solid[c] ? 0.0 : W[i];

    double start = bench_now();
    uint64_t h = 0;
    const double omega = 1.0 / 0.56, fx = 2e-5;
    int steps = scale * 120;
    double (*src)[NC] = fa, (*dst)[NC] = fb;
    double maxspeed = 0.0;
    for (int s = 0; s < steps; s++) {
        step(src, dst, omega, fx);
        double (*t)[NC] = src;
        src = dst;
        dst = t;
        if (s % 200 == 199 || s == steps - 1) {
            double mass = 0.0, mom = 0.0;
            maxspeed = 0.0;
            for (int c = 0; c < NC; c++) {
                if (solid[c])
                    continue;
                for (int i = 0; i < 9; i++)
                    mass += src[i][c];
                mom += ux_f[c];
                double sp = sqrt(ux_f[c] * ux_f[c] + uy_f[c] * uy_f[c]);
                if (sp > maxspeed)
                    maxspeed = sp;
            }
            int c0 = (NY / 2) * NX + 100;
            double vort = (uy_f[c0 + 1] - uy_f[c0 - 1]) - (ux_f[c0 + NX] - ux_f[c0 - NX]);
            h = mix64(h, dbits(mass));
            h = mix64(h, dbits(mom));
            h = mix64(h, dbits(maxspeed));
            h = mix64(h, dbits(vort));
        }
    }
    bench_report(start);
    printf("lbm_d2q9 steps=%d cells=%d max_speed_e6=%d checksum=%016llx\n", steps, NC,
        (int)(maxspeed * 1e6), (unsigned long long)h);
    return 0;
}
