/* mandelbrot — escape-time iteration counts over a grid, several views, summed into a checksum. */
#include "bench.h"

#define W 320
#define H 240
#define MAX_ITER 500

static uint32_t render(double cx, double cy, double span)
{
    uint32_t total = 0;
    for (int py = 0; py < H; py++) {
        double ci = cy + span * ((double)py / H - 0.5) * ((double)H / W);
        for (int px = 0; px < W; px++) {
            double cr = cx + span * ((double)px / W - 0.5);
            double zr = 0.0, zi = 0.0, zr2 = 0.0, zi2 = 0.0;
            int n = 0;
            while (n < MAX_ITER && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                n++;
            }
            total = total * 31u + (uint32_t)n;
        }
    }
    return total;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 16);
    static const double views[4][3] = {
        { -0.5, 0.0, 3.0 }, { -0.745, 0.11, 0.05 }, { -1.25, 0.02, 0.2 }, { 0.28, 0.01, 0.04 },
    };
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    for (int r = 0; r < scale; r++) {
        const double *v = views[r % 4];
        h = mix64(h, render(v[0], v[1], v[2] / (1.0 + r / 4)));
    }
    bench_report(start);
    printf("mandelbrot %dx%d views=%d checksum=%016llx\n", W, H, scale, (unsigned long long)h);
    return 0;
}
