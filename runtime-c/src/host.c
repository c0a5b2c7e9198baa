/* host.c — entering host functions from Wasm.
 *
 * The importing module's host thunk (one per signature, Wasm convention) spills its arguments to
 * cells and calls abi.invoke; invoke converts cells to kiln_val, calls the host's kiln_host_fn and
 * writes the results back. A record exists per (instance, import) so the host function learns
 * which instance called it. */
#include "internal.h"

#include <string.h>

static void cell_to_val(kiln_val *v, uint8_t kind, const kiln_cell *c)
{
    memset(v, 0, sizeof *v);
    v->kind = (kiln_valkind)kind;
    switch (kind) {
    case KILN_ABI_I32: v->of.i32 = c->i32; break;
    case KILN_ABI_I64: v->of.i64 = c->i64; break;
    case KILN_ABI_F32: v->of.f32 = c->f32; break;
    case KILN_ABI_F64: v->of.f64 = c->f64; break;
    case KILN_ABI_V128: memcpy(v->of.v128, c->v128, 16); break;
    default: v->of.ref = c->ref; break;
    }
}

static void val_to_cell(kiln_cell *c, uint8_t kind, const kiln_val *v)
{
    switch (kind) {
    case KILN_ABI_I32: c->i32 = v->of.i32; break;
    case KILN_ABI_I64: c->i64 = v->of.i64; break;
    case KILN_ABI_F32: c->f32 = v->of.f32; break;
    case KILN_ABI_F64: c->f64 = v->of.f64; break;
    case KILN_ABI_V128: memcpy(c->v128, v->of.v128, 16); break;
    default: c->ref = v->of.ref; break;
    }
}

static void host_invoke(kiln_host_func *self, kiln_cell *cells)
{
    kiln_host_import *h = (kiln_host_import *)self;
    const kiln_sig *sig = kiln__type_get(h->type_id);
    kiln_val args[sig->num_params + 1], results[sig->num_results + 1];
    for (uint32_t k = 0; k < sig->num_params; k++)
        cell_to_val(&args[k], sig->params[k], &cells[k]);
    for (uint32_t k = 0; k < sig->num_results; k++)
        cell_to_val(&results[k], sig->results[k], &(kiln_cell){ .i64 = 0 });
    if (h->fn(h->env, h->caller, args, results) != 0)
        kiln__raise(KILN_TRAP_HOST, 0);
    /* The result kinds are the signature's whatever the host wrote: cells are untyped. */
    for (uint32_t k = 0; k < sig->num_results; k++)
        val_to_cell(&cells[k], sig->results[k], &results[k]);
}

void kiln__host_import_init(kiln_host_import *h, kiln_host_fn fn, void *env, kiln_instance *caller, uint32_t type_id)
{
    h->abi.invoke = host_invoke;
    h->fn = fn;
    h->env = env;
    h->caller = caller;
    h->type_id = type_id;
}
