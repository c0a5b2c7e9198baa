/* porter_stem — text indexing front end: tokenizer, stop-word filter, Porter stemmer, report.
 * bench-cflags: -Os
 *
 * Generated English-like prose (roots with derivational and inflectional suffixes, stop words,
 * capitalisation, punctuation and numbers) is tokenized with strspn/strcspn, lower-cased, filtered
 * against a sorted stop-word list with bsearch/strcmp, and reduced by the original Porter (1980)
 * stemming algorithm (steps 1a-5b on a char buffer with measure, vowel, double-consonant and cvc
 * tests, memcmp suffix matching). Stems are counted in an open-addressing hash table with strings
 * in an arena; each round the table is flattened, sorted with qsort (count descending, then
 * strcmp), and the top entries are formatted into a report with snprintf that feeds the checksum. */
#include "../programs/bench.h"

/* ---- Porter stemmer (operates on b[k0..k]) ---- */
static char *b;
static int k, k0, j;

static int cons(int i)
{
    switch (b[i]) {
    case 'a': case 'e': case 'i': case 'o': case 'u': return 0;
    case 'y': return (i == k0) ? 1 : !cons(i - 1);
    default: return 1;
    }
}

static int measure(void)
{
    int n = 0, i = k0;
    for (;;) {
        if (i > j)
            return n;
        if (!cons(i))
            break;
        i++;
    }
    i++;
    for (;;) {
        for (;;) {
            if (i > j)
                return n;
            if (cons(i))
                break;
            i++;
        }
        i++;
        n++;
        for (;;) {
            if (i > j)
                return n;
            if (!cons(i))
                break;
            i++;
        }
        i++;
    }
}

static int vowelinstem(void)
{
    for (int i = k0; i <= j; i++)
        if (!cons(i))
            return 1;
    return 0;
}

static int doublec(int p)
{
    if (p < k0 + 1 || b[p] != b[p - 1])
        return 0;
    return cons(p);
}

static int cvc(int i)
{
    if (i < k0 + 2 || !cons(i) || cons(i - 1) || !cons(i - 2))
        return 0;
    int ch = b[i];
    return !(ch == 'w' || ch == 'x' || ch == 'y');
}

static int ends(const char *s)
{
    int length = s[0];
    if (length > k - k0 + 1)
        return 0;
    if (length > 0 && s[length] != b[k])
        return 0;
    if (memcmp(b + k - length + 1, s + 1, (size_t)length) != 0)
        return 0;
    j = k - length;
    return 1;
}

static void setto(const char *s)
{
    int length = s[0];
    memmove(b + j + 1, s + 1, (size_t)length);
    k = j + length;
}

static void r(const char *s)
{
    if (measure() > 0)
        setto(s);
}

static void step1ab(void)
{
    if (b[k] == 's') {
        if (ends("\04" "sses"))
            k -= 2;
        else if (ends("\03" "ies"))
            setto("\01" "i");
        else if (b[k - 1] != 's')
            k--;
    }
    if (ends("\03" "eed")) {
        if (measure() > 0)
            k--;
    } else if ((ends("\02" "ed") || ends("\03" "ing")) && vowelinstem()) {
        k = j;
        if (ends("\02" "at"))
            setto("\03" "ate");
        else if (ends("\02" "bl"))
            setto("\03" "ble");
        else if (ends("\02" "iz"))
            setto("\03" "ize");
        else if (doublec(k)) {
            k--;
            int ch = b[k];
            if (ch == 'l' || ch == 's' || ch == 'z')
                k++;
        } else if (measure() == 1 && cvc(k))
            setto("\01" "e");
    }
}

static void step1c(void)
{
    if (ends("\01" "y") && vowelinstem())
        b[k] = 'i';
}

static void step2(void)
{
    switch (b[k - 1]) {
    case 'a':
        if (ends("\07" "ational")) { r("\03" "ate"); break; }
        if (ends("\06" "tional")) { r("\04" "tion"); break; }
        break;
    case 'c':
        if (ends("\04" "enci")) { r("\04" "ence"); break; }
        if (ends("\04" "anci")) { r("\04" "ance"); break; }
        break;
    case 'e':
        if (ends("\04" "izer")) { r("\03" "ize"); break; }
        break;
    case 'l':
        if (ends("\03" "bli")) { r("\03" "ble"); break; }
        if (ends("\04" "alli")) { r("\02" "al"); break; }
        if (ends("\05" "entli")) { r("\03" "ent"); break; }
        if (ends("\03" "eli")) { r("\01" "e"); break; }
        if (ends("\05" "ousli")) { r("\03" "ous"); break; }
        break;
    case 'o':
        if (ends("\07" "ization")) { r("\03" "ize"); break; }
        if (ends("\05" "ation")) { r("\03" "ate"); break; }
        if (ends("\04" "ator")) { r("\03" "ate"); break; }
        break;
    case 's':
        if (ends("\05" "alism")) { r("\02" "al"); break; }
        if (ends("\07" "iveness")) { r("\03" "ive"); break; }
        if (ends("\07" "fulness")) { r("\03" "ful"); break; }
        if (ends("\07" "ousness")) { r("\03" "ous"); break; }
        break;
    case 't':
        if (ends("\05" "aliti")) { r("\02" "al"); break; }
        if (ends("\05" "iviti")) { r("\03" "ive"); break; }
        if (ends("\06" "biliti")) { r("\03" "ble"); break; }
        break;
    case 'g':
        if (ends("\04" "logi")) { r("\03" "log"); break; }
        break;
    }
}

