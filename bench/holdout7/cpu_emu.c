/* cpu_emu.c — an interpreter for a 32-bit x86-like instruction set: byte-coded variable-length
 * instructions with ModRM and SIB addressing (register, [base+disp8/disp32], [base+index*scale+disp],
 * absolute disp32), 8-bit displacements and immediates, lazy condition flags (the last flag-setting
 * operation and its operands are kept and CF/OF/ZF/SF/PF are derived only when a Jcc asks), all
 * sixteen condition codes, CALL/RET/PUSH/POP on a little-endian stack, IMUL, DIV/IDIV with CDQ,
 * shifts by immediate and by CL, MOVZX byte loads and byte stores.
 *
 * A small in-program assembler with label fixups produces the guest programs (insertion sort,
 * recursive Fibonacci, byte sieve, Euclid by DIV, FNV-1a hashing, signed-division table); each
 * run's results are compared with the same computation done natively. SCALE = rounds over the
 * programs with fresh inputs. */
#include "../programs/bench.h"

enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI };
#define MEMSIZE (1u << 20)

/* ------------------------------------------------------------------ assembler */
typedef struct {
    unsigned char *code;
    uint32_t pos, base;
    uint32_t label_at[64];
    struct { uint32_t at; int label; } fix[256];
    int nfix;
} assembler;

static void b8(assembler *a, uint32_t v) { a->code[a->pos++] = (unsigned char)v; }
static void b32(assembler *a, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b8(a, v >> (8 * i));
}
static void label(assembler *a, int l) { a->label_at[l] = a->base + a->pos; }

/* memory operand: base (or -1 for absolute), index (-1 for none), scale 1/2/4/8 */
static void modrm_mem(assembler *a, int reg, int base, int index, int scale, int32_t disp)
{
    int ss = scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
    if (base < 0 && index < 0) {
        b8(a, (uint32_t)(reg << 3 | 5));
        b32(a, (uint32_t)disp);
        return;
    }
    int mod = disp == 0 && base != EBP ? 0 : (disp >= -128 && disp <= 127 ? 1 : 2);
    if (index >= 0 || base == ESP) {
        b8(a, (uint32_t)(mod << 6 | reg << 3 | 4));
        b8(a, (uint32_t)(ss << 6 | (index >= 0 ? index : 4) << 3 | base));
    } else {
        b8(a, (uint32_t)(mod << 6 | reg << 3 | base));
    }
    if (mod == 1)
        b8(a, (uint32_t)disp);
    else if (mod == 2)
        b32(a, (uint32_t)disp);
}
static void modrm_reg(assembler *a, int reg, int rm) { b8(a, (uint32_t)(0xC0 | reg << 3 | rm)); }

