/* barnes_hut/sim.h — initial conditions, tree and force checks, leapfrog stepping, main loop.
 * Part of barnes_hut.c, one translation unit: it includes the parts in order. */

static double urand(bench_rng *g) { return (double)(rng_next(g) >> 11) * (1.0 / 9007199254740992.0); }

static void add_disc(bodies_t *b, int count, double cx, double cy, double R, double mtot, double vx,
                     double vy, int spin, bench_rng *g)
{
    for (int k = 0; k < count; k++) {
        double u, v;
        do {
            u = 2.0 * urand(g) - 1.0;
            v = 2.0 * urand(g) - 1.0;
        } while (u * u + v * v > 1.0 || u * u + v * v < 1e-6);
        double dx = u * R, dy = v * R, r = sqrt(dx * dx + dy * dy);
        double speed = sqrt(mtot * r / (R * R)) / r; /* tangential speed over r */
        int i = b->n++;
        b->x[i] = cx + dx;
        b->y[i] = cy + dy;
        b->vx[i] = vx - spin * dy * speed;
        b->vy[i] = vy + spin * dx * speed;
        b->m[i] = mtot / count * (0.5 + urand(g));
    }
}

static void generate(bodies_t *b, int n, bench_rng *g)
{
    b->n = 0;
    int nd = n * 2 / 5;
    add_disc(b, nd, -1.5, 0.2, 1.0, 1.0, 0.15, 0.0, 1, g);
    add_disc(b, nd, 1.5, -0.2, 0.8, 0.7, -0.15, 0.05, -1, g);
    while (b->n < n) { /* a light uniform cloud */
        int i = b->n++;
        b->x[i] = 8.0 * urand(g) - 4.0;
        b->y[i] = 8.0 * urand(g) - 4.0;
        b->vx[i] = 0.02 * (urand(g) - 0.5);
        b->vy[i] = 0.02 * (urand(g) - 0.5);
        b->m[i] = 0.0002 * (0.5 + urand(g));
    }
}

static int check_node(const tree_t *t, const bodies_t *b, int ni, uint8_t *seen)
{
    const node_t *nd = &t->nodes[ni];
    int count = 0;
    if (nd->first == -2) {
        for (int q = 0; q < 4; q++) {
            int c = nd->child[q];
            if (c < 0)
                continue;
            const node_t *cn = &t->nodes[c];
            if (cn->half != nd->half * 0.5)
                failures++;
            count += check_node(t, b, c, seen);
        }
        return count;
    }
    for (int i = nd->first; i >= 0; i = t->next[i]) {
        if (seen[i]++)
            failures++;
        if (absd(b->x[i] - nd->cx) > nd->half || absd(b->y[i] - nd->cy) > nd->half)
            failures++;
        count++;
    }
    if (nd->first >= 0 && count != nd->count)
        failures++;
    return count;
}

static void check_tree(const tree_t *t, const bodies_t *b, uint8_t *seen)
{
    memset(seen, 0, (size_t)b->n);
    if (check_node(t, b, 0, seen) != b->n)
        failures++;
    double m = 0.0, mx = 0.0, my = 0.0;
    for (int i = 0; i < b->n; i++) {
        m += b->m[i];
        mx += b->m[i] * b->x[i];
        my += b->m[i] * b->y[i];
    }
    const node_t *root = &t->nodes[0];
    if (absd(root->mass - m) > 1e-12 * m || absd(root->mx - mx / m) > 1e-9 ||
        absd(root->my - my / m) > 1e-9)
        failures++;
}

static void check_forces(const bodies_t *b, int stride, int offset)
{
    for (int i = offset; i < b->n; i += stride) {
        double ax, ay;
        direct(b, i, &ax, &ay);
        double dx = ax - b->ax[i], dy = ay - b->ay[i];
        double err2 = dx * dx + dy * dy, mag2 = ax * ax + ay * ay;
        double tol = 0.06 * sqrt(mag2) + 0.06; /* accelerations are of order one here */
        if (err2 > tol * tol)
            failures++;
    }
}

static uint64_t hash_doubles(uint64_t h, const double *v, int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &v[i], sizeof bits);
        h = mix64(h, bits);
    }
    return h;
}

static void alloc_bodies(bodies_t *b, int n)
{
    double **arrs[7] = { &b->x, &b->y, &b->vx, &b->vy, &b->m, &b->ax, &b->ay };
    for (int k = 0; k < 7; k++)
        *arrs[k] = malloc((size_t)n * sizeof(double));
}

static void free_bodies(bodies_t *b)
{
    double *arrs[7] = { b->x, b->y, b->vx, b->vy, b->m, b->ax, b->ay };
    for (int k = 0; k < 7; k++)
        free(arrs[k]);
}

#define NBODY 6000
#define STEPS 4
#define THETA 0.5

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 10);
    bench_rng g = { 0x1D8E4E27C47D124FULL };
    bodies_t b, small;
    alloc_bodies(&b, NBODY);
    alloc_bodies(&small, 300);
    tree_t t = { malloc(1024 * sizeof(node_t)), 0, 1024, malloc(NBODY * sizeof(int)) };
    uint8_t *seen = malloc(NBODY);
    const double dt = 0.002;

    double t0 = bench_now();
    uint64_t h = 0x6A09E667F3BCC908ULL;
    for (int round = 0; round < scale; round++) {
        /* exact-walk check on a small system: theta = 0 opens every cell */
        generate(&small, 300, &g);
        build(&t, &small);
        check_tree(&t, &small, seen);
        accelerations(&t, &small, 0.0);
        for (int i = 0; i < small.n; i += 7) {
            double ax, ay;
            direct(&small, i, &ax, &ay);
            double dx = ax - small.ax[i], dy = ay - small.ay[i];
            if (dx * dx + dy * dy > 1e-20 * (ax * ax + ay * ay))
                failures++;
        }

        generate(&b, NBODY, &g);
        build(&t, &b);
        long inter = accelerations(&t, &b, THETA);
        for (int s = 0; s < STEPS; s++) {
            for (int i = 0; i < b.n; i++) {
                b.vx[i] += 0.5 * dt * b.ax[i];
                b.vy[i] += 0.5 * dt * b.ay[i];
                b.x[i] += dt * b.vx[i];
                b.y[i] += dt * b.vy[i];
            }
            build(&t, &b);
            if (s == STEPS - 1)
                check_tree(&t, &b, seen);
            inter += accelerations(&t, &b, THETA);
            for (int i = 0; i < b.n; i++) {
                b.vx[i] += 0.5 * dt * b.ax[i];
                b.vy[i] += 0.5 * dt * b.ay[i];
            }
        }
        check_forces(&b, 211, round % 211);
        h = mix64(h, (uint64_t)inter);
        h = mix64(h, (uint64_t)t.nnodes);
        h = hash_doubles(h, b.x, b.n);
        h = hash_doubles(h, b.vy, b.n);
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    free_bodies(&b);
    free_bodies(&small);
    free(t.nodes);
    free(t.next);
    free(seen);
    return failures != 0;
}
