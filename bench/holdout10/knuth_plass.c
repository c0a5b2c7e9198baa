/* knuth_plass.c — optimal paragraph line breaking (Knuth-Plass) with justification.
 *
 * Each round generates a document of paragraphs (blank-line separated) of words built from
 * syllables, with '|' marking permitted hyphenation points, explicit hyphens in compound words,
 * capitalised sentences and punctuation. Paragraphs are split with strstr, words with strtok_r
 * and syllables with strchr, and turned into box/glue/penalty items measured with a proportional
 * width table (wider glue after sentence ends, flagged penalties for hyphens, a finishing glue
 * and a forced break). Line breaking follows Knuth and Plass: cumulative width, stretch and
 * shrink sums, an active list of break nodes in a node pool, adjustment ratios and cubic
 * badness, TeX-style demerits with a line penalty, penalties, consecutive-hyphen and fitness
 * class jump charges, deactivation of overfull nodes, and retries with looser tolerances. Lines
 * are then justified by spreading the extra width over the glue in integer units and rendered
 * into strings. Checks: an exhaustive dynamic programme over all (breakpoint, fitness class)
 * states must find the same total demerits and the same breaks; a first-fit breaking that stays
 * within the tolerance must never have fewer demerits; every justified line except the last must
 * be exactly the target width and the last no wider; and joining the rendered lines (removing
 * hyphens at hyphenated line ends) must give back the paragraph's words.
 */
// bench-cflags: -Os
#include "../programs/bench.h"

enum { BOX, GLUE, PENALTY };
#define INF_PEN 1000
#define MAXITEMS 8192
#define BIG 1e30

typedef struct {
    int type, width, stretch, shrink, penalty, flagged;
    const char *text;
    int len;
} Item;

typedef struct Node {
    int pos, fitness, flagged;
    double total;
    struct Node *prev, *next;
} Node;

static Item items[MAXITEMS];
static int nitems, sw[MAXITEMS + 1], sy[MAXITEMS + 1], sz[MAXITEMS + 1];
static Node pool[MAXITEMS * 4 + 1];
static unsigned failures;

static int char_width(char c)
{
    static const char widths[26] = { 6, 6, 5, 6, 6, 4, 6, 6, 3, 3, 6, 3, 9, 6, 6, 6, 6, 4, 5, 4, 6, 6, 9, 6, 6, 5 };
    if (c >= 'a' && c <= 'z') return widths[c - 'a'];
    if (c >= 'A' && c <= 'Z') return widths[c - 'A'] + 2;
    return c == '-' ? 4 : 3;
}

static int text_width(const char *s, int n)
{
    int w = 0;
    for (int i = 0; i < n; i++) w += char_width(s[i]);
    return w;
}

static void add(int type, int width, int stretch, int shrink, int penalty, int flagged, const char *t, int len)
{
    Item *it = &items[nitems++];
    it->type = type; it->width = width; it->stretch = stretch; it->shrink = shrink;
    it->penalty = penalty; it->flagged = flagged; it->text = t; it->len = len;
}

/* Builds the item list of one paragraph (modifies the text: strtok_r). */
static void build_items(char *para)
{
    nitems = 0;
    char *save = NULL;
    int first = 1;
    for (char *w = strtok_r(para, " \n", &save); w; w = strtok_r(NULL, " \n", &save)) {
        if (!first) {
            char prev = items[nitems - 1].text[items[nitems - 1].len - 1];
            if (prev == '.') add(GLUE, 6, 4, 1, 0, 0, NULL, 0);
            else add(GLUE, 4, 3, 1, 0, 0, NULL, 0);
        }
        first = 0;
        char *s = w;
        for (;;) {
            char *bar = strchr(s, '|'), *dash = strchr(s, '-');
            char *cut = bar && (!dash || bar < dash) ? bar : dash;
            if (!cut) {
                add(BOX, text_width(s, (int)strlen(s)), 0, 0, 0, 0, s, (int)strlen(s));
                break;
            }
            if (*cut == '|') {
                add(BOX, text_width(s, (int)(cut - s)), 0, 0, 0, 0, s, (int)(cut - s));
                add(PENALTY, char_width('-'), 0, 0, 50, 1, NULL, 0);
            } else { /* explicit hyphen stays with the first part */
                add(BOX, text_width(s, (int)(cut - s) + 1), 0, 0, 0, 0, s, (int)(cut - s) + 1);
                add(PENALTY, 0, 0, 0, 50, 1, NULL, 0);
            }
            s = cut + 1;
        }
    }
    add(GLUE, 0, 100000, 0, 0, 0, NULL, 0);
    add(PENALTY, 0, 0, 0, -INF_PEN, 1, NULL, 0);
    sw[0] = sy[0] = sz[0] = 0;
    for (int i = 0; i < nitems; i++) {
        int g = items[i].type != PENALTY;
        sw[i + 1] = sw[i] + (g ? items[i].width : 0);
        sy[i + 1] = sy[i] + (items[i].type == GLUE ? items[i].stretch : 0);
        sz[i + 1] = sz[i] + (items[i].type == GLUE ? items[i].shrink : 0);
    }
}

