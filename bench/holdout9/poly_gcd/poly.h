// poly_gcd/poly.h — the Poly<F> class template: arithmetic, division, GCDs, powers.
// Part of poly_gcd.cpp, one translation unit: it includes the parts in order.

namespace {

template <class F> class Poly {
public:
    std::vector<F> c; // c[i] is the coefficient of x^i; no trailing zeros

    Poly() {}
    explicit Poly(std::vector<F> v) : c(std::move(v)) { trim(); }
    static Poly constant(F a) { return Poly(std::vector<F>{ a }); }
    static Poly x() { return Poly(std::vector<F>{ F::zero(), F::one() }); }

    int deg() const { return (int)c.size() - 1; } // -1 for the zero polynomial
    bool is_zero() const { return c.empty(); }
    F lead() const { return c.back(); }
    void trim()
    {
        while (!c.empty() && c.back().is_zero())
            c.pop_back();
    }

    Poly operator+(const Poly &o) const
    {
        std::vector<F> r(std::max(c.size(), o.c.size()));
        for (size_t i = 0; i < r.size(); i++)
            r[i] = (i < c.size() ? c[i] : F::zero()) + (i < o.c.size() ? o.c[i] : F::zero());
        return Poly(std::move(r));
    }
    Poly operator-(const Poly &o) const
    {
        std::vector<F> r(std::max(c.size(), o.c.size()));
        for (size_t i = 0; i < r.size(); i++)
            r[i] = (i < c.size() ? c[i] : F::zero()) - (i < o.c.size() ? o.c[i] : F::zero());
        return Poly(std::move(r));
    }
    Poly operator*(const Poly &o) const
    {
        if (is_zero() || o.is_zero())
            return Poly();
        std::vector<F> r(c.size() + o.c.size() - 1);
        for (size_t i = 0; i < c.size(); i++) {
            if (c[i].is_zero())
                continue;
            const F a = c[i];
            F *dst = r.data() + i;
            for (size_t j = 0; j < o.c.size(); j++)
                dst[j] = dst[j] + a * o.c[j];
        }
        return Poly(std::move(r));
    }
    Poly scale(F a) const
    {
        std::vector<F> r(c);
        for (F &v : r)
            v = v * a;
        return Poly(std::move(r));
    }
    bool operator==(const Poly &o) const { return c == o.c; }
    bool operator!=(const Poly &o) const { return !(c == o.c); }

    // *this = q * d + r with deg r < deg d (d nonzero)
    void divmod(const Poly &d, Poly &q, Poly &r) const
    {
        std::vector<F> rem(c);
        int dd = d.deg();
        if (deg() < dd) {
            q = Poly();
            r = *this;
            return;
        }
        std::vector<F> quo((size_t)(deg() - dd + 1));
        F li = d.lead().inv();
        for (int i = deg(); i >= dd; i--) {
            F f = rem[(size_t)i] * li;
            quo[(size_t)(i - dd)] = f;
            if (f.is_zero())
                continue;
            F *base = rem.data() + (i - dd);
            for (int j = 0; j <= dd; j++)
                base[j] = base[j] - f * d.c[(size_t)j];
        }
        rem.resize((size_t)dd);
        q = Poly(std::move(quo));
        r = Poly(std::move(rem));
    }
    Poly operator%(const Poly &d) const
    {
        Poly q, r;
        divmod(d, q, r);
        return r;
    }
    Poly operator/(const Poly &d) const
    {
        Poly q, r;
        divmod(d, q, r);
        return q;
    }
    Poly monic() const { return is_zero() ? *this : scale(lead().inv()); }
    Poly derivative() const
    {
        std::vector<F> r(c.size() > 1 ? c.size() - 1 : 0);
        for (size_t i = 1; i < c.size(); i++)
            r[i - 1] = c[i] * F((uint64_t)i);
        return Poly(std::move(r));
    }
    F eval(F x) const
    {
        F r = F::zero();
        for (size_t i = c.size(); i-- > 0;)
            r = r * x + c[i];
        return r;
    }
    static Poly random(bench_rng &g, int degree, bool monic_)
    {
        std::vector<F> v((size_t)degree + 1);
        for (F &a : v)
            a = F::random(g);
        if (monic_)
            v.back() = F::one();
        else
            while (v.back().is_zero())
                v.back() = F::random(g);
        return Poly(std::move(v));
    }
};

template <class F> Poly<F> gcd(Poly<F> a, Poly<F> b)
{
    while (!b.is_zero()) {
        Poly<F> r = a % b;
        a = std::move(b);
        b = std::move(r);
    }
    return a.monic();
}

// g = s*a + t*b, g monic
template <class F> void xgcd(const Poly<F> &a, const Poly<F> &b, Poly<F> &g, Poly<F> &s, Poly<F> &t)
{
    Poly<F> r0 = a, r1 = b, s0 = Poly<F>::constant(F::one()), s1, t0, t1 = Poly<F>::constant(F::one());
    while (!r1.is_zero()) {
        Poly<F> q, r;
        r0.divmod(r1, q, r);
        Poly<F> s2 = s0 - q * s1, t2 = t0 - q * t1;
        r0 = std::move(r1);
        r1 = std::move(r);
        s0 = std::move(s1);
        s1 = std::move(s2);
        t0 = std::move(t1);
        t1 = std::move(t2);
    }
    F li = r0.is_zero() ? F::one() : r0.lead().inv();
    g = r0.scale(li);
    s = s0.scale(li);
    t = t0.scale(li);
}

template <class F> Poly<F> powmod(Poly<F> base, uint64_t e, const Poly<F> &m)
{
    Poly<F> r = Poly<F>::constant(F::one()) % m;
    base = base % m;
    for (; e; e >>= 1) {
        if (e & 1)
            r = (r * base) % m;
        base = (base * base) % m;
    }
    return r;
}

template <class F> uint64_t hash_poly(uint64_t h, const Poly<F> &p)
{
    h = mix64(h, (uint64_t)(p.deg() + 1));
    for (const F &a : p.c)
        h = mix64(h, a.value());
    return h;
}

} // namespace
