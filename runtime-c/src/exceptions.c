/* exceptions.c — Wasm exception handling: exception objects, throwing them with the Itanium
 * unwinder, the personality routine every module's landing pads forward to, and the error an
 * exception becomes when it leaves Wasm uncaught.
 *
 * Why the unwinder and not setjmp: a Wasm function that does not throw pays nothing (its frames
 * only need the unwind tables every Kiln module has anyway), and values a try_table body changed
 * reach the handler through the landing pad's SSA edges instead of through memory.
 *
 * Every landing pad Kiln emits is a handler: it tests the tag itself and throws again when no
 * clause matches. So the personality below only has to find whether the call site that raised
 * has a landing pad; it never reads the action or type tables. Traps never come through here:
 * they siglongjmp (traps.c), so Wasm can never catch one. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unwind.h>

_Static_assert(sizeof(struct _Unwind_Exception) <= sizeof(((kiln_exception *)0)->unwind),
               "kiln_exception.unwind must hold the unwinder's header");
_Static_assert(sizeof(kiln_exception) % sizeof(kiln_cell) == 0, "values follow the header, aligned");

/* ---- objects ---- */

static kiln_exception *exception_new(const kiln_tag *tag, const kiln_cell *values, uint32_t count)
{
    kiln_exception *exn = aligned_alloc(16, sizeof *exn + (size_t)count * sizeof(kiln_cell));
    if (!exn)
        return NULL;
    memset(exn, 0, sizeof *exn);
    exn->tag = tag;
    exn->num_values = count;
    exn->values = (kiln_cell *)(exn + 1);
    if (count)
        memcpy(exn->values, values, (size_t)count * sizeof(kiln_cell));
    return exn;
}

void kiln__exception_release(kiln_exception *exn)
{
    if (exn && !exn->held)
        free(exn);
}

void kiln__exceptions_free_held(kiln_exception *list)
{
    while (list) {
        kiln_exception *next = list->next_held;
        free(list);
        list = next;
    }
}

/* ---- personality ---- */

enum {
    DW_EH_PE_omit = 0xff,
    DW_EH_PE_absptr = 0x00, DW_EH_PE_uleb128 = 0x01, DW_EH_PE_udata2 = 0x02, DW_EH_PE_udata4 = 0x03,
    DW_EH_PE_udata8 = 0x04, DW_EH_PE_sleb128 = 0x09, DW_EH_PE_sdata2 = 0x0a, DW_EH_PE_sdata4 = 0x0b,
    DW_EH_PE_sdata8 = 0x0c,
    DW_EH_PE_pcrel = 0x10,
};

/* LEB128: the value's bits, with *shift_out the number read and *last the final byte. */
static uintptr_t read_leb_bits(const uint8_t **p, unsigned *shift_out, uint8_t *last)
{
    uintptr_t value = 0;
    unsigned shift = 0;
    uint8_t byte;
    do {
        byte = *(*p)++;
        value |= (uintptr_t)(byte & 0x7f) << shift;
        shift += 7;
    } while (byte & 0x80);
    *shift_out = shift;
    *last = byte;
    return value;
}

static uintptr_t read_uleb(const uint8_t **p)
{
    unsigned shift;
    uint8_t last;
    return read_leb_bits(p, &shift, &last);
}

static intptr_t read_sleb(const uint8_t **p)
{
    unsigned shift;
    uint8_t last;
    uintptr_t value = read_leb_bits(p, &shift, &last);
    if (shift < 8 * sizeof value && (last & 0x40))
        value |= ~(uintptr_t)0 << shift;
    return (intptr_t)value;
}

