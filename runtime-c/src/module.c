/* module.c — loading a compiled module: dlopen, descriptor checks, and the per-module tables that
 * make instantiation and calls cheap (canonical type ids, export hash, instance layout). */
#include "internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t name_hash(const char *s, size_t length)
{
    uint32_t h = 2166136261u;
    for (size_t n = 0; n < length; n++)
        h = (h ^ (uint8_t)s[n]) * 16777619u;
    return h;
}

/* Wasm names are byte strings that may contain NUL, so lookups compare lengths and bytes. */
static bool export_name_is(const kiln_export_desc *e, const char *name, size_t length)
{
    return e->name_length == length && memcmp(e->name, name, length) == 0;
}

int32_t kiln__module_find_export_bytes(const kiln_module *m, const char *name, size_t length)
{
    if (!name || !m->export_slots)
        return -1;
    uint32_t h = name_hash(name, length);
    for (uint32_t b = h & m->export_mask;; b = (b + 1) & m->export_mask) {
        int32_t e = m->export_slots[b];
        if (e < 0)
            return -1;
        if (m->export_hashes[b] == h && export_name_is(&m->desc->exports[e], name, length))
            return e;
    }
}

int32_t kiln__module_find_export(const kiln_module *m, const char *name)
{
    return name ? kiln__module_find_export_bytes(m, name, strlen(name)) : -1;
}

static bool build_export_table(kiln_module *m)
{
    const kiln_module_descriptor *d = m->desc;
    uint32_t cap = 4;
    while (cap < d->num_exports * 2)
        cap *= 2;
    m->export_slots = malloc(cap * sizeof *m->export_slots);
    m->export_hashes = malloc(cap * sizeof *m->export_hashes);
    if (!m->export_slots || !m->export_hashes)
        return false;
    memset(m->export_slots, 0xff, cap * sizeof *m->export_slots);
    m->export_mask = cap - 1;
    for (uint32_t e = 0; e < d->num_exports; e++) {
        uint32_t h = name_hash(d->exports[e].name, d->exports[e].name_length);
        uint32_t b = h & m->export_mask;
        while (m->export_slots[b] >= 0) {
            /* Duplicate names cannot validate; keep the first rather than fail. */
            if (export_name_is(&d->exports[m->export_slots[b]], d->exports[e].name, d->exports[e].name_length))
                goto next;
            b = (b + 1) & m->export_mask;
        }
        m->export_slots[b] = (int32_t)e;
        m->export_hashes[b] = h;
    next:;
    }
    return true;
}

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

static void compute_layout(kiln_module *m)
{
    const kiln_module_descriptor *d = m->desc;
    const uint32_t *imp = m->num_imported;
    kiln_instance_layout *l = &m->layout;
    size_t at = align16(sizeof(kiln_instance));
#define PLACE(field, bytes) (l->field = at, at = align16(at + (bytes)))
    PLACE(memories, (imp[KILN_ABI_EXTERN_MEMORY] + d->num_memories) * sizeof(void *));
    PLACE(tables, (imp[KILN_ABI_EXTERN_TABLE] + d->num_tables) * sizeof(void *));
    PLACE(globals, (imp[KILN_ABI_EXTERN_GLOBAL] + d->num_globals) * sizeof(void *));
    PLACE(funcs, (imp[KILN_ABI_EXTERN_FUNC] + d->num_funcs) * sizeof(void *));
    PLACE(tags, (imp[KILN_ABI_EXTERN_TAG] + d->num_tags) * sizeof(void *));
    PLACE(func_records, (imp[KILN_ABI_EXTERN_FUNC] + d->num_funcs) * sizeof(kiln_func));
    PLACE(global_records, d->num_globals * sizeof(kiln_global));
    PLACE(global_objects, (imp[KILN_ABI_EXTERN_GLOBAL] + d->num_globals) * sizeof(void *));
    PLACE(host_records, imp[KILN_ABI_EXTERN_FUNC] * sizeof(kiln_host_import));
    PLACE(tag_records, d->num_tags * sizeof(kiln_tag));
    PLACE(elem_dropped, d->num_elems);
    PLACE(data_dropped, d->num_datas);
    uint32_t inline_globals = d->num_globals < KILN_INLINE_GLOBALS ? d->num_globals : KILN_INLINE_GLOBALS;
    PLACE(context, 16 * (size_t)inline_globals + KILN_VMCTX_AREA_BYTES);
    l->context = at; /* the end of that area: 16-aligned, as the context pointer must be */
#undef PLACE
    l->size = at;
}