static void step3(void)
{
    switch (b[k]) {
    case 'e':
        if (ends("\05" "icate")) { r("\02" "ic"); break; }
        if (ends("\05" "ative")) { r("\00" ""); break; }
        if (ends("\05" "alize")) { r("\02" "al"); break; }
        break;
    case 'i':
        if (ends("\05" "iciti")) { r("\02" "ic"); break; }
        break;
    case 'l':
        if (ends("\04" "ical")) { r("\02" "ic"); break; }
        if (ends("\03" "ful")) { r("\00" ""); break; }
        break;
    case 's':
        if (ends("\04" "ness")) { r("\00" ""); break; }
        break;
    }
}

static void step4(void)
{
    switch (b[k - 1]) {
    case 'a': if (ends("\02" "al")) break; return;
    case 'c': if (ends("\04" "ance") || ends("\04" "ence")) break; return;
    case 'e': if (ends("\02" "er")) break; return;
    case 'i': if (ends("\02" "ic")) break; return;
    case 'l': if (ends("\04" "able") || ends("\04" "ible")) break; return;
    case 'n':
        if (ends("\03" "ant") || ends("\05" "ement") || ends("\04" "ment") || ends("\03" "ent"))
            break;
        return;
    case 'o':
        if (ends("\03" "ion") && j >= k0 && (b[j] == 's' || b[j] == 't'))
            break;
        if (ends("\02" "ou"))
            break;
        return;
    case 's': if (ends("\03" "ism")) break; return;
    case 't': if (ends("\03" "ate") || ends("\03" "iti")) break; return;
    case 'u': if (ends("\03" "ous")) break; return;
    case 'v': if (ends("\03" "ive")) break; return;
    case 'z': if (ends("\03" "ize")) break; return;
    default: return;
    }
    if (measure() > 1)
        k = j;
}

static void step5(void)
{
    j = k;
    if (b[k] == 'e') {
        int a = measure();
        if (a > 1 || (a == 1 && !cvc(k - 1)))
            k--;
    }
    if (b[k] == 'l' && doublec(k) && measure() > 1)
        k--;
}

/* stems p[0..len-1] in place, returns the new length */
static int stem(char *p, int len)
{
    b = p;
    k = len - 1;
    k0 = 0;
    if (k <= k0 + 1)
        return k + 1;
    step1ab();
    if (k > k0) {
        step1c();
        step2();
        step3();
        step4();
        step5();
    }
    return k + 1;
}

/* ---- corpus ---- */
static const char *stops[] = { "a", "about", "after", "all", "an", "and", "are", "as", "at", "be",
    "but", "by", "for", "from", "had", "has", "have", "he", "her", "his", "in", "is", "it", "its",
    "not", "of", "on", "or", "she", "that", "the", "their", "there", "they", "this", "to", "was",
    "were", "which", "with" };
#define NSTOP (int)(sizeof stops / sizeof stops[0])

static const char *roots[] = { "connect", "relat", "general", "oper", "ration", "happ", "sens",
    "adjust", "depend", "format", "comput", "nation", "condit", "hop", "run", "play", "car", "us",
    "agre", "feed", "motor", "sing", "control", "reviv", "allow", "electr", "cr", "digit", "radic",
    "effect", "posit", "hesit", "organ", "vari", "communic", "formal", "sensit", "object", "troubl",
    "bake", "plaster", "fil", "fall", "hiss", "fizz", "fail", "tann", "motiv", "analog", "rational" };
static const char *suffixes[] = { "", "s", "ed", "ing", "ation", "ational", "ness", "ful", "ive",
    "ize", "ly", "ement", "ibility", "ally", "ousness", "er", "ers", "izer", "ations", "fulness",
    "iveness", "ical", "ism", "ist", "iti", "ment", "able", "ible", "al", "ence", "ance", "ies",
    "e", "ies", "eed", "ency", "ousli", "alism", "ative", "icate", "alize", "y" };
#define NROOT (int)(sizeof roots / sizeof roots[0])
#define NSUF (int)(sizeof suffixes / sizeof suffixes[0])

#define TEXTCAP (700 * 1024)
static char text[TEXTCAP];

/* ---- stem table ---- */
#define TBITS 13
#define TSIZE (1u << TBITS)
typedef struct {
    uint32_t off; /* into arena, 0 = empty */
    uint32_t len, count;
} Slot;
static Slot table[TSIZE];
static char arena[1 << 18];
static uint32_t arena_used;
static uint32_t distinct;