/* ALU op numbers follow the x86 group-1 order */
enum { ADD, OR, ADC_UNUSED, SBB_UNUSED, AND, SUB, XOR, CMP };
static void alu_rr(assembler *a, int op, int dst, int src) { b8(a, (uint32_t)(op << 3 | 1)); modrm_reg(a, src, dst); }
static void alu_rm(assembler *a, int op, int dst, int base, int index, int scale, int32_t disp)
{
    b8(a, (uint32_t)(op << 3 | 3));
    modrm_mem(a, dst, base, index, scale, disp);
}
static void alu_ri(assembler *a, int op, int dst, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        b8(a, 0x83); modrm_reg(a, op, dst); b8(a, (uint32_t)imm);
    } else {
        b8(a, 0x81); modrm_reg(a, op, dst); b32(a, (uint32_t)imm);
    }
}
static void mov_rr(assembler *a, int dst, int src) { b8(a, 0x89); modrm_reg(a, src, dst); }
static void mov_ri(assembler *a, int dst, uint32_t imm) { b8(a, 0xB8 + (uint32_t)dst); b32(a, imm); }
static void load(assembler *a, int dst, int base, int index, int scale, int32_t disp) { b8(a, 0x8B); modrm_mem(a, dst, base, index, scale, disp); }
static void store(assembler *a, int base, int index, int scale, int32_t disp, int src) { b8(a, 0x89); modrm_mem(a, src, base, index, scale, disp); }
static void lea(assembler *a, int dst, int base, int index, int scale, int32_t disp) { b8(a, 0x8D); modrm_mem(a, dst, base, index, scale, disp); }
static void movzx8(assembler *a, int dst, int base, int index, int32_t disp) { b8(a, 0x0F); b8(a, 0xB6); modrm_mem(a, dst, base, index, 1, disp); }
static void store8(assembler *a, int base, int index, int32_t disp, int src) { b8(a, 0x88); modrm_mem(a, src, base, index, 1, disp); }
static void imul_rr(assembler *a, int dst, int src) { b8(a, 0x0F); b8(a, 0xAF); modrm_reg(a, dst, src); }
static void shift_ri(assembler *a, int kind, int r, int n) { b8(a, 0xC1); modrm_reg(a, kind, r); b8(a, (uint32_t)n); }
static void shift_cl(assembler *a, int kind, int r) { b8(a, 0xD3); modrm_reg(a, kind, r); }
enum { SHL = 4, SHR = 5, SAR = 7 };
static void grp3(assembler *a, int sub, int r) { b8(a, 0xF7); modrm_reg(a, sub, r); }
enum { NOT = 2, NEG = 3, DIV = 6, IDIV = 7 };
static void test_rr(assembler *a, int x, int y) { b8(a, 0x85); modrm_reg(a, y, x); }
static void inc(assembler *a, int r) { b8(a, 0x40 + (uint32_t)r); }
static void dec(assembler *a, int r) { b8(a, 0x48 + (uint32_t)r); }
static void push(assembler *a, int r) { b8(a, 0x50 + (uint32_t)r); }
static void pop(assembler *a, int r) { b8(a, 0x58 + (uint32_t)r); }
static void fixup32(assembler *a, int l) { a->fix[a->nfix].at = a->pos; a->fix[a->nfix++].label = l; b32(a, 0); }
enum { JO, JNO, JB, JAE, JE, JNE, JBE, JA, JS, JNS, JP, JNP, JL, JGE, JLE, JG };
static void jcc(assembler *a, int cc, int l) { b8(a, 0x0F); b8(a, 0x80 + (uint32_t)cc); fixup32(a, l); }
static void jcc_back(assembler *a, int cc, int l)
{
    int32_t rel = (int32_t)(a->label_at[l] - (a->base + a->pos + 2));
    if (rel >= -128) {
        b8(a, 0x70 + (uint32_t)cc); b8(a, (uint32_t)rel);
    } else {
        jcc(a, cc, l);
    }
}
static void jmp(assembler *a, int l) { b8(a, 0xE9); fixup32(a, l); }
static void call(assembler *a, int l) { b8(a, 0xE8); fixup32(a, l); }
static void ret(assembler *a) { b8(a, 0xC3); }
static void hlt(assembler *a) { b8(a, 0xF4); }
static void cdq(assembler *a) { b8(a, 0x99); }

static void resolve(assembler *a)
{
    for (int i = 0; i < a->nfix; i++) {
        uint32_t at = a->fix[i].at;
        uint32_t rel = a->label_at[a->fix[i].label] - (a->base + at + 4);
        for (int k = 0; k < 4; k++)
            a->code[at + k] = (unsigned char)(rel >> (8 * k));
    }
    a->nfix = 0;
}

/* ------------------------------------------------------------------ CPU */
enum { F_ADD, F_SUB, F_LOGIC, F_INC, F_DEC, F_SHL, F_SHR, F_SAR, F_MUL };
typedef struct {
    uint32_t r[8], eip;
    unsigned char *mem;
    int fop;
    uint32_t fa, fb, fres, cf_saved;
    uint64_t steps;
} cpu;

static uint32_t rd32(cpu *c, uint32_t addr) { uint32_t v; memcpy(&v, c->mem + (addr & (MEMSIZE - 1)), 4); return v; }
static void wr32(cpu *c, uint32_t addr, uint32_t v) { memcpy(c->mem + (addr & (MEMSIZE - 1)), &v, 4); }

