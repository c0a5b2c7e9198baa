// logic_sim.cpp -- gate-level logic simulation in C++.
//
// Netlists of polymorphic gates (logic_sim/gates.h: an n-input gate template over AND/OR/XOR
// policies with optional inversion, NOT, multiplexer, majority, D flip-flop; values 0, 1 and
// X) are built by width-templated generators (logic_sim/builders.h): ripple-carry adders of
// xor/majority or nand-only full adders, a Kogge-Stone adder, an array multiplier, a barrel
// shifter, a comparator, parity trees, an LFSR, an accumulator and a counter with reset
// multiplexers. Two simulators (logic_sim/circuit.h): levelized zero-delay evaluation in
// Kahn's topological order, and event-driven simulation with per-gate transport delays, a
// priority queue of timed net changes and glitches.
//
// Checks: after every input vector and clock cycle both simulators agree on every net; sums,
// products, shifts, comparisons and parity equal integer arithmetic, and both adders agree;
// with unknown (X) inputs every known output is the same for all completions of the unknowns
// (enumerated); the LFSR, accumulator and counter follow a software model cycle by cycle; the
// topological order is valid and named nets are found again through the name table.
#include "../programs/bench.h"

#include <array>
#include <deque>
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "logic_sim/gates.h"
#include "logic_sim/circuit.h"
#include "logic_sim/builders.h"

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

template <size_t N>
static uint64_t read_bus(const std::vector<Val> &v, const std::array<int, N> &b, bool *known)
{
    uint64_t x = 0;
    for (size_t i = 0; i < N; i++) {
        if (v[b[i]] == VX)
            *known = false;
        x |= (uint64_t)(v[b[i]] & 1) << i;
    }
    return x;
}

// ---- the combinational test bench ----

struct Alu {
    Circuit c;
    Bus<32> a, b, rsum, ksum, shifted;
    std::array<int, 5> sh;
    std::array<int, 16> prod;
    int cin, zero, one, rcout, kcout, lt, par;

    explicit Alu(uint64_t seed)
    {
        Builder bd(c, seed);
        zero = c.net("zero");
        one = c.net("one");
        cin = c.net("cin");
        a = bd.inputs<32>("a");
        b = bd.inputs<32>("b");
        for (int i = 0; i < 5; i++)
            sh[i] = c.net("sh[" + std::to_string(i) + "]");
        rsum = bd.ripple_add<32>(a, b, cin, &rcout, true);
        ksum = bd.kogge_stone<32>(a, b, cin, &kcout);
        Bus<8> a8, b8;
        for (int i = 0; i < 8; i++)
            a8[i] = a[i], b8[i] = b[i];
        prod = bd.multiply<8>(a8, b8, zero);
        shifted = bd.barrel_shift<32, 5>(a, sh, zero);
        lt = bd.less_than<32>(a, b, one);
        par = bd.parity<32>(a);
        bd.name_bus("sum", rsum);
        bd.name_bus("prod", prod);
    }
};

template <class Sim>
static void apply_alu(Sim &s, const Alu &u, uint32_t a, uint32_t b, unsigned sh, int cin)
{
    s.set_or_drive(u.zero, V0);
    s.set_or_drive(u.one, V1);
    s.set_or_drive(u.cin, (Val)cin);
    for (int i = 0; i < 32; i++) {
        s.set_or_drive(u.a[i], (Val)(a >> i & 1));
        s.set_or_drive(u.b[i], (Val)(b >> i & 1));
    }
    for (int i = 0; i < 5; i++)
        s.set_or_drive(u.sh[i], (Val)(sh >> i & 1));
}

struct LevelDriver {
    Levelized &l;
    void set_or_drive(int n, Val v) { l.set(n, v); }
};

struct EventDriver {
    EventSim &e;
    void set_or_drive(int n, Val v) { e.drive(n, v); }
};

