/* vt_term/commands.h -- CSI commands as functions called through a table indexed by the final
 * byte (cursor motion, erasing, line and character insert/delete, scrolling, SGR, regions, tab
 * stops, modes, saved cursor), OSC titles and the escape sequences without CSI. */

static int param(const Term *t, int i, int dflt)
{
    if (i >= t->nparams || t->params[i] == 0)
        return dflt;
    return t->params[i];
}

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static void csi_cuu(Term *t)
{
    int lim = t->row >= t->top ? t->top : 0;
    t->row = clampi(t->row - param(t, 0, 1), lim, ROWS - 1);
    t->wrapnext = 0;
}

static void csi_cud(Term *t)
{
    int lim = t->row <= t->bot ? t->bot : ROWS - 1;
    t->row = clampi(t->row + param(t, 0, 1), 0, lim);
    t->wrapnext = 0;
}

static void csi_cuf(Term *t)
{
    t->col = clampi(t->col + param(t, 0, 1), 0, COLS - 1);
    t->wrapnext = 0;
}

static void csi_cub(Term *t)
{
    t->col = clampi(t->col - param(t, 0, 1), 0, COLS - 1);
    t->wrapnext = 0;
}

static void csi_cnl(Term *t)
{
    csi_cud(t);
    t->col = 0;
}

static void csi_cpl(Term *t)
{
    csi_cuu(t);
    t->col = 0;
}

static void csi_cha(Term *t)
{
    t->col = clampi(param(t, 0, 1) - 1, 0, COLS - 1);
    t->wrapnext = 0;
}

static void csi_cup(Term *t)
{
    t->row = clampi(param(t, 0, 1) - 1, 0, ROWS - 1);
    t->col = clampi(param(t, 1, 1) - 1, 0, COLS - 1);
    t->wrapnext = 0;
}

static void csi_vpa(Term *t)
{
    t->row = clampi(param(t, 0, 1) - 1, 0, ROWS - 1);
    t->wrapnext = 0;
}

static void csi_ed(Term *t)
{
    int mode = t->nparams ? t->params[0] : 0;
    uint32_t *line = t->rows[t->row];
    switch (mode) {
    case 0:
        fill_cells(line + t->col, COLS - t->col);
        for (int r = t->row + 1; r < ROWS; r++)
            fill_cells(t->rows[r], COLS);
        break;
    case 1:
        fill_cells(line, t->col + 1);
        for (int r = 0; r < t->row; r++)
            fill_cells(t->rows[r], COLS);
        break;
    case 2:
        for (int r = 0; r < ROWS; r++)
            fill_cells(t->rows[r], COLS);
        break;
    default:
        break;
    }
}

static void csi_el(Term *t)
{
    int mode = t->nparams ? t->params[0] : 0;
    uint32_t *line = t->rows[t->row];
    switch (mode) {
    case 0: fill_cells(line + t->col, COLS - t->col); break;
    case 1: fill_cells(line, t->col + 1); break;
    case 2: fill_cells(line, COLS); break;
    default: break;
    }
}

static void csi_il(Term *t)
{
    if (t->row < t->top || t->row > t->bot)
        return;
    scroll_down(t, t->row, t->bot, param(t, 0, 1));
    t->col = 0;
    t->wrapnext = 0;
}

static void csi_dl(Term *t)
{
    if (t->row < t->top || t->row > t->bot)
        return;
    /* deleted lines never go to the scrollback, even for a full-screen region at row 0 */
    int n = param(t, 0, 1), height = t->bot - t->row + 1;
    if (n > height)
        n = height;
    for (int k = 0; k < n; k++) {
        uint32_t *gone = t->rows[t->row];
        memmove(&t->rows[t->row], &t->rows[t->row + 1], (size_t)(t->bot - t->row) * sizeof(uint32_t *));
        t->rows[t->bot] = gone;
        fill_cells(gone, COLS);
    }
    t->col = 0;
    t->wrapnext = 0;
}

static void csi_ich(Term *t)
{
    uint32_t *line = t->rows[t->row];
    int n = param(t, 0, 1), room = COLS - t->col;
    if (n > room)
        n = room;
    memmove(line + t->col + n, line + t->col, (size_t)(room - n) * sizeof(uint32_t));
    fill_cells(line + t->col, n);
    t->wrapnext = 0;
}

static void csi_dch(Term *t)
{
    uint32_t *line = t->rows[t->row];
    int n = param(t, 0, 1), room = COLS - t->col;
    if (n > room)
        n = room;
    memmove(line + t->col, line + t->col + n, (size_t)(room - n) * sizeof(uint32_t));
    fill_cells(line + COLS - n, n);
    t->wrapnext = 0;
}

static void csi_ech(Term *t)
{
    int n = param(t, 0, 1), room = COLS - t->col;
    fill_cells(t->rows[t->row] + t->col, n < room ? n : room);
    t->wrapnext = 0;
}

static void csi_su(Term *t) { scroll_up(t, t->top, t->bot, param(t, 0, 1)); }
static void csi_sd(Term *t) { scroll_down(t, t->top, t->bot, param(t, 0, 1)); }

