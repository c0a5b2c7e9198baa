// groebner/poly.h -- prime fields Zp<P>, monomials packed into 64-bit words (seven exponent
// bytes, the total degree in the top byte) with SWAR divisibility tests, monomial orders as
// policy classes (Lex, GrevLex), and sparse polynomials Poly<F, Order, NV> as vectors of terms
// sorted from the leading term down.

template <uint32_t P>
struct Zp {
    uint32_t v = 0;
    Zp() = default;
    explicit Zp(uint32_t x) : v(x % P) {}
    static Zp from_int(int64_t x)
    {
        int64_t r = x % (int64_t)P;
        return Zp((uint32_t)(r < 0 ? r + P : r));
    }
    friend Zp operator+(Zp a, Zp b) { Zp r; r.v = a.v + b.v >= P ? a.v + b.v - P : a.v + b.v; return r; }
    friend Zp operator-(Zp a, Zp b) { Zp r; r.v = a.v >= b.v ? a.v - b.v : a.v + P - b.v; return r; }
    friend Zp operator*(Zp a, Zp b) { Zp r; r.v = (uint32_t)((uint64_t)a.v * b.v % P); return r; }
    friend bool operator==(Zp a, Zp b) { return a.v == b.v; }
    friend bool operator!=(Zp a, Zp b) { return a.v != b.v; }
    bool zero() const { return v == 0; }
    Zp inverse() const
    {
        Zp r(1), b = *this;
        for (uint32_t e = P - 2; e; e >>= 1) {
            if (e & 1)
                r = r * b;
            b = b * b;
        }
        return r;
    }
};

// variable i lives in byte 6 - i, so that x0 is the most significant for lex
template <int NV>
struct Mono {
    static_assert(NV >= 1 && NV <= 7, "seven exponent bytes");
    static constexpr uint64_t HIGH = 0x0080808080808080ULL;
    static constexpr uint64_t EXPS = 0x00FFFFFFFFFFFFFFULL;

    static int exp(uint64_t m, int i) { return (int)(m >> (8 * (6 - i)) & 0xFF); }
    static int deg(uint64_t m) { return (int)(m >> 56); }
    static uint64_t make(const int *e)
    {
        uint64_t m = 0;
        int d = 0;
        for (int i = 0; i < NV; i++) {
            m |= (uint64_t)e[i] << (8 * (6 - i));
            d += e[i];
        }
        return m | (uint64_t)d << 56;
    }
    static uint64_t mul(uint64_t a, uint64_t b) { return a + b; } // exponents stay below 128
    // a divides b: every exponent byte of b - a stays non-negative
    static bool divides(uint64_t a, uint64_t b)
    {
        return ((((b & EXPS) | HIGH) - (a & EXPS)) & HIGH) == HIGH;
    }
    static uint64_t div(uint64_t b, uint64_t a) { return b - a; }
    static uint64_t lcm(uint64_t a, uint64_t b)
    {
        int e[7];
        for (int i = 0; i < NV; i++)
            e[i] = std::max(exp(a, i), exp(b, i));
        return make(e);
    }
    static bool coprime(uint64_t a, uint64_t b)
    {
        for (int i = 0; i < NV; i++)
            if (exp(a, i) && exp(b, i))
                return false;
        return true;
    }
};

struct Lex {
    static constexpr const char *name = "lex";
    template <int NV>
    static bool greater(uint64_t a, uint64_t b)
    {
        return (a & Mono<NV>::EXPS) > (b & Mono<NV>::EXPS);
    }
};

struct GrevLex {
    static constexpr const char *name = "grevlex";
    template <int NV>
    static bool greater(uint64_t a, uint64_t b)
    {
        if ((a >> 56) != (b >> 56))
            return (a >> 56) > (b >> 56);
        for (int i = NV - 1; i >= 0; i--) {
            int ea = Mono<NV>::exp(a, i), eb = Mono<NV>::exp(b, i);
            if (ea != eb)
                return ea < eb;
        }
        return false;
    }
};

template <class F, class Ord, int NV>
class Poly {
public:
    struct Term {
        uint64_t m;
        F c;
    };
    using M = Mono<NV>;

    Poly() = default;
    bool zero() const { return t_.empty(); }
    size_t size() const { return t_.size(); }
    const Term &lead() const { return t_.front(); }
    const std::vector<Term> &terms() const { return t_; }
    static bool gt(uint64_t a, uint64_t b) { return Ord::template greater<NV>(a, b); }

    // from unsorted terms: sort, combine, drop zeros
    static Poly from_terms(std::vector<Term> ts)
    {
        std::sort(ts.begin(), ts.end(), [](const Term &a, const Term &b) { return gt(a.m, b.m); });
        Poly p;
        for (const Term &x : ts) {
            if (!p.t_.empty() && p.t_.back().m == x.m)
                p.t_.back().c = p.t_.back().c + x.c;
            else
                p.t_.push_back(x);
            if (p.t_.back().c.zero())
                p.t_.pop_back();
        }
        return p;
    }

    // this - c * mono * q, by merging
    Poly sub_mul(F c, uint64_t mono, const Poly &q) const
    {
        Poly r;
        r.t_.reserve(t_.size() + q.t_.size());
        size_t i = 0, j = 0;
        while (i < t_.size() || j < q.t_.size()) {
            if (j == q.t_.size()) {
                r.t_.push_back(t_[i++]);
                continue;
            }
            uint64_t qm = M::mul(q.t_[j].m, mono);
            if (i == t_.size() || gt(qm, t_[i].m)) {
                r.t_.push_back(Term{ qm, F() - c * q.t_[j].c });
                j++;
            } else if (qm == t_[i].m) {
                F s = t_[i].c - c * q.t_[j].c;
                if (!s.zero())
                    r.t_.push_back(Term{ qm, s });
                i++, j++;
            } else {
                r.t_.push_back(t_[i++]);
            }
        }
        return r;
    }

    Poly operator+(const Poly &q) const { return sub_mul(F() - F(1), 0, q); }

    Poly times(F c, uint64_t mono) const
    {
        Poly r;
        if (c.zero())
            return r;
        for (const Term &x : t_)
            r.t_.push_back(Term{ M::mul(x.m, mono), x.c * c });
        return r; // multiplying by a monomial keeps the order
    }

    void pop_lead() { t_.erase(t_.begin()); }

    Poly monic() const { return zero() ? *this : times(lead().c.inverse(), 0); }

    bool operator==(const Poly &q) const
    {
        if (t_.size() != q.t_.size())
            return false;
        for (size_t i = 0; i < t_.size(); i++)
            if (t_[i].m != q.t_[i].m || t_[i].c != q.t_[i].c)
                return false;
        return true;
    }

    F eval(const F *x) const
    {
        F s;
        for (const Term &tm : t_) {
            F v = tm.c;
            for (int i = 0; i < NV; i++)
                for (int e = M::exp(tm.m, i); e > 0; e--)
                    v = v * x[i];
            s = s + v;
        }
        return s;
    }

    // the same polynomial under another monomial order
    template <class Ord2>
    Poly<F, Ord2, NV> reorder() const
    {
        std::vector<typename Poly<F, Ord2, NV>::Term> ts;
        for (const Term &x : t_)
            ts.push_back({ x.m, x.c });
        return Poly<F, Ord2, NV>::from_terms(std::move(ts));
    }

private:
    std::vector<Term> t_;
};
