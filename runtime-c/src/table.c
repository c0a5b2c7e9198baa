/* table.c — tables of references. elements may move on growth (generated code reloads it), size
 * and max follow the ABI struct; has_max, the reference count and pins are private. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

kiln_table *kiln__table_create(uint32_t elem_type, uint32_t min, uint32_t max, bool has_max, void *init, kiln_error **err)
{
    if (min > KILN_MAX_TABLE_ELEMENTS || (has_max && max < min)) {
        kiln__fail(err, kiln__error_new("table size is too large"));
        return NULL;
    }
    kiln_rt_table *t = calloc(1, sizeof *t);
    void **elements = min ? malloc(min * sizeof(void *)) : NULL;
    if (!t || (min && !elements)) {
        free(t);
        free(elements);
        kiln__fail(err, kiln__error_new("out of memory"));
        return NULL;
    }
    for (uint32_t i = 0; i < min; i++)
        elements[i] = init;
    t->abi.elements = elements;
    t->abi.size = min;
    t->abi.max = has_max ? max : UINT32_MAX;
    t->declared_max = has_max ? max : UINT64_MAX;
    t->abi.elem_type = elem_type;
    t->has_max = has_max;
    atomic_init(&t->refs, 1);
    return &t->abi;
}

void kiln__table_retain(kiln_table *t)
{
    atomic_fetch_add_explicit(&((kiln_rt_table *)t)->refs, 1, memory_order_relaxed);
}

void kiln_table_release(kiln_table *tab)
{
    kiln_rt_table *t = (kiln_rt_table *)tab;
    if (!t || atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (uint32_t i = 0; i < t->num_pins; i++)
        kiln__instance_release(t->pins[i]);
    free(t->pins);
    free(t->abi.elements);
    free(t);
}

/* Only called while instantiating (one thread per linked group, by the API contract). */
void kiln__table_pin(kiln_table *tab, kiln_instance *i)
{
    kiln_rt_table *t = (kiln_rt_table *)tab;
    for (uint32_t k = 0; k < t->num_pins; k++)
        if (t->pins[k] == i)
            return;
    if (t->num_pins == t->cap_pins) {
        uint32_t cap = t->cap_pins ? t->cap_pins * 2 : 4;
        kiln_instance **p = realloc(t->pins, cap * sizeof *p);
        if (!p)
            return; /* a missed pin only shortens a lifetime the host could have kept anyway */
        t->pins = p;
        t->cap_pins = cap;
    }
    kiln__instance_retain(i);
    t->pins[t->num_pins++] = i;
}

uint32_t kiln__table_grow(kiln_table *t, uint32_t delta, void *init)
{
    uint32_t old = t->size;
    if (delta == 0)
        return old;
    uint64_t want = (uint64_t)old + delta;
    if (want > t->max || want > KILN_MAX_TABLE_ELEMENTS)
        return UINT32_MAX;
    void **e = realloc(t->elements, want * sizeof(void *));
    if (!e)
        return UINT32_MAX;
    for (uint64_t i = old; i < want; i++)
        e[i] = init;
    t->elements = e;
    t->size = (uint32_t)want;
    return old;
}

kiln_table *kiln_table_new(kiln_valkind elem, uint32_t min, uint32_t max, kiln_error **err)
{
    if (elem != KILN_FUNCREF && elem != KILN_EXTERNREF) {
        kiln__fail(err, kiln__error_new("a table holds funcref or externref"));
        return NULL;
    }
    bool has_max = max != UINT32_MAX;
    return kiln__table_create((uint32_t)elem, min, has_max ? max : 0, has_max, NULL, err);
}

kiln_table *kiln_table_new64(kiln_valkind elem, uint64_t min, uint64_t max, kiln_error **err)
{
    bool has_max = max != UINT64_MAX;
    /* Past u32, the sizes are refused as too large; the declared maximum is kept whole for linking. */
    kiln_table *t = kiln_table_new(elem, min > UINT32_MAX ? UINT32_MAX : (uint32_t)min,
                                   has_max && max < UINT32_MAX ? (uint32_t)max : UINT32_MAX, err);
    if (t) {
        ((kiln_rt_table *)t)->is64 = true;
        ((kiln_rt_table *)t)->declared_max = max;
        ((kiln_rt_table *)t)->has_max = has_max;
    }
    return t;
}
