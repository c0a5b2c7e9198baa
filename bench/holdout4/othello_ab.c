/* othello_ab — Othello (Reversi) self-play with recursive alpha-beta search.
 * bench-cflags: -Os
 *
 * A 10x10 mailbox board with sentinel borders, flips found by walking the eight ray directions and
 * undone from a flip stack. Negamax with alpha-beta pruning, pass handling and static move ordering
 * from a square-weight table; the evaluation combines square weights, mobility and corner
 * occupancy. Midgame moves use a fixed-depth search, the last empties are solved exactly. Each game
 * starts with a few random legal moves so that games differ. */
#include "../programs/bench.h"

enum { EMPTY = 0, BLACK = 1, WHITE = 2, OUT = 3 };
static const int dirs[8] = { -11, -10, -9, -1, 1, 9, 10, 11 };

static const int weight[100] = {
    0, 0,   0,   0,  0,  0,  0,   0,   0,   0,
    0, 100, -20, 10, 5,  5,  10,  -20, 100, 0,
    0, -20, -50, -2, -2, -2, -2,  -50, -20, 0,
    0, 10,  -2,  -1, -1, -1, -1,  -2,  10,  0,
    0, 5,   -2,  -1, -1, -1, -1,  -2,  5,   0,
    0, 5,   -2,  -1, -1, -1, -1,  -2,  5,   0,
    0, 10,  -2,  -1, -1, -1, -1,  -2,  10,  0,
    0, -20, -50, -2, -2, -2, -2,  -50, -20, 0,
    0, 100, -20, 10, 5,  5,  10,  -20, 100, 0,
    0, 0,   0,   0,  0,  0,  0,   0,   0,   0,
};

typedef struct {
    uint8_t sq[100];
    uint8_t flips[4096];
    int nflips;
    uint64_t nodes;
} board;

static void board_init(board *b)
{
    for (int i = 0; i < 100; i++) {
        int r = i / 10, c = i % 10;
        b->sq[i] = (r >= 1 && r <= 8 && c >= 1 && c <= 8) ? EMPTY : OUT;
    }
    b->sq[44] = b->sq[55] = WHITE;
    b->sq[45] = b->sq[54] = BLACK;
    b->nflips = 0;
}

static int would_flip(const board *b, int s, int me)
{
    if (b->sq[s] != EMPTY) return 0;
    int opp = 3 - me;
    for (int d = 0; d < 8; d++) {
        int p = s + dirs[d];
        if (b->sq[p] != opp) continue;
        do p += dirs[d]; while (b->sq[p] == opp);
        if (b->sq[p] == me) return 1;
    }
    return 0;
}

static int gen_moves(const board *b, int me, int *moves)
{
    int n = 0;
    for (int r = 1; r <= 8; r++)
        for (int c = 1; c <= 8; c++) {
            int s = r * 10 + c;
            if (would_flip(b, s, me)) moves[n++] = s;
        }
    return n;
}

/* plays s for me; returns number of discs flipped (pushed on the flip stack, then count) */
static int make_move(board *b, int s, int me)
{
    int opp = 3 - me, total = 0;
    for (int d = 0; d < 8; d++) {
        int p = s + dirs[d];
        int run = 0;
        while (b->sq[p] == opp) { p += dirs[d]; run++; }
        if (run && b->sq[p] == me) {
            for (int q = s + dirs[d]; q != p; q += dirs[d]) {
                b->sq[q] = (uint8_t)me;
                b->flips[b->nflips++] = (uint8_t)q;
            }
            total += run;
        }
    }
    b->sq[s] = (uint8_t)me;
    b->flips[b->nflips++] = (uint8_t)total;
    b->flips[b->nflips++] = (uint8_t)s;
    return total;
}

static void undo_move(board *b, int me)
{
    int s = b->flips[--b->nflips];
    int total = b->flips[--b->nflips];
    b->sq[s] = EMPTY;
    for (int i = 0; i < total; i++) b->sq[b->flips[--b->nflips]] = (uint8_t)(3 - me);
}

static int disc_diff(const board *b, int me)
{
    int d = 0;
    for (int s = 11; s <= 88; s++) {
        if (b->sq[s] == me) d++;
        else if (b->sq[s] == 3 - me) d--;
    }
    return d;
}

