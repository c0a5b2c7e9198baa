/* xml_dom/generate.h — random document trees and their XML text with random formatting.
 * Part of xml_dom.c, one translation unit: it includes the parts in order. */

static const char *const elem_names[] = { "doc", "item", "name", "price", "list", "entry", "meta",
    "x:link", "section", "p", "b", "i", "note", "data_set", "row", "cell" };
static const char *const attr_names[] = { "id", "class", "href", "lang", "x:type", "ref", "n",
    "style", "data-v" };
static const uint32_t fancy[] = { 0xE9, 0xFC, 0x3A9, 0x20AC, 0x4E2D, 0x1F600, 0xA0 };

static char *random_string(bench_rng *g, int maxlen)
{
    static const char plain[] = "abcdefghij klmnopqrstuvwxyz0123456789 ,.;:!?-_=+*/()[]";
    sbuf_t b = { 0, 0, 0 };
    int n = 1 + (int)rng_below(g, (uint32_t)maxlen);
    for (int i = 0; i < n; i++) {
        uint32_t r = rng_below(g, 100);
        if (r < 6) {
            sb_putc(&b, "<>&\"'"[rng_below(g, 5)]);
        } else if (r < 9) {
            char u[4];
            sb_putn(&b, u, (size_t)utf8_encode(fancy[rng_below(g, 7)], u));
        } else {
            sb_putc(&b, plain[rng_below(g, sizeof plain - 1)]);
        }
    }
    sb_putn(&b, "", 0);
    return b.s;
}

static node_t *random_tree(bench_rng *g, int depth)
{
    node_t *el = node_new(N_ELEM, strdup(elem_names[rng_below(g, 16)]));
    int na = (int)rng_below(g, 4);
    uint32_t used = 0;
    for (int i = 0; i < na; i++) {
        uint32_t k = rng_below(g, 9);
        if (used >> k & 1)
            continue;
        used |= 1u << k;
        add_attr(el, strdup(attr_names[k]), rng_below(g, 8) ? random_string(g, 12) : strdup(""));
    }
    int nc = depth > 6 ? 0 : (int)rng_below(g, depth < 2 ? 9 : 6);
    int last_text = 0;
    for (int i = 0; i < nc; i++) {
        if (!last_text && rng_below(g, 3) == 0) {
            append_child(el, node_new(N_TEXT, random_string(g, 40)));
            last_text = 1;
        } else {
            append_child(el, random_tree(g, depth + 1));
            last_text = 0;
        }
    }
    return el;
}

static void put_space(sbuf_t *b, bench_rng *g, int min)
{
    int n = min + (int)rng_below(g, 2);
    for (int i = 0; i < n; i++)
        sb_putc(b, " \t\n "[rng_below(g, 4)]);
}

/* escapes one UTF-8 sequence or character at s; returns bytes consumed */
static int emit_char(sbuf_t *b, const char *s, char quote, bench_rng *g)
{
    unsigned char c = (unsigned char)*s;
    char tmp[16];
    if (c >= 0x80) {
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (int k = 1; k < len; k++)
            cp = cp << 6 | ((unsigned char)s[k] & 63);
        if (rng_below(g, 3) == 0) {
            snprintf(tmp, sizeof tmp, rng_below(g, 2) ? "&#%u;" : "&#x%X;", (unsigned)cp);
            sb_puts(b, tmp);
        } else {
            sb_putn(b, s, (size_t)len);
        }
        return len;
    }
    int must = c == '<' || c == '&' || (quote && c == (unsigned char)quote);
    if (must || (c == '>' && rng_below(g, 2)) || ((c == '"' || c == '\'') && rng_below(g, 4) == 0)) {
        uint32_t style = rng_below(g, 3);
        if (style == 0) {
            const char *nm = c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '"' ? "&quot;" : "&apos;";
            sb_puts(b, nm);
        } else {
            snprintf(tmp, sizeof tmp, style == 1 ? "&#%d;" : "&#x%x;", c);
            sb_puts(b, tmp);
        }
    } else {
        sb_putc(b, (char)c);
    }
    return 1;
}

static void emit_text(sbuf_t *b, const char *s, bench_rng *g)
{
    while (*s) {
        uint32_t r = rng_below(g, 40);
        if (r == 0) { /* a CDATA section of the next few characters */
            size_t n = 1 + rng_below(g, 8), len = strlen(s);
            if (n > len)
                n = len;
            while (n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
                n++; /* keep UTF-8 sequences whole */
            int closes = 0;
            for (size_t k = 0; k + 2 < n; k++)
                closes |= s[k] == ']' && s[k + 1] == ']' && s[k + 2] == '>';
            if (closes) {
                s += emit_char(b, s, 0, g);
                continue;
            }
            sb_puts(b, "<![CDATA[");
            sb_putn(b, s, n);
            sb_puts(b, "]]>");
            s += n;
        } else if (r == 1) {
            sb_puts(b, rng_below(g, 2) ? "<!-- a comment -->" : "<?pi some data?>");
        } else {
            s += emit_char(b, s, 0, g);
        }
    }
}

static void emit_element(sbuf_t *b, const node_t *el, bench_rng *g)
{
    sb_putc(b, '<');
    sb_puts(b, el->name);
    for (int i = 0; i < el->nattr; i++) {
        put_space(b, g, 1);
        sb_puts(b, el->akey[i]);
        put_space(b, g, 0);
        sb_putc(b, '=');
        put_space(b, g, 0);
        char q = rng_below(g, 2) ? '"' : '\'';
        sb_putc(b, q);
        for (const char *s = el->aval[i]; *s;)
            s += emit_char(b, s, q, g);
        sb_putc(b, q);
    }
    if (rng_below(g, 4) == 0)
        put_space(b, g, 1);
    if (!el->first && rng_below(g, 2)) {
        sb_puts(b, "/>");
        return;
    }
    sb_putc(b, '>');
    for (const node_t *c = el->first; c; c = c->next) {
        if (c->type == N_TEXT)
            emit_text(b, c->name, g);
        else
            emit_element(b, c, g);
    }
    sb_puts(b, "</");
    sb_puts(b, el->name);
    if (rng_below(g, 4) == 0)
        put_space(b, g, 1);
    sb_putc(b, '>');
}

static void emit_document(sbuf_t *b, const node_t *root, bench_rng *g)
{
    b->len = 0;
    if (rng_below(g, 2))
        sb_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (rng_below(g, 2))
        sb_puts(b, "<!-- generated -->\n");
    emit_element(b, root, g);
    if (rng_below(g, 2))
        sb_puts(b, "\n<!-- end -->\n");
}
