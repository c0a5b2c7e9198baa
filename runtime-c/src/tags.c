/* tags.c — exception tags: defined by instances (records inside the instance allocation, kept
 * alive by the instance's reference count) or created by the host (reference counted here). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

kiln_tag *kiln_tag_new(const kiln_valkind *params, size_t nparams, kiln_error **err)
{
    if (nparams > 1000 || (nparams && !params)) {
        kiln__fail(err, kiln__error_new("bad tag parameters"));
        return NULL;
    }
    uint8_t codes[nparams + 1];
    for (size_t k = 0; k < nparams; k++) {
        if (!kiln__valkind_valid(params[k])) {
            kiln__fail(err, kiln__error_new("tag parameter %zu has an invalid kind", k));
            return NULL;
        }
        codes[k] = (uint8_t)params[k];
    }
    kiln_rt_tag *t = calloc(1, sizeof *t);
    uint32_t type_id = kiln__type_intern(codes, (uint32_t)nparams, NULL, 0);
    if (!t || type_id == KILN_TYPE_INVALID) {
        free(t);
        kiln__fail(err, kiln__error_new("out of memory"));
        return NULL;
    }
    t->abi.type_id = type_id;
    atomic_init(&t->refs, 1);
    return &t->abi;
}

void kiln__tag_retain(kiln_tag *t)
{
    if (t->owner)
        kiln__instance_retain(t->owner);
    else
        atomic_fetch_add_explicit(&((kiln_rt_tag *)t)->refs, 1, memory_order_relaxed);
}

void kiln__tag_release(kiln_tag *t)
{
    if (!t)
        return;
    if (t->owner)
        kiln__instance_release(t->owner);
    else if (atomic_fetch_sub_explicit(&((kiln_rt_tag *)t)->refs, 1, memory_order_acq_rel) == 1)
        free(t);
}

void kiln_tag_release(kiln_tag *t)
{
    kiln__tag_release(t);
}

size_t kiln_tag_param_count(const kiln_tag *t)
{
    const kiln_sig *sig = t ? kiln__type_get(t->type_id) : NULL;
    return sig ? sig->num_params : 0;
}

kiln_valkind kiln_tag_param(const kiln_tag *t, size_t n)
{
    const kiln_sig *sig = t ? kiln__type_get(t->type_id) : NULL;
    return sig && n < sig->num_params ? (kiln_valkind)sig->params[n] : (kiln_valkind)0;
}

void kiln__tag_describe(const kiln_tag *t, char *buf, size_t size)
{
    const kiln_instance *owner = t->owner;
    if (!owner) {
        snprintf(buf, size, "a host tag");
        return;
    }
    const kiln_module_descriptor *d = owner->module->desc;
    uint32_t index = owner->module->num_imported[KILN_ABI_EXTERN_TAG] + (uint32_t)(t - owner->tag_records);
    for (uint32_t e = 0; e < d->num_exports; e++) {
        if (d->exports[e].kind == KILN_ABI_EXTERN_TAG && d->exports[e].index == index) {
            snprintf(buf, size, "tag \"%.*s\"", (int)d->exports[e].name_length, d->exports[e].name);
            return;
        }
    }
    snprintf(buf, size, "tag %u", index);
}
