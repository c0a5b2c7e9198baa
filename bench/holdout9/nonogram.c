/* nonogram.c — nonogram (paint-by-numbers) solving by line propagation and search.
 *
 * Random images are turned into row and column clues. The solver keeps a grid of unknown,
 * filled and empty cells. A line solver decides, for every cell of one row or column, whether
 * it can be filled and whether it can be empty in some placement of the clue blocks consistent
 * with the known cells: forward and backward reachability tables over (block, position) pairs,
 * run tests by prefix counts of empty cells, and a difference array marking the cells covered by
 * every feasible block placement. Lines are propagated from a work queue until nothing changes;
 * then the solver branches recursively on an unknown cell of the most constrained line, copying
 * the grid per level, and counts solutions up to two (giving up after a fixed number of search
 * nodes). Every solution found is re-encoded into
 * clues and compared; a unique solution must be the generated image. Small puzzles are also
 * solved by an independent row-pattern enumerator (all placements of each row's blocks,
 * backtracking with column-prefix checks) whose solution count must agree.
 */
#include "../programs/bench.h"

#define MAXN 32
#define MAXK 17
#define UNK 0
#define FIL 1
#define EMP 2
#define NODE_LIMIT 400
#define CELLS (MAXN * MAXN)

static int failures;

typedef struct {
    int w, h;
    int rk[MAXN], ck[MAXN];
    uint8_t rc[MAXN][MAXK], cc[MAXN][MAXK];
} puzzle_t;

static int line_clues(const uint8_t *cells, int n, int stride, uint8_t *out)
{
    int k = 0, run = 0;
    for (int i = 0; i < n; i++) {
        if (cells[i * stride] == FIL) {
            run++;
        } else if (run) {
            out[k++] = (uint8_t)run;
            run = 0;
        }
    }
    if (run)
        out[k++] = (uint8_t)run;
    return k;
}

static void make_clues(puzzle_t *p, const uint8_t *img, int w, int h)
{
    p->w = w;
    p->h = h;
    for (int r = 0; r < h; r++)
        p->rk[r] = line_clues(img + r * w, w, 1, p->rc[r]);
    for (int c = 0; c < w; c++)
        p->ck[c] = line_clues(img + c, h, w, p->cc[c]);
}

static int same_clues(const puzzle_t *a, const puzzle_t *b)
{
    for (int r = 0; r < a->h; r++)
        if (a->rk[r] != b->rk[r] || memcmp(a->rc[r], b->rc[r], (size_t)a->rk[r]) != 0)
            return 0;
    for (int c = 0; c < a->w; c++)
        if (a->ck[c] != b->ck[c] || memcmp(a->cc[c], b->cc[c], (size_t)a->ck[c]) != 0)
            return 0;
    return 1;
}

/* ---------- the line solver ---------- */

/* Refines line[0..n) in place; returns -1 on contradiction, else the number of cells decided. */
static int solve_line(uint8_t *line, int n, const uint8_t *clue, int k)
{
    uint8_t F[MAXK + 1][MAXN + 1], G[MAXK + 2][MAXN + 2];
    int emp_prefix[MAXN + 1], fill_diff[MAXN + 1];
    uint8_t can_empty[MAXN];
    emp_prefix[0] = 0;
    for (int i = 0; i < n; i++)
        emp_prefix[i + 1] = emp_prefix[i] + (line[i] == EMP);
    /* F[j][i]: cells [0,i) hold blocks 0..j-1 */
    F[0][0] = 1;
    for (int j = 1; j <= k; j++)
        F[j][0] = 0;
    for (int i = 1; i <= n; i++) {
        for (int j = 0; j <= k; j++) {
            uint8_t v = F[j][i - 1] && line[i - 1] != FIL;
            if (!v && j > 0) {
                int L = clue[j - 1], s = i - L;
                if (s >= 0 && emp_prefix[i] == emp_prefix[s]) {
                    if (s == 0)
                        v = j == 1;
                    else
                        v = line[s - 1] != FIL && F[j - 1][s - 1];
                }
            }
            F[j][i] = v;
        }
    }
    if (!F[k][n])
        return -1;
    /* G[j][i]: cells [i,n) hold blocks j..k-1 */
    for (int j = 0; j <= k; j++)
        G[j][n] = j == k;
    for (int i = n - 1; i >= 0; i--) {
        for (int j = k; j >= 0; j--) {
            uint8_t v = G[j][i + 1] && line[i] != FIL;
            if (!v && j < k) {
                int L = clue[j], e = i + L;
                if (e <= n && emp_prefix[e] == emp_prefix[i]) {
                    if (e == n)
                        v = j == k - 1;
                    else
                        v = line[e] != FIL && G[j + 1][e + 1];
                }
            }
            G[j][i] = v;
        }
    }
    memset(fill_diff, 0, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        can_empty[i] = 0;
        if (line[i] != FIL)
            for (int j = 0; j <= k && !can_empty[i]; j++)
                if (F[j][i] && G[j][i + 1])
                    can_empty[i] = 1;
    }
    for (int j = 0; j < k; j++) {
        int L = clue[j];
        for (int s = 0; s + L <= n; s++) {
            if (emp_prefix[s + L] != emp_prefix[s])
                continue;
            int left = s == 0 ? j == 0 : (line[s - 1] != FIL && F[j][s - 1]);
            if (!left)
                continue;
            int right = s + L == n ? j == k - 1 : (line[s + L] != FIL && G[j + 1][s + L + 1]);
            if (right) {
                fill_diff[s]++;
                fill_diff[s + L]--;
            }
        }
    }
    int run = 0, changed = 0;
    for (int i = 0; i < n; i++) {
        run += fill_diff[i];
        int cf = run > 0, ce = can_empty[i];
        if (!cf && !ce)
            return -1;
        if (line[i] == UNK && cf != ce) {
            line[i] = cf ? FIL : EMP;
            changed++;
        }
    }
    return changed;
}

