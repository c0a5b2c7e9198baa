/* multigrid_f — geometric multigrid V-cycles for the 2-D Poisson equation in single precision.
 * bench-cflags: -O3
 *
 * -laplace(u) = f on the unit square (513x513 nodes, zero Dirichlet boundary). Levels down to 3x3;
 * each V-cycle does red-black Gauss-Seidel pre- and post-smoothing, float residuals, full-weighting
 * restriction and bilinear prolongation. Each round builds a new right-hand side from polynomial
 * bumps, runs V-cycles from a zero guess and records residual norms and probe values. */
#include "../programs/bench.h"
#include <math.h>

#define LEVELS 9 /* 513, 257, ..., 3 */

typedef struct {
    int n;          /* nodes per side */
    float h2;       /* h*h */
    float *u, *f, *r;
} level;

static level lv[LEVELS];

static void smooth(level *L, int sweeps)
{
    int n = L->n;
    float h2 = L->h2;
    float *u = L->u;
    const float *f = L->f;
    for (int s = 0; s < sweeps; s++) {
        for (int color = 0; color < 2; color++) {
            for (int i = 1; i < n - 1; i++) {
                float *row = u + (size_t)i * n;
                const float *up = row - n, *dn = row + n, *fr = f + (size_t)i * n;
                for (int j = 1 + ((i + color) & 1); j < n - 1; j += 2)
                    row[j] = (fr[j] * h2 + up[j] + dn[j] + row[j - 1] + row[j + 1]) * 0.25f;
            }
        }
    }
}

static void residual(level *L)
{
    int n = L->n;
    float inv = 1.0f / L->h2;
    const float *u = L->u, *f = L->f;
    float *r = L->r;
    for (int i = 1; i < n - 1; i++) {
        const float *row = u + (size_t)i * n;
        for (int j = 1; j < n - 1; j++) {
            float au = (4.0f * row[j] - row[j - n] - row[j + n] - row[j - 1] - row[j + 1]) * inv;
            r[(size_t)i * n + j] = f[(size_t)i * n + j] - au;
        }
    }
}

static float residual_norm(level *L)
{
    residual(L);
    int n = L->n;
    float s = 0.0f;
    for (int i = 1; i < n - 1; i++)
        for (int j = 1; j < n - 1; j++) {
            float v = L->r[(size_t)i * n + j];
            s += v * v;
        }
    return sqrtf(s / (float)((n - 2) * (n - 2)));
}

static void restrict_fw(const level *F, level *C)
{
    int nf = F->n, nc = C->n;
    const float *r = F->r;
    for (int I = 1; I < nc - 1; I++) {
        const float *m = r + (size_t)(2 * I) * nf;
        const float *a = m - nf, *b = m + nf;
        float *fc = C->f + (size_t)I * nc;
        for (int J = 1; J < nc - 1; J++) {
            int j = 2 * J;
            fc[J] = (4.0f * m[j] + 2.0f * (m[j - 1] + m[j + 1] + a[j] + b[j]) + a[j - 1] + a[j + 1] + b[j - 1] + b[j + 1]) *
                    0.0625f;
        }
    }
    memset(C->u, 0, sizeof(float) * (size_t)nc * nc);
}

static void prolong_add(const level *C, level *F)
{
    int nf = F->n, nc = C->n;
    const float *uc = C->u;
    float *u = F->u;
    for (int I = 0; I < nc - 1; I++) {
        const float *c0 = uc + (size_t)I * nc, *c1 = c0 + nc;
        float *f0 = u + (size_t)(2 * I) * nf, *f1 = f0 + nf;
        for (int J = 0; J < nc - 1; J++) {
            int j = 2 * J;
            if (I > 0) {
                if (J > 0) f0[j] += c0[J];
                f0[j + 1] += 0.5f * (c0[J] + c0[J + 1]);
            }
            if (J > 0) f1[j] += 0.5f * (c0[J] + c1[J]);
            f1[j + 1] += 0.25f * (c0[J] + c0[J + 1] + c1[J] + c1[J + 1]);
        }
    }
}

