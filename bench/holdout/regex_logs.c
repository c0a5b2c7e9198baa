/* regex_logs — a small backtracking regex engine (., * + ?, classes, \d \w \s, anchors) over generated log lines.
 *
 * Patterns are compiled into a flat array of atoms with a quantifier each, then matched by the
 * classic recursive backtracking search (greedy quantifiers, leftmost match). The log lines are
 * generated once before the timer starts; the timed part scans every line with every pattern,
 * SCALE times, and mixes match counts, offsets and lengths into the checksum. */
#include "../programs/bench.h"

#define MAX_ATOMS 48
#define NLINES 4000
#define LINE_MAX 200

enum { AT_CHAR, AT_ANY, AT_CLASS };

typedef struct {
    unsigned char kind;
    unsigned char quant;          /* 0, '*', '+' or '?' */
    unsigned char ch;
    unsigned char set[32];        /* bitmap for AT_CLASS */
} atom;

typedef struct {
    atom a[MAX_ATOMS];
    int n;
    int bol, eol;
    const char *src;
} regex;

static void set_add(unsigned char *set, int lo, int hi)
{
    for (int c = lo; c <= hi; c++)
        set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static int set_has(const unsigned char *set, int c) { return (set[c >> 3] >> (c & 7)) & 1; }

static void escape_class(atom *at, char e)
{
    at->kind = AT_CLASS;
    switch (e) {
    case 'd': set_add(at->set, '0', '9'); break;
    case 'w': set_add(at->set, '0', '9'); set_add(at->set, 'a', 'z'); set_add(at->set, 'A', 'Z');
              set_add(at->set, '_', '_'); break;
    case 's': set_add(at->set, ' ', ' '); set_add(at->set, '\t', '\t'); break;
    default:  at->kind = AT_CHAR; at->ch = (unsigned char)e; break;
    }
}

static int regex_compile(regex *re, const char *p)
{
    memset(re, 0, sizeof *re);
    re->src = p;
    if (*p == '^') { re->bol = 1; p++; }
    while (*p) {
        if (p[0] == '$' && p[1] == '\0') { re->eol = 1; break; }
        if (re->n == MAX_ATOMS) return -1;
        atom *at = &re->a[re->n++];
        if (*p == '.') {
            at->kind = AT_ANY; p++;
        } else if (*p == '\\') {
            if (!p[1]) return -1;
            escape_class(at, p[1]);
            p += 2;
        } else if (*p == '[') {
            int negate = 0, first = 1;
            p++;
            at->kind = AT_CLASS;
            if (*p == '^') { negate = 1; p++; }
            while (*p && (*p != ']' || first)) {
                first = 0;
                if (*p == '\\' && p[1]) {
                    atom tmp; memset(&tmp, 0, sizeof tmp);
                    escape_class(&tmp, p[1]);
                    if (tmp.kind == AT_CHAR) set_add(at->set, tmp.ch, tmp.ch);
                    else for (int i = 0; i < 32; i++) at->set[i] |= tmp.set[i];
                    p += 2;
                } else if (p[1] == '-' && p[2] && p[2] != ']') {
                    set_add(at->set, (unsigned char)p[0], (unsigned char)p[2]);
                    p += 3;
                } else {
                    set_add(at->set, (unsigned char)p[0], (unsigned char)p[0]);
                    p++;
                }
            }
            if (*p != ']') return -1;
            p++;
            if (negate)
                for (int i = 0; i < 32; i++) at->set[i] = (unsigned char)~at->set[i];
        } else {
            at->kind = AT_CHAR; at->ch = (unsigned char)*p++;
        }
        if (*p == '*' || *p == '+' || *p == '?') at->quant = (unsigned char)*p++;
    }
    return 0;
}

static inline int atom_ok(const atom *at, unsigned char c)
{
    if (at->kind == AT_CHAR) return c == at->ch;
    if (at->kind == AT_ANY) return c != '\n';
    return set_has(at->set, c);
}

/* Returns the end of a match of atoms i.. starting at s, or NULL. */
static const char *match_here(const regex *re, int i, const char *s, const char *end)
{
    while (i < re->n) {
        const atom *at = &re->a[i];
        if (at->quant == 0) {
            if (s == end || !atom_ok(at, (unsigned char)*s)) return NULL;
            s++; i++;
        } else if (at->quant == '?') {
            if (s < end && atom_ok(at, (unsigned char)*s)) {
                const char *r = match_here(re, i + 1, s + 1, end);
                if (r) return r;
            }
            i++;
        } else {
            long count = 0, min = at->quant == '+';
            while (s + count < end && atom_ok(at, (unsigned char)s[count])) count++;
            for (; count >= min; count--) {
                const char *r = match_here(re, i + 1, s + count, end);
                if (r) return r;
            }
            return NULL;
        }
    }
    if (re->eol && s != end) return NULL;
    return s;
}

/* Leftmost match in [s, end); sets *mstart and returns the match end, or NULL. */
static const char *regex_search(const regex *re, const char *s, const char *end, const char **mstart)
{
    if (re->bol) {
        *mstart = s;
        return match_here(re, 0, s, end);
    }
    const atom *first = re->n ? &re->a[0] : NULL;
    for (const char *p = s; p <= end; p++) {
        if (first && first->kind == AT_CHAR && (first->quant == 0 || first->quant == '+')) {
            p = p < end ? memchr(p, first->ch, (size_t)(end - p)) : NULL;
            if (!p) return NULL;
        }
        const char *r = match_here(re, 0, p, end);
        if (r) { *mstart = p; return r; }
    }
    return NULL;
}

static const char *levels[] = { "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR" };
static const char *users[] = { "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
                               "ivan", "judy", "mallory", "oscar", "peggy", "trent", "victor" };
static const char *verbs[] = { "GET", "GET", "GET", "POST", "PUT", "DELETE" };
static const char *things[] = { "users", "orders", "items", "carts", "sessions", "reports" };
static const char *words[] = { "request", "completed", "failed", "connection", "timeout", "retry",
                               "cache", "miss", "hit", "backend", "upstream", "closed", "opened",
                               "Started", "Finished", "worker", "queue", "flushed", "rejected" };

#define PICK(r, arr) arr[rng_below(r, (uint32_t)(sizeof arr / sizeof arr[0]))]

static int make_line(bench_rng *r, char *out)
{
    int n = snprintf(out, LINE_MAX, "2024-03-%02u %02u:%02u:%02u.%03u [%s] host-%u %s /api/v%u/%s/%u user=%s%s",
                     1 + rng_below(r, 28), rng_below(r, 24), rng_below(r, 60), rng_below(r, 60),
                     rng_below(r, 1000), PICK(r, levels), rng_below(r, 40), PICK(r, verbs),
                     1 + rng_below(r, 3), PICK(r, things), rng_below(r, 100000), PICK(r, users),
                     rng_below(r, 3) ? "" : "42");
    int words_n = 2 + (int)rng_below(r, 6);
    for (int w = 0; w < words_n && n < LINE_MAX - 40; w++)
        n += snprintf(out + n, (size_t)(LINE_MAX - n), " %s", PICK(r, words));
    if (rng_below(r, 4) == 0)
        n += snprintf(out + n, (size_t)(LINE_MAX - n), " mail=%s@example.com", PICK(r, users));
    n += snprintf(out + n, (size_t)(LINE_MAX - n), " status=%u latency=%ums",
                  rng_below(r, 10) ? 200 + rng_below(r, 5) : 500 + rng_below(r, 4), rng_below(r, 2000));
    return n;
}

static const char *patterns[] = {
    "ERROR",
    "^2024-03-1[0-9] ",
    "user=[a-z]+[0-9]+",
    "/api/v[12]/[a-z]+/\\d+ ",
    "status=5\\d\\d",
    "latency=1[0-9][0-9][0-9]ms$",
    "host-[0-9]?7 ",
    "timeout.*retry",
    "[A-Z][a-z]+ [a-z]+ed",
    "\\w+@\\w+\\.com",
    "^[^ ]+ [^ ]+ \\[[A-Z]+\\] host-3",
    "c.*a.*c.*h.*e.*d",
    "POST /api/v3/[a-z]*s/[1-9][0-9]?[0-9]? ",
    "[0-9][0-9]:[0-5]9:.*=[0-9]+[05]ms$",
};
#define NPAT (int)(sizeof patterns / sizeof patterns[0])

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 30);
    static char text[NLINES][LINE_MAX];
    static int len[NLINES];
    static regex res[NPAT];
    bench_rng rng = { 0x10C5EED5ULL };
    for (int i = 0; i < NLINES; i++) len[i] = make_line(&rng, text[i]);
    for (int p = 0; p < NPAT; p++)
        if (regex_compile(&res[p], patterns[p]) != 0) { printf("regex: bad pattern %s\n", patterns[p]); return 1; }

    double start = bench_now();
    uint64_t h = 0;
    long total = 0;
    for (int rep = 0; rep < scale; rep++) {
        for (int p = 0; p < NPAT; p++) {
            long hits = 0;
            uint64_t ph = (uint64_t)p;
            for (int i = 0; i < NLINES; i++) {
                /* each repetition starts the scan at a different line, skipping a prefix of some */
                int li = (i + rep * 131) % NLINES;
                const char *s = text[li], *end = s + len[li], *ms = NULL;
                if ((li + rep) % 7 == 0) s += 11;
                const char *me = regex_search(&res[p], s, end, &ms);
                if (me) {
                    hits++;
                    ph = mix64(ph, (uint64_t)((ms - text[li]) * 256 + (me - ms)));
                }
            }
            total += hits;
            h = mix64(h, ph ^ (uint64_t)hits);
        }
    }
    bench_report(start);
    printf("regex_logs lines=%d patterns=%d reps=%d matches=%ld checksum=%016llx\n", NLINES, NPAT, scale,
           total, (unsigned long long)h);
    return 0;
}
