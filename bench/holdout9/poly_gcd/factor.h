// poly_gcd/factor.h — square-free, distinct-degree and equal-degree factorisation; workloads.
// Part of poly_gcd.cpp, one translation unit: it includes the parts in order.

namespace {

template <class F> using Factors = std::vector<std::pair<Poly<F>, int>>; // (factor, multiplicity)

// Yun's square-free decomposition of a monic f (characteristic larger than deg f)
template <class F> Factors<F> square_free(const Poly<F> &f)
{
    Factors<F> out;
    Poly<F> fd = f.derivative();
    Poly<F> a0 = gcd(f, fd);
    Poly<F> b = f / a0, c = fd / a0, d = c - b.derivative();
    for (int i = 1; b.deg() > 0; i++) {
        Poly<F> a = gcd(b, d);
        b = b / a;
        c = d / a;
        d = c - b.derivative();
        if (a.deg() > 0)
            out.push_back({ a, i });
    }
    return out;
}

template <class F> Factors<F> distinct_degree(Poly<F> f)
{
    Factors<F> out; // (product of all irreducible factors of degree i, i)
    Poly<F> x = Poly<F>::x(), h = x % f;
    for (int i = 1; f.deg() >= 2 * i; i++) {
        h = powmod(h, F::order, f);
        Poly<F> g = gcd(f, h - x);
        if (g.deg() > 0) {
            out.push_back({ g, i });
            f = f / g;
            h = h % f;
        }
    }
    if (f.deg() > 0)
        out.push_back({ f.monic(), f.deg() });
    return out;
}

template <class F> void equal_degree(const Poly<F> &g, int d, bench_rng &rng, std::vector<Poly<F>> &out)
{
    if (g.deg() == d) {
        out.push_back(g);
        return;
    }
    for (;;) {
        Poly<F> a = Poly<F>::random(rng, g.deg() - 1, false);
        Poly<F> t = a, b = a; // b = a^(1 + q + ... + q^(d-1)), then b^((q-1)/2)
        for (int i = 1; i < d; i++) {
            t = powmod(t, F::order, g);
            b = (b * t) % g;
        }
        b = powmod(b, (F::order - 1) / 2, g);
        Poly<F> h = gcd(g, b - Poly<F>::constant(F::one()));
        if (h.deg() > 0 && h.deg() < g.deg()) {
            equal_degree(h, d, rng, out);
            equal_degree((g / h).monic(), d, rng, out);
            return;
        }
    }
}

template <class F> bool irreducible(const Poly<F> &f)
{
    Factors<F> dd = distinct_degree(f);
    return dd.size() == 1 && dd[0].second == f.deg() && dd[0].first == f;
}

template <class F> bool poly_less(const Poly<F> &a, const Poly<F> &b)
{
    if (a.deg() != b.deg())
        return a.deg() < b.deg();
    for (int i = a.deg(); i >= 0; i--)
        if (a.c[(size_t)i] != b.c[(size_t)i])
            return a.c[(size_t)i].value() < b.c[(size_t)i].value();
    return false;
}

using Fp = Zp<65521>;

uint64_t factor_workload(bench_rng &g, uint64_t h, bool count_roots)
{
    Poly<Fp> f = Poly<Fp>::constant(Fp::one());
    int nf = 3 + (int)rng_below(&g, 5);
    for (int i = 0; i < nf; i++) {
        Poly<Fp> p = Poly<Fp>::random(g, 1 + (int)rng_below(&g, 6), true);
        f = f * p;
        if (rng_below(&g, 4) == 0)
            f = f * p; // a repeated factor
    }
    std::vector<std::pair<Poly<Fp>, int>> all;
    for (auto &sf : square_free(f))
        for (auto &dd : distinct_degree(sf.first)) {
            std::vector<Poly<Fp>> parts;
            equal_degree(dd.first, dd.second, g, parts);
            for (auto &p : parts) {
                if (p.deg() != dd.second || p.lead() != Fp::one() || !irreducible(p))
                    failures++;
                all.push_back({ p, sf.second });
            }
        }
    std::sort(all.begin(), all.end(), [](const std::pair<Poly<Fp>, int> &a, const std::pair<Poly<Fp>, int> &b) {
        return poly_less(a.first, b.first);
    });
    Poly<Fp> prod = Poly<Fp>::constant(Fp::one());
    int linear = 0;
    for (auto &fm : all) {
        for (int k = 0; k < fm.second; k++)
            prod = prod * fm.first;
        linear += fm.first.deg() == 1;
        h = hash_poly(h, fm.first);
        h = mix64(h, (uint64_t)fm.second);
    }
    if (prod != f)
        failures++;
    for (size_t i = 1; i < all.size(); i++) // distinct factors
        if (all[i].first == all[i - 1].first)
            failures++;
    if (count_roots) { // distinct roots by brute force = distinct linear factors
        int roots = 0;
        for (uint32_t x = 0; x < 65521; x++)
            roots += f.eval(Fp(x)).is_zero();
        if (roots != linear)
            failures++;
    }
    return mix64(h, all.size());
}

template <class F> uint64_t gcd_workload(bench_rng &g, uint64_t h, int maxdeg)
{
    Poly<F> c = Poly<F>::random(g, 1 + (int)rng_below(&g, 8), true);
    Poly<F> a = Poly<F>::random(g, 3 + (int)rng_below(&g, (uint32_t)maxdeg), false) * c;
    Poly<F> b = Poly<F>::random(g, 3 + (int)rng_below(&g, (uint32_t)maxdeg), false) * c;
    Poly<F> d = gcd(a, b), xg, s, t;
    xgcd(a, b, xg, s, t);
    if (!(d % c).is_zero() || xg != d || s * a + t * b != d)
        failures++;
    if (!(a % d).is_zero() || !(b % d).is_zero())
        failures++;
    Poly<F> q, r;
    a.divmod(b, q, r);
    if (r.deg() >= b.deg() || q * b + r != a)
        failures++;
    for (int k = 0; k < 4; k++) {
        F x = F::random(g);
        if (a.eval(x) != q.eval(x) * b.eval(x) + r.eval(x))
            failures++;
    }
    h = hash_poly(h, d);
    return hash_poly(h, s);
}

} // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 88);
    bench_rng g = { 0x6A09E667BB67AE85ULL };

    double t0 = bench_now();
    uint64_t h = 0x3C6EF372A54FF53AULL;
    for (int round = 0; round < scale; round++) {
        for (int k = 0; k < 4; k++)
            h = factor_workload(g, h, k == 0);
        for (int k = 0; k < 6; k++) {
            h = gcd_workload<Fp>(g, h, 40);
            h = gcd_workload<Zp<7>>(g, h, 40);
            h = gcd_workload<GF2m<8, 0x11B>>(g, h, 40);
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
