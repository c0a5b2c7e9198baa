/* dna_align — read alignment against a generated genome: Smith-Waterman local alignment with affine
 * gaps (Gotoh, score only) over candidate windows, then a semi-global edit-distance alignment with
 * a traceback matrix that yields a CIGAR string for the best window.
 *
 * A random reference and a set of reads (sampled from it with substitutions, insertions and
 * deletions) are generated before the timer starts, each read with its true window and a few
 * decoy windows. Each round takes the next batch of reads, scores each against its candidates
 * under one of several scoring schemes, picks the best window and produces its alignment. */
#include "../programs/bench.h"

#define GENOME_LEN 300000
#define NREADS 500
#define READ_LEN 150
#define WIN_PAD 40
#define WIN_LEN (READ_LEN + 2 * WIN_PAD)
#define NCAND 4
#define BATCH 100 /* reads aligned per round */
#define NEG_INF (-1000000)

typedef struct {
    char seq[READ_LEN + 32];
    int len;
    int cand[NCAND]; /* window start positions in the genome; cand[0] is not necessarily the true one */
} read_t;

typedef struct {
    int match, mismatch, gap_open, gap_extend;
} scoring;

typedef struct {
    int score, qend, tend;
} sw_hit;

static inline int base_index(char c)
{
    switch (c) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    default: return 3;
    }
}

/* Gotoh local alignment, linear memory. */
static sw_hit smith_waterman(const char *q, int qn, const uint8_t *t, int tn, const scoring *sc, int *H, int *E)
{
    sw_hit best = { 0, -1, -1 };
    int sub[4][4];
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            sub[a][b] = a == b ? sc->match : ((a ^ b) == 2 ? -(sc->mismatch / 2) : -sc->mismatch); /* A<->G, C<->T cheaper */
    int qi[READ_LEN + 32];
    for (int i = 0; i < qn; i++) qi[i] = base_index(q[i]);
    for (int j = 0; j <= tn; j++) { H[j] = 0; E[j] = NEG_INF; }
    for (int i = 1; i <= qn; i++) {
        int diag = 0, F = NEG_INF, hleft = 0;
        const int *srow = sub[qi[i - 1]];
        for (int j = 1; j <= tn; j++) {
            int hup = H[j];
            int e = E[j] - sc->gap_extend;
            int eo = hup - sc->gap_open;
            if (eo > e) e = eo;
            E[j] = e;
            int f = F - sc->gap_extend;
            int fo = hleft - sc->gap_open;
            if (fo > f) f = fo;
            F = f;
            int h = diag + srow[t[j - 1]];
            if (e > h) h = e;
            if (f > h) h = f;
            if (h < 0) h = 0;
            diag = hup;
            H[j] = h;
            hleft = h;
            if (h > best.score) { best.score = h; best.qend = i; best.tend = j; }
        }
    }
    return best;
}

enum { TB_DIAG = 0, TB_UP = 1, TB_LEFT = 2 };

/* Semi-global edit distance: the whole query against any substring of the target. Produces a
 * CIGAR-like string (run-length M/I/D) and returns the distance. */
