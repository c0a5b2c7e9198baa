/* cpp_matrix_tmpl — a small templated fixed-size linear-algebra library (Vec<T, N> and
 * Mat<T, N> with overloaded operator*, operator+, operator-, templated loops over N) applied to a
 * point cloud with normals in double precision: each round composes 4x4 homogeneous transforms
 * (rotation from a normalised quaternion, scaling, translation, shear) by matrix products,
 * transforms every point of the model by the 4x4 matrix and every normal by the 3x3 rotation
 * (renormalised with sqrt) into a second cloud, then uses a generic templated reduce for the
 * centroid, the bounding box, the RMS radius and the normal sum, and recentres and rescales the
 * transformed cloud. Represents header-only templated numeric C++ (graphics, games, geometry)
 * that relies on inlining and unrolling of small fixed-size loops. */
#include "bench.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

template <typename T, int N>
struct Vec {
    T v[N];

    T &operator[](int i) { return v[i]; }
    const T &operator[](int i) const { return v[i]; }

    static Vec zero()
    {
        Vec r;
        for (int i = 0; i < N; i++)
            r.v[i] = T(0);
        return r;
    }
};

template <typename T, int N>
Vec<T, N> operator+(const Vec<T, N> &a, const Vec<T, N> &b)
{
    Vec<T, N> r;
    for (int i = 0; i < N; i++)
        r[i] = a[i] + b[i];
    return r;
}

template <typename T, int N>
Vec<T, N> operator-(const Vec<T, N> &a, const Vec<T, N> &b)
{
    Vec<T, N> r;
    for (int i = 0; i < N; i++)
        r[i] = a[i] - b[i];
    return r;
}

template <typename T, int N>
Vec<T, N> operator*(const Vec<T, N> &a, T s)
{
    Vec<T, N> r;
    for (int i = 0; i < N; i++)
        r[i] = a[i] * s;
    return r;
}

template <typename T, int N>
T dot(const Vec<T, N> &a, const Vec<T, N> &b)
{
    T s = T(0);
    for (int i = 0; i < N; i++)
        s = s + a[i] * b[i];
    return s;
}

template <typename T, int N>
Vec<T, N> normalized(const Vec<T, N> &a)
{
    return a * (T(1) / std::sqrt(dot(a, a)));
}

template <typename T, int N>
struct Mat {
    T m[N][N];

    static Mat zero()
    {
        Mat r;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                r.m[i][j] = T(0);
        return r;
    }

    static Mat identity()
    {
        Mat r;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                r.m[i][j] = i == j ? T(1) : T(0);
        return r;
    }

    /* The upper-left K x K block. */
    template <int K>
    Mat<T, K> block() const
    {
        Mat<T, K> r;
        for (int i = 0; i < K; i++)
            for (int j = 0; j < K; j++)
                r.m[i][j] = m[i][j];
        return r;
    }
};

template <typename T, int N>
Mat<T, N> operator*(const Mat<T, N> &a, const Mat<T, N> &b)
{
    Mat<T, N> r;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            T s = T(0);
            for (int k = 0; k < N; k++)
                s = s + a.m[i][k] * b.m[k][j];
            r.m[i][j] = s;
        }
    return r;
}

template <typename T, int N>
Mat<T, N> operator+(const Mat<T, N> &a, const Mat<T, N> &b)
{
    Mat<T, N> r;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            r.m[i][j] = a.m[i][j] + b.m[i][j];
    return r;
}

template <typename T, int N>
Vec<T, N> operator*(const Mat<T, N> &a, const Vec<T, N> &x)
{
    Vec<T, N> r;
    for (int i = 0; i < N; i++) {
        T s = T(0);
        for (int k = 0; k < N; k++)
            s = s + a.m[i][k] * x[k];
        r[i] = s;
    }
    return r;
}

/* A generic left fold, in order (so floating-point results are reproducible). */
template <typename Iter, typename Acc, typename Op>
Acc reduce(Iter first, Iter last, Acc init, Op op)
{
    for (; first != last; ++first)
        init = op(init, *first);
    return init;
}

typedef Vec<double, 4> Vec4;
typedef Vec<double, 3> Vec3;
typedef Mat<double, 4> Mat4;
typedef Mat<double, 3> Mat3;

struct Point {
    Vec4 position;   /* homogeneous, w = 1 */
    Vec3 normal;
};

struct Bounds {
    Vec3 lo, hi;
};