static void vcycle(int l)
{
    level *L = &lv[l];
    if (l == LEVELS - 1) {
        smooth(L, 8);
        return;
    }
    smooth(L, 2);
    residual(L);
    restrict_fw(L, &lv[l + 1]);
    vcycle(l + 1);
    prolong_add(&lv[l + 1], L);
    smooth(L, 2);
}

/* right-hand side: sum of compact polynomial bumps (1 - d^2/r^2)^2, signed amplitudes */
static void build_rhs(level *L, bench_rng *rng)
{
    int n = L->n;
    float cx[6], cy[6], rr[6], amp[6];
    for (int b = 0; b < 6; b++) {
        cx[b] = (float)(rng_below(rng, 1000) + 1) / 1002.0f;
        cy[b] = (float)(rng_below(rng, 1000) + 1) / 1002.0f;
        float rad = 0.05f + (float)rng_below(rng, 200) / 1000.0f;
        rr[b] = rad * rad;
        amp[b] = (float)((int)rng_below(rng, 2001) - 1000) / 10.0f;
    }
    float h = 1.0f / (float)(n - 1);
    memset(L->f, 0, sizeof(float) * (size_t)n * n);
    for (int i = 1; i < n - 1; i++) {
        float y = (float)i * h;
        for (int j = 1; j < n - 1; j++) {
            float x = (float)j * h, v = 0.0f;
            for (int b = 0; b < 6; b++) {
                float dx = x - cx[b], dy = y - cy[b];
                float t = 1.0f - (dx * dx + dy * dy) / rr[b];
                if (t > 0.0f) v += amp[b] * t * t;
            }
            L->f[(size_t)i * n + j] = v;
        }
    }
    memset(L->u, 0, sizeof(float) * (size_t)n * n);
}

static uint32_t fbits(float v)
{
    uint32_t b;
    memcpy(&b, &v, 4);
    return b;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 72);
    int n = 513;
    for (int l = 0; l < LEVELS; l++) {
        float h = 1.0f / (float)(n - 1);
        lv[l].n = n;
        lv[l].h2 = h * h;
        size_t sz = sizeof(float) * (size_t)n * n;
        lv[l].u = calloc(1, sz);
        lv[l].f = calloc(1, sz);
        lv[l].r = calloc(1, sz);
        if (!lv[l].u || !lv[l].f || !lv[l].r) return 1;
        n = (n - 1) / 2 + 1;
    }
    bench_rng rng = { 0x6d756c7469677269ULL };

    double start = bench_now();
    uint64_t h = 0;
    float last = 0.0f;
    for (int round = 0; round < scale; round++) {
        build_rhs(&lv[0], &rng);
        float r0 = residual_norm(&lv[0]);
        h = mix64(h, fbits(r0));
        for (int c = 0; c < 5; c++) {
            vcycle(0);
            float rn = residual_norm(&lv[0]);
            h = mix64(h, fbits(rn));
            last = rn / r0;
        }
        int N = lv[0].n;
        float sum = 0.0f;
        for (int i = 8; i < N; i += 16)
            for (int j = 8; j < N; j += 16) sum += lv[0].u[(size_t)i * N + j];
        h = mix64(h, fbits(sum));
        h = mix64(h, fbits(lv[0].u[(size_t)(N / 2) * N + N / 3]));
    }
    bench_report(start);
    printf("multigrid_f grid=%d levels=%d rounds=%d last_reduction=%.3e checksum=%016llx\n", lv[0].n, LEVELS, scale,
           (double)last, (unsigned long long)h);
    for (int l = 0; l < LEVELS; l++) { free(lv[l].u); free(lv[l].f); free(lv[l].r); }
    return 0;
}
