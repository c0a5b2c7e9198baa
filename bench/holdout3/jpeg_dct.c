/* jpeg_dct — JPEG-style baseline transform coding round trip: integer RGB->YCbCr with 4:2:0
 * subsampling, 8x8 fixed-point DCT, quality-scaled quantisation, zigzag, run-length/category symbols, and the inverse path.
 *
 * The cosine table is built with a hand-written Taylor series before the timer. Each round codes a
 * generated 512x512 image at a different quality; the checksum folds symbol counts, estimated bits and squared error. */
#include "../programs/bench.h"

#define W 512
#define H 512
#define CW (W / 2)
#define CH (H / 2)
#define FIX 13

static int32_t cos_tab[8][8];  /* C(u) * cos((2x+1)u*pi/16) / 2 in Q13 */

static const uint8_t zigzag[64] = {
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
    28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54,
    47, 55, 62, 63 };

static const uint8_t luma_q[64] = {
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99 };

static const uint8_t chroma_q[64] = {
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
    47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99 };

static double my_cos(double x)
{
    /* reduce to [-pi, pi] then Taylor series */
    const double pi = 3.14159265358979323846;
    while (x > pi) x -= 2.0 * pi;
    while (x < -pi) x += 2.0 * pi;
    double x2 = x * x, term = 1.0, sum = 1.0;
    for (int k = 1; k < 14; k++) {
        term = -term * x2 / (double)((2 * k - 1) * (2 * k));
        sum += term;
    }
    return sum;
}

static void init_cos(void)
{
    const double pi = 3.14159265358979323846;
    for (int u = 0; u < 8; u++)
        for (int x = 0; x < 8; x++) {
            double cu = u == 0 ? 0.70710678118654752440 : 1.0;
            double v = cu * my_cos((double)((2 * x + 1) * u) * pi / 16.0) / 2.0;
            double s = v * (double)(1 << FIX);
            cos_tab[u][x] = (int32_t)(s < 0 ? s - 0.5 : s + 0.5);
        }
}

static inline int32_t round_shift(int32_t v, int s) { return (v + (1 << (s - 1))) >> s; }

static void fdct8x8(const int32_t *in, int32_t *out)
{
    int32_t tmp[64];
    for (int y = 0; y < 8; y++)
        for (int u = 0; u < 8; u++) {
            int32_t s = 0;
            for (int x = 0; x < 8; x++) s += cos_tab[u][x] * in[y * 8 + x];
            tmp[y * 8 + u] = round_shift(s, FIX - 2);   /* keep 2 extra bits */
        }
    for (int u = 0; u < 8; u++)
        for (int v = 0; v < 8; v++) {
            int32_t s = 0;
            for (int y = 0; y < 8; y++) s += cos_tab[v][y] * tmp[y * 8 + u];
            out[v * 8 + u] = round_shift(s, FIX + 2);
        }
}

static void idct8x8(const int32_t *in, int32_t *out)
{
    int32_t tmp[64];
    for (int v = 0; v < 8; v++)
        for (int x = 0; x < 8; x++) {
            int32_t s = 0;
            for (int u = 0; u < 8; u++) s += cos_tab[u][x] * in[v * 8 + u];
            tmp[v * 8 + x] = round_shift(s, FIX - 2);
        }
    for (int x = 0; x < 8; x++)
        for (int y = 0; y < 8; y++) {
            int32_t s = 0;
            for (int v = 0; v < 8; v++) s += cos_tab[v][y] * tmp[v * 8 + x];
            out[y * 8 + x] = round_shift(s, FIX + 2);
        }
}

static int category(int32_t v)
{
    uint32_t a = (uint32_t)(v < 0 ? -v : v);
    int c = 0;
    while (a) { c++; a >>= 1; }
    return c;
}

typedef struct {
    uint8_t run, cat;   /* run==0 && cat==0 is EOB; run 15 cat 0 is ZRL */
    int16_t level;
} symbol;

typedef struct {
    uint64_t symbols, bits, sse;
} stats;

/* Codes one plane; writes the reconstruction to recon. */
static void code_plane(const uint8_t *plane, uint8_t *recon, int pw, int ph, const int32_t *qt, symbol *syms,
                       stats *st)
{
    int32_t blk[64], coef[64], q[64], zz[64], deq[64], rec[64];
    int32_t prev_dc = 0, dec_dc = 0;
    for (int by = 0; by < ph; by += 8)
        for (int bx = 0; bx < pw; bx += 8) {
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++) blk[y * 8 + x] = (int32_t)plane[(by + y) * pw + bx + x] - 128;
            fdct8x8(blk, coef);
            for (int i = 0; i < 64; i++) {
                int32_t c = coef[i], d = qt[i];
                q[i] = c >= 0 ? (c + d / 2) / d : -((-c + d / 2) / d);
            }
            for (int i = 0; i < 64; i++) zz[i] = q[zigzag[i]];
            /* run-length encode: DC difference, then AC (run, level) pairs */
            int ns = 0;
            int32_t diff = zz[0] - prev_dc;
            prev_dc = zz[0];
            syms[ns++] = (symbol){ 0, (uint8_t)category(diff), (int16_t)diff };
            int run = 0;
            for (int i = 1; i < 64; i++) {
                if (zz[i] == 0) { run++; continue; }
                while (run > 15) { syms[ns++] = (symbol){ 15, 0, 0 }; run -= 16; }
                syms[ns++] = (symbol){ (uint8_t)run, (uint8_t)category(zz[i]), (int16_t)zz[i] };
                run = 0;
            }
            if (run > 0) syms[ns++] = (symbol){ 0, 0, 0 };
            /* estimated bits: 4 bits per symbol header plus magnitude bits */
            for (int s = 0; s < ns; s++) st->bits += 4u + syms[s].cat;
            st->symbols += (uint64_t)ns;
            /* decode from the symbols */
            int32_t dq[64];
            memset(dq, 0, sizeof dq);
            dec_dc += syms[0].level;
            dq[0] = dec_dc;
            int pos = 1;
            for (int s = 1; s < ns; s++) {
                if (syms[s].run == 0 && syms[s].cat == 0) break;
                if (syms[s].run == 15 && syms[s].cat == 0) { pos += 16; continue; }
                pos += syms[s].run;
                dq[pos++] = syms[s].level;
            }
            for (int i = 0; i < 64; i++) deq[zigzag[i]] = dq[i] * qt[zigzag[i]];
            idct8x8(deq, rec);
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++) {
                    int32_t v = rec[y * 8 + x] + 128;
                    v = v < 0 ? 0 : v > 255 ? 255 : v;
                    uint8_t orig = plane[(by + y) * pw + bx + x];
                    recon[(by + y) * pw + bx + x] = (uint8_t)v;
                    int32_t e = v - orig;
                    st->sse += (uint64_t)(e * e);
                }
        }
}