static double uniform(bench_rng *rng)   /* in [-1, 1) */
{
    return (double)(rng_next(rng) >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

static Mat4 rotation(double a, double b, double c, double d)
{
    Vec4 q = normalized(Vec4{{a, b, c, d}});
    double w = q[0], x = q[1], y = q[2], z = q[3];
    Mat4 r = Mat4::identity();
    r.m[0][0] = 1 - 2 * (y * y + z * z); r.m[0][1] = 2 * (x * y - w * z); r.m[0][2] = 2 * (x * z + w * y);
    r.m[1][0] = 2 * (x * y + w * z); r.m[1][1] = 1 - 2 * (x * x + z * z); r.m[1][2] = 2 * (y * z - w * x);
    r.m[2][0] = 2 * (x * z - w * y); r.m[2][1] = 2 * (y * z + w * x); r.m[2][2] = 1 - 2 * (x * x + y * y);
    return r;
}

static Mat4 scaling(double sx, double sy, double sz)
{
    Mat4 r = Mat4::identity();
    r.m[0][0] = sx;
    r.m[1][1] = sy;
    r.m[2][2] = sz;
    return r;
}

static Mat4 translation(double tx, double ty, double tz)
{
    Mat4 r = Mat4::identity();
    r.m[0][3] = tx;
    r.m[1][3] = ty;
    r.m[2][3] = tz;
    return r;
}

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 16);
    const size_t npoints = 65536;
    const int rounds_per_scale = 100;
    bench_rng rng = { 0x3d3d };
    std::vector<Point> model(npoints), cloud(npoints);
    for (Point &p : model) {
        p.position = Vec4{{uniform(&rng), uniform(&rng), uniform(&rng), 1.0}};
        p.normal = normalized(Vec3{{uniform(&rng), uniform(&rng), uniform(&rng) + 2.0}});
    }

    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    for (int r = 0; r < scale * rounds_per_scale; r++) {
        /* A chain of object, parent and camera transforms, composed by matrix products. */
        Mat4 m = Mat4::identity();
        Mat4 rot_only = Mat4::identity();
        for (int k = 0; k < 3; k++) {
            Mat4 rot = rotation(uniform(&rng), uniform(&rng), uniform(&rng), uniform(&rng));
            Mat4 sc = scaling(1.0 + 0.25 * uniform(&rng), 1.0 + 0.25 * uniform(&rng), 1.0 + 0.25 * uniform(&rng));
            Mat4 tr = translation(uniform(&rng), uniform(&rng), uniform(&rng));
            m = tr * rot * sc * m;
            rot_only = rot * rot_only;
        }
        /* A small shear, added on. */
        Mat4 skew = Mat4::zero();
        skew.m[0][1] = 0.0625 * uniform(&rng);
        skew.m[1][2] = 0.0625 * uniform(&rng);
        m = (Mat4::identity() + skew) * m;
        const Mat3 nrot = rot_only.block<3>();

        for (size_t i = 0; i < npoints; i++) {
            cloud[i].position = m * model[i].position;
            cloud[i].normal = normalized(nrot * model[i].normal);
        }

        Vec4 sum = reduce(cloud.begin(), cloud.end(), Vec4::zero(),
                          [](const Vec4 &acc, const Point &p) { return acc + p.position; });
        Vec4 centroid = sum * (1.0 / (double)npoints);
        centroid[3] = 0.0;
        Bounds box = reduce(cloud.begin(), cloud.end(),
                            Bounds{{{1e300, 1e300, 1e300}}, {{-1e300, -1e300, -1e300}}},
                            [](Bounds b, const Point &p) {
                                for (int i = 0; i < 3; i++) {
                                    if (p.position[i] < b.lo[i]) b.lo[i] = p.position[i];
                                    if (p.position[i] > b.hi[i]) b.hi[i] = p.position[i];
                                }
                                return b;
                            });
        double sq = reduce(cloud.begin(), cloud.end(), 0.0, [&centroid](double acc, const Point &p) {
            Vec4 d = p.position - centroid;
            return acc + dot(d, d);
        });
        double inv_radius = 1.0 / std::sqrt(sq / (double)npoints);
        Vec3 nsum = reduce(cloud.begin(), cloud.end(), Vec3::zero(),
                           [](const Vec3 &acc, const Point &p) { return acc + p.normal; });

        /* Recentre and rescale to unit RMS radius. */
        for (Point &p : cloud) {
            p.position = (p.position - centroid) * inv_radius;
            p.position[3] = 1.0;
        }

        h = mix64(h, bits(centroid[0]) ^ bits(centroid[1]) ^ bits(centroid[2]));
        h = mix64(h, bits(inv_radius));
        h = mix64(h, bits(box.hi[0] - box.lo[0]) ^ bits(box.hi[1] - box.lo[1]) ^ bits(box.hi[2] - box.lo[2]));
        h = mix64(h, bits(nsum[0]) ^ bits(nsum[1]) ^ bits(nsum[2]));
    }
    const Point &sample = cloud[npoints / 3];
    h = mix64(h, bits(sample.position[0]) ^ bits(sample.normal[2]));
    bench_report(start);
    printf("cpp_matrix_tmpl points=%zu rounds=%d x=%.6f checksum=%016llx\n", npoints,
           scale * rounds_per_scale, sample.position[0], (unsigned long long)h);
    return 0;
}
