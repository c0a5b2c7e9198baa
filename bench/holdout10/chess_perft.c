/* chess_perft.c — bitboard chess move generation counted by perft.
 *
 * A position is twelve piece bitboards plus a square-indexed mailbox, side to move, castling
 * rights, en-passant square and an incrementally updated Zobrist key. Knight, king and pawn
 * attacks come from tables; sliding attacks from precomputed rays cut at the first blocker
 * (lowest set bit for rays going up the board, highest for rays going down). Moves are generated
 * pseudo-legally (pushes, double pushes, captures, en passant, promotions, castling through
 * unattacked squares) and made on a copy of the position; a move is legal when the mover's king
 * is not attacked afterwards. Each round counts perft on six well-known test positions at fixed
 * depths and compares the counts with the published values, then plays random games from the
 * start position and checks that each reached position and its colour-flipped mirror image have
 * the same perft count. At the upper levels of the search the incremental key is compared with a
 * key recomputed from scratch, the bitboards with the mailbox, and the bitboard attack test with
 * a slow square-by-square ray walk over the mailbox.
 */
#include "../programs/bench.h"

typedef uint64_t U64;
enum { WHITE, BLACK };
enum { PAWN, KNIGHT, BISHOP, ROOK, QUEEN, KING };
enum { F_CAP = 1, F_DOUBLE = 2, F_EP = 4, F_CASTLE = 8 };

typedef struct {
    U64 pieces[2][6];
    U64 occ[2];
    int8_t board[64]; /* -1 empty, else colour * 8 + type */
    int side, castle, ep;
    U64 key;
} Pos;

static U64 knight_att[64], king_att[64], pawn_att[2][64], rays[8][64];
static U64 z_piece[2][6][64], z_side, z_castle[16], z_ep[64];
static int castle_mask[64];
static const int dir_df[8] = { 0, 1, 1, 1, 0, -1, -1, -1 };
static const int dir_dr[8] = { 1, 1, 0, -1, -1, -1, 0, 1 };
/* rays 0..2 and 7 go towards higher square numbers (N, NE, E, NW) */
static const int dir_up[8] = { 1, 1, 1, 0, 0, 0, 0, 1 };
static unsigned failures;

#define BIT(s) (1ULL << (s))

static void init_tables(void)
{
    static const int kn[8][2] = { { 1, 2 }, { 2, 1 }, { 2, -1 }, { 1, -2 }, { -1, -2 }, { -2, -1 }, { -2, 1 }, { -1, 2 } };
    for (int sq = 0; sq < 64; sq++) {
        int f = sq & 7, r = sq >> 3;
        for (int i = 0; i < 8; i++) {
            int nf = f + kn[i][0], nr = r + kn[i][1];
            if (nf >= 0 && nf < 8 && nr >= 0 && nr < 8)
                knight_att[sq] |= BIT(nr * 8 + nf);
            nf = f + dir_df[i];
            nr = r + dir_dr[i];
            if (nf >= 0 && nf < 8 && nr >= 0 && nr < 8)
                king_att[sq] |= BIT(nr * 8 + nf);
            for (int k = 1;; k++) {
                nf = f + dir_df[i] * k;
                nr = r + dir_dr[i] * k;
                if (nf < 0 || nf > 7 || nr < 0 || nr > 7)
                    break;
                rays[i][sq] |= BIT(nr * 8 + nf);
            }
        }
        if (r < 7 && f > 0) pawn_att[WHITE][sq] |= BIT(sq + 7);
        if (r < 7 && f < 7) pawn_att[WHITE][sq] |= BIT(sq + 9);
        if (r > 0 && f > 0) pawn_att[BLACK][sq] |= BIT(sq - 9);
        if (r > 0 && f < 7) pawn_att[BLACK][sq] |= BIT(sq - 7);
        castle_mask[sq] = 15;
    }
    castle_mask[4] = 15 & ~3;
    castle_mask[7] = 15 & ~1;
    castle_mask[0] = 15 & ~2;
    castle_mask[60] = 15 & ~12;
    castle_mask[63] = 15 & ~4;
    castle_mask[56] = 15 & ~8;
    bench_rng rng = { 0x9E3779B97F4A7C15ULL };
    for (int c = 0; c < 2; c++)
        for (int t = 0; t < 6; t++)
            for (int s = 0; s < 64; s++)
                z_piece[c][t][s] = rng_next(&rng);
    z_side = rng_next(&rng);
    for (int i = 0; i < 16; i++)
        z_castle[i] = rng_next(&rng);
    for (int i = 0; i < 64; i++)
        z_ep[i] = rng_next(&rng);
}

static inline int lsb(U64 b) { return __builtin_ctzll(b); }
static inline int msb(U64 b) { return 63 - __builtin_clzll(b); }

