/* xml_dom/parser.h — the tokenizer and DOM builder.
 * Part of xml_dom.c, one translation unit: it includes the parts in order. */

static const char name_chars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:";
static const char space_chars[] = " \t\r\n";

typedef struct {
    const char *p;
    sbuf_t text; /* pending character data of the current element */
    int error;
} parser_t;

static void skip_space(parser_t *ps) { ps->p += strspn(ps->p, space_chars); }

static char *parse_name(parser_t *ps)
{
    const char *s = ps->p;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || *s == ':')) {
        ps->error = 1;
        return NULL;
    }
    size_t n = strspn(s, name_chars);
    ps->p = s + n;
    return dupn(s, n);
}

/* decodes one reference at ps->p (just after '&') into out */
static void parse_reference(parser_t *ps, sbuf_t *out)
{
    static const char *const names[] = { "lt;", "gt;", "amp;", "quot;", "apos;" };
    static const char chars[] = "<>&\"'";
    const char *s = ps->p;
    if (*s == '#') {
        char *end;
        long cp = s[1] == 'x' ? strtol(s + 2, &end, 16) : strtol(s + 1, &end, 10);
        if (end == s + 1 || end == s + 2 || *end != ';' || cp <= 0 || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            ps->error = 1;
            return;
        }
        char u[4];
        sb_putn(out, u, (size_t)utf8_encode((uint32_t)cp, u));
        ps->p = end + 1;
        return;
    }
    for (int i = 0; i < 5; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(s, names[i], n) == 0) {
            sb_putc(out, chars[i]);
            ps->p = s + n;
            return;
        }
    }
    ps->error = 1;
}

static void parse_attributes(parser_t *ps, node_t *el)
{
    sbuf_t val = { 0, 0, 0 };
    for (;;) {
        size_t sp = strspn(ps->p, space_chars);
        ps->p += sp;
        if (*ps->p == '>' || *ps->p == '/' || *ps->p == 0)
            break;
        if (sp == 0) {
            ps->error = 1;
            break;
        }
        char *key = parse_name(ps);
        if (ps->error)
            break;
        for (int i = 0; i < el->nattr; i++)
            if (strcmp(el->akey[i], key) == 0)
                ps->error = 1;
        skip_space(ps);
        if (*ps->p != '=')
            ps->error = 1;
        else
            ps->p++;
        skip_space(ps);
        char q = *ps->p;
        const char *end = (q == '"' || q == '\'') ? strchr(ps->p + 1, q) : NULL;
        if (ps->error || !end) {
            ps->error = 1;
            free(key);
            break;
        }
        val.len = 0;
        sb_putn(&val, "", 0);
        ps->p++;
        while (ps->p < end && !ps->error) {
            const char *amp = memchr(ps->p, '&', (size_t)(end - ps->p));
            const char *stop = amp ? amp : end;
            if (memchr(ps->p, '<', (size_t)(stop - ps->p)))
                ps->error = 1;
            sb_putn(&val, ps->p, (size_t)(stop - ps->p));
            ps->p = stop;
            if (amp) {
                ps->p++;
                parse_reference(ps, &val);
                if (ps->p > end)
                    ps->error = 1;
            }
        }
        ps->p = end + 1;
        add_attr(el, key, dupn(val.s, val.len));
    }
    free(val.s);
}

static void flush_text(parser_t *ps, node_t *parent)
{
    if (ps->text.len == 0)
        return;
    append_child(parent, node_new(N_TEXT, dupn(ps->text.s, ps->text.len)));
    ps->text.len = 0;
}

/* skips a comment or processing instruction at ps->p; returns 0 if none is there */
static int skip_misc(parser_t *ps)
{
    const char *e;
    if (strncmp(ps->p, "<!--", 4) == 0) {
        e = strstr(ps->p + 4, "-->");
        ps->p = e ? e + 3 : ps->p;
        ps->error |= !e;
        return 1;
    }
    if (strncmp(ps->p, "<?", 2) == 0) {
        e = strstr(ps->p + 2, "?>");
        ps->p = e ? e + 2 : ps->p;
        ps->error |= !e;
        return 1;
    }
    return 0;
}

static node_t *parse_document(const char *doc)
{
    parser_t ps = { doc, { 0, 0, 0 }, 0 };
    node_t *root = NULL, *cur = NULL;
    skip_space(&ps);
    while (!ps.error && skip_misc(&ps))
        skip_space(&ps);
    if (*ps.p != '<')
        ps.error = 1;
    while (!ps.error && *ps.p) {
        if (!cur) { /* before or after the root element */
            skip_space(&ps);
            if (skip_misc(&ps))
                continue;
            if (!*ps.p)
                break;
            if (root || *ps.p != '<') {
                ps.error = 1;
                break;
            }
        }
        const char *lt = strchr(ps.p, '<');
        if (cur) { /* character data up to the next '<' */
            const char *stop = lt ? lt : ps.p + strlen(ps.p);
            while (ps.p < stop && !ps.error) {
                const char *amp = memchr(ps.p, '&', (size_t)(stop - ps.p));
                const char *seg = amp ? amp : stop;
                sb_putn(&ps.text, ps.p, (size_t)(seg - ps.p));
                ps.p = seg;
                if (amp) {
                    ps.p++;
                    parse_reference(&ps, &ps.text);
                }
            }
            if (!lt || ps.error) {
                ps.error = 1;
                break;
            }
            if (ps.p != lt) {
                ps.error = 1;
                break;
            }
        }
        if (strncmp(ps.p, "<![CDATA[", 9) == 0) {
            const char *e = strstr(ps.p + 9, "]]>");
            if (!cur || !e) {
                ps.error = 1;
                break;
            }
            sb_putn(&ps.text, ps.p + 9, (size_t)(e - ps.p - 9));
            ps.p = e + 3;
        } else if (skip_misc(&ps)) {
            continue;
        } else if (ps.p[1] == '/') {
            ps.p += 2;
            char *nm = parse_name(&ps);
            if (ps.error)
                break;
            skip_space(&ps);
            if (!cur || strcmp(nm, cur->name) != 0 || *ps.p != '>')
                ps.error = 1;
            free(nm);
            if (ps.error)
                break;
            ps.p++;
            flush_text(&ps, cur);
            cur = cur->parent;
        } else {
            ps.p++;
            char *nm = parse_name(&ps);
            if (ps.error)
                break;
            node_t *el = node_new(N_ELEM, nm);
            if (cur) {
                flush_text(&ps, cur);
                append_child(cur, el);
            } else {
                root = el;
            }
            parse_attributes(&ps, el);
            if (ps.error)
                break;
            if (ps.p[0] == '/' && ps.p[1] == '>') { /* empty element: cur is unchanged */
                ps.p += 2;
            } else if (ps.p[0] == '>') {
                ps.p++;
                cur = el;
            } else {
                ps.error = 1;
            }
        }
    }
    if (cur)
        ps.error = 1;
    free(ps.text.s);
    if (ps.error || !root) {
        node_free(root);
        return NULL;
    }
    return root;
}
