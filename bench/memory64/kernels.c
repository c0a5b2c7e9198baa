/* kernels.c — two of the benchmark suite's kernels (sieve.c and matmul.c, the same loops over the
 * same static arrays) without libc, so that clang builds them for wasm32 and for wasm64 alike
 * (Debian's wasi-libc is 32-bit only). scripts/bench-memory64 runs both builds to measure what a
 * 64-bit memory's explicit bounds checks cost against a 32-bit memory's guard region. Each export
 * takes a repetition count and returns a checksum, which must agree between the two builds and
 * between engines. */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

#define LIMIT 20000000
static u8 composite[LIMIT / 2 + 1];

__attribute__((export_name("sieve"))) u64 sieve(u32 reps)
{
    u64 h = 0;
    for (u32 r = 0; r < reps; r++) {
        u32 limit = LIMIT - r * 1000, half = limit / 2;
        __builtin_memset(composite, 0, half + 1);
        for (u32 i = 1; (2 * i + 1) * (2 * i + 1) <= limit; i++) {
            if (composite[i]) continue;
            u32 p = 2 * i + 1;
            for (u32 j = (p * p) / 2; j <= half; j += p)
                composite[j] = 1;
        }
        for (u32 i = 1; 2 * i + 1 <= limit; i++)
            if (!composite[i]) h = h * 31 + (2 * i + 1);
    }
    return h;
}

#define N 160
static double A[N][N], B[N][N], C[N][N];

__attribute__((export_name("matmul"))) u64 matmul(u32 reps)
{
    u64 s = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s ^= s >> 12, s ^= s << 25, s ^= s >> 27;
            A[i][j] = (double)((s * 0x2545F4914F6CDD1DULL) >> 53) / 4096.0 - 1.0;
            B[j][i] = A[i][j] * 0.5;
        }
    double trace = 0.0;
    for (u32 r = 0; r < reps; r++) {
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++)
                C[i][j] = 0.0;
            for (int k = 0; k < N; k++) {
                double a = A[i][k];
                for (int j = 0; j < N; j++)
                    C[i][j] += a * B[k][j];
            }
        }
        trace += C[r % N][(r * 7) % N];
        A[r % N][(r * 3) % N] = C[(r * 5) % N][r % N] * 1e-3;
    }
    union { double d; u64 u; } bits = { trace };
    return bits.u;
}
