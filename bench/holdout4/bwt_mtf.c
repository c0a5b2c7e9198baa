/* bwt_mtf — bzip2-style block transform pipeline and its inverse.
 * bench-cflags: -O3
 *
 * Each 64 KiB block (generated prose with repeated phrases, tables of numbers and a little noise)
 * is rotation-sorted by prefix doubling with counting-sort passes to get the Burrows-Wheeler
 * transform, then move-to-front coded and zero-run-length coded with RUNA/RUNB symbols. The
 * inverse (run expansion, inverse MTF, LF-mapping inverse BWT) must reproduce the block. Blocks
 * are lightly mutated every round so each round sorts a different input. */
#include "../programs/bench.h"

#define BLOCK (1u << 16)
#define NBLK 4

static void rotation_sort(const uint8_t *s, uint32_t n, uint32_t *sa, uint32_t *rank, uint32_t *tmp, uint32_t *cnt)
{
    uint32_t m = 256;
    memset(cnt, 0, sizeof(uint32_t) * m);
    for (uint32_t i = 0; i < n; i++) cnt[s[i]]++;
    for (uint32_t i = 1; i < m; i++) cnt[i] += cnt[i - 1];
    for (uint32_t i = n; i-- > 0;) sa[--cnt[s[i]]] = i;
    rank[sa[0]] = 0;
    uint32_t r = 0;
    for (uint32_t i = 1; i < n; i++) {
        if (s[sa[i]] != s[sa[i - 1]]) r++;
        rank[sa[i]] = r;
    }
    for (uint32_t k = 1; r + 1 < n && k < n; k <<= 1) {
        /* order by second key: rotation i+k is at sa position j, so i = sa[j]-k comes in that order */
        for (uint32_t j = 0; j < n; j++) tmp[j] = sa[j] >= k ? sa[j] - k : sa[j] + n - k;
        m = r + 1;
        memset(cnt, 0, sizeof(uint32_t) * m);
        for (uint32_t i = 0; i < n; i++) cnt[rank[i]]++;
        for (uint32_t i = 1; i < m; i++) cnt[i] += cnt[i - 1];
        for (uint32_t j = n; j-- > 0;) sa[--cnt[rank[tmp[j]]]] = tmp[j];
        /* new ranks from (rank[i], rank[i+k]) pairs; tmp reused for them */
        tmp[sa[0]] = 0;
        r = 0;
        for (uint32_t i = 1; i < n; i++) {
            uint32_t a = sa[i], b = sa[i - 1];
            uint32_t a2 = a + k < n ? a + k : a + k - n, b2 = b + k < n ? b + k : b + k - n;
            if (rank[a] != rank[b] || rank[a2] != rank[b2]) r++;
            tmp[a] = r;
        }
        memcpy(rank, tmp, sizeof(uint32_t) * n);
    }
}

static void mtf_encode(const uint8_t *in, uint32_t n, uint8_t *out)
{
    uint8_t list[256];
    for (int i = 0; i < 256; i++) list[i] = (uint8_t)i;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = in[i];
        uint32_t j = 0;
        while (list[j] != c) j++;
        memmove(list + 1, list, j);
        list[0] = c;
        out[i] = (uint8_t)j;
    }
}

static void mtf_decode(const uint8_t *in, uint32_t n, uint8_t *out)
{
    uint8_t list[256];
    for (int i = 0; i < 256; i++) list[i] = (uint8_t)i;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = in[i];
        uint8_t c = list[j];
        memmove(list + 1, list, j);
        list[0] = c;
        out[i] = c;
    }
}

enum { RUNA = 0, RUNB = 1, EOB = 257 };

/* zero runs -> bijective base-2 digits (RUNA=1, RUNB=2), other values v -> v+1 */
static uint32_t rle0_encode(const uint8_t *in, uint32_t n, uint16_t *out)
{
    uint32_t o = 0, i = 0;
    while (i < n) {
        if (in[i] == 0) {
            uint32_t run = 0;
            while (i < n && in[i] == 0) { run++; i++; }
            while (run > 0) {
                if (run & 1) { out[o++] = RUNA; run = (run - 1) >> 1; }
                else { out[o++] = RUNB; run = (run - 2) >> 1; }
            }
        } else {
            out[o++] = (uint16_t)(in[i] + 1);
            i++;
        }
    }
    out[o++] = EOB;
    return o;
}

static uint32_t rle0_decode(const uint16_t *in, uint8_t *out, uint32_t cap)
{
    uint32_t o = 0, i = 0;
    for (;;) {
        uint16_t s = in[i];
        if (s == RUNA || s == RUNB) {
            uint32_t run = 0, w = 1;
            while (in[i] == RUNA || in[i] == RUNB) {
                run += in[i] == RUNA ? w : 2 * w;
                w <<= 1;
                i++;
            }
            if (o + run > cap) return UINT32_MAX;
            memset(out + o, 0, run);
            o += run;
        } else if (s == EOB) {
            return o;
        } else {
            if (o >= cap) return UINT32_MAX;
            out[o++] = (uint8_t)(s - 1);
            i++;
        }
    }
}

