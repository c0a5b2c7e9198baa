// groebner.cpp -- Groebner bases of polynomial systems over prime fields, in C++ templates.
//
// Polynomials Poly<Field, Order, NV> (groebner/poly.h) over Zp<32003> and Zp<65521>, with
// monomials packed into 64-bit words and the monomial order as a policy class (lex, graded
// reverse lex); Buchberger's algorithm with a std::set of pairs ordered by lcm and the product
// and chain criteria, or first-in first-out without criteria, followed by reduction to the
// unique reduced basis (groebner/buchberger.h); lex bases by FGLM from the grevlex basis
// (groebner/fglm.h). Systems: random dense and sparse equations in
// three and four variables of degrees two and three, and Katsura-3.
//
// Checks: both strategies give the identical reduced basis; every generator and random
// combinations of generators reduce to zero, while normal forms are idempotent and linear;
// every S-polynomial of the basis reduces to zero (Buchberger's criterion); the reduced basis
// is monic and no term is divisible by another element's leading monomial; in three unknowns
// FGLM gives the same lex basis as Buchberger's algorithm run in lex order; the lex and
// grevlex bases have the same number of standard monomials, at most the Bezout bound; the lex
// basis contains a polynomial in the last variable alone, and in shape position its roots in
// the field (gcd with x^p - x by repeated squaring, then the linear factors) give solutions of
// the original system.
#include "../programs/bench.h"

#include <algorithm>
#include <deque>
#include <set>
#include <vector>

#include "groebner/poly.h"
#include "groebner/buchberger.h"
#include "groebner/fglm.h"

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

template <class F, class Ord, int NV>
static Poly<F, Ord, NV> random_poly(bench_rng *r, int maxdeg, int terms)
{
    std::vector<typename Poly<F, Ord, NV>::Term> ts;
    for (int k = 0; k < terms; k++) {
        int e[7] = { 0, 0, 0, 0, 0, 0, 0 };
        int d = k == 0 ? maxdeg : (int)rng_below(r, (uint32_t)maxdeg + 1);
        for (int i = 0; i < d; i++)
            e[rng_below(r, NV)]++;
        ts.push_back({ Mono<NV>::make(e), F(1 + rng_below(r, 30000)) });
    }
    return Poly<F, Ord, NV>::from_terms(std::move(ts));
}

// every monomial of degree <= d with a random coefficient
template <class F, class Ord, int NV>
static Poly<F, Ord, NV> dense_poly(bench_rng *r, int d)
{
    std::vector<typename Poly<F, Ord, NV>::Term> ts;
    int e[7] = { 0, 0, 0, 0, 0, 0, 0 };
    for (;;) {
        int deg = 0;
        for (int i = 0; i < NV; i++)
            deg += e[i];
        if (deg <= d)
            ts.push_back({ Mono<NV>::make(e), F(1 + rng_below(r, 30000)) });
        int v = 0;
        while (v < NV && ++e[v] > d)
            e[v++] = 0;
        if (v == NV)
            break;
    }
    return Poly<F, Ord, NV>::from_terms(std::move(ts));
}

// Katsura-n in n + 1 unknowns u0..un
template <class F, class Ord, int NV>
static std::vector<Poly<F, Ord, NV>> katsura()
{
    const int n = NV - 1;
    using P = Poly<F, Ord, NV>;
    std::vector<P> sys;
    std::vector<typename P::Term> lin;
    for (int i = 0; i <= n; i++) {
        int e[7] = { 0, 0, 0, 0, 0, 0, 0 };
        e[i] = 1;
        lin.push_back({ Mono<NV>::make(e), F(i == 0 ? 1 : 2) });
    }
    lin.push_back({ 0, F::from_int(-1) });
    sys.push_back(P::from_terms(lin));
    for (int m = 0; m < n; m++) {
        std::vector<typename P::Term> ts;
        for (int l = -n; l <= n; l++) {
            int a = l < 0 ? -l : l, b = m - l < 0 ? l - m : m - l;
            if (a > n || b > n)
                continue;
            int e[7] = { 0, 0, 0, 0, 0, 0, 0 };
            e[a]++, e[b]++;
            ts.push_back({ Mono<NV>::make(e), F(1) });
        }
        int e[7] = { 0, 0, 0, 0, 0, 0, 0 };
        e[m] = 1;
        ts.push_back({ Mono<NV>::make(e), F::from_int(-1) });
        sys.push_back(P::from_terms(ts));
    }
    return sys;
}

