/* spectral_o3 — two numeric kernels built with -O3: the spectral-norm benchmark (the matrix
 * A(i,j) = 1/((i+j)(i+j+1)/2+i+1) is never stored; ten rounds of power iteration multiply by A
 * and by its transpose, and the norm is sqrt(u.v / v.v)), and a 2-D prefix sum (integral image)
 * over a uint32 grid followed by many random box-sum queries, spot-checked against direct sums.
 * The style is plain loop-nest numeric C left to the optimiser: double arithmetic with a divide in
 * the inner loop, and row-major unsigned integer arrays with wrapping sums.
 * bench-cflags: -O3 */
#include "bench.h"
#include <math.h>

#define SN 1000            /* spectral-norm size */
#define GW 1536            /* grid width and height */
#define GH 1536
#define QUERIES 2000000

static double u[SN], v[SN], tmp[SN];
static uint32_t grid[GH][GW];
static uint32_t integral[GH + 1][GW + 1];

/* ---- spectral norm ---- */

static double eval_a(int i, int j)
{
    return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1);
}

static void mul_av(int n, const double *x, double *y)
{
    for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < n; j++)
            sum += eval_a(i, j) * x[j];
        y[i] = sum;
    }
}

static void mul_atv(int n, const double *x, double *y)
{
    for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < n; j++)
            sum += eval_a(j, i) * x[j];
        y[i] = sum;
    }
}

static void mul_atav(int n, const double *x, double *y)
{
    mul_av(n, x, tmp);
    mul_atv(n, tmp, y);
}

static double spectral_norm(int n)
{
    for (int i = 0; i < n; i++) u[i] = 1.0;
    for (int k = 0; k < 10; k++) {
        mul_atav(n, u, v);
        mul_atav(n, v, u);
    }
    double vbv = 0, vv = 0;
    for (int i = 0; i < n; i++) {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    return sqrt(vbv / vv);
}

/* ---- integral image ---- */

static void fill_grid(bench_rng *rng)
{
    for (int y = 0; y < GH; y++)
        for (int x = 0; x < GW; x++)
            grid[y][x] = (uint32_t)(rng_next(rng) >> 40);   /* 24-bit values: sums wrap */
}

static void build_integral(void)
{
    memset(integral[0], 0, sizeof integral[0]);
    for (int y = 0; y < GH; y++) {
        uint32_t row = 0;
        integral[y + 1][0] = 0;
        for (int x = 0; x < GW; x++) {
            row += grid[y][x];
            integral[y + 1][x + 1] = integral[y][x + 1] + row;
        }
    }
}

/* Sum of grid[y0..y1)[x0..x1), modulo 2^32. */
static inline uint32_t box_sum(int x0, int y0, int x1, int y1)
{
    return integral[y1][x1] - integral[y0][x1] - integral[y1][x0] + integral[y0][x0];
}

static uint32_t direct_sum(int x0, int y0, int x1, int y1)
{
    uint32_t s = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            s += grid[y][x];
    return s;
}

static uint64_t box_queries(bench_rng *rng, int *bad)
{
    uint64_t h = 0;
    for (int q = 0; q < QUERIES; q++) {
        int x0 = (int)rng_below(rng, GW), y0 = (int)rng_below(rng, GH);
        int x1 = x0 + 1 + (int)rng_below(rng, (uint32_t)(GW - x0));
        int y1 = y0 + 1 + (int)rng_below(rng, (uint32_t)(GH - y0));
        uint32_t s = box_sum(x0, y0, x1, y1);
        h += s ^ (uint32_t)q;
        if ((q & 4095) == 0) {   /* spot check against a direct sum of a small box */
            int x2 = x0 + 16 < GW ? x0 + 16 : GW, y2 = y0 + 16 < GH ? y0 + 16 : GH;
            if (box_sum(x0, y0, x2, y2) != direct_sum(x0, y0, x2, y2))
                (*bad)++;
        }
    }
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 12);
    bench_rng rng = { 0xDEADBEEFCAFEULL };
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    double norm = 0;
    int bad = 0;
    for (int r = 0; r < scale; r++) {
        norm = spectral_norm(SN);
        uint64_t bits;
        memcpy(&bits, &norm, sizeof bits);
        h = mix64(h, bits);
        fill_grid(&rng);
        build_integral();
        h = mix64(h, integral[GH][GW]);
        h = mix64(h, box_queries(&rng, &bad));
    }
    bench_report(start);
    if (bad) {
        printf("spectral_o3: %d box sums disagree with direct sums\n", bad);
        return 1;
    }
    printf("spectral_o3 n=%d grid=%dx%d reps=%d norm=%.9f checksum=%016llx\n", SN, GW, GH, scale, norm,
           (unsigned long long)h);
    return 0;
}
