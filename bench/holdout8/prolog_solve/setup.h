/* prolog_solve/setup.h — resetting the interpreter between runs, and the Prolog program it runs.
 * Part of prolog_solve.c, one translation unit: it includes the parts in order. */

/* ---------- setup ---------- */

static void reset_world(void)
{
    for (int i = 0; i < natoms; i++)
        free(atom_name[i]);
    natoms = 0;
    memset(atom_table, -1, sizeof atom_table);
    memset(infix_prec, 0, sizeof infix_prec);
    memset(prefix_prec, 0, sizeof prefix_prec);
    nfuns = 0;
    for (int i = 0; i < npreds; i++)
        free(preds[i].cl);
    memset(preds, 0, sizeof preds);
    npreds = 0;
    nclauses = 0;
    code_top = 0;
    parse_error = 0;

    A_NIL = intern("[]");
    A_DOT = intern(".");
    A_MINUS = intern("-");
    A_PLUS = intern("+");
    A_TIMES = intern("*");
    A_DIV = intern("//");
    A_MOD = intern("mod");
    A_MIN = intern("min");
    A_MAX = intern("max");
    A_TRUE = intern("true");
    A_CUTTO = intern("$cut");
    F_DOT = functor_id(A_DOT, 2);
    F_CUTTO = functor_id(A_CUTTO, 1);
    F_ITE = functor_id(intern("->"), 2);
    F_CONJ = functor_id(intern(","), 2);

    def_op(":-", 1200, XFX);
    def_op(";", 1100, XFY);
    def_op("->", 1050, XFY);
    def_op(",", 1000, XFY);
    def_op("\\+", 900, FY);
    static const char *const cmp_ops[] = { "=", "\\=", "is", "=:=", "=\\=", "<", ">", "=<", ">=" };
    for (int i = 0; i < 9; i++)
        def_op(cmp_ops[i], 700, XFX);
    def_op("+", 500, YFX);
    def_op("-", 500, YFX);
    def_op("*", 400, YFX);
    def_op("//", 400, YFX);
    def_op("mod", 400, YFX);
    def_op("-", 200, FY);

    static const struct { const char *name; int arity, code; } bi[] = {
        { "true", 0, B_TRUE }, { "fail", 0, B_FAIL }, { ",", 2, B_CONJ }, { ";", 2, B_DISJ },
        { "->", 2, B_ITE }, { "!", 0, B_CUT }, { "$cut", 1, B_CUTTO }, { "\\+", 1, B_NOT },
        { "=", 2, B_UNIFY }, { "\\=", 2, B_NUNIFY }, { "is", 2, B_IS }, { "=:=", 2, B_EQ },
        { "=\\=", 2, B_NE }, { "<", 2, B_LT }, { ">", 2, B_GT }, { "=<", 2, B_LE }, { ">=", 2, B_GE },
        { "var", 1, B_VAR }, { "nonvar", 1, B_NONVAR }, { "integer", 1, B_INTEGER },
        { "atom", 1, B_ATOM }, { "$record", 1, B_RECORD }, { "$check_nrev", 1, B_CHECK_NREV },
    };
    for (size_t i = 0; i < sizeof bi / sizeof bi[0]; i++)
        fun_builtin[functor_id(intern(bi[i].name), bi[i].arity)] = bi[i].code;
}

