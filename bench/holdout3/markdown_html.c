/* markdown_html — Markdown-to-HTML converter: line-based block parsing (ATX headings, paragraphs,
 * bullet and ordered lists, blockquotes, fenced code, rules) and an inline pass for emphasis, strong, code spans and links.
 * bench-cflags: -Os
 *
 * Lines are rendered into fixed buffers with sprintf/strcat/strncpy and HTML escaping, then appended
 * to a growing document buffer; the generated documents mix prose, lists, code and quotes. */
#include "../programs/bench.h"

#define LINE_MAX_LEN 512
#define OUT_LINE 4096

typedef struct {
    char *data;
    size_t len, cap;
} strbuf;

static void sb_append(strbuf *sb, const char *s)
{
    size_t n = strlen(s);
    if (sb->len + n + 1 > sb->cap) {
        while (sb->len + n + 1 > sb->cap) sb->cap = sb->cap ? sb->cap * 2 : 4096;
        sb->data = realloc(sb->data, sb->cap);
        if (!sb->data) exit(1);
    }
    memcpy(sb->data + sb->len, s, n + 1);
    sb->len += n;
}

static void escape_char(char *out, char c)
{
    switch (c) {
    case '<': strcat(out, "&lt;"); break;
    case '>': strcat(out, "&gt;"); break;
    case '&': strcat(out, "&amp;"); break;
    case '"': strcat(out, "&quot;"); break;
    default: { size_t n = strlen(out); out[n] = c; out[n + 1] = 0; }
    }
}

/* Renders inline markup of text[0..len) appended to out (a buffer of OUT_LINE bytes). */
static void render_inline(char *out, const char *text, size_t len)
{
    size_t i = 0;
    char tmp[LINE_MAX_LEN * 2];
    while (i < len) {
        char c = text[i];
        if (c == '`') {
            const char *end = memchr(text + i + 1, '`', len - i - 1);
            if (end) {
                strcat(out, "<code>");
                for (const char *p = text + i + 1; p < end; p++) escape_char(out, *p);
                strcat(out, "</code>");
                i = (size_t)(end - text) + 1;
                continue;
            }
        } else if (c == '*' && i + 1 < len && text[i + 1] == '*') {
            const char *p = text + i + 2, *end = NULL;
            for (; p + 1 < text + len; p++)
                if (p[0] == '*' && p[1] == '*') { end = p; break; }
            if (end && end > text + i + 2) {
                strcat(out, "<strong>");
                render_inline(out, text + i + 2, (size_t)(end - text) - i - 2);
                strcat(out, "</strong>");
                i = (size_t)(end - text) + 2;
                continue;
            }
        } else if (c == '*' || c == '_') {
            const char *end = memchr(text + i + 1, c, len - i - 1);
            if (end && end > text + i + 1 && text[i + 1] != ' ') {
                strcat(out, "<em>");
                render_inline(out, text + i + 1, (size_t)(end - text) - i - 1);
                strcat(out, "</em>");
                i = (size_t)(end - text) + 1;
                continue;
            }
        } else if (c == '[') {
            const char *close = memchr(text + i + 1, ']', len - i - 1);
            if (close && (size_t)(close - text) + 1 < len && close[1] == '(') {
                const char *rparen = memchr(close + 2, ')', (size_t)(text + len - close - 2));
                if (rparen) {
                    size_t ulen = (size_t)(rparen - close - 2);
                    char url[LINE_MAX_LEN];
                    strncpy(url, close + 2, ulen);
                    url[ulen] = 0;
                    tmp[0] = 0;
                    for (size_t k = 0; k < ulen; k++) escape_char(tmp, url[k]);
                    sprintf(out + strlen(out), "<a href=\"%s\">", tmp);
                    render_inline(out, text + i + 1, (size_t)(close - text) - i - 1);
                    strcat(out, "</a>");
                    i = (size_t)(rparen - text) + 1;
                    continue;
                }
            }
        }
        escape_char(out, c);
        i++;
    }
}

typedef enum { B_NONE, B_PARA, B_UL, B_OL, B_QUOTE, B_CODE } block_kind;

typedef struct {
    strbuf *doc;
    block_kind open;
    char para[OUT_LINE];
    int headings[7];
    int list_items;
} converter;

