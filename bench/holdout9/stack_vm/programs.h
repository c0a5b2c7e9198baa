/* stack_vm/programs.h — a small assembler, the programs, their C references, main loop.
 * Part of stack_vm.c, one translation unit: it includes the parts in order. */

static func_t *cur;

static void emit(int b) { cur->code[cur->len++] = (uint8_t)b; }

static void uleb(uint32_t v)
{
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        emit(v ? b | 0x80 : b);
    } while (v);
}

static void sleb(int32_t v)
{
    for (;;) {
        uint8_t b = (uint8_t)(v & 0x7F);
        v >>= 7; /* arithmetic shift of a signed value: implementation-defined, clang sign-extends */
        if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
            emit(b);
            return;
        }
        emit(b | 0x80);
    }
}

static void op1(int op, uint32_t imm) { emit(op); uleb(imm); }
#define LG(i) op1(OP_LGET, i)
#define LS(i) op1(OP_LSET, i)
#define LT(i) op1(OP_LTEE, i)
#define K(v) (emit(OP_CONST), sleb(v))
#define O(op) emit(OP_##op)
#define BLOCK(bt) (emit(OP_BLOCK), emit(bt))
#define LOOP() (emit(OP_LOOP), emit(BT_EMPTY))
#define IF(bt) (emit(OP_IF), emit(bt))
#define BR(d) op1(OP_BR, d)
#define BRIF(d) op1(OP_BR_IF, d)
#define CALL(f) op1(OP_CALL, f)
#define LD(off) op1(OP_LOAD, off)
#define LD8(off) op1(OP_LOAD8, off)
#define ST(off) op1(OP_STORE, off)
#define ST8(off) op1(OP_STORE8, off)
#define INC(i) (LG(i), K(1), O(ADD), LS(i))
/* for (local i = from; i <= local lim (or < when strict); i++) { body } */
#define E BT_EMPTY

enum { F_FIB, F_SIEVE, F_COLLATZ, F_TOKENS, F_SORT, F_GCD, F_GCDSUM, F_FNV, F_SUMREC, F_DIV, F_OOB,
       F_PICK, NPROG };

static func_t *begin(vm_t *vm, int idx, int np, int nl, int nr)
{
    cur = &vm->funcs[idx];
    cur->nparams = np;
    cur->nlocals = nl;
    cur->nresults = nr;
    cur->len = 0;
    return cur;
}

#define SIEVE_BASE 1024
#define TEXT_BASE 2048
#define SORT_BASE 65536

