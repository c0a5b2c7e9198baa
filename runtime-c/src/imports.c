/* imports.c — the host's list of (module, name) -> external bindings used to link an instance.
 * Binding a name again replaces the earlier binding. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct kiln_imports {
    _Atomic uint32_t refs;            /* the host's handle, and a WASI program that spawns threads */
    kiln_binding *items;
    size_t count, cap;
    struct kiln_wasi_config *wasi;    /* set by kiln_imports_wasi (wasi/setup.c) */
    uint64_t memory_limit_bytes;      /* kiln_imports_limit_memory; 0: none */
    kiln_unknown_imports unknown;     /* kiln_imports_unknown */
    bool has_fuel;                    /* kiln_imports_set_fuel; otherwise unlimited */
    int64_t fuel;
    void (*on_free)(void *);          /* kiln_imports_on_free */
    void *on_free_context;
};

int kiln_imports_on_free(kiln_imports *im, void (*release)(void *context), void *context)
{
    if (!im)
        return -1;
    im->on_free = release;
    im->on_free_context = context;
    return 0;
}

int kiln_imports_unknown(kiln_imports *im, kiln_unknown_imports policy)
{
    if (!im || policy < KILN_UNKNOWN_IMPORTS_ERROR || policy > KILN_UNKNOWN_IMPORTS_DEFAULT)
        return -1;
    im->unknown = policy;
    return 0;
}

kiln_unknown_imports kiln__imports_unknown_policy(const kiln_imports *im)
{
    return im ? im->unknown : KILN_UNKNOWN_IMPORTS_ERROR;
}

int kiln_imports_limit_memory(kiln_imports *im, uint64_t max_bytes)
{
    if (!im)
        return -1;
    im->memory_limit_bytes = max_bytes;
    return 0;
}

uint64_t kiln__imports_memory_limit(const kiln_imports *im)
{
    return im ? im->memory_limit_bytes : 0;
}

int kiln_imports_set_fuel(kiln_imports *im, uint64_t fuel)
{
    if (!im)
        return -1;
    im->has_fuel = true;
    im->fuel = fuel > INT64_MAX ? INT64_MAX : (int64_t)fuel;
    return 0;
}

int64_t kiln__imports_fuel(const kiln_imports *im)
{
    return im && im->has_fuel ? im->fuel : INT64_MAX;
}

struct kiln_wasi_config *kiln__imports_wasi(const kiln_imports *im)
{
    return im ? im->wasi : NULL;
}

void kiln__imports_set_wasi(kiln_imports *im, struct kiln_wasi_config *cfg)
{
    im->wasi = cfg;
}

kiln_imports *kiln_imports_new(void)
{
    kiln_imports *im = calloc(1, sizeof(kiln_imports));
    if (im)
        atomic_init(&im->refs, 1);
    return im;
}

kiln_imports *kiln__imports_retain(const kiln_imports *im)
{
    kiln_imports *owned = (kiln_imports *)im;
    atomic_fetch_add_explicit(&owned->refs, 1, memory_order_relaxed);
    return owned;
}

static void extern_retain(kiln_extern e)
{
    switch (e.kind) {
    case KILN_EXTERN_FUNC: if (e.of.func->owner) kiln__instance_retain(e.of.func->owner); break;
    case KILN_EXTERN_TABLE: kiln__table_retain(e.of.table); break;
    case KILN_EXTERN_MEMORY: kiln__memory_retain(e.of.memory); break;
    case KILN_EXTERN_GLOBAL: kiln__global_retain(e.of.global); break;
    case KILN_EXTERN_TAG: kiln__tag_retain(e.of.tag); break;
    }
}

static void extern_release(kiln_extern e)
{
    switch (e.kind) {
    case KILN_EXTERN_FUNC: if (e.of.func->owner) kiln__instance_release(e.of.func->owner); break;
    case KILN_EXTERN_TABLE: kiln_table_release(e.of.table); break;
    case KILN_EXTERN_MEMORY: kiln_memory_release(e.of.memory); break;
    case KILN_EXTERN_GLOBAL: kiln__global_release(e.of.global); break;
    case KILN_EXTERN_TAG: kiln__tag_release(e.of.tag); break;
    }
}

static void binding_clear(kiln_binding *b)
{
    if (!b->is_host)
        extern_release(b->ext);
    free(b->module);
    free(b->name);
}

