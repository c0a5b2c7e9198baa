/* values.c — conversions between the host's tagged kiln_val and the ABI's untyped cells. The kind
 * always comes from a signature or a global's type, never from the host's tag: cells carry none. */
#include "internal.h"

#include <string.h>

void kiln__cell_from_val(kiln_cell *c, uint32_t kind, const kiln_val *v)
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

void kiln__val_from_cell(kiln_val *v, uint32_t kind, const kiln_cell *c)
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

bool kiln__valkind_valid(kiln_valkind k)
{
    switch (k) {
    case KILN_I32: case KILN_I64: case KILN_F32: case KILN_F64:
    case KILN_V128: case KILN_FUNCREF: case KILN_EXTERNREF: case KILN_EXNREF:
        return true;
    default:
        return false;
    }
}
