/* bitmorph — uint8 image filtering, thresholding and bit-packed binary morphology.
 * bench-cflags: -O3
 *
 * Per frame: a 3x3 median filter on a 768x576 grey image through a 19-exchange min/max sorting
 * network, a 256-bin histogram and Otsu's threshold (double arithmetic, + - * / only), an
 * integral image for a 15x15 adaptive (local-mean) threshold, packing of both binary images into
 * 64-bit words per row, 3x3 erosion/dilation with shifts across word boundaries, opening and
 * closing, popcounts, XOR of the two segmentations, and connected-component counting over row
 * runs with union-find. Frames are synthetic (blobs, gradient, salt-and-pepper noise). */
#include "../programs/bench.h"

#define W 768
#define H 576
#define WW (W / 64)
#define NFRAMES 4

#define SORT2(a, b)                                                                                      \
    do {                                                                                                 \
        uint8_t lo_ = a < b ? a : b, hi_ = a < b ? b : a;                                                \
        a = lo_;                                                                                         \
        b = hi_;                                                                                         \
    } while (0)

static void median3x3(const uint8_t *src, uint8_t *dst)
{
    memcpy(dst, src, W);
    memcpy(dst + (H - 1) * W, src + (H - 1) * W, W);
    for (int y = 1; y < H - 1; y++) {
        const uint8_t *r0 = src + (y - 1) * W, *r1 = src + y * W, *r2 = src + (y + 1) * W;
        uint8_t *d = dst + y * W;
        d[0] = r1[0];
        d[W - 1] = r1[W - 1];
        for (int x = 1; x < W - 1; x++) {
            uint8_t p0 = r0[x - 1], p1 = r0[x], p2 = r0[x + 1];
            uint8_t p3 = r1[x - 1], p4 = r1[x], p5 = r1[x + 1];
            uint8_t p6 = r2[x - 1], p7 = r2[x], p8 = r2[x + 1];
            SORT2(p1, p2); SORT2(p4, p5); SORT2(p7, p8);
            SORT2(p0, p1); SORT2(p3, p4); SORT2(p6, p7);
            SORT2(p1, p2); SORT2(p4, p5); SORT2(p7, p8);
            SORT2(p0, p3); SORT2(p5, p8); SORT2(p4, p7);
            SORT2(p3, p6); SORT2(p1, p4); SORT2(p2, p5);
            SORT2(p4, p7); SORT2(p4, p2); SORT2(p6, p4);
            SORT2(p4, p2);
            d[x] = p4;
        }
    }
}

static int otsu(const uint8_t *img, uint32_t *hist)
{
    memset(hist, 0, 256 * sizeof(uint32_t));
    for (int i = 0; i < W * H; i++)
        hist[img[i]]++;
    double total = (double)(W * H), sum = 0.0;
    for (int t = 0; t < 256; t++)
        sum += (double)t * (double)hist[t];
    double sumb = 0.0, wb = 0.0, best = -1.0;
    int thr = 0;
    for (int t = 0; t < 256; t++) {
        wb += (double)hist[t];
        if (wb == 0.0)
            continue;
        double wf = total - wb;
        if (wf == 0.0)
            break;
        sumb += (double)t * (double)hist[t];
        double mb = sumb / wb, mf = (sum - sumb) / wf;
        double between = wb * wf * (mb - mf) * (mb - mf);
        if (between > best) {
            best = between;
            thr = t;
        }
    }
    return thr;
}

static void pack(const uint8_t *img, int thr, uint64_t *bits)
{
    for (int y = 0; y < H; y++)
        for (int w = 0; w < WW; w++) {
            uint64_t v = 0;
            const uint8_t *p = img + y * W + w * 64;
            for (int b = 0; b < 64; b++)
                v |= (uint64_t)(p[b] > thr) << b;
            bits[y * WW + w] = v;
        }
}

