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

kiln_global *kiln_global_new(kiln_val value, int mutable_, kiln_error **err)
{
    if (!kiln__valkind_valid(value.kind)) {
        kiln__fail(err, kiln__error_new("invalid value kind %d for a global", (int)value.kind));
        return NULL;
    }
    kiln_global *g = aligned_alloc(_Alignof(kiln_global), sizeof *g);
    if (!g) {
        kiln__fail(err, kiln__error_new("out of memory"));
        return NULL;
    }
    memset(g, 0, sizeof *g);
    g->cell = &g->own_cell;
    kiln__cell_from_val(g->cell, value.kind, &value);
    g->type = (uint8_t)value.kind;
    g->full_type = (kiln_abi_typeword)value.kind;
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
    if (g)
        kiln__val_from_cell(&v, g->type, g->cell);
    return v;
}

int kiln_global_set(kiln_global *g, kiln_val value)
{
    if (!g || !g->mutable_ || value.kind != (kiln_valkind)g->type)
        return -1;
    memset(g->cell, 0, sizeof *g->cell);
    kiln__cell_from_val(g->cell, value.kind, &value);
    return 0;
}