static int legal_break(int b)
{
    if (items[b].type == PENALTY) return items[b].penalty < INF_PEN;
    return items[b].type == GLUE && b > 0 && items[b - 1].type == BOX;
}

/* first item of a line after a break at a (glue and penalties are discarded) */
static int line_start(int a)
{
    int s = a + 1;
    while (s < nitems && items[s].type != BOX && !(items[s].type == PENALTY && items[s].penalty == -INF_PEN))
        s++;
    return s;
}

static double ratio(int a, int b, int L)
{
    int s = line_start(a);
    int nat = sw[b] - sw[s] + (items[b].type == PENALTY ? items[b].width : 0);
    if (nat < L) {
        int y = sy[b] - sy[s];
        return y > 0 ? (double)(L - nat) / y : BIG;
    }
    if (nat > L) {
        int z = sz[b] - sz[s];
        return z > 0 ? (double)(L - nat) / z : -BIG;
    }
    return 0;
}

static int fitness_of(double r)
{
    return r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1.0 ? 2 : 3;
}

static double demerits(double r, int b, int prev_flagged, int prev_fit)
{
    double ar = r < 0 ? -r : r, bad = 100.0 * ar * ar * ar, base = 10.0 + bad, d = base * base;
    int p = items[b].type == PENALTY ? items[b].penalty : 0;
    if (p >= 0) d += (double)p * p;
    else if (p > -INF_PEN) d -= (double)p * p;
    int fl = items[b].type == PENALTY && items[b].flagged && items[b].penalty > -INF_PEN;
    if (fl && prev_flagged) d += 3000.0;
    int fit = fitness_of(r);
    if (fit - prev_fit > 1 || prev_fit - fit > 1) d += 3000.0;
    return d;
}

static int is_flagged(int b) { return items[b].type == PENALTY && items[b].flagged && items[b].penalty > -INF_PEN; }

/* Knuth-Plass with an active list; writes breaks (item indices), returns count or -1. */
static int knuth_plass(int L, double tol, int *breaks, double *total_out)
{
    int npool = 0;
    Node *head = &pool[npool++];
    *head = (Node){ -1, 1, 0, 0.0, NULL, NULL };
    for (int b = 0; b < nitems; b++) {
        if (!legal_break(b)) continue;
        int forced = items[b].type == PENALTY && items[b].penalty == -INF_PEN;
        double best[4] = { BIG, BIG, BIG, BIG };
        Node *from[4] = { NULL, NULL, NULL, NULL };
        Node *prev = NULL, *a = head;
        while (a) {
            Node *next = a->next;
            double r = ratio(a->pos, b, L);
            if (r >= -1.0 && r <= tol) {
                double t = a->total + demerits(r, b, a->flagged, a->fitness);
                int fc = fitness_of(r);
                if (t < best[fc]) { best[fc] = t; from[fc] = a; }
            }
            if (r < -1.0 || forced) { /* deactivate */
                if (prev) prev->next = next; else head = next;
            } else {
                prev = a;
            }
            a = next;
        }
        for (int fc = 0; fc < 4; fc++) {
            if (!from[fc]) continue;
            Node *n = &pool[npool++];
            *n = (Node){ b, fc, is_flagged(b), best[fc], from[fc], NULL };
            if (prev) prev->next = n; else head = n;
            prev = n;
        }
        if (!head) return -1;
    }
    Node *end = NULL;
    for (Node *a = head; a; a = a->next)
        if (a->pos == nitems - 1 && (!end || a->total < end->total)) end = a;
    if (!end) return -1;
    int n = 0;
    for (Node *a = end; a->pos >= 0; a = a->prev) breaks[n++] = a->pos;
    for (int i = 0; i < n / 2; i++) { int t = breaks[i]; breaks[i] = breaks[n - 1 - i]; breaks[n - 1 - i] = t; }
    *total_out = end->total;
    return n;
}

