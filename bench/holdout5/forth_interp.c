/* forth_interp — a small Forth system: outer text interpreter, compiler and threaded-code VM.
 *
 * Words are looked up in a linked dictionary of name headers (strcmp from the newest word back),
 * numbers are parsed by hand, and colon definitions are compiled into cells of a data space that
 * also holds variables and CREATE/ALLOT arrays. Control words (IF ELSE THEN, BEGIN UNTIL,
 * BEGIN WHILE REPEAT, DO LOOP +LOOP, RECURSE, EXIT) are immediate and back-patch branch offsets
 * through a compile-time control stack. The inner interpreter is a switch over primitive opcodes,
 * with cells >= the primitive count meaning "call the colon definition at that address"; loop
 * indices and return addresses share the return stack. Each round builds the system afresh,
 * compiles the Forth source below and runs its benchmark word; the printed output is hashed.
 * Cells are uint32 (signed views only for comparison and division), so overflow wraps. */
#include "../programs/bench.h"

enum {
    OP_EXIT, OP_LIT, OP_BRANCH, OP_0BRANCH, OP_DO, OP_LOOP, OP_PLOOP, OP_I, OP_J,
    OP_DUP, OP_DROP, OP_SWAP, OP_OVER, OP_ROT, OP_TUCK, OP_NIP, OP_2DUP, OP_TOR, OP_RFROM, OP_RFETCH,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_AND, OP_OR, OP_XOR, OP_LSHIFT, OP_RSHIFT, OP_2DIV,
    OP_INC, OP_DEC, OP_NEGATE, OP_LT, OP_GT, OP_EQ, OP_ZEQ, OP_ULT, OP_MAX, OP_MIN, OP_ABS,
    OP_FETCH, OP_STORE, OP_PSTORE, OP_DOT, OP_EMIT, OP_CR,
    NPRIM
};

static const char *prim_names[NPRIM] = {
    "exit", "(lit)", "(branch)", "(0branch)", "(do)", "(loop)", "(+loop)", "i", "j",
    "dup", "drop", "swap", "over", "rot", "tuck", "nip", "2dup", ">r", "r>", "r@",
    "+", "-", "*", "/", "mod", "and", "or", "xor", "lshift", "rshift", "2/",
    "1+", "1-", "negate", "<", ">", "=", "0=", "u<", "max", "min", "abs",
    "@", "!", "+!", ".", "emit", "cr",
};

#define MEMCELLS 65536
#define MAXWORDS 512

typedef struct {
    char name[24];
    uint32_t xt;      /* opcode (< NPRIM) or code address */
    uint8_t immediate;
    int32_t prev;
} Header;

typedef struct {
    uint32_t mem[MEMCELLS];
    uint32_t here;
    Header dict[MAXWORDS];
    int32_t nwords, latest;
    uint32_t ds[256], rs[512];
    int sp, rp;
    char out[1 << 16];
    uint32_t outlen;
    int compiling;
    uint32_t cstack[64];
    int csp;
    uint64_t steps;
} Forth;

static void emit_str(Forth *f, const char *s)
{
    size_t n = strlen(s);
    if (f->outlen + n >= sizeof f->out)
        f->outlen = 0; /* wrap the terminal */
    memcpy(f->out + f->outlen, s, n);
    f->outlen += (uint32_t)n;
}

