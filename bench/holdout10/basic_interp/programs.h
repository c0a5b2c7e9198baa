/* basic_interp/programs.h — BASIC test programs (templates filled in with random parameters)
 * and C reference implementations that print exactly what the programs should print. */

static const char prog_sieve[] =
    "10 REM SIEVE OF ERATOSTHENES\n"
    "20 N = %d\n"
    "30 DIM F(N)\n"
    "40 C = 0\n"
    "50 FOR I = 2 TO N\n"
    "60 IF F(I) THEN 110\n"
    "70 C = C + 1 : L = I\n"
    "80 FOR J = I * I TO N STEP I\n"
    "90 F(J) = 1\n"
    "100 NEXT J\n"
    "110 NEXT I\n"
    "120 PRINT \"PRIMES \"; C; \" LAST \"; L\n"
    "130 END\n";

static void ref_sieve(char *out, int n)
{
    uint8_t *f = calloc((size_t)n + 1, 1);
    int c = 0, last = 0;
    for (int i = 2; i <= n; i++) {
        if (f[i]) continue;
        c++;
        last = i;
        for (long j = (long)i * i; j <= n; j += i) f[j] = 1;
    }
    free(f);
    sprintf(out, "PRIMES %d LAST %d\n", c, last);
}

static const char prog_collatz[] =
    "10 M = 0 : B = 0\n"
    "20 FOR I = 1 TO %d\n"
    "30 X = I : GOSUB 100\n"
    "40 IF S > M THEN M = S : B = I\n"
    "50 NEXT I\n"
    "60 PRINT \"LONGEST \"; B; \" STEPS \"; M\n"
    "70 END\n"
    "100 S = 0\n"
    "110 IF X = 1 THEN RETURN\n"
    "120 IF X MOD 2 = 0 THEN X = X / 2 : GOTO 140\n"
    "130 X = 3 * X + 1\n"
    "140 S = S + 1 : GOTO 110\n";

static void ref_collatz(char *out, int n)
{
    int m = 0, b = 0;
    for (int i = 1; i <= n; i++) {
        int32_t x = i, s = 0;
        while (x != 1) {
            x = x % 2 == 0 ? x / 2 : 3 * x + 1;
            s++;
        }
        if (s > m) { m = s; b = i; }
    }
    sprintf(out, "LONGEST %d STEPS %d\n", b, m);
}

static const char prog_sort[] =
    "10 N = %d : S = %d\n"
    "20 DIM A(N)\n"
    "30 FOR I = 1 TO N\n"
    "40 S = (S * 1103 + 12345) MOD 65536 : A(I) = S\n"
    "50 NEXT I\n"
    "60 FOR I = 2 TO N\n"
    "70 V = A(I) : J = I - 1\n"
    "80 IF J < 1 THEN 110\n"
    "90 IF A(J) <= V THEN 110\n"
    "100 A(J + 1) = A(J) : J = J - 1 : GOTO 80\n"
    "110 A(J + 1) = V\n"
    "120 NEXT I\n"
    "130 H = 0\n"
    "140 FOR I = 1 TO N : H = (H * 31 + A(I)) MOD 1000003 : NEXT I\n"
    "150 PRINT \"SORTED \"; A(1); \" \"; A(N); \" HASH \"; H\n"
    "160 FOR I = 2 TO N : IF A(I - 1) > A(I) THEN PRINT \"BAD \"; I\n"
    "170 NEXT I\n";

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void ref_sort(char *out, int n, int s)
{
    int *a = malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++) {
        s = (s * 1103 + 12345) % 65536;
        a[i] = s;
    }
    qsort(a, (size_t)n, sizeof(int), cmp_int);
    int h = 0;
    for (int i = 0; i < n; i++) h = (h * 31 + a[i]) % 1000003;
    sprintf(out, "SORTED %d %d HASH %d\n", a[0], a[n - 1], h);
    free(a);
}

