/* stencil_ptrs — an image-processing pipeline over a float grid of a few megabytes, iterated: a
 * 3x3 binomial blur, a Sobel gradient magnitude (sqrt), a histogram of the magnitudes, a threshold
 * at a percentile of that histogram into a byte mask, and an update of the image from the blur and
 * the mask, with a few random splats so there is always new detail. Style: loops that walk
 * several arrays through row pointers (up / mid / down into the source, out into the
 * destination, advanced together, *out++ = ...), the way hand-written C image filters look. */
#include "bench.h"
#include <math.h>

#define W 1024
#define H 768
#define BINS 256
#define HIST_SCALE 96.0f
#define SPLATS 64

/* 3x3 blur with weights 1 2 1 / 2 4 2 / 1 2 1 (sum 16); the border is copied. */
static void blur3x3(float *dst, const float *src, int w, int h)
{
    memcpy(dst, src, (size_t)w * sizeof *dst);
    for (int y = 1; y < h - 1; y++) {
        const float *up = src + (size_t)(y - 1) * w, *mid = up + w, *down = mid + w;
        float *out = dst + (size_t)y * w;
        *out++ = mid[0];
        for (int x = 1; x < w - 1; x++, up++, mid++, down++)
            *out++ = ((up[0] + 2.0f * up[1] + up[2]) + 2.0f * (mid[0] + 2.0f * mid[1] + mid[2])
                      + (down[0] + 2.0f * down[1] + down[2])) * 0.0625f;
        *out = mid[1];
    }
    memcpy(dst + (size_t)(h - 1) * w, src + (size_t)(h - 1) * w, (size_t)w * sizeof *dst);
}

/* Sobel gradient magnitude; the border is zero. Returns the largest magnitude. */
static float sobel(float *dst, const float *src, int w, int h)
{
    float peak = 0.0f;
    memset(dst, 0, (size_t)w * sizeof *dst);
    for (int y = 1; y < h - 1; y++) {
        const float *up = src + (size_t)(y - 1) * w, *mid = up + w, *down = mid + w;
        float *out = dst + (size_t)y * w;
        *out++ = 0.0f;
        for (int x = 1; x < w - 1; x++, up++, mid++, down++) {
            float gx = (up[2] + 2.0f * mid[2] + down[2]) - (up[0] + 2.0f * mid[0] + down[0]);
            float gy = (down[0] + 2.0f * down[1] + down[2]) - (up[0] + 2.0f * up[1] + up[2]);
            float g = sqrtf(gx * gx + gy * gy);
            if (g > peak) peak = g;
            *out++ = g;
        }
        *out = 0.0f;
    }
    memset(dst + (size_t)(h - 1) * w, 0, (size_t)w * sizeof *dst);
    return peak;
}

static void histogram(uint32_t *hist, const float *g, size_t n)
{
    memset(hist, 0, BINS * sizeof *hist);
    for (const float *end = g + n; g < end; g++) {
        float v = *g * HIST_SCALE;
        int bin = v >= (float)(BINS - 1) ? BINS - 1 : (int)v;
        hist[bin]++;
    }
}

/* The value below which the given fraction (in 1/1000) of the samples lie, from the histogram. */
static float percentile(const uint32_t *hist, size_t n, uint32_t per_mille)
{
    size_t want = n / 1000 * per_mille, seen = 0;
    int bin = 0;
    while (bin < BINS - 1 && (seen += hist[bin]) < want)
        bin++;
    return (float)(bin + 1) / HIST_SCALE;
}

static size_t threshold(uint8_t *mask, const float *g, size_t n, float t)
{
    size_t count = 0;
    for (const float *end = g + n; g < end; g++) {
        uint8_t on = *g > t;
        *mask++ = on;
        count += on;
    }
    return count;
}

/* Pull the image toward its blur; raise the contrast on strong edges and lower it elsewhere; keep
 * it in [0, 1]. */
static void update(float *img, const float *blur, const uint8_t *mask, size_t n)
{
    for (float *end = img + n; img < end; img++, blur++, mask++) {
        float v = *blur + 0.25f * (*img - *blur);
        v += *mask ? 0.1f * (v - 0.5f) : 0.02f * (0.5f - v);
        *img = v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
    }
}

static void splat(float *img, int w, int h, bench_rng *rng)
{
    int x0 = 2 + (int)rng_below(rng, (uint32_t)(w - 12)), y0 = 2 + (int)rng_below(rng, (uint32_t)(h - 12));
    int size = 2 + (int)rng_below(rng, 7);
    float v = (float)rng_below(rng, 1001) / 1000.0f;
    for (int y = y0; y < y0 + size; y++) {
        float *row = img + (size_t)y * w + x0;
        for (float *end = row + size; row < end; row++)
            *row = v;
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 280);
    bench_rng rng = { 0xA0761D6478BD642FULL };
    const size_t n = (size_t)W * H;
    float *img = malloc(n * sizeof *img), *blur = malloc(n * sizeof *blur), *grad = malloc(n * sizeof *grad);
    uint8_t *mask = malloc(n);
    uint32_t hist[BINS];
    if (!img || !blur || !grad || !mask) { printf("stencil_ptrs: out of memory\n"); return 1; }
    for (size_t i = 0; i < n; i++)
        img[i] = (float)rng_below(&rng, 256) / 255.0f;
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    size_t edges = 0;
    float t = 0.0f, peak = 0.0f;
    for (int r = 0; r < scale; r++) {
        for (int s = 0; s < SPLATS; s++)
            splat(img, W, H, &rng);
        blur3x3(blur, img, W, H);
        peak = sobel(grad, blur, W, H);
        histogram(hist, grad, n);
        t = percentile(hist, n, 900);
        edges = threshold(mask, grad, n, t);
        update(img, blur, mask, n);
        h = mix64(h, edges);
        h = mix64(h, (uint64_t)(peak * 1e6f));
        for (int b = 0; b < BINS; b += 17)
            h = mix64(h, hist[b]);
    }
    double sum = 0.0;
    for (const float *p = img, *end = img + n; p < end; p++)
        sum += *p;
    uint64_t bits;
    memcpy(&bits, &sum, sizeof bits);
    h = mix64(h, bits);
    bench_report(start);
    printf("stencil_ptrs grid=%dx%d iterations=%d edges=%zu threshold=%.6f sum=%.6f checksum=%016llx\n", W, H, scale,
           edges, (double)t, sum, (unsigned long long)h);
    free(img); free(blur); free(grad); free(mask);
    return 0;
}
