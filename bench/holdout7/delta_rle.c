/* delta_rle.c — a lossless image codec in the style of PNG's prediction stage followed by
 * PackBits run-length coding: each scanline of an interleaved 8-bit RGB image is tried with the
 * five predictors (None, Sub, Up, Average, Paeth), the one with the smallest sum of absolute
 * signed residuals is kept (its tag byte leads the row), and the filtered stream is packed into
 * literal and repeat runs. A second path codes a planar copy of the image (struct-of-arrays
 * channels) with left-delta zigzag residuals in nibble-oriented variable-length codes.
 *
 * Frames are synthetic: gradients, flat rectangles, dithered noise, glyph-like strokes, and each
 * frame is a small modification of the previous one. Both codecs are decoded and compared with the
 * source byte for byte. SCALE = frames. */
#include "../programs/bench.h"

#define W 320
#define H 240
#define BPP 3
#define STRIDE (W * BPP)

static int failures;

static inline int paeth(int a, int b, int c)
{
    int p = a + b - c;
    int pa = p > a ? p - a : a - p, pb = p > b ? p - b : b - p, pc = p > c ? p - c : c - p;
    if (pa <= pb && pa <= pc) return a;
    return pb <= pc ? b : c;
}

static void filter_row(int type, const unsigned char *cur, const unsigned char *prev, unsigned char *out)
{
    for (int i = 0; i < STRIDE; i++) {
        int a = i >= BPP ? cur[i - BPP] : 0, b = prev ? prev[i] : 0, c = (i >= BPP && prev) ? prev[i - BPP] : 0;
        int pred;
        switch (type) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) >> 1; break;
        default: pred = paeth(a, b, c); break;
        }
        out[i] = (unsigned char)(cur[i] - pred);
    }
}

static void unfilter_row(int type, unsigned char *cur, const unsigned char *prev)
{
    for (int i = 0; i < STRIDE; i++) {
        int a = i >= BPP ? cur[i - BPP] : 0, b = prev ? prev[i] : 0, c = (i >= BPP && prev) ? prev[i - BPP] : 0;
        int pred;
        switch (type) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) >> 1; break;
        default: pred = paeth(a, b, c); break;
        }
        cur[i] = (unsigned char)(cur[i] + pred);
    }
}

static unsigned cost(const unsigned char *p)
{
    unsigned s = 0;
    for (int i = 0; i < STRIDE; i++) {
        int v = (signed char)p[i];
        s += (unsigned)(v < 0 ? -v : v);
    }
    return s;
}

/* PackBits: header n in 0..127 -> n+1 literals; n in 129..255 -> repeat next byte 257-n times */
static size_t packbits(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && run < 128 && in[i + run] == in[i]) run++;
        if (run >= 3) {
            out[o++] = (unsigned char)(257 - run);
            out[o++] = in[i];
            i += run;
            continue;
        }
        size_t start = i, lit = 0;
        while (i < n && lit < 128) {
            if (i + 2 < n && in[i] == in[i + 1] && in[i] == in[i + 2]) break;
            i++;
            lit++;
        }
        out[o++] = (unsigned char)(lit - 1);
        memcpy(out + o, in + start, lit);
        o += lit;
    }
    return o;
}

static size_t unpackbits(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned hdr = in[i++];
        if (hdr < 128) {
            size_t len = hdr + 1;
            if (o + len > cap || i + len > n) return (size_t)-1;
            memcpy(out + o, in + i, len);
            i += len;
            o += len;
        } else if (hdr > 128) {
            size_t len = 257 - hdr;
            if (o + len > cap || i >= n) return (size_t)-1;
            memset(out + o, in[i++], len);
            o += len;
        }
    }
    return o;
}