/* Adaptive threshold: pixel above the mean of its 15x15 window (clamped) minus 4. */
static void adaptive(const uint8_t *img, uint32_t *integ, uint64_t *bits)
{
    const int S = W + 1;
    memset(integ, 0, sizeof(uint32_t) * S);
    for (int y = 0; y < H; y++) {
        uint32_t row = 0;
        integ[(y + 1) * S] = 0;
        for (int x = 0; x < W; x++) {
            row += img[y * W + x];
            integ[(y + 1) * S + x + 1] = integ[y * S + x + 1] + row;
        }
    }
    for (int y = 0; y < H; y++) {
        int y0 = y - 7 < 0 ? 0 : y - 7, y1 = y + 8 > H ? H : y + 8;
        for (int w = 0; w < WW; w++) {
            uint64_t v = 0;
            for (int b = 0; b < 64; b++) {
                int x = w * 64 + b;
                int x0 = x - 7 < 0 ? 0 : x - 7, x1 = x + 8 > W ? W : x + 8;
                uint32_t s = integ[y1 * S + x1] - integ[y0 * S + x1] - integ[y1 * S + x0] + integ[y0 * S + x0];
                uint32_t area = (uint32_t)((y1 - y0) * (x1 - x0));
                v |= (uint64_t)(img[y * W + x] * area + 4 * area > s) << b;
            }
            bits[y * WW + w] = v;
        }
    }
}

/* Horizontal 3-neighbourhood of one word: OR (dilate) or AND (erode) with left/right neighbours. */
static inline uint64_t hshift_or(const uint64_t *row, int w)
{
    uint64_t c = row[w];
    uint64_t l = (c << 1) | (w > 0 ? row[w - 1] >> 63 : 0);
    uint64_t r = (c >> 1) | (w < WW - 1 ? row[w + 1] << 63 : 0);
    return c | l | r;
}

static inline uint64_t hshift_and(const uint64_t *row, int w)
{
    uint64_t c = row[w];
    uint64_t l = (c << 1) | (w > 0 ? row[w - 1] >> 63 : 1);
    uint64_t r = (c >> 1) | (w < WW - 1 ? row[w + 1] << 63 : 1ULL << 63);
    return c & l & r;
}

static void dilate(const uint64_t *src, uint64_t *dst)
{
    for (int y = 0; y < H; y++)
        for (int w = 0; w < WW; w++) {
            uint64_t v = hshift_or(src + y * WW, w);
            if (y > 0)
                v |= hshift_or(src + (y - 1) * WW, w);
            if (y < H - 1)
                v |= hshift_or(src + (y + 1) * WW, w);
            dst[y * WW + w] = v;
        }
}

static void erode(const uint64_t *src, uint64_t *dst)
{
    for (int y = 0; y < H; y++)
        for (int w = 0; w < WW; w++) {
            uint64_t v = hshift_and(src + y * WW, w);
            if (y > 0)
                v &= hshift_and(src + (y - 1) * WW, w);
            if (y < H - 1)
                v &= hshift_and(src + (y + 1) * WW, w);
            dst[y * WW + w] = v;
        }
}

static uint64_t popcount_img(const uint64_t *b)
{
    uint64_t n = 0;
    for (int i = 0; i < H * WW; i++)
        n += (uint64_t)__builtin_popcountll(b[i]);
    return n;
}

typedef struct {
    int32_t y, x0, x1; /* run of set pixels [x0, x1) */
} Run;

static int32_t uf_find(int32_t *parent, int32_t a)
{
    while (parent[a] != a) {
        parent[a] = parent[parent[a]];
        a = parent[a];
    }
    return a;
}