static int evaluate(const board *b, int me)
{
    int opp = 3 - me, score = 0, moves[64];
    for (int s = 11; s <= 88; s++) {
        if (b->sq[s] == me) score += weight[s];
        else if (b->sq[s] == opp) score -= weight[s];
    }
    int mm = gen_moves(b, me, moves), om = gen_moves(b, opp, moves);
    score += 8 * (mm - om);
    static const int corners[4] = { 11, 18, 81, 88 };
    for (int i = 0; i < 4; i++) {
        if (b->sq[corners[i]] == me) score += 30;
        else if (b->sq[corners[i]] == opp) score -= 30;
    }
    return score;
}

static void order_moves(int *moves, int n)
{
    for (int i = 1; i < n; i++) {
        int m = moves[i], j = i - 1;
        while (j >= 0 && weight[moves[j]] < weight[m]) { moves[j + 1] = moves[j]; j--; }
        moves[j + 1] = m;
    }
}

#define WIN 100000

static int negamax(board *b, int me, int depth, int alpha, int beta, int passed, int exact)
{
    b->nodes++;
    int moves[64];
    int n = gen_moves(b, me, moves);
    if (n == 0) {
        if (passed) {
            int d = disc_diff(b, me);
            return d > 0 ? WIN + d : d < 0 ? -WIN + d : 0;
        }
        return -negamax(b, 3 - me, depth, -beta, -alpha, 1, exact);
    }
    if (depth == 0) return exact ? disc_diff(b, me) : evaluate(b, me);
    order_moves(moves, n);
    int best = -2 * WIN;
    for (int i = 0; i < n; i++) {
        make_move(b, moves[i], me);
        int v = -negamax(b, 3 - me, depth - 1, -beta, -alpha, 0, exact);
        undo_move(b, me);
        if (v > best) best = v;
        if (v > alpha) alpha = v;
        if (alpha >= beta) break;
    }
    return best;
}

static int choose(board *b, int me, int depth, int exact, int *score)
{
    int moves[64];
    int n = gen_moves(b, me, moves);
    if (n == 0) return -1;
    order_moves(moves, n);
    int best = moves[0], alpha = -2 * WIN;
    for (int i = 0; i < n; i++) {
        make_move(b, moves[i], me);
        int v = -negamax(b, 3 - me, depth - 1, -2 * WIN, -alpha, 0, exact);
        undo_move(b, me);
        if (v > alpha) { alpha = v; best = moves[i]; }
    }
    *score = alpha;
    return best;
}

static int empties(const board *b)
{
    int e = 0;
    for (int s = 11; s <= 88; s++) e += b->sq[s] == EMPTY;
    return e;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 20);
    bench_rng rng = { 0x6f7468656c6c6f21ULL };
    board *b = malloc(sizeof(board));
    if (!b) return 1;

    double start = bench_now();
    uint64_t h = 0, nodes = 0;
    int black_wins = 0, white_wins = 0, draws = 0;
    for (int g = 0; g < scale; g++) {
        board_init(b);
        b->nodes = 0;
        int me = BLACK, passes = 0, ply = 0;
        int opening = 4 + (int)rng_below(&rng, 5);
        while (passes < 2) {
            int moves[64];
            int n = gen_moves(b, me, moves);
            if (n == 0) { passes++; me = 3 - me; continue; }
            passes = 0;
            int mv, score = 0;
            if (ply < opening) {
                mv = moves[rng_below(&rng, (uint32_t)n)];
            } else {
                int e = empties(b);
                if (e <= 8) mv = choose(b, me, e, 1, &score);
                else mv = choose(b, me, 4, 0, &score);
            }
            make_move(b, mv, me);
            b->nflips = 0; /* moves on the game line are never undone */
            h = mix64(h, (uint64_t)mv << 32 ^ (uint32_t)score);
            ply++;
            me = 3 - me;
        }
        int d = disc_diff(b, BLACK);
        if (d > 0) black_wins++;
        else if (d < 0) white_wins++;
        else draws++;
        nodes += b->nodes;
        h = mix64(h, (uint64_t)(d + 64) << 40 ^ b->nodes);
    }
    bench_report(start);
    printf("othello_ab games=%d black=%d white=%d draws=%d nodes=%llu checksum=%016llx\n", scale, black_wins,
           white_wins, draws, (unsigned long long)nodes, (unsigned long long)h);
    free(b);
    return 0;
}
