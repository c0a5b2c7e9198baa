/* regvm_asm — two-pass text assembler and a register virtual machine.
 *
 * A program in a small three-address assembly language (16 32-bit registers, word-addressed
 * memory, call/ret, push/pop, signed compare-and-branch) is assembled from its source text each
 * round: lines are split with strchr/strspn, mnemonics looked up with bsearch over a sorted table,
 * registers parsed with strtol, immediates with strtoll (base 0), labels collected in a first pass and
 * resolved in the second. The VM decodes fixed-size instruction structs in a switch loop.
 * Entry points run recursive quicksort over LCG data, a byte sieve, bitwise CRC-32 over memory,
 * Ackermann recursion, an integer matrix product and a binary-search probe loop; each reports
 * values through an `out` instruction that feeds the checksum. */
#include "../programs/bench.h"

static const char *SOURCE =
    "; quicksort: r1 = n, r2 = seed; array at 0\n"
    "qs_main:\n"
    "  mov r10, r1\n"
    "  mov r3, 0\n"
    "  mov r4, r2\n"
    "qs_fill:\n"
    "  bge r3, r10, qs_filled\n"
    "  mul r4, r4, 1103515245\n"
    "  add r4, r4, 12345\n"
    "  shr r5, r4, 8\n"
    "  and r5, r5, 0xffff\n"
    "  st r5, r3, 0\n"
    "  add r3, r3, 1\n"
    "  jmp qs_fill\n"
    "qs_filled:\n"
    "  mov r1, 0\n"
    "  sub r2, r10, 1\n"
    "  call qsort\n"
    "  mov r3, 1          ; verify order and hash\n"
    "  mov r11, 0\n"
    "qs_chk:\n"
    "  bge r3, r10, qs_done\n"
    "  ld r5, r3, -1\n"
    "  ld r6, r3, 0\n"
    "  bgt r5, r6, qs_bad\n"
    "  mul r11, r11, 31\n"
    "  add r11, r11, r6\n"
    "  add r3, r3, 1\n"
    "  jmp qs_chk\n"
    "qs_bad:\n"
    "  mov r11, -1\n"
    "qs_done:\n"
    "  out r11\n"
    "  ret\n"
    "qsort:               ; sorts a[r1..r2] inclusive\n"
    "  bge r1, r2, qs_ret\n"
    "  push r1\n"
    "  push r2\n"
    "  ld r5, r2, 0\n"
    "  sub r6, r1, 1\n"
    "  mov r7, r1\n"
    "qs_part:\n"
    "  bge r7, r2, qs_pdone\n"
    "  ld r8, r7, 0\n"
    "  bge r8, r5, qs_noswap\n"
    "  add r6, r6, 1\n"
    "  ld r9, r6, 0\n"
    "  st r8, r6, 0\n"
    "  st r9, r7, 0\n"
    "qs_noswap:\n"
    "  add r7, r7, 1\n"
    "  jmp qs_part\n"
    "qs_pdone:\n"
    "  add r6, r6, 1\n"
    "  ld r9, r6, 0\n"
    "  st r5, r6, 0\n"
    "  st r9, r2, 0\n"
    "  pop r2\n"
    "  pop r1\n"
    "  push r2\n"
    "  push r6\n"
    "  sub r2, r6, 1\n"
    "  call qsort\n"
    "  pop r6\n"
    "  pop r2\n"
    "  add r1, r6, 1\n"
    "  call qsort\n"
    "qs_ret:\n"
    "  ret\n"
    "\n"
    "; sieve: r1 = limit; flags at 8192\n"
    "sieve:\n"
    "  mov r3, 2\n"
    "sv_clr:\n"
    "  bgt r3, r1, sv_clr_done\n"
    "  st r0, r3, 8192      ; r0 is kept zero\n"
    "  add r3, r3, 1\n"
    "  jmp sv_clr\n"
    "sv_clr_done:\n"
    "  mov r3, 2\n"
    "  mov r12, 0\n"
    "sv_outer:\n"
    "  bgt r3, r1, sv_done\n"
    "  ld r4, r3, 8192\n"
    "  jnz r4, sv_next\n"
    "  add r12, r12, 1\n"
    "  mul r5, r3, r3\n"
    "sv_inner:\n"
    "  bgt r5, r1, sv_next\n"
    "  st r3, r5, 8192\n"
    "  add r5, r5, r3\n"
    "  jmp sv_inner\n"
    "sv_next:\n"
    "  add r3, r3, 1\n"
    "  jmp sv_outer\n"
    "sv_done:\n"
    "  out r12\n"
    "  ret\n"
    "\n"
    "; crc32 of the low bytes of words a[0..r1)\n"
    "crc:\n"
    "  mov r3, 0\n"
    "  mov r4, 0xffffffff\n"
    "crc_word:\n"
    "  bge r3, r1, crc_done\n"
    "  ld r5, r3, 0\n"
    "  and r5, r5, 255\n"
    "  xor r4, r4, r5\n"
    "  mov r6, 8\n"
    "crc_bit:\n"
    "  and r7, r4, 1\n"
    "  shr r4, r4, 1\n"
    "  jz r7, crc_nox\n"
    "  xor r4, r4, 0xedb88320\n"
    "crc_nox:\n"
    "  sub r6, r6, 1\n"
    "  jnz r6, crc_bit\n"
    "  add r3, r3, 1\n"
    "  jmp crc_word\n"
    "crc_done:\n"
    "  xor r4, r4, -1\n"
    "  out r4\n"
    "  ret\n"
    "\n"
    "; ackermann(r1, r2) -> r1\n"
    "ack:\n"
    "  jnz r1, ack_m\n"
    "  add r1, r2, 1\n"
    "  ret\n"
    "ack_m:\n"
    "  jnz r2, ack_n\n"
    "  sub r1, r1, 1\n"
    "  mov r2, 1\n"
    "  call ack\n"
    "  ret\n"
    "ack_n:\n"
    "  push r1\n"
    "  sub r2, r2, 1\n"
    "  call ack\n"
    "  mov r2, r1\n"
    "  pop r1\n"
    "  sub r1, r1, 1\n"
    "  call ack\n"
    "  ret\n"
    "ack_main:\n"
    "  call ack\n"
    "  out r1\n"
    "  ret\n"
    "\n"
    "; matrix product C = A*B, r1 = dim, A at 16384, B at 20480, C at 24576\n"
    "matmul:\n"
    "  mul r13, r1, r1\n"
    "  mov r3, 0\n"
    "  mov r4, r2\n"
    "mm_fill:\n"
    "  bge r3, r13, mm_filled\n"
    "  mul r4, r4, 69069\n"
    "  add r4, r4, 1\n"
    "  shr r5, r4, 24\n"
    "  sub r5, r5, 128\n"
    "  st r5, r3, 16384\n"
    "  xor r6, r5, r3\n"
    "  st r6, r3, 20480\n"
    "  add r3, r3, 1\n"
    "  jmp mm_fill\n"
    "mm_filled:\n"
    "  mov r3, 0            ; i\n"
    "mm_i:\n"
    "  bge r3, r1, mm_done\n"
    "  mov r4, 0            ; j\n"
    "mm_j:\n"
    "  bge r4, r1, mm_inext\n"
    "  mov r5, 0            ; k\n"
    "  mov r6, 0            ; acc\n"
    "  mul r7, r3, r1       ; &A[i][0]\n"
    "  mov r8, r4           ; &B[0][j]\n"
    "mm_k:\n"
    "  bge r5, r1, mm_store\n"
    "  ld r9, r7, 16384\n"
    "  ld r10, r8, 20480\n"
    "  mul r9, r9, r10\n"
    "  add r6, r6, r9\n"
    "  add r7, r7, 1\n"
    "  add r8, r8, r1\n"
    "  add r5, r5, 1\n"
    "  jmp mm_k\n"
    "mm_store:\n"
    "  mul r7, r3, r1\n"
    "  add r7, r7, r4\n"
    "  st r6, r7, 24576\n"
    "  add r4, r4, 1\n"
    "  jmp mm_j\n"
    "mm_inext:\n"
    "  add r3, r3, 1\n"
    "  jmp mm_i\n"
    "mm_done:\n"
    "  mov r3, 0\n"
    "  mov r11, 0\n"
    "mm_sum:\n"
    "  bge r3, r13, mm_out\n"
    "  ld r5, r3, 24576\n"
    "  mul r11, r11, 17\n"
    "  xor r11, r11, r5\n"
    "  add r3, r3, 1\n"
    "  jmp mm_sum\n"
    "mm_out:\n"
    "  out r11\n"
    "  ret\n"
    "\n"
    "; binary search probes into the sorted array a[0..r1), r2 probes\n"
    "bsearch:\n"
    "  mov r11, 0\n"
    "  mov r12, 7\n"
    "bs_probe:\n"
    "  jz r2, bs_done\n"
    "  mul r12, r12, 1664525\n"
    "  add r12, r12, 1013904223\n"
    "  shr r13, r12, 16     ; key\n"
    "  mov r3, 0\n"
    "  mov r4, r1\n"
    "bs_loop:\n"
    "  bge r3, r4, bs_found\n"
    "  add r5, r3, r4\n"
    "  shr r5, r5, 1\n"
    "  ld r6, r5, 0\n"
    "  bge r6, r13, bs_left\n"
    "  add r3, r5, 1\n"
    "  jmp bs_loop\n"
    "bs_left:\n"
    "  mov r4, r5\n"
    "  jmp bs_loop\n"
    "bs_found:\n"
    "  add r11, r11, r3\n"
    "  sub r2, r2, 1\n"
    "  jmp bs_probe\n"
    "bs_done:\n"
    "  out r11\n"
    "  ret\n";