static const char prog_strings[] =
    "10 S = %d : C = 0 : T$ = \"\"\n"
    "20 FOR K = 1 TO %d\n"
    "30 W$ = \"\" : L = 1 + S MOD 5\n"
    "40 FOR I = 1 TO L\n"
    "50 S = (S * 75 + 74) MOD 65537\n"
    "60 W$ = W$ + CHR$(97 + S MOD 3)\n"
    "70 NEXT I\n"
    "80 R$ = \"\"\n"
    "90 FOR I = LEN(W$) TO 1 STEP -1 : R$ = R$ + MID$(W$, I, 1) : NEXT I\n"
    "100 IF R$ = W$ THEN C = C + 1 : T$ = RIGHT$(T$ + W$, 40)\n"
    "110 NEXT K\n"
    "120 PRINT \"PALINDROMES \"; C; \" TAIL \"; T$; \" \"; LEN(T$); \" \"; INSTR(T$, \"ab\"); \" \"; LEFT$(T$, 3)\n";

static void ref_strings(char *out, int s, int k)
{
    char t[128] = "", w[8], r[8];
    int c = 0;
    for (int j = 0; j < k; j++) {
        int l = 1 + s % 5;
        for (int i = 0; i < l; i++) {
            s = (s * 75 + 74) % 65537;
            w[i] = (char)(97 + s % 3);
        }
        w[l] = 0;
        for (int i = 0; i < l; i++) r[i] = w[l - 1 - i];
        r[l] = 0;
        if (strcmp(r, w) == 0) {
            c++;
            strcat(t, w);
            size_t n = strlen(t);
            if (n > 40) memmove(t, t + n - 40, 41);
        }
    }
    const char *hit = strstr(t, "ab");
    sprintf(out, "PALINDROMES %d TAIL %s %d %d %.3s\n", c, t, (int)strlen(t), hit ? (int)(hit - t) + 1 : 0, t);
}

static const char prog_matrix[] =
    "10 N = %d\n"
    "20 DIM A(N, N), B(N, N), C(N, N)\n"
    "30 FOR I = 1 TO N : FOR J = 1 TO N\n"
    "40 A(I, J) = (I * 7 + J * 3) MOD 11 - 5 : B(I, J) = (I * J + %d) MOD 13 - 6\n"
    "50 NEXT J : NEXT I\n"
    "60 FOR I = 1 TO N : FOR J = 1 TO N : T = 0\n"
    "70 FOR K = 1 TO N : T = T + A(I, K) * B(K, J) : NEXT K\n"
    "80 C(I, J) = T : NEXT J : NEXT I\n"
    "90 T = 0 : FOR I = 1 TO N : T = T + C(I, I) * I - C(I, N + 1 - I) : NEXT I\n"
    "100 PRINT \"TRACE \"; T; \" CORNER \"; C(1, N)\n";

static void ref_matrix(char *out, int n, int q)
{
    static int a[41][41], b[41][41], c[41][41];
    for (int i = 1; i <= n; i++)
        for (int j = 1; j <= n; j++) {
            a[i][j] = (i * 7 + j * 3) % 11 - 5;
            b[i][j] = (i * j + q) % 13 - 6;
        }
    for (int i = 1; i <= n; i++)
        for (int j = 1; j <= n; j++) {
            int t = 0;
            for (int k = 1; k <= n; k++) t += a[i][k] * b[k][j];
            c[i][j] = t;
        }
    int t = 0;
    for (int i = 1; i <= n; i++) t += c[i][i] * i - c[i][n + 1 - i];
    sprintf(out, "TRACE %d CORNER %d\n", t, c[1][n]);
}

static const char prog_numeric[] =
    "10 S = 0\n"
    "20 FOR I = -%d TO %d STEP 7\n"
    "30 X = ABS(I) * 37 : R = X\n"
    "40 IF R < 2 THEN 70\n"
    "50 Y = (R + X / R) / 2 : IF Y < R THEN R = Y : GOTO 50\n"
    "60 REM NEWTON ITERATION DONE\n"
    "70 S = S + R + I / 3 - I MOD 4 + LEN(STR$(I))\n"
    "80 NEXT I\n"
    "90 PRINT \"SUM \"; S; \" \"; VAL(\"12\" + STR$(7)) * 2; \" \"; 7 - 2 * 3 + 10 / 3, -2 * -3; \" \"; NOT 0; "
    "\" \"; (3 < 4) AND (5 > 6) OR 4; \" \"; ASC(\"A\") + 1000000 * 3000\n";

