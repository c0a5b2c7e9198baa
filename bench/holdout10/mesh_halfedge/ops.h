// mesh_halfedge/ops.h — edge flips, edge collapses with the link condition, Loop subdivision,
// measures (signed volume, area) and the shapes used as inputs.

// Flips the edge of h (a->b) to join the opposite vertices; false if not allowed.
static bool flip_edge(Mesh &m, int h0)
{
    int t0 = m.he(h0).twin;
    int h1 = m.he(h0).next, h2 = m.he(h1).next, t1 = m.he(t0).next, t2 = m.he(t1).next;
    int a = m.origin(h0), b = m.he(h0).to, c = m.he(h1).to, d = m.he(t1).to;
    if (c == d || m.adjacent(c, d) || m.degree(a) <= 3 || m.degree(b) <= 3) return false;
    int f0 = m.he(h0).face, f1 = m.he(t0).face;
    // f0 becomes d->b->c, f1 becomes a->d->c
    m.he(h0).to = d; m.he(h0).next = t2;
    m.he(t2).next = h1; m.he(t2).face = f0;
    m.he(h1).next = h0;
    m.he(t0).to = c; m.he(t0).next = h2;
    m.he(h2).next = t1; m.he(h2).face = f1;
    m.he(t1).next = t0;
    m.face(f0).he = h0;
    m.face(f1).he = t0;
    if (m.vert(a).out == h0) m.vert(a).out = t1;
    if (m.vert(b).out == t0) m.vert(b).out = h1;
    return true;
}

// Collapses the edge of h (a->b) into a at the midpoint; false if the link condition fails.
static bool collapse_edge(Mesh &m, int h0)
{
    int t0 = m.he(h0).twin;
    int h1 = m.he(h0).next, h2 = m.he(h1).next, t1 = m.he(t0).next, t2 = m.he(t1).next;
    int a = m.origin(h0), b = m.he(h0).to, c = m.he(h1).to, d = m.he(t1).to;
    if (c == d || m.count_verts_cached <= 4) return false;
    int common = 0;
    m.for_each_outgoing(a, [&](int h) {
        int n = m.he(h).to;
        if (n != b && m.adjacent(b, n)) common++;
    });
    if (common != 2) return false; // link condition: only c and d are shared neighbours
    int o1 = m.he(h1).twin, o2 = m.he(h2).twin, p1 = m.he(t1).twin, p2 = m.he(t2).twin;
    m.for_each_outgoing(b, [&](int h) { m.he(m.he(h).twin).to = a; });
    m.he(o1).twin = o2; m.he(o2).twin = o1;
    m.he(p1).twin = p2; m.he(p2).twin = p1;
    m.vert(a).out = o2;
    m.vert(c).out = o1;
    m.vert(d).out = p1;
    m.vert(a).pos = (m.vert(a).pos + m.vert(b).pos) * 0.5;
    m.vert(b).dead = true;
    for (int h : { h0, h1, h2, t0, t1, t2 }) m.he(h).dead = true;
    m.face(m.he(h0).face).dead = true;
    m.face(m.he(t0).face).dead = true;
    m.count_verts_cached--;
    return true;
}

// Loop subdivision (Warren's weights); writes the refined triangle list.
static void loop_subdivide(const Mesh &m, std::vector<Vec3> &points, std::vector<Tri> &tris)
{
    std::vector<Vec3> old;
    std::vector<Tri> old_tris;
    m.export_tris(old, old_tris);
    Mesh c; // compact copy so that indices are dense
    c.build(old, old_tris);
    int nv = static_cast<int>(old.size());
    std::vector<int> edge_vertex(static_cast<size_t>(c.num_he()), -1);
    points.assign(old.size(), Vec3{});
    for (int v = 0; v < nv; v++) {
        int n = 0;
        Vec3 sum;
        c.for_each_outgoing(v, [&](int h) {
            sum = sum + c.vert(c.he(h).to).pos;
            n++;
        });
        double beta = n == 3 ? 3.0 / 16.0 : 3.0 / (8.0 * n);
        points[static_cast<size_t>(v)] = c.vert(v).pos * (1.0 - n * beta) + sum * beta;
    }
    for (int h = 0; h < c.num_he(); h++) {
        if (edge_vertex[static_cast<size_t>(h)] >= 0) continue;
        int t = c.he(h).twin;
        Vec3 a = c.vert(c.origin(h)).pos, b = c.vert(c.he(h).to).pos;
        Vec3 p = c.vert(c.he(c.he(h).next).to).pos, q = c.vert(c.he(c.he(t).next).to).pos;
        edge_vertex[static_cast<size_t>(h)] = edge_vertex[static_cast<size_t>(t)] = static_cast<int>(points.size());
        points.push_back((a + b) * 0.375 + (p + q) * 0.125);
    }
    tris.clear();
    for (int f = 0; f < c.num_faces_total(); f++) {
        int h = c.face(f).he, e[3], v[3];
        for (int k = 0; k < 3; k++) {
            v[k] = c.origin(h);
            e[k] = edge_vertex[static_cast<size_t>(h)];
            h = c.he(h).next;
        }
        tris.push_back({ { v[0], e[0], e[2] } });
        tris.push_back({ { v[1], e[1], e[0] } });
        tris.push_back({ { v[2], e[2], e[1] } });
        tris.push_back({ { e[0], e[1], e[2] } });
    }
}