/* A DWARF-encoded value of the LSDA. Only the pc-relative application is meaningful there. */
static uintptr_t read_encoded(const uint8_t **p, uint8_t encoding)
{
    const uint8_t *start = *p;
    uintptr_t value;
    switch (encoding & 0x0f) {
    case DW_EH_PE_absptr: memcpy(&value, *p, sizeof value); *p += sizeof value; break;
    case DW_EH_PE_uleb128: value = read_uleb(p); break;
    case DW_EH_PE_sleb128: value = (uintptr_t)read_sleb(p); break;
    case DW_EH_PE_udata2: { uint16_t v; memcpy(&v, *p, 2); *p += 2; value = v; break; }
    case DW_EH_PE_udata4: { uint32_t v; memcpy(&v, *p, 4); *p += 4; value = v; break; }
    case DW_EH_PE_udata8: { uint64_t v; memcpy(&v, *p, 8); *p += 8; value = (uintptr_t)v; break; }
    case DW_EH_PE_sdata2: { int16_t v; memcpy(&v, *p, 2); *p += 2; value = (uintptr_t)(intptr_t)v; break; }
    case DW_EH_PE_sdata4: { int32_t v; memcpy(&v, *p, 4); *p += 4; value = (uintptr_t)(intptr_t)v; break; }
    case DW_EH_PE_sdata8: { int64_t v; memcpy(&v, *p, 8); *p += 8; value = (uintptr_t)v; break; }
    default: abort(); /* LLVM emits none of the others */
    }
    if ((encoding & 0x70) == DW_EH_PE_pcrel)
        value += (uintptr_t)start;
    return value;
}

static int personality(int version, int actions, uint64_t exception_class, void *unwind_exception, void *context)
{
    struct _Unwind_Context *ctx = context;
    if (version != 1 || exception_class != KILN_EXCEPTION_CLASS)
        return _URC_CONTINUE_UNWIND;
    const uint8_t *p = (const uint8_t *)_Unwind_GetLanguageSpecificData(ctx);
    if (!p)
        return _URC_CONTINUE_UNWIND;
    int before = 0;
    uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
    if (!before)
        ip--; /* a return address: the call that raised is the instruction before it */
    uintptr_t function = _Unwind_GetRegionStart(ctx);
    uintptr_t offset = ip - function;

    uint8_t lpstart_encoding = *p++;
    uintptr_t lpstart = lpstart_encoding == DW_EH_PE_omit ? function : read_encoded(&p, lpstart_encoding);
    uint8_t ttype_encoding = *p++;
    if (ttype_encoding != DW_EH_PE_omit)
        read_uleb(&p);
    uint8_t site_encoding = *p++;
    uintptr_t table_length = read_uleb(&p);
    const uint8_t *end = p + table_length;
    while (p < end) {
        uintptr_t start = read_encoded(&p, site_encoding);
        uintptr_t length = read_encoded(&p, site_encoding);
        uintptr_t landing_pad = read_encoded(&p, site_encoding);
        read_uleb(&p); /* action: every Kiln landing pad catches everything of its class */
        if (offset < start)
            break; /* sites are sorted */
        if (offset >= start + length)
            continue;
        if (!landing_pad)
            return _URC_CONTINUE_UNWIND;
        if (actions & _UA_SEARCH_PHASE)
            return _URC_HANDLER_FOUND;
        _Unwind_SetGR(ctx, __builtin_eh_return_data_regno(0), (uintptr_t)unwind_exception);
        _Unwind_SetGR(ctx, __builtin_eh_return_data_regno(1), 1);
        _Unwind_SetIP(ctx, lpstart + landing_pad);
        return _URC_INSTALL_CONTEXT;
    }
    return _URC_CONTINUE_UNWIND;
}

/* ---- raising ---- */

/* Called by the unwinder when code other than Kiln's catches the exception for good. */
static void exception_cleanup(_Unwind_Reason_Code reason, struct _Unwind_Exception *ue)
{
    (void)reason;
    kiln__exception_release((kiln_exception *)ue);
}

