/* csv_report — hand-written CSV parsing (quoted fields, decimals, dates) with memchr/strchr/strncmp, aggregated into an snprintf report.
 * bench-cflags: -Os
 *
 * A sales export of several thousand lines is generated before the timer starts: order id, ISO
 * date, customer name (sometimes quoted, with embedded commas and doubled quotes), city, product
 * code, quantity, unit price with two decimals, a discount percentage and a free-text note. Each
 * round parses every line without sscanf/strtol/strtod, validates it, aggregates revenue per city,
 * per product family and per month in fixed-point cents, and formats a text report with snprintf,
 * which is hashed. Malformed lines (a few are planted) are counted and skipped. */
#include "../programs/bench.h"

#define NLINES 20000
#define MAXFIELDS 12

static const char *cities[] = { "Amsterdam", "Berlin", "Copenhagen", "Dublin", "Edinburgh", "Florence",
                                "Geneva", "Hamburg", "Istanbul", "Krakow", "Lisbon", "Madrid" };
#define NCITIES (int)(sizeof cities / sizeof cities[0])
static const char *families[] = { "BOOK", "TOOL", "FOOD", "TOYS", "GARD", "ELEC" };
#define NFAM (int)(sizeof families / sizeof families[0])
static const char *first[] = { "Anna", "Bram", "Chloe", "Dmitri", "Eva", "Farid", "Greta", "Hugo" };
static const char *last[] = { "Jansen", "Muller", "O'Brien", "Rossi", "Novak", "Silva", "Dubois" };
static const char *notes[] = { "", "gift wrap", "leave at door, ring twice", "call \"before\" delivery", "fragile", "" };

typedef struct { const char *p; int len; } field;

/* Splits one line into fields; unquotes into scratch when needed. Returns the field count or -1. */
static int split_csv(const char *line, int len, field *f, char *scratch)
{
    int n = 0;
    const char *p = line, *end = line + len;
    for (;;) {
        if (n == MAXFIELDS) return -1;
        if (p < end && *p == '"') {
            char *out = scratch;
            p++;
            for (;;) {
                const char *q = memchr(p, '"', (size_t)(end - p));
                if (!q) return -1;
                memcpy(out, p, (size_t)(q - p));
                out += q - p;
                if (q + 1 < end && q[1] == '"') { *out++ = '"'; p = q + 2; continue; }
                p = q + 1;
                break;
            }
            f[n].p = scratch;
            f[n].len = (int)(out - scratch);
            scratch = out;
            n++;
            if (p == end) return n;
            if (*p != ',') return -1;
            p++;
        } else {
            const char *q = memchr(p, ',', (size_t)(end - p));
            f[n].p = p;
            f[n].len = (int)((q ? q : end) - p);
            n++;
            if (!q) return n;
            p = q + 1;
        }
    }
}

