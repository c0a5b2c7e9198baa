/* dfa_minimize.c — deterministic finite automaton minimisation and equivalence.
 *
 * Random "core" automata (a few thousand states, 2-6 letters) are blown up into larger
 * equivalent automata by giving every state several copies whose transitions pick random copies
 * of the successors, plus unreachable junk states. Minimisation removes unreachable states by a
 * breadth-first search and then refines the accepting/rejecting partition with Hopcroft's
 * algorithm: an array-based partition (states grouped by block, per-state positions, marked
 * prefixes), inverse transitions per letter in compressed rows, and a worklist of (block,
 * letter) splitters where the smaller half of each split is added. The result is renumbered
 * canonically by a breadth-first search from the start state. Checks: Moore's algorithm
 * (repeated signature refinement through an open-addressing hash table of signatures) must give
 * the same partition; the minimal automata of a blown-up automaton and of its core must be
 * identical after canonical numbering; Hopcroft and Karp's union-find equivalence test must
 * accept the blown-up automaton against its minimal form and reject the minimal form with one
 * accepting flag flipped; the reachable product automaton of the two (built through a hash table
 * of state pairs) accepting their symmetric difference must minimise to one rejecting state; and
 * random words are run through both automata.
 */
#include "../programs/bench.h"

typedef struct {
    int n, k, start;
    int *delta; /* delta[q * k + a] */
    uint8_t *acc;
} Dfa;

static unsigned failures;

#include "dfa_minimize/minimize.h"