static uint32_t fnv(const char *s, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static void count_stem(const char *s, int n)
{
    uint32_t i = fnv(s, n) & (TSIZE - 1);
    for (;;) {
        Slot *e = &table[i];
        if (e->off == 0) {
            e->off = arena_used;
            memcpy(arena + arena_used, s, (size_t)n);
            arena[arena_used + (uint32_t)n] = 0;
            arena_used += (uint32_t)n + 1;
            e->len = (uint32_t)n;
            e->count = 1;
            distinct++;
            return;
        }
        if (e->len == (uint32_t)n && memcmp(arena + e->off, s, (size_t)n) == 0) {
            e->count++;
            return;
        }
        i = (i + 1) & (TSIZE - 1);
    }
}

static int cmp_str(const void *a, const void *b2)
{
    return strcmp((const char *)a, *(const char *const *)b2);
}

static int cmp_slot(const void *pa, const void *pb)
{
    const Slot *a = pa, *c = pb;
    if (a->count != c->count)
        return a->count > c->count ? -1 : 1;
    return strcmp(arena + a->off, arena + c->off);
}

static Slot flat[TSIZE];

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 42);
    bench_rng rng = { 0x9047E125ULL };
    size_t pos = 0;
    int cap_next = 1, col = 0;
    while (pos < TEXTCAP - 64) {
        char word[48];
        uint32_t pick = rng_below(&rng, 100);
        if (pick < 30)
            snprintf(word, sizeof word, "%s", stops[rng_below(&rng, NSTOP)]);
        else if (pick < 32)
            snprintf(word, sizeof word, "%u", rng_below(&rng, 3000));
        else
            snprintf(word, sizeof word, "%s%s", roots[rng_below(&rng, NROOT)],
                suffixes[rng_below(&rng, NSUF)]);
        if (cap_next && word[0] >= 'a' && word[0] <= 'z')
            word[0] = (char)(word[0] - 'a' + 'A');
        if (rng_below(&rng, 40) == 0)
            for (char *q = word; *q; q++)
                if (*q >= 'a' && *q <= 'z')
                    *q = (char)(*q - 'a' + 'A');
        size_t wl = strlen(word);
        memcpy(text + pos, word, wl);
        pos += wl;
        col += (int)wl;
        uint32_t punct = rng_below(&rng, 30);
        cap_next = 0;
        if (punct == 0) {
            text[pos++] = '.';
            cap_next = 1;
        } else if (punct == 1)
            text[pos++] = ',';
        else if (punct == 2) {
            text[pos++] = '"';
        } else if (punct == 3) {
            text[pos++] = ';';
        }
        if (col > 70) {
            text[pos++] = '\n';
            col = 0;
        } else {
            text[pos++] = ' ';
            col++;
        }
    }
    text[pos] = 0;
    static const char DELIMS[] = " \n.,;:!?'\"()-0123456789";

    double start = bench_now();
    uint64_t h = 0;
    uint64_t words = 0, stopped = 0;
    char report[4096];
    for (int round = 0; round < scale; round++) {
        memset(table, 0, sizeof table);
        arena_used = 1;
        distinct = 0;
        /* each round starts at a different line so the stem counts differ */
        const char *p = text;
        for (int skip = round % 97; skip > 0; skip--) {
            const char *nl = strchr(p, '\n');
            if (!nl)
                break;
            p = nl + 1;
        }
        for (;;) {
            p += strspn(p, DELIMS);
            if (*p == 0)
                break;
            size_t n = strcspn(p, DELIMS);
            char w[40];
            int len = n < sizeof w - 1 ? (int)n : (int)sizeof w - 1;
            for (int i = 0; i < len; i++) {
                char c = p[i];
                w[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
            }
            w[len] = 0;
            p += n;
            words++;
            if (bsearch(w, stops, NSTOP, sizeof stops[0], cmp_str)) {
                stopped++;
                continue;
            }
            int sl = stem(w, len);
            count_stem(w, sl);
        }
        uint32_t nf = 0;
        for (uint32_t i = 0; i < TSIZE; i++)
            if (table[i].off)
                flat[nf++] = table[i];
        qsort(flat, nf, sizeof flat[0], cmp_slot);
        int rl = snprintf(report, sizeof report, "round %d: %u stems\n", round, nf);
        for (uint32_t i = 0; i < nf && i < 40 && rl < (int)sizeof report - 64; i++)
            rl += snprintf(report + rl, sizeof report - (size_t)rl, "%-16s %6u %5.2f%%\n",
                arena + flat[i].off, flat[i].count, (double)flat[i].count * 100.0 / (double)words);
        for (int i = 0; i < rl; i++)
            h = mix64(h, (uint8_t)report[i]);
        for (uint32_t i = 0; i < nf; i++)
            h = mix64(h, fnv(arena + flat[i].off, (int)flat[i].len) ^ flat[i].count);
    }
    bench_report(start);
    printf("porter_stem rounds=%d words=%llu stopwords=%llu stems=%u checksum=%016llx\n", scale,
        (unsigned long long)words, (unsigned long long)stopped, distinct, (unsigned long long)h);
    printf("sample: %s %s\n", arena + flat[0].off, arena + flat[1].off);
    return 0;
}
