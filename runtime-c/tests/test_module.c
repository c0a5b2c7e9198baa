/* test_module.c — plays the part of a module compiled by Kiln (built with cc -shared -fPIC).
 *
 * (module
 *   (import "env" "mul" (func (param i32 i32) (result i32)))       ;; func 0
 *   (import "env" "host_call" (func (param i32) (result i32)))     ;; func 1
 *   (memory 1 4) (table 4 10 funcref) (global $counter (mut i32) (i32.const 7))
 *   (elem (i32.const 1) $answer $seven)  (data (i32.const 16) "hello")  (data "WXYZ")
 *   (start $start) ...exports...)
 */
#include <stdint.h>
#include <string.h>

#include "test_abi.h"

enum { T_II_I, T_V_V, T_I_I, T_II_V, T_V_I, T_III_V };
enum { F_MUL, F_HOST_CALL, F_ADD, F_UNREACHABLE, F_DIV, F_LOAD, F_STORE, F_GROW, F_SIZE, F_CALL_MUL,
       F_RECURSE, F_GET_COUNTER, F_INC_COUNTER, F_CALL_TABLE, F_FILL, F_ANSWER, F_SEVEN, F_START,
       F_INIT_PASSIVE, F_RECURSE_UNCHECKED, F_CALL_HOST, F_ADD_ONE };

