/* xml_dom.c — an XML tokenizer and DOM builder.
 *
 * Random document trees (elements with attributes, text with markup characters and non-ASCII
 * UTF-8) are written out as XML with random formatting: optional declaration, whitespace inside
 * tags, either quote style, named and decimal/hex character references, CDATA sections,
 * comments and processing instructions inside text, self-closing empty elements. A tokenizer
 * walks the text with strchr/strstr/strspn/strncmp/strtol and builds a DOM of malloc'ed nodes
 * (first-child/next-sibling/parent pointers, strdup'ed names, attribute arrays), merging text,
 * references and CDATA into single text nodes, checking end-tag names and duplicate attributes,
 * and encoding character references as UTF-8. Every document is compared node by node with the
 * tree it was written from; the DOM is serialised canonically, re-parsed and re-serialised
 * (strings must match); path and tag queries are run on it; and corrupted copies (renamed end
 * tags, lost quotes, unknown entities, stray '<', truncation) must be rejected.
 */
// bench-cflags: -Os
#include "../programs/bench.h"

enum { N_ELEM, N_TEXT };

typedef struct node {
    int type;
    char *name; /* element name, or text content for text nodes */
    int nattr;
    char **akey, **aval;
    struct node *parent, *first, *last, *next;
} node_t;

typedef struct {
    char *s;
    size_t len, cap;
} sbuf_t;

static int failures;

static void sb_putn(sbuf_t *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap)
            b->cap = b->cap ? b->cap * 2 : 256;
        b->s = realloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void sb_puts(sbuf_t *b, const char *s) { sb_putn(b, s, strlen(s)); }

static void sb_putc(sbuf_t *b, char c) { sb_putn(b, &c, 1); }

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static node_t *node_new(int type, char *name)
{
    node_t *n = calloc(1, sizeof(node_t));
    n->type = type;
    n->name = name;
    return n;
}

static void append_child(node_t *parent, node_t *child)
{
    child->parent = parent;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

static void add_attr(node_t *n, char *k, char *v)
{
    n->akey = realloc(n->akey, (size_t)(n->nattr + 1) * sizeof(char *));
    n->aval = realloc(n->aval, (size_t)(n->nattr + 1) * sizeof(char *));
    n->akey[n->nattr] = k;
    n->aval[n->nattr] = v;
    n->nattr++;
}

static void node_free(node_t *n)
{
    while (n) {
        node_t *next = n->next;
        node_free(n->first);
        for (int i = 0; i < n->nattr; i++) {
            free(n->akey[i]);
            free(n->aval[i]);
        }
        free(n->akey);
        free(n->aval);
        free(n->name);
        free(n);
        n = next;
    }
}

/* UTF-8 encoding of a code point into out (up to 4 bytes); returns the length */
static int utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 63));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 63));
        out[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 63));
    out[2] = (char)(0x80 | (cp >> 6 & 63));
    out[3] = (char)(0x80 | (cp & 63));
    return 4;
}

#include "xml_dom/parser.h"
#include "xml_dom/generate.h"
#include "xml_dom/checks.h"