/* A value type word: a known code, flags only on references, a concrete type only for functions
 * and within the module's types (below `limit`: a type may only name its own group or earlier). */
static bool typeword_ok(kiln_abi_typeword w, uint32_t limit)
{
    uint32_t code = w & KILN_ABI_CODE_MASK;
    if (!kiln__valkind_valid((kiln_valkind)code))
        return false;
    bool reference = code == KILN_ABI_FUNCREF || code == KILN_ABI_EXTERNREF || code == KILN_ABI_EXNREF;
    if (w >> 8 && !reference)
        return false;
    if (w & KILN_ABI_REF_CONCRETE)
        return code == KILN_ABI_FUNCREF && (w >> KILN_ABI_TYPE_INDEX_SHIFT) < limit;
    return (w >> 8 & ~(KILN_ABI_REF_NON_NULL >> 8)) == 0;
}

static bool reftype_ok(kiln_abi_typeword w, uint32_t num_types)
{
    uint32_t code = w & KILN_ABI_CODE_MASK;
    return typeword_ok(w, num_types) && (code == KILN_ABI_FUNCREF || code == KILN_ABI_EXTERNREF || code == KILN_ABI_EXNREF);
}

/* A tag's type is a function type without results. */
static bool tag_type_ok(const kiln_module_descriptor *d, uint32_t type_index)
{
    return type_index < d->num_types && d->types[type_index].num_results == 0;
}

/* The descriptor comes from a file on disk: check every index the runtime will follow, so a
 * corrupt or foreign .so fails to load instead of crashing at instantiation. */