static void scale_table(const uint8_t *base, int quality, int32_t *out)
{
    int s = quality < 50 ? 5000 / quality : 200 - quality * 2;
    for (int i = 0; i < 64; i++) {
        int v = (base[i] * s + 50) / 100;
        out[i] = v < 1 ? 1 : v > 255 ? 255 : v;
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 95);
    bench_rng rng = { 0x6a70656764637431ULL };
    init_cos();
    uint8_t *rgb = malloc((size_t)W * H * 3);
    uint8_t *yp = malloc((size_t)W * H), *cb = malloc((size_t)CW * CH), *cr = malloc((size_t)CW * CH);
    uint8_t *recon = malloc((size_t)W * H);
    symbol *syms = malloc(sizeof(symbol) * 128);
    if (!rgb || !yp || !cb || !cr || !recon || !syms) return 1;
    /* synthetic photo-like image: gradients, discs, stripes and sensor noise */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int r = (x * 255) / W, g = (y * 255) / H, b = ((x + y) * 255) / (W + H);
            int dx = x - 300, dy = y - 200;
            if (dx * dx + dy * dy < 90 * 90) { r = 230; g = 60 + (x & 31); b = 40; }
            int ex = x - 120, ey = y - 380;
            if (ex * ex + 3 * ey * ey < 80 * 80) { r = 20; g = 40; b = 200 - (y & 63); }
            if (y > 440 && ((x / 6) & 1)) { r = 250; g = 250; b = 250; }
            int n = (int)rng_below(&rng, 13) - 6;
            r += n; g += n; b += n;
            size_t k = ((size_t)y * W + x) * 3;
            rgb[k] = (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
            rgb[k + 1] = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : g);
            rgb[k + 2] = (uint8_t)(b < 0 ? 0 : b > 255 ? 255 : b);
        }

    double start = bench_now();
    uint64_t h = 0;
    stats total = { 0, 0, 0 };
    for (int round = 0; round < scale; round++) {
        /* colour conversion (JFIF, Q16) with 2x2 chroma averaging */
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                const uint8_t *p = &rgb[((size_t)y * W + x) * 3];
                int32_t Y = (19595 * p[0] + 38470 * p[1] + 7471 * p[2] + 32768) >> 16;
                yp[y * W + x] = (uint8_t)Y;
            }
        for (int y = 0; y < CH; y++)
            for (int x = 0; x < CW; x++) {
                int32_t sr = 0, sg = 0, sb = 0;
                for (int k = 0; k < 4; k++) {
                    const uint8_t *p = &rgb[((size_t)(2 * y + (k >> 1)) * W + 2 * x + (k & 1)) * 3];
                    sr += p[0]; sg += p[1]; sb += p[2];
                }
                int32_t u = (-11059 * sr - 21709 * sg + 32768 * sb + 4 * 32768 * 256 + 131072) >> 18;
                int32_t v = (32768 * sr - 27439 * sg - 5329 * sb + 4 * 32768 * 256 + 131072) >> 18;
                cb[y * CW + x] = (uint8_t)(u < 0 ? 0 : u > 255 ? 255 : u);
                cr[y * CW + x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        int quality = 30 + (round * 13) % 66;
        int32_t ql[64], qc[64];
        scale_table(luma_q, quality, ql);
        scale_table(chroma_q, quality, qc);
        stats st = { 0, 0, 0 };
        code_plane(yp, recon, W, H, ql, syms, &st);
        for (int i = 0; i < W * H; i += 251) h = mix64(h, recon[i]);
        code_plane(cb, recon, CW, CH, qc, syms, &st);
        code_plane(cr, recon, CW, CH, qc, syms, &st);
        h = mix64(h, st.symbols);
        h = mix64(h, st.bits);
        h = mix64(h, st.sse);
        total.symbols += st.symbols;
        total.bits += st.bits;
        total.sse += st.sse;
    }
    bench_report(start);
    printf("jpeg_dct rounds=%d symbols=%llu bits=%llu sse=%llu checksum=%016llx\n", scale,
           (unsigned long long)total.symbols, (unsigned long long)total.bits, (unsigned long long)total.sse,
           (unsigned long long)h);
    free(rgb); free(yp); free(cb); free(cr); free(recon); free(syms);
    return 0;
}
