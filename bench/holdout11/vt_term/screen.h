/* vt_term/screen.h -- the terminal state: a screen of packed cells behind an array of row
 * pointers (rotated to scroll), scroll region, tab stops, modes, saved cursor, title, scrollback
 * ring; line feeds, reverse index, printing with pending wrap and insert mode, C0 controls. */

#define ROWS 24
#define COLS 80
#define MAXPARAM 16
#define SBLINES 64
#define TITLEMAX 64
#define OSCMAX 128

/* attribute bits: fg in 0-3 (0 default, 1-8 colours), bg in 4-7, then bold, underline, reverse */
#define A_BOLD 0x100u
#define A_UNDER 0x200u
#define A_REV 0x400u

#define CELL(ch, attr) ((uint32_t)(uint8_t)(ch) | ((uint32_t)(attr) << 8))
#define BLANK CELL(' ', 0)

enum { S_GROUND, S_ESC, S_ESC_INTER, S_CSI_ENTRY, S_CSI_PARAM, S_CSI_INTER, S_CSI_IGNORE, S_OSC };

typedef struct Term {
    uint32_t *rows[ROWS];
    uint32_t cells[ROWS * COLS];
    int row, col, top, bot;
    uint32_t attr;
    int wrapnext, autowrap, insert;
    int save_row, save_col;
    uint32_t save_attr;
    unsigned char tabs[COLS];
    uint32_t sb[SBLINES][COLS];
    uint32_t sb_count;
    uint64_t sb_hash;
    char title[TITLEMAX];
    /* parser */
    int state;
    int params[MAXPARAM];
    int nparams;
    int priv;
    char osc[OSCMAX];
    int osc_len;
} Term;

static void fill_cells(uint32_t *p, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = BLANK;
}

static void term_reset(Term *t)
{
    for (int r = 0; r < ROWS; r++) {
        t->rows[r] = t->cells + r * COLS;
        fill_cells(t->rows[r], COLS);
    }
    t->row = t->col = 0;
    t->top = 0;
    t->bot = ROWS - 1;
    t->attr = 0;
    t->wrapnext = 0;
    t->autowrap = 1;
    t->insert = 0;
    t->save_row = t->save_col = 0;
    t->save_attr = 0;
    for (int c = 0; c < COLS; c++)
        t->tabs[c] = c % 8 == 0 && c > 0;
    t->title[0] = 0;
    t->state = S_GROUND;
}

static void term_init(Term *t)
{
    term_reset(t);
    t->sb_count = 0;
    t->sb_hash = 0;
}

static uint64_t line_hash(uint64_t h, const uint32_t *line)
{
    for (int c = 0; c < COLS; c += 2)
        h = mix64(h, (uint64_t)line[c] << 32 | line[c + 1]);
    return h;
}

/* scroll rows top..bot up by n: rotate the row pointers, clear the rows that come in */
static void scroll_up(Term *t, int top, int bot, int n)
{
    int height = bot - top + 1;
    if (n > height)
        n = height;
    for (int k = 0; k < n; k++) {
        uint32_t *gone = t->rows[top];
        if (top == 0 && bot == ROWS - 1) {
            memcpy(t->sb[t->sb_count % SBLINES], gone, sizeof t->sb[0]);
            t->sb_count++;
            t->sb_hash = line_hash(t->sb_hash, gone);
        }
        memmove(&t->rows[top], &t->rows[top + 1], (size_t)(bot - top) * sizeof(uint32_t *));
        t->rows[bot] = gone;
        fill_cells(gone, COLS);
    }
}

static void scroll_down(Term *t, int top, int bot, int n)
{
    int height = bot - top + 1;
    if (n > height)
        n = height;
    for (int k = 0; k < n; k++) {
        uint32_t *gone = t->rows[bot];
        memmove(&t->rows[top + 1], &t->rows[top], (size_t)(bot - top) * sizeof(uint32_t *));
        t->rows[top] = gone;
        fill_cells(gone, COLS);
    }
}

static void linefeed(Term *t)
{
    t->wrapnext = 0;
    if (t->row == t->bot)
        scroll_up(t, t->top, t->bot, 1);
    else if (t->row < ROWS - 1)
        t->row++;
}

static void reverse_index(Term *t)
{
    t->wrapnext = 0;
    if (t->row == t->top)
        scroll_down(t, t->top, t->bot, 1);
    else if (t->row > 0)
        t->row--;
}

static void put_char(Term *t, int ch)
{
    if (t->wrapnext) {
        t->col = 0;
        linefeed(t);
    }
    uint32_t *line = t->rows[t->row];
    if (t->insert)
        memmove(line + t->col + 1, line + t->col, (size_t)(COLS - 1 - t->col) * sizeof(uint32_t));
    line[t->col] = CELL(ch, t->attr);
    if (t->col == COLS - 1) {
        if (t->autowrap)
            t->wrapnext = 1;
    } else {
        t->col++;
    }
}

static void execute_c0(Term *t, int b)
{
    switch (b) {
    case 0x08: /* BS */
        t->wrapnext = 0;
        if (t->col > 0)
            t->col--;
        break;
    case 0x09: { /* HT */
        int c = t->col + 1;
        while (c < COLS - 1 && !t->tabs[c])
            c++;
        t->col = c < COLS ? c : COLS - 1;
        t->wrapnext = 0;
        break;
    }
    case 0x0A:
    case 0x0B:
    case 0x0C:
        linefeed(t);
        break;
    case 0x0D:
        t->col = 0;
        t->wrapnext = 0;
        break;
    default: /* BEL and the rest: nothing */
        break;
    }
}
