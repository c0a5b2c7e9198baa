// poly_gcd.cpp — polynomial arithmetic, GCDs and factorisation over finite fields.
//
// A class template `Poly<F>` over a field type F (dense std::vector of coefficients, low degree
// first) provides addition, schoolbook multiplication, long division with remainder, monic
// normalisation, Euclid's GCD, the extended GCD, modular exponentiation, derivatives and
// Horner evaluation. Fields are class templates too: prime fields `Zp<P>` with 64-bit products
// and inverses by Fermat exponentiation, and binary fields `GF2m<M, Poly>` with carry-less
// multiplication reduced by the defining polynomial and inverses by exponentiation. Over
// Z/65521 random monic polynomials built from known factors are factored completely:
// square-free decomposition (Yun), distinct-degree factorisation by repeated Frobenius powers
// x^(q^i) mod f, and Cantor-Zassenhaus equal-degree splitting with a^((q^d-1)/2) computed
// through Frobenius products; the factors must multiply back to the input, be monic, have the
// degree of their class and be irreducible by the same distinct-degree test. Over Z/65521,
// Z/7 and GF(2^8): planted common factors must divide the GCD, Bezout identities s*a + t*b = g
// must hold, and a = b*q + r with deg r < deg b, checked also by evaluation at random points.
#include "../programs/bench.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace {

int failures = 0;

template <uint32_t P> class Zp {
public:
    static constexpr uint64_t order = P;
    Zp() : v_(0) {}
    explicit Zp(uint64_t x) : v_((uint32_t)(x % P)) {}
    static Zp zero() { return Zp(); }
    static Zp one() { return Zp(1); }
    uint32_t value() const { return v_; }
    bool is_zero() const { return v_ == 0; }
    Zp operator+(Zp o) const { return raw(v_ + o.v_ >= P ? v_ + o.v_ - P : v_ + o.v_); }
    Zp operator-(Zp o) const { return raw(v_ >= o.v_ ? v_ - o.v_ : v_ + P - o.v_); }
    Zp operator*(Zp o) const { return raw((uint32_t)((uint64_t)v_ * o.v_ % P)); }
    bool operator==(Zp o) const { return v_ == o.v_; }
    bool operator!=(Zp o) const { return v_ != o.v_; }
    Zp inv() const { return pow(P - 2); }
    Zp pow(uint64_t e) const
    {
        Zp r = one(), b = *this;
        for (; e; e >>= 1, b = b * b)
            if (e & 1)
                r = r * b;
        return r;
    }
    static Zp random(bench_rng &g) { return Zp(rng_below(&g, P)); }

private:
    static Zp raw(uint32_t x)
    {
        Zp z;
        z.v_ = x;
        return z;
    }
    uint32_t v_;
};

// GF(2^M) with the defining polynomial POLY (bit M set)
template <int M, uint32_t POLY> class GF2m {
public:
    static constexpr uint64_t order = 1ull << M;
    GF2m() : v_(0) {}
    explicit GF2m(uint64_t x) : v_((uint32_t)(x & (order - 1))) {}
    static GF2m zero() { return GF2m(); }
    static GF2m one() { return GF2m(1); }
    uint32_t value() const { return v_; }
    bool is_zero() const { return v_ == 0; }
    GF2m operator+(GF2m o) const { return GF2m(v_ ^ o.v_); }
    GF2m operator-(GF2m o) const { return GF2m(v_ ^ o.v_); }
    GF2m operator*(GF2m o) const
    {
        uint32_t a = v_, b = o.v_, r = 0;
        while (b) {
            if (b & 1)
                r ^= a;
            b >>= 1;
            a <<= 1;
            if (a >> M & 1)
                a ^= POLY;
        }
        return GF2m(r);
    }
    bool operator==(GF2m o) const { return v_ == o.v_; }
    bool operator!=(GF2m o) const { return v_ != o.v_; }
    GF2m inv() const { return pow(order - 2); }
    GF2m pow(uint64_t e) const
    {
        GF2m r = one(), b = *this;
        for (; e; e >>= 1, b = b * b)
            if (e & 1)
                r = r * b;
        return r;
    }
    static GF2m random(bench_rng &g) { return GF2m(rng_next(&g)); }

private:
    uint32_t v_;
};

} // namespace

#include "poly_gcd/poly.h"
#include "poly_gcd/factor.h"
