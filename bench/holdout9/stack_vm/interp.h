/* stack_vm/interp.h — the interpreter: labels, branches, calls, memory, traps.
 * Part of stack_vm.c, one translation unit: it includes the parts in order. */

typedef struct label {
    int cont, height, arity;
} label_t;

/* Runs function fi whose arguments are at fp[0..nparams); leaves the results at fp[0..nresults).
 * Returns the number of results, or -1 after a trap. */
static int exec(vm_t *vm, int fi, uint32_t *fp)
{
    const func_t *f = &vm->funcs[fi];
    const uint8_t *code = f->code;
    if (++vm->depth > MAX_DEPTH) {
        vm->trap = TRAP_DEPTH;
        return -1;
    }
    if (fp + f->nparams + f->nlocals + 1100 > vm->stack + STACK_SIZE) {
        vm->trap = TRAP_OVERFLOW;
        return -1;
    }
    uint32_t *locals = fp, *base = fp + f->nparams + f->nlocals, *sp = base;
    for (int i = f->nparams; i < f->nparams + f->nlocals; i++)
        locals[i] = 0;
    label_t *labels = vm->labels + (size_t)vm->depth * MAX_LABELS;
    int nl = 0, pc = 0;
    labels[nl++] = (label_t){ f->len, 0, f->nresults };
    uint8_t *mem = vm->mem;
    while (pc < f->len) {
        int at = pc, op = code[pc++];
        switch (op) {
        case OP_UNREACHABLE:
            vm->trap = TRAP_UNREACHABLE;
            return -1;
        case OP_NOP:
            break;
        case OP_BLOCK:
            labels[nl++] = (label_t){ f->match_end[at] + 1, (int)(sp - base), code[pc++] == BT_I32 };
            break;
        case OP_LOOP:
            pc++;
            labels[nl++] = (label_t){ at, (int)(sp - base), 0 };
            break;
        case OP_IF: {
            int ar = code[pc++] == BT_I32;
            uint32_t c = *--sp;
            if (c) {
                labels[nl++] = (label_t){ f->match_end[at] + 1, (int)(sp - base), ar };
            } else if (f->match_else[at] >= 0) {
                labels[nl++] = (label_t){ f->match_end[at] + 1, (int)(sp - base), ar };
                pc = f->match_else[at] + 1;
            } else {
                pc = f->match_end[at] + 1;
            }
            break;
        }
        case OP_ELSE: /* end of the then-branch */
            pc = labels[--nl].cont;
            break;
        case OP_END:
            nl--;
            break;
        case OP_BR:
        case OP_BR_IF:
        case OP_BR_TABLE: {
            uint32_t d;
            if (op == OP_BR) {
                d = read_uleb(code, &pc);
            } else if (op == OP_BR_IF) {
                d = read_uleb(code, &pc);
                if (!*--sp)
                    break;
            } else {
                uint32_t n = read_uleb(code, &pc), idx = *--sp;
                d = 0;
                for (uint32_t i = 0; i <= n; i++) {
                    uint32_t di = read_uleb(code, &pc);
                    if (i == idx || i == n) {
                        d = di;
                        break;
                    }
                }
            }
            const label_t *t = &labels[nl - 1 - (int)d];
            uint32_t *dst = base + t->height;
            if (t->arity && dst != sp - 1)
                *dst = sp[-1];
            sp = dst + t->arity;
            pc = t->cont;
            nl -= (int)d + 1;
            break;
        }
        case OP_RETURN:
            pc = f->len;
            break;
        case OP_CALL: {
            uint32_t callee = read_uleb(code, &pc);
            const func_t *cf = &vm->funcs[callee];
            uint32_t *cfp = sp - cf->nparams;
            vm->steps++;
            int nr = exec(vm, (int)callee, cfp);
            if (nr < 0)
                return -1;
            sp = cfp + nr;
            break;
        }
        case OP_DROP:
            sp--;
            break;
        case OP_SELECT: {
            uint32_t c = *--sp, b = *--sp;
            if (!c)
                sp[-1] = b;
            break;
        }
        case OP_LGET:
            *sp++ = locals[read_uleb(code, &pc)];
            break;
        case OP_LSET:
            locals[read_uleb(code, &pc)] = *--sp;
            break;
        case OP_LTEE:
            locals[read_uleb(code, &pc)] = sp[-1];
            break;
        case OP_LOAD:
        case OP_LOAD8:
        case OP_STORE:
        case OP_STORE8: {
            uint32_t off = read_uleb(code, &pc);
            uint32_t val = 0;
            if (op == OP_STORE || op == OP_STORE8)
                val = *--sp;
            uint64_t ea = (uint64_t)sp[-1] + off;
            uint32_t size = (op == OP_LOAD || op == OP_STORE) ? 4 : 1;
            if (ea + size > MEM_SIZE) {
                vm->trap = TRAP_OOB;
                return -1;
            }
            uint8_t *p = mem + ea;
            if (op == OP_LOAD)
                sp[-1] = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
            else if (op == OP_LOAD8)
                sp[-1] = p[0];
            else {
                sp--;
                p[0] = (uint8_t)val;
                if (op == OP_STORE) {
                    p[1] = (uint8_t)(val >> 8);
                    p[2] = (uint8_t)(val >> 16);
                    p[3] = (uint8_t)(val >> 24);
                }
            }
            break;
        }
        case OP_CONST:
            *sp++ = (uint32_t)read_sleb(code, &pc);
            break;
        case OP_EQZ:
            sp[-1] = sp[-1] == 0;
            break;
        default: {
            uint32_t b = *--sp, a = sp[-1], r;
            switch (op) {
            case OP_EQ: r = a == b; break;
            case OP_NE: r = a != b; break;
            case OP_LT_S: r = (int32_t)a < (int32_t)b; break;
            case OP_LT_U: r = a < b; break;
            case OP_GT_S: r = (int32_t)a > (int32_t)b; break;
            case OP_GT_U: r = a > b; break;
            case OP_LE_S: r = (int32_t)a <= (int32_t)b; break;
            case OP_LE_U: r = a <= b; break;
            case OP_GE_S: r = (int32_t)a >= (int32_t)b; break;
            case OP_GE_U: r = a >= b; break;
            case OP_ADD: r = a + b; break;
            case OP_SUB: r = a - b; break;
            case OP_MUL: r = a * b; break;
            case OP_DIV_S:
            case OP_REM_S:
                if (b == 0 || (op == OP_DIV_S && a == 0x80000000u && b == 0xFFFFFFFFu)) {
                    vm->trap = TRAP_DIV0;
                    return -1;
                }
                if (op == OP_REM_S)
                    r = b == 0xFFFFFFFFu ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
                else
                    r = (uint32_t)((int32_t)a / (int32_t)b);
                break;
            case OP_DIV_U:
            case OP_REM_U:
                if (b == 0) {
                    vm->trap = TRAP_DIV0;
                    return -1;
                }
                r = op == OP_DIV_U ? a / b : a % b;
                break;
            case OP_AND: r = a & b; break;
            case OP_OR: r = a | b; break;
            case OP_XOR: r = a ^ b; break;
            case OP_SHL: r = a << (b & 31); break;
            case OP_SHR_S: r = (uint32_t)((int32_t)a >> (b & 31)); break;
            case OP_SHR_U: r = a >> (b & 31); break;
            case OP_ROTL: r = (a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)); break;
            default:
                vm->trap = TRAP_UNREACHABLE;
                return -1;
            }
            sp[-1] = r;
        }
        }
    }
    /* function end or return: results are the top nresults values */
    for (int i = 0; i < f->nresults; i++)
        fp[i] = sp[i - f->nresults];
    vm->depth--;
    return f->nresults;
}