static uint64_t alu_round(const Alu &u, bench_rng *r, int vectors, int round)
{
    Levelized lv(u.c);
    EventSim ev(u.c);
    if (!lv.order_ok())
        fail("topological order", round);
    LevelDriver ld{ lv };
    EventDriver ed{ ev };
    ev.settle_all();
    uint64_t h = 0;
    for (int k = 0; k < vectors; k++) {
        uint32_t a = (uint32_t)rng_next(r), b = (uint32_t)rng_next(r);
        unsigned sh = rng_below(r, 32);
        int cin = (int)rng_below(r, 2);
        switch (k % 8) {
        case 1: b = ~a; cin = 1; break;          // carry through every position
        case 2: a &= 0xFFFF; b &= 0xFF; break;   // short operands
        case 4: a |= 0xFF; b |= 0xFF; break;     // largest product
        case 3: b = a; break;
        default: break;
        }
        apply_alu(ld, u, a, b, sh, cin);
        lv.settle();
        apply_alu(ed, u, a, b, sh, cin);
        long changes = ev.run();
        if (lv.values() != ev.values())
            fail("event-driven against levelized", round);
        const auto &v = lv.values();
        bool known = true;
        uint64_t rs = read_bus(v, u.rsum, &known) | (uint64_t)(v[u.rcout] & 1) << 32;
        uint64_t ks = read_bus(v, u.ksum, &known) | (uint64_t)(v[u.kcout] & 1) << 32;
        uint64_t pr = read_bus(v, u.prod, &known), shv = read_bus(v, u.shifted, &known);
        uint64_t want = (uint64_t)a + b + (uint64_t)cin;
        if (!known || rs != want || ks != want)
            fail("adders", round);
        if (pr != (uint64_t)(a & 0xFF) * (b & 0xFF))
            fail("multiplier", round);
        if (shv != (uint32_t)(a << sh))
            fail("barrel shifter", round);
        if (v[u.lt] != (Val)(a < b) || v[u.par] != (Val)(__builtin_popcount(a) & 1))
            fail("comparator or parity", round);
        h = mix64(h, rs ^ pr << 17 ^ shv << 3);
        h = mix64(h, (uint64_t)changes);
    }
    // names map back to the nets
    for (int i = 0; i < 32; i += 7)
        if (u.c.find("a[" + std::to_string(i) + "]") != u.a[i] ||
            u.c.find("sum[" + std::to_string(i) + "]") != u.rsum[i])
            fail("name table", round);
    return h;
}

// ---- unknown inputs: known outputs must hold for every completion ----

struct Small {
    Circuit c;
    std::vector<int> in;
    int zero;

    explicit Small(uint64_t seed)
    {
        Builder bd(c, seed);
        zero = c.net("zero");
        Bus<8> a = bd.inputs<8>("a"), b = bd.inputs<8>("b");
        std::array<int, 3> sh;
        for (int i = 0; i < 3; i++)
            sh[i] = c.net();
        int cin = c.net(), cout;
        in.insert(in.end(), a.begin(), a.end());
        in.insert(in.end(), b.begin(), b.end());
        in.insert(in.end(), sh.begin(), sh.end());
        in.push_back(cin);
        bd.ripple_add<8>(a, b, cin, &cout, false);
        Bus<4> a4{ a[0], a[1], a[2], a[3] }, b4{ b[0], b[1], b[2], b[3] };
        bd.multiply<4>(a4, b4, zero);
        bd.barrel_shift<8, 3>(a, sh, zero);
        bd.parity<8>(b);
        bd.kogge_stone<8>(a, b, cin, &cout);
    }
};

static uint64_t x_round(const Small &s, bench_rng *r, int trials, int round)
{
    uint64_t h = 0;
    Levelized xs(s.c), cs(s.c);
    int n = (int)s.in.size();
    for (int t = 0; t < trials; t++) {
        uint32_t bits = (uint32_t)rng_next(r);
        int xpos[3], nx = 1 + (int)rng_below(r, 3);
        for (int k = 0; k < nx; k++)
            xpos[k] = (int)rng_below(r, (uint32_t)n);
        xs.set(s.zero, V0);
        for (int i = 0; i < n; i++)
            xs.set(s.in[i], (Val)(bits >> i & 1));
        for (int k = 0; k < nx; k++)
            xs.set(s.in[xpos[k]], VX);
        xs.settle();
        const auto &xv = xs.values();
        long known = 0;
        for (Val v : xv)
            known += v != VX;
        for (uint32_t m = 0; m < (1u << nx); m++) {
            cs.set(s.zero, V0);
            for (int i = 0; i < n; i++)
                cs.set(s.in[i], (Val)(bits >> i & 1));
            for (int k = 0; k < nx; k++)
                cs.set(s.in[xpos[k]], (Val)(m >> k & 1));
            cs.settle();
            const auto &cv = cs.values();
            for (size_t i = 0; i < cv.size(); i++)
                if (cv[i] == VX || (xv[i] != VX && xv[i] != cv[i])) {
                    fail("unknown-input soundness", round);
                    break;
                }
        }
        h = mix64(h, (uint64_t)known);
    }
    return h;
}

