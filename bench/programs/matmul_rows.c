/* matmul_rows — double-precision i-k-j matrix multiply through row pointers into static arrays,
 * with the size known only at run time: the inner loop is c[j] += a * b[j]. clang unrolls it by
 * two for wasm32 (no vectors there), so a Wasm engine sees c[j], c[j + 1], b[j] and b[j + 1]
 * computed with 32-bit address arithmetic. The shape an outside suite ran under Kiln 0.5.4 at
 * 3.6x native. */
#include "bench.h"

#define MAX_N 200

static double A[MAX_N * MAX_N], B[MAX_N * MAX_N], C[MAX_N * MAX_N];

__attribute__((noinline)) static void multiply(double *c, const double *a, const double *b, int n)
{
    for (int i = 0; i < n; i++) {
        double *crow = c + i * n;
        for (int j = 0; j < n; j++)
            crow[j] = 0.0;
        for (int k = 0; k < n; k++) {
            double av = a[i * n + k];
            const double *brow = b + k * n;
            for (int j = 0; j < n; j++)
                crow[j] += av * brow[j];
        }
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 600);
    /* The size is an argument, so that no compiler can specialise the loops to a constant. */
    int n = argc > 2 ? atoi(argv[2]) : MAX_N;
    if (n < 1 || n > MAX_N)
        n = MAX_N;
    bench_rng rng = { 0x9E3779B97F4A7C15ULL };
    for (int i = 0; i < n * n; i++) {
        A[i] = (double)(rng_below(&rng, 2001)) / 1000.0 - 1.0;
        B[i] = (double)(rng_below(&rng, 2001)) / 1000.0 - 1.0;
    }
    double start = bench_now();
    double trace = 0.0;
    for (int r = 0; r < scale; r++) {
        multiply(C, A, B, n);
        trace += C[(r * 7) % (n * n)];
        /* Feed a little of the result back so no repetition is redundant. */
        A[r % (n * n)] = C[(r * 5) % (n * n)] * 1e-3;
    }
    double sum = 0.0;
    for (int i = 0; i < n * n; i++)
        sum += C[i] * (double)(i & 7);
    bench_report(start);
    printf("matmul_rows n=%d reps=%d trace=%.6f sum=%.6f\n", n, scale, trace, sum);
    return 0;
}