static void inverse_bwt(const uint8_t *L, uint32_t n, uint32_t primary, uint32_t *lf, uint8_t *out)
{
    uint32_t C[256] = { 0 }, occ[256];
    for (uint32_t i = 0; i < n; i++) C[L[i]]++;
    uint32_t sum = 0;
    for (int c = 0; c < 256; c++) { occ[c] = sum; sum += C[c]; }
    for (uint32_t i = 0; i < n; i++) lf[i] = occ[L[i]]++;
    uint32_t j = primary;
    for (uint32_t i = n; i-- > 0;) {
        out[i] = L[j];
        j = lf[j];
    }
}

static void gen_block(bench_rng *r, uint8_t *b, uint32_t n)
{
    static const char *words[] = { "the", "of", "and", "compression", "block", "sorting", "transform", "river",
                                   "mountain", "quietly", "under", "between", "seven", "number", "table", "rows",
                                   "value", "signal", "a", "in", "is", "was", "for", "with", "archive", "window" };
    uint32_t pos = 0;
    char phrase[8][80];
    for (int p = 0; p < 8; p++) {
        int l = 0;
        for (int w = 0; w < 6; w++) {
            const char *s = words[rng_below(r, 26)];
            size_t sl = strlen(s);
            memcpy(phrase[p] + l, s, sl);
            l += (int)sl;
            phrase[p][l++] = ' ';
        }
        phrase[p][l] = 0;
    }
    while (pos < n) {
        uint32_t k = rng_below(r, 10);
        char tmp[96];
        int l;
        if (k < 5) {
            const char *s = words[rng_below(r, 26)];
            l = (int)strlen(s);
            memcpy(tmp, s, (size_t)l);
            tmp[l++] = rng_below(r, 12) == 0 ? '\n' : ' ';
        } else if (k < 7) {
            const char *s = phrase[rng_below(r, 8)];
            l = (int)strlen(s);
            memcpy(tmp, s, (size_t)l);
        } else if (k < 9) {
            uint32_t v = rng_below(r, 100000);
            l = 0;
            tmp[l++] = '|';
            for (int d = 0; d < 5; d++) { tmp[l++] = (char)('0' + v % 10); v /= 10; }
            tmp[l++] = ' ';
        } else {
            l = 1 + (int)rng_below(r, 6);
            for (int i = 0; i < l; i++) tmp[i] = (char)rng_next(r);
        }
        for (int i = 0; i < l && pos < n; i++) b[pos++] = (uint8_t)tmp[i];
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 190);
    bench_rng rng = { 0x6277746d74660a01ULL };
    uint32_t n = BLOCK;
    uint8_t *blocks = malloc((size_t)n * NBLK);
    uint8_t *L = malloc(n), *mtf = malloc(n), *back = malloc(n), *out = malloc(n), *dec = malloc(n);
    uint16_t *sym = malloc(sizeof(uint16_t) * (n + 2));
    uint32_t *sa = malloc(sizeof(uint32_t) * n), *rank = malloc(sizeof(uint32_t) * n);
    uint32_t *tmp = malloc(sizeof(uint32_t) * n), *cnt = malloc(sizeof(uint32_t) * (n + 256));
    if (!blocks || !L || !mtf || !back || !out || !dec || !sym || !sa || !rank || !tmp || !cnt) return 1;
    for (int b = 0; b < NBLK; b++) gen_block(&rng, blocks + (size_t)b * n, n);
    bench_rng mut = { 0x6d7574617465ULL };

    double start = bench_now();
    uint64_t h = 0, total_syms = 0;
    for (int round = 0; round < scale; round++) {
        uint8_t *s = blocks + (size_t)(round % NBLK) * n;
        for (int k = 0; k < 16; k++) s[rng_below(&mut, n)] = (uint8_t)('a' + rng_below(&mut, 26));
        rotation_sort(s, n, sa, rank, tmp, cnt);
        uint32_t primary = 0;
        for (uint32_t j = 0; j < n; j++) {
            uint32_t p = sa[j];
            L[j] = s[p ? p - 1 : n - 1];
            if (p == 0) primary = j;
        }
        mtf_encode(L, n, mtf);
        uint32_t ns = rle0_encode(mtf, n, sym);
        uint32_t freq[258] = { 0 };
        for (uint32_t i = 0; i < ns; i++) freq[sym[i]]++;
        /* inverse */
        uint32_t got = rle0_decode(sym, back, n);
        if (got != n) { fprintf(stderr, "rle0 length %u\n", got); return 1; }
        mtf_decode(back, n, dec);
        inverse_bwt(dec, n, primary, tmp, out);
        if (memcmp(out, s, n) != 0) { fprintf(stderr, "round trip failed round %d\n", round); return 1; }
        total_syms += ns;
        h = mix64(h, (uint64_t)ns << 32 | primary);
        for (int c = 0; c < 258; c += 3) h = mix64(h, freq[c]);
        for (uint32_t j = 0; j < n; j += 509) h = mix64(h, (uint64_t)sa[j] << 8 | L[j]);
    }
    bench_report(start);
    printf("bwt_mtf block=%u rounds=%d symbols=%llu checksum=%016llx\n", n, scale, (unsigned long long)total_syms,
           (unsigned long long)h);
    free(blocks); free(L); free(mtf); free(back); free(out); free(dec); free(sym);
    free(sa); free(rank); free(tmp); free(cnt);
    return 0;
}
