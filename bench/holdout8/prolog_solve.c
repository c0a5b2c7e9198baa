/* prolog_solve.c — a small Prolog interpreter.
 *
 * Programs are read by an operator-precedence parser (standard operator table, lists, quoted
 * atoms, anonymous variables) into a code area of tagged 32-bit cells with clause-numbered
 * variables. Resolution is depth-first with structure copying: each call renames a clause onto
 * the global heap, unification is iterative with an explicit stack and conditional trailing,
 * goal continuations are immutable frames, and choice points record heap, trail and frame tops
 * so backtracking resets them. First-argument indexing avoids leaving needless choice points; cut
 * uses per-call barriers; if-then-else, negation as failure, disjunction and integer arithmetic
 * are built in. The workload consults a program (naive reverse, N-queens, Fibonacci, trial-
 * division primes, the zebra puzzle, quicksort on an LCG list, Hanoi) and runs queries whose
 * answers are checked against the same computations written in C.
 */
#include "../programs/bench.h"

enum { T_REF = 0, T_ATM = 1, T_INT = 2, T_STR = 3, T_FUN = 4, T_CVAR = 5 };
#define TAG(c) ((c) & 7u)
#define VAL(c) ((c) >> 3)
static inline uint32_t mk(uint32_t tag, uint32_t v) { return (v << 3) | tag; }

#define INT_MIN29 (-(1 << 28))
#define INT_MAX29 ((1 << 28) - 1)

static inline uint32_t mk_int(int32_t v) { return mk(T_INT, (uint32_t)v & 0x1FFFFFFFu); }
static inline int32_t int_val(uint32_t c)
{
    int32_t v = (int32_t)(c >> 3);
    if (v & (1 << 28))
        v -= 1 << 29;
    return v;
}

static int errors; /* resource or type errors during a run */
static int failures;

#include "prolog_solve/terms.h"
#include "prolog_solve/reader.h"
#include "prolog_solve/machine.h"
#include "prolog_solve/solver.h"
#include "prolog_solve/setup.h"

/* ---------- C reference computations ---------- */

static int c_queens(int n, int row, uint32_t cols, uint32_t d1, uint32_t d2)
{
    if (row == n)
        return 1;
    int count = 0;
    for (int c = 0; c < n; c++) {
        if ((cols >> c) & 1 || (d1 >> (row + c)) & 1 || (d2 >> (row - c + n)) & 1)
            continue;
        count += c_queens(n, row + 1, cols | 1u << c, d1 | 1u << (row + c), d2 | 1u << (row - c + n));
    }
    return count;
}

static int c_prime_count(int lo, int hi)
{
    int n = 0;
    for (int k = lo; k <= hi; k++) {
        int p = k >= 2;
        for (int d = 2; d * d <= k && p; d++)
            p = k % d != 0;
        n += p;
    }
    return n;
}

static int cmp_int(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 40);
    char qbuf[256];
    int32_t lst[2048], ref[2048];
    memset(atom_table, -1, sizeof atom_table);

    double t0 = bench_now();
    uint64_t h = 0x1F83D9ABFB41BD6BULL;
    for (int round = 0; round < scale; round++) {
        reset_world();
        int ncl = consult(program_text);
        h = mix64(h, (uint64_t)ncl);
        if (ncl != 49 || errors)
            failures++;

        /* naive reverse */
        nrev_len = 30;
        nrev_checked = 0;
        snprintf(qbuf, sizeof qbuf, "bench_nrev(%d, %d).", 150, nrev_len);
        if (!run_query(qbuf) || nrev_checked != 150)
            failures++;

        /* all solutions of N-queens for a few N */
        for (int n = 5; n <= 8; n++) {
            rec_count = 0;
            snprintf(qbuf, sizeof qbuf, "all_queens(%d).", n);
            if (!run_query(qbuf) || rec_count != c_queens(n, 0, 0, 0, 0))
                failures++;
            h = mix64(h, (uint64_t)rec_count);
        }

        /* Fibonacci by doubly recursive calls */
        {
            int n = 15 + round % 3;
            snprintf(qbuf, sizeof qbuf, "fib(%d, F).", n);
            int ok = run_query(qbuf);
            uint32_t f = qvar("F");
            int32_t a = 0, b = 1;
            for (int i = 0; i < n; i++) {
                int32_t t = a + b;
                a = b;
                b = t;
            }
            if (!ok || TAG(f) != T_INT || int_val(f) != a)
                failures++;
            h = mix64(h, (uint64_t)a);
        }

        /* primes */
        {
            int lo = 2 + round * 37, hi = lo + 1200;
            rec_count = 0;
            snprintf(qbuf, sizeof qbuf, "count_primes(%d, %d).", lo, hi);
            if (!run_query(qbuf) || rec_count != c_prime_count(lo, hi))
                failures++;
            h = mix64(h, (uint64_t)rec_count);
        }

        /* zebra: one solution, the japanese own the zebra and the norwegian drinks water */
        {
            if (!run_query("zebra(Z, W).")) {
                failures++;
            } else {
                uint32_t z = qvar("Z"), w = qvar("W");
                if (TAG(z) != T_ATM || strcmp(atom_name[VAL(z)], "japanese") != 0 ||
                    TAG(w) != T_ATM || strcmp(atom_name[VAL(w)], "norwegian") != 0)
                    failures++;
            }
            rec_count = 0;
            if (!run_query("all_zebra.") || rec_count != 1)
                failures++;
        }

        /* quicksort */
        {
            int n = 400 + round % 50;
            int seed = 17 + round;
            snprintf(qbuf, sizeof qbuf, "lcg_list(%d, %d, L), qsort(L, S), len(S, N).", n, seed);
            int ok = run_query(qbuf);
            int got = ok ? list_ints(qvar("S"), lst, 2048) : -1;
            int32_t s = seed;
            for (int i = 0; i < n; i++) {
                s = (s * 1103 + 12345) % 65536;
                ref[i] = s % 1000;
            }
            qsort(ref, (size_t)n, sizeof ref[0], cmp_int);
            if (got != n || memcmp(lst, ref, sizeof(int32_t) * (size_t)n) != 0 || int_val(qvar("N")) != n)
                failures++;
            for (int i = 0; i < got; i += 16)
                h = mix64(h, (uint64_t)lst[i]);
        }

        /* Hanoi and list max */
        {
            int n = 12 + round % 3;
            snprintf(qbuf, sizeof qbuf, "hanoi(%d, a, b, c, 0, M).", n);
            int ok = run_query(qbuf);
            uint32_t m = qvar("M");
            if (!ok || TAG(m) != T_INT || int_val(m) != (1 << n) - 1)
                failures++;
            snprintf(qbuf, sizeof qbuf, "lcg_list(%d, %d, L), maxl(L, M).", 300, 5 + round);
            ok = run_query(qbuf);
            int cnt = list_ints(qvar("L"), lst, 2048);
            int32_t mx = -1;
            for (int i = 0; i < cnt; i++)
                mx = lst[i] > mx ? lst[i] : mx;
            if (!ok || cnt != 300 || int_val(qvar("M")) != mx)
                failures++;
            h = mix64(h, (uint64_t)mx);
        }

        if (errors) {
            failures++;
            errors = 0;
        }
    }
    bench_report(t0);
    h = mix64(h, rec_hash);
    h = mix64(h, (uint64_t)inferences);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
