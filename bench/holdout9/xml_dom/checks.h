/* xml_dom/checks.h — canonical serialisation, tree comparison, queries, corruption, main loop.
 * Part of xml_dom.c, one translation unit: it includes the parts in order. */

static void canon_escape(sbuf_t *b, const char *s, int attr)
{
    for (;;) {
        size_t n = strcspn(s, attr ? "<>&\"" : "<>&");
        sb_putn(b, s, n);
        s += n;
        if (!*s)
            return;
        sb_puts(b, *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ? "&amp;" : "&quot;");
        s++;
    }
}

static void canon(sbuf_t *b, const node_t *n)
{
    if (n->type == N_TEXT) {
        canon_escape(b, n->name, 0);
        return;
    }
    sb_putc(b, '<');
    sb_puts(b, n->name);
    for (int i = 0; i < n->nattr; i++) {
        sb_putc(b, ' ');
        sb_puts(b, n->akey[i]);
        sb_puts(b, "=\"");
        canon_escape(b, n->aval[i], 1);
        sb_putc(b, '"');
    }
    if (!n->first) {
        sb_puts(b, "/>");
        return;
    }
    sb_putc(b, '>');
    for (const node_t *c = n->first; c; c = c->next)
        canon(b, c);
    sb_puts(b, "</");
    sb_puts(b, n->name);
    sb_putc(b, '>');
}

static int same_tree(const node_t *a, const node_t *b)
{
    for (; a && b; a = a->next, b = b->next) {
        if (a->type != b->type || strcmp(a->name, b->name) != 0 || a->nattr != b->nattr)
            return 0;
        for (int i = 0; i < a->nattr; i++)
            if (strcmp(a->akey[i], b->akey[i]) != 0 || strcmp(a->aval[i], b->aval[i]) != 0)
                return 0;
        if (!same_tree(a->first, b->first))
            return 0;
        if (a->first && a->first->parent != a)
            return 0;
    }
    return a == b;
}

/* elements matching a /-separated path from the root ("*" matches any name) */
static int count_path(const node_t *n, char **steps, int nsteps, int depth)
{
    if (n->type != N_ELEM || (strcmp(steps[depth], "*") != 0 && strcmp(steps[depth], n->name) != 0))
        return 0;
    if (depth == nsteps - 1)
        return 1;
    int c = 0;
    for (const node_t *ch = n->first; ch; ch = ch->next)
        c += count_path(ch, steps, nsteps, depth + 1);
    return c;
}

static int query_path(const node_t *root, const char *path)
{
    char buf[128], *steps[16], *save;
    int n = 0;
    snprintf(buf, sizeof buf, "%s", path);
    for (char *t = strtok_r(buf, "/", &save); t && n < 16; t = strtok_r(NULL, "/", &save))
        steps[n++] = t;
    return n ? count_path(root, steps, n, 0) : 0;
}

static void tag_stats(const node_t *n, const char *tag, const char *attr, int *count, size_t *textlen)
{
    for (; n; n = n->next) {
        if (n->type == N_TEXT) {
            *textlen += strlen(n->name);
            continue;
        }
        if (strcmp(n->name, tag) == 0)
            for (int i = 0; i < n->nattr; i++)
                if (strcmp(n->akey[i], attr) == 0)
                    (*count)++;
        tag_stats(n->first, tag, attr, count, textlen);
    }
}

static uint64_t hash_str(uint64_t h, const char *s, size_t n)
{
    uint64_t a = 0xCBF29CE484222325ULL;
    for (size_t i = 0; i < n; i++)
        a = (a ^ (unsigned char)s[i]) * 0x100000001B3ULL;
    return mix64(h, a);
}

static int must_reject(const char *doc)
{
    node_t *d = parse_document(doc);
    if (d) {
        node_free(d);
        return 0;
    }
    return 1;
}

