/* prolog_solve/terms.h — atoms and functors, memory areas, clauses.
 * Part of prolog_solve.c, one translation unit: it includes the parts in order. */

/* ---------- atoms and functors ---------- */

#define MAX_ATOMS 1024
#define ATOM_HASH 2048
static char *atom_name[MAX_ATOMS];
static uint32_t atom_hashv[MAX_ATOMS];
static int natoms;
static int atom_table[ATOM_HASH];

static uint32_t str_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int intern_n(const char *s, size_t n)
{
    uint32_t hv = str_hash(s, n);
    uint32_t i = hv & (ATOM_HASH - 1);
    while (atom_table[i] >= 0) {
        int a = atom_table[i];
        if (atom_hashv[a] == hv && strlen(atom_name[a]) == n && memcmp(atom_name[a], s, n) == 0)
            return a;
        i = (i + 1) & (ATOM_HASH - 1);
    }
    if (natoms == MAX_ATOMS) {
        errors++;
        return 0;
    }
    char *copy = malloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = 0;
    atom_name[natoms] = copy;
    atom_hashv[natoms] = hv;
    atom_table[i] = natoms;
    return natoms++;
}

static int intern(const char *s) { return intern_n(s, strlen(s)); }

#define MAX_FUNS 1024
static int fun_atom[MAX_FUNS], fun_arity[MAX_FUNS], nfuns;
static int fun_pred[MAX_FUNS];    /* predicate index or -1 */
static int fun_builtin[MAX_FUNS]; /* builtin code or 0 */

static int functor_id(int atom, int arity)
{
    for (int i = 0; i < nfuns; i++)
        if (fun_atom[i] == atom && fun_arity[i] == arity)
            return i;
    if (nfuns == MAX_FUNS) {
        errors++;
        return 0;
    }
    fun_atom[nfuns] = atom;
    fun_arity[nfuns] = arity;
    fun_pred[nfuns] = -1;
    fun_builtin[nfuns] = 0;
    return nfuns++;
}

enum {
    B_NONE, B_TRUE, B_FAIL, B_CONJ, B_DISJ, B_ITE, B_CUT, B_CUTTO, B_NOT, B_UNIFY, B_NUNIFY,
    B_IS, B_EQ, B_NE, B_LT, B_GT, B_LE, B_GE, B_VAR, B_NONVAR, B_INTEGER, B_ATOM, B_RECORD,
    B_CHECK_NREV
};

static int A_NIL, A_DOT, A_MINUS, A_PLUS, A_TIMES, A_DIV, A_MOD, A_MIN, A_MAX, A_TRUE, A_CUTTO;
static int F_DOT, F_CUTTO, F_ITE, F_CONJ;

/* ---------- memory areas ---------- */

#define CODE_SIZE (1 << 16)
#define HEAP_SIZE (1 << 21)
#define TRAIL_SIZE (1 << 19)
#define FRAME_SIZE (1 << 19)
#define CP_SIZE (1 << 17)
#define PDL_SIZE (1 << 14)

static uint32_t code[CODE_SIZE];
static uint32_t code_top;
static uint32_t H[HEAP_SIZE];
static uint32_t hp, hb;
static uint32_t trail[TRAIL_SIZE];
static uint32_t tr;

typedef struct {
    uint32_t goal, cutb;
    int next;
} frame_t;
static frame_t frames[FRAME_SIZE];
static int fr_top;

enum { CP_CLAUSE, CP_ALT };
typedef struct {
    int kind;
    uint32_t goal;
    int fid, next_clause;
    int cont;
    uint32_t barrier;
    uint32_t heap, trail;
    int frame;
} cp_t;
static cp_t cps[CP_SIZE];
static uint32_t cp_top;

static void set_cp_top(uint32_t n)
{
    cp_top = n;
    hb = n ? cps[n - 1].heap : 0;
}

/* ---------- clauses ---------- */

typedef struct {
    uint32_t head, body;
    int nvars;
    uint32_t key; /* first-argument index key, 0 = variable */
} clause_t;

#define MAX_CLAUSES 1024
static clause_t clauses[MAX_CLAUSES];
static int nclauses;

typedef struct {
    int *cl;
    int n, cap;
} pred_t;
#define MAX_PREDS 512
static pred_t preds[MAX_PREDS];
static int npreds;