// Midpoint subdivision with projection onto the unit sphere.
static void sphere_subdivide(std::vector<Vec3> &points, std::vector<Tri> &tris)
{
    std::unordered_map<uint64_t, int> mid;
    std::vector<Tri> out;
    auto midpoint = [&](int a, int b) {
        uint64_t k = static_cast<uint64_t>(std::min(a, b)) << 32 | static_cast<uint32_t>(std::max(a, b));
        auto it = mid.find(k);
        if (it != mid.end()) return it->second;
        Vec3 p = points[static_cast<size_t>(a)] + points[static_cast<size_t>(b)];
        p = p * (1.0 / p.norm());
        points.push_back(p);
        int id = static_cast<int>(points.size()) - 1;
        mid.emplace(k, id);
        return id;
    };
    for (const Tri &t : tris) {
        int ab = midpoint(t.v[0], t.v[1]), bc = midpoint(t.v[1], t.v[2]), ca = midpoint(t.v[2], t.v[0]);
        out.push_back({ { t.v[0], ab, ca } });
        out.push_back({ { t.v[1], bc, ab } });
        out.push_back({ { t.v[2], ca, bc } });
        out.push_back({ { ab, bc, ca } });
    }
    tris.swap(out);
}

static double signed_volume(const std::vector<Vec3> &p, const std::vector<Tri> &tris)
{
    double v = 0;
    for (const Tri &t : tris)
        v += p[static_cast<size_t>(t.v[0])].dot(p[static_cast<size_t>(t.v[1])].cross(p[static_cast<size_t>(t.v[2])]));
    return v / 6.0;
}

static double area(const std::vector<Vec3> &p, const std::vector<Tri> &tris)
{
    double s = 0;
    for (const Tri &t : tris) {
        Vec3 a = p[static_cast<size_t>(t.v[0])], b = p[static_cast<size_t>(t.v[1])], c = p[static_cast<size_t>(t.v[2])];
        s += (b - a).cross(c - a).norm() * 0.5;
    }
    return s;
}

static void icosahedron(std::vector<Vec3> &p, std::vector<Tri> &t)
{
    const double g = 1.6180339887498949;
    double s = 1.0 / std::sqrt(1.0 + g * g);
    p = { { -s, g * s, 0 }, { s, g * s, 0 }, { -s, -g * s, 0 }, { s, -g * s, 0 },
          { 0, -s, g * s }, { 0, s, g * s }, { 0, -s, -g * s }, { 0, s, -g * s },
          { g * s, 0, -s }, { g * s, 0, s }, { -g * s, 0, -s }, { -g * s, 0, s } };
    t = { { { 0, 11, 5 } }, { { 0, 5, 1 } }, { { 0, 1, 7 } }, { { 0, 7, 10 } }, { { 0, 10, 11 } },
          { { 1, 5, 9 } }, { { 5, 11, 4 } }, { { 11, 10, 2 } }, { { 10, 7, 6 } }, { { 7, 1, 8 } },
          { { 3, 9, 4 } }, { { 3, 4, 2 } }, { { 3, 2, 6 } }, { { 3, 6, 8 } }, { { 3, 8, 9 } },
          { { 4, 9, 5 } }, { { 2, 4, 11 } }, { { 6, 2, 10 } }, { { 8, 6, 7 } }, { { 9, 8, 1 } } };
}

static void torus(int nu, int nv, double R, double r, std::vector<Vec3> &p, std::vector<Tri> &t, bench_rng &rng)
{
    // circle points from a rotation recurrence (only + - * /): c' = c cos - s sin, ...
    auto circle = [](int n, std::vector<double> &cs, std::vector<double> &sn) {
        // cos and sin of 2 pi / n from the half-angle formulas starting at 2 pi / 4
        int k = 4;
        double c = 0.0, s = 1.0;
        while (k < n) { // halve the angle until it is 2 pi / n (n is 4 * 2^j)
            c = std::sqrt((1.0 + c) * 0.5);
            s = s / (2.0 * c);
            k *= 2;
        }
        cs.assign(static_cast<size_t>(n), 0.0);
        sn.assign(static_cast<size_t>(n), 0.0);
        double x = 1.0, y = 0.0;
        for (int i = 0; i < n; i++) {
            cs[static_cast<size_t>(i)] = x;
            sn[static_cast<size_t>(i)] = y;
            double nx = x * c - y * s, ny = x * s + y * c;
            x = nx;
            y = ny;
        }
    };
    std::vector<double> cu, su, cv, sv;
    circle(nu, cu, su);
    circle(nv, cv, sv);
    p.clear();
    t.clear();
    for (int i = 0; i < nu; i++)
        for (int j = 0; j < nv; j++) {
            double jitter = 1.0 + (static_cast<double>(rng_below(&rng, 1000)) - 500.0) * 1e-5;
            double w = (R + r * cv[static_cast<size_t>(j)]) * jitter;
            p.push_back({ w * cu[static_cast<size_t>(i)], w * su[static_cast<size_t>(i)], r * sv[static_cast<size_t>(j)] });
        }
    for (int i = 0; i < nu; i++)
        for (int j = 0; j < nv; j++) {
            int a = i * nv + j, b = ((i + 1) % nu) * nv + j, c = ((i + 1) % nu) * nv + (j + 1) % nv,
                d = i * nv + (j + 1) % nv;
            t.push_back({ { a, b, c } });
            t.push_back({ { a, c, d } });
        }
}
