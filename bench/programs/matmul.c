/* matmul — dense double-precision matrix multiply, C = A * B, repeated with a rotating input. */
#include "bench.h"

#define N 160

static double A[N][N], B[N][N], C[N][N];

static void multiply(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            C[i][j] = 0.0;
        for (int k = 0; k < N; k++) {
            double a = A[i][k];
            for (int j = 0; j < N; j++)
                C[i][j] += a * B[k][j];
        }
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 1200);
    bench_rng rng = { 0x9E3779B97F4A7C15ULL };
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (double)(rng_below(&rng, 2001)) / 1000.0 - 1.0;
            B[i][j] = (double)(rng_below(&rng, 2001)) / 1000.0 - 1.0;
        }
    double start = bench_now();
    double trace = 0.0;
    for (int r = 0; r < scale; r++) {
        multiply();
        trace += C[r % N][(r * 7) % N];
        /* Feed a little of the result back so no repetition is redundant. */
        A[r % N][(r * 3) % N] = C[(r * 5) % N][r % N] * 1e-3;
    }
    double sum = 0.0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            sum += C[i][j] * (double)((i ^ j) & 7);
    bench_report(start);
    printf("matmul n=%d reps=%d trace=%.6f sum=%.6f\n", N, scale, trace, sum);
    return 0;
}
