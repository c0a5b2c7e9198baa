/* stack_vm/validate.h — one-pass validation and side-table construction.
 * Part of stack_vm.c, one translation unit: it includes the parts in order. */

typedef struct {
    int opcode, start, height, arity, unreachable;
} vframe_t;

/* operand effect: pops, pushes for simple opcodes; -1 if not simple */
static int simple_effect(int op, int *pops, int *pushes)
{
    if (op >= OP_EQ && op <= OP_GE_U) {
        *pops = 2;
        *pushes = 1;
    } else if (op >= OP_ADD && op <= OP_ROTL) {
        *pops = 2;
        *pushes = 1;
    } else if (op == OP_EQZ || op == OP_LOAD || op == OP_LOAD8) {
        *pops = 1;
        *pushes = 1;
    } else if (op == OP_STORE || op == OP_STORE8) {
        *pops = 2;
        *pushes = 0;
    } else if (op == OP_DROP) {
        *pops = 1;
        *pushes = 0;
    } else if (op == OP_SELECT) {
        *pops = 3;
        *pushes = 1;
    } else if (op == OP_NOP) {
        *pops = 0;
        *pushes = 0;
    } else {
        return -1;
    }
    return 0;
}

static int validate(const vm_t *vm, func_t *f)
{
    vframe_t ctl[256];
    int nctl = 0, h = 0, pc = 0;
    int nlocals = f->nparams + f->nlocals;
    ctl[nctl++] = (vframe_t){ OP_BLOCK, -1, 0, f->nresults, 0 };
    /* pop n operands from the current frame; in unreachable code the stack is polymorphic */
#define POP(n)                                                                                     \
    do {                                                                                           \
        if (h - (n) < ctl[nctl - 1].height) {                                                      \
            if (!ctl[nctl - 1].unreachable)                                                        \
                return 0;                                                                          \
            h = ctl[nctl - 1].height;                                                              \
        } else {                                                                                   \
            h -= (n);                                                                              \
        }                                                                                          \
    } while (0)
    while (pc < f->len) {
        int at = pc, op = f->code[pc++], pops, pushes;
        if (simple_effect(op, &pops, &pushes) == 0) {
            if (op == OP_LOAD || op == OP_LOAD8 || op == OP_STORE || op == OP_STORE8)
                read_uleb(f->code, &pc);
            POP(pops);
            h += pushes;
            continue;
        }
        switch (op) {
        case OP_UNREACHABLE:
            h = ctl[nctl - 1].height;
            ctl[nctl - 1].unreachable = 1;
            break;
        case OP_BLOCK:
        case OP_LOOP:
        case OP_IF: {
            int bt = f->code[pc++];
            if (bt != BT_EMPTY && bt != BT_I32)
                return 0;
            if (op == OP_IF)
                POP(1);
            if (nctl == 256)
                return 0;
            ctl[nctl++] = (vframe_t){ op, at, h, bt == BT_I32, 0 };
            f->match_else[at] = -1;
            break;
        }
        case OP_ELSE: {
            vframe_t *fr = &ctl[nctl - 1];
            if (fr->opcode != OP_IF)
                return 0;
            if (h != fr->height + fr->arity && !(fr->unreachable && h <= fr->height + fr->arity))
                return 0;
            f->match_else[fr->start] = (int16_t)at;
            fr->opcode = OP_ELSE;
            h = fr->height;
            fr->unreachable = 0;
            break;
        }
        case OP_END: {
            vframe_t *fr = &ctl[nctl - 1];
            if (h != fr->height + fr->arity && !(fr->unreachable && h <= fr->height + fr->arity))
                return 0;
            if (fr->opcode == OP_IF && fr->arity) /* an if with a result needs an else */
                return 0;
            h = fr->height + fr->arity;
            if (fr->start >= 0)
                f->match_end[fr->start] = (int16_t)at;
            nctl--;
            if (nctl == 0)
                return pc == f->len;
            break;
        }
        case OP_BR:
        case OP_BR_IF: {
            uint32_t d = read_uleb(f->code, &pc);
            if ((int)d >= nctl)
                return 0;
            vframe_t *t = &ctl[nctl - 1 - d];
            int ar = t->opcode == OP_LOOP ? 0 : t->arity;
            if (op == OP_BR_IF)
                POP(1);
            POP(ar);
            if (op == OP_BR) {
                h = ctl[nctl - 1].height;
                ctl[nctl - 1].unreachable = 1;
            } else {
                h += ar;
            }
            break;
        }
        case OP_BR_TABLE: {
            uint32_t n = read_uleb(f->code, &pc);
            POP(1);
            int ar = -1;
            for (uint32_t i = 0; i <= n; i++) {
                uint32_t d = read_uleb(f->code, &pc);
                if ((int)d >= nctl)
                    return 0;
                vframe_t *t = &ctl[nctl - 1 - d];
                int a = t->opcode == OP_LOOP ? 0 : t->arity;
                if (ar >= 0 && a != ar)
                    return 0;
                ar = a;
            }
            POP(ar);
            h = ctl[nctl - 1].height;
            ctl[nctl - 1].unreachable = 1;
            break;
        }
        case OP_RETURN:
            POP(f->nresults);
            h = ctl[nctl - 1].height;
            ctl[nctl - 1].unreachable = 1;
            break;
        case OP_CALL: {
            uint32_t fi = read_uleb(f->code, &pc);
            if ((int)fi >= vm->nfuncs)
                return 0;
            POP(vm->funcs[fi].nparams);
            h += vm->funcs[fi].nresults;
            break;
        }
        case OP_LGET:
        case OP_LSET:
        case OP_LTEE: {
            uint32_t i = read_uleb(f->code, &pc);
            if ((int)i >= nlocals)
                return 0;
            if (op != OP_LGET)
                POP(1);
            if (op != OP_LSET)
                h++;
            break;
        }
        case OP_CONST:
            read_sleb(f->code, &pc);
            h++;
            break;
        default:
            return 0;
        }
        if (h > 1000)
            return 0;
    }
#undef POP
    return 0; /* ran off the end without closing the function body */
}