static void assemble(vm_t *vm)
{
    vm->nfuncs = NPROG;
    begin(vm, F_FIB, 1, 0, 1);
    LG(0); K(2); O(LT_U); IF(BT_I32); LG(0); O(ELSE);
    LG(0); K(1); O(SUB); CALL(F_FIB); LG(0); K(2); O(SUB); CALL(F_FIB); O(ADD); O(END); O(END);

    begin(vm, F_SIEVE, 1, 3, 1); /* n; i, j, count */
    K(0); LS(1);
    BLOCK(E); LOOP(); LG(1); LG(0); O(GT_U); BRIF(1);
    LG(1); K(0); ST8(SIEVE_BASE); INC(1); BR(0); O(END); O(END);
    K(2); LS(1);
    BLOCK(E); LOOP(); LG(1); LG(1); O(MUL); LG(0); O(GT_U); BRIF(1);
    LG(1); LD8(SIEVE_BASE); O(EQZ); IF(E);
    LG(1); LG(1); O(MUL); LS(2);
    BLOCK(E); LOOP(); LG(2); LG(0); O(GT_U); BRIF(1);
    LG(2); K(1); ST8(SIEVE_BASE); LG(2); LG(1); O(ADD); LS(2); BR(0); O(END); O(END);
    O(END); INC(1); BR(0); O(END); O(END);
    K(2); LS(1);
    BLOCK(E); LOOP(); LG(1); LG(0); O(GT_U); BRIF(1);
    LG(3); LG(1); LD8(SIEVE_BASE); O(EQZ); O(ADD); LS(3); INC(1); BR(0); O(END); O(END);
    LG(3); O(END);

    begin(vm, F_COLLATZ, 1, 5, 1); /* limit; k, x, steps, best, bestk */
    K(1); LS(1);
    BLOCK(E); LOOP(); LG(1); LG(0); O(GT_U); BRIF(1);
    LG(1); LS(2); K(0); LS(3);
    BLOCK(E); LOOP(); LG(2); K(1); O(EQ); BRIF(1);
    LG(2); K(1); O(AND); IF(BT_I32); LG(2); K(3); O(MUL); K(1); O(ADD); O(ELSE); LG(2); K(1); O(SHR_U); O(END);
    LS(2); INC(3); BR(0); O(END); O(END);
    LG(3); LG(4); O(GT_U); IF(E); LG(3); LS(4); LG(1); LS(5); O(END);
    INC(1); BR(0); O(END); O(END);
    LG(4); K(16); O(SHL); LG(5); O(XOR); O(END);

    begin(vm, F_TOKENS, 2, 6, 1); /* ptr, len; i, cls, words, nums, puncts, state */
    BLOCK(E); LOOP(); LG(2); LG(1); O(GE_U); BRIF(1);
    LG(0); LG(2); O(ADD); LD8(0); LS(3);
    LG(3); K(97); O(GE_U); LG(3); K(122); O(LE_U); O(AND);
    IF(BT_I32); K(0); O(ELSE);
    LG(3); K(48); O(GE_U); LG(3); K(57); O(LE_U); O(AND);
    IF(BT_I32); K(1); O(ELSE); K(2); K(3); LG(3); K(32); O(EQ); O(SELECT); O(END); O(END);
    LS(3);
    BLOCK(E); BLOCK(E); BLOCK(E); BLOCK(E); BLOCK(E);
    LG(3); emit(OP_BR_TABLE); uleb(4); uleb(0); uleb(1); uleb(2); uleb(3); uleb(3);
    O(END); /* letter */
    LG(7); K(1); O(NE); IF(E); INC(4); O(END); K(1); LS(7); BR(3);
    O(END); /* digit */
    LG(7); K(2); O(NE); IF(E); INC(5); O(END); K(2); LS(7); BR(2);
    O(END); /* space */
    K(0); LS(7); BR(1);
    O(END); /* other */
    INC(6); K(0); LS(7);
    O(END);
    INC(2); BR(0); O(END); O(END);
    LG(4); LG(5); K(11); O(SHL); O(XOR); LG(6); K(22); O(ROTL); O(XOR); O(END);

    begin(vm, F_SORT, 2, 3, 0); /* ptr, n; i, j, key — insertion sort of signed words */
    K(1); LS(2);
    BLOCK(E); LOOP(); LG(2); LG(1); O(GE_U); BRIF(1);
    LG(0); LG(2); K(2); O(SHL); O(ADD); LD(0); LS(4);
    LG(2); LS(3);
    BLOCK(E); LOOP(); LG(3); O(EQZ); BRIF(1);
    LG(0); LG(3); K(2); O(SHL); O(ADD); K(4); O(SUB); LD(0); LG(4); O(LE_S); BRIF(1);
    LG(0); LG(3); K(2); O(SHL); O(ADD);
    LG(0); LG(3); K(2); O(SHL); O(ADD); K(4); O(SUB); LD(0); ST(0);
    LG(3); K(1); O(SUB); LS(3); BR(0); O(END); O(END);
    LG(0); LG(3); K(2); O(SHL); O(ADD); LG(4); ST(0);
    INC(2); BR(0); O(END); O(END); O(END);

    begin(vm, F_GCD, 2, 0, 1);
    BLOCK(E); LOOP(); LG(1); O(EQZ); BRIF(1);
    LG(0); LG(1); O(REM_U); LG(1); LS(0); LS(1); BR(0); O(END); O(END); LG(0); O(END);

    begin(vm, F_GCDSUM, 1, 3, 1); /* n; i, j, s */
    K(1); LS(1);
    BLOCK(E); LOOP(); LG(1); LG(0); O(GT_U); BRIF(1);
    K(1); LS(2);
    BLOCK(E); LOOP(); LG(2); LG(0); O(GT_U); BRIF(1);
    LG(3); LG(1); LG(2); CALL(F_GCD); O(ADD); LS(3); INC(2); BR(0); O(END); O(END);
    INC(1); BR(0); O(END); O(END); LG(3); O(END);

    begin(vm, F_FNV, 2, 2, 1); /* ptr, len; i, h */
    K((int32_t)2166136261u); LS(3);
    BLOCK(E); LOOP(); LG(2); LG(1); O(GE_U); BRIF(1);
    LG(3); LG(0); LG(2); O(ADD); LD8(0); O(XOR); K(16777619); O(MUL); LS(3);
    INC(2); BR(0); O(END); O(END);
    LG(3); K(13); O(ROTL); LG(3); O(XOR); O(END);

    begin(vm, F_SUMREC, 1, 0, 1);
    LG(0); O(EQZ); IF(BT_I32); K(0); O(ELSE); LG(0); LG(0); K(1); O(SUB); CALL(F_SUMREC); O(ADD);
    O(END); O(END);

    begin(vm, F_DIV, 2, 0, 1);
    LG(0); LG(1); O(DIV_S); LG(0); LG(1); O(REM_U); O(ADD); O(END);

    begin(vm, F_OOB, 1, 0, 1);
    LG(0); LD(8); O(RETURN); O(END);

    begin(vm, F_PICK, 1, 0, 1); /* unreachable above 100, else select on parity */
    LG(0); K(100); O(GT_S); IF(BT_I32); O(UNREACHABLE); O(ELSE);
    LG(0); K(2); O(MUL); LG(0); K(3); O(MUL); LG(0); K(1); O(AND); O(SELECT); O(END); O(END);
}

