// mesh_halfedge.cpp — half-edge triangle meshes: construction, subdivision, flips, collapses.
//
// Meshes are arrays of vertex, half-edge and face structs linked by indices (next, twin, target
// vertex, face; one outgoing half-edge per vertex), built from indexed triangle lists with a hash
// map of directed edges to pair twins, over a small Vec3T<double> template. Each round makes an
// icosphere by midpoint subdivision with projection to the unit sphere, a lumpy sphere (randomly
// scaled icosahedron vertices) refined by Loop subdivision with Warren's weights, and a torus
// whose circle points come from half-angle formulas and a rotation recurrence; it then applies
// random edge flips (opposite vertices must not be adjacent, endpoint degrees above three) and
// random edge collapses to the midpoint guarded by the link condition, until the face count has
// halved. Checks: full structural validation (twin symmetry, three-cycles of next, face and
// origin consistency, one-ring traversal, degree sum = 2E) after each stage; Euler
// characteristic 2 for the spheres and 0 for the torus throughout; icosphere volumes and areas
// increasing with the level and below those of the unit sphere; torus volume near 2 pi^2 R r^2;
// Loop subdivision commuting with an affine map to rounding; one-ring degrees equal to degrees
// counted from an std::set of undirected edges; and export, rebuild and export giving identical
// arrays.
#include "../programs/bench.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mesh_halfedge/mesh.h"
#include "mesh_halfedge/ops.h"

static unsigned failures;
static const double PI = 3.14159265358979323846;

static void expect(bool ok)
{
    if (!ok) failures++;
}

static uint64_t hash_double(uint64_t h, double d)
{
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    return mix64(h, bits);
}

// Degrees from the triangle list (independent of the half-edge links) against one-ring counts.
static void check_degrees(const Mesh &m)
{
    std::vector<Vec3> p;
    std::vector<Tri> t;
    m.export_tris(p, t);
    std::set<std::pair<int, int>> edges;
    for (const Tri &tri : t)
        for (int k = 0; k < 3; k++) {
            int a = tri.v[k], b = tri.v[(k + 1) % 3];
            edges.emplace(std::min(a, b), std::max(a, b));
        }
    std::vector<int> deg(p.size(), 0);
    for (const auto &e : edges) {
        deg[static_cast<size_t>(e.first)]++;
        deg[static_cast<size_t>(e.second)]++;
    }
    int k = 0;
    for (int v = 0; v < m.num_verts_total(); v++) {
        if (m.vert(v).dead) continue;
        expect(m.degree(v) == deg[static_cast<size_t>(k++)]);
    }
    expect(static_cast<int>(edges.size()) == m.count_edges());
}

// Loop subdivision recomputed from the triangle list alone: neighbour sets and the opposite
// vertices of every edge; old vertices compared by index, edge points as sorted sets.
static void check_loop(const std::vector<Vec3> &p, const std::vector<Tri> &t, const std::vector<Vec3> &refined)
{
    std::vector<std::set<int>> nbr(p.size());
    std::unordered_map<uint64_t, std::vector<int>> opposite;
    for (const Tri &tri : t)
        for (int k = 0; k < 3; k++) {
            int a = tri.v[k], b = tri.v[(k + 1) % 3], c = tri.v[(k + 2) % 3];
            nbr[static_cast<size_t>(a)].insert(b);
            nbr[static_cast<size_t>(b)].insert(a);
            opposite[static_cast<uint64_t>(std::min(a, b)) << 32 | static_cast<uint32_t>(std::max(a, b))].push_back(c);
        }
    for (size_t v = 0; v < p.size(); v++) {
        double n = static_cast<double>(nbr[v].size()), beta = n == 3 ? 3.0 / 16.0 : 3.0 / (8.0 * n);
        Vec3 s;
        for (int u : nbr[v]) s = s + p[static_cast<size_t>(u)];
        expect((p[v] * (1.0 - n * beta) + s * beta - refined[v]).norm() < 1e-12);
    }
    auto less = [](const Vec3 &a, const Vec3 &b) {
        return a.x != b.x ? a.x < b.x : a.y != b.y ? a.y < b.y : a.z < b.z;
    };
    std::vector<Vec3> expected, got(refined.begin() + static_cast<std::ptrdiff_t>(p.size()), refined.end());
    for (const auto &e : opposite) {
        const std::vector<int> &o = e.second;
        if (o.size() != 2) { expect(false); continue; }
        Vec3 a = p[static_cast<size_t>(e.first >> 32)], b = p[static_cast<size_t>(e.first & 0xffffffffu)];
        expected.push_back((a + b) * 0.375 + (p[static_cast<size_t>(o[0])] + p[static_cast<size_t>(o[1])]) * 0.125);
    }
    std::sort(expected.begin(), expected.end(), less);
    std::sort(got.begin(), got.end(), less);
    expect(expected.size() == got.size());
    for (size_t i = 0; i < expected.size() && i < got.size(); i++) expect((expected[i] - got[i]).norm() < 1e-12);
}