static void ref_numeric(char *out, int lo, int hi)
{
    int s = 0;
    for (int i = -lo; i <= hi; i += 7) {
        int x = (i < 0 ? -i : i) * 37, r = x;
        if (r >= 2)
            for (;;) {
                int y = (r + x / r) / 2;
                if (y < r) r = y; else break;
            }
        char buf[16];
        s += r + i / 3 - i % 4 + snprintf(buf, sizeof buf, "%d", i);
    }
    /* 65 + 3e9 wraps around in 32 bits */
    sprintf(out, "SUM %d 254 4 6 -1 4 %d\n", s, (int)(int32_t)(uint32_t)(65u + 3000000000u));
}

static const char prog_hanoi[] =
    "10 DIM P(20), F(20), T(20), V(20) : D = 0 : M = 0 : H = 0\n"
    "20 P(0) = %d : F(0) = 1 : T(0) = 3 : V(0) = 2\n"
    "30 GOSUB 100\n"
    "40 PRINT \"MOVES \"; M; \" CHECK \"; H\n"
    "50 END\n"
    "100 IF P(D) = 0 THEN RETURN\n"
    "110 P(D + 1) = P(D) - 1 : F(D + 1) = F(D) : T(D + 1) = V(D) : V(D + 1) = T(D) : D = D + 1 : GOSUB 100 : D = D - 1\n"
    "120 M = M + 1 : H = (H * 7 + F(D) * 3 + T(D)) MOD 100003\n"
    "130 P(D + 1) = P(D) - 1 : F(D + 1) = V(D) : T(D + 1) = T(D) : V(D + 1) = F(D) : D = D + 1 : GOSUB 100 : D = D - 1\n"
    "140 RETURN\n";

static void hanoi(int n, int from, int to, int via, int *m, int *h)
{
    if (n == 0) return;
    hanoi(n - 1, from, via, to, m, h);
    ++*m;
    *h = (*h * 7 + from * 3 + to) % 100003;
    hanoi(n - 1, via, to, from, m, h);
}

static void ref_hanoi(char *out, int n)
{
    int m = 0, h = 0;
    hanoi(n, 1, 3, 2, &m, &h);
    sprintf(out, "MOVES %d CHECK %d\n", m, h);
}

/* Programs that must stop with a given error at a given line. */
static const struct { const char *src; int err, line; } bad_programs[] = {
    { "10 X = 5\n20 Y = X / (X - 5)\n30 PRINT Y\n", E_DIV0, 20 },
    { "10 GOSUB 100\n20 RETURN\n100 RETURN\n", E_RETURN, 20 },
    { "10 FOR I = 1 TO 3\n20 NEXT J\n", E_NEXT, 20 },
    { "10 PRINT 1\n20 GOTO 55\n", E_LINE, 20 },
    { "10 DIM A(5)\n20 A(5) = 1\n30 A(6) = 1\n", E_BOUNDS, 30 },
    { "10 PRINT (1 + 2\n", E_SYNTAX, 10 },
    { "10 A$ = 5\n", E_TYPE, 10 },
    { "10 X = X + 1\n20 GOTO 10\n", E_STEPS, 10 },
    { "10 FOR I = 1 TO 0\n20 PRINT I\n", E_NEXT, 10 },
    { "10 PRINT \"A\" + 1\n", E_TYPE, 10 },
    { "10 X = 3 : Y = X MOD (X - 3)\n", E_DIV0, 10 },
    { "10 DIM B(2, 2)\n20 B(1) = 4\n", E_BOUNDS, 20 },
};
