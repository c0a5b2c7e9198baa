// groebner/fglm.h -- change of order for zero-dimensional ideals (Faugere-Gianni-Lazard-Mora):
// from a reduced grevlex basis, normal forms of monomials taken in increasing lex order are
// written as vectors over the grevlex standard monomials; a vector that depends linearly on the
// earlier ones (incremental elimination that also tracks the combinations) gives a lex basis
// element, an independent one a new lex standard monomial whose multiples by each variable
// become candidates.

template <class F, int NV>
static bool fglm(const std::vector<Poly<F, GrevLex, NV>> &g, std::vector<Poly<F, Lex, NV>> &out, long *steps)
{
    using G = Groebner<F, GrevLex, NV>;
    using PL = Poly<F, Lex, NV>;
    using M = Mono<NV>;
    out.clear();
    // the grevlex standard monomials index the vector space
    std::vector<uint64_t> basis;
    {
        int cap[7];
        for (int v = 0; v < NV; v++) {
            cap[v] = -1;
            for (const auto &p : g) {
                uint64_t m = p.lead().m;
                if (M::exp(m, v) > 0 && M::deg(m) == M::exp(m, v) && (cap[v] < 0 || M::exp(m, v) < cap[v]))
                    cap[v] = M::exp(m, v);
            }
            if (cap[v] < 0)
                return false; // not zero-dimensional
        }
        int e[7] = { 0, 0, 0, 0, 0, 0, 0 };
        for (;;) {
            uint64_t m = M::make(e);
            bool standard = true;
            for (const auto &p : g)
                standard &= !M::divides(p.lead().m, m);
            if (standard)
                basis.push_back(m);
            int v = 0;
            while (v < NV && ++e[v] >= cap[v])
                e[v++] = 0;
            if (v == NV)
                break;
        }
    }
    const size_t D = basis.size();
    auto index_of = [&](uint64_t m) {
        for (size_t i = 0; i < D; i++)
            if (basis[i] == m)
                return i;
        return D;
    };
    auto lex_less = [](uint64_t a, uint64_t b) { return Lex::greater<NV>(b, a); };
    std::set<uint64_t, decltype(lex_less)> candidates(lex_less);
    candidates.insert(0);
    std::vector<uint64_t> stair;              // lex standard monomials, in the order found
    std::vector<std::vector<F>> rows, trans;  // echelon rows over the basis, and their combinations
    std::vector<size_t> pivot;
    while (!candidates.empty()) {
        uint64_t m = *candidates.begin();
        candidates.erase(candidates.begin());
        bool multiple = false;
        for (const PL &p : out)
            multiple |= M::divides(p.lead().m, m);
        if (multiple)
            continue;
        std::vector<F> v(D), t(stair.size() + 1);
        typename Poly<F, GrevLex, NV>::Term one{ m, F(1) };
        auto nf = G::normal_form(Poly<F, GrevLex, NV>::from_terms({ one }), g, steps);
        for (const auto &term : nf.terms()) {
            size_t i = index_of(term.m);
            if (i == D)
                return false; // a normal form outside the standard monomials
            v[i] = term.c;
        }
        t[stair.size()] = F(1);
        for (size_t r = 0; r < rows.size(); r++) {
            F c = v[pivot[r]];
            if (c.zero())
                continue;
            for (size_t i = 0; i < D; i++)
                v[i] = v[i] - c * rows[r][i];
            for (size_t i = 0; i < trans[r].size(); i++)
                t[i] = t[i] - c * trans[r][i];
        }
        size_t p = 0;
        while (p < D && v[p].zero())
            p++;
        if (p == D) {
            // t combines m with earlier standard monomials into an element of the ideal
            std::vector<typename PL::Term> ts;
            for (size_t i = 0; i < t.size(); i++)
                if (!t[i].zero())
                    ts.push_back({ i == stair.size() ? m : stair[i], t[i] });
            out.push_back(PL::from_terms(std::move(ts)).monic());
            continue;
        }
        F inv = v[p].inverse();
        for (auto &x : v)
            x = x * inv;
        for (auto &x : t)
            x = x * inv;
        rows.push_back(std::move(v));
        trans.push_back(std::move(t));
        pivot.push_back(p);
        stair.push_back(m);
        for (int var = 0; var < NV; var++) {
            int e[7] = { 0, 0, 0, 0, 0, 0, 0 };
            e[var] = 1;
            candidates.insert(M::mul(m, M::make(e)));
        }
        if (stair.size() > D)
            return false;
    }
    std::sort(out.begin(), out.end(), [](const PL &a, const PL &b) { return PL::gt(a.lead().m, b.lead().m); });
    return stair.size() == D;
}
