/* types.c — runtime-wide canonical signature ids.
 *
 * Two functions have the same signature iff their type_id is equal, across every module loaded in
 * the process: call_indirect compares ids, import linking compares ids. Ids are dense and never
 * reused; the signatures live for the life of the process (there are few distinct ones).
 *
 * A type is identified by a key: its recursion group's structure and its position in the group
 * (WebAssembly 3.0's type equivalence). In the key every value type is two words: its
 * kiln_abi_typeword without the type index, and for a concrete reference the canonical id of a
 * type of an earlier group or IN_GROUP | the position of a type of the same group, else 0. So a
 * type that names no other type has the same key, and id, whether a module or the host made it.
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

#define IN_GROUP 0x80000000u

static uint32_t hash_key(const uint32_t *key, uint32_t n)
{
    uint32_t h = 2166136261u;
    h = (h ^ n) * 16777619u;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ key[i]) * 16777619u;
    return h;
}

static const kiln_sig *sig_at(uint32_t id)
{
    kiln_sig *chunk = atomic_load_explicit(&chunks[id >> CHUNK_BITS], memory_order_acquire);
    return chunk ? &chunk[id & (CHUNK_SIZE - 1)] : NULL;
}

static bool sig_equal(const kiln_sig *s, const uint32_t *key, uint32_t n)
{
    return s->key_length == n && memcmp(s->key, key, n * sizeof *key) == 0;
}

static bool rehash(void)
{
    uint32_t cap = buckets ? (bucket_mask + 1) * 2 : 64;
    uint32_t *nb = calloc(cap, sizeof *nb);
    if (!nb)
        return false;
    for (uint32_t id = 0; id < count; id++) {
        const kiln_sig *s = sig_at(id);
        uint32_t h = hash_key(s->key, s->key_length) & (cap - 1);
        while (nb[h])
            h = (h + 1) & (cap - 1);
        nb[h] = id + 1;
    }
    free(buckets);
    buckets = nb;
    bucket_mask = cap - 1;
    return true;
}

/* Interns the type whose key is key[0..n); params and results are its value kinds (the low byte
 * of each word), which the public API reports. */
static uint32_t intern_key(const uint32_t *key, uint32_t n, const uint8_t *params, uint32_t np, const uint8_t *results,
                           uint32_t nr)
{
    uint32_t id = KILN_TYPE_INVALID;
    uint32_t h = hash_key(key, n);
    pthread_mutex_lock(&lock);
    if ((!buckets || (count + 1) * 2 > bucket_mask + 1) && !rehash())
        goto out;
    uint32_t b = h & bucket_mask;
    for (; buckets[b]; b = (b + 1) & bucket_mask) {
        if (sig_equal(sig_at(buckets[b] - 1), key, n)) {
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
    uint32_t *stored_key = malloc(n * sizeof *key);
    if (!codes || !stored_key) {
        free(codes);
        free(stored_key);
        goto out;
    }
    if (np)
        memcpy(codes, params, np);
    if (nr)
        memcpy(codes + np, results, nr);
    memcpy(stored_key, key, n * sizeof *key);
    kiln_sig *s = &chunk[count & (CHUNK_SIZE - 1)];
    s->params = codes;
    s->results = codes + np;
    s->num_params = np;
    s->num_results = nr;
    s->key = stored_key;
    s->key_length = n;
    id = count++;
    buckets[b] = id + 1;
out:
    pthread_mutex_unlock(&lock);
    return id;
}

/* A function type of abstract value types alone in its group: what the host can describe. */
uint32_t kiln__type_intern(const uint8_t *params, uint32_t np, const uint8_t *results, uint32_t nr)
{
    uint32_t n = 4 + 2 * (np + nr);
    uint32_t *key = malloc(n * sizeof *key);
    if (!key)
        return KILN_TYPE_INVALID;
    key[0] = 1, key[1] = 0, key[2] = np, key[3] = nr;
    for (uint32_t i = 0; i < np + nr; i++) {
        key[4 + 2 * i] = i < np ? params[i] : results[i - np];
        key[5 + 2 * i] = 0;
    }
    uint32_t id = intern_key(key, n, params, np, results, nr);
    free(key);
    return id;
}

int kiln__type_intern_module(const kiln_module_descriptor *d, uint32_t *ids)
{
    for (uint32_t start = 0; start < d->num_types;) {
        uint32_t size = d->types[start].rec_group_size, n = 2;
        for (uint32_t t = start; t < start + size; t++)
            n += 2 + 2 * (d->types[t].num_params + d->types[t].num_results);
        uint32_t *key = malloc(n * sizeof *key);
        if (!key)
            return -1;
        uint32_t k = 0;
        key[k++] = size;
        k++; /* the position, filled per member below */
        for (uint32_t t = start; t < start + size; t++) {
            const kiln_type_desc *ty = &d->types[t];
            key[k++] = ty->num_params;
            key[k++] = ty->num_results;
            for (uint32_t i = 0; i < ty->num_params + ty->num_results; i++) {
                kiln_abi_typeword w = i < ty->num_params ? ty->params[i] : ty->results[i - ty->num_params];
                uint32_t index = w >> KILN_ABI_TYPE_INDEX_SHIFT;
                key[k++] = w & ((1u << KILN_ABI_TYPE_INDEX_SHIFT) - 1);
                key[k++] = !(w & KILN_ABI_REF_CONCRETE) ? 0 : index >= start ? IN_GROUP | (index - start) : ids[index];
            }
        }
        for (uint32_t t = start; t < start + size; t++) {
            const kiln_type_desc *ty = &d->types[t];
            uint8_t codes[ty->num_params + ty->num_results + 1];
            for (uint32_t i = 0; i < ty->num_params; i++)
                codes[i] = (uint8_t)ty->params[i];
            for (uint32_t i = 0; i < ty->num_results; i++)
                codes[ty->num_params + i] = (uint8_t)ty->results[i];
            key[1] = t - start;
            ids[t] = intern_key(key, n, codes, ty->num_params, codes + ty->num_params, ty->num_results);
            if (ids[t] == KILN_TYPE_INVALID) {
                free(key);
                return -1;
            }
        }
        free(key);
        start += size;
    }
    return 0;
}

kiln_abi_typeword kiln__type_canonical_word(const uint32_t *ids, kiln_abi_typeword w)
{
    if (!(w & KILN_ABI_REF_CONCRETE))
        return w;
    return (w & ((1u << KILN_ABI_TYPE_INDEX_SHIFT) - 1)) | (ids[w >> KILN_ABI_TYPE_INDEX_SHIFT] << KILN_ABI_TYPE_INDEX_SHIFT);
}

bool kiln__type_word_matches(kiln_abi_typeword actual, kiln_abi_typeword expected)
{
    if (actual == expected)
        return true;
    uint32_t code = actual & KILN_ABI_CODE_MASK;
    bool reference = code == KILN_ABI_FUNCREF || code == KILN_ABI_EXTERNREF || code == KILN_ABI_EXNREF;
    if (!reference || code != (expected & KILN_ABI_CODE_MASK))
        return false;
    if (!(actual & KILN_ABI_REF_NON_NULL) && (expected & KILN_ABI_REF_NON_NULL))
        return false;
    if (!(expected & KILN_ABI_REF_CONCRETE))
        return true; /* the top of the hierarchy holds every reference of it */
    /* Without declared supertypes (GC), a function type's only subtype is itself. */
    return (actual & KILN_ABI_REF_CONCRETE) && (actual >> KILN_ABI_TYPE_INDEX_SHIFT) == (expected >> KILN_ABI_TYPE_INDEX_SHIFT);
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