/* Exhaustive DP over (breakpoint, fitness class) with the same deactivation rule. */
static int dp_breaks(int L, double tol, int *breaks, double *total_out)
{
    static int bp[MAXITEMS + 1], from[MAXITEMS + 1][4];
    static double best[MAXITEMS + 1][4];
    static uint8_t dead[MAXITEMS + 1];
    int nb = 0, lo = 0;
    bp[nb] = -1; dead[nb] = 0;
    for (int f = 0; f < 4; f++) best[nb][f] = BIG;
    best[nb][1] = 0;
    nb++;
    for (int b = 0; b < nitems; b++) {
        if (!legal_break(b)) continue;
        int forced = items[b].type == PENALTY && items[b].penalty == -INF_PEN, j = nb++, alive = 0;
        for (int f = 0; f < 4; f++) { best[j][f] = BIG; from[j][f] = -1; }
        dead[j] = 0;
        bp[j] = b;
        while (lo < j && dead[lo]) lo++;
        for (int i = lo; i < j; i++) {
            if (dead[i] || (best[i][0] >= BIG && best[i][1] >= BIG && best[i][2] >= BIG && best[i][3] >= BIG))
                continue;
            double r = ratio(bp[i], b, L);
            for (int f = 0; f < 4; f++) {
                if (best[i][f] >= BIG || r < -1.0 || r > tol) continue;
                double t = best[i][f] + demerits(r, b, i > 0 && is_flagged(bp[i]), f);
                int fc = fitness_of(r);
                if (t < best[j][fc]) { best[j][fc] = t; from[j][fc] = i * 4 + f; }
            }
            if (r < -1.0 || forced) dead[i] = 1;
            else alive = 1;
        }
        for (int f = 0; f < 4; f++) alive |= best[j][f] < BIG;
        if (!alive) return -1;
    }
    int last = nb - 1, bf = -1;
    for (int f = 0; f < 4; f++)
        if (best[last][f] < BIG && (bf < 0 || best[last][f] < best[last][bf])) bf = f;
    if (bf < 0) return -1;
    *total_out = best[last][bf];
    int n = 0, i = last, f = bf;
    while (i > 0) {
        breaks[n++] = bp[i];
        int k = from[i][f];
        i = k / 4; f = k % 4;
    }
    for (int k = 0; k < n / 2; k++) { int t = breaks[k]; breaks[k] = breaks[n - 1 - k]; breaks[n - 1 - k] = t; }
    return n;
}

/* First fit: the longest line at each step that can still shrink to L. */
static int first_fit(int L, double tol, double *total_out)
{
    int a = -1, prev_fl = 0, prev_fit = 1, n = 0;
    double total = 0;
    while (a < nitems - 1) {
        int chosen = -1;
        for (int b = a + 1; b < nitems; b++) {
            if (!legal_break(b)) continue;
            if (ratio(a, b, L) < -1.0) break;
            chosen = b;
            if (items[b].type == PENALTY && items[b].penalty == -INF_PEN) break;
        }
        if (chosen < 0) return -1;
        double r = ratio(a, chosen, L);
        if (r > tol) return -1;
        total += demerits(r, chosen, prev_fl, prev_fit);
        prev_fl = is_flagged(chosen);
        prev_fit = fitness_of(r);
        a = chosen;
        n++;
    }
    *total_out = total;
    return n;
}

/* Justifies and renders lines; checks widths and returns the joined words in out. */
static void render(const int *breaks, int nb, int L, char *out, uint64_t *h)
{
    char line[1024];
    int a = -1, olen = 0;
    for (int k = 0; k < nb; k++) {
        int b = breaks[k], s = line_start(a), last = k == nb - 1;
        int nat = sw[b] - sw[s] + (items[b].type == PENALTY ? items[b].width : 0);
        int stretch = sy[b] - sy[s], shrink = sz[b] - sz[s];
        int extra = (last && nat <= L) ? 0 : L - nat, pool_units = extra >= 0 ? stretch : shrink, given = 0, acc = 0, width = 0;
        int len = 0;
        for (int i = s; i < b; i++) {
            const Item *it = &items[i];
            if (it->type == BOX) {
                memcpy(line + len, it->text, (size_t)it->len);
                len += it->len;
                width += it->width;
            } else if (it->type == GLUE && it->width > 0) {
                acc += extra >= 0 ? it->stretch : it->shrink;
                /* cumulative rounding: glue gets its share of the extra width */
                int target = pool_units ? (int)((long long)extra * acc / pool_units) : 0;
                width += it->width + (target - given);
                given = target;
                line[len++] = ' ';
            }
        }
        if (items[b].type == PENALTY && items[b].width) {
            line[len++] = '-';
            width += items[b].width;
        }
        line[len] = 0;
        if (last ? width > L : width != L) failures++;
        *h = mix64(*h, (uint64_t)(unsigned)width << 16 | (unsigned)len);
        /* join: a hyphen added at a break is dropped, the next line continues the word */
        if (items[b].type == PENALTY && items[b].width) len--;
        memcpy(out + olen, line, (size_t)len);
        olen += len;
        if (!(items[b].type == PENALTY)) out[olen++] = ' ';
        a = b;
    }
    while (olen > 0 && out[olen - 1] == ' ') olen--;
    out[olen] = 0;
}

