/* gf2_elim.c -- linear algebra over GF(2) on bit-packed rows.
 *
 * bench-cflags: -O3
 *
 * Matrices are arrays of 64-bit words, one padded row after another. Gauss-Jordan elimination
 * to reduced row echelon form gives rank, pivot columns, solutions of A x = b, null-space bases
 * and inverses; products are formed naively (XOR of the rows of B picked by the bits of A) and
 * by the Method of Four Russians (Gray-code tables of all XOR combinations of eight rows);
 * 64x64 blocks are transposed by the recursive mask-and-shift swap. Inputs: random rectangular
 * matrices of several densities, low-rank products, and Lights Out puzzles on square grids.
 *
 * Checks: both products agree; A A^-1 = I for invertible matrices and singular ones are
 * detected consistently with rank; every solution satisfies A x = b and every null-space vector
 * A v = 0, with rank + nullity = columns and an independent basis; rank(A) = rank(A^T) through
 * the fast transpose (checked against bit-by-bit transposition), rank(U V) <= inner dimension,
 * rank(A B) <= min(rank A, rank B); Lights Out solutions clear the board when the presses are
 * simulated, and a board is solvable exactly when it is orthogonal to the null space of the
 * (symmetric) press matrix. Part: gf2_elim/matrix.h.
 */
#include "../programs/bench.h"

#include "gf2_elim/matrix.h"

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

static int piv[2048];
static uint64_t table[256 * 16];

/* one random rectangular matrix: rank, transpose, null space, solving */
static int rect_checks(bench_rng *r, int rows, int cols, unsigned dens, uint64_t *h)
{
    int bad = 0;
    Mat a = mat_new(rows, cols);
    mat_random(&a, r, dens);
    Mat red = mat_copy(&a);
    int rank = rref(&red, piv);
    Mat tf = transpose_fast(&a), ts = transpose_slow(&a);
    if (!mat_equal(&tf, &ts))
        bad++;
    if (rank_of(&tf) != rank)
        bad++;
    Mat nb = null_basis(&red, rank, piv);
    uint64_t y[8], x[8], bvec[8];
    for (int k = 0; k < nb.rows; k++) {
        mat_vec(&a, row(&nb, k), y);
        for (int w = 0; w < (rows + 63) / 64; w++)
            if (y[w])
                bad++;
    }
    if (nb.rows && rank_of(&nb) != nb.rows)
        bad++;
    /* left null space for the inconsistency certificates */
    Mat tred = mat_copy(&tf);
    int trank = rref(&tred, piv);
    Mat lnb = null_basis(&tred, trank, piv);
    for (int t = 0; t < 6; t++) {
        memset(bvec, 0, sizeof bvec);
        if (t < 3) { /* consistent: b = A x0 */
            uint64_t x0[8];
            memset(x0, 0, sizeof x0);
            for (int j = 0; j < cols; j++)
                if (rng_below(r, 2))
                    x0[j >> 6] |= 1ULL << (j & 63);
            mat_vec(&a, x0, bvec);
        } else {
            for (int i = 0; i < rows; i++)
                if (rng_below(r, 2))
                    bvec[i >> 6] |= 1ULL << (i & 63);
        }
        int ok = solve(&a, bvec, x, piv);
        if (ok) {
            mat_vec(&a, x, y);
            if (memcmp(y, bvec, (size_t)((rows + 63) / 64) * sizeof(uint64_t)) != 0)
                bad++;
        } else if (t < 3) {
            bad++;
        }
        /* inconsistent exactly when some left null vector has odd overlap with b */
        int cert = 0;
        for (int k = 0; k < lnb.rows; k++)
            cert |= parity_dot(row(&lnb, k), bvec, lnb.stride);
        if (cert == ok)
            bad++;
        *h = mix64(*h, (uint64_t)ok << 32 ^ x[0]);
    }
    *h = mix64(*h, (uint64_t)rank << 16 | (uint64_t)nb.rows);
    mat_free(&a), mat_free(&red), mat_free(&tf), mat_free(&ts), mat_free(&nb);
    mat_free(&tred), mat_free(&lnb);
    return bad;
}

static int product_checks(bench_rng *r, int n, int m, int k, uint64_t *h)
{
    int bad = 0;
    Mat a = mat_new(n, m), b = mat_new(m, k), c1 = mat_new(n, k), c2 = mat_new(n, k);
    mat_random(&a, r, rng_below(r, 2) ? 128 : 40);
    mat_random(&b, r, rng_below(r, 2) ? 128 : 12);
    mul_naive(&a, &b, &c1);
    mul_m4rm(&a, &b, &c2, table);
    if (!mat_equal(&c1, &c2))
        bad++;
    int ra = rank_of(&a), rb = rank_of(&b), rc = rank_of(&c2);
    if (rc > ra || rc > rb)
        bad++;
    *h = mat_hash(*h, &c2);
    *h = mix64(*h, (uint64_t)(ra * 1000000 + rb * 1000 + rc));
    mat_free(&a), mat_free(&b), mat_free(&c1), mat_free(&c2);
    /* a product through a narrow inner dimension has at most that rank */
    int inner = 4 + (int)rng_below(r, 40);
    Mat u = mat_new(n, inner), v = mat_new(inner, k), p = mat_new(n, k);
    mat_random(&u, r, 128);
    mat_random(&v, r, 128);
    mul_m4rm(&u, &v, &p, table);
    int rp = rank_of(&p);
    if (rp > inner)
        bad++;
    *h = mix64(*h, (uint64_t)rp);
    mat_free(&u), mat_free(&v), mat_free(&p);
    return bad;
}

