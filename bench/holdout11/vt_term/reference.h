/* vt_term/reference.h -- a reference model that applies the generator's operations directly
 * to separate character and attribute grids (whole rows moved by copying). */

typedef struct {
    char ch[ROWS][COLS];
    uint16_t at[ROWS][COLS];
    int row, col, top, bot;
    uint16_t attr;
    int wrapnext, autowrap, insert;
    int srow, scol;
    uint16_t sattr;
    unsigned char tabs[COLS];
    uint32_t sb_count;
    uint64_t sb_hash;
    char title[TITLEMAX];
} Ref;

static void ref_blank_row(Ref *r, int row, int from, int to)
{
    for (int c = from; c < to; c++) {
        r->ch[row][c] = ' ';
        r->at[row][c] = 0;
    }
}

static void ref_reset(Ref *r)
{
    for (int i = 0; i < ROWS; i++)
        ref_blank_row(r, i, 0, COLS);
    r->row = r->col = 0;
    r->top = 0;
    r->bot = ROWS - 1;
    r->attr = 0;
    r->wrapnext = 0;
    r->autowrap = 1;
    r->insert = 0;
    r->srow = r->scol = 0;
    r->sattr = 0;
    for (int c = 0; c < COLS; c++)
        r->tabs[c] = (c & 7) == 0 && c != 0;
    r->title[0] = 0;
}

static void ref_copy_row(Ref *r, int dst, int src)
{
    memcpy(r->ch[dst], r->ch[src], COLS);
    memcpy(r->at[dst], r->at[src], sizeof r->at[0]);
}

static void ref_scroll(Ref *r, int top, int bot, int n, int up)
{
    for (int k = 0; k < n && k <= bot - top; k++) {
        if (up) {
            if (top == 0 && bot == ROWS - 1) {
                uint32_t line[COLS];
                for (int c = 0; c < COLS; c++)
                    line[c] = CELL(r->ch[top][c], r->at[top][c]);
                r->sb_hash = line_hash(r->sb_hash, line);
                r->sb_count++;
            }
            for (int i = top; i < bot; i++)
                ref_copy_row(r, i, i + 1);
            ref_blank_row(r, bot, 0, COLS);
        } else {
            for (int i = bot; i > top; i--)
                ref_copy_row(r, i, i - 1);
            ref_blank_row(r, top, 0, COLS);
        }
    }
}

static void ref_lf(Ref *r)
{
    r->wrapnext = 0;
    if (r->row == r->bot)
        ref_scroll(r, r->top, r->bot, 1, 1);
    else if (r->row + 1 < ROWS)
        r->row++;
}

static void ref_ri(Ref *r)
{
    r->wrapnext = 0;
    if (r->row == r->top)
        ref_scroll(r, r->top, r->bot, 1, 0);
    else if (r->row)
        r->row--;
}

static void ref_print(Ref *r, char c)
{
    if (r->wrapnext) {
        r->col = 0;
        ref_lf(r);
    }
    if (r->insert)
        for (int i = COLS - 1; i > r->col; i--) {
            r->ch[r->row][i] = r->ch[r->row][i - 1];
            r->at[r->row][i] = r->at[r->row][i - 1];
        }
    r->ch[r->row][r->col] = c;
    r->at[r->row][r->col] = r->attr;
    if (r->col + 1 < COLS)
        r->col++;
    else if (r->autowrap)
        r->wrapnext = 1;
}

static void ref_c0(Ref *r, int b)
{
    if (b == '\b') {
        r->wrapnext = 0;
        r->col -= r->col > 0;
    } else if (b == '\t') {
        r->wrapnext = 0;
        do
            r->col++;
        while (r->col < COLS - 1 && !r->tabs[r->col]);
        if (r->col > COLS - 1)
            r->col = COLS - 1;
    } else if (b == '\n' || b == '\v' || b == '\f') {
        ref_lf(r);
    } else if (b == '\r') {
        r->col = 0;
        r->wrapnext = 0;
    }
}

static int ref_arg(int v) { return v ? v : 1; }

static int ref_clamp(int v, int lo, int hi)
{
    if (v < lo)
        return lo;
    return v > hi ? hi : v;
}

