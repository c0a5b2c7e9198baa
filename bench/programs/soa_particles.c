/* soa_particles — a particle system kept as a struct of arrays: positions, velocities, masses and
 * bounce counters each in their own malloc'ed array, reached through pointers in one struct. Every
 * step walks several of those arrays at once: a pull toward a few fixed attractors (inverse-square
 * with softening, using sqrt), drag and integration, and reflection off the walls of a box; every
 * few steps a reduction (kinetic energy, centre of mass, a per-octant count) feeds the checksum.
 * Style: struct-of-arrays data layout with float arithmetic and double accumulators. */
#include "bench.h"
#include <math.h>

#define COUNT (1 << 17)
#define ATTRACTORS 4
#define STEPS_PER_SCALE 8
#define BOX 8.0f
#define SOFTENING 0.05f
#define DRAG 0.02f
#define RESTITUTION 0.85f

typedef struct {
    int n;
    float *x, *y, *z;
    float *vx, *vy, *vz;
    float *mass, *inv_mass;
    uint32_t *bounces;
} particles;

static const float attractor_x[ATTRACTORS] = { -3.0f, 3.5f, 0.5f, -1.0f };
static const float attractor_y[ATTRACTORS] = { 2.0f, -2.5f, 4.0f, -4.5f };
static const float attractor_z[ATTRACTORS] = { 0.0f, 1.0f, -2.0f, 3.0f };
static const float attractor_strength[ATTRACTORS] = { 6.0f, 4.5f, 5.0f, 3.0f };

static float *new_array(int n)
{
    float *a = malloc((size_t)n * sizeof *a);
    if (!a) { printf("soa_particles: out of memory\n"); exit(1); }
    return a;
}

static float uniform(bench_rng *rng, float lo, float hi)
{
    return lo + (hi - lo) * (float)rng_below(rng, 1u << 24) / (float)(1u << 24);
}

static void init(particles *p, int n, bench_rng *rng)
{
    p->n = n;
    p->x = new_array(n); p->y = new_array(n); p->z = new_array(n);
    p->vx = new_array(n); p->vy = new_array(n); p->vz = new_array(n);
    p->mass = new_array(n); p->inv_mass = new_array(n);
    p->bounces = calloc((size_t)n, sizeof *p->bounces);
    if (!p->bounces) { printf("soa_particles: out of memory\n"); exit(1); }
    for (int i = 0; i < n; i++) {
        p->x[i] = uniform(rng, -BOX, BOX);
        p->y[i] = uniform(rng, -BOX, BOX);
        p->z[i] = uniform(rng, -BOX, BOX);
        p->vx[i] = uniform(rng, -1.0f, 1.0f);
        p->vy[i] = uniform(rng, -1.0f, 1.0f);
        p->vz[i] = uniform(rng, -0.5f, 0.5f);
        p->mass[i] = uniform(rng, 0.5f, 2.0f);
        p->inv_mass[i] = 1.0f / p->mass[i];
    }
}

static void release(particles *p)
{
    free(p->x); free(p->y); free(p->z);
    free(p->vx); free(p->vy); free(p->vz);
    free(p->mass); free(p->inv_mass); free(p->bounces);
}

/* Gravity toward the fixed attractors: reads x, y, z, updates vx, vy, vz. */
static void attract(particles *p, float dt)
{
    const float *x = p->x, *y = p->y, *z = p->z;
    float *vx = p->vx, *vy = p->vy, *vz = p->vz;
    for (int i = 0; i < p->n; i++) {
        float px = x[i], py = y[i], pz = z[i];
        float ax = 0.0f, ay = 0.0f, az = 0.0f;
        for (int k = 0; k < ATTRACTORS; k++) {
            float dx = attractor_x[k] - px, dy = attractor_y[k] - py, dz = attractor_z[k] - pz;
            float d2 = dx * dx + dy * dy + dz * dz + SOFTENING;
            float s = attractor_strength[k] / (d2 * sqrtf(d2));
            ax += dx * s;
            ay += dy * s;
            az += dz * s;
        }
        vx[i] += ax * dt;
        vy[i] += ay * dt;
        vz[i] += az * dt;
    }
}

