/* image_pipeline — integer image processing: RGB to grayscale, 5x5 Gaussian blur in fixed point, unsharp mask, Sobel edges, histogram equalisation.
 *
 * A synthetic RGB photo (gradients, discs, stripes and noise) is generated before the timer starts.
 * Each round runs the pipeline with slightly different parameters: luma in 8.8 fixed point,
 * a separable [1 4 6 4 1] blur with clamped borders and rounding, a saturating unsharp mask, a
 * Sobel gradient magnitude (|gx| + |gy|, saturated), and histogram equalisation through a
 * cumulative-histogram lookup table. All arithmetic is integer. */
#include "../programs/bench.h"

#define W 1024
#define H 768

static inline uint8_t sat_u8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

static void make_image(uint8_t *rgb, bench_rng *r)
{
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            int rr = x * 255 / W, gg = y * 255 / H, bb = ((x ^ y) & 0xFF) / 2 + 64;
            for (int d = 0; d < 6; d++) {          /* a few discs */
                int cx = 150 + d * 140, cy = 120 + (d * 97) % 500, rad = 60 + d * 15;
                int dx = x - cx, dy = y - cy;
                if (dx * dx + dy * dy < rad * rad) { rr = (rr + 200 - d * 20) / 2; gg = gg / 3; bb = 255 - bb; }
            }
            if ((y / 24) % 5 == 0 && x > W / 2) { rr /= 2; gg /= 2; bb /= 2; }
            int noise = (int)rng_below(r, 33) - 16;
            uint8_t *p = rgb + 3 * (y * W + x);
            p[0] = sat_u8(rr + noise);
            p[1] = sat_u8(gg + noise / 2);
            p[2] = sat_u8(bb - noise);
        }
    }
}

static void to_gray(const uint8_t *rgb, uint8_t *gray, int wr, int wg, int wb)
{
    for (int i = 0; i < W * H; i++) {
        const uint8_t *p = rgb + 3 * i;
        gray[i] = (uint8_t)((p[0] * wr + p[1] * wg + p[2] * wb + 128) >> 8);
    }
}

/* separable 5-tap [1 4 6 4 1] / 16 per pass, borders clamped */
static void blur5(const uint8_t *src, uint8_t *dst, uint16_t *tmp)
{
    static const int k[5] = { 1, 4, 6, 4, 1 };
    for (int y = 0; y < H; y++) {
        const uint8_t *row = src + y * W;
        uint16_t *out = tmp + y * W;
        for (int x = 0; x < W; x++) {
            int s = 0;
            if (x >= 2 && x < W - 2) {
                s = row[x - 2] + 4 * row[x - 1] + 6 * row[x] + 4 * row[x + 1] + row[x + 2];
            } else {
                for (int t = -2; t <= 2; t++) {
                    int xx = x + t < 0 ? 0 : x + t >= W ? W - 1 : x + t;
                    s += k[t + 2] * row[xx];
                }
            }
            out[x] = (uint16_t)s;       /* at most 16 * 255 */
        }
    }
    for (int y = 0; y < H; y++) {
        const uint16_t *r[5];
        for (int t = -2; t <= 2; t++) {
            int yy = y + t < 0 ? 0 : y + t >= H ? H - 1 : y + t;
            r[t + 2] = tmp + yy * W;
        }
        uint8_t *out = dst + y * W;
        for (int x = 0; x < W; x++) {
            uint32_t s = r[0][x] + 4u * r[1][x] + 6u * r[2][x] + 4u * r[3][x] + r[4][x];
            out[x] = (uint8_t)((s + 128) >> 8);
        }
    }
}

static void unsharp(const uint8_t *orig, const uint8_t *blurred, uint8_t *out, int amount16)
{
    for (int i = 0; i < W * H; i++) {
        int detail = orig[i] - blurred[i];
        out[i] = sat_u8(orig[i] + ((detail * amount16) >> 4));
    }
}

static void sobel(const uint8_t *src, uint8_t *out)
{
    memset(out, 0, W);
    memset(out + (H - 1) * W, 0, W);
    for (int y = 1; y < H - 1; y++) {
        const uint8_t *a = src + (y - 1) * W, *b = src + y * W, *c = src + (y + 1) * W;
        uint8_t *o = out + y * W;
        o[0] = o[W - 1] = 0;
        for (int x = 1; x < W - 1; x++) {
            int gx = (a[x + 1] + 2 * b[x + 1] + c[x + 1]) - (a[x - 1] + 2 * b[x - 1] + c[x - 1]);
            int gy = (c[x - 1] + 2 * c[x] + c[x + 1]) - (a[x - 1] + 2 * a[x] + a[x + 1]);
            if (gx < 0) gx = -gx;
            if (gy < 0) gy = -gy;
            o[x] = sat_u8((gx + gy) / 2);
        }
    }
}

static void equalize(uint8_t *img, uint32_t *hist_out)
{
    uint32_t hist[256] = { 0 };
    for (int i = 0; i < W * H; i++) hist[img[i]]++;
    uint32_t cdf = 0, cdf_min = 0;
    for (int v = 0; v < 256; v++) if (hist[v]) { cdf_min = hist[v]; break; }
    uint8_t lut[256];
    uint32_t total = W * H;
    for (int v = 0; v < 256; v++) {
        cdf += hist[v];
        uint64_t num = (uint64_t)(cdf > cdf_min ? cdf - cdf_min : 0) * 255;
        lut[v] = (uint8_t)(total > cdf_min ? (num + (total - cdf_min) / 2) / (total - cdf_min) : v);
    }
    for (int i = 0; i < W * H; i++) img[i] = lut[img[i]];
    memcpy(hist_out, hist, sizeof hist);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 200);
    uint8_t *rgb = malloc(3 * W * H), *gray = malloc(W * H), *blur = malloc(W * H), *sharp = malloc(W * H),
            *edges = malloc(W * H);
    uint16_t *tmp = malloc(sizeof(uint16_t) * W * H);
    bench_rng rng = { 0x1A6E5ULL };
    make_image(rgb, &rng);

    double start = bench_now();
    uint64_t h = 0;
    uint32_t hist[256];
    for (int round = 0; round < scale; round++) {
        int wr = 77 + round % 3 - 1, wb = 29 + round % 5 - 2, wg = 256 - wr - wb;
        to_gray(rgb, gray, wr, wg, wb);
        blur5(gray, blur, tmp);
        unsharp(gray, blur, sharp, 8 + round % 16);
        sobel(blur, edges);
        equalize(sharp, hist);
        for (int v = 0; v < 256; v++) h = mix64(h, hist[v]);
        uint64_t s1 = 0, s2 = 0;
        for (int i = 0; i < W * H; i++) { s1 += sharp[i]; s2 += (uint64_t)edges[i] * (uint64_t)(i & 255); }
        h = mix64(h, s1);
        h = mix64(h, s2);
    }
    bench_report(start);
    printf("image_pipeline %dx%d rounds=%d checksum=%016llx\n", W, H, scale, (unsigned long long)h);
    return 0;
}
