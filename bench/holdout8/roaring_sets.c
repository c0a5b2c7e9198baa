/* roaring_sets.c — compressed bitmap sets in the style of Roaring bitmaps.
 *
 * 32-bit values are split into a 16-bit key (the chunk) and a 16-bit low part. Each non-empty
 * chunk is one container: a sorted uint16 array (up to 4096 values), a 65536-bit bitmap, or a
 * list of runs (start, length-1) after run optimisation. Union, intersection, difference and
 * symmetric difference dispatch on the container pair; point inserts and deletes convert between
 * array and bitmap at the 4096 threshold; rank/select, a little-endian serialisation round trip
 * and run optimisation are included. Every result is compared with a flat bitset model.
 */
#include "../programs/bench.h"

#define UNIVERSE_BITS 22
#define NCHUNK (1 << (UNIVERSE_BITS - 16))
#define MODEL_WORDS (1 << (UNIVERSE_BITS - 6))
#define ARRAY_MAX 4096
#define BWORDS 1024

enum { C_ARRAY = 1, C_BITMAP = 2, C_RUN = 3 };

typedef struct {
    uint16_t key;
    uint8_t type;
    int card;
    int n;          /* array: values; run: number of runs */
    int cap;        /* capacity of vals in uint16 units */
    uint16_t *vals; /* array values, or run pairs (start, len-1) */
    uint64_t *words;
} cont_t;

typedef struct {
    cont_t *c;
    int n, cap;
} rbm_t;

static int failures;

#include "roaring_sets/containers.h"
#include "roaring_sets/container_ops.h"
#include "roaring_sets/bitmap.h"
#include "roaring_sets/serialise.h"

/* ---------- model comparison ---------- */

static void model_from(const rbm_t *r, uint64_t *m)
{
    memset(m, 0, MODEL_WORDS * sizeof(uint64_t));
    for (int i = 0; i < r->n; i++)
        cont_to_words(&r->c[i], m + (size_t)r->c[i].key * BWORDS);
}

static uint64_t model_card(const uint64_t *m)
{
    uint64_t s = 0;
    for (int i = 0; i < MODEL_WORDS; i++)
        s += (uint64_t)__builtin_popcountll(m[i]);
    return s;
}

/* compare a roaring bitmap with a model bitset; also checks container invariants */
static uint64_t check_against(const rbm_t *r, const uint64_t *m, uint64_t h)
{
    uint64_t w[BWORDS];
    int next = 0;
    for (int chunk = 0; chunk < NCHUNK; chunk++) {
        const uint64_t *mw = m + (size_t)chunk * BWORDS;
        if (next < r->n && r->c[next].key == chunk) {
            const cont_t *c = &r->c[next++];
            cont_to_words(c, w);
            int pc = popcount_words(w, BWORDS);
            if (pc != c->card || memcmp(w, mw, sizeof w) != 0)
                failures++;
            if (c->type == C_ARRAY) {
                if (c->card > ARRAY_MAX)
                    failures++;
                for (int i = 1; i < c->n; i++)
                    if (c->vals[i] <= c->vals[i - 1])
                        failures++;
            } else if (c->type == C_BITMAP && c->card <= ARRAY_MAX) {
                failures++;
            }
            h = mix64(h, ((uint64_t)c->key << 32) | (uint64_t)c->card);
            h = mix64(h, (uint64_t)c->type);
        } else {
            for (int i = 0; i < BWORDS; i++)
                if (mw[i])
                    failures++;
        }
    }
    if (next != r->n)
        failures++;
    return h;
}

/* ---------- set generators ---------- */

static void gen_set(rbm_t *r, uint64_t *m, bench_rng *g, int kind)
{
    rbm_init(r);
    memset(m, 0, MODEL_WORDS * sizeof(uint64_t));
    uint32_t U = 1u << UNIVERSE_BITS;
    int count;
    switch (kind) {
    case 0: /* sparse uniform */
        count = 20000 + (int)rng_below(g, 40000);
        for (int i = 0; i < count; i++) {
            uint32_t v = rng_below(g, U);
            rbm_add(r, v);
            m[v >> 6] |= 1ULL << (v & 63);
        }
        break;
    case 1: /* intervals */
        count = 20 + (int)rng_below(g, 60);
        for (int i = 0; i < count; i++) {
            uint32_t s = rng_below(g, U), len = 1 + rng_below(g, 20000);
            for (uint32_t v = s; v < s + len && v < U; v++) {
                rbm_add(r, v);
                m[v >> 6] |= 1ULL << (v & 63);
            }
        }
        break;
    case 2: /* dense chunks */
        count = 3 + (int)rng_below(g, 6);
        for (int i = 0; i < count; i++) {
            uint32_t base = rng_below(g, NCHUNK) << 16;
            uint32_t dens = 2 + rng_below(g, 6);
            for (uint32_t lo = 0; lo < 65536; lo++) {
                if (rng_below(g, dens) == 0) {
                    uint32_t v = base | lo;
                    rbm_add(r, v);
                    m[v >> 6] |= 1ULL << (v & 63);
                }
            }
        }
        break;
    default: { /* strided progressions */
        count = 4 + (int)rng_below(g, 8);
        for (int i = 0; i < count; i++) {
            uint32_t s = rng_below(g, U), stride = 1 + rng_below(g, 97), n = 500 + rng_below(g, 8000);
            for (uint32_t k = 0; k < n; k++) {
                uint32_t v = s + k * stride;
                if (v >= U)
                    break;
                rbm_add(r, v);
                m[v >> 6] |= 1ULL << (v & 63);
            }
        }
    } break;
    }
}