/* ---------- propagation and search ---------- */

typedef struct {
    const puzzle_t *p;
    int solutions, gave_up;
    long nodes;
    uint8_t *grids; /* one grid per search depth, so recursion frames stay small */
    int *dirty;     /* row and column dirty flags per depth */
    uint8_t first[MAXN * MAXN];
    uint64_t hash;
} search_t;

static int propagate(const puzzle_t *p, uint8_t *grid, int *row_dirty, int *col_dirty)
{
    int w = p->w, h = p->h, any = 1;
    uint8_t line[MAXN];
    while (any) {
        any = 0;
        for (int r = 0; r < h; r++) {
            if (!row_dirty[r])
                continue;
            row_dirty[r] = 0;
            uint8_t *cells = grid + r * w;
            memcpy(line, cells, (size_t)w);
            int ch = solve_line(line, w, p->rc[r], p->rk[r]);
            if (ch < 0)
                return 0;
            if (ch)
                for (int c = 0; c < w; c++)
                    if (line[c] != cells[c]) {
                        cells[c] = line[c];
                        col_dirty[c] = 1;
                        any = 1;
                    }
        }
        for (int c = 0; c < w; c++) {
            if (!col_dirty[c])
                continue;
            col_dirty[c] = 0;
            for (int r = 0; r < h; r++)
                line[r] = grid[r * w + c];
            int ch = solve_line(line, h, p->cc[c], p->ck[c]);
            if (ch < 0)
                return 0;
            if (ch)
                for (int r = 0; r < h; r++)
                    if (line[r] != grid[r * w + c]) {
                        grid[r * w + c] = line[r];
                        row_dirty[r] = 1;
                        any = 1;
                    }
        }
    }
    return 1;
}

static void search(search_t *s, const uint8_t *in, int br, int bc, int depth)
{
    const puzzle_t *p = s->p;
    int w = p->w, h = p->h;
    if (s->nodes >= NODE_LIMIT) {
        s->gave_up = 1;
        return;
    }
    uint8_t *grid = s->grids + (size_t)depth * CELLS;
    int *rd = s->dirty + (size_t)depth * 2 * MAXN, *cd = rd + MAXN;
    memcpy(grid, in, (size_t)(w * h));
    s->nodes++;
    for (int r = 0; r < h; r++)
        rd[r] = br < 0 || r == br;
    for (int c = 0; c < w; c++)
        cd[c] = bc < 0 || c == bc;
    if (!propagate(p, grid, rd, cd))
        return;
    /* branch in the row with the fewest unknowns (but at least one) */
    int best_r = -1, best_u = MAXN + 1;
    for (int r = 0; r < h; r++) {
        int u = 0;
        for (int c = 0; c < w; c++)
            u += grid[r * w + c] == UNK;
        if (u && u < best_u) {
            best_u = u;
            best_r = r;
        }
    }
    if (best_r < 0) {
        if (s->solutions == 0)
            memcpy(s->first, grid, (size_t)(w * h));
        s->solutions++;
        uint64_t hh = 0;
        for (int i = 0; i < w * h; i++)
            hh = hh * 3 + grid[i];
        s->hash = mix64(s->hash, hh);
        return;
    }
    int c = 0;
    while (grid[best_r * w + c] != UNK)
        c++;
    for (int v = FIL; v <= EMP && s->solutions < 2; v++) {
        grid[best_r * w + c] = (uint8_t)v;
        search(s, grid, best_r, c, depth + 1);
    }
}

#include "nonogram/enumerate.h"
