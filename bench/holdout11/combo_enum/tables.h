/* combo_enum/tables.h -- the independent counts: partition recurrences (largest part, Euler's
 * pentagonal numbers, distinct and odd parts), Stirling numbers of both kinds, the Bell
 * triangle, Narayana and Catalan numbers, Mahonian numbers and derangements. */

/* ---- independent tables ---- */

static int check_partitions(const PartStats *s, int n)
{
    static int64_t P[MAXN + 1][MAXN + 1];
    int64_t p[MAXN + 1], q[MAXN + 1], o[MAXN + 1];
    memset(P, 0, sizeof P);
    P[0][0] = 1;
    for (int m = 1; m <= n; m++)
        for (int k = 1; k <= m; k++)
            P[m][k] = P[m - 1][k - 1] + P[m - k][k];
    /* Euler's pentagonal number recurrence */
    p[0] = 1;
    for (int m = 1; m <= n; m++) {
        int64_t t = 0;
        for (int k = 1;; k++) {
            int g1 = k * (3 * k - 1) / 2, g2 = k * (3 * k + 1) / 2;
            if (g1 > m)
                break;
            int64_t term = p[m - g1] + (g2 <= m ? p[m - g2] : 0);
            t += k & 1 ? term : -term;
        }
        p[m] = t;
    }
    memset(q, 0, sizeof q);
    memset(o, 0, sizeof o);
    q[0] = o[0] = 1;
    for (int part = 1; part <= n; part++) {
        for (int t = n; t >= part; t--)
            q[t] += q[t - part];
        if (part & 1)
            for (int t = part; t <= n; t++)
                o[t] += o[t - part];
    }
    int bad = s->bad;
    if ((int64_t)s->count != p[n] || (int64_t)s->distinct != q[n] || (int64_t)s->odd != o[n] ||
        q[n] != o[n])
        bad++;
    int64_t sum = 0;
    for (int k = 1; k <= n; k++) {
        if ((int64_t)s->by_largest[k] != P[n][k])
            bad++;
        sum += P[n][k];
    }
    return bad + (sum != p[n]);
}

static int check_sets(const SetStats *s, int n)
{
    static int64_t S2[MAXN + 1][MAXN + 1];
    int64_t row[MAXN + 2], next[MAXN + 2], bell[MAXN + 1];
    memset(S2, 0, sizeof S2);
    S2[0][0] = 1;
    for (int m = 1; m <= n; m++)
        for (int k = 1; k <= m; k++)
            S2[m][k] = k * S2[m - 1][k] + S2[m - 1][k - 1];
    /* Bell triangle: each row starts with the last entry of the previous one */
    row[0] = 1;
    bell[0] = 1;
    for (int m = 1; m <= n; m++) {
        next[0] = row[m - 1];
        for (int j = 1; j <= m; j++)
            next[j] = next[j - 1] + row[j - 1];
        memcpy(row, next, sizeof(int64_t) * (size_t)(m + 1));
        bell[m] = row[0];
    }
    int bad = s->bad;
    int64_t total = 0;
    for (int k = 0; k <= n; k++) {
        if ((int64_t)s->by_blocks[k] != S2[n][k])
            bad++;
        total += S2[n][k];
    }
    if (total != bell[n] || (int64_t)s->count != bell[n])
        bad++;
    /* singleton blocks over all set partitions: n * Bell(n-1) */
    if ((int64_t)s->singletons != n * bell[n - 1])
        bad++;
    return bad;
}

static int check_dyck(const DyckStats *s, int n)
{
    static uint64_t C[MAXN + 1][MAXN + 1];
    for (int a = 0; a <= 2 * n; a++)
        for (int b = 0; b <= a; b++)
            C[a][b] = b == 0 || b == a ? 1 : C[a - 1][b - 1] + C[a - 1][b];
    int bad = s->bad;
    uint64_t total = 0;
    for (int k = 1; k <= n; k++) {
        uint64_t nar = C[n][k] * C[n][k - 1] / (uint64_t)n;
        if (s->by_peaks[k] != nar)
            bad++;
        total += nar;
    }
    if (s->count != total || total != C[2 * n][n] / (uint64_t)(n + 1))
        bad++;
    return bad;
}

static int check_perms(const PermStats *s, int n)
{
    static uint64_t mah[MAXN * MAXN / 2 + 1], nx[MAXN * MAXN / 2 + 1], c1[MAXN + 1][MAXN + 1];
    uint64_t der[MAXN + 1];
    memset(mah, 0, sizeof mah);
    mah[0] = 1;
    int maxinv = 0;
    for (int m = 2; m <= n; m++) { /* multiply by 1 + x + ... + x^(m-1) */
        memset(nx, 0, sizeof(uint64_t) * (size_t)(maxinv + m));
        for (int i = 0; i <= maxinv; i++)
            for (int j = 0; j < m; j++)
                nx[i + j] += mah[i];
        maxinv += m - 1;
        memcpy(mah, nx, sizeof(uint64_t) * (size_t)(maxinv + 1));
    }
    memset(c1, 0, sizeof c1);
    c1[0][0] = 1;
    for (int m = 1; m <= n; m++)
        for (int k = 1; k <= m; k++)
            c1[m][k] = c1[m - 1][k - 1] + (uint64_t)(m - 1) * c1[m - 1][k];
    der[0] = 1;
    der[1] = 0;
    for (int m = 2; m <= n; m++)
        der[m] = (uint64_t)(m - 1) * (der[m - 1] + der[m - 2]);
    int bad = s->bad;
    for (int i = 0; i <= maxinv; i++)
        bad += s->by_inv[i] != mah[i];
    for (int k = 1; k <= n; k++)
        bad += s->by_cycles[k] != c1[n][k];
    bad += s->derangements != der[n];
    bad += s->count != s->fact[n];
    return bad;
}
