/* bitpar_lcs/reference.h -- the quadratic dynamic programmes (edit distance, LCS, indel-only
 * distance, Sellers' search column by column) and Ukkonen's banded programme with a doubling
 * threshold. */

/* ---- references ---- */

static int row_a[MAXLEN + 1], row_b[MAXLEN + 1];

static int dp_distance(const unsigned char *a, int m, const unsigned char *b, int n)
{
    int *prev = row_a, *cur = row_b;
    for (int i = 0; i <= m; i++)
        prev[i] = i;
    for (int j = 1; j <= n; j++) {
        cur[0] = j;
        for (int i = 1; i <= m; i++) {
            int d = prev[i - 1] + (a[i - 1] != b[j - 1]);
            int x = prev[i] + 1, y = cur[i - 1] + 1;
            if (x < d)
                d = x;
            if (y < d)
                d = y;
            cur[i] = d;
        }
        int *t = prev;
        prev = cur, cur = t;
    }
    return prev[m];
}

static int dp_lcs(const unsigned char *a, int m, const unsigned char *b, int n)
{
    int *prev = row_a, *cur = row_b;
    memset(prev, 0, (size_t)(m + 1) * sizeof(int));
    for (int j = 1; j <= n; j++) {
        cur[0] = 0;
        for (int i = 1; i <= m; i++) {
            if (a[i - 1] == b[j - 1])
                cur[i] = prev[i - 1] + 1;
            else
                cur[i] = prev[i] > cur[i - 1] ? prev[i] : cur[i - 1];
        }
        int *t = prev;
        prev = cur, cur = t;
    }
    return prev[m];
}

static int dp_indel(const unsigned char *a, int m, const unsigned char *b, int n)
{
    int *prev = row_a, *cur = row_b;
    for (int i = 0; i <= m; i++)
        prev[i] = i;
    for (int j = 1; j <= n; j++) {
        cur[0] = j;
        for (int i = 1; i <= m; i++) {
            int d = a[i - 1] == b[j - 1] ? prev[i - 1] : MAXLEN * 4;
            int x = prev[i] + 1, y = cur[i - 1] + 1;
            cur[i] = d < x ? (d < y ? d : y) : (x < y ? x : y);
        }
        int *t = prev;
        prev = cur, cur = t;
    }
    return prev[m];
}

/* Sellers: same statistics as myers_search */
static void dp_search(const unsigned char *pat, int m, const unsigned char *t, int n, int k,
                      int *hits, int *best, uint64_t *sum)
{
    int *col = row_a;
    for (int i = 0; i <= m; i++)
        col[i] = i;
    *hits = 0;
    *best = m;
    *sum = 0;
    for (int j = 0; j < n; j++) {
        int diag = col[0]; /* D[i-1][j-1] */
        col[0] = 0;
        for (int i = 1; i <= m; i++) {
            int up = col[i];
            int d = diag + (pat[i - 1] != t[j]);
            if (up + 1 < d)
                d = up + 1;
            if (col[i - 1] + 1 < d)
                d = col[i - 1] + 1;
            diag = up;
            col[i] = d;
        }
        *hits += col[m] <= k;
        if (col[m] < *best)
            *best = col[m];
        *sum += (uint64_t)col[m];
    }
}

/* Ukkonen: distance within a diagonal band of half-width k, k doubled until the result fits */
static int banded_distance(const unsigned char *a, int m, const unsigned char *b, int n)
{
    static int band[2][2 * MAXLEN + 3];
    int diff = m > n ? m - n : n - m;
    for (int k = diff > 4 ? diff : 4;; k *= 2) {
        /* band[.][i - j + k] holds D[i][j] for |i - j| <= k; INF outside */
        const int INF = 1 << 28, width = 2 * k + 1;
        int *prev = band[0], *cur = band[1];
        /* only offset 2k+1 (below the band) is ever read without being written first */
        for (int o = 0; o < width + 2; o++)
            prev[o] = cur[o] = INF;
        for (int i = 0; i <= m && i <= k; i++)
            prev[i + k] = i; /* column j = 0 */
        for (int j = 1; j <= n; j++) {
            int lo = j - k > 0 ? j - k : 0, hi = j + k < m ? j + k : m;
            for (int i = lo; i <= hi; i++) {
                int o = i - j + k, d = INF;
                if (i == 0) {
                    d = j;
                } else {
                    /* D[i-1][j-1] is at the same offset in prev, D[i][j-1] at o+1, D[i-1][j] at o-1 */
                    d = prev[o] + (a[i - 1] != b[j - 1]);
                    if (prev[o + 1] + 1 < d)
                        d = prev[o + 1] + 1;
                    if (o > 0 && cur[o - 1] + 1 < d)
                        d = cur[o - 1] + 1;
                }
                cur[o] = d;
            }
            int *t = prev;
            prev = cur, cur = t;
        }
        int d = prev[m - n + k];
        if (d <= k || k >= MAXLEN + 1)
            return d;
    }
}
