/* barnes_hut.c — 2-D gravitational N-body simulation with a Barnes-Hut quadtree.
 *
 * Bodies live in struct-of-arrays double arrays (position, velocity, mass, acceleration). Every
 * step a quadtree is rebuilt in a node pool (array of structs: cell centre and half size, four
 * child indices, a body list for leaves at the depth limit) by recursive insertion with
 * subdivision, masses and centres of mass are accumulated bottom-up, and accelerations are
 * computed by a recursive walk that accepts a cell when size^2 < theta^2 * distance^2 and uses
 * Plummer softening (one sqrt per interaction). Integration is kick-drift-kick leapfrog. Each
 * round simulates a freshly generated pair of rotating discs plus a uniform cloud. Checks: the
 * tree holds every body exactly once inside its cell's bounds, root mass and centre of mass
 * agree with direct sums, sampled accelerations agree with direct summation within the
 * expected theta error, and a theta = 0 walk on a small system agrees with direct summation to
 * rounding.
 */
#include "../programs/bench.h"

#include <math.h>

#define MAX_DEPTH 48
#define EPS2 1e-4

static int failures;

typedef struct {
    int n;
    double *x, *y, *vx, *vy, *m, *ax, *ay;
} bodies_t;

typedef struct {
    double cx, cy, half;
    double mass, mx, my; /* mx, my: centre of mass after finish() */
    int child[4];
    int first; /* leaf: first body, -1 if empty; -2 for internal nodes */
    int count;
} node_t;

typedef struct {
    node_t *nodes;
    int nnodes, cap;
    int *next; /* body list links within a leaf */
} tree_t;

static double absd(double v) { return v < 0 ? -v : v; }

static int new_node(tree_t *t, double cx, double cy, double half)
{
    if (t->nnodes == t->cap) {
        t->cap *= 2;
        t->nodes = realloc(t->nodes, (size_t)t->cap * sizeof(node_t));
    }
    node_t *nd = &t->nodes[t->nnodes];
    nd->cx = cx;
    nd->cy = cy;
    nd->half = half;
    nd->mass = nd->mx = nd->my = 0.0;
    nd->child[0] = nd->child[1] = nd->child[2] = nd->child[3] = -1;
    nd->first = -1;
    nd->count = 0;
    return t->nnodes++;
}

static int quadrant(const node_t *nd, double x, double y)
{
    return (x >= nd->cx ? 1 : 0) | (y >= nd->cy ? 2 : 0);
}

static int child_of(tree_t *t, int ni, int q)
{
    if (t->nodes[ni].child[q] < 0) {
        node_t p = t->nodes[ni];
        double h = p.half * 0.5;
        int c = new_node(t, p.cx + ((q & 1) ? h : -h), p.cy + ((q & 2) ? h : -h), h);
        t->nodes[ni].child[q] = c;
    }
    return t->nodes[ni].child[q];
}

static void insert(tree_t *t, const bodies_t *b, int ni, int i, int depth)
{
    node_t *nd = &t->nodes[ni];
    if (nd->first == -2) {
        int q = quadrant(nd, b->x[i], b->y[i]);
        insert(t, b, child_of(t, ni, q), i, depth + 1);
        return;
    }
    if (nd->first == -1 || depth >= MAX_DEPTH) {
        t->next[i] = nd->first < 0 ? -1 : nd->first;
        nd->first = i;
        nd->count++;
        return;
    }
    /* occupied leaf: push the resident body down and retry */
    int old = nd->first;
    nd->first = -2;
    nd->count = 0;
    int q = quadrant(nd, b->x[old], b->y[old]);
    insert(t, b, child_of(t, ni, q), old, depth + 1);
    nd = &t->nodes[ni];
    q = quadrant(nd, b->x[i], b->y[i]);
    insert(t, b, child_of(t, ni, q), i, depth + 1);
}

static void finish(tree_t *t, const bodies_t *b, int ni)
{
    node_t *nd = &t->nodes[ni];
    double m = 0.0, mx = 0.0, my = 0.0;
    if (nd->first == -2) {
        for (int q = 0; q < 4; q++) {
            int c = t->nodes[ni].child[q];
            if (c < 0)
                continue;
            finish(t, b, c);
            const node_t *cn = &t->nodes[c];
            m += cn->mass;
            mx += cn->mass * cn->mx;
            my += cn->mass * cn->my;
        }
    } else {
        for (int i = nd->first; i >= 0; i = t->next[i]) {
            m += b->m[i];
            mx += b->m[i] * b->x[i];
            my += b->m[i] * b->y[i];
        }
    }
    nd = &t->nodes[ni];
    nd->mass = m;
    nd->mx = m > 0.0 ? mx / m : nd->cx;
    nd->my = m > 0.0 ? my / m : nd->cy;
}

static void build(tree_t *t, const bodies_t *b)
{
    double minx = b->x[0], maxx = b->x[0], miny = b->y[0], maxy = b->y[0];
    for (int i = 1; i < b->n; i++) {
        minx = b->x[i] < minx ? b->x[i] : minx;
        maxx = b->x[i] > maxx ? b->x[i] : maxx;
        miny = b->y[i] < miny ? b->y[i] : miny;
        maxy = b->y[i] > maxy ? b->y[i] : maxy;
    }
    double half = (maxx - minx > maxy - miny ? maxx - minx : maxy - miny) * 0.5 * 1.0001 + 1e-9;
    t->nnodes = 0;
    new_node(t, (minx + maxx) * 0.5, (miny + maxy) * 0.5, half);
    for (int i = 0; i < b->n; i++)
        insert(t, b, 0, i, 0);
    finish(t, b, 0);
}

static inline void pair_accel(double dx, double dy, double m, double *ax, double *ay)
{
    double r2 = dx * dx + dy * dy + EPS2;
    double inv = m / (r2 * sqrt(r2));
    *ax += dx * inv;
    *ay += dy * inv;
}

static void walk(const tree_t *t, const bodies_t *b, int ni, int i, double theta2, double *ax,
                 double *ay, long *inter)
{
    const node_t *nd = &t->nodes[ni];
    if (nd->mass == 0.0)
        return;
    double px = b->x[i], py = b->y[i];
    if (nd->first != -2) {
        for (int j = nd->first; j >= 0; j = t->next[j])
            if (j != i) {
                pair_accel(b->x[j] - px, b->y[j] - py, b->m[j], ax, ay);
                (*inter)++;
            }
        return;
    }
    double dx = nd->mx - px, dy = nd->my - py, d2 = dx * dx + dy * dy;
    double size = 2.0 * nd->half;
    if (size * size < theta2 * d2) {
        pair_accel(dx, dy, nd->mass, ax, ay);
        (*inter)++;
        return;
    }
    for (int q = 0; q < 4; q++)
        if (nd->child[q] >= 0)
            walk(t, b, nd->child[q], i, theta2, ax, ay, inter);
}

static long accelerations(const tree_t *t, bodies_t *b, double theta)
{
    long inter = 0;
    for (int i = 0; i < b->n; i++) {
        double ax = 0.0, ay = 0.0;
        walk(t, b, 0, i, theta * theta, &ax, &ay, &inter);
        b->ax[i] = ax;
        b->ay[i] = ay;
    }
    return inter;
}

static void direct(const bodies_t *b, int i, double *ax, double *ay)
{
    *ax = *ay = 0.0;
    for (int j = 0; j < b->n; j++)
        if (j != i)
            pair_accel(b->x[j] - b->x[i], b->y[j] - b->y[i], b->m[j], ax, ay);
}

#include "barnes_hut/sim.h"