static void csi_sgr(Term *t)
{
    if (t->nparams == 0) {
        t->attr = 0;
        return;
    }
    for (int i = 0; i < t->nparams; i++) {
        int p = t->params[i];
        if (p == 0)
            t->attr = 0;
        else if (p == 1)
            t->attr |= A_BOLD;
        else if (p == 4)
            t->attr |= A_UNDER;
        else if (p == 7)
            t->attr |= A_REV;
        else if (p == 22)
            t->attr &= ~A_BOLD;
        else if (p == 24)
            t->attr &= ~A_UNDER;
        else if (p == 27)
            t->attr &= ~A_REV;
        else if (p >= 30 && p <= 37)
            t->attr = (t->attr & ~0x0Fu) | (uint32_t)(p - 29);
        else if (p == 39)
            t->attr &= ~0x0Fu;
        else if (p >= 40 && p <= 47)
            t->attr = (t->attr & ~0xF0u) | (uint32_t)(p - 39) << 4;
        else if (p == 49)
            t->attr &= ~0xF0u;
    }
}

static void csi_stbm(Term *t)
{
    int top = param(t, 0, 1) - 1, bot = param(t, 1, ROWS) - 1;
    if (bot > ROWS - 1)
        bot = ROWS - 1;
    if (top >= bot)
        return;
    t->top = top;
    t->bot = bot;
    t->row = t->col = 0;
    t->wrapnext = 0;
}

static void csi_tbc(Term *t)
{
    int mode = t->nparams ? t->params[0] : 0;
    if (mode == 0)
        t->tabs[t->col] = 0;
    else if (mode == 3)
        memset(t->tabs, 0, sizeof t->tabs);
}

static void set_modes(Term *t, int on)
{
    for (int i = 0; i < t->nparams; i++) {
        if (t->priv == '?' && t->params[i] == 7)
            t->autowrap = on;
        else if (!t->priv && t->params[i] == 4)
            t->insert = on;
    }
}

static void csi_sm(Term *t) { set_modes(t, 1); }
static void csi_rm(Term *t) { set_modes(t, 0); }

static void save_cursor(Term *t)
{
    t->save_row = t->row;
    t->save_col = t->col;
    t->save_attr = t->attr;
}

static void restore_cursor(Term *t)
{
    t->row = t->save_row;
    t->col = t->save_col;
    t->attr = t->save_attr;
    t->wrapnext = 0;
}

typedef void (*CsiFn)(Term *);

static CsiFn csi_table[64];

static void csi_table_init(void)
{
    csi_table['A' - 0x40] = csi_cuu;
    csi_table['B' - 0x40] = csi_cud;
    csi_table['C' - 0x40] = csi_cuf;
    csi_table['D' - 0x40] = csi_cub;
    csi_table['E' - 0x40] = csi_cnl;
    csi_table['F' - 0x40] = csi_cpl;
    csi_table['G' - 0x40] = csi_cha;
    csi_table['H' - 0x40] = csi_cup;
    csi_table['f' - 0x40] = csi_cup;
    csi_table['d' - 0x40] = csi_vpa;
    csi_table['J' - 0x40] = csi_ed;
    csi_table['K' - 0x40] = csi_el;
    csi_table['L' - 0x40] = csi_il;
    csi_table['M' - 0x40] = csi_dl;
    csi_table['@' - 0x40] = csi_ich;
    csi_table['P' - 0x40] = csi_dch;
    csi_table['X' - 0x40] = csi_ech;
    csi_table['S' - 0x40] = csi_su;
    csi_table['T' - 0x40] = csi_sd;
    csi_table['m' - 0x40] = csi_sgr;
    csi_table['r' - 0x40] = csi_stbm;
    csi_table['g' - 0x40] = csi_tbc;
    csi_table['h' - 0x40] = csi_sm;
    csi_table['l' - 0x40] = csi_rm;
    csi_table['s' - 0x40] = save_cursor;
    csi_table['u' - 0x40] = restore_cursor;
}

static void csi_dispatch(Term *t, int final)
{
    CsiFn fn = csi_table[final - 0x40];
    if (!fn)
        return;
    if (t->priv && final != 'h' && final != 'l')
        return;
    fn(t);
}

static void osc_dispatch(Term *t)
{
    t->osc[t->osc_len] = 0;
    char *end;
    long code = strtol(t->osc, &end, 10);
    if (end == t->osc || *end != ';')
        return;
    if (code == 0 || code == 2) {
        size_t n = strlen(end + 1);
        if (n > TITLEMAX - 1)
            n = TITLEMAX - 1;
        memcpy(t->title, end + 1, n);
        t->title[n] = 0;
    }
}

static void esc_dispatch(Term *t, int b)
{
    switch (b) {
    case '7': save_cursor(t); break;
    case '8': restore_cursor(t); break;
    case 'D': linefeed(t); break;
    case 'E':
        t->col = 0;
        linefeed(t);
        break;
    case 'M': reverse_index(t); break;
    case 'H': t->tabs[t->col] = 1; break;
    case 'c': term_reset(t); break;
    default: break;
    }
}