// ---- univariate polynomials as coefficient vectors (index = degree) ----

template <class F>
static void trim(std::vector<F> &a)
{
    while (!a.empty() && a.back().zero())
        a.pop_back();
}

template <class F>
static std::vector<F> poly_mod(std::vector<F> a, const std::vector<F> &m)
{
    trim(a);
    F inv = m.back().inverse();
    while (a.size() >= m.size()) {
        F c = a.back() * inv;
        size_t shift = a.size() - m.size();
        for (size_t i = 0; i < m.size(); i++)
            a[shift + i] = a[shift + i] - c * m[i];
        trim(a);
    }
    return a;
}

template <class F>
static std::vector<F> poly_mulmod(const std::vector<F> &a, const std::vector<F> &b, const std::vector<F> &m)
{
    if (a.empty() || b.empty())
        return {};
    std::vector<F> r(a.size() + b.size() - 1);
    for (size_t i = 0; i < a.size(); i++)
        for (size_t j = 0; j < b.size(); j++)
            r[i + j] = r[i + j] + a[i] * b[j];
    return poly_mod(r, m);
}

template <class F>
static std::vector<F> poly_gcd(std::vector<F> a, std::vector<F> b)
{
    trim(a), trim(b);
    while (!b.empty()) {
        std::vector<F> r = poly_mod(a, b);
        a.swap(b);
        b.swap(r);
    }
    return a;
}

template <class F>
static F horner(const std::vector<F> &a, F x)
{
    F s;
    for (size_t i = a.size(); i-- > 0;)
        s = s * x + a[i];
    return s;
}

// roots in the field: gcd(h, x^p - x) is the product of the distinct linear factors
template <class F>
static std::vector<F> field_roots(const std::vector<F> &h, uint32_t p, bool *consistent)
{
    std::vector<F> x{ F(), F(1) }, acc{ F(1) }, base = poly_mod(x, h);
    for (uint32_t e = p; e; e >>= 1) {
        if (e & 1)
            acc = poly_mulmod(acc, base, h);
        base = poly_mulmod(base, base, h);
    }
    // acc = x^p mod h; subtract x
    acc.resize(std::max<size_t>(acc.size(), 2));
    acc[1] = acc[1] - F(1);
    trim(acc);
    std::vector<F> g = poly_gcd(h, acc), roots;
    if (g.size() == 2) {
        roots.push_back(F() - g[0] * g[1].inverse());
    } else if (g.size() > 2) {
        for (uint32_t z = 0; z < p; z++)
            if (horner(g, F(z)).zero())
                roots.push_back(F(z));
    }
    *consistent = roots.size() + 1 == std::max<size_t>(g.size(), 1);
    for (F r : roots)
        *consistent &= horner(h, r).zero();
    return roots;
}

template <class P>
static uint64_t hash_basis(uint64_t h, const std::vector<P> &g)
{
    for (const P &p : g)
        for (const auto &t : p.terms())
            h = mix64(h, t.m ^ (uint64_t)t.c.v << 40);
    return h;
}

