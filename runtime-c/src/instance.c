/* instance.c — instantiation (the spec's order: link imports, create memories, functions, globals
 * and tables, apply active segments, run start), destruction, and export lookup.
 *
 * An instance is one allocation laid out by its module (module.c compute_layout): the header, the
 * index-space arrays vmctx points at, the function records of defined functions and host imports,
 * the defined globals and the segment-dropped flags. The vmctx starts in the header and moves to
 * the header page of memory 0 when the instance defines that memory. Only memories and tables, which may outlive
 * the instance independently, are separate objects. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void kiln__instance_retain(kiln_instance *i)
{
    atomic_fetch_add_explicit(&i->refs, 1, memory_order_relaxed);
}

/* A function this instance owns must not stay reachable from an object that outlives it: clear
 * such references from the tables and globals it imported (calling them then traps with
 * "uninitialized element" instead of jumping into unmapped code). */
static void scrub_imported_refs(kiln_instance *i)
{
    const uint32_t *imp = i->module->num_imported;
    for (uint32_t t = 0; t < imp[KILN_ABI_EXTERN_TABLE]; t++) {
        kiln_table *tab = i->tables[t];
        if (!tab || (tab->elem_type & KILN_ABI_CODE_MASK) != KILN_ABI_FUNCREF)
            continue;
        for (uint32_t k = 0; k < tab->size; k++) {
            kiln_func *f = tab->elements[k];
            if (f && f->owner == i)
                tab->elements[k] = NULL;
        }
    }
    for (uint32_t g = 0; g < imp[KILN_ABI_EXTERN_GLOBAL]; g++) {
        kiln_global *gl = i->global_objects[g];
        if (gl && gl->type == KILN_ABI_FUNCREF && gl->cell->ref && ((kiln_func *)gl->cell->ref)->owner == i)
            gl->cell->ref = NULL;
    }
}

/* Tolerates a partly built instance: every array entry is either NULL or holds one reference. */
static void instance_destroy(kiln_instance *i)
{
    const uint32_t *imp = i->module->num_imported;
    /* First: a WASI program's end interrupts its instances until they leave it. */
    kiln__wasi_detach(i);
    kiln__link_leave(i);
    scrub_imported_refs(i);
    for (uint32_t k = 0; k < imp[KILN_ABI_EXTERN_FUNC]; k++) {
        kiln_func *f = i->funcs[k];
        if (f && f->owner && f->owner != i)
            kiln__instance_release(f->owner);
    }
    uint32_t nt = kiln__count(i, KILN_ABI_EXTERN_TABLE);
    for (uint32_t k = 0; k < nt; k++) {
        if (!i->tables[k])
            continue;
        if (k >= imp[KILN_ABI_EXTERN_TABLE])
            kiln__link_clear_creator(&((kiln_rt_table *)i->tables[k])->creator, i);
        kiln_table_release(i->tables[k]);
    }
    uint32_t nm = kiln__count(i, KILN_ABI_EXTERN_MEMORY);
    for (uint32_t k = 0; k < nm; k++) {
        if (!i->memories[k])
            continue;
        if (k >= imp[KILN_ABI_EXTERN_MEMORY])
            kiln__link_clear_creator(&((kiln_rt_memory *)i->memories[k])->creator, i);
        kiln_memory_release(i->memories[k]);
    }
    for (uint32_t k = 0; k < imp[KILN_ABI_EXTERN_GLOBAL]; k++)
        if (i->global_objects[k])
            kiln__global_release(i->global_objects[k]);
    for (uint32_t k = 0; k < imp[KILN_ABI_EXTERN_TAG]; k++)
        kiln__tag_release(i->tags[k]);
    kiln__exceptions_free_held(i->held_exceptions);
    kiln_module_release(i->module);
    free(i);
}

void kiln__instance_release(kiln_instance *i)
{
    if (i && atomic_fetch_sub_explicit(&i->refs, 1, memory_order_acq_rel) == 1)
        instance_destroy(i);
}

void kiln_instance_free(kiln_instance *i)
{
    kiln__instance_release(i);
}

