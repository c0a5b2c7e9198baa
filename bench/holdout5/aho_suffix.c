/* aho_suffix — multi-pattern matching with Aho-Corasick plus a suffix automaton.
 *
 * Aho-Corasick: a dictionary of generated words is inserted into a trie with a dense 26-way goto
 * table, failure links are computed breadth-first (completing the goto function into a DFA) and
 * dictionary-suffix links chain the outputs; generated text with planted dictionary words is then
 * scanned and per-pattern hit counts are accumulated. Suffix automaton: built online over a DNA
 * string (array of structs with a 4-way next array, clone on split), then used for the number of
 * distinct substrings, occurrence counts by counting sort on length, the longest repeated
 * substring, and the longest common substring with a second, mutated string. */
#include "../programs/bench.h"

#define NPAT 3000
#define TEXTLEN (1 << 18)
#define DNALEN 60000

typedef struct {
    int32_t go[26];
    int32_t fail;
    int32_t out;    /* pattern ending here, or -1 */
    int32_t dict;   /* nearest proper suffix state with an output, or -1 */
} AcNode;

typedef struct {
    int32_t next[4];
    int32_t link;
    int32_t len;
    uint32_t cnt;
} SamNode;

static AcNode *ac;
static int32_t ac_n;

static int32_t ac_new(void)
{
    AcNode *n = &ac[ac_n];
    for (int c = 0; c < 26; c++)
        n->go[c] = -1;
    n->fail = 0;
    n->out = -1;
    n->dict = -1;
    return ac_n++;
}

static void ac_build(char pats[][16], int npat)
{
    ac_n = 0;
    ac_new();
    for (int p = 0; p < npat; p++) {
        int32_t s = 0;
        for (const char *c = pats[p]; *c; c++) {
            int k = *c - 'a';
            if (ac[s].go[k] < 0) {
                int32_t t = ac_new();
                ac[s].go[k] = t;
            }
            s = ac[s].go[k];
        }
        if (ac[s].out < 0)
            ac[s].out = p;
    }
    int32_t *queue = malloc(sizeof(int32_t) * (size_t)ac_n);
    int qh = 0, qt = 0;
    for (int c = 0; c < 26; c++) {
        int32_t t = ac[0].go[c];
        if (t < 0)
            ac[0].go[c] = 0;
        else {
            ac[t].fail = 0;
            queue[qt++] = t;
        }
    }
    while (qh < qt) {
        int32_t s = queue[qh++];
        int32_t f = ac[s].fail;
        ac[s].dict = ac[f].out >= 0 ? f : ac[f].dict;
        for (int c = 0; c < 26; c++) {
            int32_t t = ac[s].go[c];
            if (t < 0)
                ac[s].go[c] = ac[f].go[c];
            else {
                ac[t].fail = ac[f].go[c];
                queue[qt++] = t;
            }
        }
    }
    free(queue);
}

static uint64_t ac_scan(const char *text, uint32_t len, uint32_t *hits)
{
    uint64_t total = 0;
    int32_t s = 0;
    for (const unsigned char *p = (const unsigned char *)text, *e = p + len; p < e; p++) {
        if (*p < 'a' || *p > 'z') {
            s = 0;
            continue;
        }
        s = ac[s].go[*p - 'a'];
        for (int32_t t = ac[s].out >= 0 ? s : ac[s].dict; t >= 0; t = ac[t].dict) {
            hits[ac[t].out]++;
            total++;
        }
    }
    return total;
}

static SamNode *sam;
static int32_t sam_n, sam_last;

static void sam_init(void)
{
    sam_n = 1;
    sam_last = 0;
    sam[0].len = 0;
    sam[0].link = -1;
    sam[0].cnt = 0;
    for (int c = 0; c < 4; c++)
        sam[0].next[c] = -1;
}