template <class F, int NV>
static uint64_t solve_system(const std::vector<Poly<F, GrevLex, NV>> &gens, long bezout, bench_rng *r,
                             int round, long *shape)
{
    using G = Groebner<F, GrevLex, NV>;
    using L = Groebner<F, Lex, NV>;
    using PG = Poly<F, GrevLex, NV>;
    using PL = Poly<F, Lex, NV>;
    const long limit = 200000;
    uint64_t h = 0;
    long steps = 0;

    typename G::Stats s1, s2;
    std::vector<PG> g1 = G::reduce(G::basis(gens, Strategy::Normal, s1, limit), &steps);
    std::vector<PG> g2 = G::reduce(G::basis(gens, Strategy::Plain, s2, limit), &steps);
    if (s1.overflow || s2.overflow || runaway) {
        fail("exponent overflow or pair limit", round);
        return h;
    }
    bool same = g1.size() == g2.size();
    for (size_t i = 0; same && i < g1.size(); i++)
        same = g1[i] == g2[i];
    if (!same)
        fail("normal and plain strategies differ", round);

    // membership, normal forms
    for (const PG &f : gens)
        if (!G::normal_form(f, g1, &steps).zero())
            fail("generator not reduced to zero", round);
    PG comb, q1 = random_poly<F, GrevLex, NV>(r, 2, 4), q2 = random_poly<F, GrevLex, NV>(r, 3, 4);
    for (size_t i = 0; i < gens.size(); i++) {
        PG q = random_poly<F, GrevLex, NV>(r, 2, 3);
        for (const auto &t : q.terms())
            comb = comb + gens[i].times(t.c, t.m);
    }
    if (!G::normal_form(comb, g1, &steps).zero())
        fail("combination of generators not reduced to zero", round);
    PG n1 = G::normal_form(q1, g1, &steps), n2 = G::normal_form(q2, g1, &steps);
    if (!(G::normal_form(n1, g1, &steps) == n1) || !(G::normal_form(q1 + q2, g1, &steps) == n1 + n2))
        fail("normal form not idempotent or not linear", round);
    h = hash_basis(h, std::vector<PG>{ n1 });

    // Buchberger's criterion and reducedness
    for (size_t i = 0; i < g1.size(); i++) {
        if (g1[i].lead().c != F(1))
            fail("basis element not monic", round);
        for (size_t j = 0; j < g1.size(); j++) {
            if (i == j)
                continue;
            for (const auto &t : g1[i].terms())
                if (Mono<NV>::divides(g1[j].lead().m, t.m))
                    fail("basis not interreduced", round);
            if (j > i && !G::normal_form(G::spoly(g1[i], g1[j]), g1, &steps).zero())
                fail("S-polynomial not reduced to zero", round);
        }
    }

    // the lex basis of the same ideal: by FGLM, and for three unknowns also by Buchberger
    std::vector<PL> lgens, lb;
    for (const PG &f : gens)
        lgens.push_back(f.template reorder<Lex>());
    if (!fglm<F, NV>(g1, lb, &steps) || lb.empty()) {
        fail("FGLM", round);
        return h;
    }
    if (NV == 3) {
        typename L::Stats s3;
        std::vector<PL> lb2 = L::reduce(L::basis(lgens, Strategy::Normal, s3, limit), &steps);
        if (s3.overflow)
            fail("exponent overflow or pair limit (lex)", round);
        bool same_lex = lb2.size() == lb.size();
        for (size_t i = 0; same_lex && i < lb.size(); i++)
            same_lex = lb[i] == lb2[i];
        if (!same_lex)
            fail("FGLM against lex Buchberger", round);
    }
    long cg = G::standard_monomials(g1), cl = L::standard_monomials(lb);
    if (cg != cl || cg < 0 || cg > bezout)
        fail("standard monomial counts", round);
    for (const PL &f : lgens)
        if (!L::normal_form(f, lb, &steps).zero())
            fail("generator not reduced to zero by the lex basis", round);
    const PL &last = lb.back();
    for (const auto &t : last.terms())
        for (int v = 0; v + 1 < NV; v++)
            if (Mono<NV>::exp(t.m, v))
                fail("no eliminant in the last variable", round);
    // shape position: x_i - g_i(x_last) for i < NV - 1, then the eliminant
    bool shape_pos = (int)lb.size() == NV;
    for (int v = 0; shape_pos && v + 1 < NV; v++) {
        int e[7] = { 0, 0, 0, 0, 0, 0, 0 };
        e[v] = 1;
        shape_pos = lb[v].lead().m == Mono<NV>::make(e);
    }
    if (shape_pos) {
        ++*shape;
        std::vector<F> eliminant;
        for (const auto &t : last.terms()) {
            size_t d = (size_t)Mono<NV>::exp(t.m, NV - 1);
            if (eliminant.size() <= d)
                eliminant.resize(d + 1);
            eliminant[d] = t.c;
        }
        bool consistent;
        std::vector<F> roots = field_roots(eliminant, (F() - F(1)).v + 1, &consistent);
        if (!consistent)
            fail("roots of the eliminant", round);
        F x[7];
        for (F z : roots) {
            x[NV - 1] = z;
            for (int v = 0; v + 1 < NV; v++) {
                x[v] = F();
                x[v] = F() - lb[v].eval(x); // lb[v] = x_v + (terms in x_last)
            }
            for (const PG &f : gens)
                if (!f.eval(x).zero())
                    fail("root does not solve the system", round);
        }
        h = mix64(h, (uint64_t)roots.size());
    }
    h = hash_basis(h, g1);
    h = hash_basis(h, lb);
    h = mix64(h, (uint64_t)cg << 40 ^ (uint64_t)s1.reductions << 20 ^ (uint64_t)s2.zero);
    h = mix64(h, (uint64_t)steps);
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 200);
    int rounds = scale;
    bench_rng rng = { 0x082EFA98EC4E6C89ULL };
    using F1 = Zp<32003>;
    using F2 = Zp<65521>;
    uint64_t h = 0;
    long shape = 0;

    double t0 = bench_now();
    for (int round = 0; round < rounds && !runaway; round++) { /* a runaway ends the run */
        switch (round % 4) {
        case 0: { // three dense quadrics
            std::vector<Poly<F1, GrevLex, 3>> sys;
            for (int i = 0; i < 3; i++)
                sys.push_back(dense_poly<F1, GrevLex, 3>(&rng, 2));
            h = mix64(h, solve_system<F1, 3>(sys, 8, &rng, round, &shape));
            break;
        }
        case 1: { // sparse, degrees 2, 2, 3
            std::vector<Poly<F1, GrevLex, 3>> sys;
            sys.push_back(random_poly<F1, GrevLex, 3>(&rng, 2, 8));
            sys.push_back(random_poly<F1, GrevLex, 3>(&rng, 2, 8));
            sys.push_back(random_poly<F1, GrevLex, 3>(&rng, 3, 10));
            h = mix64(h, solve_system<F1, 3>(sys, 12, &rng, round, &shape));
            break;
        }
        case 2: { // four dense quadrics
            std::vector<Poly<F2, GrevLex, 4>> sys;
            for (int i = 0; i < 4; i++)
                sys.push_back(dense_poly<F2, GrevLex, 4>(&rng, 2));
            h = mix64(h, solve_system<F2, 4>(sys, 16, &rng, round, &shape));
            break;
        }
        default: // Katsura-3 (eight solutions) and four sparse quadrics
            h = mix64(h, solve_system<F2, 4>(katsura<F2, GrevLex, 4>(), 8, &rng, round, &shape));
            std::vector<Poly<F2, GrevLex, 4>> sys;
            for (int i = 0; i < 4; i++)
                sys.push_back(random_poly<F2, GrevLex, 4>(&rng, 2, 6));
            h = mix64(h, solve_system<F2, 4>(sys, 16, &rng, round, &shape));
            break;
        }
    }
    h = mix64(h, (uint64_t)shape);
    if (runaway)
        fail("runaway reduction", rounds);
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