// ---- sequential blocks ----

struct Seq {
    Circuit c;
    Bus<16> lfsr, acc, cnt, in;
    int reset, zero, one;
    static constexpr uint32_t seed = 0xACE1;

    explicit Seq(uint64_t s)
    {
        Builder bd(c, s);
        zero = c.net("zero");
        one = c.net("one");
        reset = c.net("reset");
        in = bd.inputs<16>("in");
        Bus<16> zeros;
        for (int i = 0; i < 16; i++) {
            lfsr[i] = c.add_dff(bd.delay(1));
            acc[i] = c.add_dff(bd.delay(1));
            cnt[i] = c.add_dff(bd.delay(1));
            zeros[i] = zero;
        }
        int fb1 = bd.xor2(lfsr[15], lfsr[13]);
        int fb2 = bd.xor2(lfsr[12], lfsr[10]);
        int fb = bd.xor2(fb1, fb2);
        int carry;
        Bus<16> sum = bd.ripple_add<16>(acc, in, zero, &carry, true);
        Bus<16> inc = bd.kogge_stone<16>(cnt, zeros, one, &carry);
        for (int i = 0; i < 16; i++) {
            int next = i == 0 ? fb : lfsr[i - 1];
            c.connect_dff(lfsr[i], bd.mux(reset, next, (seed >> i & 1) ? one : zero));
            c.connect_dff(acc[i], bd.mux(reset, sum[i], zero));
            c.connect_dff(cnt[i], bd.mux(reset, inc[i], zero));
        }
    }
};

static uint64_t seq_round(const Seq &s, bench_rng *r, int cycles, int round)
{
    Levelized lv(s.c);
    EventSim ev(s.c);
    if (!lv.order_ok())
        fail("topological order (sequential)", round);
    ev.settle_all();
    uint32_t lfsr = 0, acc = 0, cnt = 0;
    uint64_t h = 0;
    long changes = 0;
    for (int k = 0; k < cycles; k++) {
        uint32_t in = (uint32_t)rng_below(r, 65536);
        int reset = k == 0 || rng_below(r, 64) == 0;
        auto drive = [&](auto set) {
            set(s.zero, V0);
            set(s.one, V1);
            set(s.reset, (Val)reset);
            for (int i = 0; i < 16; i++)
                set(s.in[i], (Val)(in >> i & 1));
        };
        drive([&](int n, Val v) { lv.set(n, v); });
        drive([&](int n, Val v) { ev.drive(n, v); });
        lv.settle();
        changes += ev.run();
        if (lv.values() != ev.values())
            fail("sequential: event-driven against levelized", round);
        lv.clock();
        lv.settle();
        ev.clock();
        changes += ev.run();
        if (lv.values() != ev.values())
            fail("sequential after clock", round);
        // software model
        if (reset) {
            lfsr = Seq::seed, acc = 0, cnt = 0;
        } else {
            uint32_t fb = (lfsr >> 15 ^ lfsr >> 13 ^ lfsr >> 12 ^ lfsr >> 10) & 1;
            lfsr = (lfsr << 1 | fb) & 0xFFFF;
            acc = (acc + in) & 0xFFFF;
            cnt = (cnt + 1) & 0xFFFF;
        }
        bool known = true;
        const auto &v = lv.values();
        if (read_bus(v, s.lfsr, &known) != lfsr || read_bus(v, s.acc, &known) != acc ||
            read_bus(v, s.cnt, &known) != cnt || !known)
            fail("sequential blocks against software", round);
        h = mix64(h, (uint64_t)lfsr << 32 | acc << 16 | cnt);
    }
    return mix64(h, (uint64_t)changes);
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 80);
    int rounds = scale;
    bench_rng rng = { 0x452821E638D01377ULL };
    uint64_t h = 0;

    double t0 = bench_now();
    for (int round = 0; round < rounds; round++) {
        // fresh netlists with new gate delays every round
        Alu alu(0x1000 + (uint64_t)round);
        h = mix64(h, alu_round(alu, &rng, 16, round));
        Small small(0x2000 + (uint64_t)round);
        h = mix64(h, x_round(small, &rng, 12, round));
        Seq seq(0x3000 + (uint64_t)round);
        h = mix64(h, seq_round(seq, &rng, 30, round));
        h = mix64(h, (uint64_t)alu.c.gates().size() << 20 ^ (uint64_t)seq.c.gates().size());
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
