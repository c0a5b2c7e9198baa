// mesh_halfedge/mesh.h — vectors, the half-edge mesh (arrays of structs with index links),
// building from an indexed triangle list, structural validation and export.

template <class T>
struct Vec3T {
    T x{}, y{}, z{};
    Vec3T operator+(const Vec3T &o) const { return { x + o.x, y + o.y, z + o.z }; }
    Vec3T operator-(const Vec3T &o) const { return { x - o.x, y - o.y, z - o.z }; }
    Vec3T operator*(T s) const { return { x * s, y * s, z * s }; }
    T dot(const Vec3T &o) const { return x * o.x + y * o.y + z * o.z; }
    Vec3T cross(const Vec3T &o) const { return { y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x }; }
    T norm() const { return std::sqrt(dot(*this)); }
};
using Vec3 = Vec3T<double>;

struct Tri {
    int v[3];
};

class Mesh {
public:
    struct HalfEdge {
        int next = -1, twin = -1, to = -1, face = -1;
        bool dead = false;
    };
    struct Vertex {
        Vec3 pos;
        int out = -1; // one outgoing half-edge
        bool dead = false;
    };
    struct Face {
        int he = -1;
        bool dead = false;
    };

    // Builds from triangles; returns false if the input is not a closed oriented 2-manifold.
    bool build(const std::vector<Vec3> &points, const std::vector<Tri> &tris)
    {
        count_verts_cached = static_cast<int>(points.size());
        verts_.assign(points.size(), Vertex{});
        for (size_t i = 0; i < points.size(); i++) verts_[i].pos = points[i];
        hes_.clear();
        faces_.clear();
        std::unordered_map<uint64_t, int> directed;
        directed.reserve(tris.size() * 3);
        for (const Tri &t : tris) {
            int f = static_cast<int>(faces_.size()), base = static_cast<int>(hes_.size());
            faces_.push_back({ base, false });
            for (int k = 0; k < 3; k++) {
                HalfEdge h;
                h.to = t.v[(k + 1) % 3];
                h.next = base + (k + 1) % 3;
                h.face = f;
                hes_.push_back(h);
                verts_[static_cast<size_t>(t.v[k])].out = base + k;
                if (!directed.emplace(key(t.v[k], t.v[(k + 1) % 3]), base + k).second) return false;
            }
        }
        for (size_t i = 0; i < hes_.size(); i++) {
            int from = origin(static_cast<int>(i));
            auto it = directed.find(key(hes_[i].to, from));
            if (it == directed.end()) return false; // boundary edge
            hes_[i].twin = it->second;
        }
        return true;
    }

    int count_verts_cached = 0; // live vertices, kept up to date by edge collapses

    int origin(int h) const { return he(he(he(h).next).next).to; } // triangles: prev = next of next
    int prev(int h) const { return he(he(h).next).next; }
    const HalfEdge &he(int h) const { return hes_[static_cast<size_t>(h)]; }
    HalfEdge &he(int h) { return hes_[static_cast<size_t>(h)]; }
    const Vertex &vert(int v) const { return verts_[static_cast<size_t>(v)]; }
    Vertex &vert(int v) { return verts_[static_cast<size_t>(v)]; }
    Face &face(int f) { return faces_[static_cast<size_t>(f)]; }
    int num_he() const { return static_cast<int>(hes_.size()); }
    int num_verts_total() const { return static_cast<int>(verts_.size()); }
    int num_faces_total() const { return static_cast<int>(faces_.size()); }

    int count_verts() const { int n = 0; for (const Vertex &v : verts_) n += !v.dead; return n; }
    int count_faces() const { int n = 0; for (const Face &f : faces_) n += !f.dead; return n; }
    int count_edges() const { int n = 0; for (const HalfEdge &h : hes_) n += !h.dead; return n / 2; }
    int euler() const { return count_verts() - count_edges() + count_faces(); }

    template <class F>
    void for_each_outgoing(int v, F &&fn) const
    {
        int start = vert(v).out, h = start, guard = 0;
        do {
            fn(h);
            h = he(he(h).twin).next; // rotate around v
        } while (h != start && ++guard < 4096);
    }
    int degree(int v) const
    {
        int d = 0;
        for_each_outgoing(v, [&](int) { d++; });
        return d;
    }
    bool adjacent(int a, int b) const
    {
        bool found = false;
        for_each_outgoing(a, [&](int h) { found |= he(h).to == b; });
        return found;
    }

    // Structural invariants of a closed triangle mesh; returns the number of violations.
    int validate() const
    {
        int bad = 0;
        for (int h = 0; h < num_he(); h++) {
            const HalfEdge &e = he(h);
            if (e.dead) continue;
            if (e.twin < 0 || he(e.twin).dead || he(e.twin).twin != h) bad++;
            if (he(he(e.next).next).next != h || he(e.next).face != e.face || faces_[static_cast<size_t>(e.face)].dead)
                bad++;
            if (e.to == origin(h) || vert(e.to).dead || origin(e.twin) != e.to) bad++;
        }
        long degree_sum = 0;
        for (int v = 0; v < num_verts_total(); v++) {
            if (vert(v).dead) continue;
            int out = vert(v).out;
            if (out < 0 || he(out).dead || origin(out) != v) { bad++; continue; }
            int d = 0;
            for_each_outgoing(v, [&](int h) {
                if (origin(h) != v) bad++;
                d++;
            });
            if (d < 3) bad++;
            degree_sum += d;
        }
        if (degree_sum != 2L * count_edges()) bad++;
        for (const Face &f : faces_)
            if (!f.dead && (he(f.he).dead || he(f.he).face != static_cast<int>(&f - faces_.data()))) bad++;
        return bad;
    }

    // Compacts live elements into an indexed triangle list.
    void export_tris(std::vector<Vec3> &points, std::vector<Tri> &tris) const
    {
        std::vector<int> remap(verts_.size(), -1);
        points.clear();
        tris.clear();
        for (size_t v = 0; v < verts_.size(); v++)
            if (!verts_[v].dead) {
                remap[v] = static_cast<int>(points.size());
                points.push_back(verts_[v].pos);
            }
        for (const Face &f : faces_) {
            if (f.dead) continue;
            int h = f.he;
            Tri t;
            for (int k = 0; k < 3; k++) {
                t.v[k] = remap[static_cast<size_t>(origin(h))];
                h = he(h).next;
            }
            tris.push_back(t);
        }
    }

private:
    static uint64_t key(int a, int b) { return static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32 | static_cast<uint32_t>(b); }
    std::vector<Vertex> verts_;
    std::vector<HalfEdge> hes_;
    std::vector<Face> faces_;
};