/* malformed functions: each must fail validation */
static int assemble_bad(vm_t *vm, int which)
{
    func_t *f = begin(vm, NPROG, 1, 1, 1);
    switch (which) {
    case 0: K(1); O(ADD); O(END); break;                          /* operand stack underflow */
    case 1: BLOCK(E); BR(2); O(END); K(0); O(END); break;         /* branch depth out of range */
    case 2: BLOCK(BT_I32); O(NOP); O(END); O(END); break;         /* block result missing */
    case 3: LG(0); BLOCK(E); O(END); break;                       /* function body not closed */
    case 4: LG(0); IF(BT_I32); K(1); O(END); O(END); break;       /* if with a result, no else */
    case 5: LG(2); O(END); break;                                 /* local index out of range */
    case 6: LG(0); CALL(40); O(END); break;                       /* no such function */
    case 7: /* br_table targets of different arity */
        BLOCK(BT_I32); BLOCK(E); K(1); LG(0); emit(OP_BR_TABLE); uleb(1); uleb(0); uleb(1);
        O(END); K(2); O(END); O(END); break;
    case 8: K(1); K(2); O(END); break;                            /* two values left */
    default: K(1); O(ELSE); O(END); break;                        /* else outside an if */
    }
    return validate(vm, f);
}

/* ---------- C references ---------- */

static uint32_t ref_fib(uint32_t n) { return n < 2 ? n : ref_fib(n - 1) + ref_fib(n - 2); }

static uint32_t ref_sieve(uint32_t n, uint8_t *flags)
{
    memset(flags, 0, n + 1);
    for (uint32_t i = 2; i * i <= n; i++)
        if (!flags[i])
            for (uint32_t j = i * i; j <= n; j += i)
                flags[j] = 1;
    uint32_t c = 0;
    for (uint32_t i = 2; i <= n; i++)
        c += !flags[i];
    return c;
}

static uint32_t ref_collatz(uint32_t limit)
{
    uint32_t best = 0, bestk = 0;
    for (uint32_t k = 1; k <= limit; k++) {
        uint32_t x = k, steps = 0;
        while (x != 1) {
            x = (x & 1) ? 3 * x + 1 : x >> 1;
            steps++;
        }
        if (steps > best) {
            best = steps;
            bestk = k;
        }
    }
    return best << 16 ^ bestk;
}

static uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> ((32 - r) & 31)); }

static uint32_t ref_tokens(const uint8_t *p, uint32_t len)
{
    uint32_t words = 0, nums = 0, puncts = 0, state = 0;
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        if (c >= 'a' && c <= 'z') {
            words += state != 1;
            state = 1;
        } else if (c >= '0' && c <= '9') {
            nums += state != 2;
            state = 2;
        } else if (c == ' ') {
            state = 0;
        } else {
            puncts++;
            state = 0;
        }
    }
    return words ^ nums << 11 ^ rotl32(puncts, 22);
}