static kiln_instance *instance_alloc(kiln_module *m)
{
    const kiln_instance_layout *l = &m->layout;
    char *block = calloc(1, l->size);
    if (!block)
        return NULL;
    kiln_instance *i = (kiln_instance *)block;
    i->memories = (kiln_memory **)(block + l->memories);
    i->tables = (kiln_table **)(block + l->tables);
    i->globals = (kiln_cell **)(block + l->globals);
    i->funcs = (kiln_func **)(block + l->funcs);
    i->tags = (kiln_tag **)(block + l->tags);
    i->tag_records = (kiln_tag *)(block + l->tag_records);
    i->func_records = (kiln_func *)(block + l->func_records);
    i->global_records = (kiln_global *)(block + l->global_records);
    i->global_objects = (kiln_global **)(block + l->global_objects);
    i->host_records = (kiln_host_import *)(block + l->host_records);
    i->elem_dropped = (uint8_t *)(block + l->elem_dropped);
    i->data_dropped = (uint8_t *)(block + l->data_dropped);
    kiln__module_retain(m);
    i->module = m;
    atomic_init(&i->refs, 1);
    i->vmctx = (kiln_vmctx *)(block + l->context) - 1;
    i->vmctx->memories = i->memories;
    i->vmctx->tables = i->tables;
    i->vmctx->globals = i->globals;
    i->vmctx->funcs = i->funcs;
    i->vmctx->tags = i->tags;
    i->vmctx->type_ids = m->type_ids;
    i->vmctx->rt = &kiln__runtime_api;
    i->vmctx->instance = i;
    return i;
}

static int unknown_import(kiln_error **err, const kiln_import_desc *im)
{
    return kiln__fail(err, kiln__error_new("unknown import: \"%s\" \"%s\"", im->module, im->name));
}

static int incompatible(kiln_error **err, const kiln_import_desc *im)
{
    return kiln__fail(err, kiln__error_new("incompatible import type: \"%s\" \"%s\"", im->module, im->name));
}

static bool limits_match(uint64_t actual_min, bool actual_has_max, uint64_t actual_max, const kiln_limits_desc *want)
{
    if (actual_min < want->min)
        return false;
    return !want->has_max || (actual_has_max && actual_max <= want->max);
}

/* The stand-ins kiln_imports_unknown binds for missing function imports. The runtime presets a
 * host function's results to zero (and null), so the default one has nothing to write. */
static int unknown_import_traps(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results)
{
    (void)env, (void)caller, (void)args, (void)results;
    kiln__raise(KILN_TRAP_UNKNOWN_IMPORT, 0);
}

static int unknown_import_returns_defaults(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results)
{
    (void)env, (void)caller, (void)args, (void)results;
    return 0;
}