/* Drag (stronger on light particles) and position update. */
static void integrate(particles *p, float dt)
{
    float *x = p->x, *y = p->y, *z = p->z;
    float *vx = p->vx, *vy = p->vy, *vz = p->vz;
    const float *inv_mass = p->inv_mass;
    for (int i = 0; i < p->n; i++) {
        float keep = 1.0f - DRAG * dt * inv_mass[i];
        vx[i] *= keep;
        vy[i] *= keep;
        vz[i] *= keep;
        x[i] += vx[i] * dt;
        y[i] += vy[i] * dt;
        z[i] += vz[i] * dt;
    }
}

/* Reflect particles that left the box back inside, losing some speed. */
static void bounce(particles *p)
{
    float *x = p->x, *y = p->y, *z = p->z;
    float *vx = p->vx, *vy = p->vy, *vz = p->vz;
    uint32_t *bounces = p->bounces;
    for (int i = 0; i < p->n; i++) {
        if (x[i] < -BOX) { x[i] = -2.0f * BOX - x[i]; vx[i] = -vx[i] * RESTITUTION; bounces[i]++; }
        else if (x[i] > BOX) { x[i] = 2.0f * BOX - x[i]; vx[i] = -vx[i] * RESTITUTION; bounces[i]++; }
        if (y[i] < -BOX) { y[i] = -2.0f * BOX - y[i]; vy[i] = -vy[i] * RESTITUTION; bounces[i]++; }
        else if (y[i] > BOX) { y[i] = 2.0f * BOX - y[i]; vy[i] = -vy[i] * RESTITUTION; bounces[i]++; }
        if (z[i] < -BOX) { z[i] = -2.0f * BOX - z[i]; vz[i] = -vz[i] * RESTITUTION; bounces[i]++; }
        else if (z[i] > BOX) { z[i] = 2.0f * BOX - z[i]; vz[i] = -vz[i] * RESTITUTION; bounces[i]++; }
    }
}

typedef struct { double kinetic, cx, cy, cz; uint32_t octant[8]; } summary;

static void summarise(const particles *p, summary *s)
{
    double kinetic = 0.0, cx = 0.0, cy = 0.0, cz = 0.0, total = 0.0;
    memset(s->octant, 0, sizeof s->octant);
    for (int i = 0; i < p->n; i++) {
        double m = p->mass[i];
        double v2 = (double)p->vx[i] * p->vx[i] + (double)p->vy[i] * p->vy[i] + (double)p->vz[i] * p->vz[i];
        kinetic += 0.5 * m * v2;
        cx += m * p->x[i];
        cy += m * p->y[i];
        cz += m * p->z[i];
        total += m;
        s->octant[(p->x[i] >= 0.0f) | (p->y[i] >= 0.0f) << 1 | (p->z[i] >= 0.0f) << 2]++;
    }
    s->kinetic = kinetic;
    s->cx = cx / total;
    s->cy = cy / total;
    s->cz = cz / total;
}

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 160);
    bench_rng rng = { 0x9E3779B97F4A7C15ULL };
    particles p;
    init(&p, COUNT, &rng);
    double start = bench_now();
    const float dt = 0.004f;
    uint64_t h = 1469598103934665603ULL;
    summary s;
    for (int r = 0; r < scale; r++) {
        for (int step = 0; step < STEPS_PER_SCALE; step++) {
            attract(&p, dt);
            integrate(&p, dt);
            bounce(&p);
        }
        summarise(&p, &s);
        h = mix64(h, bits(s.kinetic));
        h = mix64(h, bits(s.cx));
        h = mix64(h, bits(s.cy));
        h = mix64(h, bits(s.cz));
        for (int o = 0; o < 8; o++)
            h = mix64(h, s.octant[o]);
    }
    uint64_t total_bounces = 0;
    for (int i = 0; i < p.n; i++)
        total_bounces += p.bounces[i];
    h = mix64(h, total_bounces);
    bench_report(start);
    printf("soa_particles count=%d steps=%d kinetic=%.6f bounces=%llu checksum=%016llx\n", COUNT,
           scale * STEPS_PER_SCALE, s.kinetic, (unsigned long long)total_bounces, (unsigned long long)h);
    release(&p);
    return 0;
}