static void round_trip(const Mesh &m, uint64_t &h)
{
    std::vector<Vec3> p1, p2;
    std::vector<Tri> t1, t2;
    m.export_tris(p1, t1);
    Mesh r;
    if (!r.build(p1, t1)) { // not a closed 2-manifold any more
        expect(false);
        return;
    }
    expect(r.validate() == 0);
    r.export_tris(p2, t2);
    expect(p1.size() == p2.size() && t1.size() == t2.size());
    for (size_t i = 0; i < std::min(p1.size(), p2.size()); i++)
        expect(p1[i].x == p2[i].x && p1[i].y == p2[i].y && p1[i].z == p2[i].z);
    for (size_t i = 0; i < std::min(t1.size(), t2.size()); i++)
        expect(t1[i].v[0] == t2[i].v[0] && t1[i].v[1] == t2[i].v[1] && t1[i].v[2] == t2[i].v[2]);
    h = hash_double(h, signed_volume(p1, t1));
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 28);
    bench_rng rng = { 0x4E5400F1A7EDULL };
    uint64_t h = 0;
    unsigned long long flips = 0, collapses = 0;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        std::vector<Vec3> p;
        std::vector<Tri> t;
        Mesh m;

        // icosphere levels
        icosahedron(p, t);
        double last_vol = 0, last_area = 0;
        for (int level = 0; level <= 4; level++) {
            if (level) sphere_subdivide(p, t);
            expect(m.build(p, t));
            expect(m.validate() == 0 && m.euler() == 2);
            double vol = signed_volume(p, t), ar = area(p, t);
            expect(vol > last_vol && vol < 4.0 * PI / 3.0 && ar > last_area && ar < 4.0 * PI);
            last_vol = vol;
            last_area = ar;
        }
        h = hash_double(h, last_vol);

        // edge collapses on the icosphere until half the faces are gone
        int target = m.count_faces() / 2, tries = 0;
        while (m.count_faces() > target && tries < 100000) {
            tries++;
            int e = static_cast<int>(rng_below(&rng, static_cast<uint32_t>(m.num_he())));
            if (m.he(e).dead) continue;
            if (collapse_edge(m, e)) {
                collapses++;
                if (collapses % 512 == 0) expect(m.validate() == 0);
            }
        }
        expect(m.count_faces() <= target && m.validate() == 0 && m.euler() == 2);
        check_degrees(m);
        round_trip(m, h);

        // lumpy sphere refined by Loop subdivision
        icosahedron(p, t);
        for (Vec3 &v : p) v = v * (0.7 + 0.6 * static_cast<double>(rng_below(&rng, 1000)) / 1000.0);
        expect(m.build(p, t));
        for (int level = 1; level <= 4; level++) {
            loop_subdivide(m, p, t);
            expect(m.build(p, t));
            expect(m.validate() == 0 && m.euler() == 2 && signed_volume(p, t) > 0);
            if (level == 2) { // affine invariance: subdivide(A x) == A subdivide(x)
                double a[12];
                for (double &x : a) x = static_cast<double>(rng_below(&rng, 2001)) / 1000.0 - 1.0;
                auto apply = [&](const Vec3 &v) {
                    return Vec3{ a[0] * v.x + a[1] * v.y + a[2] * v.z + a[9], a[3] * v.x + a[4] * v.y + a[5] * v.z + a[10],
                                 a[6] * v.x + a[7] * v.y + a[8] * v.z + a[11] };
                };
                std::vector<Vec3> q, r1, r2;
                std::vector<Tri> tq, tr1, tr2;
                m.export_tris(q, tq);
                for (Vec3 &v : q) v = apply(v);
                Mesh mq;
                expect(mq.build(q, tq));
                loop_subdivide(mq, r1, tr1);
                loop_subdivide(m, r2, tr2);
                double err = 0;
                for (size_t i = 0; i < r1.size() && i < r2.size(); i++) err = std::max(err, (r1[i] - apply(r2[i])).norm());
                expect(r1.size() == r2.size() && err < 1e-12);
                check_loop(q, tq, r1);
            }
        }
        // random flips
        int done = 0;
        for (int k = 0; k < 4000; k++) {
            int e = static_cast<int>(rng_below(&rng, static_cast<uint32_t>(m.num_he())));
            done += flip_edge(m, e);
        }
        flips += static_cast<unsigned long long>(done);
        expect(m.validate() == 0 && m.euler() == 2);
        check_degrees(m);
        round_trip(m, h);
        h = mix64(h, static_cast<uint64_t>(done));

        // torus
        double R = 2.0 + static_cast<double>(rng_below(&rng, 100)) / 100.0, r = 0.5;
        torus(64, 32, R, r, p, t, rng);
        expect(m.build(p, t));
        expect(m.validate() == 0 && m.euler() == 0);
        double tv = signed_volume(p, t), exact = 2.0 * PI * PI * R * r * r;
        expect(tv > 0.97 * exact && tv < 1.03 * exact);
        for (int k = 0; k < 1500; k++) {
            int e = static_cast<int>(rng_below(&rng, static_cast<uint32_t>(m.num_he())));
            if (!m.he(e).dead && collapse_edge(m, e)) collapses++;
        }
        expect(m.validate() == 0 && m.euler() == 0);
        check_degrees(m);
        round_trip(m, h);
        h = hash_double(h, tv);
    }
    bench_report(t0);
    std::printf("mesh_halfedge: flips=%llu collapses=%llu hash=%016llx failures=%u\n", flips, collapses,
                static_cast<unsigned long long>(h), failures);
    return failures != 0;
}