static int align_cigar(const char *q, int qn, const char *t, int tn, uint8_t *tb, int *prev, int *cur, char *cigar,
                       int *tstart)
{
    for (int j = 0; j <= tn; j++) prev[j] = 0;
    for (int i = 1; i <= qn; i++) {
        cur[0] = i;
        uint8_t *row = tb + (size_t)i * (tn + 1);
        row[0] = TB_UP;
        char qc = q[i - 1];
        for (int j = 1; j <= tn; j++) {
            int d = prev[j - 1] + (qc != t[j - 1]);
            int u = prev[j] + 1;
            int l = cur[j - 1] + 1;
            int v = d;
            uint8_t dir = TB_DIAG;
            if (u < v) { v = u; dir = TB_UP; }
            if (l < v) { v = l; dir = TB_LEFT; }
            cur[j] = v;
            row[j] = dir;
        }
        int *tmp = prev; prev = cur; cur = tmp;
    }
    int bestj = 0;
    for (int j = 1; j <= tn; j++)
        if (prev[j] < prev[bestj]) bestj = j;
    int dist = prev[bestj];

    /* Walk back, collecting operations in reverse. */
    char ops[2 * (READ_LEN + 32) + WIN_LEN];
    int nops = 0, i = qn, j = bestj;
    while (i > 0) {
        uint8_t dir = tb[(size_t)i * (tn + 1) + j];
        if (dir == TB_DIAG && j > 0) { ops[nops++] = 'M'; i--; j--; }
        else if (dir == TB_LEFT && j > 0) { ops[nops++] = 'D'; j--; }
        else { ops[nops++] = 'I'; i--; }
    }
    *tstart = j;
    int len = 0;
    for (int k = nops - 1; k >= 0;) {
        char op = ops[k];
        int run = 0;
        while (k >= 0 && ops[k] == op) { run++; k--; }
        len += snprintf(cigar + len, 16, "%d%c", run, op);
    }
    cigar[len] = '\0';
    return dist;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 10);
    bench_rng rng = { 0xD1A6A11C0FFEE123ULL };
    static const char acgt[4] = { 'A', 'C', 'G', 'T' };
    char *genome = malloc(GENOME_LEN + 1);
    read_t *reads = malloc(NREADS * sizeof *reads);
    if (!genome || !reads) return 1;
    /* GC-biased genome with some short tandem repeats. */
    for (int i = 0; i < GENOME_LEN;) {
        if (rng_below(&rng, 50) == 0 && i + 40 < GENOME_LEN) {
            int unit = 2 + (int)rng_below(&rng, 4), reps = 4 + (int)rng_below(&rng, 6);
            char u[8];
            for (int k = 0; k < unit; k++) u[k] = acgt[rng_below(&rng, 4)];
            for (int r = 0; r < reps && i < GENOME_LEN; r++)
                for (int k = 0; k < unit && i < GENOME_LEN; k++) genome[i++] = u[k];
        } else {
            uint32_t x = rng_below(&rng, 100);
            genome[i++] = x < 20 ? 'A' : x < 50 ? 'C' : x < 80 ? 'G' : 'T';
        }
    }
    genome[GENOME_LEN] = '\0';
    uint8_t *gcode = malloc(GENOME_LEN);
    if (!gcode) return 1;
    for (int i = 0; i < GENOME_LEN; i++) gcode[i] = (uint8_t)base_index(genome[i]);
    for (int r = 0; r < NREADS; r++) {
        read_t *rd = &reads[r];
        int pos = WIN_PAD + (int)rng_below(&rng, GENOME_LEN - WIN_LEN - 2 * WIN_PAD);
        int len = 0, g = pos;
        while (len < READ_LEN) {
            uint32_t e = rng_below(&rng, 1000);
            if (e < 30) {                /* substitution */
                rd->seq[len++] = acgt[rng_below(&rng, 4)];
                g++;
            } else if (e < 36) {         /* insertion */
                rd->seq[len++] = acgt[rng_below(&rng, 4)];
            } else if (e < 42) {         /* deletion */
                g++;
            } else {
                rd->seq[len++] = g < GENOME_LEN ? genome[g] : 'A';
                g++;
            }
        }
        rd->len = len;
        int truec = (int)rng_below(&rng, NCAND);
        for (int c = 0; c < NCAND; c++) {
            int shift = (int)rng_below(&rng, WIN_PAD + 1) - WIN_PAD / 2;
            rd->cand[c] = c == truec ? pos - WIN_PAD + shift : (int)rng_below(&rng, GENOME_LEN - WIN_LEN);
            if (rd->cand[c] < 0) rd->cand[c] = 0;
        }
    }
    static const scoring schemes[3] = { { 2, 3, 5, 1 }, { 1, 2, 4, 1 }, { 3, 4, 7, 2 } };
    int *H = malloc((WIN_LEN + 1) * sizeof(int)), *E = malloc((WIN_LEN + 1) * sizeof(int));
    int *prev = malloc((WIN_LEN + 1) * sizeof(int)), *cur = malloc((WIN_LEN + 1) * sizeof(int));
    uint8_t *tb = malloc((size_t)(READ_LEN + 1) * (WIN_LEN + 1));
    char cigar[4 * (READ_LEN + 32) + 64];
    if (!H || !E || !prev || !cur || !tb) return 1;

    double start = bench_now();
    uint64_t h = 0;
    long total_dist = 0, total_score = 0;
    for (int round = 0; round < scale; round++) {
        const scoring *sc = &schemes[round % 3];
        for (int k = 0; k < BATCH; k++) {
            const read_t *rd = &reads[(round * BATCH + k) % NREADS];
            int bestc = 0;
            sw_hit best = { -1, 0, 0 };
            for (int c = 0; c < NCAND; c++) {
                sw_hit hit = smith_waterman(rd->seq, rd->len, gcode + rd->cand[c], WIN_LEN, sc, H, E);
                if (hit.score > best.score) { best = hit; bestc = c; }
            }
            int tstart;
            int dist = align_cigar(rd->seq, rd->len, genome + rd->cand[bestc], WIN_LEN, tb, prev, cur, cigar, &tstart);
            total_dist += dist;
            total_score += best.score;
            h = mix64(h, (uint64_t)best.score << 32 | (uint64_t)(best.qend * 1024 + best.tend));
            h = mix64(h, (uint64_t)(dist * 65536 + tstart + rd->cand[bestc]));
            for (const char *p = cigar; *p; p++) h = mix64(h, (uint8_t)*p);
        }
    }
    bench_report(start);
    printf("dna_align reads=%d rounds=%d total_score=%ld total_dist=%ld last_cigar=%s checksum=%016llx\n", scale * BATCH,
           scale, total_score, total_dist, cigar, (unsigned long long)h);
    free(genome); free(gcode); free(reads); free(H); free(E); free(prev); free(cur); free(tb);
    return 0;
}
