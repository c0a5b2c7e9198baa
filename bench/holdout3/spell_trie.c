/* spell_trie — spelling corrector: a malloc'ed first-child/next-sibling trie over a generated
 * dictionary, searched with a row-by-row Levenshtein DP that prunes subtrees beyond edit distance 2.
 * bench-cflags: -Os
 *
 * Queries are dictionary words with random insertions, deletions, substitutions and transpositions,
 * plus some noise words; each gets the closest word (ties: higher frequency, then earlier word). */
#include "../programs/bench.h"

#define NWORDS 24000
#define NQUERIES 1500
#define MAXW 32
#define MAXDIST 2

typedef struct tnode {
    struct tnode *child, *sibling;
    int word;      /* word id ending here, or -1 */
    char ch;
} tnode;

typedef struct {
    const char *query;
    int qlen;
    int best_dist, best_word;
    unsigned best_freq;
    const unsigned *freq;
    unsigned long long visited;
} search_state;

static tnode *new_node(char ch)
{
    tnode *n = malloc(sizeof *n);
    if (!n) exit(1);
    n->child = n->sibling = NULL;
    n->word = -1;
    n->ch = ch;
    return n;
}

/* Returns the word id already stored for this spelling, or id if newly inserted. */
static int trie_insert(tnode *root, const char *w, int id)
{
    tnode *cur = root;
    for (; *w; w++) {
        tnode **link = &cur->child;
        while (*link && (*link)->ch < *w) link = &(*link)->sibling;
        if (!*link || (*link)->ch != *w) {
            tnode *n = new_node(*w);
            n->sibling = *link;
            *link = n;
        }
        cur = *link;
    }
    if (cur->word < 0) cur->word = id;
    return cur->word;
}

static void trie_free(tnode *n)
{
    while (n) {
        tnode *next = n->sibling;
        trie_free(n->child);
        free(n);
        n = next;
    }
}

static void search(search_state *s, const tnode *node, const int *prev, int depth)
{
    int row[MAXW + 2];
    int n = s->qlen;
    for (const tnode *c = node->child; c; c = c->sibling) {
        s->visited++;
        row[0] = prev[0] + 1;
        int rmin = row[0];
        for (int j = 1; j <= n; j++) {
            int cost = s->query[j - 1] == c->ch ? 0 : 1;
            int v = prev[j - 1] + cost;
            if (prev[j] + 1 < v) v = prev[j] + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            if (v < rmin) rmin = v;
        }
        if (c->word >= 0 && row[n] <= MAXDIST) {
            int d = row[n];
            unsigned f = s->freq[c->word];
            if (d < s->best_dist || (d == s->best_dist && (f > s->best_freq ||
                                                           (f == s->best_freq && c->word < s->best_word)))) {
                s->best_dist = d;
                s->best_word = c->word;
                s->best_freq = f;
            }
        }
        if (rmin <= MAXDIST && depth + 1 < MAXW) search(s, c, row, depth + 1);
    }
}

static const char *parts[] = { "st", "ar", "en", "qu", "ol", "ing", "th", "e", "a", "o", "i", "u", "ck",
                               "br", "pl", "ion", "er", "s", "m", "n", "t", "r", "ly", "ph", "ow" };

static int make_word(bench_rng *r, char *buf)
{
    int n = 0;
    int np = 2 + (int)rng_below(r, 4);
    for (int p = 0; p < np; p++) {
        const char *s = parts[rng_below(r, 25)];
        while (*s && n < MAXW - 6) buf[n++] = *s++;
    }
    buf[n] = 0;
    return n;
}

static int misspell(bench_rng *r, const char *w, char *out)
{
    int n = (int)strlen(w);
    memcpy(out, w, (size_t)n + 1);
    int edits = 1 + (int)rng_below(r, 2);
    for (int e = 0; e < edits; e++) {
        int kind = (int)rng_below(r, 4);
        if (n <= 1) kind = 2;
        int pos = (int)rng_below(r, (uint32_t)n);
        char c = (char)('a' + rng_below(r, 26));
        if (kind == 0) { out[pos] = c; }
        else if (kind == 1) { memmove(out + pos, out + pos + 1, (size_t)(n - pos)); n--; }
        else if (kind == 2 && n < MAXW - 1) { memmove(out + pos + 1, out + pos, (size_t)(n - pos + 1)); out[pos] = c; n++; }
        else if (pos + 1 < n) { char t = out[pos]; out[pos] = out[pos + 1]; out[pos + 1] = t; }
    }
    return n;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 8);
    bench_rng rng = { 0x7370656c6cULL };
    char (*words)[MAXW] = malloc(sizeof(*words) * NWORDS);
    char (*queries)[MAXW] = malloc(sizeof(*queries) * NQUERIES * 4);
    unsigned *freq = malloc(sizeof(unsigned) * NWORDS);
    if (!words || !queries || !freq) return 1;
    for (int i = 0; i < NWORDS; i++) {
        make_word(&rng, words[i]);
        /* Zipf-like frequency: rank based, with noise */
        freq[i] = 1000000u / (unsigned)(i + 1) + rng_below(&rng, 50);
    }
    for (int q = 0; q < NQUERIES * 4; q++) {
        if (q % 9 == 8) make_word(&rng, queries[q]);
        else misspell(&rng, words[rng_below(&rng, NWORDS)], queries[q]);
    }

    double start = bench_now();
    uint64_t h = 0;
    long long found = 0, visited = 0;
    for (int round = 0; round < scale; round++) {
        /* Build the trie from a rotating three-quarters of the dictionary, then correct a query batch. */
        tnode *root = new_node(0);
        int inserted = 0;
        for (int i = 0; i < NWORDS; i++) {
            if ((i + round) % 4 == 0) continue;
            trie_insert(root, words[i], i);
            inserted++;
        }
        h = mix64(h, (uint64_t)inserted);
        int qbase = (round % 4) * NQUERIES;
        int first_row[MAXW + 2];
        for (int q = 0; q < NQUERIES; q++) {
            search_state s;
            s.query = queries[qbase + q];
            s.qlen = (int)strlen(s.query);
            s.best_dist = MAXDIST + 1;
            s.best_word = -1;
            s.best_freq = 0;
            s.freq = freq;
            s.visited = 0;
            for (int j = 0; j <= s.qlen; j++) first_row[j] = j;
            search(&s, root, first_row, 0);
            visited += (long long)s.visited;
            if (s.best_word >= 0) found++;
            h = mix64(h, (uint64_t)(s.best_word + 1) * 4u + (uint64_t)s.best_dist);
        }
        trie_free(root);
    }
    bench_report(start);
    printf("spell_trie rounds=%d found=%lld visited=%lld checksum=%016llx\n", scale, found, visited,
           (unsigned long long)h);
    free(words); free(queries); free(freq);
    return 0;
}
