/* kruskal_mst — minimum spanning forest of a sparse weighted graph by Kruskal (qsort of edge
 * structs, union-find with union by size and path halving), cross-checked against Prim with a binary heap over CSR adjacency.
 *
 * Each round perturbs the edge weights, computes both forests, verifies equal total weight, and
 * derives single-linkage clusters by replaying the forest without its heaviest edges. */
#include "../programs/bench.h"

#define NV 40000
#define NE 160000

typedef struct { uint32_t u, v, w; } edge;

static int edge_cmp(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->w != y->w) return x->w < y->w ? -1 : 1;
    if (x->u != y->u) return x->u < y->u ? -1 : 1;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return 0;
}

typedef struct { uint32_t *parent, *size; } dsu;

static uint32_t dsu_find(dsu *d, uint32_t x)
{
    while (d->parent[x] != x) {
        d->parent[x] = d->parent[d->parent[x]];
        x = d->parent[x];
    }
    return x;
}

static int dsu_union(dsu *d, uint32_t a, uint32_t b)
{
    a = dsu_find(d, a);
    b = dsu_find(d, b);
    if (a == b) return 0;
    if (d->size[a] < d->size[b]) { uint32_t t = a; a = b; b = t; }
    d->parent[b] = a;
    d->size[a] += d->size[b];
    return 1;
}

static void dsu_reset(dsu *d, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) { d->parent[i] = i; d->size[i] = 1; }
}

/* Prim over CSR, restarted from every unvisited vertex; lazy-deletion binary heap of (w, v). */
typedef struct { uint32_t w, v; } hitem;

static void heap_push(hitem *h, uint32_t *n, hitem it)
{
    uint32_t i = (*n)++;
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (h[p].w < it.w || (h[p].w == it.w && h[p].v <= it.v)) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = it;
}

static hitem heap_pop(hitem *h, uint32_t *n)
{
    hitem top = h[0], last = h[--(*n)];
    uint32_t i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= *n) break;
        if (c + 1 < *n && (h[c + 1].w < h[c].w || (h[c + 1].w == h[c].w && h[c + 1].v < h[c].v))) c++;
        if (last.w < h[c].w || (last.w == h[c].w && last.v <= h[c].v)) break;
        h[i] = h[c];
        i = c;
    }
    h[i] = last;
    return top;
}

