/* sparse_cg — Jacobi-preconditioned conjugate gradient on a CSR sparse matrix (variable-coefficient 2-D diffusion, SPD).
 * bench-cflags: -O3
 *
 * The matrix is the 5-point finite-volume discretisation of -div(k grad u) + c u on an N x N grid
 * with a piecewise, noisy conductivity k, assembled into compressed sparse rows (row pointers,
 * column indices, values). Each round solves for a different right-hand side until the residual
 * norm drops below 1e-8 of the initial one or an iteration cap is reached; the solution is
 * checked by recomputing the residual and hashed. */
#include "../programs/bench.h"
#include <math.h>

#define N 160
#define NN (N * N)
#define MAX_ITERS 1000

typedef struct {
    int n, nnz;
    int *rowptr, *col;
    double *val;
} csr;

static double conductivity(int x, int y, bench_rng *r)
{
    double k = 1.0;
    if (x > N / 3 && x < 2 * N / 3 && y > N / 4 && y < 3 * N / 4) k = 20.0;   /* a stiff inclusion */
    if ((x / 16 + y / 16) % 5 == 0) k *= 0.2;
    return k * (0.8 + 0.4 * (double)rng_below(r, 1000) / 1000.0);
}

static void assemble(csr *A, bench_rng *r)
{
    double *k = malloc(sizeof(double) * NN);
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) k[y * N + x] = conductivity(x, y, r);
    A->n = NN;
    A->rowptr = malloc(sizeof(int) * (NN + 1));
    A->col = malloc(sizeof(int) * NN * 5);
    A->val = malloc(sizeof(double) * NN * 5);
    int nz = 0;
    for (int y = 0; y < N; y++) {
        for (int x = 0; x < N; x++) {
            int i = y * N + x;
            A->rowptr[i] = nz;
            double diag = 0.01;               /* the c u term keeps it strictly positive definite */
            int nb[4] = { i - N, i - 1, i + 1, i + N };
            int ok[4] = { y > 0, x > 0, x < N - 1, y < N - 1 };
            int diag_slot = -1;
            for (int j = 0; j < 4; j++) {
                if (j == 2) { diag_slot = nz; A->col[nz] = i; A->val[nz] = 0.0; nz++; }
                if (!ok[j]) { diag += k[i]; continue; }   /* Dirichlet boundary */
                double kf = 2.0 * k[i] * k[nb[j]] / (k[i] + k[nb[j]]);   /* harmonic mean */
                A->col[nz] = nb[j];
                A->val[nz] = -kf;
                nz++;
                diag += kf;
            }
            A->val[diag_slot] = diag;
        }
    }
    A->rowptr[NN] = nz;
    A->nnz = nz;
    free(k);
}

static void spmv(const csr *A, const double *x, double *y)
{
    for (int i = 0; i < A->n; i++) {
        double s = 0.0;
        for (int p = A->rowptr[i]; p < A->rowptr[i + 1]; p++) s += A->val[p] * x[A->col[p]];
        y[i] = s;
    }
}

static double dotp(const double *a, const double *b, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* Returns the number of iterations. */
static int pcg(const csr *A, const double *b, double *x, double *r, double *z, double *p, double *q,
               const double *inv_diag)
{
    int n = A->n;
    memset(x, 0, sizeof(double) * (size_t)n);
    memcpy(r, b, sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) z[i] = r[i] * inv_diag[i];
    memcpy(p, z, sizeof(double) * (size_t)n);
    double rz = dotp(r, z, n), r0 = sqrt(dotp(r, r, n));
    int it = 0;
    while (it < MAX_ITERS) {
        spmv(A, p, q);
        double alpha = rz / dotp(p, q, n);
        for (int i = 0; i < n; i++) {
            x[i] += alpha * p[i];
            r[i] -= alpha * q[i];
        }
        it++;
        double rn = sqrt(dotp(r, r, n));
        if (rn <= 1e-8 * r0) break;
        for (int i = 0; i < n; i++) z[i] = r[i] * inv_diag[i];
        double rz_new = dotp(r, z, n), beta = rz_new / rz;
        rz = rz_new;
        for (int i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
    }
    return it;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 13);
    bench_rng rng = { 0xC6C6ULL };
    csr A;
    assemble(&A, &rng);
    double *inv_diag = malloc(sizeof(double) * NN);
    for (int i = 0; i < NN; i++)
        for (int p = A.rowptr[i]; p < A.rowptr[i + 1]; p++)
            if (A.col[p] == i) inv_diag[i] = 1.0 / A.val[p];
    double *b = malloc(sizeof(double) * NN), *x = malloc(sizeof(double) * NN), *r = malloc(sizeof(double) * NN),
           *z = malloc(sizeof(double) * NN), *p = malloc(sizeof(double) * NN), *q = malloc(sizeof(double) * NN);

    double start = bench_now();
    uint64_t h = 0;
    long total_iters = 0;
    for (int round = 0; round < scale; round++) {
        /* a few point sources and sinks plus a smooth background load */
        for (int i = 0; i < NN; i++) b[i] = 0.001 * (double)(i % N) / N;
        for (int s = 0; s < 6; s++) {
            int at = (int)rng_below(&rng, NN);
            b[at] += s % 2 ? -1.0 : 1.0 + (double)round;
        }
        int it = pcg(&A, b, x, r, z, p, q, inv_diag);
        total_iters += it;
        spmv(&A, x, q);
        double res = 0.0, bn = 0.0;
        for (int i = 0; i < NN; i++) { double d = b[i] - q[i]; res += d * d; bn += b[i] * b[i]; }
        if (!(res <= 1e-12 * bn)) { printf("sparse_cg: not converged (round %d, %d iterations)\n", round, it); return 1; }
        h = mix64(h, (uint64_t)it);
        for (int i = 0; i < NN; i += 101) {
            uint64_t bits;
            memcpy(&bits, &x[i], sizeof bits);
            h = mix64(h, bits);
        }
    }
    bench_report(start);
    printf("sparse_cg n=%d nnz=%d rounds=%d iterations=%ld checksum=%016llx\n", NN, A.nnz, scale, total_iters,
           (unsigned long long)h);
    return 0;
}
