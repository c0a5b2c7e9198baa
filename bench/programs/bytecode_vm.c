/* bytecode_vm — a small stack machine with locals, calls and a switch-dispatched loop, running a
 * program that counts Collatz steps and sums a recursive function over a range. */
#include "bench.h"

enum op {
    OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIVU, OP_MODU, OP_AND, OP_SHR,
    OP_LT, OP_EQ, OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET, OP_DUP, OP_POP, OP_HALT,
};

typedef struct { uint8_t op; uint8_t a; int32_t imm; } insn;

#define STACK 4096
#define FRAMES 256

static int64_t run(const insn *code, int entry, int64_t arg)
{
    int64_t stack[STACK];
    int64_t locals[FRAMES][8];
    int ret_pc[FRAMES];
    int sp = 0, fp = 0, pc = entry;
    locals[0][0] = arg;
    for (;;) {
        const insn *i = &code[pc++];
        switch (i->op) {
        case OP_PUSH: stack[sp++] = i->imm; break;
        case OP_LOAD: stack[sp++] = locals[fp][i->a]; break;
        case OP_STORE: locals[fp][i->a] = stack[--sp]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DIVU: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] / (uint64_t)stack[sp]); break;
        case OP_MODU: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] % (uint64_t)stack[sp]); break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_SHR: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> stack[sp]); break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JMP: pc = i->imm; break;
        case OP_JZ: if (stack[--sp] == 0) pc = i->imm; break;
        case OP_JNZ: if (stack[--sp] != 0) pc = i->imm; break;
        case OP_CALL:   /* a = argument count, popped into the callee's first locals */
            ret_pc[fp] = pc;
            fp++;
            for (int k = i->a - 1; k >= 0; k--) locals[fp][k] = stack[--sp];
            pc = i->imm;
            break;
        case OP_RET:
            if (fp == 0) return stack[sp - 1];
            fp--;
            pc = ret_pc[fp];
            break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_POP: sp--; break;
        case OP_HALT: return stack[sp - 1];
        }
    }
}

/* An assembler with labels resolved by a fixed layout. */
static insn prog[256];
static int plen;
static int emit(uint8_t op, uint8_t a, int32_t imm) { prog[plen] = (insn){ op, a, imm }; return plen++; }

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 10);
    /* main(n): total = 0; for i = 1; i < n; i++: total += collatz(i) + tri(i & 15); return total */
    /* locals: 0 = n, 1 = i, 2 = total */
    emit(OP_PUSH, 0, 0); emit(OP_STORE, 2, 0);
    emit(OP_PUSH, 0, 1); emit(OP_STORE, 1, 0);
    int loop = emit(OP_LOAD, 1, 0); emit(OP_LOAD, 0, 0); emit(OP_LT, 0, 0);
    int exit_jump = emit(OP_JZ, 0, 0);
    emit(OP_LOAD, 1, 0); int call_collatz = emit(OP_CALL, 1, 0);
    emit(OP_LOAD, 1, 0); emit(OP_PUSH, 0, 15); emit(OP_AND, 0, 0); int call_tri = emit(OP_CALL, 1, 0);
    emit(OP_ADD, 0, 0); emit(OP_LOAD, 2, 0); emit(OP_ADD, 0, 0); emit(OP_STORE, 2, 0);
    emit(OP_LOAD, 1, 0); emit(OP_PUSH, 0, 1); emit(OP_ADD, 0, 0); emit(OP_STORE, 1, 0);
    emit(OP_JMP, 0, loop);
    prog[exit_jump].imm = emit(OP_LOAD, 2, 0); emit(OP_RET, 0, 0);
    /* collatz(x): steps = 0; while x != 1: x = x odd ? 3x+1 : x/2; steps++; return steps */
    int collatz = emit(OP_PUSH, 0, 0); emit(OP_STORE, 1, 0);
    int cl = emit(OP_LOAD, 0, 0); emit(OP_PUSH, 0, 1); emit(OP_EQ, 0, 0);
    int cdone = emit(OP_JNZ, 0, 0);
    emit(OP_LOAD, 0, 0); emit(OP_PUSH, 0, 2); emit(OP_MODU, 0, 0);
    int even = emit(OP_JZ, 0, 0);
    emit(OP_LOAD, 0, 0); emit(OP_PUSH, 0, 3); emit(OP_MUL, 0, 0); emit(OP_PUSH, 0, 1); emit(OP_ADD, 0, 0);
    emit(OP_STORE, 0, 0); int to_count = emit(OP_JMP, 0, 0);
    prog[even].imm = emit(OP_LOAD, 0, 0); emit(OP_PUSH, 0, 2); emit(OP_DIVU, 0, 0); emit(OP_STORE, 0, 0);
    prog[to_count].imm = emit(OP_LOAD, 1, 0); emit(OP_PUSH, 0, 1); emit(OP_ADD, 0, 0); emit(OP_STORE, 1, 0);
    emit(OP_JMP, 0, cl);
    prog[cdone].imm = emit(OP_LOAD, 1, 0); emit(OP_RET, 0, 0);
    /* tri(x): x < 2 ? x : x + tri(x - 1)   (recursive) */
    int tri = emit(OP_LOAD, 0, 0); emit(OP_PUSH, 0, 2); emit(OP_LT, 0, 0);
    int rec = emit(OP_JZ, 0, 0);
    emit(OP_LOAD, 0, 0); emit(OP_RET, 0, 0);
    prog[rec].imm = emit(OP_LOAD, 0, 0); emit(OP_LOAD, 0, 0); emit(OP_PUSH, 0, 1); emit(OP_SUB, 0, 0);
    int call_rec = emit(OP_CALL, 1, 0); emit(OP_ADD, 0, 0); emit(OP_RET, 0, 0);
    prog[call_collatz].imm = collatz;
    prog[call_tri].imm = tri;
    prog[call_rec].imm = tri;

    double start = bench_now();
    uint64_t h = 0;
    for (int r = 0; r < scale; r++)
        h = mix64(h, (uint64_t)run(prog, 0, 40000 + r * 1000));
    bench_report(start);
    printf("bytecode_vm insns=%d reps=%d checksum=%016llx\n", plen, scale, (unsigned long long)h);
    return 0;
}