/* 8-connected components via runs. */
static uint32_t components(const uint64_t *b, Run *runs, int32_t *parent, int32_t *rowstart)
{
    int32_t nr = 0;
    for (int y = 0; y < H; y++) {
        rowstart[y] = nr;
        int x = 0;
        while (x < W) {
            uint64_t word = b[y * WW + x / 64] >> (x % 64);
            if (word == 0) {
                x = (x / 64 + 1) * 64;
                continue;
            }
            x += __builtin_ctzll(word);
            int x0 = x;
            while (x < W) {
                uint64_t inv = ~b[y * WW + x / 64] >> (x % 64);
                if (inv == 0) {
                    x = (x / 64 + 1) * 64;
                    continue;
                }
                x += __builtin_ctzll(inv);
                break;
            }
            if (x > W)
                x = W;
            runs[nr] = (Run){ y, x0, x };
            parent[nr] = nr;
            nr++;
        }
    }
    rowstart[H] = nr;
    uint32_t comps = (uint32_t)nr;
    for (int y = 1; y < H; y++) {
        int32_t i = rowstart[y - 1], j = rowstart[y];
        while (i < rowstart[y] && j < rowstart[y + 1]) {
            /* 8-connectivity: overlap if a.x0 <= b.x1 and b.x0 <= a.x1 */
            if (runs[i].x0 <= runs[j].x1 && runs[j].x0 <= runs[i].x1) {
                int32_t a = uf_find(parent, i), c = uf_find(parent, j);
                if (a != c) {
                    parent[a < c ? c : a] = a < c ? a : c;
                    comps--;
                }
            }
            if (runs[i].x1 < runs[j].x1)
                i++;
            else
                j++;
        }
    }
    return comps;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 400);
    bench_rng rng = { 0x6269746d6f727068ULL };
    uint8_t *frames = malloc((size_t)NFRAMES * W * H);
    for (int f = 0; f < NFRAMES; f++) {
        uint8_t *img = frames + (size_t)f * W * H;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                img[y * W + x] = (uint8_t)(40 + (x + y) * 60 / (W + H));
        for (int b = 0; b < 120; b++) {
            int cx = (int)rng_below(&rng, W), cy = (int)rng_below(&rng, H), r = 4 + (int)rng_below(&rng, 30);
            int val = 120 + (int)rng_below(&rng, 120);
            for (int y = cy - r; y <= cy + r; y++)
                for (int x = cx - r; x <= cx + r; x++)
                    if (y >= 0 && y < H && x >= 0 && x < W && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                        img[y * W + x] = (uint8_t)((img[y * W + x] + val * 3) / 4);
        }
        for (int n = 0; n < W * H / 20; n++) {
            uint32_t at = rng_below(&rng, W * H);
            img[at] = rng_below(&rng, 2) ? 255 : 0;
        }
    }
    uint8_t *med = malloc(W * H);
    uint32_t hist[256];
    uint32_t *integ = malloc(sizeof(uint32_t) * (W + 1) * (H + 1));
    uint64_t *b1 = malloc(sizeof(uint64_t) * H * WW), *b2 = malloc(sizeof(uint64_t) * H * WW);
    uint64_t *t1 = malloc(sizeof(uint64_t) * H * WW), *t2 = malloc(sizeof(uint64_t) * H * WW);
    Run *runs = malloc(sizeof(Run) * (W / 2 + 1) * H);
    int32_t *parent = malloc(sizeof(int32_t) * (W / 2 + 1) * H);
    int32_t *rowstart = malloc(sizeof(int32_t) * (H + 1));

    double start = bench_now();
    uint64_t h = 0, comps_total = 0;
    for (int frame = 0; frame < scale; frame++) {
        const uint8_t *img = frames + (size_t)(frame % NFRAMES) * W * H;
        median3x3(img, med);
        int thr = otsu(med, hist) + (frame % 7) - 3;
        pack(med, thr, b1);
        adaptive(med, integ, b2);
        /* opening of the global segmentation, closing of the adaptive one */
        erode(b1, t1);
        dilate(t1, b1);
        dilate(b2, t2);
        erode(t2, b2);
        uint64_t n1 = popcount_img(b1), n2 = popcount_img(b2);
        for (int i = 0; i < H * WW; i++)
            t1[i] = b1[i] ^ b2[i];
        uint64_t nx = popcount_img(t1);
        uint32_t c1 = components(b1, runs, parent, rowstart);
        uint32_t c2 = components(b2, runs, parent, rowstart);
        comps_total += c1 + c2;
        h = mix64(h, (uint64_t)thr);
        h = mix64(h, n1 << 32 ^ n2);
        h = mix64(h, nx);
        h = mix64(h, (uint64_t)c1 << 32 | c2);
        h = mix64(h, hist[128] + (uint64_t)med[(frame * 7919) % (W * H)]);
    }
    bench_report(start);
    printf("bitmorph frames=%d %dx%d components=%llu checksum=%016llx\n", scale, W, H,
           (unsigned long long)comps_total, (unsigned long long)h);
    free(frames);
    free(med);
    free(integ);
    free(b1);
    free(b2);
    free(t1);
    free(t2);
    free(runs);
    free(parent);
    free(rowstart);
    return 0;
}
