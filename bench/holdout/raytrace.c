/* raytrace — a small Whitted-style ray tracer: spheres and planes, point lights, shadows, reflections, into an RGB framebuffer.
 * bench-cflags: -O3
 *
 * Vectors are structs of three doubles passed by value; shading is Lambert plus a Blinn-Phong
 * highlight whose exponent is taken by repeated squaring, so only + - * / and sqrt are used. Each
 * frame moves the camera a little; pixels are quantised to bytes and the framebuffer is hashed. */
#include "../programs/bench.h"
#include <math.h>

#define W 256
#define H 192
#define MAX_DEPTH 4

typedef struct { double x, y, z; } vec3;

static inline vec3 v3(double x, double y, double z) { vec3 v = { x, y, z }; return v; }
static inline vec3 add(vec3 a, vec3 b) { return v3(a.x + b.x, a.y + b.y, a.z + b.z); }
static inline vec3 sub(vec3 a, vec3 b) { return v3(a.x - b.x, a.y - b.y, a.z - b.z); }
static inline vec3 scale(vec3 a, double s) { return v3(a.x * s, a.y * s, a.z * s); }
static inline vec3 mul(vec3 a, vec3 b) { return v3(a.x * b.x, a.y * b.y, a.z * b.z); }
static inline double dot(vec3 a, vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static inline vec3 cross(vec3 a, vec3 b)
{
    return v3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
static inline vec3 normalize(vec3 a) { return scale(a, 1.0 / sqrt(dot(a, a))); }

typedef struct {
    vec3 color;
    double diffuse, specular, reflect;
    int checker;
} material;

typedef struct { vec3 center; double radius; material m; } sphere;
typedef struct { vec3 normal; double offset; material m; } plane;   /* dot(p, normal) = offset */
typedef struct { vec3 pos, color; } light;

typedef struct {
    sphere spheres[10];
    int nspheres;
    plane planes[3];
    int nplanes;
    light lights[3];
    int nlights;
    vec3 ambient, sky_top, sky_bottom;
} scene;

typedef struct {
    double t;
    vec3 point, normal;
    const material *m;
} hit;

#define EPS 1e-6

static int intersect(const scene *sc, vec3 orig, vec3 dir, double tmax, hit *out)
{
    int found = 0;
    double best = tmax;
    for (int i = 0; i < sc->nspheres; i++) {
        const sphere *s = &sc->spheres[i];
        vec3 oc = sub(orig, s->center);
        double b = dot(oc, dir), c = dot(oc, oc) - s->radius * s->radius;
        double disc = b * b - c;
        if (disc < 0) continue;
        double sq = sqrt(disc), t = -b - sq;
        if (t < EPS) t = -b + sq;
        if (t < EPS || t >= best) continue;
        best = t;
        found = 1;
        if (out) {
            out->t = t;
            out->point = add(orig, scale(dir, t));
            out->normal = scale(sub(out->point, s->center), 1.0 / s->radius);
            out->m = &s->m;
        }
    }
    for (int i = 0; i < sc->nplanes; i++) {
        const plane *p = &sc->planes[i];
        double denom = dot(dir, p->normal);
        if (denom > -EPS && denom < EPS) continue;
        double t = (p->offset - dot(orig, p->normal)) / denom;
        if (t < EPS || t >= best) continue;
        best = t;
        found = 1;
        if (out) {
            out->t = t;
            out->point = add(orig, scale(dir, t));
            out->normal = denom < 0 ? p->normal : scale(p->normal, -1.0);
            out->m = &p->m;
        }
    }
    return found;
}

static vec3 surface_color(const hit *h)
{
    if (!h->m->checker) return h->m->color;
    long ix = (long)(h->point.x * 0.5 + 10000.0), iz = (long)(h->point.z * 0.5 + 10000.0);
    return (ix + iz) & 1 ? h->m->color : scale(h->m->color, 0.25);
}

static double pow32(double x) { x *= x; x *= x; x *= x; x *= x; x *= x; return x; }

static vec3 trace(const scene *sc, vec3 orig, vec3 dir, int depth)
{
    hit h;
    if (!intersect(sc, orig, dir, 1e30, &h)) {
        double t = 0.5 * (dir.y + 1.0);
        return add(scale(sc->sky_bottom, 1.0 - t), scale(sc->sky_top, t));
    }
    vec3 base = surface_color(&h);
    vec3 color = mul(base, sc->ambient);
    vec3 p = add(h.point, scale(h.normal, 1e-4));
    for (int i = 0; i < sc->nlights; i++) {
        const light *L = &sc->lights[i];
        vec3 tolight = sub(L->pos, p);
        double dist = sqrt(dot(tolight, tolight));
        vec3 ldir = scale(tolight, 1.0 / dist);
        double ndl = dot(h.normal, ldir);
        if (ndl <= 0) continue;
        if (intersect(sc, p, ldir, dist, NULL)) continue;   /* in shadow */
        double atten = 1.0 / (1.0 + 0.01 * dist * dist);
        color = add(color, scale(mul(base, L->color), h.m->diffuse * ndl * atten * 6.0));
        vec3 half = normalize(sub(ldir, dir));
        double ndh = dot(h.normal, half);
        if (ndh > 0) color = add(color, scale(L->color, h.m->specular * pow32(ndh) * atten * 6.0));
    }
    if (depth < MAX_DEPTH && h.m->reflect > 0) {
        vec3 r = sub(dir, scale(h.normal, 2.0 * dot(dir, h.normal)));
        color = add(scale(color, 1.0 - h.m->reflect), scale(trace(sc, p, r, depth + 1), h.m->reflect));
    }
    return color;
}

static unsigned char to_byte(double c)
{
    c = c / (1.0 + c);          /* simple tone map */
    c = sqrt(c);                /* approximate gamma */
    int v = (int)(c * 255.0 + 0.5);
    return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static void build_scene(scene *sc)
{
    memset(sc, 0, sizeof *sc);
    bench_rng r = { 0x5CE7E5ULL };
    for (int i = 0; i < 9; i++) {
        sphere *s = &sc->spheres[i];
        double a = (double)rng_below(&r, 1000) / 1000.0, b = (double)rng_below(&r, 1000) / 1000.0;
        s->radius = 0.4 + 0.8 * (double)rng_below(&r, 1000) / 1000.0;
        s->center = v3(-4.0 + 8.0 * a, s->radius - 1.0, 2.0 + 8.0 * b);
        s->m.color = v3(0.2 + 0.8 * (double)rng_below(&r, 100) / 100.0, 0.2 + 0.8 * (double)rng_below(&r, 100) / 100.0,
                        0.2 + 0.8 * (double)rng_below(&r, 100) / 100.0);
        s->m.diffuse = 0.7;
        s->m.specular = 0.3 + 0.1 * (double)(i % 4);
        s->m.reflect = i % 3 == 0 ? 0.5 : i % 3 == 1 ? 0.15 : 0.0;
    }
    sc->spheres[9] = (sphere){ v3(0.0, 1.5, 7.0), 2.0, { v3(0.9, 0.9, 0.95), 0.2, 0.8, 0.7, 0 } };
    sc->nspheres = 10;
    sc->planes[0] = (plane){ v3(0, 1, 0), -1.0, { v3(0.9, 0.85, 0.7), 0.8, 0.1, 0.2, 1 } };
    sc->planes[1] = (plane){ v3(0, 0, -1), -16.0, { v3(0.5, 0.6, 0.8), 0.9, 0.0, 0.0, 0 } };
    sc->nplanes = 2;
    sc->lights[0] = (light){ v3(-6, 8, -2), v3(1.0, 0.95, 0.9) };
    sc->lights[1] = (light){ v3(5, 5, 1), v3(0.4, 0.5, 0.7) };
    sc->lights[2] = (light){ v3(0, 12, 10), v3(0.6, 0.6, 0.5) };
    sc->nlights = 3;
    sc->ambient = v3(0.08, 0.08, 0.1);
    sc->sky_top = v3(0.3, 0.5, 0.9);
    sc->sky_bottom = v3(0.9, 0.9, 1.0);
}

static void render(const scene *sc, int frame, unsigned char *fb)
{
    double ang = (double)frame * 0.05;
    /* camera moves along a parabola-ish path; no trigonometry */
    vec3 eye = v3(-3.0 + 6.0 * ang - 2.0 * ang * ang, 1.5 + 0.5 * ang, -4.0 + ang);
    vec3 target = v3(0.0, 0.5, 6.0);
    vec3 fwd = normalize(sub(target, eye));
    vec3 right = normalize(cross(v3(0, 1, 0), fwd));
    vec3 up = cross(fwd, right);
    double aspect = (double)W / H, fov = 0.8;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            vec3 acc = v3(0, 0, 0);
            for (int s = 0; s < 2; s++) {   /* 2 samples per pixel on a diagonal */
                double px = ((x + 0.25 + 0.5 * s) / W * 2.0 - 1.0) * aspect * fov;
                double py = (1.0 - (y + 0.25 + 0.5 * s) / H * 2.0) * fov;
                vec3 dir = normalize(add(fwd, add(scale(right, px), scale(up, py))));
                acc = add(acc, trace(sc, eye, dir, 0));
            }
            unsigned char *p = fb + 3 * (y * W + x);
            p[0] = to_byte(acc.x * 0.5);
            p[1] = to_byte(acc.y * 0.5);
            p[2] = to_byte(acc.z * 0.5);
        }
    }
}

int main(int argc, char **argv)
{
    int scale_arg = bench_scale(argc, argv, 26);
    static unsigned char fb[W * H * 3];
    scene sc;
    build_scene(&sc);
    double start = bench_now();
    uint64_t h = 0;
    uint64_t sum = 0;
    for (int f = 0; f < scale_arg; f++) {
        render(&sc, f, fb);
        for (int i = 0; i < W * H * 3; i += 8) {
            uint64_t v;
            memcpy(&v, fb + i, 8);
            h = mix64(h, v);
        }
        for (int i = 0; i < W * H * 3; i++) sum += fb[i];
    }
    bench_report(start);
    printf("raytrace %dx%d frames=%d mean=%llu checksum=%016llx\n", W, H, scale_arg,
           (unsigned long long)(sum / ((uint64_t)W * H * 3 * (uint64_t)scale_arg)), (unsigned long long)h);
    return 0;
}