static const char *check_descriptor(kiln_module *m)
{
    const kiln_module_descriptor *d = m->desc;
    uint32_t *imp = m->num_imported;
    if (d->num_types && !d->types) return "types missing";
    for (uint32_t t = 0; t < d->num_types; t++) {
        const kiln_type_desc *ty = &d->types[t];
        if (!ty->array_call) return "type without array-call trampoline";
        if ((ty->num_params && !ty->params) || (ty->num_results && !ty->results)) return "type lists missing";
        uint32_t group_end = ty->rec_group_start + ty->rec_group_size;
        if (ty->rec_group_size == 0 || ty->rec_group_start > t || group_end <= t || group_end > d->num_types ||
            d->types[ty->rec_group_start].rec_group_size != ty->rec_group_size)
            return "bad recursion group";
        for (uint32_t i = 0; i < ty->num_params; i++)
            if (!typeword_ok(ty->params[i], group_end)) return "bad parameter type";
        for (uint32_t i = 0; i < ty->num_results; i++)
            if (!typeword_ok(ty->results[i], group_end)) return "bad result type";
    }
    if ((d->num_imports && !d->imports) || (d->num_exports && !d->exports) || (d->num_funcs && !d->funcs) ||
        (d->num_tables && !d->tables) || (d->num_memories && !d->memories) || (d->num_globals && !d->globals) ||
        (d->num_elems && !d->elems) || (d->num_datas && !d->datas) || (d->num_tags && !d->tags))
        return "section arrays missing";
    for (uint32_t i = 0; i < d->num_imports; i++) {
        const kiln_import_desc *im = &d->imports[i];
        if (!im->module || !im->name || im->kind > KILN_ABI_EXTERN_TAG) return "bad import";
        if (im->kind == KILN_ABI_EXTERN_TAG && !tag_type_ok(d, im->type_index)) return "bad tag import type";
        if (im->kind == KILN_ABI_EXTERN_FUNC && im->type_index >= d->num_types) return "bad import type index";
        if (im->kind == KILN_ABI_EXTERN_FUNC && !d->types[im->type_index].host_thunk) return "type without host thunk";
        if (im->kind == KILN_ABI_EXTERN_TABLE && !reftype_ok(im->value_type, d->num_types)) return "bad table import type";
        if (im->kind == KILN_ABI_EXTERN_GLOBAL && !typeword_ok(im->value_type, d->num_types)) return "bad global import type";
        imp[im->kind]++;
    }
    for (uint32_t i = 0; i < d->num_funcs; i++)
        if (!d->funcs[i].code || d->funcs[i].type_index >= d->num_types) return "bad function";
    for (uint32_t i = 0; i < d->num_tables; i++)
        if (!reftype_ok(d->tables[i].elem_type, d->num_types)
            || (!(d->tables[i].limits.flags & KILN_LIMITS_64) && d->tables[i].limits.min > UINT32_MAX)) return "bad table";
    for (uint32_t i = 0; i < d->num_memories; i++)
        if (!(d->memories[i].flags & KILN_LIMITS_64) && d->memories[i].min > KILN_MAX_MEMORY_PAGES) return "32-bit memory larger than 4 GiB";
    for (uint32_t i = 0; i < d->num_globals; i++)
        if (!typeword_ok(d->globals[i].value_type, d->num_types)) return "bad global";
    for (uint32_t i = 0; i < d->num_tags; i++)
        if (!tag_type_ok(d, d->tags[i])) return "bad tag type";
    uint32_t totals[KILN_ABI_EXTERN_KIND_COUNT] = {
        imp[0] + d->num_funcs, imp[1] + d->num_tables, imp[2] + d->num_memories, imp[3] + d->num_globals,
        imp[4] + d->num_tags,
    };
    for (uint32_t i = 0; i < d->num_exports; i++) {
        const kiln_export_desc *e = &d->exports[i];
        if (!e->name || e->kind > KILN_ABI_EXTERN_TAG || e->index >= totals[e->kind]) return "bad export";
    }
    for (uint32_t i = 0; i < d->num_elems; i++) {
        const kiln_elem_desc *e = &d->elems[i];
        if (e->mode > KILN_SEGMENT_DECLARATIVE || (e->count && !e->items)) return "bad element segment";
        if (e->mode == KILN_SEGMENT_ACTIVE && e->table_index >= totals[KILN_ABI_EXTERN_TABLE]) return "bad element segment table";
    }
    for (uint32_t i = 0; i < d->num_datas; i++) {
        const kiln_data_desc *s = &d->datas[i];
        if (s->mode > KILN_SEGMENT_PASSIVE || (s->length && !s->bytes)) return "bad data segment";
        if (s->mode == KILN_SEGMENT_ACTIVE && s->memory_index >= totals[KILN_ABI_EXTERN_MEMORY]) return "bad data segment memory";
    }
    if (d->start_func >= 0) {
        if ((uint32_t)d->start_func >= totals[KILN_ABI_EXTERN_FUNC]) return "bad start function";
    }
    return NULL;
}

static bool cpu_has(uint32_t bit)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    switch (bit) {
    case KILN_CPU_SSE41: return __builtin_cpu_supports("sse4.1");
    case KILN_CPU_SSE42: return __builtin_cpu_supports("sse4.2");
    case KILN_CPU_POPCNT: return __builtin_cpu_supports("popcnt");
    case KILN_CPU_AVX: return __builtin_cpu_supports("avx");
    case KILN_CPU_AVX2: return __builtin_cpu_supports("avx2");
    case KILN_CPU_BMI1: return __builtin_cpu_supports("bmi");
    case KILN_CPU_BMI2: return __builtin_cpu_supports("bmi2");
    case KILN_CPU_LZCNT: return __builtin_cpu_supports("lzcnt");
    case KILN_CPU_FMA: return __builtin_cpu_supports("fma");
    case KILN_CPU_AVX512F: return __builtin_cpu_supports("avx512f");
    case KILN_CPU_SSSE3: return __builtin_cpu_supports("ssse3");
    case KILN_CPU_F16C: return __builtin_cpu_supports("f16c");
    default: return false;
    }
#else
    (void)bit;
    return false;
#endif
}

static const char *const cpu_names[] = {
    "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "bmi", "bmi2", "lzcnt", "fma", "avx512f", "ssse3", "f16c",
};