static void sam_extend(int c)
{
    int32_t cur = sam_n++;
    sam[cur].len = sam[sam_last].len + 1;
    sam[cur].cnt = 1;
    for (int k = 0; k < 4; k++)
        sam[cur].next[k] = -1;
    int32_t p = sam_last;
    while (p >= 0 && sam[p].next[c] < 0) {
        sam[p].next[c] = cur;
        p = sam[p].link;
    }
    if (p < 0)
        sam[cur].link = 0;
    else {
        int32_t q = sam[p].next[c];
        if (sam[p].len + 1 == sam[q].len)
            sam[cur].link = q;
        else {
            int32_t cl = sam_n++;
            sam[cl] = sam[q];
            sam[cl].len = sam[p].len + 1;
            sam[cl].cnt = 0;
            while (p >= 0 && sam[p].next[c] == q) {
                sam[p].next[c] = cl;
                p = sam[p].link;
            }
            sam[q].link = cl;
            sam[cur].link = cl;
        }
    }
    sam_last = cur;
}

static int dna_code(char c)
{
    switch (c) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    default: return 3;
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 94);
    bench_rng rng = { 0x61686f636f726173ULL };

    /* skewed letter distribution so patterns share prefixes and occur in text */
    static const char freq[] = "eeeeeeetttttaaaaooooiiiinnnnsssshhhrrrdddllcuumwfgypbvkjxqz";
    const int nfreq = (int)sizeof freq - 1;
    static char pats[NPAT][16];
    for (int p = 0; p < NPAT; p++) {
        int len = 2 + (int)rng_below(&rng, 9);
        for (int i = 0; i < len; i++)
            pats[p][i] = freq[rng_below(&rng, (uint32_t)nfreq)];
        pats[p][len] = 0;
    }
    /* pools of text and DNA; each round scans a different window of them */
    const uint32_t TPOOL = 3 * TEXTLEN, DPOOL = 3 * DNALEN;
    char *tpool = malloc(TPOOL + 1);
    for (uint32_t i = 0; i < TPOOL;) {
        uint32_t r = rng_below(&rng, 10);
        if (r < 3) {
            const char *w = pats[rng_below(&rng, NPAT)];
            size_t n = strlen(w);
            if (i + n > TPOOL)
                n = TPOOL - i;
            memcpy(tpool + i, w, n);
            i += (uint32_t)n;
        } else if (r < 9)
            tpool[i++] = freq[rng_below(&rng, (uint32_t)nfreq)];
        else
            tpool[i++] = ' ';
    }
    tpool[TPOOL] = 0;
    /* DNA with repeats: copies of earlier segments with point mutations */
    char *dpool = malloc(DPOOL + 1), *dpool2 = malloc(DPOOL + 1);
    for (uint32_t k = 0; k < DPOOL;) {
        if (k > 1000 && rng_below(&rng, 4) == 0) {
            uint32_t len = 20 + rng_below(&rng, 200), from = rng_below(&rng, k - 500);
            for (uint32_t m = 0; m < len && k < DPOOL; m++)
                dpool[k++] = rng_below(&rng, 50) == 0 ? "ACGT"[rng_below(&rng, 4)] : dpool[from + m];
        } else
            dpool[k++] = "ACGT"[rng_below(&rng, 4)];
    }
    for (uint32_t k = 0; k < DPOOL; k++)
        dpool2[k] = rng_below(&rng, 30) == 0 ? "ACGT"[rng_below(&rng, 4)] : dpool[(k + DNALEN / 3) % DPOOL];
    dpool[DPOOL] = dpool2[DPOOL] = 0;
    ac = malloc(sizeof(AcNode) * (NPAT * 12 + 1));
    sam = malloc(sizeof(SamNode) * (2 * DNALEN + 2));
    int32_t *bucket = malloc(sizeof(int32_t) * (DNALEN + 2));
    int32_t *order = malloc(sizeof(int32_t) * (2 * DNALEN + 2));
    uint32_t *hits = calloc(NPAT, sizeof(uint32_t));
    bench_rng tr = { 0x6d75746174696f6eULL };

    double start = bench_now();
    uint64_t h = 0, total_hits = 0, distinct_total = 0;
    int32_t lrs_total = 0, lcs_total = 0;
    for (int round = 0; round < scale; round++) {
        /* the dictionary changes a little each round */
        for (int k = 0; k < 40; k++) {
            int p = (int)rng_below(&tr, NPAT);
            int len = 2 + (int)rng_below(&tr, 9);
            for (int i = 0; i < len; i++)
                pats[p][i] = freq[rng_below(&tr, (uint32_t)nfreq)];
            pats[p][len] = 0;
        }
        ac_build(pats, NPAT);
        const char *text = tpool + (uint32_t)round * 100003u % (TPOOL - TEXTLEN);
        memset(hits, 0, NPAT * sizeof(uint32_t));
        uint64_t t = ac_scan(text, TEXTLEN, hits);
        total_hits += t;
        for (int p = 0; p < NPAT; p += 7)
            h = mix64(h, hits[p]);
        h = mix64(h, (uint64_t)ac_n << 32 | (uint32_t)t);

        uint32_t doff = (uint32_t)round * 7919u % (DPOOL - DNALEN);
        const char *dna = dpool + doff, *dna2 = dpool2 + doff;

        sam_init();
        for (const char *c = dna; c < dna + DNALEN; c++)
            sam_extend(dna_code(*c));
        uint64_t distinct = 0;
        for (int32_t v = 1; v < sam_n; v++)
            distinct += (uint64_t)(sam[v].len - sam[sam[v].link].len);
        distinct_total += distinct;
        /* occurrence counts: process states by decreasing len */
        memset(bucket, 0, sizeof(int32_t) * (DNALEN + 2));
        for (int32_t v = 0; v < sam_n; v++)
            bucket[sam[v].len]++;
        for (int32_t l = 1; l <= DNALEN; l++)
            bucket[l] += bucket[l - 1];
        for (int32_t v = sam_n - 1; v >= 0; v--)
            order[--bucket[sam[v].len]] = v;
        int32_t lrs = 0;
        uint64_t occ_hash = 0;
        for (int32_t k = sam_n - 1; k > 0; k--) {
            int32_t v = order[k];
            sam[sam[v].link].cnt += sam[v].cnt;
            if (sam[v].cnt >= 2 && sam[v].len > lrs)
                lrs = sam[v].len;
        }
        for (int32_t k = 0; k < sam_n; k += 97)
            occ_hash = mix64(occ_hash, (uint64_t)sam[order[k]].cnt << 20 | (uint32_t)sam[order[k]].len);
        /* longest common substring with dna2 */
        int32_t v = 0, l = 0, best = 0, best_end = 0;
        for (int32_t k = 0; k < DNALEN; k++) {
            int c = dna_code(dna2[k]);
            while (v != 0 && sam[v].next[c] < 0) {
                v = sam[v].link;
                l = sam[v].len;
            }
            if (sam[v].next[c] >= 0) {
                v = sam[v].next[c];
                l++;
            }
            if (l > best) {
                best = l;
                best_end = k;
            }
        }
        lrs_total += lrs;
        lcs_total += best;
        h = mix64(h, distinct);
        h = mix64(h, occ_hash);
        h = mix64(h, (uint64_t)lrs << 40 | (uint64_t)best << 20 | (uint32_t)best_end);
    }
    bench_report(start);
    printf("aho_suffix rounds=%d hits=%llu distinct=%llu lrs=%d lcs=%d checksum=%016llx\n", scale,
           (unsigned long long)total_hits, (unsigned long long)distinct_total, lrs_total, lcs_total,
           (unsigned long long)h);
    free(tpool);
    free(dpool);
    free(dpool2);
    free(ac);
    free(sam);
    free(bucket);
    free(order);
    free(hits);
    return 0;
}
