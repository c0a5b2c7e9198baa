/* types.c — runtime-wide canonical signature ids.
 *
 * Two functions have the same signature iff their type_id is equal, across every module loaded in
 * the process: call_indirect compares ids, import linking compares ids. Ids are dense and never
 * reused; the signatures live for the life of the process (there are few distinct ones).
 *
 * Interning takes a mutex. Lookup by id is lock-free (the call path and host thunks use it): ids
 * index fixed-size chunks that never move once published. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_BITS 10
#define CHUNK_SIZE (1u << CHUNK_BITS)
#define MAX_CHUNKS 4096

static _Atomic(kiln_sig *) chunks[MAX_CHUNKS];
static uint32_t count;                 /* under lock */
static uint32_t *buckets;              /* id + 1, 0 = empty; under lock */
static uint32_t bucket_mask;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t hash_sig(const uint8_t *p, uint32_t np, const uint8_t *r, uint32_t nr)
{
    uint32_t h = 2166136261u;
    h = (h ^ np) * 16777619u;
    for (uint32_t i = 0; i < np; i++)
        h = (h ^ p[i]) * 16777619u;
    h = (h ^ (nr | 0x100u)) * 16777619u;
    for (uint32_t i = 0; i < nr; i++)
        h = (h ^ r[i]) * 16777619u;
    return h;
}

static const kiln_sig *sig_at(uint32_t id)
{
    kiln_sig *chunk = atomic_load_explicit(&chunks[id >> CHUNK_BITS], memory_order_acquire);
    return chunk ? &chunk[id & (CHUNK_SIZE - 1)] : NULL;
}

static bool sig_equal(const kiln_sig *s, const uint8_t *p, uint32_t np, const uint8_t *r, uint32_t nr)
{
    return s->num_params == np && s->num_results == nr && (np == 0 || memcmp(s->params, p, np) == 0) &&
           (nr == 0 || memcmp(s->results, r, nr) == 0);
}

static bool rehash(void)
{
    uint32_t cap = buckets ? (bucket_mask + 1) * 2 : 64;
    uint32_t *nb = calloc(cap, sizeof *nb);
    if (!nb)
        return false;
    for (uint32_t id = 0; id < count; id++) {
        const kiln_sig *s = sig_at(id);
        uint32_t h = hash_sig(s->params, s->num_params, s->results, s->num_results) & (cap - 1);
        while (nb[h])
            h = (h + 1) & (cap - 1);
        nb[h] = id + 1;
    }
    free(buckets);
    buckets = nb;
    bucket_mask = cap - 1;
    return true;
}

uint32_t kiln__type_intern(const uint8_t *params, uint32_t np, const uint8_t *results, uint32_t nr)
{
    uint32_t id = KILN_TYPE_INVALID;
    uint32_t h = hash_sig(params, np, results, nr);
    pthread_mutex_lock(&lock);
    if ((!buckets || (count + 1) * 2 > bucket_mask + 1) && !rehash())
        goto out;
    uint32_t b = h & bucket_mask;
    for (; buckets[b]; b = (b + 1) & bucket_mask) {
        if (sig_equal(sig_at(buckets[b] - 1), params, np, results, nr)) {
            id = buckets[b] - 1;
            goto out;
        }
    }
    if (count >= (uint32_t)MAX_CHUNKS * CHUNK_SIZE)
        goto out;
    uint32_t c = count >> CHUNK_BITS;
    kiln_sig *chunk = atomic_load_explicit(&chunks[c], memory_order_relaxed);
    if (!chunk) {
        chunk = calloc(CHUNK_SIZE, sizeof *chunk);
        if (!chunk)
            goto out;
        atomic_store_explicit(&chunks[c], chunk, memory_order_release);
    }
    uint8_t *codes = malloc(np + nr + 1);
    if (!codes)
        goto out;
    if (np)
        memcpy(codes, params, np);
    if (nr)
        memcpy(codes + np, results, nr);
    kiln_sig *s = &chunk[count & (CHUNK_SIZE - 1)];
    s->params = codes;
    s->results = codes + np;
    s->num_params = np;
    s->num_results = nr;
    id = count++;
    buckets[b] = id + 1;
out:
    pthread_mutex_unlock(&lock);
    return id;
}

const kiln_sig *kiln__type_get(uint32_t id)
{
    if (id >= (uint32_t)MAX_CHUNKS * CHUNK_SIZE)
        return NULL;
    return sig_at(id);
}

/* ---- signature queries of the public API ---- */

static const kiln_sig empty_sig;

static const kiln_sig *func_sig(const kiln_func *f)
{
    const kiln_sig *s = f ? kiln__type_get(f->type_id) : NULL;
    return s ? s : &empty_sig;
}

size_t kiln_func_param_count(const kiln_func *f) { return func_sig(f)->num_params; }
size_t kiln_func_result_count(const kiln_func *f) { return func_sig(f)->num_results; }

kiln_valkind kiln_func_param(const kiln_func *f, size_t n)
{
    const kiln_sig *s = func_sig(f);
    return n < s->num_params ? (kiln_valkind)s->params[n] : (kiln_valkind)0;
}

kiln_valkind kiln_func_result(const kiln_func *f, size_t n)
{
    const kiln_sig *s = func_sig(f);
    return n < s->num_results ? (kiln_valkind)s->results[n] : (kiln_valkind)0;
}
