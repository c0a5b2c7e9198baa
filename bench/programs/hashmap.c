/* hashmap — a chained hash map from strings to counters, every entry and key its own small
 * malloc, with growth by rehashing; counts generated "words", then removes half of them. */
#include "bench.h"

typedef struct entry { struct entry *next; uint32_t hash; uint32_t count; char *key; } entry;
typedef struct { entry **slots; uint32_t mask; uint32_t size; } map;

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s) { h ^= (uint8_t)*s++; h *= 16777619u; }
    return h ^ (h >> 15);
}

static void grow(map *m)
{
    uint32_t cap = (m->mask + 1) * 2;
    entry **slots = calloc(cap, sizeof *slots);
    for (uint32_t i = 0; i <= m->mask; i++) {
        for (entry *e = m->slots[i], *next; e; e = next) {
            next = e->next;
            e->next = slots[e->hash & (cap - 1)];
            slots[e->hash & (cap - 1)] = e;
        }
    }
    free(m->slots);
    m->slots = slots;
    m->mask = cap - 1;
}

static void add(map *m, const char *key)
{
    uint32_t h = hash_str(key);
    for (entry *e = m->slots[h & m->mask]; e; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0) { e->count++; return; }
    entry *e = malloc(sizeof *e);
    size_t len = strlen(key);
    e->key = malloc(len + 1);
    memcpy(e->key, key, len + 1);
    e->hash = h;
    e->count = 1;
    e->next = m->slots[h & m->mask];
    m->slots[h & m->mask] = e;
    if (++m->size > m->mask) grow(m);
}

static int remove_key(map *m, const char *key)
{
    uint32_t h = hash_str(key);
    for (entry **link = &m->slots[h & m->mask]; *link; link = &(*link)->next) {
        entry *e = *link;
        if (e->hash == h && strcmp(e->key, key) == 0) {
            *link = e->next;
            free(e->key);
            free(e);
            m->size--;
            return 1;
        }
    }
    return 0;
}

static void make_word(bench_rng *rng, char *w, uint32_t universe)
{
    uint32_t id = rng_below(rng, universe);
    int len = 3 + (int)(id % 9);
    for (int i = 0; i < len; i++) { w[i] = (char)('a' + id % 26); id = id / 26 + (uint32_t)i * 7; }
    w[len] = 0;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 20);
    double start = bench_now();
    uint64_t h = 0;
    for (int r = 0; r < scale; r++) {
        map m = { calloc(16, sizeof(entry *)), 15, 0 };
        bench_rng rng = { 1000u + (uint64_t)r };
        char w[32];
        for (int k = 0; k < 400000; k++) { make_word(&rng, w, 150000); add(&m, w); }
        uint32_t before = m.size;
        bench_rng again = { 1000u + (uint64_t)r };
        int removed = 0;
        for (int k = 0; k < 200000; k++) { make_word(&again, w, 150000); removed += remove_key(&m, w); }
        uint64_t counts = 0;
        for (uint32_t i = 0; i <= m.mask; i++)
            for (entry *e = m.slots[i], *next; e; e = next) {
                next = e->next;
                counts += e->count * (uint64_t)(e->key[0]);
                free(e->key);
                free(e);
            }
        free(m.slots);
        h = mix64(h, before);
        h = mix64(h, (uint64_t)removed);
        h = mix64(h, counts);
    }
    bench_report(start);
    printf("hashmap reps=%d checksum=%016llx\n", scale, (unsigned long long)h);
    return 0;
}
