/* const_expr.c — evaluates the constant-expression stack programs of the descriptor (global and
 * table initialisers, segment offsets and element items). */
#include "internal.h"

#include <string.h>

#define MAX_DEPTH 64

int kiln__const_eval(const kiln_const_expr *e, kiln_cell *const *globals, uint32_t num_globals,
                     kiln_func *const *funcs, uint32_t num_funcs, kiln_cell *out)
{
    kiln_cell stack[MAX_DEPTH];
    uint32_t sp = 0;
    memset(out, 0, sizeof *out);
    if (e->count && !e->instrs)
        return -1;
    for (uint32_t k = 0; k < e->count; k++) {
        const kiln_const_instr *in = &e->instrs[k];
        if (in->op >= KILN_CONST_I32_ADD) {
            if (sp < 2)
                return -1;
            kiln_cell *a = &stack[sp - 2], *b = &stack[sp - 1];
            /* Unsigned arithmetic: Wasm integer ops wrap. */
            switch (in->op) {
            case KILN_CONST_I32_ADD: a->i32 = (int32_t)((uint32_t)a->i32 + (uint32_t)b->i32); break;
            case KILN_CONST_I32_SUB: a->i32 = (int32_t)((uint32_t)a->i32 - (uint32_t)b->i32); break;
            case KILN_CONST_I32_MUL: a->i32 = (int32_t)((uint32_t)a->i32 * (uint32_t)b->i32); break;
            case KILN_CONST_I64_ADD: a->i64 = (int64_t)((uint64_t)a->i64 + (uint64_t)b->i64); break;
            case KILN_CONST_I64_SUB: a->i64 = (int64_t)((uint64_t)a->i64 - (uint64_t)b->i64); break;
            case KILN_CONST_I64_MUL: a->i64 = (int64_t)((uint64_t)a->i64 * (uint64_t)b->i64); break;
            default: return -1;
            }
            sp--;
            continue;
        }
        if (sp == MAX_DEPTH)
            return -1;
        kiln_cell *c = &stack[sp++];
        memset(c, 0, sizeof *c);
        switch (in->op) {
        case KILN_CONST_I32: c->i32 = (int32_t)(uint32_t)in->bits[0]; break;
        case KILN_CONST_I64: c->i64 = (int64_t)in->bits[0]; break;
        case KILN_CONST_F32: { uint32_t b = (uint32_t)in->bits[0]; memcpy(&c->f32, &b, 4); break; }
        case KILN_CONST_F64: memcpy(&c->f64, &in->bits[0], 8); break;
        case KILN_CONST_V128: memcpy(c->v128, &in->bits[0], 8); memcpy(c->v128 + 8, &in->bits[1], 8); break;
        case KILN_CONST_REF_NULL: c->ref = NULL; break;
        case KILN_CONST_REF_FUNC:
            if (in->index >= num_funcs)
                return -1;
            c->ref = funcs[in->index];
            break;
        case KILN_CONST_GLOBAL_GET:
            /* num_globals counts only those already initialised. */
            if (in->index >= num_globals || !globals[in->index])
                return -1;
            *c = *globals[in->index];
            break;
        default: return -1;
        }
    }
    if (sp != 1)
        return sp == 0 && e->count == 0 ? 0 : -1;
    *out = stack[0];
    return 0;
}
