/* segments.c — bulk memory and table operations called by generated code, active-segment
 * application at instantiation, and the runtime API table handed to every vmctx.
 *
 * Each operation checks all its bounds before touching anything (the 2.0 semantics): an
 * out-of-bounds range traps with nothing written. Table lengths and offsets are u32, so their sums
 * are done in 64 bits and cannot wrap; memory ones are u64 (memory64), checked by `in_range`. */
#include "internal.h"

#include <string.h>

static __attribute__((noreturn)) void oob_memory(void) { kiln__raise(KILN_TRAP_MEMORY_OUT_OF_BOUNDS, 0); }
static __attribute__((noreturn)) void oob_table(void) { kiln__raise(KILN_TRAP_TABLE_OUT_OF_BOUNDS, 0); }

/* Whether [start, start + len) lies within [0, size), without computing a sum that may wrap. */
static bool in_range(uint64_t start, uint64_t len, uint64_t size) { return len <= size && start <= size - len; }

static void rt_memory_fill(kiln_vmctx *vm, uint32_t memory, uint64_t dst, uint32_t value, uint64_t len)
{
    kiln_memory *m = vm->memories[memory];
    if (!in_range(dst, len, kiln__memory_bytes(m)))
        oob_memory();
    memset(m->base + dst, (int)(uint8_t)value, len);
}

static void rt_memory_copy(kiln_vmctx *vm, uint32_t dst_memory, uint32_t src_memory, uint64_t dst, uint64_t src, uint64_t len)
{
    kiln_memory *d = vm->memories[dst_memory], *s = vm->memories[src_memory];
    if (!in_range(dst, len, kiln__memory_bytes(d)) || !in_range(src, len, kiln__memory_bytes(s)))
        oob_memory();
    memmove(d->base + dst, s->base + src, len);
}

static uint64_t data_length(const kiln_instance *i, uint32_t data)
{
    return i->data_dropped[data] ? 0 : i->module->desc->datas[data].length;
}

static void rt_memory_init(kiln_vmctx *vm, uint32_t memory, uint32_t data, uint64_t dst, uint32_t src, uint32_t len)
{
    kiln_instance *i = vm->instance;
    kiln_memory *m = vm->memories[memory];
    if ((uint64_t)src + len > data_length(i, data) || !in_range(dst, len, kiln__memory_bytes(m)))
        oob_memory();
    if (len)
        memcpy(m->base + dst, i->module->desc->datas[data].bytes + src, len);
}

static void rt_data_drop(kiln_vmctx *vm, uint32_t data)
{
    vm->instance->data_dropped[data] = 1;
}

static void *rt_table_get(kiln_vmctx *vm, uint32_t table, uint32_t index)
{
    kiln_table *t = vm->tables[table];
    if (index >= t->size)
        oob_table();
    return t->elements[index];
}

static void rt_table_set(kiln_vmctx *vm, uint32_t table, uint32_t index, void *ref)
{
    kiln_table *t = vm->tables[table];
    if (index >= t->size)
        oob_table();
    t->elements[index] = ref;
}

static uint32_t rt_table_grow(kiln_vmctx *vm, uint32_t table, void *init, uint32_t delta)
{
    return kiln__table_grow(vm->tables[table], delta, init);
}

static void rt_table_fill(kiln_vmctx *vm, uint32_t table, uint32_t dst, void *ref, uint32_t len)
{
    kiln_table *t = vm->tables[table];
    if ((uint64_t)dst + len > t->size)
        oob_table();
    for (uint32_t k = 0; k < len; k++)
        t->elements[dst + k] = ref;
}

static void rt_table_copy(kiln_vmctx *vm, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src, uint32_t len)
{
    kiln_table *d = vm->tables[dst_table], *s = vm->tables[src_table];
    if ((uint64_t)dst + len > d->size || (uint64_t)src + len > s->size)
        oob_table();
    if (len)
        memmove(d->elements + dst, s->elements + src, (size_t)len * sizeof(void *));
}

/* Element items are constant expressions over immutable state (ref.func, ref.null, immutable
 * globals), so evaluating them when used gives what evaluating them at instantiation would. */
static int elem_item(const kiln_instance *i, const kiln_elem_desc *seg, uint32_t k, void **out)
{
    kiln_cell c;
    if (kiln__const_eval(&seg->items[k], i->globals, kiln__count(i, KILN_ABI_EXTERN_GLOBAL),
                         i->funcs, kiln__count(i, KILN_ABI_EXTERN_FUNC), &c) != 0)
        return -1;
    *out = c.ref;
    return 0;
}