static inline U64 ray_attack(int dir, int sq, U64 occ)
{
    U64 a = rays[dir][sq], b = a & occ;
    if (b)
        a ^= rays[dir][dir_up[dir] ? lsb(b) : msb(b)];
    return a;
}

static inline U64 bishop_att(int sq, U64 occ)
{
    return ray_attack(1, sq, occ) | ray_attack(3, sq, occ) | ray_attack(5, sq, occ) | ray_attack(7, sq, occ);
}

static inline U64 rook_att(int sq, U64 occ)
{
    return ray_attack(0, sq, occ) | ray_attack(2, sq, occ) | ray_attack(4, sq, occ) | ray_attack(6, sq, occ);
}

static int attacked(const Pos *p, int sq, int by)
{
    const U64 *b = p->pieces[by];
    U64 occ = p->occ[0] | p->occ[1];
    if (pawn_att[by ^ 1][sq] & b[PAWN]) return 1;
    if (knight_att[sq] & b[KNIGHT]) return 1;
    if (king_att[sq] & b[KING]) return 1;
    if (bishop_att(sq, occ) & (b[BISHOP] | b[QUEEN])) return 1;
    if (rook_att(sq, occ) & (b[ROOK] | b[QUEEN])) return 1;
    return 0;
}

/* Independent attack test walking the mailbox square by square. */
static int attacked_slow(const Pos *p, int sq, int by)
{
    int f = sq & 7, r = sq >> 3;
    for (int d = 0; d < 8; d++) {
        for (int k = 1; k < 8; k++) {
            int nf = f + dir_df[d] * k, nr = r + dir_dr[d] * k;
            if (nf < 0 || nf > 7 || nr < 0 || nr > 7)
                break;
            int pc = p->board[nr * 8 + nf];
            if (pc < 0)
                continue;
            if ((pc >> 3) == by) {
                int t = pc & 7, diag = dir_df[d] != 0 && dir_dr[d] != 0;
                if (t == QUEEN || (t == BISHOP && diag) || (t == ROOK && !diag)) return 1;
                if (k == 1 && t == KING) return 1;
                if (k == 1 && t == PAWN && diag && dir_dr[d] == (by == WHITE ? -1 : 1)) return 1;
            }
            break;
        }
    }
    static const int kn[8][2] = { { 1, 2 }, { 2, 1 }, { 2, -1 }, { 1, -2 }, { -1, -2 }, { -2, -1 }, { -2, 1 }, { -1, 2 } };
    for (int i = 0; i < 8; i++) {
        int nf = f + kn[i][0], nr = r + kn[i][1];
        if (nf >= 0 && nf < 8 && nr >= 0 && nr < 8 && p->board[nr * 8 + nf] == by * 8 + KNIGHT)
            return 1;
    }
    return 0;
}

static U64 compute_key(const Pos *p)
{
    U64 k = 0;
    for (int s = 0; s < 64; s++)
        if (p->board[s] >= 0)
            k ^= z_piece[p->board[s] >> 3][p->board[s] & 7][s];
    if (p->side) k ^= z_side;
    k ^= z_castle[p->castle];
    if (p->ep >= 0) k ^= z_ep[p->ep];
    return k;
}

static inline void put(Pos *p, int c, int t, int s)
{
    p->pieces[c][t] |= BIT(s);
    p->occ[c] |= BIT(s);
    p->board[s] = (int8_t)(c * 8 + t);
    p->key ^= z_piece[c][t][s];
}

static inline void take(Pos *p, int c, int t, int s)
{
    p->pieces[c][t] &= ~BIT(s);
    p->occ[c] &= ~BIT(s);
    p->board[s] = -1;
    p->key ^= z_piece[c][t][s];
}

static int parse_fen(Pos *p, const char *fen)
{
    memset(p, 0, sizeof *p);
    memset(p->board, -1, sizeof p->board);
    int r = 7, f = 0;
    const char *s = fen;
    for (; *s && *s != ' '; s++) {
        if (*s == '/') { r--; f = 0; continue; }
        if (*s >= '1' && *s <= '8') { f += *s - '0'; continue; }
        const char *names = "pnbrqk";
        int c = (*s >= 'a') ? BLACK : WHITE;
        const char *q = strchr(names, c == BLACK ? *s : *s + 32);
        if (!q || f > 7 || r < 0) return 0;
        put(p, c, (int)(q - names), r * 8 + f);
        f++;
    }
    if (*s++ != ' ') return 0;
    p->side = (*s == 'b');
    s += 2;
    for (; *s && *s != ' '; s++) {
        if (*s == 'K') p->castle |= 1;
        if (*s == 'Q') p->castle |= 2;
        if (*s == 'k') p->castle |= 4;
        if (*s == 'q') p->castle |= 8;
    }
    if (*s == ' ') s++;
    p->ep = (*s >= 'a' && *s <= 'h') ? (s[1] - '1') * 8 + (s[0] - 'a') : -1;
    p->key = compute_key(p);
    return 1;
}