static int parse_uint(const field *f, long long *out)
{
    if (f->len == 0 || f->len > 18) return -1;
    long long v = 0;
    for (int i = 0; i < f->len; i++) {
        char c = f->p[i];
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return 0;
}

/* "123.45" or "7" or "7.5" -> cents */
static int parse_money(const field *f, long long *cents)
{
    const char *dot = f->len ? memchr(f->p, '.', (size_t)f->len) : NULL;
    field whole = { f->p, dot ? (int)(dot - f->p) : f->len };
    long long w, frac = 0;
    if (parse_uint(&whole, &w)) return -1;
    if (dot) {
        int fl = f->len - whole.len - 1;
        if (fl < 1 || fl > 2) return -1;
        field fr = { dot + 1, fl };
        if (parse_uint(&fr, &frac)) return -1;
        if (fl == 1) frac *= 10;
    }
    *cents = w * 100 + frac;
    return 0;
}

static int parse_date(const field *f, int *y, int *m, int *d)
{
    if (f->len != 10 || f->p[4] != '-' || f->p[7] != '-') return -1;
    field fy = { f->p, 4 }, fm = { f->p + 5, 2 }, fd = { f->p + 8, 2 };
    long long a, b, c;
    if (parse_uint(&fy, &a) || parse_uint(&fm, &b) || parse_uint(&fd, &c)) return -1;
    if (b < 1 || b > 12 || c < 1 || c > 31) return -1;
    *y = (int)a; *m = (int)b; *d = (int)c;
    return 0;
}

static int lookup(const field *f, const char *const *names, int n, int prefix_only)
{
    for (int i = 0; i < n; i++) {
        size_t nl = strlen(names[i]);
        if (prefix_only ? (size_t)f->len > nl && strncmp(f->p, names[i], nl) == 0 && f->p[nl] == '-'
                        : (size_t)f->len == nl && strncmp(f->p, names[i], nl) == 0)
            return i;
    }
    return -1;
}

typedef struct {
    long long revenue, units;
    long orders;
} agg;

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 220);
    bench_rng rng = { 0xC5FULL };
    size_t cap = (size_t)NLINES * 160, used = 0;
    char *text = malloc(cap);
    for (int i = 0; i < NLINES; i++) {
        char name[64];
        const char *fn = first[rng_below(&rng, 8)], *ln = last[rng_below(&rng, 7)];
        unsigned kind = rng_below(&rng, 4);
        if (kind == 0) snprintf(name, sizeof name, "\"%s, %s\"", ln, fn);
        else if (kind == 1) snprintf(name, sizeof name, "\"%s \"\"%c\"\" %s\"", fn, 'A' + (int)rng_below(&rng, 26), ln);
        else snprintf(name, sizeof name, "%s %s", fn, ln);
        const char *note = notes[rng_below(&rng, 6)];
        char notebuf[64];
        if (strchr(note, ',') || strchr(note, '"')) {
            char *o = notebuf;
            *o++ = '"';
            for (const char *s = note; *s; s++) { if (*s == '"') *o++ = '"'; *o++ = *s; }
            *o++ = '"';
            *o = 0;
            note = notebuf;
        }
        unsigned price = 50 + rng_below(&rng, rng_below(&rng, 50000) + 1);
        int n = snprintf(text + used, cap - used, "%u,%04u-%02u-%02u,%s,%s,%s-%04u,%u,%u.%02u,%u,%s\n",
                         100000 + (unsigned)i, 2023 + rng_below(&rng, 2), 1 + rng_below(&rng, 12), 1 + rng_below(&rng, 28),
                         name, cities[rng_below(&rng, NCITIES)], families[rng_below(&rng, NFAM)], rng_below(&rng, 10000),
                         1 + rng_below(&rng, 12), price / 100, price % 100, rng_below(&rng, 4) * 5, note);
        if (rng_below(&rng, 500) == 0) text[used + (size_t)n / 2] = 'x';   /* plant a corrupt field */
        used += (size_t)n;
    }
    static char report[16384];

    double start = bench_now();
    uint64_t h = 0;
    long bad_total = 0;
    for (int round = 0; round < scale; round++) {
        agg by_city[NCITIES], by_fam[NFAM], by_month[24];
        memset(by_city, 0, sizeof by_city);
        memset(by_fam, 0, sizeof by_fam);
        memset(by_month, 0, sizeof by_month);
        long bad = 0, quoted_names = 0;
        long long max_line = 0;
        const char *p = text, *end = text + used;
        char scratch[256];
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            int len = (int)((nl ? nl : end) - p);
            field f[MAXFIELDS];
            int nf = split_csv(p, len, f, scratch);
            p = nl ? nl + 1 : end;
            long long id, qty, price, disc;
            int y, m, d, city, fam;
            if (nf != 9 || parse_uint(&f[0], &id) || parse_date(&f[1], &y, &m, &d) ||
                (city = lookup(&f[3], cities, NCITIES, 0)) < 0 || (fam = lookup(&f[4], families, NFAM, 1)) < 0 ||
                parse_uint(&f[5], &qty) || parse_money(&f[6], &price) || parse_uint(&f[7], &disc) || disc > 100) {
                bad++;
                continue;
            }
            if (f[2].p == scratch && memchr(f[2].p, ',', (size_t)f[2].len)) quoted_names++;
            /* round half up on the discounted line total */
            long long line_total = (price * qty * (100 - disc) + 50) / 100;
            if (round % 2 && f[8].len > 0) line_total += 99;          /* handling fee for notes */
            if (line_total > max_line) max_line = line_total;
            by_city[city].revenue += line_total; by_city[city].units += qty; by_city[city].orders++;
            by_fam[fam].revenue += line_total; by_fam[fam].units += qty; by_fam[fam].orders++;
            int mi = (y - 2023) * 12 + (m - 1);
            by_month[mi].revenue += line_total; by_month[mi].units += qty; by_month[mi].orders++;
        }
        int r = snprintf(report, sizeof report, "Sales report, round %d\n%-12s %8s %10s %14s\n", round, "city",
                         "orders", "units", "revenue");
        for (int c = 0; c < NCITIES; c++)
            r += snprintf(report + r, sizeof report - (size_t)r, "%-12s %8ld %10lld %11lld.%02lld\n", cities[c],
                          by_city[c].orders, by_city[c].units, by_city[c].revenue / 100, by_city[c].revenue % 100);
        for (int c = 0; c < NFAM; c++)
            r += snprintf(report + r, sizeof report - (size_t)r, "family %s: %ld orders, avg %lld cents\n", families[c],
                          by_fam[c].orders, by_fam[c].orders ? by_fam[c].revenue / by_fam[c].orders : 0);
        for (int mth = 0; mth < 24; mth++)
            r += snprintf(report + r, sizeof report - (size_t)r, "%04d-%02d %7lld\n", 2023 + mth / 12, mth % 12 + 1,
                          by_month[mth].units);
        r += snprintf(report + r, sizeof report - (size_t)r, "bad lines: %ld, quoted names with commas: %ld, max %lld\n",
                      bad, quoted_names, max_line);
        for (int i = 0; i < r; i += 8) {
            uint64_t v = 0;
            memcpy(&v, report + i, (size_t)(r - i < 8 ? r - i : 8));
            h = mix64(h, v);
        }
        bad_total += bad;
    }
    bench_report(start);
    printf("csv_report lines=%d bytes=%zu rounds=%d bad=%ld checksum=%016llx\n", NLINES, used, scale, bad_total,
           (unsigned long long)h);
    return 0;
}