static void run(Forth *f, uint32_t xt)
{
    uint32_t *m = f->mem;
    uint32_t *ds = f->ds, *rs = f->rs;
    int sp = f->sp, rp = f->rp;
    uint32_t ip;
    uint64_t steps = 0;
    rs[rp++] = 0; /* address 0 holds EXIT: returning there stops */
    ip = xt;
    for (;;) {
        uint32_t op = m[ip++];
        steps++;
        if (op >= NPRIM) {
            rs[rp++] = ip;
            ip = op;
            continue;
        }
        uint32_t a, b;
        switch (op) {
        case OP_EXIT:
            ip = rs[--rp];
            if (ip == 0)
                goto done;
            break;
        case OP_LIT: ds[sp++] = m[ip++]; break;
        case OP_BRANCH: ip += m[ip]; break;
        case OP_0BRANCH:
            if (ds[--sp] == 0)
                ip += m[ip];
            else
                ip++;
            break;
        case OP_DO:
            a = ds[--sp]; /* index */
            b = ds[--sp]; /* limit */
            rs[rp++] = b;
            rs[rp++] = a;
            break;
        case OP_LOOP:
            a = rs[rp - 1] + 1;
            if ((int32_t)a < (int32_t)rs[rp - 2]) {
                rs[rp - 1] = a;
                ip += m[ip];
            } else {
                rp -= 2;
                ip++;
            }
            break;
        case OP_PLOOP: {
            uint32_t inc = ds[--sp];
            a = rs[rp - 1] + inc;
            int more = (int32_t)inc >= 0 ? (int32_t)a < (int32_t)rs[rp - 2] : (int32_t)a >= (int32_t)rs[rp - 2];
            if (more) {
                rs[rp - 1] = a;
                ip += m[ip];
            } else {
                rp -= 2;
                ip++;
            }
            break;
        }
        case OP_I: ds[sp++] = rs[rp - 1]; break;
        case OP_J: ds[sp++] = rs[rp - 3]; break;
        case OP_DUP: ds[sp] = ds[sp - 1]; sp++; break;
        case OP_DROP: sp--; break;
        case OP_SWAP: a = ds[sp - 1]; ds[sp - 1] = ds[sp - 2]; ds[sp - 2] = a; break;
        case OP_OVER: ds[sp] = ds[sp - 2]; sp++; break;
        case OP_ROT: a = ds[sp - 3]; ds[sp - 3] = ds[sp - 2]; ds[sp - 2] = ds[sp - 1]; ds[sp - 1] = a; break;
        case OP_TUCK: a = ds[sp - 1]; ds[sp - 1] = ds[sp - 2]; ds[sp - 2] = a; ds[sp++] = a; break;
        case OP_NIP: ds[sp - 2] = ds[sp - 1]; sp--; break;
        case OP_2DUP: ds[sp] = ds[sp - 2]; ds[sp + 1] = ds[sp - 1]; sp += 2; break;
        case OP_TOR: rs[rp++] = ds[--sp]; break;
        case OP_RFROM: ds[sp++] = rs[--rp]; break;
        case OP_RFETCH: ds[sp++] = rs[rp - 1]; break;
        case OP_ADD: sp--; ds[sp - 1] += ds[sp]; break;
        case OP_SUB: sp--; ds[sp - 1] -= ds[sp]; break;
        case OP_MUL: sp--; ds[sp - 1] *= ds[sp]; break;
        case OP_DIV:
        case OP_MOD: {
            sp--;
            int32_t x = (int32_t)ds[sp - 1], y = (int32_t)ds[sp];
            int32_t q = 0, r = x;
            if (y != 0 && !(x == INT32_MIN && y == -1)) {
                q = x / y;
                r = x % y;
                if (r != 0 && ((r < 0) != (y < 0))) { /* floored division */
                    q -= 1;
                    r += y;
                }
            }
            ds[sp - 1] = (uint32_t)(op == OP_DIV ? q : r);
            break;
        }
        case OP_AND: sp--; ds[sp - 1] &= ds[sp]; break;
        case OP_OR: sp--; ds[sp - 1] |= ds[sp]; break;
        case OP_XOR: sp--; ds[sp - 1] ^= ds[sp]; break;
        case OP_LSHIFT: sp--; ds[sp - 1] = ds[sp] < 32 ? ds[sp - 1] << ds[sp] : 0; break;
        case OP_RSHIFT: sp--; ds[sp - 1] = ds[sp] < 32 ? ds[sp - 1] >> ds[sp] : 0; break;
        case OP_2DIV: ds[sp - 1] = (ds[sp - 1] >> 1) | (ds[sp - 1] & 0x80000000u); break;
        case OP_INC: ds[sp - 1]++; break;
        case OP_DEC: ds[sp - 1]--; break;
        case OP_NEGATE: ds[sp - 1] = 0u - ds[sp - 1]; break;
        case OP_LT: sp--; ds[sp - 1] = (int32_t)ds[sp - 1] < (int32_t)ds[sp] ? ~0u : 0; break;
        case OP_GT: sp--; ds[sp - 1] = (int32_t)ds[sp - 1] > (int32_t)ds[sp] ? ~0u : 0; break;
        case OP_EQ: sp--; ds[sp - 1] = ds[sp - 1] == ds[sp] ? ~0u : 0; break;
        case OP_ZEQ: ds[sp - 1] = ds[sp - 1] == 0 ? ~0u : 0; break;
        case OP_ULT: sp--; ds[sp - 1] = ds[sp - 1] < ds[sp] ? ~0u : 0; break;
        case OP_MAX: sp--; if ((int32_t)ds[sp] > (int32_t)ds[sp - 1]) ds[sp - 1] = ds[sp]; break;
        case OP_MIN: sp--; if ((int32_t)ds[sp] < (int32_t)ds[sp - 1]) ds[sp - 1] = ds[sp]; break;
        case OP_ABS: if ((int32_t)ds[sp - 1] < 0) ds[sp - 1] = 0u - ds[sp - 1]; break;
        case OP_FETCH: ds[sp - 1] = m[ds[sp - 1] & (MEMCELLS - 1)]; break;
        case OP_STORE: sp -= 2; m[ds[sp + 1] & (MEMCELLS - 1)] = ds[sp]; break;
        case OP_PSTORE: sp -= 2; m[ds[sp + 1] & (MEMCELLS - 1)] += ds[sp]; break;
        case OP_DOT: {
            char buf[16];
            int32_t v = (int32_t)ds[--sp];
            snprintf(buf, sizeof buf, "%d ", v);
            f->sp = sp;
            emit_str(f, buf);
            break;
        }
        case OP_EMIT: {
            char buf[2] = { (char)(ds[--sp] & 0x7f), 0 };
            if (buf[0] == 0)
                buf[0] = '?';
            emit_str(f, buf);
            break;
        }
        case OP_CR: emit_str(f, "\n"); break;
        }
    }
done:
    f->sp = sp;
    f->rp = rp;
    f->steps += steps;
}