static void rt_table_init(kiln_vmctx *vm, uint32_t table, uint32_t elem, uint32_t dst, uint32_t src, uint32_t len)
{
    kiln_instance *i = vm->instance;
    const kiln_elem_desc *seg = &i->module->desc->elems[elem];
    uint32_t count = i->elem_dropped[elem] ? 0 : seg->count;
    kiln_table *t = vm->tables[table];
    if ((uint64_t)src + len > count || (uint64_t)dst + len > t->size)
        oob_table();
    for (uint32_t k = 0; k < len; k++)
        if (elem_item(i, seg, src + k, &t->elements[dst + k]) != 0)
            kiln__raise(KILN_TRAP_UNREACHABLE, 0); /* malformed descriptor; cannot pass load checks */
}

static void rt_elem_drop(kiln_vmctx *vm, uint32_t elem)
{
    vm->instance->elem_dropped[elem] = 1;
}

const kiln_runtime_api kiln__runtime_api = {
    .trap = kiln__rt_trap,
    .memory_grow = kiln__rt_memory_grow,
    .memory_fill = rt_memory_fill,
    .memory_copy = rt_memory_copy,
    .memory_init = rt_memory_init,
    .data_drop = rt_data_drop,
    .table_get = rt_table_get,
    .table_set = rt_table_set,
    .table_grow = rt_table_grow,
    .table_fill = rt_table_fill,
    .table_copy = rt_table_copy,
    .table_init = rt_table_init,
    .elem_drop = rt_elem_drop,
    .throw_ = kiln__rt_throw,
    .throw_ref = kiln__rt_throw_ref,
    .exception_release = kiln__rt_exception_release,
    .exception_hold = kiln__rt_exception_hold,
    .atomic_wait = kiln__rt_atomic_wait,
    .atomic_notify = kiln__rt_atomic_notify,
};

/* ---- instantiation ---- */

/* A segment's offset: an i32, or an i64 for a segment of a 64-bit memory (`is64`). */
static int offset_of(kiln_instance *i, const kiln_const_expr *e, bool is64, uint64_t *out)
{
    kiln_cell c;
    if (kiln__const_eval(e, i->globals, kiln__count(i, KILN_ABI_EXTERN_GLOBAL), i->funcs,
                         kiln__count(i, KILN_ABI_EXTERN_FUNC), &c) != 0)
        return -1;
    *out = is64 ? (uint64_t)c.i64 : (uint32_t)c.i32;
    return 0;
}

static int malformed(kiln_error **err, const char *what, uint32_t n)
{
    return kiln__fail(err, kiln__error_new("malformed module descriptor: bad constant expression in %s segment %u", what, n));
}

int kiln__segments_instantiate(kiln_instance *i, kiln_error **err)
{
    const kiln_module_descriptor *d = i->module->desc;
    for (uint32_t n = 0; n < d->num_elems; n++) {
        const kiln_elem_desc *seg = &d->elems[n];
        if (seg->mode == KILN_SEGMENT_PASSIVE)
            continue;
        i->elem_dropped[n] = 1;
        if (seg->mode == KILN_SEGMENT_DECLARATIVE)
            continue;
        kiln_table *t = i->tables[seg->table_index];
        uint64_t off;
        if (offset_of(i, &seg->offset, ((kiln_rt_table *)t)->is64, &off) != 0)
            return malformed(err, "element", n);
        if (!in_range(off, seg->count, t->size))
            return kiln__fail(err, kiln__error_trap(KILN_TRAP_TABLE_OUT_OF_BOUNDS, 0));
        if (seg->count && seg->table_index < i->module->num_imported[KILN_ABI_EXTERN_TABLE])
            i->wrote_imported_table = true;
        for (uint32_t k = 0; k < seg->count; k++)
            if (elem_item(i, seg, k, &t->elements[off + k]) != 0)
                return malformed(err, "element", n);
    }
    for (uint32_t n = 0; n < d->num_datas; n++) {
        const kiln_data_desc *seg = &d->datas[n];
        if (seg->mode != KILN_SEGMENT_ACTIVE)
            continue;
        i->data_dropped[n] = 1;
        kiln_memory *m = i->memories[seg->memory_index];
        uint64_t off;
        if (offset_of(i, &seg->offset, kiln__memory_is64(m), &off) != 0)
            return malformed(err, "data", n);
        if (!in_range(off, seg->length, kiln__memory_bytes(m)))
            return kiln__fail(err, kiln__error_trap(KILN_TRAP_MEMORY_OUT_OF_BOUNDS, 0));
        if (seg->length)
            memcpy(m->base + off, seg->bytes, seg->length);
    }
    return 0;
}
