/* wordfreq — string processing with libc routines: generates text of words built from a syllable
 * table (with capitals, numbers and punctuation) into a big buffer, splits it into lines with
 * strchr and into words with strtok, classifies tokens with strspn, lower-cases them with tolower,
 * counts them in a chained hash table keyed by strdup'ed strings compared with strcmp, sorts the
 * entries with qsort (count descending, then strcmp) and writes a report with
 * snprintf/strcat/memcpy whose bytes are checksummed. The style is ordinary libc-heavy C text
 * handling: short strings, many small calls into the C library, small mallocs. */
#include "bench.h"
#include <ctype.h>

#define TEXT_SIZE (1 << 20)
#define NBUCKETS 4096
#define REPORT_LINES 400

static char text[TEXT_SIZE + 64];
static char report[REPORT_LINES * 64 + 256];

typedef struct word { struct word *next; char *key; uint32_t count; } word;
static word *buckets[NBUCKETS];
static word *all_words[1 << 16];
static uint32_t nwords;

static const char *syllables[] = {
    "ka", "lo", "mi", "ren", "to", "sha", "vi", "ne", "dor", "ul", "be", "qua",
    "zi", "an", "ho", "pe", "ri", "sto", "gu", "el", "tha", "mo", "in", "ex",
};
#define NSYL (sizeof syllables / sizeof syllables[0])

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s) { h ^= (uint8_t)*s++; h *= 16777619u; }
    return h;
}

/* Fills text[] with words separated by spaces and punctuation, in lines. */
static size_t generate(bench_rng *rng)
{
    size_t pos = 0;
    char w[64];
    while (pos < TEXT_SIZE - 48) {
        uint32_t pick = rng_below(rng, 100);
        if (pick < 6) {
            snprintf(w, sizeof w, "%u", rng_below(rng, 2000));
        } else {
            /* Skewed: short words from the first syllables are far more common. */
            uint32_t nsyl = 1 + rng_below(rng, 3);
            w[0] = '\0';
            for (uint32_t k = 0; k < nsyl; k++) {
                uint32_t s = rng_below(rng, NSYL);
                if (rng_below(rng, 4) != 0) s = s % 6;
                strcat(w, syllables[s]);
            }
            if (rng_below(rng, 10) == 0)
                w[0] = (char)toupper((unsigned char)w[0]);
            else if (rng_below(rng, 50) == 0)
                for (char *c = w; *c; c++) *c = (char)toupper((unsigned char)*c);
        }
        size_t len = strlen(w);
        memcpy(text + pos, w, len);
        pos += len;
        uint32_t sep = rng_below(rng, 40);
        if (sep == 0) text[pos++] = '\n';
        else if (sep < 3) { text[pos++] = ','; text[pos++] = ' '; }
        else if (sep < 5) { text[pos++] = '.'; text[pos++] = ' '; }
        else if (sep == 5) { text[pos++] = ';'; text[pos++] = ' '; }
        else if (sep == 6) { text[pos++] = ' '; text[pos++] = '-'; text[pos++] = ' '; }
        else text[pos++] = ' ';
    }
    text[pos] = '\0';
    return pos;
}

static void count_word(const char *w)
{
    uint32_t h = hash_str(w) & (NBUCKETS - 1);
    for (word *e = buckets[h]; e; e = e->next) {
        if (strcmp(e->key, w) == 0) {
            e->count++;
            return;
        }
    }
    word *e = malloc(sizeof *e);
    e->key = strdup(w);
    e->count = 1;
    e->next = buckets[h];
    buckets[h] = e;
    all_words[nwords++] = e;
}

static int by_count(const void *a, const void *b)
{
    const word *x = *(const word *const *)a, *y = *(const word *const *)b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Tokenises text[] in place; returns the number of tokens and counts numbers separately. */
static uint32_t tokenise(uint32_t *numbers)
{
    uint32_t tokens = 0;
    char lower[64];
    char *line = text;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        for (char *tok = strtok(line, " ,.;-"); tok; tok = strtok(NULL, " ,.;-")) {
            size_t len = strlen(tok);
            if (strspn(tok, "0123456789") == len) {
                (*numbers)++;
                continue;
            }
            if (len >= sizeof lower) len = sizeof lower - 1;
            for (size_t i = 0; i < len; i++)
                lower[i] = (char)tolower((unsigned char)tok[i]);
            lower[len] = '\0';
            count_word(lower);
            tokens++;
        }
        line = nl ? nl + 1 : NULL;
    }
    return tokens;
}

static size_t build_report(uint32_t tokens, uint32_t numbers)
{
    size_t len = (size_t)snprintf(report, sizeof report, "words=%u numbers=%u distinct=%u\n",
                                  tokens, numbers, nwords);
    uint32_t lines = nwords < REPORT_LINES ? nwords : REPORT_LINES;
    char line[96], num[24];
    for (uint32_t i = 0; i < lines; i++) {
        const word *e = all_words[i];
        snprintf(line, sizeof line, "%4u. ", i + 1);
        strcat(line, e->key);
        snprintf(num, sizeof num, " %u", e->count);
        strcat(line, num);
        strcat(line, "\n");
        size_t l = strlen(line);
        memcpy(report + len, line, l);
        len += l;
    }
    report[len] = '\0';
    return len;
}

static void clear_table(void)
{
    for (uint32_t i = 0; i < nwords; i++) {
        free(all_words[i]->key);
        free(all_words[i]);
    }
    memset(buckets, 0, sizeof buckets);
    nwords = 0;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 36);
    bench_rng rng = { 0x9E3779B97F4A7C15ULL };
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    uint32_t tokens = 0, distinct = 0;
    size_t report_len = 0;
    for (int r = 0; r < scale; r++) {
        generate(&rng);
        uint32_t numbers = 0;
        tokens = tokenise(&numbers);
        qsort(all_words, nwords, sizeof all_words[0], by_count);
        report_len = build_report(tokens, numbers);
        for (size_t i = 0; i < report_len; i++)
            h = mix64(h, (uint8_t)report[i]);
        distinct = nwords;
        clear_table();
    }
    bench_report(start);
    printf("wordfreq text=%d reps=%d words=%u distinct=%u report=%zu checksum=%016llx\n", TEXT_SIZE, scale,
           tokens, distinct, report_len, (unsigned long long)h);
    return 0;
}
