/* gf2_elim/matrix.h -- bit-packed GF(2) matrices (rows of 64-bit words): Gauss-Jordan
 * elimination, naive and Four-Russians products, 64x64 block transposition by mask-and-shift
 * swaps and bit by bit, null-space bases, solving, matrix-vector products. */

typedef struct {
    int rows, cols, stride;
    uint64_t *w;
} Mat;

static Mat mat_new(int rows, int cols)
{
    Mat m;
    m.rows = rows;
    m.cols = cols;
    m.stride = (cols + 63) / 64;
    m.w = calloc((size_t)(rows ? rows : 1) * (size_t)m.stride, sizeof(uint64_t));
    if (!m.w)
        exit(1);
    return m;
}

static void mat_free(Mat *m) { free(m->w); }

static inline uint64_t *row(const Mat *m, int i) { return m->w + (size_t)i * (size_t)m->stride; }

static inline int get(const Mat *m, int i, int j) { return (int)(row(m, i)[j >> 6] >> (j & 63) & 1); }

static inline void flip(Mat *m, int i, int j) { row(m, i)[j >> 6] ^= 1ULL << (j & 63); }

static Mat mat_copy(const Mat *a)
{
    Mat m = mat_new(a->rows, a->cols);
    memcpy(m.w, a->w, (size_t)a->rows * (size_t)a->stride * sizeof(uint64_t));
    return m;
}

static int mat_equal(const Mat *a, const Mat *b)
{
    return a->rows == b->rows && a->cols == b->cols &&
           memcmp(a->w, b->w, (size_t)a->rows * (size_t)a->stride * sizeof(uint64_t)) == 0;
}

/* random entries with probability num/256, padding bits kept zero */
static void mat_random(Mat *m, bench_rng *r, unsigned num)
{
    for (int i = 0; i < m->rows; i++) {
        uint64_t *p = row(m, i);
        for (int k = 0; k < m->stride; k++) {
            uint64_t v = 0;
            if (num == 128) {
                v = rng_next(r);
            } else {
                for (int b = 0; b < 64; b++)
                    if ((rng_next(r) >> 56) < num)
                        v |= 1ULL << b;
            }
            p[k] = v;
        }
        if (m->cols & 63)
            p[m->stride - 1] &= (1ULL << (m->cols & 63)) - 1;
    }
}

/* Gauss-Jordan to reduced row echelon form; returns the rank, pivot columns in piv */
static int rref(Mat *m, int *piv)
{
    int rank = 0, stride = m->stride;
    for (int c = 0; c < m->cols && rank < m->rows; c++) {
        int word = c >> 6;
        uint64_t bit = 1ULL << (c & 63);
        int p = rank;
        while (p < m->rows && !(row(m, p)[word] & bit))
            p++;
        if (p == m->rows)
            continue;
        uint64_t *pr = row(m, p), *rr = row(m, rank);
        if (p != rank)
            for (int k = word; k < stride; k++) {
                uint64_t t = pr[k];
                pr[k] = rr[k];
                rr[k] = t;
            }
        for (int i = 0; i < m->rows; i++) {
            uint64_t *ri = row(m, i);
            if (i != rank && (ri[word] & bit))
                for (int k = word; k < stride; k++)
                    ri[k] ^= rr[k];
        }
        if (piv)
            piv[rank] = c;
        rank++;
    }
    return rank;
}

static int rank_of(const Mat *a)
{
    Mat t = mat_copy(a);
    int r = rref(&t, NULL);
    mat_free(&t);
    return r;
}

static void mul_naive(const Mat *a, const Mat *b, Mat *c)
{
    memset(c->w, 0, (size_t)c->rows * (size_t)c->stride * sizeof(uint64_t));
    for (int i = 0; i < a->rows; i++) {
        uint64_t *ci = row(c, i);
        for (int k = 0; k < a->cols; k++)
            if (get(a, i, k)) {
                const uint64_t *bk = row(b, k);
                for (int w = 0; w < c->stride; w++)
                    ci[w] ^= bk[w];
            }
    }
}