static const char *const program_text =
    "% list basics\n"
    "app([], L, L).\n"
    "app([H|T], L, [H|R]) :- app(T, L, R).\n"
    "nrev([], []).\n"
    "nrev([H|T], R) :- nrev(T, RT), app(RT, [H], R).\n"
    "range(N, N, [N]) :- !.\n"
    "range(I, N, [I|T]) :- I < N, I1 is I + 1, range(I1, N, T).\n"
    "between(L, H, L) :- L =< H.\n"
    "between(L, H, X) :- L < H, L1 is L + 1, between(L1, H, X).\n"
    "len([], 0).\n"
    "len([_|T], N) :- len(T, M), N is M + 1.\n"
    "bench_nrev(K, N) :- range(1, N, L), between(1, K, _), nrev(L, R), '$check_nrev'(R), fail.\n"
    "bench_nrev(_, _).\n"
    "\n"
    "% N-queens by selection with an attack check\n"
    "sel(X, [X|T], T).\n"
    "sel(X, [H|T], [H|R]) :- sel(X, T, R).\n"
    "queens(N, Qs) :- range(1, N, Ns), q(Ns, [], Qs).\n"
    "q([], Qs, Qs).\n"
    "q(Unplaced, Safe, Qs) :- sel(Q, Unplaced, R), noattack(Q, Safe, 1), q(R, [Q|Safe], Qs).\n"
    "noattack(_, [], _).\n"
    "noattack(Q, [Q1|Qs], D) :- Q =\\= Q1 + D, Q =\\= Q1 - D, D1 is D + 1, noattack(Q, Qs, D1).\n"
    "all_queens(N) :- queens(N, Qs), '$record'(Qs), fail.\n"
    "all_queens(_).\n"
    "\n"
    "fib(0, 0).\n"
    "fib(1, 1).\n"
    "fib(N, F) :- N > 1, A is N - 1, B is N - 2, fib(A, FA), fib(B, FB), F is FA + FB.\n"
    "\n"
    "% primes by trial division, with if-then-else and negation\n"
    "prime(2).\n"
    "prime(N) :- N > 2, N mod 2 =\\= 0, \\+ has_factor(N, 3).\n"
    "has_factor(N, F) :- F * F =< N, ( N mod F =:= 0 -> true ; F2 is F + 2, has_factor(N, F2) ).\n"
    "count_primes(Lo, Hi) :- between(Lo, Hi, N), prime(N), '$record'(N), fail.\n"
    "count_primes(_, _).\n"
    "\n"
    "% the zebra puzzle\n"
    "right_of(X, Y, [Y,X|_]).\n"
    "right_of(X, Y, [_|T]) :- right_of(X, Y, T).\n"
    "next_to(X, Y, L) :- right_of(X, Y, L).\n"
    "next_to(X, Y, L) :- right_of(Y, X, L).\n"
    "mem(X, [X|_]).\n"
    "mem(X, [_|T]) :- mem(X, T).\n"
    "zebra(Z, W) :-\n"
    "    Hs = [h(_,norwegian,_,_,_), _, h(_,_,_,milk,_), _, _],\n"
    "    mem(h(red,english,_,_,_), Hs),\n"
    "    mem(h(_,spanish,dog,_,_), Hs),\n"
    "    mem(h(green,_,_,coffee,_), Hs),\n"
    "    mem(h(_,ukrainian,_,tea,_), Hs),\n"
    "    right_of(h(green,_,_,_,_), h(ivory,_,_,_,_), Hs),\n"
    "    mem(h(_,_,snails,_,oldgold), Hs),\n"
    "    mem(h(yellow,_,_,_,kools), Hs),\n"
    "    next_to(h(_,_,_,_,chesterfield), h(_,_,fox,_,_), Hs),\n"
    "    next_to(h(_,_,_,_,kools), h(_,_,horse,_,_), Hs),\n"
    "    mem(h(_,_,_,orangejuice,luckystrike), Hs),\n"
    "    mem(h(_,japanese,_,_,parliament), Hs),\n"
    "    next_to(h(_,norwegian,_,_,_), h(blue,_,_,_,_), Hs),\n"
    "    mem(h(_,Z,zebra,_,_), Hs),\n"
    "    mem(h(_,W,_,water,_), Hs).\n"
    "all_zebra :- zebra(Z, W), '$record'(Z - W), fail.\n"
    "all_zebra.\n"
    "\n"
    "% quicksort of a pseudo-random list\n"
    "lcg_list(0, _, []) :- !.\n"
    "lcg_list(N, S, [X|T]) :- S1 is (S * 1103 + 12345) mod 65536, X is S1 mod 1000,\n"
    "    N1 is N - 1, lcg_list(N1, S1, T).\n"
    "partition([], _, [], []).\n"
    "partition([X|L], P, [X|A], B) :- X =< P, !, partition(L, P, A, B).\n"
    "partition([X|L], P, A, [X|B]) :- partition(L, P, A, B).\n"
    "qsort([], []).\n"
    "qsort([P|L], S) :- partition(L, P, A, B), qsort(A, SA), qsort(B, SB), app(SA, [P|SB], S).\n"
    "\n"
    "% towers of Hanoi with an accumulator\n"
    "hanoi(0, _, _, _, M, M) :- !.\n"
    "hanoi(N, A, B, C, M0, M) :- N1 is N - 1, hanoi(N1, A, C, B, M0, M1), M2 is M1 + 1,\n"
    "    hanoi(N1, C, B, A, M2, M).\n"
    "\n"
    "% max of a list with disjunction\n"
    "maxl([X], X).\n"
    "maxl([X|T], M) :- T \\= [], maxl(T, M1), ( X > M1, M = X ; X =< M1, M = M1 ).\n";