static void close_block(converter *cv)
{
    switch (cv->open) {
    case B_PARA:
        sb_append(cv->doc, "<p>");
        sb_append(cv->doc, cv->para);
        sb_append(cv->doc, "</p>\n");
        cv->para[0] = 0;
        break;
    case B_UL: sb_append(cv->doc, "</ul>\n"); break;
    case B_OL: sb_append(cv->doc, "</ol>\n"); break;
    case B_QUOTE: sb_append(cv->doc, "</blockquote>\n"); break;
    case B_CODE: sb_append(cv->doc, "</code></pre>\n"); break;
    case B_NONE: break;
    }
    cv->open = B_NONE;
}

static void convert_line(converter *cv, const char *line, size_t len)
{
    char out[OUT_LINE];
    out[0] = 0;
    if (cv->open == B_CODE) {
        if (len >= 3 && strncmp(line, "```", 3) == 0) { close_block(cv); return; }
        for (size_t i = 0; i < len; i++) escape_char(out, line[i]);
        strcat(out, "\n");
        sb_append(cv->doc, out);
        return;
    }
    if (len == 0) { close_block(cv); return; }
    if (len >= 3 && strncmp(line, "```", 3) == 0) {
        close_block(cv);
        if (len > 3) {
            char lang[64];
            size_t n = len - 3 < 63 ? len - 3 : 63;
            strncpy(lang, line + 3, n);
            lang[n] = 0;
            sprintf(out, "<pre><code class=\"language-%s\">", lang);
        } else {
            strcpy(out, "<pre><code>");
        }
        sb_append(cv->doc, out);
        cv->open = B_CODE;
        return;
    }
    if (line[0] == '#') {
        int level = 0;
        while ((size_t)level < len && line[level] == '#' && level < 6) level++;
        if ((size_t)level < len && line[level] == ' ') {
            close_block(cv);
            cv->headings[level]++;
            char inner[OUT_LINE];
            inner[0] = 0;
            render_inline(inner, line + level + 1, len - (size_t)level - 1);
            sprintf(out, "<h%d id=\"s%d-%d\">%s</h%d>\n", level, level, cv->headings[level], inner, level);
            sb_append(cv->doc, out);
            return;
        }
    }
    if (len >= 3 && (strncmp(line, "---", 3) == 0 || strncmp(line, "***", 3) == 0)) {
        close_block(cv);
        sb_append(cv->doc, "<hr />\n");
        return;
    }
    if (len >= 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ') {
        if (cv->open != B_UL) { close_block(cv); sb_append(cv->doc, "<ul>\n"); cv->open = B_UL; }
        strcpy(out, "<li>");
        render_inline(out, line + 2, len - 2);
        strcat(out, "</li>\n");
        sb_append(cv->doc, out);
        cv->list_items++;
        return;
    }
    size_t d = 0;
    while (d < len && line[d] >= '0' && line[d] <= '9') d++;
    if (d > 0 && d + 1 < len && line[d] == '.' && line[d + 1] == ' ') {
        if (cv->open != B_OL) {
            close_block(cv);
            int startnum = atoi(line);
            if (startnum != 1) sprintf(out, "<ol start=\"%d\">\n", startnum);
            else strcpy(out, "<ol>\n");
            sb_append(cv->doc, out);
            out[0] = 0;
            cv->open = B_OL;
        }
        strcpy(out, "<li>");
        render_inline(out, line + d + 2, len - d - 2);
        strcat(out, "</li>\n");
        sb_append(cv->doc, out);
        cv->list_items++;
        return;
    }
    if (line[0] == '>') {
        if (cv->open != B_QUOTE) { close_block(cv); sb_append(cv->doc, "<blockquote>\n"); cv->open = B_QUOTE; }
        size_t s = len > 1 && line[1] == ' ' ? 2 : 1;
        render_inline(out, line + s, len - s);
        strcat(out, "<br />\n");
        sb_append(cv->doc, out);
        return;
    }
    if (cv->open != B_PARA) { close_block(cv); cv->open = B_PARA; cv->para[0] = 0; }
    else strcat(cv->para, "\n");
    if (strlen(cv->para) + len * 6 + 64 < OUT_LINE) render_inline(cv->para, line, len);
    else { close_block(cv); cv->open = B_PARA; render_inline(cv->para, line, len); }
}

static void convert(const char *md, strbuf *doc, int *items)
{
    converter cv;
    cv.doc = doc;
    cv.open = B_NONE;
    cv.para[0] = 0;
    memset(cv.headings, 0, sizeof cv.headings);
    cv.list_items = 0;
    const char *p = md;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        convert_line(&cv, p, len);
        p += len;
        if (*p == '\n') p++;
    }
    close_block(&cv);
    *items = cv.list_items;
}