/* Checks and binds every import, in order; counts per kind come back in n[]. */
static int link_imports(kiln_instance *i, const kiln_imports *imports, kiln_error **err)
{
    kiln_module *m = i->module;
    const kiln_module_descriptor *d = m->desc;
    uint32_t n[KILN_ABI_EXTERN_KIND_COUNT] = { 0 };
    kiln_unknown_imports policy = kiln__imports_unknown_policy(imports);
    for (uint32_t j = 0; j < d->num_imports; j++) {
        const kiln_import_desc *im = &d->imports[j];
        const kiln_binding *b = kiln__imports_find(imports, im->module, im->name);
        kiln_binding stand_in;
        if (!b && im->kind == KILN_ABI_EXTERN_FUNC && policy != KILN_UNKNOWN_IMPORTS_ERROR) {
            stand_in = (kiln_binding){
                .is_host = true,
                .fn = policy == KILN_UNKNOWN_IMPORTS_TRAP ? unknown_import_traps : unknown_import_returns_defaults,
                .type_id = m->type_ids[im->type_index],
            };
            b = &stand_in;
        }
        if (!b)
            return unknown_import(err, im);
        if (b->is_host ? im->kind != KILN_ABI_EXTERN_FUNC : (uint32_t)b->ext.kind != im->kind)
            return incompatible(err, im);
        switch (im->kind) {
        case KILN_ABI_EXTERN_FUNC: {
            uint32_t want = m->type_ids[im->type_index];
            if (b->is_host) {
                if (b->type_id != want)
                    return incompatible(err, im);
                kiln_host_import *h = &i->host_records[n[0]];
                kiln__host_import_init(h, b->fn, b->env, i, want);
                /* The record's code is this module's thunk, so this instance owns the record. */
                kiln_func *rec = &i->func_records[d->num_funcs + n[0]];
                rec->code = d->types[im->type_index].host_thunk;
                rec->ctx = h;
                rec->array_call = d->types[im->type_index].array_call;
                rec->type_id = want;
                rec->owner = i;
                i->funcs[n[0]++] = rec;
            } else {
                kiln_func *f = b->ext.of.func;
                if (f->type_id != want)
                    return incompatible(err, im);
                if (f->owner) {
                    kiln__instance_retain(f->owner);
                    kiln__link_join(i, f->owner);
                }
                i->funcs[n[0]++] = f;
            }
            break;
        }
        case KILN_ABI_EXTERN_TABLE: {
            kiln_rt_table *t = (kiln_rt_table *)b->ext.of.table;
            /* Tables are mutable: their element types must be equivalent, not just subtypes. */
            if (t->abi.elem_type != kiln__type_canonical_word(m->type_ids, im->value_type)
                || t->is64 != ((im->limits.flags & KILN_LIMITS_64) != 0)
                || !limits_match(t->abi.size, t->has_max, t->declared_max, &im->limits))
                return incompatible(err, im);
            kiln__table_retain(&t->abi);
            i->tables[n[1]++] = &t->abi;
            kiln__link_join(i, kiln__link_creator(&t->creator));
            break;
        }
        case KILN_ABI_EXTERN_MEMORY: {
            kiln_rt_memory *mem = (kiln_rt_memory *)b->ext.of.memory;
            if (mem->is64 != ((im->limits.flags & KILN_LIMITS_64) != 0)
                || mem->shared != ((im->limits.flags & KILN_LIMITS_SHARED) != 0)
                || !limits_match(mem->abi.size / KILN_WASM_PAGE_SIZE, mem->has_max, mem->abi.max_pages, &im->limits))
                return incompatible(err, im);
            kiln__memory_retain(&mem->abi);
            i->memories[n[2]++] = &mem->abi;
            /* A shared memory is for instances on other threads, which must not share one stack
             * limit (link.c); a memory holds no code to call into anyway. */
            if (!mem->shared)
                kiln__link_join(i, kiln__link_creator(&mem->creator));
            break;
        }
        case KILN_ABI_EXTERN_TAG: {
            kiln_tag *tag = b->ext.of.tag;
            if (tag->type_id != m->type_ids[im->type_index])
                return incompatible(err, im);
            kiln__tag_retain(tag);
            i->tags[n[4]++] = tag;
            if (tag->owner)
                kiln__link_join(i, tag->owner);
            break;
        }
        case KILN_ABI_EXTERN_GLOBAL: {
            kiln_global *g = b->ext.of.global;
            /* A mutable global is written through both types: they must be equivalent. An
             * immutable one only needs its type to be a subtype of the import's. */
            kiln_abi_typeword want = kiln__type_canonical_word(m->type_ids, im->value_type);
            if (g->mutable_ != (im->mutable_ != 0) ||
                (g->mutable_ ? g->full_type != want : !kiln__type_word_matches(g->full_type, want)))
                return incompatible(err, im);
            kiln__global_retain(g);
            i->global_objects[n[3]] = g;
            i->globals[n[3]++] = g->cell;
            if (g->owner)
                kiln__link_join(i, g->owner);
            break;
        }
        }
    }
    return 0;
}