static uint32_t get_cf(const cpu *c)
{
    switch (c->fop) {
    case F_ADD: return c->fres < c->fa;
    case F_SUB: return c->fa < c->fb;
    case F_INC: case F_DEC: return c->cf_saved;
    case F_SHL: return (c->fa >> (32 - c->fb)) & 1;
    case F_SHR: case F_SAR: return (c->fa >> (c->fb - 1)) & 1;
    case F_MUL: return c->fb;
    default: return 0;
    }
}
static uint32_t get_of(const cpu *c)
{
    switch (c->fop) {
    case F_ADD: return ((c->fa ^ c->fres) & (c->fb ^ c->fres)) >> 31;
    case F_SUB: return ((c->fa ^ c->fb) & (c->fa ^ c->fres)) >> 31;
    case F_INC: return c->fres == 0x80000000u;
    case F_DEC: return c->fres == 0x7fffffffu;
    case F_MUL: return c->fb;
    default: return 0;
    }
}
static int cond(const cpu *c, int cc)
{
    uint32_t zf = c->fres == 0, sf = c->fres >> 31, v;
    switch (cc >> 1) {
    case 0: v = get_of(c); break;
    case 1: v = get_cf(c); break;
    case 2: v = zf; break;
    case 3: v = get_cf(c) | zf; break;
    case 4: v = sf; break;
    case 5: v = !(__builtin_popcount(c->fres & 0xff) & 1); break;
    case 6: v = sf != get_of(c); break;
    default: v = zf | (sf != get_of(c)); break;
    }
    return (int)(v ^ (uint32_t)(cc & 1));
}

/* decode ModRM at eip; returns 1 and *reg_or_addr = register number for mod 3, else 0 and address */
static int decode_modrm(cpu *c, int *reg, uint32_t *ea)
{
    unsigned char m = c->mem[c->eip++];
    int mod = m >> 6, rm = m & 7;
    *reg = (m >> 3) & 7;
    if (mod == 3) {
        *ea = (uint32_t)rm;
        return 1;
    }
    uint32_t addr;
    if (rm == 4) {
        unsigned char sib = c->mem[c->eip++];
        int ss = sib >> 6, idx = (sib >> 3) & 7, base = sib & 7;
        addr = idx == 4 ? 0 : c->r[idx] << ss;
        if (base == 5 && mod == 0) {
            addr += rd32(c, c->eip);
            c->eip += 4;
        } else {
            addr += c->r[base];
        }
    } else if (rm == 5 && mod == 0) {
        addr = rd32(c, c->eip);
        c->eip += 4;
    } else {
        addr = c->r[rm];
    }
    if (mod == 1)
        addr += (uint32_t)(int32_t)(signed char)c->mem[c->eip++];
    else if (mod == 2) {
        addr += rd32(c, c->eip);
        c->eip += 4;
    }
    *ea = addr;
    return 0;
}

static uint32_t alu(cpu *c, int op, uint32_t a, uint32_t b)
{
    uint32_t res;
    switch (op) {
    case ADD: res = a + b; c->fop = F_ADD; break;
    case OR: res = a | b; c->fop = F_LOGIC; break;
    case AND: res = a & b; c->fop = F_LOGIC; break;
    case SUB: case CMP: res = a - b; c->fop = F_SUB; break;
    default: res = a ^ b; c->fop = F_LOGIC; break;
    }
    c->fa = a; c->fb = b; c->fres = res;
    return res;
}

static uint32_t shift(cpu *c, int kind, uint32_t v, uint32_t n)
{
    n &= 31;
    if (n == 0)
        return v;
    uint32_t res = kind == SHL ? v << n : kind == SHR ? v >> n : (uint32_t)((int32_t)v >> n);
    c->fop = kind == SHL ? F_SHL : kind == SHR ? F_SHR : F_SAR;
    c->fa = v; c->fb = n; c->fres = res;
    return res;
}

