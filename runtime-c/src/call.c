/* call.c — the one entry from the host into Wasm, and the checked public call API.
 *
 * kiln__invoke pushes a frame on this thread's chain and arms it with sigsetjmp; explicit traps
 * (kiln__raise) and the fault handler siglongjmp to the innermost frame. Frames nest: a host
 * function called from Wasm may call into Wasm again, and a trap there unwinds only to the inner
 * entry. The signal mask is not saved (it would cost a syscall per call); signals.c arranges for
 * the fault signals never to be blocked when a handler leaves by siglongjmp. */
#include "internal.h"

#include <string.h>

static int call_failed(kiln_instance *owner, kiln_error **err, kiln_error *e)
{
    if (owner && owner->wasi)
        e = kiln__wasi_call_failed(owner, e);
    return kiln__fail(err, e);
}

int kiln__invoke(kiln_func *f, kiln_cell *cells, kiln_error **err)
{
    kiln_thread *t = kiln__thread();
    kiln_instance *owner = f->owner;
    if (owner && KILN_UNLIKELY(__atomic_load_n(&owner->vmctx->stack_limit, __ATOMIC_RELAXED) != t->stack_limit)) {
        /* A pending interrupt has raised the limit, so it is only ever found on this slow path;
         * one that comes while the limit is unchanged stops the call at its first check. */
        if (atomic_load(&owner->interrupt_pending) && kiln__link_take_interrupt(owner))
            return call_failed(owner, err, kiln__error_trap(KILN_TRAP_INTERRUPTED, 0));
        kiln__link_set_stack_limit(owner, t->stack_limit);
        /* An interrupt that came while the limit was being reset must not be lost. */
        if (KILN_UNLIKELY(atomic_load(&owner->interrupt_pending)))
            kiln__link_interrupt(owner);
    }
    kiln_call_frame frame;
    frame.prev = t->top;
    frame.trap_code = KILN_TRAP_NONE;
    frame.exit_status = 0;
    t->top = &frame;
    if (KILN_LIKELY(sigsetjmp(frame.jb, 0) == 0)) {
        kiln_exception *uncaught = f->array_call(f->code, f->ctx, cells);
        t->top = frame.prev;
        if (KILN_UNLIKELY(uncaught))
            return call_failed(owner, err, kiln__error_uncaught(uncaught));
        return 0;
    }
    t->top = frame.prev;
    /* The stack check of an interrupted instance fired: its limit had been raised to the top. */
    if (frame.trap_code == KILN_TRAP_STACK_EXHAUSTED && owner && kiln__link_take_interrupt(owner))
        frame.trap_code = KILN_TRAP_INTERRUPTED;
    return call_failed(owner, err, kiln__error_from_frame(&frame));
}

static const char *kind_name(uint32_t k)
{
    switch (k) {
    case KILN_I32: return "i32";
    case KILN_I64: return "i64";
    case KILN_F32: return "f32";
    case KILN_F64: return "f64";
    case KILN_V128: return "v128";
    case KILN_FUNCREF: return "funcref";
    case KILN_EXTERNREF: return "externref";
    case KILN_EXNREF: return "exnref";
    default: return "(invalid kind)";
    }
}

static int call_checked(kiln_func *f, const kiln_val *args, size_t nargs, kiln_val *results, size_t nresults,
                        kiln_error **err)
{
    const kiln_sig *sig = kiln__type_get(f->type_id);
    if (KILN_UNLIKELY(!sig))
        return kiln__fail(err, kiln__error_new("invalid function reference"));
    if (KILN_UNLIKELY(nargs != sig->num_params))
        return kiln__fail(err, kiln__error_new("wrong number of arguments: the function takes %u, %zu given",
                                               sig->num_params, nargs));
    if (KILN_UNLIKELY(nresults != sig->num_results))
        return kiln__fail(err, kiln__error_new("wrong number of results: the function returns %u, room for %zu given",
                                               sig->num_results, nresults));
    if (KILN_UNLIKELY((nargs && !args) || (nresults && !results)))
        return kiln__fail(err, kiln__error_new("missing argument or result array"));
    size_t n = nargs > nresults ? nargs : nresults;
    kiln_cell cells[n ? n : 1];
    for (size_t k = 0; k < nargs; k++) {
        if (KILN_UNLIKELY((uint32_t)args[k].kind != sig->params[k]))
            return kiln__fail(err, kiln__error_new("argument %zu has kind %s, the function expects %s", k,
                                                   kind_name(args[k].kind), kind_name(sig->params[k])));
        kiln__cell_from_val(&cells[k], sig->params[k], &args[k]);
    }
    if (kiln__invoke(f, cells, err) != 0)
        return -1;
    for (size_t k = 0; k < nresults; k++)
        kiln__val_from_cell(&results[k], sig->results[k], &cells[k]);
    return 0;
}

int kiln_call(kiln_instance *i, const char *export_name, const kiln_val *args, size_t nargs,
              kiln_val *results, size_t nresults, kiln_error **err)
{
    if (KILN_UNLIKELY(!i))
        return kiln__fail(err, kiln__error_new("no instance"));
    int32_t e = kiln__module_find_export(i->module, export_name);
    if (KILN_UNLIKELY(e < 0))
        return kiln__fail(err, kiln__error_new("unknown export: \"%s\"", export_name ? export_name : ""));
    const kiln_export_desc *ex = &i->module->desc->exports[e];
    if (KILN_UNLIKELY(ex->kind != KILN_ABI_EXTERN_FUNC))
        return kiln__fail(err, kiln__error_new("export \"%s\" is not a function", export_name));
    return call_checked(i->funcs[ex->index], args, nargs, results, nresults, err);
}

int kiln_func_call(kiln_func *f, const kiln_val *args, size_t nargs, kiln_val *results, size_t nresults,
                   kiln_error **err)
{
    if (!f)
        return kiln__fail(err, kiln__error_new("null function reference"));
    return call_checked(f, args, nargs, results, nresults, err);
}