/* ---- document generator ---- */
static const char *vocab[] = { "kernel", "buffer", "the", "a", "of", "request", "latency", "and", "cache", "with",
                               "for", "node", "replica", "x<y", "R&D", "\"quoted\"", "tree", "is", "to", "index",
                               "value", "stream", "in", "merge", "policy", "page", "lock", "queue" };

static void gen_sentence(bench_rng *r, strbuf *sb)
{
    int words = 4 + (int)rng_below(r, 12);
    char w[160];
    for (int i = 0; i < words; i++) {
        const char *v = vocab[rng_below(r, 28)];
        unsigned kind = rng_below(r, 20);
        if (kind == 0) sprintf(w, "*%s*", v);
        else if (kind == 1) sprintf(w, "**%s %s**", v, vocab[rng_below(r, 28)]);
        else if (kind == 2) sprintf(w, "`%s()`", v);
        else if (kind == 3) sprintf(w, "[%s](https://example.org/%s/%u?q=%u&v=2)", v, v, rng_below(r, 100), rng_below(r, 1000));
        else if (kind == 4) sprintf(w, "_%s_", v);
        else strcpy(w, v);
        if (i) sb_append(sb, " ");
        sb_append(sb, w);
    }
    sb_append(sb, rng_below(r, 4) ? "." : "?");
}

static void gen_document(bench_rng *r, strbuf *sb, int sections)
{
    char line[128];
    for (int s = 0; s < sections; s++) {
        sprintf(line, "%.*s Section %d\n\n", 1 + (int)rng_below(r, 3), "###", s);
        sb_append(sb, line);
        int blocks = 3 + (int)rng_below(r, 5);
        for (int b = 0; b < blocks; b++) {
            unsigned kind = rng_below(r, 10);
            if (kind < 4) {
                int lines = 1 + (int)rng_below(r, 4);
                for (int l = 0; l < lines; l++) { gen_sentence(r, sb); sb_append(sb, "\n"); }
            } else if (kind < 6) {
                int items = 2 + (int)rng_below(r, 5);
                int ordered = (int)rng_below(r, 2);
                int startn = 1 + (int)rng_below(r, 2) * 4;
                for (int i = 0; i < items; i++) {
                    if (ordered) sprintf(line, "%d. ", startn + i);
                    else strcpy(line, "- ");
                    sb_append(sb, line);
                    gen_sentence(r, sb);
                    sb_append(sb, "\n");
                }
            } else if (kind == 6) {
                sb_append(sb, rng_below(r, 2) ? "```c\n" : "```\n");
                int lines = 2 + (int)rng_below(r, 6);
                for (int l = 0; l < lines; l++) {
                    sprintf(line, "    if (a[%u] < b && c > %u) { x &= y; }\n", rng_below(r, 64), rng_below(r, 999));
                    sb_append(sb, line);
                }
                sb_append(sb, "```\n");
            } else if (kind == 7) {
                int lines = 1 + (int)rng_below(r, 3);
                for (int l = 0; l < lines; l++) { sb_append(sb, "> "); gen_sentence(r, sb); sb_append(sb, "\n"); }
            } else if (kind == 8) {
                sb_append(sb, "---\n");
            } else {
                gen_sentence(r, sb);
                sb_append(sb, "\n");
            }
            sb_append(sb, "\n");
        }
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 75);
    bench_rng rng = { 0x6d61726b646f776eULL };
    enum { NDOCS = 8 };
    strbuf docs[NDOCS];
    size_t in_total = 0;
    for (int d = 0; d < NDOCS; d++) {
        docs[d] = (strbuf){ NULL, 0, 0 };
        gen_document(&rng, &docs[d], 60 + d * 10);
        in_total += docs[d].len;
    }

    double start = bench_now();
    uint64_t h = 0;
    size_t out_total = 0;
    long items_total = 0;
    for (int round = 0; round < scale; round++) {
        for (int d = 0; d < NDOCS; d++) {
            strbuf html = { NULL, 0, 0 };
            int items = 0;
            convert(docs[d].data, &html, &items);
            items_total += items;
            out_total += html.len;
            uint64_t dh = 0xcbf29ce484222325ULL;
            for (size_t i = 0; i < html.len; i++) dh = (dh ^ (uint8_t)html.data[i]) * 0x100000001B3ULL;
            h = mix64(h, dh);
            free(html.data);
        }
    }
    bench_report(start);
    printf("markdown_html input=%zu output=%zu items=%ld checksum=%016llx\n", in_total, out_total, items_total,
           (unsigned long long)h);
    for (int d = 0; d < NDOCS; d++) free(docs[d].data);
    return 0;
}
