/* rcm_skyline — sparse SPD solve: reverse Cuthill-McKee reordering and skyline Cholesky.
 *
 * A 2-D mesh (perturbed 64x60 grid with random diagonals and a few longer links) is stored in CSR
 * with its nodes numbered randomly, so the natural envelope is huge. Each round reorders it with
 * reverse Cuthill-McKee (pseudo-peripheral start found by repeated BFS, neighbours visited by
 * increasing degree, insertion-sorted), builds the variable-band (skyline) storage of the permuted
 * matrix (edge weights from squared node distances plus a round-dependent diagonal shift),
 * factors it by row-oriented envelope Cholesky with sqrt, solves several right-hand sides by
 * forward and back substitution, and measures residuals against the CSR matrix. */
#include "../programs/bench.h"

#include <math.h>

#define GX 64
#define GY 60
#define NN (GX * GY)
#define NMESH 3

typedef struct {
    int32_t *rowptr, *col;
    double *px, *py;
    int32_t nnz;
} Mesh;

static double unit(bench_rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

static void build_mesh(Mesh *m, bench_rng *rng)
{
    int32_t *perm = malloc(sizeof(int32_t) * NN);
    for (int i = 0; i < NN; i++)
        perm[i] = i;
    for (int i = NN - 1; i > 0; i--) {
        int j = (int)rng_below(rng, (uint32_t)i + 1);
        int32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    /* edge list, both directions */
    int32_t cap = NN * 10 + 200, ne = 0;
    int32_t *ea = malloc(sizeof(int32_t) * cap), *eb = malloc(sizeof(int32_t) * cap);
    m->px = malloc(sizeof(double) * NN);
    m->py = malloc(sizeof(double) * NN);
    for (int y = 0; y < GY; y++)
        for (int x = 0; x < GX; x++) {
            int id = perm[y * GX + x];
            m->px[id] = x + 0.3 * unit(rng);
            m->py[id] = y + 0.3 * unit(rng);
            int nb[4][2] = { { x + 1, y }, { x, y + 1 }, { x + 1, y + 1 }, { x - 1, y + 1 } };
            for (int k = 0; k < 4; k++) {
                int nx = nb[k][0], ny = nb[k][1];
                if (nx < 0 || nx >= GX || ny >= GY)
                    continue;
                if (k >= 2 && rng_below(rng, 2))
                    continue;
                int o = perm[ny * GX + nx];
                ea[ne] = id; eb[ne++] = o;
                ea[ne] = o; eb[ne++] = id;
            }
        }
    for (int k = 0; k < 60; k++) { /* short-range extra links within 3 cells */
        int x = (int)rng_below(rng, GX - 3), y = (int)rng_below(rng, GY - 3);
        int a = perm[y * GX + x], b = perm[(y + 3) * GX + x + 2];
        ea[ne] = a; eb[ne++] = b;
        ea[ne] = b; eb[ne++] = a;
    }
    /* counting sort into CSR, dropping duplicates */
    m->rowptr = calloc(NN + 1, sizeof(int32_t));
    for (int e = 0; e < ne; e++)
        m->rowptr[ea[e] + 1]++;
    for (int i = 0; i < NN; i++)
        m->rowptr[i + 1] += m->rowptr[i];
    int32_t *fill = malloc(sizeof(int32_t) * NN);
    memcpy(fill, m->rowptr, sizeof(int32_t) * NN);
    m->col = malloc(sizeof(int32_t) * ne);
    for (int e = 0; e < ne; e++)
        m->col[fill[ea[e]]++] = eb[e];
    int32_t w = 0;
    for (int i = 0; i < NN; i++) {
        int32_t s = m->rowptr[i], e = m->rowptr[i + 1];
        m->rowptr[i] = w;
        for (int32_t k = s; k < e; k++) {
            int dup = 0;
            for (int32_t q = m->rowptr[i]; q < w; q++)
                dup |= m->col[q] == m->col[k];
            if (!dup)
                m->col[w++] = m->col[k];
        }
    }
    m->rowptr[NN] = w;
    m->nnz = w;
    free(perm);
    free(ea);
    free(eb);
    free(fill);
}

/* BFS from s; returns the last node reached, fills level and the eccentricity. */
static int32_t bfs(const Mesh *m, int32_t s, int32_t *level, int32_t *queue, int32_t *ecc)
{
    for (int i = 0; i < NN; i++)
        level[i] = -1;
    int32_t qh = 0, qt = 0;
    queue[qt++] = s;
    level[s] = 0;
    int32_t last = s;
    while (qh < qt) {
        int32_t v = queue[qh++];
        last = v;
        for (int32_t k = m->rowptr[v]; k < m->rowptr[v + 1]; k++) {
            int32_t u = m->col[k];
            if (level[u] < 0) {
                level[u] = level[v] + 1;
                queue[qt++] = u;
            }
        }
    }
    *ecc = level[last];
    return last;
}

static void rcm(const Mesh *m, int32_t *order, int32_t *level, int32_t *queue)
{
    int32_t ecc, ecc2;
    int32_t s = 0;
    int32_t far = bfs(m, s, level, queue, &ecc);
    for (int it = 0; it < 6; it++) {
        int32_t far2 = bfs(m, far, level, queue, &ecc2);
        if (ecc2 <= ecc)
            break;
        ecc = ecc2;
        s = far;
        far = far2;
    }
    s = far;
    uint8_t *seen = calloc(NN, 1);
    int32_t qh = 0, qt = 0;
    order[qt++] = s;
    seen[s] = 1;
    int32_t nb[64];
    while (qh < qt) {
        int32_t v = order[qh++];
        int32_t n = 0;
        for (int32_t k = m->rowptr[v]; k < m->rowptr[v + 1]; k++)
            if (!seen[m->col[k]])
                nb[n++] = m->col[k];
        for (int32_t i = 1; i < n; i++) { /* insertion sort by degree, then id */
            int32_t x = nb[i], dx = m->rowptr[x + 1] - m->rowptr[x], j = i - 1;
            while (j >= 0) {
                int32_t y = nb[j], dy = m->rowptr[y + 1] - m->rowptr[y];
                if (dy < dx || (dy == dx && y < x))
                    break;
                nb[j + 1] = y;
                j--;
            }
            nb[j + 1] = x;
        }
        for (int32_t i = 0; i < n; i++) {
            seen[nb[i]] = 1;
            order[qt++] = nb[i];
        }
    }
    free(seen);
    for (int32_t i = 0; i < NN / 2; i++) { /* reverse */
        int32_t t = order[i];
        order[i] = order[NN - 1 - i];
        order[NN - 1 - i] = t;
    }
}

static uint64_t profile(const Mesh *m, const int32_t *newid)
{
    uint64_t p = 0;
    for (int32_t v = 0; v < NN; v++) {
        int32_t i = newid[v], f = i;
        for (int32_t k = m->rowptr[v]; k < m->rowptr[v + 1]; k++)
            if (newid[m->col[k]] < f)
                f = newid[m->col[k]];
        p += (uint64_t)(i - f);
    }
    return p;
}

static double weight(const Mesh *m, int32_t a, int32_t b)
{
    double dx = m->px[a] - m->px[b], dy = m->py[a] - m->py[b];
    return 1.0 / (dx * dx + dy * dy);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 100);
    bench_rng rng = { 0x736b796c696e6521ULL };
    Mesh meshes[NMESH];
    for (int k = 0; k < NMESH; k++)
        build_mesh(&meshes[k], &rng);
    int32_t *order = malloc(sizeof(int32_t) * NN), *newid = malloc(sizeof(int32_t) * NN);
    int32_t *level = malloc(sizeof(int32_t) * NN), *queue = malloc(sizeof(int32_t) * NN);
    int32_t *first = malloc(sizeof(int32_t) * NN);
    int64_t *rowoff = malloc(sizeof(int64_t) * (NN + 1));
    double *b = malloc(sizeof(double) * NN), *x = malloc(sizeof(double) * NN), *diag = malloc(sizeof(double) * NN);
    double *sky = NULL;
    size_t sky_cap = 0;

    double start = bench_now();
    uint64_t h = 0, prof_before = 0, prof_after = 0;
    double resid_max = 0.0;
    for (int round = 0; round < scale; round++) {
        const Mesh *m = &meshes[round % NMESH];
        double shift = 0.05 + 0.01 * (round % 11);
        for (int32_t v = 0; v < NN; v++)
            newid[v] = v;
        prof_before += profile(m, newid);
        rcm(m, order, level, queue);
        for (int32_t i = 0; i < NN; i++)
            newid[order[i]] = i;
        uint64_t prof = profile(m, newid);
        prof_after += prof;
        /* skyline layout: row i holds columns first[i]..i */
        for (int32_t i = 0; i < NN; i++) {
            int32_t v = order[i], f = i;
            for (int32_t k = m->rowptr[v]; k < m->rowptr[v + 1]; k++)
                if (newid[m->col[k]] < f)
                    f = newid[m->col[k]];
            first[i] = f;
        }
        rowoff[0] = 0;
        for (int32_t i = 0; i < NN; i++)
            rowoff[i + 1] = rowoff[i] + (i - first[i] + 1);
        if ((size_t)rowoff[NN] > sky_cap) {
            sky_cap = (size_t)rowoff[NN];
            free(sky);
            sky = malloc(sizeof(double) * sky_cap);
        }
        memset(sky, 0, sizeof(double) * (size_t)rowoff[NN]);
        for (int32_t i = 0; i < NN; i++) {
            int32_t v = order[i];
            double d = shift;
            for (int32_t k = m->rowptr[v]; k < m->rowptr[v + 1]; k++) {
                int32_t j = newid[m->col[k]];
                double wgt = weight(m, v, m->col[k]);
                d += wgt;
                if (j < i)
                    sky[rowoff[i] + (j - first[i])] = -wgt;
            }
            sky[rowoff[i + 1] - 1] = d;
            diag[v] = d;
        }
        /* envelope Cholesky, row by row: L[i][j] = (A[i][j] - sum_k L[i][k] L[j][k]) / L[j][j] */
        for (int32_t i = 0; i < NN; i++) {
            double *ri = sky + rowoff[i] - first[i]; /* ri[j] = L[i][j] */
            for (int32_t j = first[i]; j < i; j++) {
                const double *rj = sky + rowoff[j] - first[j];
                int32_t k0 = first[i] > first[j] ? first[i] : first[j];
                double s = ri[j];
                for (int32_t k = k0; k < j; k++)
                    s -= ri[k] * rj[k];
                ri[j] = s / rj[j];
            }
            double s = ri[i];
            for (int32_t k = first[i]; k < i; k++)
                s -= ri[k] * ri[k];
            if (s <= 0.0) {
                fprintf(stderr, "not positive definite at row %d\n", i);
                return 1;
            }
            ri[i] = sqrt(s);
        }
        for (int rhs = 0; rhs < 3; rhs++) {
            /* b in original numbering, solve in the permuted one */
            for (int32_t v = 0; v < NN; v++)
                b[v] = (double)((v * (rhs + 3) + round) % 17) - 8.0;
            for (int32_t i = 0; i < NN; i++) { /* L y = P b */
                const double *ri = sky + rowoff[i] - first[i];
                double s = b[order[i]];
                for (int32_t k = first[i]; k < i; k++)
                    s -= ri[k] * x[k];
                x[i] = s / ri[i];
            }
            for (int32_t i = NN - 1; i >= 0; i--) { /* L^T z = y, column-oriented */
                const double *ri = sky + rowoff[i] - first[i];
                x[i] /= ri[i];
                double xi = x[i];
                for (int32_t k = first[i]; k < i; k++)
                    x[k] -= ri[k] * xi;
            }
            /* residual with the CSR matrix, original numbering */
            double rmax = 0.0, xsum = 0.0;
            for (int32_t v = 0; v < NN; v++) {
                double ax = diag[v] * x[newid[v]];
                for (int32_t k = m->rowptr[v]; k < m->rowptr[v + 1]; k++)
                    ax -= weight(m, v, m->col[k]) * x[newid[m->col[k]]];
                double r = ax - b[v];
                if (r < 0.0)
                    r = -r;
                if (r > rmax)
                    rmax = r;
                xsum += x[newid[v]];
            }
            if (rmax > resid_max)
                resid_max = rmax;
            uint64_t bits;
            memcpy(&bits, &xsum, sizeof bits);
            h = mix64(h, bits);
        }
        h = mix64(h, prof);
    }
    bench_report(start);
    printf("rcm_skyline rounds=%d n=%d profile=%llu->%llu resid<1e-9:%d checksum=%016llx\n", scale, NN,
           (unsigned long long)prof_before, (unsigned long long)prof_after, resid_max < 1e-9,
           (unsigned long long)h);
    for (int k = 0; k < NMESH; k++) {
        free(meshes[k].rowptr);
        free(meshes[k].col);
        free(meshes[k].px);
        free(meshes[k].py);
    }
    free(order);
    free(newid);
    free(level);
    free(queue);
    free(first);
    free(rowoff);
    free(b);
    free(x);
    free(diag);
    free(sky);
    return 0;
}