void kiln_imports_free(kiln_imports *im)
{
    if (!im || atomic_fetch_sub_explicit(&im->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (size_t k = 0; k < im->count; k++)
        binding_clear(&im->items[k]);
    free(im->items);
    kiln__wasi_config_free(im->wasi);
    if (im->on_free)
        im->on_free(im->on_free_context);
    free(im);
}

const kiln_binding *kiln__imports_find(const kiln_imports *im, const char *module, const char *name)
{
    if (!im)
        return NULL;
    for (size_t k = 0; k < im->count; k++) {
        const kiln_binding *b = &im->items[k];
        if (strcmp(b->name, name) == 0 && strcmp(b->module, module) == 0)
            return b;
    }
    return NULL;
}

/* Takes ownership of the contents of *nb (already retained) on success. */
static int put(kiln_imports *im, kiln_binding *nb)
{
    for (size_t k = 0; k < im->count; k++) {
        kiln_binding *b = &im->items[k];
        if (strcmp(b->name, nb->name) == 0 && strcmp(b->module, nb->module) == 0) {
            binding_clear(b);
            *b = *nb;
            return 0;
        }
    }
    if (im->count == im->cap) {
        size_t cap = im->cap ? im->cap * 2 : 8;
        kiln_binding *items = realloc(im->items, cap * sizeof *items);
        if (!items)
            return -1;
        im->items = items;
        im->cap = cap;
    }
    im->items[im->count++] = *nb;
    return 0;
}

int kiln_imports_func(kiln_imports *im, const char *module, const char *name,
                      const kiln_valkind *params, size_t nparams,
                      const kiln_valkind *results, size_t nresults,
                      kiln_host_fn fn, void *env)
{
    if (!im || !module || !name || !fn || nparams > 1000 || nresults > 1000)
        return -1;
    uint8_t codes[nparams + nresults + 1];
    for (size_t k = 0; k < nparams; k++) {
        if (!kiln__valkind_valid(params[k]))
            return -1;
        codes[k] = (uint8_t)params[k];
    }
    for (size_t k = 0; k < nresults; k++) {
        if (!kiln__valkind_valid(results[k]))
            return -1;
        codes[nparams + k] = (uint8_t)results[k];
    }
    kiln_binding b = { .is_host = true, .fn = fn, .env = env };
    b.type_id = kiln__type_intern(codes, (uint32_t)nparams, codes + nparams, (uint32_t)nresults);
    b.module = strdup(module);
    b.name = strdup(name);
    if (b.type_id == KILN_TYPE_INVALID || !b.module || !b.name || put(im, &b) != 0) {
        free(b.module);
        free(b.name);
        return -1;
    }
    return 0;
}

int kiln_imports_extern(kiln_imports *im, const char *module, const char *name, kiln_extern ext)
{
    if (!im || !module || !name || !ext.of.func || (unsigned)ext.kind > KILN_EXTERN_TAG)
        return -1;
    kiln_binding b = { .is_host = false, .ext = ext };
    b.module = strdup(module);
    b.name = strdup(name);
    if (!b.module || !b.name) {
        free(b.module);
        free(b.name);
        return -1;
    }
    extern_retain(ext);
    if (put(im, &b) != 0) {
        extern_release(ext);
        free(b.module);
        free(b.name);
        return -1;
    }
    return 0;
}

int kiln_imports_create_shared_memories(kiln_imports *im, const kiln_module *m)
{
    if (!im || !m)
        return -1;
    const kiln_module_descriptor *d = m->desc;
    for (uint32_t j = 0; j < d->num_imports; j++) {
        const kiln_import_desc *want = &d->imports[j];
        if (want->kind != KILN_ABI_EXTERN_MEMORY || !(want->limits.flags & KILN_LIMITS_SHARED)
            || kiln__imports_find(im, want->module, want->name))
            continue;
        kiln_memory *memory = kiln__memory_create(want->limits.min, want->limits.max, want->limits.has_max != 0,
                                                  want->limits.flags, NULL);
        if (!memory)
            return -1;
        int bound = kiln_imports_extern(im, want->module, want->name,
                                        (kiln_extern){ .kind = KILN_EXTERN_MEMORY, .of.memory = memory });
        kiln_memory_release(memory);
        if (bound != 0)
            return -1;
    }
    return 0;
}