static void module_destroy(kiln_module *m)
{
    if (m->dl)
        kiln__module_file_close(m);
    free(m->type_ids);
    free(m->export_slots);
    free(m->export_hashes);
    free(m);
}

static kiln_module *load_fail(kiln_module *m, kiln_error **err, kiln_error *e)
{
    module_destroy(m);
    kiln__fail(err, e);
    return NULL;
}

/* The ABI version of a module built for an older ABI, which exports its descriptor under that
 * version's name (abi_version is the first field in every version), or 0. So an old module is
 * told to be recompiled rather than called no Kiln module. */
static uint32_t older_abi_version(void *dl)
{
    for (uint32_t version = KILN_ABI_VERSION - 1; version >= 1; version--) {
        char name[64];
        snprintf(name, sizeof name, "kiln_module_descriptor_v%u", version);
        const uint32_t *descriptor = dlsym(dl, name);
        if (descriptor)
            return *descriptor;
    }
    return 0;
}

kiln_module *kiln_module_load(const char *so_path, kiln_error **err)
{
    if (!so_path)
        return kiln__fail(err, kiln__error_new("no module path")), NULL;
    kiln_module *m = calloc(1, sizeof *m);
    if (!m)
        return kiln__fail(err, kiln__error_new("out of memory")), NULL;
    m->file_fd = -1;
    const char *why = NULL;
    if (!kiln__module_file_open(m, so_path, &why))
        return load_fail(m, err, kiln__error_new("cannot load %s: %s", so_path, why));
    const kiln_module_descriptor *d = dlsym(m->dl, KILN_DESCRIPTOR_SYMBOL);
    uint32_t abi_version = d ? d->abi_version : older_abi_version(m->dl);
    if (!d && !abi_version)
        return load_fail(m, err, kiln__error_new("%s is not a Kiln module (no %s symbol)", so_path, KILN_DESCRIPTOR_SYMBOL));
    m->desc = d;
    if (abi_version != KILN_ABI_VERSION)
        return load_fail(m, err, kiln__error_new("%s was compiled for Kiln ABI version %u, this runtime implements %u; recompile it",
                                                 so_path, abi_version, KILN_ABI_VERSION));
    for (uint32_t b = 0; b < 32; b++) {
        if ((d->cpu_features & (1u << b)) && !cpu_has(1u << b))
            return load_fail(m, err, kiln__error_new("%s needs the CPU feature %s, which this machine lacks; recompile with --cpu generic",
                                                     so_path, b < sizeof cpu_names / sizeof *cpu_names ? cpu_names[b] : "(unknown)"));
    }
    if ((why = check_descriptor(m)))
        return load_fail(m, err, kiln__error_new("%s: malformed module descriptor: %s", so_path, why));
    m->type_ids = malloc((d->num_types ? d->num_types : 1) * sizeof *m->type_ids);
    if (!m->type_ids || !build_export_table(m))
        return load_fail(m, err, kiln__error_new("out of memory"));
    if (kiln__type_intern_module(d, m->type_ids) != 0)
        return load_fail(m, err, kiln__error_new("out of memory"));
    if (d->start_func >= 0) {
        uint32_t s = (uint32_t)d->start_func, ti;
        if (s < m->num_imported[KILN_ABI_EXTERN_FUNC]) {
            uint32_t n = 0;
            for (uint32_t i = 0;; i++)
                if (d->imports[i].kind == KILN_ABI_EXTERN_FUNC && n++ == s) { ti = d->imports[i].type_index; break; }
        } else {
            ti = d->funcs[s - m->num_imported[KILN_ABI_EXTERN_FUNC]].type_index;
        }
        if (d->types[ti].num_params || d->types[ti].num_results)
            return load_fail(m, err, kiln__error_new("%s: malformed module descriptor: start function takes or returns values", so_path));
    }
    compute_layout(m);
    atomic_init(&m->refs, 1);
    return m;
}

void kiln__module_retain(kiln_module *m)
{
    atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed);
}

void kiln_module_release(kiln_module *m)
{
    if (m && atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) == 1)
        module_destroy(m);
}

const char *kiln_module_fingerprint(const kiln_module *m)
{
    return m && m->desc && m->desc->fingerprint ? m->desc->fingerprint : "";
}