enum {
    OP_ADD, OP_AND, OP_BEQ, OP_BGE, OP_BGT, OP_BLT, OP_BNE, OP_CALL, OP_DIV, OP_JMP, OP_JNZ, OP_JZ,
    OP_LD, OP_MOD, OP_MOV, OP_MUL, OP_OR, OP_OUT, OP_POP, OP_PUSH, OP_RET, OP_SHL, OP_SHR, OP_ST,
    OP_SUB, OP_XOR, OP_COUNT
};

typedef struct {
    const char *name;
    int op;
    int nargs; /* operand count */
} Mnem;

/* sorted by name for bsearch */
static const Mnem MNEMS[] = {
    { "add", OP_ADD, 3 }, { "and", OP_AND, 3 }, { "beq", OP_BEQ, 3 }, { "bge", OP_BGE, 3 },
    { "bgt", OP_BGT, 3 }, { "blt", OP_BLT, 3 }, { "bne", OP_BNE, 3 }, { "call", OP_CALL, 1 },
    { "div", OP_DIV, 3 }, { "jmp", OP_JMP, 1 }, { "jnz", OP_JNZ, 2 }, { "jz", OP_JZ, 2 },
    { "ld", OP_LD, 3 }, { "mod", OP_MOD, 3 }, { "mov", OP_MOV, 2 }, { "mul", OP_MUL, 3 },
    { "or", OP_OR, 3 }, { "out", OP_OUT, 1 }, { "pop", OP_POP, 1 }, { "push", OP_PUSH, 1 },
    { "ret", OP_RET, 0 }, { "shl", OP_SHL, 3 }, { "shr", OP_SHR, 3 }, { "st", OP_ST, 3 },
    { "sub", OP_SUB, 3 }, { "xor", OP_XOR, 3 },
};
#define NMNEM (int)(sizeof MNEMS / sizeof MNEMS[0])

