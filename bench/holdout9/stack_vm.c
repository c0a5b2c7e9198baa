/* stack_vm.c — a validator and interpreter for a WebAssembly-like structured stack machine.
 *
 * Functions are byte code over a typed-less i32 operand stack with structured control flow:
 * block/loop/if/else/end with empty or one-value block types, br/br_if/br_table to label depths,
 * return, direct calls, locals, byte and word loads and stores with constant offsets into a
 * bounds-checked linear memory, LEB128 immediates, and the usual integer arithmetic,
 * comparisons, shifts and rotates. A validator walks each function once with a control-frame
 * stack, checking operand-stack heights, branch arities, block results and immediates, and
 * records every block's matching else/end offsets in a side table. The interpreter decodes the
 * code in place with a switch, keeps labels (continuation, stack height, arity) on a control
 * stack shared by all calls, recurses in C for calls, and reports traps (unreachable, division by zero, memory out
 * of bounds, call depth) by unwinding. Programs assembled at start-up — recursive Fibonacci, a
 * sieve in memory, Collatz record search, a br_table character-class tokenizer, insertion sort
 * of memory words, Euclid gcd sums, FNV hashing of memory — are run every round on fresh inputs
 * and compared with C; trapping programs must trap, and malformed functions must be rejected.
 */
#include "../programs/bench.h"

enum {
    OP_UNREACHABLE = 0x00, OP_NOP = 0x01, OP_BLOCK = 0x02, OP_LOOP = 0x03, OP_IF = 0x04,
    OP_ELSE = 0x05, OP_END = 0x0B, OP_BR = 0x0C, OP_BR_IF = 0x0D, OP_BR_TABLE = 0x0E,
    OP_RETURN = 0x0F, OP_CALL = 0x10, OP_DROP = 0x1A, OP_SELECT = 0x1B, OP_LGET = 0x20,
    OP_LSET = 0x21, OP_LTEE = 0x22, OP_LOAD = 0x28, OP_LOAD8 = 0x2D, OP_STORE = 0x36,
    OP_STORE8 = 0x3A, OP_CONST = 0x41, OP_EQZ = 0x45, OP_EQ = 0x46, OP_NE = 0x47, OP_LT_S = 0x48,
    OP_LT_U = 0x49, OP_GT_S = 0x4A, OP_GT_U = 0x4B, OP_LE_S = 0x4C, OP_LE_U = 0x4D, OP_GE_S = 0x4E,
    OP_GE_U = 0x4F, OP_ADD = 0x6A, OP_SUB = 0x6B, OP_MUL = 0x6C, OP_DIV_S = 0x6D, OP_DIV_U = 0x6E,
    OP_REM_S = 0x6F, OP_REM_U = 0x70, OP_AND = 0x71, OP_OR = 0x72, OP_XOR = 0x73, OP_SHL = 0x74,
    OP_SHR_S = 0x75, OP_SHR_U = 0x76, OP_ROTL = 0x77
};
#define BT_EMPTY 0x40
#define BT_I32 0x7F

enum { TRAP_NONE, TRAP_UNREACHABLE, TRAP_DIV0, TRAP_OOB, TRAP_DEPTH, TRAP_OVERFLOW };

#define MAX_FUNCS 16
#define MAX_CODE 1024
#define MEM_SIZE (128 * 1024)
#define STACK_SIZE 65536
#define MAX_DEPTH 200
#define MAX_LABELS 256

typedef struct {
    int nparams, nlocals, nresults;
    uint8_t code[MAX_CODE];
    int len;
    int16_t match_end[MAX_CODE], match_else[MAX_CODE]; /* side table, by opcode offset */
    int valid;
} func_t;

typedef struct {
    func_t funcs[MAX_FUNCS];
    int nfuncs;
    uint8_t *mem;
    uint32_t *stack;
    struct label *labels; /* control stacks of all active calls, MAX_LABELS each */
    int trap, depth;
    long steps;
} vm_t;

static int failures;

static uint32_t read_uleb(const uint8_t *c, int *pc)
{
    uint32_t v = 0;
    int shift = 0;
    uint8_t b;
    do {
        b = c[(*pc)++];
        v |= (uint32_t)(b & 0x7F) << shift;
        shift += 7;
    } while ((b & 0x80) && shift < 35);
    return v;
}

static int32_t read_sleb(const uint8_t *c, int *pc)
{
    uint32_t v = 0;
    int shift = 0;
    uint8_t b;
    do {
        b = c[(*pc)++];
        v |= (uint32_t)(b & 0x7F) << shift;
        shift += 7;
    } while ((b & 0x80) && shift < 35);
    if (shift < 32 && (b & 0x40))
        v |= ~0u << shift;
    return (int32_t)v;
}

#include "stack_vm/validate.h"
#include "stack_vm/interp.h"
#include "stack_vm/programs.h"