static size_t encode_png_like(const unsigned char *img, unsigned char *filt, unsigned char *out, uint32_t *hist)
{
    unsigned char cand[5][STRIDE];
    for (int y = 0; y < H; y++) {
        const unsigned char *cur = img + (size_t)y * STRIDE, *prev = y ? cur - STRIDE : NULL;
        int best = 0;
        unsigned bestc = 0;
        for (int t = 0; t < 5; t++) {
            filter_row(t, cur, prev, cand[t]);
            unsigned c = cost(cand[t]);
            if (t == 0 || c < bestc) { best = t; bestc = c; }
        }
        hist[best]++;
        unsigned char *row = filt + (size_t)y * (STRIDE + 1);
        row[0] = (unsigned char)best;
        memcpy(row + 1, cand[best], STRIDE);
    }
    return packbits(filt, (size_t)H * (STRIDE + 1), out);
}

static int decode_png_like(const unsigned char *in, size_t n, unsigned char *filt, unsigned char *img)
{
    size_t got = unpackbits(in, n, filt, (size_t)H * (STRIDE + 1));
    if (got != (size_t)H * (STRIDE + 1)) return -1;
    for (int y = 0; y < H; y++) {
        const unsigned char *row = filt + (size_t)y * (STRIDE + 1);
        if (row[0] > 4) return -1;
        unsigned char *cur = img + (size_t)y * STRIDE;
        memcpy(cur, row + 1, STRIDE);
        unfilter_row(row[0], cur, y ? cur - STRIDE : NULL);
    }
    return 0;
}

/* planar path: zigzag left-delta, nibble varint (3 value bits + continuation per nibble) */
static size_t encode_planar(const unsigned char *plane, unsigned char *out)
{
    size_t o = 0;
    int half = 0;
    for (int y = 0; y < H; y++) {
        int prevv = y ? plane[(size_t)(y - 1) * W] : 0;
        for (int x = 0; x < W; x++) {
            int v = plane[(size_t)y * W + (size_t)x];
            int d = (signed char)(unsigned char)(v - prevv);
            unsigned z = (unsigned)(d << 1) ^ (unsigned)(d >> 31);
            prevv = v;
            do {
                unsigned nib = z & 7;
                z >>= 3;
                if (z) nib |= 8;
                if (!half) out[o] = (unsigned char)nib;
                else out[o++] |= (unsigned char)(nib << 4);
                half ^= 1;
            } while (z);
        }
    }
    return o + (size_t)half;
}

static void decode_planar(const unsigned char *in, unsigned char *plane)
{
    size_t i = 0;
    int half = 0;
    for (int y = 0; y < H; y++) {
        int prevv = y ? plane[(size_t)(y - 1) * W] : 0;
        for (int x = 0; x < W; x++) {
            unsigned z = 0;
            int shift = 0;
            for (;;) {
                unsigned nib = half ? in[i++] >> 4 : in[i] & 15;
                half ^= 1;
                z |= (nib & 7) << shift;
                shift += 3;
                if (!(nib & 8)) break;
            }
            int d = (int)(z >> 1) ^ -(int)(z & 1);
            int v = (prevv + d) & 255;
            plane[(size_t)y * W + (size_t)x] = (unsigned char)v;
            prevv = v;
        }
    }
}