static int uf_find(int *parent, int x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Hopcroft-Karp equivalence test with union-find over the disjoint union of states. */
static int equivalent(const Dfa *a, const Dfa *b)
{
    int n = a->n + b->n, k = a->k, ok = 1;
    int *parent = malloc(sizeof(int) * (size_t)n), *stack = malloc(sizeof(int) * 2 * (size_t)n), sp = 0;
    for (int i = 0; i < n; i++)
        parent[i] = i;
    parent[a->start] = a->n + b->start;
    stack[sp++] = a->start;
    stack[sp++] = b->start;
    while (sp > 0 && ok) {
        int q = stack[--sp], p = stack[--sp];
        if (a->acc[p] != b->acc[q]) {
            ok = 0;
            break;
        }
        for (int c = 0; c < k; c++) {
            int p2 = a->delta[p * k + c], q2 = b->delta[q * k + c];
            int r1 = uf_find(parent, p2), r2 = uf_find(parent, a->n + q2);
            if (r1 != r2) {
                parent[r1] = r2;
                stack[sp++] = p2;
                stack[sp++] = q2;
            }
        }
    }
    free(parent);
    free(stack);
    return ok;
}

/* Reachable product accepting the symmetric difference, pairs numbered through a hash table. */
static void product_xor(const Dfa *a, const Dfa *b, Dfa *out)
{
    int cap = 1 << 12, n = 0, k = a->k, lim = cap / 2;
    int64_t *keys = malloc(sizeof(int64_t) * (size_t)cap);
    int *ids = malloc(sizeof(int) * (size_t)cap);
    int64_t *pairs = malloc(sizeof(int64_t) * (size_t)lim);
    int *delta = malloc(sizeof(int) * (size_t)lim * (size_t)k);
    for (int i = 0; i < cap; i++) keys[i] = -1;
#define LOOKUP(key, result)                                                                    \
    do {                                                                                       \
        uint64_t hh = (uint64_t)(key) * 0x9E3779B97F4A7C15ULL;                                 \
        uint32_t sl = (uint32_t)(hh >> 40) & (uint32_t)(cap - 1);                              \
        while (keys[sl] >= 0 && keys[sl] != (key)) sl = (sl + 1) & (uint32_t)(cap - 1);        \
        if (keys[sl] < 0) { keys[sl] = (key); ids[sl] = n; pairs[n++] = (key); }              \
        result = ids[sl];                                                                      \
    } while (0)
    int dummy;
    LOOKUP((int64_t)a->start * b->n + b->start, dummy);
    (void)dummy;
    for (int i = 0; i < n; i++) {
        if (n + k >= lim) { /* grow: rehash everything */
            int ocap = cap;
            int64_t *okeys = keys;
            int *oids = ids;
            cap *= 2;
            lim = cap / 2;
            keys = malloc(sizeof(int64_t) * (size_t)cap);
            ids = malloc(sizeof(int) * (size_t)cap);
            for (int j = 0; j < cap; j++) keys[j] = -1;
            for (int j = 0; j < ocap; j++)
                if (okeys[j] >= 0) {
                    uint64_t hh = (uint64_t)okeys[j] * 0x9E3779B97F4A7C15ULL;
                    uint32_t sl = (uint32_t)(hh >> 40) & (uint32_t)(cap - 1);
                    while (keys[sl] >= 0) sl = (sl + 1) & (uint32_t)(cap - 1);
                    keys[sl] = okeys[j];
                    ids[sl] = oids[j];
                }
            free(okeys);
            free(oids);
            pairs = realloc(pairs, sizeof(int64_t) * (size_t)lim);
            delta = realloc(delta, sizeof(int) * (size_t)lim * (size_t)k);
        }
        int p = (int)(pairs[i] / b->n), q = (int)(pairs[i] % b->n);
        for (int c = 0; c < k; c++) {
            int64_t key = (int64_t)a->delta[p * k + c] * b->n + b->delta[q * k + c];
            int id;
            LOOKUP(key, id);
            delta[i * k + c] = id;
        }
    }
#undef LOOKUP
    dfa_alloc(out, n, k);
    memcpy(out->delta, delta, sizeof(int) * (size_t)n * (size_t)k);
    for (int i = 0; i < n; i++)
        out->acc[i] = a->acc[pairs[i] / b->n] ^ b->acc[pairs[i] % b->n];
    free(keys); free(ids); free(pairs); free(delta);
}

static void random_core(Dfa *d, int n, int k, bench_rng *r)
{
    dfa_alloc(d, n, k);
    for (int q = 0; q < n; q++) {
        d->acc[q] = (uint8_t)(rng_below(r, 8) < 3);
        for (int a = 0; a < k; a++) /* mostly local moves give longer distinguishing words */
            d->delta[q * k + a] = rng_below(r, 4) ? (q + 1 + (int)rng_below(r, 5)) % n : (int)rng_below(r, (uint32_t)n);
    }
}

static void blow_up(const Dfa *core, int copies, int junk, Dfa *d, bench_rng *r)
{
    int n = core->n * copies + junk, k = core->k;
    dfa_alloc(d, n, k);
    /* copy j of core state i is state j * core->n + i; junk states follow */
    for (int i = 0; i < core->n; i++)
        for (int j = 0; j < copies; j++) {
            int s = j * core->n + i;
            d->acc[s] = core->acc[i];
            for (int a = 0; a < k; a++)
                d->delta[s * k + a] = (int)rng_below(r, (uint32_t)copies) * core->n + core->delta[i * k + a];
        }
    for (int s = core->n * copies; s < n; s++) {
        d->acc[s] = (uint8_t)rng_below(r, 2);
        for (int a = 0; a < k; a++)
            d->delta[s * k + a] = (int)rng_below(r, (uint32_t)n);
    }
    d->start = (int)rng_below(r, (uint32_t)copies) * core->n + core->start;
}

static int run(const Dfa *d, const uint8_t *w, int len)
{
    int q = d->start;
    for (int i = 0; i < len; i++)
        q = d->delta[q * d->k + w[i]];
    return d->acc[q];
}

static int identical(const Dfa *a, const Dfa *b)
{
    return a->n == b->n && a->start == b->start && memcmp(a->acc, b->acc, (size_t)a->n) == 0
        && memcmp(a->delta, b->delta, sizeof(int) * (size_t)a->n * (size_t)a->k) == 0;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 125);
    bench_rng rng = { 0xDFA0DFA0DFA01234ULL };
    uint64_t h = 0;
    unsigned total_states = 0;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        int k = 2 + (int)rng_below(&rng, 5), m = 1500 + (int)rng_below(&rng, 3000);
        int copies = 2 + (int)rng_below(&rng, 3);
        Dfa core, big, mc, mb;
        random_core(&core, m, k, &rng);
        blow_up(&core, copies, m / 4, &big, &rng);
        minimize(&big, &mb, 1);
        minimize(&core, &mc, 1);
        if (!identical(&mb, &mc)) failures++;
        if (!equivalent(&big, &mb)) failures++;
        /* flipping one flag of a minimal automaton must change its language */
        int f = (int)rng_below(&rng, (uint32_t)mb.n);
        mb.acc[f] ^= 1;
        if (equivalent(&big, &mb)) failures++;
        mb.acc[f] ^= 1;
        uint8_t w[64];
        for (int i = 0; i < 200; i++) {
            int len = (int)rng_below(&rng, 64);
            for (int j = 0; j < len; j++)
                w[j] = (uint8_t)rng_below(&rng, (uint32_t)k);
            if (run(&big, w, len) != run(&mb, w, len)) failures++;
            h = mix64(h, (uint64_t)run(&mb, w, len));
        }
        /* symmetric difference of two equivalent automata is empty */
        Dfa x, mx;
        product_xor(&mb, &core, &x);
        minimize(&x, &mx, round % 4 == 0);
        if (mx.n != 1 || mx.acc[0] != 0) failures++;
        total_states += (unsigned)(big.n + mb.n + x.n);
        h = mix64(mix64(mix64(h, (uint64_t)mb.n), (uint64_t)x.n), (uint64_t)mb.delta[mb.n * k / 2]);
        dfa_free(&core); dfa_free(&big); dfa_free(&mc); dfa_free(&mb); dfa_free(&x); dfa_free(&mx);
    }
    bench_report(t0);
    printf("dfa_minimize: states=%u hash=%016llx failures=%u\n", total_states, (unsigned long long)h, failures);
    return failures != 0;
}