static const char *syllables[] = { "ba", "con", "de", "tri", "mo", "la", "ster", "ing", "pho", "ver", "sa", "tion",
                                   "qua", "ne", "gli", "wor", "um", "ex", "pli", "cor", "ma", "ti", "on", "zy" };

static int gen_document(char *doc, bench_rng *r)
{
    int len = 0, nparas = 6 + (int)rng_below(r, 6);
    for (int p = 0; p < nparas; p++) {
        int words = 40 + (int)rng_below(r, 260), cap = 1;
        for (int w = 0; w < words; w++) {
            int nsyl = 1 + (int)rng_below(r, 4), compound = rng_below(r, 12) == 0;
            for (int part = 0; part <= compound; part++) {
                if (part) doc[len++] = '-';
                for (int s = 0; s < nsyl; s++) {
                    if (s) doc[len++] = '|';
                    const char *sy = syllables[rng_below(r, sizeof syllables / sizeof syllables[0])];
                    size_t n = strlen(sy);
                    memcpy(doc + len, sy, n);
                    if (cap && s == 0 && part == 0) doc[len] = (char)(doc[len] - 'a' + 'A');
                    len += (int)n;
                }
            }
            cap = 0;
            uint32_t punct = rng_below(r, 16);
            if (w == words - 1 || punct == 0) { doc[len++] = '.'; cap = 1; }
            else if (punct == 1) doc[len++] = ',';
            doc[len++] = rng_below(r, 10) == 0 ? '\n' : ' ';
        }
        doc[len++] = '\n';
        doc[len++] = '\n';
    }
    doc[len] = 0;
    return nparas;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 72);
    bench_rng rng = { 0x7E7E7E7E0BADF00DULL };
    char *doc = malloc(1 << 20), *copy = malloc(65536), *joined = malloc(65536), *expect = malloc(65536);
    static int br1[MAXITEMS], br2[MAXITEMS];
    uint64_t h = 0;
    unsigned lines = 0, paras = 0;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        gen_document(doc, &rng);
        char *p = doc;
        while (*p) {
            char *end = strstr(p, "\n\n");
            size_t n = end ? (size_t)(end - p) : strlen(p);
            memcpy(copy, p, n);
            copy[n] = 0;
            p += n + (end ? 2 : 0);
            if (strspn(copy, " \n") == n) continue;
            /* expected words: the paragraph without hyphenation marks, single spaces */
            size_t e = 0;
            for (size_t i = strspn(copy, " \n"); i < n; i++) {
                if (copy[i] == '|') continue;
                if (copy[i] == ' ' || copy[i] == '\n') {
                    if (expect[e - 1] != ' ') expect[e++] = ' ';
                } else {
                    expect[e++] = copy[i];
                }
            }
            while (e > 0 && expect[e - 1] == ' ') e--;
            expect[e] = 0;
            build_items(copy);
            int L = 250 + (int)rng_below(&rng, 450);
            double tols[3] = { 2.0, 10.0, BIG }, t1 = 0, t2 = 0, tg = 0;
            int n1 = -1, n2 = -1, pass;
            for (pass = 0; pass < 3 && n1 < 0; pass++) {
                n1 = knuth_plass(L, tols[pass], br1, &t1);
                n2 = dp_breaks(L, tols[pass], br2, &t2);
                if ((n1 < 0) != (n2 < 0)) failures++;
            }
            pass--;
            if (n1 < 0 || n1 != n2 || t1 != t2 || memcmp(br1, br2, sizeof(int) * (size_t)(n1 > 0 ? n1 : 0)) != 0)
                failures++;
            if (n1 < 0) continue;
            if (first_fit(L, tols[pass], &tg) > 0 && tg < t1) failures++;
            render(br1, n1, L, joined, &h);
            if (strcmp(joined, expect) != 0) failures++;
            h = mix64(mix64(h, (uint64_t)n1), (uint64_t)pass);
            lines += (unsigned)n1;
            paras++;
        }
    }
    bench_report(t0);
    printf("knuth_plass: paragraphs=%u lines=%u hash=%016llx failures=%u\n", paras, lines, (unsigned long long)h,
           failures);
    free(doc); free(copy); free(joined); free(expect);
    return failures != 0;
}