/* the CSI commands, by final byte, with parameters already decoded */
static void ref_csi(Ref *r, int final, int priv, const int *p, int np)
{
    int a = np > 0 ? p[0] : 0, b = np > 1 ? p[1] : 0;
    int row = r->row, col = r->col;
    if (priv && final != 'h' && final != 'l')
        return;
    switch (final) {
    case 'A': case 'F':
        r->row = ref_clamp(row - ref_arg(a), row >= r->top ? r->top : 0, ROWS - 1);
        if (final == 'F')
            r->col = 0;
        r->wrapnext = 0;
        break;
    case 'B': case 'E':
        r->row = ref_clamp(row + ref_arg(a), 0, row <= r->bot ? r->bot : ROWS - 1);
        if (final == 'E')
            r->col = 0;
        r->wrapnext = 0;
        break;
    case 'C': r->col = ref_clamp(col + ref_arg(a), 0, COLS - 1); r->wrapnext = 0; break;
    case 'D': r->col = ref_clamp(col - ref_arg(a), 0, COLS - 1); r->wrapnext = 0; break;
    case 'G': r->col = ref_clamp(ref_arg(a) - 1, 0, COLS - 1); r->wrapnext = 0; break;
    case 'd': r->row = ref_clamp(ref_arg(a) - 1, 0, ROWS - 1); r->wrapnext = 0; break;
    case 'H': case 'f':
        r->row = ref_clamp(ref_arg(a) - 1, 0, ROWS - 1);
        r->col = ref_clamp(ref_arg(b) - 1, 0, COLS - 1);
        r->wrapnext = 0;
        break;
    case 'J':
        if (a == 0) {
            ref_blank_row(r, row, col, COLS);
            for (int i = row + 1; i < ROWS; i++)
                ref_blank_row(r, i, 0, COLS);
        } else if (a == 1) {
            ref_blank_row(r, row, 0, col + 1);
            for (int i = 0; i < row; i++)
                ref_blank_row(r, i, 0, COLS);
        } else if (a == 2) {
            for (int i = 0; i < ROWS; i++)
                ref_blank_row(r, i, 0, COLS);
        }
        break;
    case 'K':
        if (a == 0)
            ref_blank_row(r, row, col, COLS);
        else if (a == 1)
            ref_blank_row(r, row, 0, col + 1);
        else if (a == 2)
            ref_blank_row(r, row, 0, COLS);
        break;
    case 'L': case 'M':
        if (row >= r->top && row <= r->bot) {
            int n = ref_arg(a);
            for (int k = 0; k < n && k <= r->bot - row; k++) {
                if (final == 'L') {
                    for (int i = r->bot; i > row; i--)
                        ref_copy_row(r, i, i - 1);
                    ref_blank_row(r, row, 0, COLS);
                } else {
                    for (int i = row; i < r->bot; i++)
                        ref_copy_row(r, i, i + 1);
                    ref_blank_row(r, r->bot, 0, COLS);
                }
            }
            r->col = 0;
            r->wrapnext = 0;
        }
        break;
    case '@': case 'P': case 'X': {
        int n = ref_arg(a);
        for (int k = 0; k < n && col + k < COLS; k++) {
            if (final == '@') {
                for (int i = COLS - 1; i > col; i--) {
                    r->ch[row][i] = r->ch[row][i - 1];
                    r->at[row][i] = r->at[row][i - 1];
                }
                ref_blank_row(r, row, col, col + 1);
            } else if (final == 'P') {
                for (int i = col; i < COLS - 1; i++) {
                    r->ch[row][i] = r->ch[row][i + 1];
                    r->at[row][i] = r->at[row][i + 1];
                }
                ref_blank_row(r, row, COLS - 1, COLS);
            } else {
                ref_blank_row(r, row, col + k, col + k + 1);
            }
        }
        r->wrapnext = 0;
        break;
    }
    case 'S': ref_scroll(r, r->top, r->bot, ref_arg(a), 1); break;
    case 'T': ref_scroll(r, r->top, r->bot, ref_arg(a), 0); break;
    case 'm':
        if (np == 0)
            r->attr = 0;
        for (int i = 0; i < np && i < MAXPARAM; i++) {
            int v = p[i];
            switch (v) {
            case 0: r->attr = 0; break;
            case 1: r->attr |= A_BOLD; break;
            case 4: r->attr |= A_UNDER; break;
            case 7: r->attr |= A_REV; break;
            case 22: r->attr &= (uint16_t)~A_BOLD; break;
            case 24: r->attr &= (uint16_t)~A_UNDER; break;
            case 27: r->attr &= (uint16_t)~A_REV; break;
            case 39: r->attr &= 0xFFF0; break;
            case 49: r->attr &= 0xFF0F; break;
            default:
                if (v >= 30 && v <= 37)
                    r->attr = (uint16_t)((r->attr & 0xFFF0) | (v - 29));
                else if (v >= 40 && v <= 47)
                    r->attr = (uint16_t)((r->attr & 0xFF0F) | (v - 39) << 4);
            }
        }
        break;
    case 'r': {
        int t = ref_arg(a), bt = b ? b : ROWS;
        if (bt > ROWS)
            bt = ROWS;
        if (t < bt) {
            r->top = t - 1;
            r->bot = bt - 1;
            r->row = r->col = 0;
            r->wrapnext = 0;
        }
        break;
    }
    case 'g':
        if (a == 0)
            r->tabs[col] = 0;
        else if (a == 3)
            memset(r->tabs, 0, COLS);
        break;
    case 'h': case 'l':
        for (int i = 0; i < np && i < MAXPARAM; i++) {
            if (priv == '?' && p[i] == 7)
                r->autowrap = final == 'h';
            if (!priv && p[i] == 4)
                r->insert = final == 'h';
        }
        break;
    case 's':
        r->srow = row, r->scol = col, r->sattr = r->attr;
        break;
    case 'u':
        r->row = r->srow, r->col = r->scol, r->attr = r->sattr, r->wrapnext = 0;
        break;
    default:
        break;
    }
}
