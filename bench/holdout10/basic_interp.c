/* basic_interp.c — a line-numbered BASIC interpreter.
 *
 * Source text is tokenized line by line (strtol for numbers and line numbers, strchr for string
 * literals, longest keyword match with strncmp, one-letter-plus-digit variable names) into one
 * token array in which consecutive lines are contiguous, so control flow is a token index. A
 * recursive-descent evaluator works directly on the tokens: 32-bit integers with wrapping
 * arithmetic, strings with concatenation and LEN/MID$/LEFT$/RIGHT$/CHR$/ASC/STR$/VAL/INSTR held
 * in a per-statement arena, comparisons, AND/OR/NOT, and one- and two-dimensional arrays. The
 * statements are LET, PRINT, IF...THEN, GOTO, GOSUB/RETURN, FOR/NEXT with STEP (zero-trip loops
 * skip to the matching NEXT), DIM, REM, END and ':' separators; runtime errors stop the program
 * with a code and a line number. Each round fills seven program templates with random
 * parameters (a sieve, Collatz records through GOSUB, an insertion sort with GOTO loops,
 * palindromic words built from string functions, a matrix product, Newton integer square roots,
 * recursive Towers of Hanoi with an array stack), lists every program back to text and re-reads
 * it (same tokens), runs it and compares its output with a C reference, and runs twelve faulty
 * programs that must stop with the expected error at the expected line.
 */
// bench-cflags: -Os
#include "../programs/bench.h"
#include <ctype.h>

#include "basic_interp/lexer.h"
#include "basic_interp/eval.h"
#include "basic_interp/exec.h"
#include "basic_interp/programs.h"

static unsigned failures;

static uint64_t hash_text(uint64_t h, const char *s)
{
    for (; *s; s++) h = mix64(h, (unsigned char)*s);
    return h;
}

/* Tokenizes, lists and re-reads, runs, and compares the output with the reference. */
static uint64_t check_program(Interp *I, Program *p, Program *q, char *listing, const char *src,
                              const char *expected, uint64_t h)
{
    if (!lex_program(p, src)) { failures++; return h; }
    int n = detokenize(p, listing, 1 << 16);
    if (n < 0 || !lex_program(q, listing) || !same_tokens(p, q)) failures++;
    int err = run(I, p, 50000000L);
    if (err != E_OK || strcmp(I->out ? I->out : "", expected) != 0) failures++;
    h = hash_text(h, I->out ? I->out : "");
    return mix64(h, (uint64_t)I->steps);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 58);
    Interp *I = calloc(1, sizeof *I);
    Program *p = malloc(sizeof *p), *q = malloc(sizeof *q);
    char *src = malloc(4096), *listing = malloc(1 << 16), *expected = malloc(4096);
    bench_rng rng = { 0xBA51C0DE5EEDULL };
    uint64_t h = 0, steps = 0;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        int a = 4000 + (int)rng_below(&rng, 12000);
        snprintf(src, 4096, prog_sieve, a);
        ref_sieve(expected, a);
        h = check_program(I, p, q, listing, src, expected, h);
        steps += (uint64_t)I->steps;

        a = 150 + (int)rng_below(&rng, 300);
        snprintf(src, 4096, prog_collatz, a);
        ref_collatz(expected, a);
        h = check_program(I, p, q, listing, src, expected, h);
        steps += (uint64_t)I->steps;

        a = 80 + (int)rng_below(&rng, 150);
        int b = (int)rng_below(&rng, 65536);
        snprintf(src, 4096, prog_sort, a, b);
        ref_sort(expected, a, b);
        h = check_program(I, p, q, listing, src, expected, h);
        steps += (uint64_t)I->steps;

        a = (int)rng_below(&rng, 65536);
        b = 100 + (int)rng_below(&rng, 300);
        snprintf(src, 4096, prog_strings, a, b);
        ref_strings(expected, a, b);
        h = check_program(I, p, q, listing, src, expected, h);
        steps += (uint64_t)I->steps;

        a = 8 + (int)rng_below(&rng, 12);
        b = (int)rng_below(&rng, 100);
        snprintf(src, 4096, prog_matrix, a, b);
        ref_matrix(expected, a, b);
        h = check_program(I, p, q, listing, src, expected, h);
        steps += (uint64_t)I->steps;

        a = 1000 + (int)rng_below(&rng, 3000);
        b = 1000 + (int)rng_below(&rng, 3000);
        snprintf(src, 4096, prog_numeric, a, b);
        ref_numeric(expected, a, b);
        h = check_program(I, p, q, listing, src, expected, h);
        steps += (uint64_t)I->steps;

        a = 6 + (int)rng_below(&rng, 5);
        snprintf(src, 4096, prog_hanoi, a);
        ref_hanoi(expected, a);
        h = check_program(I, p, q, listing, src, expected, h);
        steps += (uint64_t)I->steps;

        for (size_t k = 0; k < sizeof bad_programs / sizeof bad_programs[0]; k++) {
            if (!lex_program(p, bad_programs[k].src)) { failures++; continue; }
            int err = run(I, p, 100000L);
            if (err != bad_programs[k].err || I->err_line != bad_programs[k].line) failures++;
            h = mix64(h, (uint64_t)err << 16 | (uint64_t)I->err_line);
        }
    }
    bench_report(t0);
    printf("basic_interp: statements=%llu hash=%016llx failures=%u\n", (unsigned long long)steps,
           (unsigned long long)h, failures);
    free(I->out);
    free(I); free(p); free(q); free(src); free(listing); free(expected);
    return failures != 0;
}