void kiln__exception_raise(kiln_exception *exn)
{
    struct _Unwind_Exception *ue = (struct _Unwind_Exception *)exn->unwind;
    memset(ue, 0, sizeof *ue);
    ue->exception_class = KILN_EXCEPTION_CLASS;
    ue->exception_cleanup = exception_cleanup;
    exn->personality = personality;
    _Unwind_RaiseException(ue);
    /* Every entry into Wasm is a trampoline that catches, so only a raise outside any Wasm call
     * gets here: a runtime bug. */
    fprintf(stderr, "kiln: Wasm exception raised outside any Wasm call\n");
    abort();
}

void kiln__rt_throw(kiln_vmctx *vm, uint32_t tag, const kiln_cell *values)
{
    const kiln_tag *t = vm->tags[tag];
    kiln_exception *exn = exception_new(t, values, kiln__type_get(t->type_id)->num_params);
    if (!exn)
        kiln__raise(KILN_TRAP_OUT_OF_MEMORY, 0);
    kiln__exception_raise(exn);
}

void kiln__rt_throw_ref(kiln_vmctx *vm, kiln_exception *exn)
{
    (void)vm;
    if (!exn)
        kiln__raise(KILN_TRAP_NULL_EXCEPTION, 0);
    kiln__exception_raise(exn);
}

void kiln__rt_exception_release(kiln_vmctx *vm, kiln_exception *exn)
{
    (void)vm;
    kiln__exception_release(exn);
}

/* An exnref may now name exn: it lives until the catching instance is freed (there is no
 * collector to tell when the last reference goes). */
void kiln__rt_exception_hold(kiln_vmctx *vm, kiln_exception *exn)
{
    if (exn->held)
        return;
    exn->held = 1;
    exn->next_held = vm->instance->held_exceptions;
    vm->instance->held_exceptions = exn;
}

/* ---- host side ---- */

int kiln_host_throw(const kiln_tag *tag, const kiln_val *values, size_t count)
{
    kiln_thread *t = kiln__thread();
    const kiln_sig *sig = tag ? kiln__type_get(tag->type_id) : NULL;
    if (!sig || count != sig->num_params || (count && !values) || !t->top || t->pending_exception)
        return -1;
    kiln_cell cells[count ? count : 1];
    for (size_t k = 0; k < count; k++) {
        if ((uint32_t)values[k].kind != sig->params[k])
            return -1;
        kiln__cell_from_val(&cells[k], sig->params[k], &values[k]);
    }
    t->pending_exception = exception_new(tag, cells, (uint32_t)count);
    return t->pending_exception ? KILN_HOST_THROWS : -1;
}

kiln_error *kiln__error_uncaught(kiln_exception *exn)
{
    const kiln_tag *tag = exn->tag;
    const kiln_sig *sig = kiln__type_get(tag->type_id);
    char name[160];
    kiln__tag_describe(tag, name, sizeof name);
    kiln_error *e = kiln__error_new("uncaught exception: %s", name);
    if (!kiln__error_is_static(e)) {
        e->tag = tag;
        e->exception_values = calloc(exn->num_values ? exn->num_values : 1, sizeof(kiln_val));
        if (e->exception_values) {
            for (uint32_t k = 0; k < exn->num_values; k++)
                kiln__val_from_cell(&e->exception_values[k], sig->params[k], &exn->values[k]);
            e->exception_value_count = exn->num_values;
        }
    }
    kiln__exception_release(exn);
    return e;
}

int kiln_error_is_exception(const kiln_error *e)
{
    return e && e->tag != NULL;
}

const kiln_tag *kiln_error_exception_tag(const kiln_error *e)
{
    return e ? e->tag : NULL;
}

size_t kiln_error_exception_value_count(const kiln_error *e)
{
    return e ? e->exception_value_count : 0;
}

int kiln_error_exception_value(const kiln_error *e, size_t n, kiln_val *out)
{
    if (!e || !out || n >= e->exception_value_count)
        return -1;
    *out = e->exception_values[n];
    return 0;
}