static int inverse_checks(bench_rng *r, int n, uint64_t *h)
{
    int bad = 0;
    Mat a = mat_new(n, n), aug = mat_new(n, 2 * n);
    mat_random(&a, r, 128);
    for (int i = 0; i < n; i++) {
        uint64_t *ar = row(&a, i), *gr = row(&aug, i);
        for (int j = 0; j < n; j++)
            if (ar[j >> 6] >> (j & 63) & 1)
                gr[j >> 6] |= 1ULL << (j & 63);
        flip(&aug, i, n + i);
    }
    int rk = rref(&aug, piv);
    int invertible = rk >= n && piv[n - 1] == n - 1;
    if (invertible != (rank_of(&a) == n))
        bad++;
    if (invertible) {
        Mat inv = mat_new(n, n), p = mat_new(n, n), q = mat_new(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (get(&aug, i, n + j))
                    flip(&inv, i, j);
        mul_m4rm(&a, &inv, &p, table);
        mul_m4rm(&inv, &a, &q, table);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (get(&p, i, j) != (i == j) || get(&q, i, j) != (i == j))
                    bad++;
        *h = mat_hash(*h, &inv);
        mat_free(&inv), mat_free(&p), mat_free(&q);
    }
    *h = mix64(*h, (uint64_t)invertible);
    mat_free(&a), mat_free(&aug);
    return bad;
}

/* Lights Out: pressing a cell toggles it and its four neighbours */
static const int lights_nullity[21] = { 0, 0, 0, 0, 4, 2, 0, 0, 0, 8, 0, 6, 0, 0, 4, 0, 8, 2, 0, 16, 0 };

static int lights_out(bench_rng *r, int n, uint64_t *h)
{
    int N = n * n, bad = 0;
    Mat a = mat_new(N, N);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int c = i * n + j;
            flip(&a, c, c);
            if (i > 0)
                flip(&a, c, c - n);
            if (i < n - 1)
                flip(&a, c, c + n);
            if (j > 0)
                flip(&a, c, c - 1);
            if (j < n - 1)
                flip(&a, c, c + 1);
        }
    Mat red = mat_copy(&a);
    int rank = rref(&red, piv);
    Mat nb = null_basis(&red, rank, piv);
    if (nb.rows != lights_nullity[n])
        bad++;
    uint64_t board[8], x[8];
    unsigned char cells[400];
    for (int t = 0; t < 8; t++) {
        memset(board, 0, sizeof board);
        for (int c = 0; c < N; c++)
            if (rng_below(r, 2))
                board[c >> 6] |= 1ULL << (c & 63);
        int orth = 1;
        for (int k = 0; k < nb.rows; k++)
            if (parity_dot(row(&nb, k), board, a.stride))
                orth = 0;
        int ok = solve(&a, board, x, piv);
        if (ok != orth)
            bad++;
        if (!ok)
            continue;
        /* press the buttons on a plain grid */
        for (int c = 0; c < N; c++)
            cells[c] = (unsigned char)(board[c >> 6] >> (c & 63) & 1);
        int presses = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int c = i * n + j;
                if (!(x[c >> 6] >> (c & 63) & 1))
                    continue;
                presses++;
                cells[c] ^= 1;
                if (i > 0)
                    cells[c - n] ^= 1;
                if (i < n - 1)
                    cells[c + n] ^= 1;
                if (j > 0)
                    cells[c - 1] ^= 1;
                if (j < n - 1)
                    cells[c + 1] ^= 1;
            }
        for (int c = 0; c < N; c++)
            if (cells[c])
                bad++;
        *h = mix64(*h, (uint64_t)presses);
    }
    mat_free(&a), mat_free(&red), mat_free(&nb);
    return bad;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 23);
    int rounds = scale * 2;
    bench_rng rng = { 0x8F1BBCDCCA62C1D6ULL };
    uint64_t h = 0;
    static const unsigned dens[3] = { 128, 20, 5 };

    double t0 = bench_now();
    for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < 3; k++) {
            int rows = 16 + (int)rng_below(&rng, 480), cols = 16 + (int)rng_below(&rng, 480);
            if (rect_checks(&rng, rows, cols, dens[k], &h))
                fail("rectangular matrix", round);
        }
        int pn = 64 + (int)rng_below(&rng, 448), pm = 64 + (int)rng_below(&rng, 448);
        int pk = 64 + (int)rng_below(&rng, 448);
        if (product_checks(&rng, pn, pm, pk, &h))
            fail("products", round);
        if (inverse_checks(&rng, 32 + (int)rng_below(&rng, 480), &h))
            fail("inverse", round);
        if (lights_out(&rng, 4 + round % 17, &h))
            fail("Lights Out", round);
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
