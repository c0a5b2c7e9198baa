// logic_sim/builders.h -- circuit generators templated on the bus width: full adders, ripple-
// carry and Kogge-Stone adders, an array multiplier, a barrel shifter of multiplexers, a
// comparator by subtraction, a parity tree, and sequential blocks (LFSR, accumulator). Gate
// delays come from a small generator so that equal circuits still differ in timing.

template <int N>
using Bus = std::array<int, N>;

class Builder {
public:
    Builder(Circuit &c, uint64_t seed) : c_(c), rng_{ seed } {}

    int delay(int base) { return base + (int)rng_below(&rng_, 3); }

    int and2(int a, int b) { return c_.add<AndGate>({ a, b }, delay(2)); }
    int or2(int a, int b) { return c_.add<OrGate>({ a, b }, delay(2)); }
    int xor2(int a, int b) { return c_.add<XorGate>({ a, b }, delay(3)); }
    int nand2(int a, int b) { return c_.add<NandGate>({ a, b }, delay(1)); }
    int nor2(int a, int b) { return c_.add<NorGate>({ a, b }, delay(1)); }
    int xnor2(int a, int b) { return c_.add<XnorGate>({ a, b }, delay(3)); }
    int inv(int a) { return c_.add<NotGate>({ a }, delay(1)); }
    int mux(int s, int a, int b) { return c_.add<MuxGate>({ s, a, b }, delay(3)); }
    int maj(int a, int b, int c) { return c_.add<MajorityGate>({ a, b, c }, delay(3)); }

    template <int N>
    Bus<N> inputs(const std::string &name)
    {
        Bus<N> b;
        for (int i = 0; i < N; i++)
            b[i] = c_.net(name + "[" + std::to_string(i) + "]");
        return b;
    }

    template <size_t N>
    void name_bus(const std::string &name, const std::array<int, N> &b)
    {
        for (size_t i = 0; i < N; i++)
            c_.name(name + "[" + std::to_string(i) + "]", b[i]);
    }

    // full adder in one of two styles: xor/majority or nand-only
    std::pair<int, int> full_add(int a, int b, int cin, bool nand_style)
    {
        if (!nand_style) {
            int t = xor2(a, b);
            return { xor2(t, cin), maj(a, b, cin) };
        }
        int n1 = nand2(a, b), n2 = nand2(a, n1), n3 = nand2(b, n1), t = nand2(n2, n3);
        int n4 = nand2(t, cin), n5 = nand2(t, n4), n6 = nand2(cin, n4);
        return { nand2(n5, n6), nand2(n1, n4) };
    }

    template <int N>
    Bus<N> ripple_add(const Bus<N> &a, const Bus<N> &b, int cin, int *cout, bool nand_style)
    {
        Bus<N> s;
        int carry = cin;
        for (int i = 0; i < N; i++) {
            auto r = full_add(a[i], b[i], carry, nand_style);
            s[i] = r.first;
            carry = r.second;
        }
        *cout = carry;
        return s;
    }

    // parallel prefix over (generate, propagate) pairs
    template <int N>
    Bus<N> kogge_stone(const Bus<N> &a, const Bus<N> &b, int cin, int *cout)
    {
        Bus<N> g, p, x;
        for (int i = 0; i < N; i++) {
            g[i] = and2(a[i], b[i]);
            p[i] = xor2(a[i], b[i]);
            x[i] = p[i];
        }
        // carry-in folded into position 0
        g[0] = or2(g[0], and2(p[0], cin));
        for (int d = 1; d < N; d *= 2) {
            Bus<N> ng = g, np = p;
            for (int i = d; i < N; i++) {
                ng[i] = or2(g[i], and2(p[i], g[i - d]));
                np[i] = and2(p[i], p[i - d]);
            }
            g = ng, p = np;
        }
        Bus<N> s;
        s[0] = xor2(x[0], cin);
        for (int i = 1; i < N; i++)
            s[i] = xor2(x[i], g[i - 1]);
        *cout = g[N - 1];
        return s;
    }

    // rows of ripple adders over the partial products; the running sum is shifted down by one
    // bit per row with the previous row's carry on top
    template <int N>
    std::array<int, 2 * N> multiply(const Bus<N> &a, const Bus<N> &b, int zero)
    {
        std::array<int, 2 * N> out;
        Bus<N> acc;
        int hi = zero;
        for (int i = 0; i < N; i++)
            acc[i] = and2(a[i], b[0]);
        out[0] = acc[0];
        for (int j = 1; j < N; j++) {
            Bus<N> top, row;
            for (int i = 0; i + 1 < N; i++)
                top[i] = acc[i + 1];
            top[N - 1] = hi;
            for (int i = 0; i < N; i++)
                row[i] = and2(a[i], b[j]);
            acc = ripple_add<N>(top, row, zero, &hi, (j & 1) != 0);
            out[j] = acc[0];
        }
        for (int i = 1; i < N; i++)
            out[N - 1 + i] = acc[i];
        out[2 * N - 1] = hi;
        return out;
    }

    // logical left shift by the amount on `sh` (log2 N select lines)
    template <int N, int S>
    Bus<N> barrel_shift(const Bus<N> &a, const std::array<int, S> &sh, int zero)
    {
        Bus<N> cur = a;
        for (int k = 0; k < S; k++) {
            Bus<N> nx;
            int d = 1 << k;
            for (int i = 0; i < N; i++)
                nx[i] = mux(sh[k], cur[i], i >= d ? cur[i - d] : zero);
            cur = nx;
        }
        return cur;
    }

    // a < b (unsigned): no carry out of a + ~b + 1
    template <int N>
    int less_than(const Bus<N> &a, const Bus<N> &b, int one)
    {
        Bus<N> nb;
        for (int i = 0; i < N; i++)
            nb[i] = inv(b[i]);
        int cout;
        ripple_add<N>(a, nb, one, &cout, false);
        return inv(cout);
    }

    template <int N>
    int parity(const Bus<N> &a)
    {
        std::vector<int> level(a.begin(), a.end());
        while (level.size() > 1) {
            std::vector<int> next;
            for (size_t i = 0; i + 1 < level.size(); i += 2)
                next.push_back(i % 4 == 0 ? xor2(level[i], level[i + 1]) : inv(xnor2(level[i], level[i + 1])));
            if (level.size() & 1)
                next.push_back(level.back());
            level.swap(next);
        }
        return level[0];
    }

private:
    Circuit &c_;
    bench_rng rng_;
};