static inline uint32_t mkmove(int from, int to, int promo, int flags)
{
    return (uint32_t)from | (uint32_t)to << 6 | (uint32_t)promo << 12 | (uint32_t)flags << 16;
}

static int gen_moves(const Pos *p, uint32_t *out)
{
    int us = p->side, them = us ^ 1, n = 0;
    U64 own = p->occ[us], opp = p->occ[them], all = own | opp;
    int fwd = us == WHITE ? 8 : -8;
    int start_rank = us == WHITE ? 1 : 6, last_rank = us == WHITE ? 7 : 0;
    for (U64 b = p->pieces[us][PAWN]; b; b &= b - 1) {
        int s = lsb(b), t = s + fwd;
        if (!(all & BIT(t))) {
            if ((t >> 3) == last_rank) {
                for (int pr = QUEEN; pr >= KNIGHT; pr--)
                    out[n++] = mkmove(s, t, pr, 0);
            } else {
                out[n++] = mkmove(s, t, 0, 0);
                if ((s >> 3) == start_rank && !(all & BIT(t + fwd)))
                    out[n++] = mkmove(s, t + fwd, 0, F_DOUBLE);
            }
        }
        for (U64 c = pawn_att[us][s] & opp; c; c &= c - 1) {
            int d = lsb(c);
            if ((d >> 3) == last_rank) {
                for (int pr = QUEEN; pr >= KNIGHT; pr--)
                    out[n++] = mkmove(s, d, pr, F_CAP);
            } else {
                out[n++] = mkmove(s, d, 0, F_CAP);
            }
        }
        if (p->ep >= 0 && (pawn_att[us][s] & BIT(p->ep)))
            out[n++] = mkmove(s, p->ep, 0, F_CAP | F_EP);
    }
    for (int t = KNIGHT; t <= KING; t++) {
        for (U64 b = p->pieces[us][t]; b; b &= b - 1) {
            int s = lsb(b);
            U64 a;
            switch (t) {
            case KNIGHT: a = knight_att[s]; break;
            case BISHOP: a = bishop_att(s, all); break;
            case ROOK: a = rook_att(s, all); break;
            case QUEEN: a = bishop_att(s, all) | rook_att(s, all); break;
            default: a = king_att[s]; break;
            }
            for (a &= ~own; a; a &= a - 1) {
                int d = lsb(a);
                out[n++] = mkmove(s, d, 0, (opp & BIT(d)) ? F_CAP : 0);
            }
        }
    }
    int base = us == WHITE ? 0 : 56;
    int ks = us == WHITE ? 1 : 4, qs = us == WHITE ? 2 : 8;
    if ((p->castle & ks) && !(all & (BIT(base + 5) | BIT(base + 6))) && !attacked(p, base + 4, them)
        && !attacked(p, base + 5, them) && !attacked(p, base + 6, them))
        out[n++] = mkmove(base + 4, base + 6, 0, F_CASTLE);
    if ((p->castle & qs) && !(all & (BIT(base + 1) | BIT(base + 2) | BIT(base + 3))) && !attacked(p, base + 4, them)
        && !attacked(p, base + 3, them) && !attacked(p, base + 2, them))
        out[n++] = mkmove(base + 4, base + 2, 0, F_CASTLE);
    return n;
}

/* Makes move m on a copy; returns 0 if it leaves the mover's king in check. */
static int make_move(const Pos *p, uint32_t m, Pos *np)
{
    *np = *p;
    int from = m & 63, to = (m >> 6) & 63, promo = (m >> 12) & 7, flags = (int)(m >> 16);
    int us = p->side, them = us ^ 1, t = p->board[from] & 7;
    if (flags & F_EP)
        take(np, them, PAWN, to + (us == WHITE ? -8 : 8));
    else if (flags & F_CAP)
        take(np, them, np->board[to] & 7, to);
    take(np, us, t, from);
    put(np, us, promo ? promo : t, to);
    if (flags & F_CASTLE) {
        int base = us == WHITE ? 0 : 56;
        if (to == base + 6) { take(np, us, ROOK, base + 7); put(np, us, ROOK, base + 5); }
        else { take(np, us, ROOK, base); put(np, us, ROOK, base + 3); }
    }
    np->key ^= z_castle[np->castle];
    np->castle &= castle_mask[from] & castle_mask[to];
    np->key ^= z_castle[np->castle];
    if (np->ep >= 0) np->key ^= z_ep[np->ep];
    np->ep = (flags & F_DOUBLE) ? (from + to) / 2 : -1;
    if (np->ep >= 0) np->key ^= z_ep[np->ep];
    np->side = them;
    np->key ^= z_side;
    return !attacked(np, lsb(np->pieces[us][KING]), them);
}