static void paint(unsigned char *img, bench_rng *r, int frame)
{
    if (frame == 0) {
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                unsigned char *p = img + (size_t)y * STRIDE + (size_t)x * BPP;
                p[0] = (unsigned char)(x * 255 / W);
                p[1] = (unsigned char)(y * 255 / H);
                p[2] = (unsigned char)((x + y) & 0x3f);
            }
    }
    /* flat rectangles */
    for (int k = 0; k < 6; k++) {
        int x0 = (int)rng_below(r, W), y0 = (int)rng_below(r, H);
        int w = 4 + (int)rng_below(r, 90), hh = 4 + (int)rng_below(r, 60);
        unsigned char c0 = (unsigned char)rng_below(r, 256), c1 = (unsigned char)rng_below(r, 256), c2 = (unsigned char)rng_below(r, 256);
        for (int y = y0; y < y0 + hh && y < H; y++)
            for (int x = x0; x < x0 + w && x < W; x++) {
                unsigned char *p = img + (size_t)y * STRIDE + (size_t)x * BPP;
                p[0] = c0; p[1] = c1; p[2] = c2;
            }
    }
    /* a noisy patch and glyph-like strokes */
    int nx = (int)rng_below(r, W - 40), ny = (int)rng_below(r, H - 40);
    for (int y = ny; y < ny + 40; y++)
        for (int x = nx; x < nx + 40; x++) {
            unsigned char *p = img + (size_t)y * STRIDE + (size_t)x * BPP;
            uint64_t v = rng_next(r);
            p[0] = (unsigned char)(p[0] + (v & 7) - 3);
            p[1] = (unsigned char)(p[1] + ((v >> 8) & 7) - 3);
            p[2] = (unsigned char)(v >> 16);
        }
    for (int s = 0; s < 30; s++) {
        int x = (int)rng_below(r, W - 12), y = (int)rng_below(r, H - 12);
        uint32_t glyph = (uint32_t)rng_next(r);
        for (int gy = 0; gy < 12; gy++)
            for (int gx = 0; gx < 8; gx++)
                if (glyph >> ((gy * 8 + gx) % 32) & 1) {
                    unsigned char *p = img + (size_t)(y + gy) * STRIDE + (size_t)(x + gx) * BPP;
                    p[0] = p[1] = p[2] = 16;
                }
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 125);
    size_t isz = (size_t)H * STRIDE;
    unsigned char *frames = malloc(isz * (size_t)scale);
    bench_rng r = { 0x1ab3e6c0deULL };
    unsigned char *img = calloc(isz, 1);
    for (int f = 0; f < scale; f++) {
        paint(img, &r, f);
        memcpy(frames + isz * (size_t)f, img, isz);
    }
    unsigned char *filt = malloc((size_t)H * (STRIDE + 1)), *enc = malloc(isz * 2 + 1024);
    unsigned char *dec = malloc(isz), *plane = malloc((size_t)W * H), *plane2 = malloc((size_t)W * H);

    double t0 = bench_now();
    uint64_t h = 0, total_png = 0, total_planar = 0;
    uint32_t hist[5] = { 0, 0, 0, 0, 0 };
    for (int f = 0; f < scale; f++) {
        const unsigned char *src = frames + isz * (size_t)f;
        size_t n = encode_png_like(src, filt, enc, hist);
        total_png += n;
        h = mix64(h, n);
        for (size_t i = 0; i < n; i += 997) h = mix64(h, enc[i]);
        memset(dec, 0, isz);
        if (decode_png_like(enc, n, filt, dec) != 0 || memcmp(dec, src, isz) != 0) failures++;
        /* a truncated stream must not decode to a full image */
        if (n > 10 && decode_png_like(enc, n - 7, filt, dec) == 0) failures++;
        for (int c = 0; c < BPP; c++) {
            for (size_t i = 0; i < (size_t)W * H; i++) plane[i] = src[i * BPP + (size_t)c];
            size_t m = encode_planar(plane, enc);
            total_planar += m;
            h = mix64(h, m);
            decode_planar(enc, plane2);
            if (memcmp(plane, plane2, (size_t)W * H) != 0) failures++;
        }
    }
    for (int t = 0; t < 5; t++) h = mix64(h, hist[t]);
    bench_report(t0);
    printf("delta_rle: frames=%d png_bytes=%llu planar_bytes=%llu filters=%u/%u/%u/%u/%u failures=%d checksum=%016llx\n",
           scale, (unsigned long long)total_png, (unsigned long long)total_planar, hist[0], hist[1], hist[2], hist[3],
           hist[4], failures, (unsigned long long)h);
    free(frames); free(img); free(filt); free(enc); free(dec); free(plane); free(plane2);
    return failures != 0;
}