/* Method of Four Russians with 8-row Gray-code tables */
static void mul_m4rm(const Mat *a, const Mat *b, Mat *c, uint64_t *table)
{
    int s = c->stride;
    memset(c->w, 0, (size_t)c->rows * (size_t)s * sizeof(uint64_t));
    for (int k0 = 0; k0 < a->cols; k0 += 8) {
        int kn = a->cols - k0 < 8 ? a->cols - k0 : 8;
        memset(table, 0, (size_t)s * sizeof(uint64_t));
        for (int g = 1; g < (1 << kn); g++) {
            int gray = g ^ (g >> 1), prev = (g - 1) ^ ((g - 1) >> 1);
            int bitpos = __builtin_ctz((unsigned)(gray ^ prev));
            const uint64_t *src = table + (size_t)prev * (size_t)s, *brow = row(b, k0 + bitpos);
            uint64_t *dst = table + (size_t)gray * (size_t)s;
            for (int w = 0; w < s; w++)
                dst[w] = src[w] ^ brow[w];
        }
        int word = k0 >> 6, sh = k0 & 63;
        for (int i = 0; i < a->rows; i++) {
            const uint64_t *ai = row(a, i);
            unsigned idx = (unsigned)(ai[word] >> sh) & ((1u << kn) - 1); /* k0 % 8 == 0 */
            if (!idx)
                continue;
            const uint64_t *t = table + (size_t)idx * (size_t)s;
            uint64_t *ci = row(c, i);
            for (int w = 0; w < s; w++)
                ci[w] ^= t[w];
        }
    }
}

/* in-place transpose of a 64x64 bit block given as 64 words (bit j of word i = entry (i, j)) */
static void transpose64(uint64_t *x)
{
    uint64_t m = 0x00000000FFFFFFFFULL;
    for (int j = 32; j; j >>= 1, m ^= m << j) {
        for (int k = 0; k < 64; k = (k + j + 1) & ~j) {
            uint64_t t = ((x[k] >> j) ^ x[k + j]) & m;
            x[k] ^= t << j;
            x[k + j] ^= t;
        }
    }
}

static Mat transpose_fast(const Mat *a)
{
    Mat t = mat_new(a->cols, a->rows);
    uint64_t blk[64];
    for (int bi = 0; bi < a->rows; bi += 64)
        for (int bj = 0; bj < a->stride; bj++) {
            for (int i = 0; i < 64; i++)
                blk[i] = bi + i < a->rows ? row(a, bi + i)[bj] : 0;
            transpose64(blk);
            for (int j = 0; j < 64 && bj * 64 + j < a->cols; j++)
                row(&t, bj * 64 + j)[bi >> 6] = blk[j];
        }
    return t;
}

static Mat transpose_slow(const Mat *a)
{
    Mat t = mat_new(a->cols, a->rows);
    for (int i = 0; i < a->rows; i++)
        for (int j = 0; j < a->cols; j++)
            if (get(a, i, j))
                flip(&t, j, i);
    return t;
}

static int parity_dot(const uint64_t *x, const uint64_t *y, int words)
{
    uint64_t acc = 0;
    for (int k = 0; k < words; k++)
        acc ^= x[k] & y[k];
    return __builtin_popcountll(acc) & 1;
}

/* null-space basis from a reduced matrix: one vector per free column, as rows of a matrix */
static Mat null_basis(const Mat *red, int rank, const int *piv)
{
    int n = red->cols;
    Mat nb = mat_new(n - rank, n);
    int k = 0, pi = 0;
    for (int f = 0; f < n; f++) {
        if (pi < rank && piv[pi] == f) {
            pi++;
            continue;
        }
        flip(&nb, k, f);
        for (int i = 0; i < rank; i++)
            if (get(red, i, f))
                flip(&nb, k, piv[i]);
        k++;
    }
    return nb;
}

/* solves A x = b; returns 0 if inconsistent. x has a->stride words */
static int solve(const Mat *a, const uint64_t *b, uint64_t *x, int *piv)
{
    Mat aug = mat_new(a->rows, a->cols + 1);
    for (int i = 0; i < a->rows; i++) {
        memcpy(row(&aug, i), row(a, i), (size_t)a->stride * sizeof(uint64_t));
        if (b[i >> 6] >> (i & 63) & 1)
            flip(&aug, i, a->cols);
    }
    int r = rref(&aug, piv);
    int ok = !(r > 0 && piv[r - 1] == a->cols);
    memset(x, 0, (size_t)a->stride * sizeof(uint64_t));
    if (ok)
        for (int i = 0; i < r; i++)
            if (get(&aug, i, a->cols))
                x[piv[i] >> 6] |= 1ULL << (piv[i] & 63);
    mat_free(&aug);
    return ok;
}

static void mat_vec(const Mat *a, const uint64_t *x, uint64_t *y)
{
    memset(y, 0, (size_t)((a->rows + 63) / 64) * sizeof(uint64_t));
    for (int i = 0; i < a->rows; i++)
        if (parity_dot(row(a, i), x, a->stride))
            y[i >> 6] |= 1ULL << (i & 63);
}

static uint64_t mat_hash(uint64_t h, const Mat *m)
{
    for (int i = 0; i < m->rows; i += 3)
        h = mix64(h, row(m, i)[0] ^ row(m, i)[m->stride - 1] << 1);
    return h;
}