static void check_position(const Pos *p)
{
    if (p->key != compute_key(p)) failures++;
    for (int c = 0; c < 2; c++) {
        U64 u = 0;
        for (int t = 0; t < 6; t++) {
            for (U64 b = p->pieces[c][t]; b; b &= b - 1)
                if (p->board[lsb(b)] != c * 8 + t) failures++;
            u |= p->pieces[c][t];
        }
        if (u != p->occ[c] || __builtin_popcountll(p->pieces[c][KING]) != 1) failures++;
    }
    if (__builtin_popcountll(p->occ[0] | p->occ[1]) != __builtin_popcountll(p->occ[0]) + __builtin_popcountll(p->occ[1]))
        failures++;
    for (int s = 0; s < 64; s += 3)
        for (int by = 0; by < 2; by++)
            if (attacked(p, s, by) != attacked_slow(p, s, by)) failures++;
}

static U64 perft(const Pos *p, int depth)
{
    uint32_t moves[256];
    if (depth >= 2)
        check_position(p);
    int n = gen_moves(p, moves);
    U64 nodes = 0;
    for (int i = 0; i < n; i++) {
        Pos np;
        if (!make_move(p, moves[i], &np))
            continue;
        nodes += depth > 1 ? perft(&np, depth - 1) : 1;
    }
    return nodes;
}

/* Vertical mirror with colours swapped: the same game seen from the other side. */
static void mirror(const Pos *p, Pos *m)
{
    memset(m, 0, sizeof *m);
    memset(m->board, -1, sizeof m->board);
    for (int s = 0; s < 64; s++)
        if (p->board[s] >= 0)
            put(m, (p->board[s] >> 3) ^ 1, p->board[s] & 7, s ^ 56);
    m->side = p->side ^ 1;
    m->castle = ((p->castle & 3) << 2) | ((p->castle >> 2) & 3);
    m->ep = p->ep >= 0 ? (p->ep ^ 56) : -1;
    m->key = compute_key(m);
}

static const struct { const char *fen; int depth; U64 nodes; } tests[] = {
    { "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1", 4, 197281 },
    { "r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1", 3, 97862 },
    { "8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1", 4, 43238 },
    { "r3k2r/Pppp1ppp/1b3nbN/nP6/BBP1P3/q4N2/Pp1P2PP/R2Q1RK1 w kq - 0 1", 3, 9467 },
    { "rnbq1k1r/pp1Pbppp/2p5/8/2B5/8/PPP1NnPP/RNBQK2R w KQ - 1 8", 3, 62379 },
    { "r4rk1/1pp1qppp/p1np1n2/2b1p1B1/2B1P1b1/P1NP1N2/1PP1QPPP/R4RK1 w - - 0 10", 3, 89890 },
};
#define NTESTS (int)(sizeof tests / sizeof tests[0])

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 27);
    init_tables();
    Pos start[NTESTS];
    for (int i = 0; i < NTESTS; i++)
        if (!parse_fen(&start[i], tests[i].fen))
            failures++;

    U64 h = 0, total = 0;
    bench_rng rng = { 0x1234567887654321ULL };
    Pos *legal = malloc(sizeof(Pos) * 256); /* successors of a game position */
    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        for (int i = 0; i < NTESTS; i++) {
            U64 n = perft(&start[i], tests[i].depth);
            if (n != tests[i].nodes) failures++;
            h = mix64(h, n);
            total += n;
        }
        /* random games: each reached position must count like its mirror image */
        for (int g = 0; g < 3; g++) {
            Pos p = start[0];
            int plies = 6 + (int)rng_below(&rng, 40);
            for (int ply = 0; ply < plies; ply++) {
                uint32_t moves[256];
                int n = gen_moves(&p, moves), k = 0;
                for (int i = 0; i < n; i++)
                    if (make_move(&p, moves[i], &legal[k]))
                        k++;
                if (k == 0)
                    break;
                p = legal[rng_below(&rng, (uint32_t)k)];
            }
            Pos m;
            mirror(&p, &m);
            U64 a = perft(&p, 3), b = perft(&m, 3);
            if (a != b) failures++;
            h = mix64(mix64(h, a), p.key);
            total += a + b;
        }
    }
    bench_report(t0);
    free(legal);
    printf("chess_perft: nodes=%llu hash=%016llx failures=%u\n", (unsigned long long)total, (unsigned long long)h,
           failures);
    return failures != 0;
}
