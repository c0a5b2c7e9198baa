/* test_importer.c — a second hand-written "compiled module" that links against the first:
 *
 * (module
 *   (import "lib" "add" (func (param i32 i32) (result i32)))
 *   (import "lib" "memory" (memory 1)) (import "lib" "counter" (global (mut i32)))
 *   (import "lib" "table" (table 4 funcref))
 *   (elem (table 0) (i32.const 3) $nine)
 *   ;; with -DBAD_DATA: (data (i32.const 0x7fffffff) "x"), so instantiation fails after the elem
 *   ...)
 */
#include <stdint.h>
#include <string.h>

#include "test_abi.h"

enum { T_II_I, T_I_I, T_V_I };

static int32_t read_(void *ctx, int32_t addr) { kiln_vmctx *vm = VMCTX(ctx); return vm->memory0_base[(uint32_t)addr]; }
static int32_t bump(void *ctx) { kiln_vmctx *vm = VMCTX(ctx); return ++vm->globals[0]->i32; }
static int32_t call_add(void *ctx, int32_t a, int32_t b)
{
    kiln_vmctx *vm = VMCTX(ctx);
    kiln_func *f = vm->funcs[0];
    return ((fn_ii_i)f->code)(f->ctx, a, b);
}
static int32_t call_table(void *ctx, int32_t index)
{
    kiln_vmctx *vm = VMCTX(ctx);
    kiln_func *f = indirect_target(vm, 0, (uint32_t)index, T_V_I);
    return ((fn_v_i)f->code)(f->ctx);
}
static int32_t nine(void *ctx) { (void)ctx; return 9; }

static const kiln_type_desc types[] = {
    [T_II_I] = TYPE(T_II_I, 2, 1, ac_ii_i, ht_ii_i), [T_I_I] = TYPE(T_I_I, 1, 1, ac_i_i, ht_i_i), [T_V_I] = TYPE(T_V_I, 0, 1, ac_v_i, ht_v_i),
};
static const kiln_import_desc imports[] = {
    { "lib", "add", KILN_ABI_EXTERN_FUNC, T_II_I, 0, 0, { 0, 0, 0, 0 } },
    { "lib", "memory", KILN_ABI_EXTERN_MEMORY, 0, 0, 0, { 1, 0, 0, 0 } },
    { "lib", "counter", KILN_ABI_EXTERN_GLOBAL, 0, KILN_ABI_I32, 1, { 0, 0, 0, 0 } },
    { "lib", "table", KILN_ABI_EXTERN_TABLE, 0, KILN_ABI_FUNCREF, 0, { 4, 0, 0, 0 } },
};
static const kiln_func_desc funcs[] = {
    { (void *)read_, "read", T_I_I, 0 }, { (void *)bump, "bump", T_V_I, 0 },
    { (void *)call_add, "call_add", T_II_I, 0 }, { (void *)call_table, "call_table", T_I_I, 0 },
    { (void *)nine, "nine", T_V_I, 0 },
};
static const kiln_export_desc exports[] = {
    { "read", KILN_ABI_EXTERN_FUNC, 1, sizeof("read") - 1, 0 }, { "bump", KILN_ABI_EXTERN_FUNC, 2, sizeof("bump") - 1, 0 },
    { "call_add", KILN_ABI_EXTERN_FUNC, 3, sizeof("call_add") - 1, 0 }, { "call_table", KILN_ABI_EXTERN_FUNC, 4, sizeof("call_table") - 1, 0 },
};
static const kiln_const_instr off_3[] = { CONST_I32(3) };
static const kiln_const_instr ref_nine[] = { { KILN_CONST_REF_FUNC, 5, { 0, 0 } } };
static const kiln_const_expr items[] = { EXPR(ref_nine) };
static const kiln_elem_desc elems[] = { { KILN_SEGMENT_ACTIVE, 0, KILN_ABI_FUNCREF, 1, EXPR(off_3), items } };
#ifdef BAD_DATA
static const kiln_const_instr off_bad[] = { CONST_I32(0x7fffffff) };
static const kiln_data_desc datas[] = { { KILN_SEGMENT_ACTIVE, 0, EXPR(off_bad), (const uint8_t *)"x", 1 } };
#define NUM_DATAS 1
#define FINGERPRINT "test-importer bad-data"
#else
static const kiln_data_desc *const datas = NULL;
#define NUM_DATAS 0
#define FINGERPRINT "test-importer"
#endif

#define COUNT(a) (uint32_t)(sizeof a / sizeof a[0])
__attribute__((visibility("default"))) const kiln_module_descriptor kiln_module_descriptor_v10 = {
    .abi_version = KILN_ABI_VERSION,
    .fingerprint = FINGERPRINT,
    .num_types = COUNT(types), .num_imports = COUNT(imports), .num_exports = COUNT(exports),
    .num_funcs = COUNT(funcs), .num_elems = COUNT(elems), .num_datas = NUM_DATAS,
    .start_func = -1,
    .types = types, .imports = imports, .exports = exports, .funcs = funcs, .elems = elems, .datas = datas,
};