static int32_t find(const Forth *f, const char *name)
{
    for (int32_t w = f->latest; w >= 0; w = f->dict[w].prev)
        if (strcmp(f->dict[w].name, name) == 0)
            return w;
    return -1;
}

static void define(Forth *f, const char *name, uint32_t xt, int imm)
{
    Header *h = &f->dict[f->nwords];
    strncpy(h->name, name, sizeof h->name - 1);
    h->name[sizeof h->name - 1] = 0;
    h->xt = xt;
    h->immediate = (uint8_t)imm;
    h->prev = f->latest;
    f->latest = f->nwords++;
}

static void comma(Forth *f, uint32_t v) { f->mem[f->here++] = v; }

static int parse_number(const char *s, uint32_t *out)
{
    int neg = 0;
    uint32_t v = 0;
    if (*s == '-' && s[1]) {
        neg = 1;
        s++;
    }
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10u + (uint32_t)(*s - '0');
    }
    *out = neg ? 0u - v : v;
    return 1;
}

/* Returns 0 on success. */
static int interpret(Forth *f, const char *src)
{
    char tok[64];
    const char *p = src;
    for (;;) {
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        if (!*p)
            return 0;
        size_t n = strcspn(p, " \n\t");
        if (n >= sizeof tok)
            return 1;
        memcpy(tok, p, n);
        tok[n] = 0;
        p += n;
        for (char *c = tok; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);

        if (strcmp(tok, "(") == 0) {
            const char *e = strchr(p, ')');
            p = e ? e + 1 : p + strlen(p);
            continue;
        }
        if (strcmp(tok, "\\") == 0) {
            const char *e = strchr(p, '\n');
            p = e ? e : p + strlen(p);
            continue;
        }
        if (strcmp(tok, ":") == 0 || strcmp(tok, "variable") == 0 || strcmp(tok, "constant") == 0 ||
            strcmp(tok, "create") == 0) {
            char name[64];
            while (*p == ' ' || *p == '\n')
                p++;
            size_t k = strcspn(p, " \n\t");
            if (k == 0 || k >= sizeof name)
                return 2;
            memcpy(name, p, k);
            name[k] = 0;
            p += k;
            if (tok[0] == ':') {
                define(f, name, f->here, 0);
                f->compiling = 1;
            } else if (tok[0] == 'v' || (tok[0] == 'c' && tok[1] == 'r')) {
                /* the word pushes the address of its data field; for create, ALLOT extends it */
                define(f, name, f->here, 0);
                comma(f, OP_LIT);
                comma(f, f->here + 2);
                comma(f, OP_EXIT);
                if (tok[0] == 'v')
                    comma(f, 0);
            } else {
                define(f, name, f->here, 0);
                comma(f, OP_LIT);
                comma(f, f->ds[--f->sp]);
                comma(f, OP_EXIT);
            }
            continue;
        }
        if (strcmp(tok, "allot") == 0 && !f->compiling) {
            f->here += f->ds[--f->sp];
            continue;
        }
        if (f->compiling) {
            uint32_t *cs = f->cstack;
            if (strcmp(tok, ";") == 0) {
                comma(f, OP_EXIT);
                f->compiling = 0;
            } else if (strcmp(tok, "if") == 0) {
                comma(f, OP_0BRANCH);
                cs[f->csp++] = f->here;
                comma(f, 0);
            } else if (strcmp(tok, "else") == 0) {
                uint32_t at = cs[--f->csp];
                comma(f, OP_BRANCH);
                cs[f->csp++] = f->here;
                comma(f, 0);
                f->mem[at] = f->here - at;
            } else if (strcmp(tok, "then") == 0) {
                uint32_t at = cs[--f->csp];
                f->mem[at] = f->here - at;
            } else if (strcmp(tok, "begin") == 0) {
                cs[f->csp++] = f->here;
            } else if (strcmp(tok, "until") == 0) {
                comma(f, OP_0BRANCH);
                comma(f, cs[--f->csp] - f->here);
            } else if (strcmp(tok, "while") == 0) {
                comma(f, OP_0BRANCH);
                cs[f->csp++] = f->here;
                comma(f, 0);
            } else if (strcmp(tok, "repeat") == 0) {
                uint32_t wh = cs[--f->csp], beg = cs[--f->csp];
                comma(f, OP_BRANCH);
                comma(f, beg - f->here);
                f->mem[wh] = f->here - wh;
            } else if (strcmp(tok, "do") == 0) {
                comma(f, OP_DO);
                cs[f->csp++] = f->here;
            } else if (strcmp(tok, "loop") == 0 || strcmp(tok, "+loop") == 0) {
                comma(f, tok[0] == '+' ? OP_PLOOP : OP_LOOP);
                comma(f, cs[--f->csp] - f->here);
            } else if (strcmp(tok, "recurse") == 0) {
                comma(f, f->dict[f->latest].xt);
            } else {
                int32_t w = find(f, tok);
                uint32_t v;
                if (w >= 0)
                    comma(f, f->dict[w].xt);
                else if (parse_number(tok, &v)) {
                    comma(f, OP_LIT);
                    comma(f, v);
                } else
                    return 3;
            }
            continue;
        }
        int32_t w = find(f, tok);
        uint32_t v;
        if (w >= 0) {
            /* execute a word from the interpreter: compile a call into a scratch area */
            uint32_t scratch = MEMCELLS - 4;
            f->mem[scratch] = f->dict[w].xt;
            f->mem[scratch + 1] = OP_EXIT;
            run(f, scratch);
        } else if (parse_number(tok, &v))
            f->ds[f->sp++] = v;
        else
            return 4;
    }
}