static uint64_t prim_weight(uint32_t n, const uint32_t *off, const uint32_t *adj_v, const uint32_t *adj_w,
                            uint8_t *seen, hitem *heap)
{
    uint64_t total = 0;
    memset(seen, 0, n);
    for (uint32_t s = 0; s < n; s++) {
        if (seen[s]) continue;
        uint32_t hn = 0;
        heap_push(heap, &hn, (hitem){ 0, s });
        while (hn > 0) {
            hitem it = heap_pop(heap, &hn);
            if (seen[it.v]) continue;
            seen[it.v] = 1;
            total += it.w;
            for (uint32_t k = off[it.v]; k < off[it.v + 1]; k++)
                if (!seen[adj_v[k]]) heap_push(heap, &hn, (hitem){ adj_w[k], adj_v[k] });
        }
    }
    return total;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 17);
    bench_rng rng = { 0x6b7275736b616cULL };
    /* Vertices on a ring of neighbourhoods: mostly local edges, some long-range ones, a few isolated vertices. */
    edge *base = malloc(sizeof(edge) * NE);
    edge *edges = malloc(sizeof(edge) * NE);
    uint32_t *noise = malloc(sizeof(uint32_t) * NE);
    for (uint32_t i = 0; i < NE; i++) {
        uint32_t u = rng_below(&rng, NV - 16);
        uint32_t v = rng_below(&rng, 8) == 0 ? rng_below(&rng, NV - 16) : (u + 1 + rng_below(&rng, 40)) % (NV - 16);
        if (v == u) v = (u + 1) % (NV - 16);
        base[i].u = u < v ? u : v;
        base[i].v = u < v ? v : u;
        uint32_t len = v > u ? v - u : u - v;
        base[i].w = 100 + len * 10 + rng_below(&rng, 1000);
        noise[i] = rng_below(&rng, 256);
    }
    uint32_t *off = malloc(sizeof(uint32_t) * (NV + 1));
    uint32_t *adj_v = malloc(sizeof(uint32_t) * NE * 2);
    uint32_t *adj_w = malloc(sizeof(uint32_t) * NE * 2);
    uint32_t *fill = malloc(sizeof(uint32_t) * NV);
    uint8_t *seen = malloc(NV);
    hitem *heap = malloc(sizeof(hitem) * (NE * 2 + NV));
    edge *forest = malloc(sizeof(edge) * NV);
    dsu d = { malloc(sizeof(uint32_t) * NV), malloc(sizeof(uint32_t) * NV) };
    if (!base || !edges || !noise || !off || !adj_v || !adj_w || !fill || !seen || !heap || !forest || !d.parent || !d.size)
        return 1;

    double start = bench_now();
    uint64_t h = 0;
    uint64_t weight_sum = 0;
    for (int round = 0; round < scale; round++) {
        for (uint32_t i = 0; i < NE; i++) {
            edges[i] = base[i];
            edges[i].w += (noise[i] * (uint32_t)(round + 3)) % 509;
        }
        /* CSR adjacency for Prim */
        memset(off, 0, sizeof(uint32_t) * (NV + 1));
        for (uint32_t i = 0; i < NE; i++) { off[edges[i].u + 1]++; off[edges[i].v + 1]++; }
        for (uint32_t v = 0; v < NV; v++) off[v + 1] += off[v];
        memcpy(fill, off, sizeof(uint32_t) * NV);
        for (uint32_t i = 0; i < NE; i++) {
            uint32_t a = edges[i].u, b = edges[i].v, w = edges[i].w;
            adj_v[fill[a]] = b; adj_w[fill[a]++] = w;
            adj_v[fill[b]] = a; adj_w[fill[b]++] = w;
        }

        qsort(edges, NE, sizeof(edge), edge_cmp);
        dsu_reset(&d, NV);
        uint32_t nf = 0;
        uint64_t kw = 0;
        for (uint32_t i = 0; i < NE && nf + 1 < NV; i++) {
            if (dsu_union(&d, edges[i].u, edges[i].v)) {
                forest[nf++] = edges[i];
                kw += edges[i].w;
            }
        }
        uint64_t pw = prim_weight(NV, off, adj_v, adj_w, seen, heap);
        if (pw != kw) {
            printf("kruskal_mst: Kruskal %llu != Prim %llu\n", (unsigned long long)kw, (unsigned long long)pw);
            return 1;
        }
        weight_sum += kw;
        /* single-linkage clustering: drop the heaviest (round % 50 + 10) forest edges */
        uint32_t keep = nf - (uint32_t)(round % 50 + 10);
        dsu_reset(&d, NV);
        for (uint32_t i = 0; i < keep; i++) dsu_union(&d, forest[i].u, forest[i].v);
        uint32_t clusters = 0, biggest = 0;
        for (uint32_t v = 0; v < NV; v++)
            if (dsu_find(&d, v) == v) {
                clusters++;
                if (d.size[v] > biggest) biggest = d.size[v];
            }
        h = mix64(h, kw);
        h = mix64(h, nf);
        h = mix64(h, (uint64_t)clusters << 32 | biggest);
        for (uint32_t i = 0; i < nf; i += 97) h = mix64(h, (uint64_t)forest[i].u << 20 ^ forest[i].v);
    }
    bench_report(start);
    printf("kruskal_mst vertices=%d edges=%d rounds=%d weight_sum=%llu checksum=%016llx\n", NV, NE, scale,
           (unsigned long long)weight_sum, (unsigned long long)h);
    free(base); free(edges); free(noise); free(off); free(adj_v); free(adj_w); free(fill); free(seen); free(heap);
    free(forest); free(d.parent); free(d.size);
    return 0;
}