#define NSETS 6

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 11);
    bench_rng g = { 0x9E3779B97F4A7C15ULL };

    /* inputs: a pool of sets with their models, generated before the timer */
    rbm_t sets[NSETS];
    uint64_t *models[NSETS];
    for (int i = 0; i < NSETS; i++) {
        models[i] = malloc(MODEL_WORDS * sizeof(uint64_t));
        gen_set(&sets[i], models[i], &g, i % 4);
    }
    uint64_t *mres = malloc(MODEL_WORDS * sizeof(uint64_t));
    uint64_t *mtmp = malloc(MODEL_WORDS * sizeof(uint64_t));
    uint8_t *buf = malloc((size_t)NCHUNK * (16 + 4 * 32768) + 2);

    double t0 = bench_now();
    uint64_t h = 0x243F6A8885A308D3ULL;
    for (int round = 0; round < scale; round++) {
        /* pairwise set algebra */
        for (int a = 0; a < NSETS; a++) {
            for (int b = 0; b < NSETS; b++) {
                if (a == b)
                    continue;
                for (int op = 0; op < 4; op++) {
                    rbm_t r = rbm_op(&sets[a], &sets[b], op);
                    const uint64_t *ma = models[a], *mb = models[b];
                    for (int i = 0; i < MODEL_WORDS; i++) {
                        switch (op) {
                        case OP_OR: mres[i] = ma[i] | mb[i]; break;
                        case OP_AND: mres[i] = ma[i] & mb[i]; break;
                        case OP_ANDNOT: mres[i] = ma[i] & ~mb[i]; break;
                        default: mres[i] = ma[i] ^ mb[i]; break;
                        }
                    }
                    if (rbm_card(&r) != model_card(mres))
                        failures++;
                    h = check_against(&r, mres, h);
                    rbm_free(&r);
                }
            }
        }

        /* rank/select probes on each set */
        for (int s = 0; s < NSETS; s++) {
            uint64_t card = rbm_card(&sets[s]);
            for (int q = 0; q < 200 && card > 0; q++) {
                uint64_t k = rng_next(&g) % card;
                int ok;
                uint32_t v = rbm_select(&sets[s], k, &ok);
                if (!ok || rbm_rank(&sets[s], v) != k + 1 || !rbm_contains(&sets[s], v))
                    failures++;
                h = mix64(h, v);
            }
        }

        /* mutation: random inserts and deletes mirrored in the model */
        int victim = round % NSETS;
        rbm_t *vs = &sets[victim];
        uint64_t *vm = models[victim];
        for (int q = 0; q < 60000; q++) {
            uint32_t v;
            uint64_t rr = rng_next(&g);
            if ((rr & 3) == 0 && vs->n > 0) {
                /* near an existing chunk so that array/bitmap conversions happen */
                const cont_t *c = &vs->c[(rr >> 8) % (uint64_t)vs->n];
                v = ((uint32_t)c->key << 16) | (uint32_t)((rr >> 32) & 0xFFFF);
            } else {
                v = (uint32_t)(rr >> 40) & ((1u << UNIVERSE_BITS) - 1);
            }
            int present = (int)((vm[v >> 6] >> (v & 63)) & 1);
            if ((rr >> 4) & 1) {
                if (rbm_add(vs, v) == present)
                    failures++;
                vm[v >> 6] |= 1ULL << (v & 63);
            } else {
                if (rbm_remove(vs, v) != present)
                    failures++;
                vm[v >> 6] &= ~(1ULL << (v & 63));
            }
            if (rbm_contains(vs, v ^ 1) != (int)((vm[(v ^ 1) >> 6] >> ((v ^ 1) & 63)) & 1))
                failures++;
        }
        h = check_against(vs, vm, h);

        /* run optimisation and serialisation round trip */
        int other = (round + 1) % NSETS;
        int conv = rbm_run_optimize(&sets[other]);
        h = mix64(h, (uint64_t)conv);
        h = check_against(&sets[other], models[other], h);
        size_t len = rbm_serialize(&sets[other], buf);
        rbm_t back;
        size_t used = rbm_deserialize(&back, buf, len);
        if (used != len)
            failures++;
        model_from(&back, mtmp);
        if (memcmp(mtmp, models[other], MODEL_WORDS * sizeof(uint64_t)) != 0)
            failures++;
        h = mix64(h, (uint64_t)len);
        for (size_t i = 0; i < len; i += 61)
            h = mix64(h, buf[i]);
        rbm_free(&back);
    }
    bench_report(t0);

    for (int i = 0; i < NSETS; i++) {
        h = mix64(h, rbm_card(&sets[i]));
        rbm_free(&sets[i]);
        free(models[i]);
    }
    free(mres);
    free(mtmp);
    free(buf);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