static uint32_t ref_gcd(uint32_t a, uint32_t b)
{
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint32_t ref_fnv(const uint8_t *p, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return rotl32(h, 13) ^ h;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

/* calls function fi with up to two arguments; returns the result, or sets *trap */
static uint32_t call(vm_t *vm, int fi, uint32_t a, uint32_t b, int *trap)
{
    vm->trap = TRAP_NONE;
    vm->depth = 0;
    vm->stack[0] = a;
    vm->stack[1] = b;
    int nr = exec(vm, fi, vm->stack);
    *trap = vm->trap;
    return nr > 0 ? vm->stack[0] : 0;
}

static void expect(vm_t *vm, uint64_t *h, int fi, uint32_t a, uint32_t b, uint32_t want)
{
    int trap;
    uint32_t got = call(vm, fi, a, b, &trap);
    if (trap || got != want)
        failures++;
    *h = mix64(*h, got);
}

static void expect_trap(vm_t *vm, uint64_t *h, int fi, uint32_t a, uint32_t b, int want)
{
    int trap;
    call(vm, fi, a, b, &trap);
    if (trap != want)
        failures++;
    *h = mix64(*h, (uint64_t)trap);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 16);
    bench_rng g = { 0x0F1E2D3C4B5A6978ULL };
    static vm_t vm;
    vm.mem = calloc(MEM_SIZE, 1);
    vm.stack = malloc(STACK_SIZE * sizeof(uint32_t));
    vm.labels = malloc((size_t)(MAX_DEPTH + 1) * MAX_LABELS * sizeof(label_t));
    uint8_t *flags = malloc(MEM_SIZE);
    int32_t *words = malloc(4096 * sizeof(int32_t));
    assemble(&vm);
    for (int i = 0; i < NPROG; i++)
        if (!validate(&vm, &vm.funcs[i]))
            failures++;
    for (int k = 0; k < 10; k++)
        if (assemble_bad(&vm, k))
            failures++;

    double t0 = bench_now();
    uint64_t h = 0x5BE0CD19137E2179ULL;
    for (int round = 0; round < scale; round++) {
        uint32_t n = 18 + rng_below(&g, 5);
        expect(&vm, &h, F_FIB, n, 0, ref_fib(n));
        n = 30000 + rng_below(&g, 90000);
        expect(&vm, &h, F_SIEVE, n, 0, ref_sieve(n, flags));
        n = 2000 + rng_below(&g, 6000);
        expect(&vm, &h, F_COLLATZ, n, 0, ref_collatz(n));
        uint32_t len = 4096 + rng_below(&g, 16384);
        for (uint32_t i = 0; i < len; i++) {
            uint32_t r = rng_below(&g, 100);
            vm.mem[TEXT_BASE + i] = (uint8_t)(r < 60 ? 'a' + r % 26 : r < 75 ? '0' + r % 10 : r < 92 ? ' ' : ",.;:!?()"[r % 8]);
        }
        expect(&vm, &h, F_TOKENS, TEXT_BASE, len, ref_tokens(vm.mem + TEXT_BASE, len));
        expect(&vm, &h, F_FNV, 0, MEM_SIZE, ref_fnv(vm.mem, MEM_SIZE));
        n = 300 + rng_below(&g, 500);
        for (uint32_t i = 0; i < n; i++) {
            words[i] = (int32_t)(uint32_t)rng_next(&g);
            memcpy(vm.mem + SORT_BASE + 4 * i, &words[i], 4); /* little-endian on both targets */
        }
        int trap;
        call(&vm, F_SORT, SORT_BASE, n, &trap);
        qsort(words, n, sizeof(int32_t), cmp_i32);
        if (trap || memcmp(vm.mem + SORT_BASE, words, 4 * n) != 0)
            failures++;
        n = 30 + rng_below(&g, 40);
        uint32_t s = 0;
        for (uint32_t i = 1; i <= n; i++)
            for (uint32_t j = 1; j <= n; j++)
                s += ref_gcd(i, j);
        expect(&vm, &h, F_GCDSUM, n, 0, s);
        n = 50 + rng_below(&g, MAX_DEPTH - 60);
        expect(&vm, &h, F_SUMREC, n, 0, n * (n + 1) / 2);
        expect_trap(&vm, &h, F_SUMREC, MAX_DEPTH + 10, 0, TRAP_DEPTH);
        uint32_t a = (uint32_t)rng_next(&g), b = 1 + rng_below(&g, 1000);
        expect(&vm, &h, F_DIV, a, b, (uint32_t)((int32_t)a / (int32_t)b) + a % b);
        expect_trap(&vm, &h, F_DIV, a, 0, TRAP_DIV0);
        expect_trap(&vm, &h, F_DIV, 0x80000000u, 0xFFFFFFFFu, TRAP_DIV0);
        expect_trap(&vm, &h, F_OOB, MEM_SIZE - 8 - rng_below(&g, 4), 0, TRAP_OOB);
        expect_trap(&vm, &h, F_OOB, 0xFFFFFFFCu, 0, TRAP_OOB);
        a = rng_below(&g, 100);
        expect(&vm, &h, F_PICK, a, 0, (a & 1) ? 2 * a : 3 * a);
        expect_trap(&vm, &h, F_PICK, 101 + rng_below(&g, 100), 0, TRAP_UNREACHABLE);
        h = mix64(h, (uint64_t)vm.steps);
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    free(vm.mem);
    free(vm.stack);
    free(vm.labels);
    free(flags);
    free(words);
    return failures != 0;
}
