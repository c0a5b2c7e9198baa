// groebner/buchberger.h -- normal forms and Buchberger's algorithm. The "normal" strategy
// takes pairs in order of their lcm (a std::set) and skips them by the product criterion and
// the chain criterion; the plain strategy takes every pair first-in first-out. Either basis
// is then made reduced (minimal, monic, interreduced, sorted), which is unique for the ideal
// and the order.

enum class Strategy { Normal, Plain };

// set when a reduction runs far beyond any normal length (a guard for broken variants)
static bool runaway;

template <class F, class Ord, int NV>
class Groebner {
public:
    using P = Poly<F, Ord, NV>;
    using M = Mono<NV>;

    // full normal form: no term of the result is divisible by a leading monomial of g
    static P normal_form(P f, const std::vector<P> &g, long *steps)
    {
        std::vector<typename P::Term> rem;
        long guard = 0;
        while (!f.zero() && !runaway) {
            if (++guard > 200000 || f.size() > 20000)
                runaway = true;
            const auto &lt = f.lead();
            const P *div = nullptr;
            for (const P &q : g)
                if (!q.zero() && M::divides(q.lead().m, lt.m)) {
                    div = &q;
                    break;
                }
            if (div) {
                F c = lt.c * div->lead().c.inverse();
                f = f.sub_mul(c, M::div(lt.m, div->lead().m), *div);
                ++*steps;
            } else {
                rem.push_back(lt);
                f.pop_lead();
            }
        }
        return P::from_terms(std::move(rem));
    }

    static P spoly(const P &a, const P &b)
    {
        uint64_t l = M::lcm(a.lead().m, b.lead().m);
        P sa = a.times(b.lead().c, M::div(l, a.lead().m));
        return sa.sub_mul(a.lead().c, M::div(l, b.lead().m), b);
    }

    struct Stats {
        long pairs = 0, reductions = 0, zero = 0, skipped = 0, steps = 0;
        bool overflow = false; // an exponent reached 128 (or the pair limit was hit)
    };

    static std::vector<P> basis(const std::vector<P> &gens, Strategy s, Stats &st, long pair_limit)
    {
        std::vector<P> g;
        for (const P &p : gens)
            if (!p.zero())
                g.push_back(p.monic());
        // pending pairs, keyed for the normal strategy by (lcm order, i, j)
        struct Key {
            uint64_t lcm;
            int i, j;
        };
        auto cmp = [](const Key &a, const Key &b) {
            if (a.lcm != b.lcm)
                return P::gt(b.lcm, a.lcm); // smaller lcm first
            return a.i != b.i ? a.i < b.i : a.j < b.j;
        };
        std::set<Key, decltype(cmp)> ordered(cmp);
        std::deque<Key> fifo;
        std::vector<std::vector<char>> pending; // pending[i][j] for i < j
        auto add_pairs = [&](int j) {
            pending.resize((size_t)j + 1);
            for (auto &row : pending)
                row.resize((size_t)j + 1, 0);
            for (int i = 0; i < j; i++) {
                Key k{ M::lcm(g[i].lead().m, g[j].lead().m), i, j };
                pending[i][j] = 1;
                if (s == Strategy::Normal)
                    ordered.insert(k);
                else
                    fifo.push_back(k);
            }
        };
        for (int j = 0; j < (int)g.size(); j++)
            add_pairs(j);
        auto is_pending = [&](int a, int b) { return a < b ? pending[a][b] : pending[b][a]; };
        while (s == Strategy::Normal ? !ordered.empty() : !fifo.empty()) {
            Key k;
            if (s == Strategy::Normal) {
                k = *ordered.begin();
                ordered.erase(ordered.begin());
            } else {
                k = fifo.front();
                fifo.pop_front();
            }
            pending[k.i][k.j] = 0;
            if (++st.pairs > pair_limit) {
                st.overflow = true; /* a guard for broken variants */
                break;
            }
            if (s == Strategy::Normal) {
                if (M::coprime(g[k.i].lead().m, g[k.j].lead().m)) {
                    st.skipped++;
                    continue;
                }
                bool chain = false;
                for (int c = 0; c < (int)g.size() && !chain; c++)
                    if (c != k.i && c != k.j && M::divides(g[c].lead().m, k.lcm) && !is_pending(k.i, c) &&
                        !is_pending(k.j, c))
                        chain = true;
                if (chain) {
                    st.skipped++;
                    continue;
                }
            }
            P r = normal_form(spoly(g[k.i], g[k.j]), g, &st.steps);
            st.reductions++;
            if (r.zero()) {
                st.zero++;
                continue;
            }
            for (const auto &t : r.terms())
                if (t.m & M::HIGH)
                    st.overflow = true;
            if (st.overflow || runaway)
                break;
            g.push_back(r.monic());
            add_pairs((int)g.size() - 1);
        }
        return g;
    }

    static std::vector<P> reduce(std::vector<P> g, long *steps)
    {
        // minimal: drop elements whose leading monomial another element's divides
        std::vector<P> min;
        for (size_t i = 0; i < g.size(); i++) {
            bool redundant = false;
            for (size_t j = 0; j < g.size() && !redundant; j++) {
                if (i == j || !M::divides(g[j].lead().m, g[i].lead().m))
                    continue;
                // equal leading monomials: keep the first
                redundant = g[j].lead().m != g[i].lead().m || j < i;
            }
            if (!redundant)
                min.push_back(g[i].monic());
        }
        // interreduce every element by the others
        for (size_t i = 0; i < min.size(); i++) {
            std::vector<P> others;
            for (size_t j = 0; j < min.size(); j++)
                if (j != i)
                    others.push_back(min[j]);
            P lead = P::from_terms({ min[i].lead() });
            P tail = min[i].sub_mul(F(1), 0, lead);
            min[i] = lead + normal_form(tail, others, steps);
        }
        std::sort(min.begin(), min.end(), [](const P &a, const P &b) { return P::gt(a.lead().m, b.lead().m); });
        return min;
    }

    // number of monomials outside the leading-term ideal, -1 if infinitely many
    static long standard_monomials(const std::vector<P> &g)
    {
        int cap[7];
        for (int v = 0; v < NV; v++) {
            cap[v] = -1; // smallest pure power of variable v among the leading monomials
            for (const P &p : g) {
                uint64_t m = p.lead().m;
                int ev = M::exp(m, v);
                if (ev > 0 && M::deg(m) == ev && (cap[v] < 0 || ev < cap[v]))
                    cap[v] = ev;
            }
            if (cap[v] < 0)
                return -1;
        }
        long count = 0;
        int e[7] = { 0, 0, 0, 0, 0, 0, 0 };
        for (;;) { // odometer over the box below the pure powers
            uint64_t m = M::make(e);
            bool standard = true;
            for (const P &p : g)
                if (M::divides(p.lead().m, m)) {
                    standard = false;
                    break;
                }
            count += standard;
            int v = 0;
            while (v < NV && ++e[v] >= cap[v])
                e[v++] = 0;
            if (v == NV)
                break;
        }
        return count;
    }
};