static int run(cpu *c, uint32_t entry, uint64_t limit)
{
    c->eip = entry;
    for (uint64_t n = 0; n < limit; n++) {
        unsigned char op = c->mem[c->eip++];
        int reg;
        uint32_t ea;
        c->steps++;
        if (op < 0x40 && (op & 7) <= 3 && (op & 6) != 4) {
            int aop = op >> 3;
            int isreg = decode_modrm(c, &reg, &ea);
            uint32_t rmv = isreg ? c->r[ea] : rd32(c, ea);
            if (op & 2) { /* r32, r/m32 */
                uint32_t res = alu(c, aop, c->r[reg], rmv);
                if (aop != CMP) c->r[reg] = res;
            } else { /* r/m32, r32 */
                uint32_t res = alu(c, aop, rmv, c->r[reg]);
                if (aop != CMP) {
                    if (isreg) c->r[ea] = res; else wr32(c, ea, res);
                }
            }
            continue;
        }
        switch (op) {
        case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
            c->cf_saved = get_cf(c); c->fa = c->r[op & 7]; c->fres = ++c->r[op & 7]; c->fop = F_INC; break;
        case 0x48: case 0x49: case 0x4A: case 0x4B: case 0x4C: case 0x4D: case 0x4E: case 0x4F:
            c->cf_saved = get_cf(c); c->fa = c->r[op & 7]; c->fres = --c->r[op & 7]; c->fop = F_DEC; break;
        case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
            c->r[ESP] -= 4; wr32(c, c->r[ESP], c->r[op & 7]); break;
        case 0x58: case 0x59: case 0x5A: case 0x5B: case 0x5C: case 0x5D: case 0x5E: case 0x5F:
            c->r[op & 7] = rd32(c, c->r[ESP]); c->r[ESP] += 4; break;
        case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
        case 0x78: case 0x79: case 0x7A: case 0x7B: case 0x7C: case 0x7D: case 0x7E: case 0x7F: {
            int32_t rel = (signed char)c->mem[c->eip++];
            if (cond(c, op & 15)) c->eip += (uint32_t)rel;
            break;
        }
        case 0x81: case 0x83: {
            int isreg = decode_modrm(c, &reg, &ea);
            uint32_t imm;
            if (op == 0x83) imm = (uint32_t)(int32_t)(signed char)c->mem[c->eip++];
            else { imm = rd32(c, c->eip); c->eip += 4; }
            uint32_t v = isreg ? c->r[ea] : rd32(c, ea);
            uint32_t res = alu(c, reg, v, imm);
            if (reg != CMP) { if (isreg) c->r[ea] = res; else wr32(c, ea, res); }
            break;
        }
        case 0x85: {
            int isreg = decode_modrm(c, &reg, &ea);
            alu(c, AND, isreg ? c->r[ea] : rd32(c, ea), c->r[reg]);
            break;
        }
        case 0x88: {
            int isreg = decode_modrm(c, &reg, &ea);
            if (isreg) c->r[ea] = (c->r[ea] & ~0xffu) | (c->r[reg] & 0xff);
            else c->mem[ea & (MEMSIZE - 1)] = (unsigned char)c->r[reg];
            break;
        }
        case 0x89: {
            int isreg = decode_modrm(c, &reg, &ea);
            if (isreg) c->r[ea] = c->r[reg]; else wr32(c, ea, c->r[reg]);
            break;
        }
        case 0x8B: {
            int isreg = decode_modrm(c, &reg, &ea);
            c->r[reg] = isreg ? c->r[ea] : rd32(c, ea);
            break;
        }
        case 0x8D: decode_modrm(c, &reg, &ea); c->r[reg] = ea; break;
        case 0x99: c->r[EDX] = (uint32_t)((int32_t)c->r[EAX] >> 31); break;
        case 0xB8: case 0xB9: case 0xBA: case 0xBB: case 0xBC: case 0xBD: case 0xBE: case 0xBF:
            c->r[op & 7] = rd32(c, c->eip); c->eip += 4; break;
        case 0xC1: case 0xD3: {
            decode_modrm(c, &reg, &ea);
            uint32_t n = op == 0xC1 ? c->mem[c->eip++] : c->r[ECX];
            c->r[ea] = shift(c, reg, c->r[ea], n);
            break;
        }
        case 0xC3: c->eip = rd32(c, c->r[ESP]); c->r[ESP] += 4; break;
        case 0xE8: {
            uint32_t rel = rd32(c, c->eip);
            c->eip += 4;
            c->r[ESP] -= 4; wr32(c, c->r[ESP], c->eip);
            c->eip += rel;
            break;
        }
        case 0xE9: { uint32_t rel = rd32(c, c->eip); c->eip += 4 + rel; break; }
        case 0xF4: return 1;
        case 0xF7: {
            decode_modrm(c, &reg, &ea);
            uint32_t v = c->r[ea];
            if (reg == NOT) c->r[ea] = ~v;
            else if (reg == NEG) { c->r[ea] = alu(c, SUB, 0, v); }
            else if (reg == DIV) {
                uint64_t num = (uint64_t)c->r[EDX] << 32 | c->r[EAX];
                if (v == 0 || num / v > 0xffffffffu) return -1;
                c->r[EAX] = (uint32_t)(num / v); c->r[EDX] = (uint32_t)(num % v);
            } else if (reg == IDIV) {
                int64_t num = (int64_t)((uint64_t)c->r[EDX] << 32 | c->r[EAX]);
                int64_t d = (int32_t)v;
                if (d == 0) return -1;
                int64_t q = num / d;
                if (q > 0x7fffffff || q < -0x7fffffff - 1) return -1;
                c->r[EAX] = (uint32_t)q; c->r[EDX] = (uint32_t)(num % d);
            } else return -1;
            break;
        }
        case 0x0F: {
            unsigned char op2 = c->mem[c->eip++];
            if (op2 >= 0x80 && op2 <= 0x8F) {
                uint32_t rel = rd32(c, c->eip);
                c->eip += 4;
                if (cond(c, op2 & 15)) c->eip += rel;
            } else if (op2 == 0xAF) {
                int isreg = decode_modrm(c, &reg, &ea);
                int64_t p = (int64_t)(int32_t)c->r[reg] * (int32_t)(isreg ? c->r[ea] : rd32(c, ea));
                c->r[reg] = (uint32_t)p;
                c->fop = F_MUL; c->fres = (uint32_t)p; c->fb = p != (int32_t)p;
            } else if (op2 == 0xB6) {
                int isreg = decode_modrm(c, &reg, &ea);
                c->r[reg] = isreg ? c->r[ea] & 0xff : c->mem[ea & (MEMSIZE - 1)];
            } else return -1;
            break;
        }
        default: return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ guest programs */
enum { P_SORT = 0x1000, P_FIB = 0x1400, P_SIEVE = 0x1800, P_GCD = 0x1C00, P_FNV = 0x2000, P_DIVT = 0x2400 };
enum { D_ARR = 0x10000, D_SIEVE = 0x40000, D_PAIRS = 0x60000, D_BYTES = 0x80000, D_OUT = 0xF0000, STACK_TOP = 0xFFF00 };
#define NSORT 600
#define NSIEVE 60000
#define NPAIRS 3000
#define NBYTES 40000

static void assemble(unsigned char *mem)
{
    assembler A, *a = &A;
    memset(a, 0, sizeof A);
    a->code = mem + P_SORT; a->base = P_SORT; a->pos = 0;
    /* insertion sort of int32 at D_ARR[0..NSORT) then weighted sum into EAX */
    mov_ri(a, ESI, D_ARR); mov_ri(a, ECX, 1);
    label(a, 0); alu_ri(a, CMP, ECX, NSORT); jcc(a, JGE, 1);
    load(a, EAX, ESI, ECX, 4, 0); mov_rr(a, EDI, ECX);
    label(a, 2); test_rr(a, EDI, EDI); jcc(a, JE, 3);
    load(a, EDX, ESI, EDI, 4, -4); alu_rr(a, CMP, EDX, EAX); jcc(a, JLE, 3);
    store(a, ESI, EDI, 4, 0, EDX); dec(a, EDI); jmp(a, 2);
    label(a, 3); store(a, ESI, EDI, 4, 0, EAX); inc(a, ECX); jmp(a, 0);
    label(a, 1); alu_rr(a, XOR, EAX, EAX); alu_rr(a, XOR, ECX, ECX);
    label(a, 4); load(a, EDX, ESI, ECX, 4, 0); lea(a, EBX, ECX, -1, 1, 1); imul_rr(a, EDX, EBX);
    alu_rr(a, ADD, EAX, EDX); inc(a, ECX); alu_ri(a, CMP, ECX, NSORT); jcc_back(a, JB, 4);
    hlt(a); resolve(a);

    /* recursive fib: argument in [esp+4], result in EAX */
    a->code = mem + P_FIB; a->base = P_FIB; a->pos = 0;
    push(a, 0); call(a, 10); pop(a, ECX); hlt(a);
    label(a, 10); load(a, EAX, ESP, -1, 1, 4); alu_ri(a, CMP, EAX, 2); jcc(a, JB, 11);
    push(a, EBX); lea(a, EBX, EAX, -1, 1, -1); push(a, EBX); call(a, 10); pop(a, ECX);
    mov_rr(a, ECX, EAX); dec(a, EBX); push(a, ECX); push(a, EBX); call(a, 10); pop(a, EBX); pop(a, ECX);
    alu_rr(a, ADD, EAX, ECX); pop(a, EBX);
    label(a, 11); ret(a); resolve(a);

    /* byte sieve over [0, NSIEVE); count of primes in EAX */
    a->code = mem + P_SIEVE; a->base = P_SIEVE; a->pos = 0;
    mov_ri(a, EDI, D_SIEVE); alu_rr(a, XOR, ECX, ECX); mov_ri(a, EDX, 1);
    label(a, 20); store8(a, EDI, ECX, 0, EDX); inc(a, ECX); alu_ri(a, CMP, ECX, NSIEVE); jcc_back(a, JB, 20);
    alu_rr(a, XOR, EDX, EDX); store8(a, EDI, -1, 0, EDX); store8(a, EDI, -1, 1, EDX);
    mov_ri(a, ECX, 2); alu_rr(a, XOR, EAX, EAX);
    label(a, 21); movzx8(a, EBX, EDI, ECX, 0); test_rr(a, EBX, EBX); jcc(a, JE, 23); inc(a, EAX);
    mov_rr(a, EBX, ECX); imul_rr(a, EBX, ECX); alu_ri(a, CMP, EBX, NSIEVE); jcc(a, JAE, 23);
    label(a, 22); store8(a, EDI, EBX, 0, EDX); alu_rr(a, ADD, EBX, ECX); alu_ri(a, CMP, EBX, NSIEVE); jcc_back(a, JB, 22);
    label(a, 23); inc(a, ECX); alu_ri(a, CMP, ECX, NSIEVE); jcc(a, JB, 21);
    hlt(a); resolve(a);

    /* sum of gcd(a, b) + a over pairs using DIV; result in EAX */
    a->code = mem + P_GCD; a->base = P_GCD; a->pos = 0;
    mov_ri(a, ESI, D_PAIRS); alu_rr(a, XOR, EBP, EBP); mov_ri(a, EDI, NPAIRS);
    label(a, 30); load(a, EAX, ESI, -1, 1, 0); load(a, EBX, ESI, -1, 1, 4);
    label(a, 31); test_rr(a, EBX, EBX); jcc(a, JE, 32);
    alu_rr(a, XOR, EDX, EDX); grp3(a, DIV, EBX); mov_rr(a, EAX, EBX); mov_rr(a, EBX, EDX); jmp(a, 31);
    label(a, 32); alu_rr(a, ADD, EBP, EAX); alu_rm(a, ADD, EBP, ESI, -1, 1, 0); alu_ri(a, ADD, ESI, 8); dec(a, EDI); jcc(a, JNE, 30);
    mov_rr(a, EAX, EBP); hlt(a); resolve(a);

    /* FNV-1a over bytes with a rotating fold; result in EAX */
    a->code = mem + P_FNV; a->base = P_FNV; a->pos = 0;
    mov_ri(a, EAX, 2166136261u); mov_ri(a, ESI, D_BYTES); mov_ri(a, EBX, 16777619u); mov_ri(a, EDI, NBYTES);
    label(a, 40); movzx8(a, EDX, ESI, -1, 0); alu_rr(a, XOR, EAX, EDX); imul_rr(a, EAX, EBX);
    inc(a, ESI); mov_rr(a, ECX, EAX); shift_ri(a, SHR, ECX, 27); mov_rr(a, EDX, EAX); shift_cl(a, SHL, EDX);
    alu_rr(a, XOR, EAX, EDX); dec(a, EDI); jcc_back(a, JNE, 40);
    hlt(a); resolve(a);

    /* signed division table: out[i] = pairs[i].a / (pairs[i].b - 5000) (IDIV), count negatives */
    a->code = mem + P_DIVT; a->base = P_DIVT; a->pos = 0;
    mov_ri(a, ESI, D_PAIRS); mov_ri(a, EDI, D_OUT); alu_rr(a, XOR, ECX, ECX); alu_rr(a, XOR, EBP, EBP);
    label(a, 50); load(a, EBX, ESI, ECX, 8, 4); alu_ri(a, SUB, EBX, 5000); jcc(a, JE, 52);
    load(a, EAX, ESI, ECX, 8, 0); alu_ri(a, SUB, EAX, 40000); cdq(a); grp3(a, IDIV, EBX);
    store(a, EDI, ECX, 4, 0, EAX); test_rr(a, EAX, EAX); jcc(a, JNS, 51); inc(a, EBP); jmp(a, 51);
    label(a, 52); store(a, EDI, ECX, 4, 0, EBX);
    label(a, 51); inc(a, ECX); alu_ri(a, CMP, ECX, NPAIRS); jcc(a, JL, 50);
    mov_rr(a, EAX, EBP); hlt(a); resolve(a);
}

static uint32_t fib_ref(uint32_t n) { return n < 2 ? n : fib_ref(n - 1) + fib_ref(n - 2); }
static int failures;

static uint32_t guest(cpu *c, uint32_t entry, uint32_t arg)
{
    memset(c->r, 0, sizeof c->r);
    c->r[ESP] = STACK_TOP;
    c->r[EAX] = arg;
    if (run(c, entry, 100000000u) != 1)
        failures++;
    return c->r[EAX];
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 46);
    cpu c;
    memset(&c, 0, sizeof c);
    c.mem = calloc(MEMSIZE, 1);
    assemble(c.mem);
    bench_rng r = { 0xe11a70c0ULL };
    int32_t *arr = malloc(sizeof(int32_t) * NSORT);
    uint32_t *pairs = malloc(sizeof(uint32_t) * 2 * NPAIRS);

    double t0 = bench_now();
    uint64_t h = 0;
    for (int round = 0; round < scale; round++) {
        for (int i = 0; i < NSORT; i++) {
            arr[i] = (int32_t)(rng_next(&r) >> 40) - (1 << 23);
            wr32(&c, D_ARR + 4 * (uint32_t)i, (uint32_t)arr[i]);
        }
        for (int i = 0; i < 2 * NPAIRS; i++) {
            pairs[i] = 1 + rng_below(&r, 80000);
            wr32(&c, D_PAIRS + 4 * (uint32_t)i, pairs[i]);
        }
        for (int i = 0; i < NBYTES; i++)
            c.mem[D_BYTES + i] = (unsigned char)(rng_next(&r) >> 50);

        uint32_t got = guest(&c, P_SORT, 0), want = 0;
        for (int i = 1; i < NSORT; i++) { /* native insertion sort for reference */
            int32_t v = arr[i]; int j = i;
            while (j > 0 && arr[j - 1] > v) { arr[j] = arr[j - 1]; j--; }
            arr[j] = v;
        }
        for (int i = 0; i < NSORT; i++) {
            want += (uint32_t)arr[i] * (uint32_t)(i + 1);
            if (rd32(&c, D_ARR + 4 * (uint32_t)i) != (uint32_t)arr[i]) failures++;
        }
        if (got != want) failures++;
        h = mix64(h, got);

        uint32_t fn = 17 + (uint32_t)(round % 4);
        got = guest(&c, P_FIB, fn);
        if (got != fib_ref(fn)) failures++;
        h = mix64(h, got);

        got = guest(&c, P_SIEVE, 0);
        if (got != 6057) failures++; /* primes below 60000 */
        h = mix64(h, got);

        got = guest(&c, P_GCD, 0); want = 0;
        for (int i = 0; i < NPAIRS; i++) {
            uint32_t x = pairs[2 * i], y = pairs[2 * i + 1];
            while (y) { uint32_t t = x % y; x = y; y = t; }
            want += x + pairs[2 * i];
        }
        if (got != want) failures++;
        h = mix64(h, got);

        got = guest(&c, P_FNV, 0); want = 2166136261u;
        for (int i = 0; i < NBYTES; i++) {
            want = (want ^ c.mem[D_BYTES + i]) * 16777619u;
            want ^= want << (want >> 27);
        }
        if (got != want) failures++;
        h = mix64(h, got);

        got = guest(&c, P_DIVT, 0); want = 0;
        for (int i = 0; i < NPAIRS; i++) {
            int32_t b = (int32_t)pairs[2 * i + 1] - 5000, q;
            if (b == 0) q = 0;
            else { q = ((int32_t)pairs[2 * i] - 40000) / b; if (q < 0) want++; }
            if (rd32(&c, D_OUT + 4 * (uint32_t)i) != (uint32_t)q) failures++;
            h = mix64(h, (uint32_t)q);
        }
        if (got != want) failures++;
    }
    bench_report(t0);
    printf("cpu_emu: rounds=%d instructions=%llu failures=%d checksum=%016llx\n", scale,
           (unsigned long long)c.steps, failures, (unsigned long long)h);
    free(c.mem); free(arr); free(pairs);
    return failures != 0;
}