typedef struct {
    uint8_t op, a, b, c; /* c is a register unless imm_c */
    uint8_t imm_c;
    int32_t imm; /* immediate or branch target */
} Insn;

#define MAXINSN 1024
#define MAXLABEL 128
static Insn code[MAXINSN];
static int ncode;
static char label_name[MAXLABEL][24];
static int label_pc[MAXLABEL], nlabel;

static int cmp_mnem(const void *k, const void *e)
{
    return strcmp((const char *)k, ((const Mnem *)e)->name);
}

static int find_label(const char *s)
{
    for (int i = 0; i < nlabel; i++)
        if (strcmp(label_name[i], s) == 0)
            return i;
    return -1;
}

/* splits one operand off *p into buf; returns 0 when none left */
static int next_operand(const char **p, char *buf, int cap)
{
    const char *s = *p + strspn(*p, " \t,");
    if (*s == 0)
        return 0;
    int n = 0;
    while (*s && *s != ',' && *s != ' ' && *s != '\t') {
        if (n < cap - 1)
            buf[n++] = *s;
        s++;
    }
    buf[n] = 0;
    *p = s;
    return 1;
}

static int parse_reg(const char *s)
{
    if (s[0] != 'r')
        return -1;
    char *end;
    long v = strtol(s + 1, &end, 10);
    return (*end == 0 && v >= 0 && v < 16) ? (int)v : -1;
}

