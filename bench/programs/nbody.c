/* nbody — a softened gravitational N-body system integrated with velocity Verlet (kick-drift-kick). */
#include "bench.h"
#include <math.h>

#define BODIES 48

typedef struct { double x[BODIES], y[BODIES], z[BODIES], vx[BODIES], vy[BODIES], vz[BODIES], m[BODIES]; } system_t;
static system_t sys;
static double ax[BODIES], ay[BODIES], az[BODIES];

static void accelerations(void)
{
    const double eps2 = 1e-2;
    for (int i = 0; i < BODIES; i++)
        ax[i] = ay[i] = az[i] = 0.0;
    for (int i = 0; i < BODIES; i++) {
        for (int j = i + 1; j < BODIES; j++) {
            double dx = sys.x[j] - sys.x[i], dy = sys.y[j] - sys.y[i], dz = sys.z[j] - sys.z[i];
            double r2 = dx * dx + dy * dy + dz * dz + eps2;
            double inv = 1.0 / (r2 * sqrt(r2));
            double fi = sys.m[j] * inv, fj = sys.m[i] * inv;
            ax[i] += dx * fi; ay[i] += dy * fi; az[i] += dz * fi;
            ax[j] -= dx * fj; ay[j] -= dy * fj; az[j] -= dz * fj;
        }
    }
}

static double energy(void)
{
    double e = 0.0;
    for (int i = 0; i < BODIES; i++) {
        e += 0.5 * sys.m[i] * (sys.vx[i] * sys.vx[i] + sys.vy[i] * sys.vy[i] + sys.vz[i] * sys.vz[i]);
        for (int j = i + 1; j < BODIES; j++) {
            double dx = sys.x[j] - sys.x[i], dy = sys.y[j] - sys.y[i], dz = sys.z[j] - sys.z[i];
            e -= sys.m[i] * sys.m[j] / sqrt(dx * dx + dy * dy + dz * dz + 1e-2);
        }
    }
    return e;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 160);
    bench_rng rng = { 0xD1B54A32D192ED03ULL };
    for (int i = 0; i < BODIES; i++) {
        sys.x[i] = rng_below(&rng, 20001) / 1000.0 - 10.0;
        sys.y[i] = rng_below(&rng, 20001) / 1000.0 - 10.0;
        sys.z[i] = rng_below(&rng, 2001) / 1000.0 - 1.0;
        sys.vx[i] = -sys.y[i] * 0.05;
        sys.vy[i] = sys.x[i] * 0.05;
        sys.vz[i] = 0.0;
        sys.m[i] = 0.5 + rng_below(&rng, 1000) / 1000.0;
    }
    double start = bench_now();
    double e0 = energy();
    const double dt = 0.001;
    accelerations();
    for (int step = 0; step < scale * 1000; step++) {
        for (int i = 0; i < BODIES; i++) {
            sys.vx[i] += 0.5 * dt * ax[i]; sys.vy[i] += 0.5 * dt * ay[i]; sys.vz[i] += 0.5 * dt * az[i];
            sys.x[i] += dt * sys.vx[i]; sys.y[i] += dt * sys.vy[i]; sys.z[i] += dt * sys.vz[i];
        }
        accelerations();
        for (int i = 0; i < BODIES; i++) {
            sys.vx[i] += 0.5 * dt * ax[i]; sys.vy[i] += 0.5 * dt * ay[i]; sys.vz[i] += 0.5 * dt * az[i];
        }
    }
    double e1 = energy();
    bench_report(start);
    printf("nbody bodies=%d steps=%d e0=%.9f e1=%.9f\n", BODIES, scale * 1000, e0, e1);
    return 0;
}