static int create_definitions(kiln_instance *i, kiln_error **err)
{
    kiln_module *m = i->module;
    const kiln_module_descriptor *d = m->desc;
    const uint32_t *imp = m->num_imported;
    uint32_t nfuncs = kiln__count(i, KILN_ABI_EXTERN_FUNC);

    for (uint32_t k = 0; k < d->num_memories; k++) {
        const kiln_limits_desc *l = &d->memories[k];
        kiln_memory *mem = kiln__memory_create(l->min, l->max, l->has_max != 0, l->flags, err);
        if (!mem)
            return -1;
        ((kiln_rt_memory *)mem)->creator = i;
        i->memories[imp[KILN_ABI_EXTERN_MEMORY] + k] = mem;
    }
    /* Before anything takes the vmctx's address: generated code finds a memory 0 it defines
     * just past its vmctx (kiln_abi.h, KILN_MEMORY_HEADER_BYTES). */
    if (imp[KILN_ABI_EXTERN_MEMORY] == 0 && d->num_memories > 0)
        kiln__link_move_vmctx(i, (kiln_vmctx *)(i->memories[0]->base - sizeof(kiln_vmctx)));
    for (uint32_t k = 0; k < d->num_funcs; k++) {
        const kiln_func_desc *fd = &d->funcs[k];
        kiln_func *rec = &i->func_records[k];
        rec->code = fd->code;
        rec->ctx = i->vmctx + 1;   /* generated code's context pointer: just past the vmctx */
        rec->array_call = d->types[fd->type_index].array_call;
        rec->type_id = m->type_ids[fd->type_index];
        rec->owner = i;
        i->funcs[imp[KILN_ABI_EXTERN_FUNC] + k] = rec;
    }
    for (uint32_t k = 0; k < d->num_tags; k++) {
        kiln_tag *tag = &i->tag_records[k];
        tag->type_id = m->type_ids[d->tags[k]];
        tag->owner = i;
        i->tags[imp[KILN_ABI_EXTERN_TAG] + k] = tag;
    }
    for (uint32_t k = 0; k < d->num_globals; k++) {
        const kiln_global_desc *gd = &d->globals[k];
        kiln_global *g = &i->global_records[k];
        uint32_t index = imp[KILN_ABI_EXTERN_GLOBAL] + k;
        g->cell = k < KILN_INLINE_GLOBALS ? kiln__inline_global_cell(i->vmctx, k) : &g->own_cell;
        /* Initialisers see the imported globals and the defined ones before them. */
        if (kiln__const_eval(&gd->init, i->globals, index, i->funcs, nfuncs, g->cell) != 0)
            return kiln__fail(err, kiln__error_new("malformed module descriptor: bad initialiser of global %u", index));
        g->type = (uint8_t)(gd->value_type & KILN_ABI_CODE_MASK);
        g->full_type = kiln__type_canonical_word(m->type_ids, gd->value_type);
        g->mutable_ = gd->mutable_ != 0;
        g->owner = i;
        i->global_objects[index] = g;
        i->globals[index] = g->cell;
    }
    for (uint32_t k = 0; k < d->num_tables; k++) {
        const kiln_table_desc *td = &d->tables[k];
        kiln_cell init = { .ref = NULL };
        if (kiln__const_eval(&td->init, i->globals, kiln__count(i, KILN_ABI_EXTERN_GLOBAL), i->funcs, nfuncs, &init) != 0)
            return kiln__fail(err, kiln__error_new("malformed module descriptor: bad initialiser of table %u", k));
        /* A 64-bit table's minimum may pass u32; any that large is refused as too large. */
        kiln_table *t = kiln__table_create(kiln__type_canonical_word(m->type_ids, td->elem_type),
                                           td->limits.min > UINT32_MAX ? UINT32_MAX : (uint32_t)td->limits.min,
                                           td->limits.max > UINT32_MAX ? UINT32_MAX : (uint32_t)td->limits.max,
                                           td->limits.has_max != 0, init.ref, err);
        if (!t)
            return -1;
        ((kiln_rt_table *)t)->creator = i;
        ((kiln_rt_table *)t)->is64 = (td->limits.flags & KILN_LIMITS_64) != 0;
        ((kiln_rt_table *)t)->declared_max = td->limits.has_max ? td->limits.max : UINT64_MAX;
        i->tables[imp[KILN_ABI_EXTERN_TABLE] + k] = t;
    }
    if (kiln__count(i, KILN_ABI_EXTERN_MEMORY))
        i->vmctx->memory0_base = i->memories[0]->base;
    return 0;
}

/* The spec keeps what segments wrote into imported tables before a failure; those entries now
 * refer to this instance's functions, so the tables keep the (never returned) instance alive. */
static void pin_to_imported_tables(kiln_instance *i)
{
    if (!i->wrote_imported_table)
        return;
    for (uint32_t t = 0; t < i->module->num_imported[KILN_ABI_EXTERN_TABLE]; t++)
        kiln__table_pin(i->tables[t], i);
}

/* kiln_imports_limit_memory: every memory the instance defines or imports is capped before its
 * segments and start function run, so nothing the guest does escapes the cap. */