static const char *source =
    "\\ benchmark words\n"
    "variable seed\n"
    ": rnd ( -- u ) seed @ 1103515245 * 12345 + dup seed ! 16 rshift 32767 and ;\n"
    ": fib ( n -- f ) dup 2 < if exit then dup 1- recurse swap 2 - recurse + ;\n"
    "8192 constant n\n"
    "create flags 8192 allot\n"
    ": sieve ( -- count ) n 0 do 0 flags i + ! loop\n"
    "  0 n 2 do flags i + @ 0= if 1+ i i * begin dup n < while 1 over flags + ! i + repeat drop then loop ;\n"
    ": gcd ( a b -- g ) begin dup while tuck mod repeat drop ;\n"
    ": clen ( n -- len ) 0 swap begin dup 1 > while dup 1 and if 3 * 1+ else 2/ then swap 1+ swap repeat drop ;\n"
    ": maxclen ( hi lo -- best ) 0 rot rot do i clen max loop ;\n"
    "create arr 512 allot\n"
    ": fill ( -- ) 512 0 do rnd arr i + ! loop ;\n"
    ": bubble ( -- ) 512 1 do 512 i - 0 do arr i + @ arr i + 1+ @ 2dup > if arr i + ! arr i + 1+ ! else 2drop then loop loop ;\n"
    ": sorted? ( -- f ) -1 511 0 do arr i + @ arr i + 1+ @ > if drop 0 then loop ;\n"
    ": gcdsum ( n -- s ) 0 swap 0 do rnd 1+ rnd 1+ gcd + loop ;\n"
    ": stars ( n -- ) 0 do 42 emit loop cr ;\n"
    ": tri ( n -- ) 1+ 1 do i 7 mod 1+ stars loop ;\n"
    ": bench ( k -- ) dup seed ! dup 7 and 17 + fib . sieve . dup 1000 * 3000 + over 1000 * maxclen . \n"
    "  fill bubble sorted? . arr @ . arr 511 + @ . 400 gcdsum . 12 tri drop ;\n";

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 45);
    static Forth fs;
    Forth *f = &fs;

    double start = bench_now();
    uint64_t h = 0, steps = 0;
    for (int round = 0; round < scale; round++) {
        memset(f->mem, 0, sizeof f->mem);
        f->here = 64; /* code addresses must not collide with opcodes; cell 0 is EXIT */
        f->mem[0] = OP_EXIT;
        f->nwords = 0;
        f->latest = -1;
        f->sp = f->rp = 0;
        f->outlen = 0;
        f->compiling = 0;
        f->csp = 0;
        f->steps = 0;
        for (int i = 0; i < NPRIM; i++)
            define(f, prim_names[i], (uint32_t)i, 0);
        /* a few words written in Forth on top of the primitives */
        int rc = interpret(f, ": 2drop drop drop ; : 0< 0 < ; : 2* 1 lshift ;");
        if (rc == 0)
            rc = interpret(f, source);
        char cmd[32];
        snprintf(cmd, sizeof cmd, "%d bench", round + 1);
        if (rc == 0)
            rc = interpret(f, cmd);
        if (rc != 0 || f->sp != 0) {
            fprintf(stderr, "forth error %d (sp=%d) in round %d\n", rc, f->sp, round);
            return 1;
        }
        for (uint32_t i = 0; i < f->outlen; i++)
            h = mix64(h, (unsigned char)f->out[i]);
        h = mix64(h, f->here);
        steps += f->steps;
    }
    bench_report(start);
    printf("forth_interp rounds=%d steps=%llu checksum=%016llx\n", scale, (unsigned long long)steps,
           (unsigned long long)h);
    return 0;
}
