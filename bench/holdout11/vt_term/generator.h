/* vt_term/generator.h -- random operations written as bytes in one of several equivalent
 * encodings (empty, zero or zero-padded parameters, C0 controls slipped into CSI sequences,
 * aborted and ignored sequences) and applied to the reference model at the same time. */

typedef struct {
    unsigned char *buf;
    size_t len, cap;
} Out;

static void out_bytes(Out *o, const void *p, size_t n)
{
    if (o->len + n > o->cap) {
        while (o->len + n > o->cap)
            o->cap = o->cap ? o->cap * 2 : 4096;
        o->buf = realloc(o->buf, o->cap);
        if (!o->buf)
            exit(1);
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

static void out_str(Out *o, const char *s) { out_bytes(o, s, strlen(s)); }

static void out_byte(Out *o, int b)
{
    unsigned char c = (unsigned char)b;
    out_bytes(o, &c, 1);
}

/* a parameter; `dflt` says the value may also be written as empty or 0 */
static void out_param(Out *o, bench_rng *g, int v, int dflt)
{
    char tmp[16];
    uint32_t pick = rng_below(g, 8);
    if (dflt && pick == 0)
        return;
    if (dflt && pick == 1) {
        out_str(o, "0");
        return;
    }
    snprintf(tmp, sizeof tmp, pick == 2 ? "%03d" : "%d", v);
    out_str(o, tmp);
}

static const char c0_inject[] = { '\r', '\b', '\n', '\t' };

/* writes a CSI sequence; sometimes a C0 control is slipped in between the parameters, which the
 * terminal executes at once (so the reference does it first) */
static void gen_csi(Out *o, Ref *r, bench_rng *g, int priv, const int *p, int np, const int *dflt, int final)
{
    int inject_at = rng_below(g, 10) == 0 ? (int)rng_below(g, (uint32_t)np + 1) : -1;
    int injected = 0;
    out_str(o, "\x1b[");
    if (priv)
        out_byte(o, priv);
    for (int i = 0; i < np; i++) {
        if (i == inject_at) {
            int c = c0_inject[rng_below(g, 4)];
            ref_c0(r, c);
            out_byte(o, c);
            injected = 1;
        }
        if (i)
            out_byte(o, ';');
        out_param(o, g, p[i], dflt ? dflt[i] : 0);
    }
    if (inject_at >= 0 && !injected) {
        int c = c0_inject[rng_below(g, 4)];
        ref_c0(r, c);
        out_byte(o, c);
    }
    out_byte(o, final);
    ref_csi(r, final, priv, p, np);
}

static void gen_text(Out *o, Ref *r, bench_rng *g, int len)
{
    static const char alphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:[]()<>?/=+-_*&^%$#@!~";
    for (int i = 0; i < len; i++) {
        char c = alphabet[rng_below(g, sizeof alphabet - 1)];
        if (rng_below(g, 64) == 0)
            out_byte(o, 0x7F); /* DEL is ignored */
        out_byte(o, c);
        ref_print(r, c);
    }
}

static void gen_title(Out *o, Ref *r, bench_rng *g)
{
    char text[100];
    int len = (int)rng_below(g, 90);
    for (int i = 0; i < len; i++)
        text[i] = (char)(' ' + rng_below(g, 95));
    text[len] = 0;
    int code = (int)rng_below(g, 3); /* 0 and 2 set the title, 1 (icon name) does not */
    char head[8];
    snprintf(head, sizeof head, "\x1b]%d;", code);
    out_str(o, head);
    out_str(o, text);
    out_str(o, rng_below(g, 2) ? "\a" : "\x1b\\");
    if (code != 1) {
        int n = len < TITLEMAX - 1 ? len : TITLEMAX - 1;
        memcpy(r->title, text, (size_t)n);
        r->title[n] = 0;
    }
}

static const char *const junk[] = {
    "\x1b[>c", "\x1b[1$p", "\x1b(B", "\x1b)0", "\x1b[5n", "\x1b[6n", "\x1b[1:2m", "\x1b[?1049h",
    "\x1b[?25l", "\x1b[20h", "\x1bZ", "\x1b[=5u", "\x1b[12;34;56\x18", "\x1b[7\x1a", "\a",
    "\x1b[?3;4m", "\x1b[3 q", "\x1b#8",
};

static void gen_op(Out *o, Ref *r, bench_rng *g)
{
    int p[24], d[24];
    uint32_t pick = rng_below(g, 100);
    if (pick < 30) {
        /* a quarter of the runs end exactly in the last column (pending wrap) */
        if (rng_below(g, 4) == 0)
            gen_text(o, r, g, COLS - r->col);
        else
            gen_text(o, r, g, 1 + (int)rng_below(g, 40));
    } else if (pick < 40) {
        static const char c0s[] = { '\r', '\n', '\b', '\t', '\v', '\f', '\a' };
        int c = c0s[rng_below(g, 7)];
        out_byte(o, c);
        ref_c0(r, c);
        if (c == '\r' && rng_below(g, 2)) {
            out_byte(o, '\n');
            ref_c0(r, '\n');
        }
    } else if (pick < 52) {
        static const char mv[] = "ABCDEFGd";
        p[0] = rng_below(g, 4) ? (int)rng_below(g, 12) : (int)rng_below(g, 200);
        d[0] = p[0] == 1;
        if (p[0] == 0) {
            p[0] = 1;
            d[0] = 1;
        }
        gen_csi(o, r, g, 0, p, 1, d, mv[rng_below(g, 8)]);
    } else if (pick < 58) {
        p[0] = 1 + (int)rng_below(g, ROWS + 6);
        p[1] = 1 + (int)rng_below(g, COLS + 10);
        d[0] = p[0] == 1, d[1] = p[1] == 1;
        int np = p[1] == 1 && rng_below(g, 2) ? 1 : 2;
        if (np == 1 && p[0] == 1 && rng_below(g, 2))
            np = 0;
        gen_csi(o, r, g, 0, p, np, d, rng_below(g, 4) ? 'H' : 'f');
    } else if (pick < 64) {
        p[0] = (int)rng_below(g, 4);
        d[0] = 0;
        int np = p[0] == 0 && rng_below(g, 2) ? 0 : 1;
        gen_csi(o, r, g, 0, p, np, d, rng_below(g, 3) ? 'K' : 'J');
    } else if (pick < 72) {
        static const char ed[] = "LM@PXST";
        p[0] = 1 + (int)rng_below(g, rng_below(g, 4) ? 6 : 90);
        d[0] = p[0] == 1;
        gen_csi(o, r, g, 0, p, 1, d, ed[rng_below(g, 7)]);
    } else if (pick < 80) {
        static const int sgr[] = { 0, 1, 4, 7, 22, 24, 27, 30, 31, 32, 33, 34, 35, 36, 37, 39,
                                   40, 41, 42, 43, 44, 45, 46, 47, 49, 2, 5, 90 };
        int np = (int)rng_below(g, 5);
        if (rng_below(g, 30) == 0)
            np = 17 + (int)rng_below(g, 4); /* more than the terminal keeps */
        for (int i = 0; i < np; i++) {
            p[i] = sgr[rng_below(g, sizeof sgr / sizeof sgr[0])];
            d[i] = p[i] == 0;
        }
        gen_csi(o, r, g, 0, p, np, d, 'm');
    } else if (pick < 83) {
        if (rng_below(g, 4) == 0) {
            gen_csi(o, r, g, 0, p, 0, d, 'r');
        } else {
            p[0] = 1 + (int)rng_below(g, ROWS);
            p[1] = 1 + (int)rng_below(g, ROWS + 3);
            d[0] = p[0] == 1, d[1] = 0;
            gen_csi(o, r, g, 0, p, 2, d, 'r');
        }
    } else if (pick < 88) {
        switch (rng_below(g, 7)) {
        case 0: out_str(o, "\x1b" "7"); ref_csi(r, 's', 0, p, 0); break;
        case 1: out_str(o, "\x1b" "8"); ref_csi(r, 'u', 0, p, 0); break;
        case 2: gen_csi(o, r, g, 0, p, 0, d, rng_below(g, 2) ? 's' : 'u'); break;
        case 3: out_str(o, "\x1b" "D"); ref_lf(r); break;
        case 4: out_str(o, "\x1b" "E"); r->col = 0; ref_lf(r); break;
        default: out_str(o, "\x1b" "M"); ref_ri(r); break;
        }
    } else if (pick < 91) {
        switch (rng_below(g, 3)) {
        case 0: out_str(o, "\x1bH"); r->tabs[r->col] = 1; break;
        case 1: p[0] = 0; d[0] = 1; gen_csi(o, r, g, 0, p, rng_below(g, 2), d, 'g'); break;
        default: p[0] = 3; d[0] = 0; gen_csi(o, r, g, 0, p, 1, d, 'g'); break;
        }
    } else if (pick < 94) {
        int on = (int)rng_below(g, 2), np = 1 + (int)rng_below(g, 2);
        int priv = rng_below(g, 2) ? '?' : 0;
        p[0] = priv ? 7 : 4;
        p[1] = priv ? 25 : 20;
        d[0] = d[1] = 0;
        if (rng_below(g, 2)) {
            int x = p[0];
            p[0] = p[1], p[1] = x;
        }
        gen_csi(o, r, g, priv, p, np, d, on ? 'h' : 'l');
    } else if (pick < 96) {
        gen_title(o, r, g);
    } else if (pick < 99) {
        const char *j = junk[rng_below(g, sizeof junk / sizeof junk[0])];
        out_str(o, j); /* none of these changes anything */
    } else {
        if (rng_below(g, 8) == 0) {
            /* a CSI cut short by ESC: the new escape (save cursor) wins */
            out_str(o, "\x1b[3;");
            out_str(o, "\x1b" "7");
            ref_csi(r, 's', 0, p, 0);
        } else if (rng_below(g, 6) == 0) {
            out_str(o, "\x1b" "c");
            uint32_t sc = r->sb_count;
            uint64_t sh = r->sb_hash;
            ref_reset(r);
            r->sb_count = sc, r->sb_hash = sh;
        } else {
            gen_text(o, r, g, 60 + (int)rng_below(g, 200));
        }
    }
}