static int limit_memories(kiln_instance *i, uint64_t max_bytes, kiln_error **err)
{
    if (max_bytes == 0)
        return 0;
    for (uint32_t k = 0; k < kiln__count(i, KILN_ABI_EXTERN_MEMORY); k++) {
        if (kiln__memory_limit(i->memories[k], max_bytes) != 0)
            return kiln__fail(err, kiln__error_new("memory %u needs %llu bytes, over the limit of %llu bytes", k,
                                                   (unsigned long long)kiln__memory_bytes(i->memories[k]),
                                                   (unsigned long long)max_bytes));
    }
    return 0;
}

static kiln_instance *instance_new(kiln_module *m, const kiln_imports *imports, struct kiln_wasi *share_wasi,
                                   kiln_error **err)
{
    if (!m) {
        kiln__fail(err, kiln__error_new("no module"));
        return NULL;
    }
    kiln_instance *i = instance_alloc(m);
    if (!i) {
        kiln__fail(err, kiln__error_new("out of memory"));
        return NULL;
    }
    i->vmctx->fuel = kiln__imports_fuel(imports);
    if (link_imports(i, imports, err) != 0 || kiln__wasi_attach(i, imports, share_wasi, err) != 0
        || create_definitions(i, err) != 0 || limit_memories(i, kiln__imports_memory_limit(imports), err) != 0)
        goto fail;
    if (kiln__segments_instantiate(i, err) != 0) {
        pin_to_imported_tables(i);
        goto fail;
    }
    int32_t start = m->desc->start_func;
    if (start >= 0) {
        kiln_cell cell;
        if (kiln__invoke(i->funcs[start], &cell, err) != 0) {
            pin_to_imported_tables(i);
            goto fail;
        }
    }
    return i;
fail:
    kiln__instance_release(i);
    return NULL;
}

kiln_instance *kiln_instance_new(kiln_module *m, const kiln_imports *imports, kiln_error **err)
{
    return instance_new(m, imports, NULL, err);
}

kiln_instance *kiln__instance_new_sharing_wasi(kiln_module *m, const kiln_imports *imports, struct kiln_wasi *w,
                                               kiln_error **err)
{
    return instance_new(m, imports, w, err);
}

void kiln_instance_interrupt(kiln_instance *i)
{
    if (i)
        kiln__link_interrupt(i);
}

/* ---- exports ---- */

int kiln_instance_export(kiln_instance *i, const char *name, kiln_extern *out)
{
    return name ? kiln_instance_export_bytes(i, name, strlen(name), out) : -1;
}

int kiln_instance_export_bytes(kiln_instance *i, const char *name, size_t length, kiln_extern *out)
{
    if (!i || !out)
        return -1;
    int32_t e = kiln__module_find_export_bytes(i->module, name, length);
    if (e < 0)
        return -1;
    const kiln_export_desc *ex = &i->module->desc->exports[e];
    out->kind = (kiln_externkind)ex->kind;
    switch (ex->kind) {
    case KILN_ABI_EXTERN_FUNC: out->of.func = i->funcs[ex->index]; break;
    case KILN_ABI_EXTERN_TABLE: out->of.table = i->tables[ex->index]; break;
    case KILN_ABI_EXTERN_MEMORY: out->of.memory = i->memories[ex->index]; break;
    case KILN_ABI_EXTERN_TAG: out->of.tag = i->tags[ex->index]; break;
    default: out->of.global = i->global_objects[ex->index]; break;
    }
    return 0;
}

size_t kiln_instance_export_count(const kiln_instance *i)
{
    return i ? i->module->desc->num_exports : 0;
}

const char *kiln_instance_export_name(const kiln_instance *i, size_t n)
{
    if (!i || n >= i->module->desc->num_exports)
        return NULL;
    return i->module->desc->exports[n].name;
}

/* Relaxed atomics: the host may read or refuel from another thread while metered code runs,
 * whose volatile decrements are plain aligned word accesses. */
uint64_t kiln_instance_fuel(const kiln_instance *i)
{
    if (!i)
        return 0;
    int64_t fuel = __atomic_load_n(&i->vmctx->fuel, __ATOMIC_RELAXED);
    return fuel > 0 ? (uint64_t)fuel : 0;
}

void kiln_instance_set_fuel(kiln_instance *i, uint64_t fuel)
{
    if (i)
        __atomic_store_n(&i->vmctx->fuel, fuel > INT64_MAX ? INT64_MAX : (int64_t)fuel, __ATOMIC_RELAXED);
}
