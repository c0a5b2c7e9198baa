/* host.c — entering host functions from Wasm.
 *
 * The importing module's host thunk (one per signature, Wasm convention) spills its arguments to
 * cells and calls abi.invoke; invoke converts cells to kiln_val, calls the host's kiln_host_fn and
 * writes the results back. A record exists per (instance, import) so the host function learns
 * which instance called it. */
#include "internal.h"

#include <string.h>

static void host_invoke(kiln_host_func *self, kiln_cell *cells)
{
    kiln_host_import *h = (kiln_host_import *)self;
    const kiln_sig *sig = kiln__type_get(h->type_id);
    kiln_val args[sig->num_params + 1], results[sig->num_results + 1];
    for (uint32_t k = 0; k < sig->num_params; k++)
        kiln__val_from_cell(&args[k], sig->params[k], &cells[k]);
    for (uint32_t k = 0; k < sig->num_results; k++)
        kiln__val_from_cell(&results[k], sig->results[k], &(kiln_cell){ .i64 = 0 });
    if (h->fn(h->env, h->caller, args, results) != 0) {
        /* A pending exception is raised from this frame, which has unwind tables like all of the
         * runtime, through the host thunk into the Wasm caller. */
        kiln_thread *t = kiln__thread();
        kiln_exception *exn = t->pending_exception;
        t->pending_exception = NULL;
        if (exn)
            kiln__exception_raise(exn);
        kiln__raise(KILN_TRAP_HOST, 0);
    }
    /* The result kinds are the signature's whatever the host wrote: cells are untyped. */
    for (uint32_t k = 0; k < sig->num_results; k++)
        kiln__cell_from_val(&cells[k], sig->results[k], &results[k]);
}

void kiln__host_import_init(kiln_host_import *h, kiln_host_fn fn, void *env, kiln_instance *caller, uint32_t type_id)
{
    h->abi.invoke = host_invoke;
    h->fn = fn;
    h->env = env;
    h->caller = caller;
    h->type_id = type_id;
}
