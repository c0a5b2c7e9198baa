/* nqueens_sudoku — recursion-heavy backtracking: counts N-queens solutions with the classic
 * recursive bitmask search (columns and both diagonals as masks), and solves sudoku puzzles made
 * from a fixed solved grid with cells removed by the rng, by a recursive backtracking solver that
 * fills the most constrained empty cell first, with candidate bitmasks per row, column and box,
 * counting solutions up to a limit. The style is deep recursion over small state, branchy code
 * and bit tricks (lowest set bit, popcount). */
#include "bench.h"

/* ---- N-queens ---- */

static uint64_t queen_solutions;   /* counted at the leaves */

static void queens(uint32_t all, uint32_t cols, uint32_t ld, uint32_t rd)
{
    if (cols == all) {
        queen_solutions++;
        return;
    }
    uint32_t free_ = all & ~(cols | ld | rd);
    while (free_) {
        uint32_t bit = free_ & (0u - free_);
        free_ ^= bit;
        queens(all, cols | bit, ((ld | bit) << 1) & all, (rd | bit) >> 1);
    }
}

/* ---- sudoku ---- */

static const uint8_t solved[81] = {
    5, 3, 4, 6, 7, 8, 9, 1, 2,
    6, 7, 2, 1, 9, 5, 3, 4, 8,
    1, 9, 8, 3, 4, 2, 5, 6, 7,
    8, 5, 9, 7, 6, 1, 4, 2, 3,
    4, 2, 6, 8, 5, 3, 7, 9, 1,
    7, 1, 3, 9, 2, 4, 8, 5, 6,
    9, 6, 1, 5, 3, 7, 2, 8, 4,
    2, 8, 7, 4, 1, 9, 6, 3, 5,
    3, 4, 5, 2, 8, 6, 1, 7, 9,
};

typedef struct {
    uint8_t cell[81];
    uint8_t empties[81];
    int nempty;
    uint16_t row[9], col[9], box[9];   /* digits used, bit d-1 */
    uint8_t first[81];                 /* the first solution found */
    uint64_t nodes;
} sudoku;

static inline int box_of(int i) { return (i / 27) * 3 + (i % 9) / 3; }

static int solve(sudoku *s, int k, int limit)
{
    s->nodes++;
    if (k == s->nempty) {
        if (s->first[0] == 0)   /* keep the first solution */
            memcpy(s->first, s->cell, 81);
        return 1;
    }
    /* Most constrained cell first: the empty cell with the fewest candidates goes to slot k. */
    int best = k, best_count = 10;
    for (int j = k; j < s->nempty; j++) {
        int e = s->empties[j];
        uint32_t m = ~(uint32_t)(s->row[e / 9] | s->col[e % 9] | s->box[box_of(e)]) & 0x1FF;
        int n = __builtin_popcount(m);
        if (n < best_count) {
            best_count = n;
            best = j;
            if (n <= 1) break;
        }
    }
    if (best_count == 0)
        return 0;
    uint8_t t = s->empties[k]; s->empties[k] = s->empties[best]; s->empties[best] = t;
    int i = s->empties[k];
    int r = i / 9, c = i % 9, b = box_of(i);
    uint32_t cand = ~(uint32_t)(s->row[r] | s->col[c] | s->box[b]) & 0x1FF;
    int found = 0;
    while (cand) {
        uint32_t bit = cand & (0u - cand);
        cand ^= bit;
        int d = __builtin_ctz(bit) + 1;
        s->cell[i] = (uint8_t)d;
        s->row[r] |= (uint16_t)bit; s->col[c] |= (uint16_t)bit; s->box[b] |= (uint16_t)bit;
        found += solve(s, k + 1, limit - found);
        s->row[r] &= (uint16_t)~bit; s->col[c] &= (uint16_t)~bit; s->box[b] &= (uint16_t)~bit;
        s->cell[i] = 0;
        if (found >= limit)
            break;
    }
    return found;
}

/* Makes a puzzle: the solved grid with its digits relabelled by `rng` and `holes` cells removed at
 * places drawn from `holes_rng`. */
static void make_puzzle(sudoku *s, bench_rng *rng, bench_rng *holes_rng, int holes)
{
    uint8_t perm[10];
    for (int d = 0; d <= 9; d++) perm[d] = (uint8_t)d;
    for (int d = 9; d > 1; d--) {
        int j = 1 + (int)rng_below(rng, (uint32_t)d);
        uint8_t t = perm[d]; perm[d] = perm[j]; perm[j] = t;
    }
    for (int i = 0; i < 81; i++) s->cell[i] = perm[solved[i]];
    for (int h = 0; h < holes; ) {
        int i = (int)rng_below(holes_rng, 81);
        if (s->cell[i]) { s->cell[i] = 0; h++; }
    }
    memset(s->row, 0, sizeof s->row);
    memset(s->col, 0, sizeof s->col);
    memset(s->box, 0, sizeof s->box);
    memset(s->first, 0, sizeof s->first);
    s->nempty = 0;
    s->nodes = 0;
    for (int i = 0; i < 81; i++) {
        if (!s->cell[i]) { s->empties[s->nempty++] = (uint8_t)i; continue; }
        uint16_t bit = (uint16_t)(1u << (s->cell[i] - 1));
        s->row[i / 9] |= bit; s->col[i % 9] |= bit; s->box[box_of(i)] |= bit;
    }
}

#define PUZZLES 100
#define SOLUTION_LIMIT 1000

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 11);
    bench_rng rng = { 0xC0FFEE1234567ULL };
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    uint64_t total_queens = 0, total_nodes = 0;
    uint64_t total_sols = 0;
    for (int r = 0; r < scale; r++) {
        /* The same set of hole patterns every repetition (so the work is linear in SCALE; the
         * search time of a pattern varies a lot), relabelled with different digits. */
        bench_rng holes_rng = { 0x243F6A8885A308D3ULL };
        for (int n = 6; n <= 13; n++) {
            queen_solutions = 0;
            queens((1u << n) - 1, 0, 0, 0);
            uint64_t q = queen_solutions;
            total_queens += q;
            h = mix64(h, q);
        }
        for (int p = 0; p < PUZZLES; p++) {
            sudoku s;
            make_puzzle(&s, &rng, &holes_rng, 54 + (int)rng_below(&holes_rng, 10));
            int sols = solve(&s, 0, SOLUTION_LIMIT);
            total_sols += (uint64_t)sols;
            total_nodes += s.nodes;
            h = mix64(h, (uint64_t)sols << 32 | s.nodes);
            for (int i = 0; i < 81; i++)
                h = mix64(h, s.first[i]);
        }
    }
    bench_report(start);
    printf("nqueens_sudoku reps=%d queens=%llu sudoku-solutions=%llu sudoku-nodes=%llu checksum=%016llx\n", scale,
           (unsigned long long)total_queens, (unsigned long long)total_sols, (unsigned long long)total_nodes,
           (unsigned long long)h);
    return 0;
}
