/* global.c — globals. A global an instance defines lives inside the instance's allocation, so its
 * reference count is the instance's; a host-created global counts for itself. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void kiln__global_retain(kiln_global *g)
{
    if (g->owner)
        kiln__instance_retain(g->owner);
    else
        atomic_fetch_add_explicit(&g->refs, 1, memory_order_relaxed);
}

void kiln__global_release(kiln_global *g)
{
    if (g->owner)
        kiln__instance_release(g->owner);
    else if (atomic_fetch_sub_explicit(&g->refs, 1, memory_order_acq_rel) == 1)
        free(g);
}

static bool kind_ok(kiln_valkind k)
{
    switch (k) {
    case KILN_I32: case KILN_I64: case KILN_F32: case KILN_F64:
    case KILN_V128: case KILN_FUNCREF: case KILN_EXTERNREF:
        return true;
    default:
        return false;
    }
}

static void store(kiln_cell *c, const kiln_val *v)
{
    memset(c, 0, sizeof *c);
    switch (v->kind) {
    case KILN_I32: c->i32 = v->of.i32; break;
    case KILN_I64: c->i64 = v->of.i64; break;
    case KILN_F32: c->f32 = v->of.f32; break;
    case KILN_F64: c->f64 = v->of.f64; break;
    case KILN_V128: memcpy(c->v128, v->of.v128, 16); break;
    default: c->ref = v->of.ref; break;
    }
}

kiln_global *kiln_global_new(kiln_val value, int mutable_, kiln_error **err)
{
    if (!kind_ok(value.kind)) {
        kiln__fail(err, kiln__error_new("invalid value kind %d for a global", (int)value.kind));
        return NULL;
    }
    kiln_global *g = aligned_alloc(_Alignof(kiln_global), sizeof *g);
    if (!g) {
        kiln__fail(err, kiln__error_new("out of memory"));
        return NULL;
    }
    memset(g, 0, sizeof *g);
    store(&g->cell, &value);
    g->type = (uint8_t)value.kind;
    g->mutable_ = mutable_ != 0;
    g->owner = NULL;
    atomic_init(&g->refs, 1);
    return g;
}

void kiln_global_release(kiln_global *g)
{
    /* The host releases only what it created; a global exported by an instance lives as long as
     * the instance (kiln_instance_export's contract). */
    if (g && !g->owner)
        kiln__global_release(g);
}

kiln_val kiln_global_get(const kiln_global *g)
{
    kiln_val v;
    memset(&v, 0, sizeof v);
    if (!g)
        return v;
    v.kind = (kiln_valkind)g->type;
    switch (v.kind) {
    case KILN_I32: v.of.i32 = g->cell.i32; break;
    case KILN_I64: v.of.i64 = g->cell.i64; break;
    case KILN_F32: v.of.f32 = g->cell.f32; break;
    case KILN_F64: v.of.f64 = g->cell.f64; break;
    case KILN_V128: memcpy(v.of.v128, g->cell.v128, 16); break;
    default: v.of.ref = g->cell.ref; break;
    }
    return v;
}

int kiln_global_set(kiln_global *g, kiln_val value)
{
    if (!g || !g->mutable_ || value.kind != (kiln_valkind)g->type)
        return -1;
    store(&g->cell, &value);
    return 0;
}