static int32_t add(void *ctx, int32_t a, int32_t b) { (void)ctx; return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t add_one(void *ctx, int32_t a) { (void)ctx; return a + 1; }

static void unreachable_(void *ctx) { kiln_vmctx *vm = VMCTX(ctx); vm->rt->trap(vm, KILN_TRAP_UNREACHABLE); }

static int32_t div_(void *ctx, int32_t a, int32_t b)
{
    kiln_vmctx *vm = VMCTX(ctx);
    if (b == 0)
        vm->rt->trap(vm, KILN_TRAP_INT_DIVIDE_BY_ZERO);
    if (a == INT32_MIN && b == -1)
        vm->rt->trap(vm, KILN_TRAP_INT_OVERFLOW);
    return a / b;
}

/* As generated code reaches the memory 0 its module defines: it begins at the context pointer,
 * where the vmctx ends. */
static uint8_t *memory0(void *ctx) { return ctx; }

/* No bounds check: an out-of-bounds address lands in the guard region and faults. */
static int32_t load(void *ctx, int32_t addr)
{
    int32_t v;
    memcpy(&v, memory0(ctx) + (uint32_t)addr, 4);
    return v;
}

static void store(void *ctx, int32_t addr, int32_t value)
{
    memcpy(memory0(ctx) + (uint32_t)addr, &value, 4);
}

static int32_t grow(void *ctx, int32_t delta) { kiln_vmctx *vm = VMCTX(ctx); return (int32_t)vm->rt->memory_grow(vm, 0, (uint32_t)delta); }
static int32_t size(void *ctx) { kiln_vmctx *vm = VMCTX(ctx); return (int32_t)(vm->memories[0]->size / KILN_WASM_PAGE_SIZE); }

static int32_t call_mul(void *ctx, int32_t a, int32_t b)
{
    kiln_vmctx *vm = VMCTX(ctx);
    kiln_func *f = vm->funcs[F_MUL];
    return ((fn_ii_i)f->code)(f->ctx, a, b);
}

static int32_t call_host(void *ctx, int32_t a)
{
    kiln_vmctx *vm = VMCTX(ctx);
    kiln_func *f = vm->funcs[F_HOST_CALL];
    return ((fn_i_i)f->code)(f->ctx, a);
}

/* Calls through a volatile pointer: the compiler cannot turn the recursion into a loop. */
static int32_t recurse(void *ctx, int32_t n);
static int32_t recurse_unchecked(void *ctx, int32_t n);
static int32_t (*volatile recurse_ptr)(void *, int32_t) = recurse;
static int32_t (*volatile recurse_unchecked_ptr)(void *, int32_t) = recurse_unchecked;

/* The prologue the code generator emits, then a frame big enough to make recursion costly. */
__attribute__((noinline)) static int32_t recurse(void *ctx, int32_t n)
{
    kiln_vmctx *vm = VMCTX(ctx);
    if ((uintptr_t)__builtin_frame_address(0) < vm->stack_limit)
        vm->rt->trap(vm, KILN_TRAP_STACK_EXHAUSTED);
    volatile char pad[256];
    pad[0] = (char)n;
    if (n <= 0)
        return 0;
    return recurse_ptr(ctx, n - 1) + 1 + (pad[0] - (char)n);
}

/* Recursion without the check: only the guard page below the thread's stack stops it. */
__attribute__((noinline)) static int32_t recurse_unchecked(void *ctx, int32_t n)
{
    volatile char pad[256];
    pad[0] = (char)n;
    if (n <= 0)
        return 0;
    return recurse_unchecked_ptr(ctx, n - 1) + 1 + (pad[0] - (char)n);
}

static int32_t get_counter(void *ctx) { kiln_vmctx *vm = VMCTX(ctx); return vm->globals[0]->i32; }
static int32_t inc_counter(void *ctx) { kiln_vmctx *vm = VMCTX(ctx); return ++vm->globals[0]->i32; }

static int32_t call_table(void *ctx, int32_t index)
{
    kiln_vmctx *vm = VMCTX(ctx);
    kiln_func *f = indirect_target(vm, 0, (uint32_t)index, T_V_I);
    return ((fn_v_i)f->code)(f->ctx);
}

static void fill(void *ctx, int32_t dst, int32_t value, int32_t len)
{
    kiln_vmctx *vm = VMCTX(ctx);
    vm->rt->memory_fill(vm, 0, (uint32_t)dst, (uint32_t)value, (uint32_t)len);
}

static int32_t answer(void *ctx) { (void)ctx; return 42; }
static int32_t seven(void *ctx) { (void)ctx; return 7; }
static void start(void *ctx) { kiln_vmctx *vm = VMCTX(ctx); vm->memory0_base[0] = 0x5A; }

static void init_passive(void *ctx, int32_t dst, int32_t len)
{
    kiln_vmctx *vm = VMCTX(ctx);
    vm->rt->memory_init(vm, 0, 1, (uint32_t)dst, 0, (uint32_t)len);
    vm->rt->data_drop(vm, 1);
}

static const kiln_type_desc types[] = {
    [T_II_I] = TYPE(T_II_I, 2, 1, ac_ii_i, ht_ii_i), [T_V_V] = TYPE(T_V_V, 0, 0, ac_v_v, ht_v_v),
    [T_I_I] = TYPE(T_I_I, 1, 1, ac_i_i, ht_i_i),    [T_II_V] = TYPE(T_II_V, 2, 0, ac_ii_v, ht_ii_v),
    [T_V_I] = TYPE(T_V_I, 0, 1, ac_v_i, ht_v_i),    [T_III_V] = TYPE(T_III_V, 3, 0, ac_iii_v, ht_iii_v),
};

static const kiln_import_desc imports[] = {
    { "env", "mul", KILN_ABI_EXTERN_FUNC, T_II_I, 0, 0, { 0, 0, 0, 0 } },
    { "env", "host_call", KILN_ABI_EXTERN_FUNC, T_I_I, 0, 0, { 0, 0, 0, 0 } },
};

#define DEF(fn, t) { (void *)fn, #fn, t, 0 }
static const kiln_func_desc funcs[] = {
    DEF(add, T_II_I), DEF(unreachable_, T_V_V), DEF(div_, T_II_I), DEF(load, T_I_I), DEF(store, T_II_V),
    DEF(grow, T_I_I), DEF(size, T_V_I), DEF(call_mul, T_II_I), DEF(recurse, T_I_I), DEF(get_counter, T_V_I),
    DEF(inc_counter, T_V_I), DEF(call_table, T_I_I), DEF(fill, T_III_V), DEF(answer, T_V_I), DEF(seven, T_V_I),
    DEF(start, T_V_V), DEF(init_passive, T_II_V), DEF(recurse_unchecked, T_I_I), DEF(call_host, T_I_I),
    DEF(add_one, T_I_I),
};

#define EXPORT_FUNC(name, idx) { name, KILN_ABI_EXTERN_FUNC, idx, sizeof(name) - 1, 0 }
static const kiln_export_desc exports[] = {
    EXPORT_FUNC("add", F_ADD), EXPORT_FUNC("unreachable", F_UNREACHABLE), EXPORT_FUNC("div", F_DIV),
    EXPORT_FUNC("load", F_LOAD), EXPORT_FUNC("store", F_STORE), EXPORT_FUNC("grow", F_GROW),
    EXPORT_FUNC("size", F_SIZE), EXPORT_FUNC("call_mul", F_CALL_MUL), EXPORT_FUNC("recurse", F_RECURSE),
    EXPORT_FUNC("get_counter", F_GET_COUNTER), EXPORT_FUNC("inc_counter", F_INC_COUNTER),
    EXPORT_FUNC("call_table", F_CALL_TABLE), EXPORT_FUNC("fill", F_FILL), EXPORT_FUNC("answer", F_ANSWER),
    EXPORT_FUNC("init_passive", F_INIT_PASSIVE), EXPORT_FUNC("recurse_unchecked", F_RECURSE_UNCHECKED),
    EXPORT_FUNC("call_host", F_CALL_HOST), EXPORT_FUNC("add_one", F_ADD_ONE),
    EXPORT_FUNC("mul", F_MUL), /* re-export of a host import */
    { "memory", KILN_ABI_EXTERN_MEMORY, 0, sizeof("memory") - 1, 0 }, { "table", KILN_ABI_EXTERN_TABLE, 0, sizeof("table") - 1, 0 },
    { "counter", KILN_ABI_EXTERN_GLOBAL, 0, sizeof("counter") - 1, 0 },
};

static const kiln_limits_desc memories[] = { { 1, 4, 1, 0 } };
static const kiln_table_desc tables[] = { { KILN_ABI_FUNCREF, 0, { 4, 10, 1, 0 }, { NULL, 0, 0 } } };
static const kiln_const_instr seven_init[] = { CONST_I32(7) };
static const kiln_global_desc globals[] = { { KILN_ABI_I32, 1, EXPR(seven_init) } };

static const kiln_const_instr off_1[] = { CONST_I32(1) };
static const kiln_const_instr ref_answer[] = { { KILN_CONST_REF_FUNC, F_ANSWER, { 0, 0 } } };
static const kiln_const_instr ref_seven[] = { { KILN_CONST_REF_FUNC, F_SEVEN, { 0, 0 } } };
static const kiln_const_expr elem_items[] = { EXPR(ref_answer), EXPR(ref_seven) };
static const kiln_elem_desc elems[] = {
    { KILN_SEGMENT_ACTIVE, 0, KILN_ABI_FUNCREF, 2, EXPR(off_1), elem_items },
};

static const kiln_const_instr off_16[] = { CONST_I32(16) };
static const kiln_data_desc datas[] = {
    { KILN_SEGMENT_ACTIVE, 0, EXPR(off_16), (const uint8_t *)"hello", 5 },
    { KILN_SEGMENT_PASSIVE, 0, { NULL, 0, 0 }, (const uint8_t *)"WXYZ", 4 },
};

#define COUNT(a) (uint32_t)(sizeof a / sizeof a[0])
#ifdef OLD_ABI
/* Built with -DOLD_ABI: the same module as the previous ABI version named and marked it, which
 * the loader must refuse by its version. */
__attribute__((visibility("default"))) const kiln_module_descriptor kiln_module_descriptor_v3 = {
    .abi_version = 3,
#else
__attribute__((visibility("default"))) const kiln_module_descriptor kiln_module_descriptor_v10 = {
    .abi_version = KILN_ABI_VERSION,
#endif
    .cpu_features = 0,
    .fingerprint = "test-module v1",
    .num_types = COUNT(types), .num_imports = COUNT(imports), .num_exports = COUNT(exports),
    .num_funcs = COUNT(funcs), .num_tables = COUNT(tables), .num_memories = COUNT(memories),
    .num_globals = COUNT(globals), .num_elems = COUNT(elems), .num_datas = COUNT(datas),
    .start_func = F_START,
    .types = types, .imports = imports, .exports = exports, .funcs = funcs, .tables = tables,
    .memories = memories, .globals = globals, .elems = elems, .datas = datas,
};