static int assemble(const char *src)
{
    char line[128], tok[32];
    ncode = 0;
    nlabel = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *p = src;
        int pc = 0;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            if (len >= sizeof line)
                return -1;
            memcpy(line, p, len);
            line[len] = 0;
            p += len + (nl ? 1 : 0);
            char *semi = strchr(line, ';');
            if (semi)
                *semi = 0;
            char *s = line + strspn(line, " \t");
            if (*s == 0)
                continue;
            char *colon = strchr(s, ':');
            if (colon) {
                *colon = 0;
                if (pass == 0) {
                    if (nlabel >= MAXLABEL || strlen(s) >= sizeof label_name[0])
                        return -1;
                    strcpy(label_name[nlabel], s);
                    label_pc[nlabel++] = pc;
                }
                continue;
            }
            size_t ml = strcspn(s, " \t");
            memcpy(tok, s, ml);
            tok[ml] = 0;
            const Mnem *m = bsearch(tok, MNEMS, NMNEM, sizeof MNEMS[0], cmp_mnem);
            if (!m)
                return -1;
            if (pass == 1) {
                Insn in = { (uint8_t)m->op, 0, 0, 0, 0, 0 };
                const char *q = s + ml;
                char ops[3][24];
                int n = 0;
                while (n < 3 && next_operand(&q, ops[n], sizeof ops[n]))
                    n++;
                if (n != m->nargs)
                    return -1;
                for (int i = 0; i < n; i++) {
                    int r = parse_reg(ops[i]);
                    int is_last = (i == n - 1);
                    if (r >= 0) {
                        if (i == 0)
                            in.a = (uint8_t)r;
                        else if (i == 1 && !(is_last && n == 2 && m->op == OP_MOV))
                            in.b = (uint8_t)r;
                        else
                            in.c = (uint8_t)r;
                        continue;
                    }
                    char *end;
                    long long v = strtoll(ops[i], &end, 0); /* long is 32-bit in Wasm */
                    if (*end == 0) {
                        in.imm = (int32_t)(uint32_t)(unsigned long long)v;
                        in.imm_c = 1;
                    } else {
                        int l = find_label(ops[i]);
                        if (l < 0)
                            return -1;
                        in.imm = label_pc[l];
                    }
                }
                if (ncode >= MAXINSN)
                    return -1;
                code[ncode++] = in;
            }
            pc++;
        }
    }
    return ncode;
}

#define MEMW 32768
#define STK 8192
static uint32_t mem[MEMW];
static uint64_t out_hash;
static uint64_t steps;