static void corruptions(const sbuf_t *text, bench_rng *g, sbuf_t *tmp)
{
    /* truncated */
    size_t cut = 1 + rng_below(g, (uint32_t)(text->len - 1));
    const char *last = strrchr(text->s, '>');
    if (cut > (size_t)(last - text->s))
        cut = (size_t)(last - text->s);
    tmp->len = 0;
    sb_putn(tmp, text->s, cut);
    failures += !must_reject(tmp->s);
    /* a renamed end tag, a lost quote, an unknown entity, a stray '<' */
    const char *et = strstr(text->s + rng_below(g, (uint32_t)(text->len / 2)), "</");
    if (!et)
        et = strstr(text->s, "</");
    if (et) {
        tmp->len = 0;
        sb_putn(tmp, text->s, text->len);
        tmp->s[et - text->s + 2] = tmp->s[et - text->s + 2] == 'q' ? 'r' : 'q';
        failures += !must_reject(tmp->s);
    }
    /* the root element's first attribute loses its opening quote */
    const char *root = text->s;
    for (;;) {
        root += strspn(root, space_chars);
        if (strncmp(root, "<?", 2) == 0)
            root = strstr(root, "?>") + 2;
        else if (strncmp(root, "<!--", 4) == 0)
            root = strstr(root, "-->") + 3;
        else
            break;
    }
    const char *eq = strchr(root, '='), *end = strchr(root, '>');
    if (eq && eq < end) {
        const char *q = eq + 1 + strspn(eq + 1, space_chars);
        tmp->len = 0;
        sb_putn(tmp, text->s, (size_t)(q - text->s));
        sb_puts(tmp, q + 1);
        failures += !must_reject(tmp->s);
    }
    /* after some '>' past the middle that does not end or lie inside a CDATA section */
    const char *gt = strchr(text->s + text->len / 2, '>');
    for (; gt; gt = strchr(gt + 1, '>')) {
        const char *cd = NULL;
        for (const char *c = strstr(text->s, "<![CDATA["); c && c < gt; c = strstr(c + 1, "<![CDATA["))
            cd = c;
        if (!cd || strstr(cd, "]]>") + 2 < gt)
            break;
    }
    if (gt && gt[1]) {
        size_t at = (size_t)(gt - text->s + 1);
        tmp->len = 0;
        sb_putn(tmp, text->s, at);
        sb_puts(tmp, rng_below(g, 2) ? "&bogus;" : "< x");
        sb_puts(tmp, text->s + at);
        failures += !must_reject(tmp->s);
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 53);
    bench_rng g = { 0x3243F6A8885A308DULL };
    static const char *const paths[] = { "/doc", "/*/item", "/*/*/name", "/*/list/entry/*",
        "/*/*/*/*", "/section/p/b", "/*/row/cell" };
    sbuf_t text = { 0, 0, 0 }, c1 = { 0, 0, 0 }, c2 = { 0, 0, 0 }, tmp = { 0, 0, 0 };

    double t0 = bench_now();
    uint64_t h = 0xA4093822299F31D0ULL;
    for (int round = 0; round < scale; round++) {
        for (int d = 0; d < 12; d++) {
            node_t *model = random_tree(&g, 0);
            emit_document(&text, model, &g);
            node_t *dom = parse_document(text.s);
            if (!dom || !same_tree(model, dom)) {
                failures++;
                node_free(dom);
                node_free(model);
                continue;
            }
            c1.len = c2.len = 0;
            canon(&c1, dom);
            node_t *again = parse_document(c1.s);
            if (again)
                canon(&c2, again);
            if (!again || !same_tree(dom, again) || c1.len != c2.len || strcmp(c1.s, c2.s) != 0)
                failures++;
            h = hash_str(h, c1.s, c1.len);
            h = mix64(h, text.len);
            for (int q = 0; q < 7; q++)
                h = mix64(h, (uint64_t)query_path(dom, paths[q]));
            int cnt = 0;
            size_t tl = 0;
            tag_stats(dom, elem_names[d], attr_names[d % 9], &cnt, &tl);
            h = mix64(h, (uint64_t)cnt * 1000003u + tl);
            if (d < 3)
                corruptions(&text, &g, &tmp);
            node_free(again);
            node_free(dom);
            node_free(model);
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    free(text.s);
    free(c1.s);
    free(c2.s);
    free(tmp.s);
    return failures != 0;
}
