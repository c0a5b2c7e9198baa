/* test_abi.h — what the Kiln compiler will generate per signature, written by hand for the tests:
 * array-convention trampolines and host thunks. Shared by the hand-written test modules.
 *
 * C cannot declare LLVM's tailcc, so these modules' "Wasm convention" entries are plain C
 * functions. That holds together because they only ever call one another (and the runtime calls
 * them only through their own array-call trampolines and host thunks); they must never be
 * linked with modules the compiler generated. */
#ifndef KILN_TEST_ABI_H
#define KILN_TEST_ABI_H

#include "kiln_abi.h"

#define UNUSED __attribute__((unused))

typedef int32_t (*fn_ii_i)(void *, int32_t, int32_t);
typedef int32_t (*fn_i_i)(void *, int32_t);
typedef int32_t (*fn_v_i)(void *);
typedef void (*fn_v_v)(void *);
typedef void (*fn_ii_v)(void *, int32_t, int32_t);
typedef void (*fn_iii_v)(void *, int32_t, int32_t, int32_t);

/* Array convention: cells in, cells out. */
static UNUSED kiln_exception *ac_ii_i(void *code, void *ctx, kiln_cell *c) { c[0].i32 = ((fn_ii_i)code)(ctx, c[0].i32, c[1].i32); return NULL; }
static UNUSED kiln_exception *ac_i_i(void *code, void *ctx, kiln_cell *c) { c[0].i32 = ((fn_i_i)code)(ctx, c[0].i32); return NULL; }
static UNUSED kiln_exception *ac_v_i(void *code, void *ctx, kiln_cell *c) { c[0].i32 = ((fn_v_i)code)(ctx); return NULL; }
static UNUSED kiln_exception *ac_v_v(void *code, void *ctx, kiln_cell *c) { (void)c; ((fn_v_v)code)(ctx); return NULL; }
static UNUSED kiln_exception *ac_ii_v(void *code, void *ctx, kiln_cell *c) { ((fn_ii_v)code)(ctx, c[0].i32, c[1].i32); return NULL; }
static UNUSED kiln_exception *ac_iii_v(void *code, void *ctx, kiln_cell *c) { ((fn_iii_v)code)(ctx, c[0].i32, c[1].i32, c[2].i32); return NULL; }

/* Host thunks: Wasm convention with ctx = kiln_host_func*. */
static UNUSED int32_t ht_ii_i(void *ctx, int32_t a, int32_t b)
{
    kiln_host_func *h = ctx;
    kiln_cell c[2];
    c[0].i32 = a;
    c[1].i32 = b;
    h->invoke(h, c);
    return c[0].i32;
}
static UNUSED int32_t ht_i_i(void *ctx, int32_t a)
{
    kiln_host_func *h = ctx;
    kiln_cell c[1];
    c[0].i32 = a;
    h->invoke(h, c);
    return c[0].i32;
}
static UNUSED int32_t ht_v_i(void *ctx)
{
    kiln_host_func *h = ctx;
    kiln_cell c[1];
    h->invoke(h, c);
    return c[0].i32;
}
static UNUSED void ht_v_v(void *ctx)
{
    kiln_host_func *h = ctx;
    kiln_cell c[1];
    h->invoke(h, c);
}
static UNUSED void ht_ii_v(void *ctx, int32_t a, int32_t b)
{
    kiln_host_func *h = ctx;
    kiln_cell c[2];
    c[0].i32 = a;
    c[1].i32 = b;
    h->invoke(h, c);
}
static UNUSED void ht_iii_v(void *ctx, int32_t a, int32_t b, int32_t d)
{
    kiln_host_func *h = ctx;
    kiln_cell c[3];
    c[0].i32 = a;
    c[1].i32 = b;
    c[2].i32 = d;
    h->invoke(h, c);
}

static const kiln_abi_typeword T_I32[] = { KILN_ABI_I32, KILN_ABI_I32, KILN_ABI_I32 };

/* Type index t, alone in its recursion group. */
#define TYPE(t, np, nr, ac, ht) { T_I32, T_I32, np, nr, ac, (void *)ht, t, 1 }
#define CONST_I32(v) { KILN_CONST_I32, 0, { (uint64_t)(uint32_t)(v), 0 } }
#define EXPR(arr) { arr, sizeof arr / sizeof arr[0], 0 }

/* The kiln_vmctx behind a function's context pointer, which points just past it (kiln_abi.h). */
#define VMCTX(ctx) ((kiln_vmctx *)(ctx) - 1)

/* What generated code does for call_indirect. */
static UNUSED kiln_func *indirect_target(kiln_vmctx *vm, uint32_t table, uint32_t index, uint32_t type_index)
{
    kiln_table *t = vm->tables[table];
    if (index >= t->size)
        vm->rt->trap(vm, KILN_TRAP_UNDEFINED_ELEMENT);
    kiln_func *f = t->elements[index];
    if (!f)
        vm->rt->trap(vm, KILN_TRAP_UNINITIALIZED_ELEMENT);
    if (f->type_id != vm->type_ids[type_index])
        vm->rt->trap(vm, KILN_TRAP_INDIRECT_CALL_MISMATCH);
    return f;
}

#endif