static int run(int entry, uint32_t a1, uint32_t a2)
{
    uint32_t reg[16] = { 0 };
    int32_t rstack[STK];
    uint32_t dstack[STK];
    int rsp = 0, dsp = 0;
    reg[1] = a1;
    reg[2] = a2;
    rstack[rsp++] = -1;
    int pc = entry;
    uint64_t n = 0;
    for (;;) {
        const Insn *in = &code[pc++];
        uint32_t cv = in->imm_c ? (uint32_t)in->imm : reg[in->c];
        n++;
        switch (in->op) {
        case OP_ADD: reg[in->a] = reg[in->b] + cv; break;
        case OP_SUB: reg[in->a] = reg[in->b] - cv; break;
        case OP_MUL: reg[in->a] = reg[in->b] * cv; break;
        case OP_DIV: reg[in->a] = cv ? reg[in->b] / cv : 0; break;
        case OP_MOD: reg[in->a] = cv ? reg[in->b] % cv : 0; break;
        case OP_AND: reg[in->a] = reg[in->b] & cv; break;
        case OP_OR: reg[in->a] = reg[in->b] | cv; break;
        case OP_XOR: reg[in->a] = reg[in->b] ^ cv; break;
        case OP_SHL: reg[in->a] = reg[in->b] << (cv & 31); break;
        case OP_SHR: reg[in->a] = reg[in->b] >> (cv & 31); break;
        case OP_MOV: reg[in->a] = cv; break;
        case OP_LD: reg[in->a] = mem[(reg[in->b] + cv) & (MEMW - 1)]; break;
        case OP_ST: mem[(reg[in->b] + cv) & (MEMW - 1)] = reg[in->a]; break;
        case OP_JMP: pc = in->imm; break;
        case OP_JZ: if (reg[in->a] == 0) pc = in->imm; break;
        case OP_JNZ: if (reg[in->a] != 0) pc = in->imm; break;
        case OP_BEQ: if (reg[in->a] == reg[in->b]) pc = in->imm; break;
        case OP_BNE: if (reg[in->a] != reg[in->b]) pc = in->imm; break;
        case OP_BLT: if ((int32_t)reg[in->a] < (int32_t)reg[in->b]) pc = in->imm; break;
        case OP_BGE: if ((int32_t)reg[in->a] >= (int32_t)reg[in->b]) pc = in->imm; break;
        case OP_BGT: if ((int32_t)reg[in->a] > (int32_t)reg[in->b]) pc = in->imm; break;
        case OP_CALL:
            if (rsp >= STK)
                return -2;
            rstack[rsp++] = pc;
            pc = in->imm;
            break;
        case OP_RET:
            pc = rstack[--rsp];
            if (pc < 0) {
                steps += n;
                return 0;
            }
            break;
        case OP_PUSH:
            if (dsp >= STK)
                return -2;
            dstack[dsp++] = reg[in->a];
            break;
        case OP_POP:
            if (dsp <= 0)
                return -3;
            reg[in->a] = dstack[--dsp];
            break;
        case OP_OUT: out_hash = mix64(out_hash, reg[in->a]); break;
        default: return -1;
        }
    }
}

static int entry(const char *name)
{
    int l = find_label(name);
    return l < 0 ? 0 : label_pc[l];
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 19);
    double start = bench_now();
    int bad = 0;
    for (int round = 0; round < scale; round++) {
        if (assemble(SOURCE) <= 0) {
            printf("regvm_asm: assembly failed\n");
            return 1;
        }
        out_hash = mix64(out_hash, (uint64_t)ncode);
        for (int k = 0; k < 4; k++) {
            uint32_t v = (uint32_t)(round * 4 + k);
            bad |= run(entry("qs_main"), 3000 + (v % 7) * 150, 12345 + v);
            bad |= run(entry("bsearch"), 3000 + (v % 7) * 150, 4000);
            bad |= run(entry("crc"), 3000, 0);
            bad |= run(entry("sieve"), 7000 + v % 1000, 0);
            bad |= run(entry("ack_main"), 2, 300 + v % 50);
            bad |= run(entry("ack_main"), 3, 5);
            bad |= run(entry("matmul"), 24 + v % 5, 77 + v);
        }
    }
    bench_report(start);
    printf("regvm_asm rounds=%d insns=%d steps=%llu status=%d checksum=%016llx\n", scale, ncode,
        (unsigned long long)steps, bad, (unsigned long long)out_hash);
    return 0;
}
