// ir_optimizer.cpp — a small optimising back end for a register-based IR.
//
// Random structured functions (straight-line arithmetic, loads and stores to a small memory,
// if/else diamonds and counted loops, deliberately repeated subexpressions and identities) are
// built as control-flow graphs of basic blocks over virtual registers (not SSA). A pipeline of
// polymorphic passes runs to a fixed point: global constant propagation over a three-level lattice
// with branch folding, algebraic simplification, local value numbering with memory epochs, local
// copy propagation, liveness-based dead-code elimination on bitsets and CFG simplification
// (unreachable blocks, jump threading, block merging). A linear-scan register allocator then
// maps the virtual registers onto a few physical ones from live intervals, spilling to stack
// slots through scratch registers. The original, optimised and allocated code are interpreted
// on several inputs and must agree on the return value and the final memory.
#include "../programs/bench.h"

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

int failures = 0;

enum class Op : uint8_t {
    Const, Copy, Add, Sub, Mul, And, Or, Xor, Shl, Shr, CmpLt, CmpEq, Select, Load, Store,
    Br, CondBr, Ret, SpillLoad, SpillStore
};

constexpr int kMem = 64;

struct Inst {
    Op op = Op::Const;
    int dst = -1;
    int a = -1, b = -1, c = -1;
    uint32_t imm = 0;
    int t1 = -1, t2 = -1; // branch targets
};

bool is_terminator(Op op) { return op == Op::Br || op == Op::CondBr || op == Op::Ret; }
bool has_side_effect(Op op) { return op == Op::Store || op == Op::SpillStore || is_terminator(op); }
bool is_commutative(Op op)
{
    return op == Op::Add || op == Op::Mul || op == Op::And || op == Op::Or || op == Op::Xor || op == Op::CmpEq;
}
int num_operands(Op op)
{
    switch (op) {
    case Op::Const: case Op::Br: case Op::SpillLoad: return 0;
    case Op::Copy: case Op::Load: case Op::CondBr: case Op::Ret: case Op::SpillStore: return 1;
    case Op::Select: return 3;
    default: return 2;
    }
}

uint32_t eval_op(Op op, uint32_t a, uint32_t b, uint32_t c, uint32_t imm)
{
    switch (op) {
    case Op::Const: return imm;
    case Op::Copy: return a;
    case Op::Add: return a + b;
    case Op::Sub: return a - b;
    case Op::Mul: return a * b;
    case Op::And: return a & b;
    case Op::Or: return a | b;
    case Op::Xor: return a ^ b;
    case Op::Shl: return a << (b & 31);
    case Op::Shr: return a >> (b & 31);
    case Op::CmpLt: return a < b;
    case Op::CmpEq: return a == b;
    case Op::Select: return a ? b : c;
    default: return 0;
    }
}

struct Block {
    std::vector<Inst> insts;
    std::vector<int> succs() const
    {
        const Inst &t = insts.back();
        if (t.op == Op::Br)
            return { t.t1 };
        if (t.op == Op::CondBr)
            return { t.t1, t.t2 };
        return {};
    }
};

struct Function {
    std::vector<Block> blocks;
    int nregs = 0;
    int nparams = 4;
    int nslots = 0;
    size_t size() const
    {
        size_t n = 0;
        for (auto &b : blocks)
            n += b.insts.size();
        return n;
    }
};

// ------------------------------------------------------------------ interpreter

struct RunResult {
    bool ok = true;
    uint32_t ret = 0;
    uint64_t mem_hash = 0;
    long steps = 0;
};

// param_loc: for allocated code, where each parameter lives (register, or -1-slot); empty for
// virtual-register code where parameter i is register i
RunResult interpret(const Function &f, const uint32_t *params, const uint32_t *mem_init,
                    const std::vector<int> &param_loc, int nregs)
{
    std::vector<uint32_t> regs((size_t)nregs, 0), slots((size_t)f.nslots + 1, 0);
    uint32_t mem[kMem];
    memcpy(mem, mem_init, sizeof mem);
    for (int i = 0; i < f.nparams; i++) {
        if (param_loc.empty())
            regs[(size_t)i] = params[i];
        else if (param_loc[(size_t)i] >= 0)
            regs[(size_t)param_loc[(size_t)i]] = params[i];
        else if (param_loc[(size_t)i] != INT32_MIN)
            slots[(size_t)(-1 - param_loc[(size_t)i])] = params[i];
    }
    RunResult r;
    int b = 0;
    size_t pc = 0;
    for (;;) {
        if (++r.steps > 2000000) {
            r.ok = false;
            return r;
        }
        const Inst &in = f.blocks[(size_t)b].insts[pc++];
        switch (in.op) {
        case Op::Br:
            b = in.t1;
            pc = 0;
            continue;
        case Op::CondBr:
            b = regs[(size_t)in.a] ? in.t1 : in.t2;
            pc = 0;
            continue;
        case Op::Ret: {
            r.ret = regs[(size_t)in.a];
            uint64_t h = 0x77;
            for (int i = 0; i < kMem; i++)
                h = mix64(h, mem[i]);
            r.mem_hash = h;
            return r;
        }
        case Op::Load:
            regs[(size_t)in.dst] = mem[(regs[(size_t)in.a] + in.imm) & (kMem - 1)];
            break;
        case Op::Store:
            mem[(regs[(size_t)in.a] + in.imm) & (kMem - 1)] = regs[(size_t)in.b];
            break;
        case Op::SpillLoad:
            regs[(size_t)in.dst] = slots[in.imm];
            break;
        case Op::SpillStore:
            slots[in.imm] = regs[(size_t)in.a];
            break;
        default: {
            uint32_t a = in.a >= 0 ? regs[(size_t)in.a] : 0;
            uint32_t bb = in.b >= 0 ? regs[(size_t)in.b] : 0;
            uint32_t c = in.c >= 0 ? regs[(size_t)in.c] : 0;
            regs[(size_t)in.dst] = eval_op(in.op, a, bb, c, in.imm);
        }
        }
    }
}

// ------------------------------------------------------------------ generator

class Generator {
public:
    Generator(bench_rng &g, int nregs) : g_(g), nregs_(nregs) {}

    Function build()
    {
        f_ = Function();
        f_.nregs = nregs_;
        protected_.assign((size_t)nregs_, false);
        cur_ = new_block();
        int budget = 60 + (int)rng_below(&g_, 80);
        stmts(budget, 0);
        int r = pick_reg();
        emit({ Op::Ret, -1, r });
        return f_;
    }

private:
    int new_block()
    {
        f_.blocks.emplace_back();
        return (int)f_.blocks.size() - 1;
    }
    void emit(Inst in) { f_.blocks[(size_t)cur_].insts.push_back(in); }
    int pick_reg() { return (int)rng_below(&g_, (uint32_t)nregs_); }
    int pick_dst()
    {
        for (;;) {
            int r = 4 + (int)rng_below(&g_, (uint32_t)(nregs_ - 4));
            if (!protected_[(size_t)r])
                return r;
        }
    }

    void stmts(int budget, int depth)
    {
        while (budget > 0) {
            uint32_t k = rng_below(&g_, 100);
            if (k < 8 && depth < 3 && budget > 10) {
                int inner = 4 + (int)rng_below(&g_, (uint32_t)budget / 2);
                if_else(inner, depth);
                budget -= inner;
            } else if (k < 14 && depth < 2 && budget > 10) {
                int inner = 4 + (int)rng_below(&g_, (uint32_t)budget / 2);
                loop(inner, depth);
                budget -= inner;
            } else {
                simple();
                budget--;
            }
        }
    }

    void simple()
    {
        static const Op binops[] = { Op::Add, Op::Sub, Op::Mul, Op::And, Op::Or, Op::Xor,
                                     Op::Shl, Op::Shr, Op::CmpLt, Op::CmpEq };
        uint32_t k = rng_below(&g_, 100);
        int d = pick_dst();
        if (k < 12) {
            static const uint32_t consts[] = { 0, 1, 2, 3, 4, 8, 16, 255, 1000, 0xFFFFFFFFu };
            uint32_t v = rng_below(&g_, 3) ? consts[rng_below(&g_, 10)] : (uint32_t)rng_next(&g_);
            emit({ Op::Const, d, -1, -1, -1, v });
        } else if (k < 18) {
            emit({ Op::Copy, d, pick_reg() });
        } else if (k < 26) {
            Inst in{ Op::Load, d, pick_reg(), -1, -1, rng_below(&g_, kMem) };
            emit(in);
            remember(in);
        } else if (k < 33) {
            Inst st{ Op::Store, -1, pick_reg(), pick_reg(), -1, rng_below(&g_, kMem) };
            for (const Inst &r : recent_)
                if (r.op == Op::Load && rng_below(&g_, 2)) {
                    st.a = r.a; // read-modify-write of a recently loaded cell
                    st.imm = r.imm;
                }
            emit(st);
        } else if (k < 37) {
            emit({ Op::Select, d, pick_reg(), pick_reg(), pick_reg() });
        } else if (k < 47 && !recent_.empty()) {
            // repeat a recent computation into another register (CSE fodder)
            Inst in = recent_[rng_below(&g_, (uint32_t)recent_.size())];
            for (const Inst &r : recent_)
                if (r.op == Op::Load && rng_below(&g_, 3) == 0)
                    in = r; // re-read a cell, possibly after a store to it
            in.dst = d;
            emit(in);
        } else {
            Inst in{ binops[rng_below(&g_, 10)], d, pick_reg(), pick_reg() };
            emit(in);
            remember(in);
        }
    }

    void remember(const Inst &in)
    {
        recent_.push_back(in);
        if (recent_.size() > 6)
            recent_.erase(recent_.begin());
    }

    void if_else(int budget, int depth)
    {
        int c = pick_dst();
        emit({ Op::CmpLt, c, pick_reg(), pick_reg() });
        int then_b = new_block(), else_b = new_block(), join = new_block();
        emit({ Op::CondBr, -1, c, -1, -1, 0, then_b, else_b });
        recent_.clear();
        cur_ = then_b;
        stmts(budget / 2, depth + 1);
        emit({ Op::Br, -1, -1, -1, -1, 0, join });
        cur_ = else_b;
        if (rng_below(&g_, 3))
            stmts(budget - budget / 2, depth + 1);
        emit({ Op::Br, -1, -1, -1, -1, 0, join });
        cur_ = join;
        recent_.clear();
    }

    void loop(int budget, int depth)
    {
        int ctr = pick_dst();
        protected_[(size_t)ctr] = true;
        int lim = pick_dst();
        protected_[(size_t)lim] = true;
        int one = pick_dst();
        protected_[(size_t)one] = true;
        emit({ Op::Const, ctr, -1, -1, -1, 0 });
        emit({ Op::Const, lim, -1, -1, -1, 1 + rng_below(&g_, 6) });
        emit({ Op::Const, one, -1, -1, -1, 1 });
        int header = new_block(), body = new_block(), exit = new_block();
        emit({ Op::Br, -1, -1, -1, -1, 0, header });
        recent_.clear();
        cur_ = header;
        int t = pick_dst();
        emit({ Op::CmpLt, t, ctr, lim });
        emit({ Op::CondBr, -1, t, -1, -1, 0, body, exit });
        cur_ = body;
        stmts(budget, depth + 1);
        emit({ Op::Add, ctr, ctr, one });
        emit({ Op::Br, -1, -1, -1, -1, 0, header });
        protected_[(size_t)ctr] = protected_[(size_t)lim] = protected_[(size_t)one] = false;
        cur_ = exit;
        recent_.clear();
    }

    bench_rng &g_;
    int nregs_;
    Function f_;
    int cur_ = 0;
    std::vector<bool> protected_;
    std::vector<Inst> recent_;
};

// ------------------------------------------------------------------ analyses

using Bits = std::vector<uint64_t>;

struct Liveness {
    std::vector<Bits> in, out;
};

void set_bit(Bits &b, int i) { b[(size_t)i >> 6] |= 1ULL << (i & 63); }
void clr_bit(Bits &b, int i) { b[(size_t)i >> 6] &= ~(1ULL << (i & 63)); }
bool get_bit(const Bits &b, int i) { return (b[(size_t)i >> 6] >> (i & 63)) & 1; }

void inst_uses(const Inst &in, int *u, int *n)
{
    *n = 0;
    int k = num_operands(in.op);
    if (in.op == Op::Store) {
        u[(*n)++] = in.a;
        u[(*n)++] = in.b;
        return;
    }
    if (k >= 1) u[(*n)++] = in.a;
    if (k >= 2) u[(*n)++] = in.b;
    if (k >= 3) u[(*n)++] = in.c;
}

Liveness compute_liveness(const Function &f)
{
    size_t words = ((size_t)f.nregs + 63) / 64, nb = f.blocks.size();
    Liveness lv;
    lv.in.assign(nb, Bits(words, 0));
    lv.out.assign(nb, Bits(words, 0));
    std::vector<Bits> use(nb, Bits(words, 0)), def(nb, Bits(words, 0));
    for (size_t b = 0; b < nb; b++) {
        for (const Inst &in : f.blocks[b].insts) {
            int u[3], n;
            inst_uses(in, u, &n);
            for (int i = 0; i < n; i++)
                if (!get_bit(def[b], u[i]))
                    set_bit(use[b], u[i]);
            if (in.dst >= 0)
                set_bit(def[b], in.dst);
        }
    }
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t bi = nb; bi-- > 0;) {
            Bits out(words, 0);
            for (int s : f.blocks[bi].succs())
                for (size_t w = 0; w < words; w++)
                    out[w] |= lv.in[(size_t)s][w];
            Bits in(words);
            for (size_t w = 0; w < words; w++)
                in[w] = use[bi][w] | (out[w] & ~def[bi][w]);
            if (in != lv.in[bi] || out != lv.out[bi]) {
                lv.in[bi] = std::move(in);
                lv.out[bi] = std::move(out);
                changed = true;
            }
        }
    }
    return lv;
}

std::vector<int> predecessors_count(const Function &f)
{
    std::vector<int> preds(f.blocks.size(), 0);
    for (auto &b : f.blocks)
        for (int s : b.succs())
            preds[(size_t)s]++;
    return preds;
}

// ------------------------------------------------------------------ passes

class Pass {
public:
    virtual ~Pass() = default;
    virtual const char *name() const = 0;
    virtual bool run(Function &f) = 0;
};

class ConstProp : public Pass {
public:
    const char *name() const override { return "constprop"; }
    bool run(Function &f) override
    {
        enum : uint8_t { Top, Const, Bottom };
        struct Lat {
            uint8_t kind = Top;
            uint32_t v = 0;
        };
        size_t nb = f.blocks.size(), nr = (size_t)f.nregs;
        std::vector<std::vector<Lat>> in(nb, std::vector<Lat>(nr));
        std::vector<bool> reached(nb, false);
        for (size_t r = 0; r < nr; r++)
            in[0][r] = (int)r < f.nparams ? Lat{ Bottom, 0 } : Lat{ Const, 0 };
        reached[0] = true;
        std::vector<int> work{ 0 };
        auto meet = [](Lat &dst, const Lat &src) {
            if (src.kind == Top || dst.kind == Bottom)
                return false;
            if (dst.kind == Top) {
                dst = src;
                return true;
            }
            if (src.kind == Bottom || src.v != dst.v) {
                dst.kind = Bottom;
                return true;
            }
            return false;
        };
        while (!work.empty()) {
            int b = work.back();
            work.pop_back();
            std::vector<Lat> st = in[(size_t)b];
            for (const Inst &i : f.blocks[(size_t)b].insts) {
                if (i.op == Op::CondBr) {
                    const Lat &c = st[(size_t)i.a];
                    std::vector<int> targets;
                    if (c.kind == Const)
                        targets.push_back(c.v ? i.t1 : i.t2);
                    else
                        targets = { i.t1, i.t2 };
                    for (int t : targets)
                        propagate(t, st, in, reached, work, meet);
                } else if (i.op == Op::Br) {
                    propagate(i.t1, st, in, reached, work, meet);
                } else if (i.dst >= 0) {
                    st[(size_t)i.dst] = transfer(i, st);
                }
            }
        }
        // rewrite reachable blocks
        bool changed = false;
        for (size_t b = 0; b < nb; b++) {
            if (!reached[b])
                continue;
            std::vector<Lat> st = in[b];
            for (Inst &i : f.blocks[b].insts) {
                if (i.op == Op::CondBr && st[(size_t)i.a].kind == Const) {
                    int t = st[(size_t)i.a].v ? i.t1 : i.t2;
                    i = Inst{ Op::Br, -1, -1, -1, -1, 0, t };
                    changed = true;
                    continue;
                }
                if (i.dst < 0)
                    continue;
                Lat r = transfer(i, st);
                st[(size_t)i.dst] = r;
                if (r.kind == Const && i.op != Op::Const) {
                    i = Inst{ Op::Const, i.dst, -1, -1, -1, r.v };
                    changed = true;
                }
            }
        }
        folded_ += changed;
        return changed;
    }
    int folded_ = 0;

private:
    template <class LatT>
    static LatT transfer(const Inst &i, const std::vector<LatT> &st)
    {
        if (i.op == Op::Const)
            return LatT{ 1, i.imm };
        if (i.op == Op::Load)
            return LatT{ 2, 0 };
        int u[3], n;
        inst_uses(i, u, &n);
        uint32_t v[3] = { 0, 0, 0 };
        bool any_top = false;
        for (int k = 0; k < n; k++) {
            if (st[(size_t)u[k]].kind == 2)
                return LatT{ 2, 0 };
            if (st[(size_t)u[k]].kind == 0)
                any_top = true;
            v[k] = st[(size_t)u[k]].v;
        }
        if (any_top)
            return LatT{ 0, 0 };
        return LatT{ 1, eval_op(i.op, v[0], v[1], v[2], i.imm) };
    }

    template <class LatT, class Meet>
    static void propagate(int t, const std::vector<LatT> &st, std::vector<std::vector<LatT>> &in,
                          std::vector<bool> &reached, std::vector<int> &work, Meet &meet)
    {
        bool changed = !reached[(size_t)t];
        reached[(size_t)t] = true;
        for (size_t r = 0; r < st.size(); r++)
            changed |= meet(in[(size_t)t][r], st[r]);
        if (changed)
            work.push_back(t);
    }
};

class AlgebraicSimplify : public Pass {
public:
    const char *name() const override { return "simplify"; }
    bool run(Function &f) override
    {
        bool changed = false;
        for (auto &b : f.blocks) {
            std::unordered_map<int, uint32_t> known; // registers holding a constant in this block
            for (Inst &i : b.insts) {
                auto kc = [&](int r, uint32_t *v) {
                    auto it = known.find(r);
                    if (it == known.end())
                        return false;
                    *v = it->second;
                    return true;
                };
                uint32_t va = 0, vb = 0;
                bool ca = i.a >= 0 && kc(i.a, &va), cb = i.b >= 0 && kc(i.b, &vb);
                Inst n = i;
                switch (i.op) {
                case Op::Add: case Op::Or: case Op::Xor:
                    if (cb && vb == 0) n = Inst{ Op::Copy, i.dst, i.a };
                    else if (ca && va == 0) n = Inst{ Op::Copy, i.dst, i.b };
                    else if (i.op == Op::Xor && i.a == i.b) n = Inst{ Op::Const, i.dst, -1, -1, -1, 0 };
                    break;
                case Op::Sub:
                    if (cb && vb == 0) n = Inst{ Op::Copy, i.dst, i.a };
                    else if (i.a == i.b) n = Inst{ Op::Const, i.dst, -1, -1, -1, 0 };
                    break;
                case Op::Mul:
                    if (cb && vb == 1) n = Inst{ Op::Copy, i.dst, i.a };
                    else if (ca && va == 1) n = Inst{ Op::Copy, i.dst, i.b };
                    else if ((cb && vb == 0) || (ca && va == 0)) n = Inst{ Op::Const, i.dst, -1, -1, -1, 0 };
                    else if (cb && vb && (vb & (vb - 1)) == 0) {
                        // x * 2^k -> x << k, when some register is known to hold k
                        // (the lowest-numbered one, so the choice is deterministic)
                        uint32_t k = (uint32_t)__builtin_ctz(vb);
                        int holder = -1;
                        for (auto &kv : known)
                            if (kv.second == k && (holder < 0 || kv.first < holder))
                                holder = kv.first;
                        if (holder >= 0)
                            n = Inst{ Op::Shl, i.dst, i.a, holder };
                    }
                    break;
                case Op::And:
                    if ((cb && vb == 0) || (ca && va == 0)) n = Inst{ Op::Const, i.dst, -1, -1, -1, 0 };
                    else if (cb && vb == 0xFFFFFFFFu) n = Inst{ Op::Copy, i.dst, i.a };
                    else if (i.a == i.b) n = Inst{ Op::Copy, i.dst, i.a };
                    break;
                case Op::Shl: case Op::Shr:
                    if (cb && (vb & 31) == 0) n = Inst{ Op::Copy, i.dst, i.a };
                    break;
                case Op::CmpEq:
                    if (i.a == i.b) n = Inst{ Op::Const, i.dst, -1, -1, -1, 1 };
                    break;
                case Op::CmpLt:
                    if (i.a == i.b) n = Inst{ Op::Const, i.dst, -1, -1, -1, 0 };
                    break;
                case Op::Select:
                    if (i.b == i.c) n = Inst{ Op::Copy, i.dst, i.b };
                    else if (ca) n = Inst{ Op::Copy, i.dst, va ? i.b : i.c };
                    break;
                default:
                    break;
                }
                if (n.op != i.op || n.a != i.a || n.b != i.b) {
                    i = n;
                    changed = true;
                }
                if (i.dst >= 0) {
                    known.erase(i.dst);
                    if (i.op == Op::Const)
                        known[i.dst] = i.imm;
                }
            }
            // drop self copies
            size_t w = 0;
            for (size_t r = 0; r < b.insts.size(); r++) {
                const Inst &i = b.insts[r];
                if (i.op == Op::Copy && i.a == i.dst) {
                    changed = true;
                    continue;
                }
                b.insts[w++] = i;
            }
            b.insts.resize(w);
        }
        return changed;
    }
};

class ValueNumbering : public Pass {
public:
    const char *name() const override { return "lvn"; }
    bool run(Function &f) override
    {
        bool changed = false;
        for (auto &b : f.blocks) {
            std::vector<int> vn((size_t)f.nregs);
            int next_vn = 0;
            for (auto &v : vn)
                v = next_vn++;
            std::vector<int> holder(vn.begin(), vn.end());
            std::unordered_map<Key, int, KeyHash> table;
            uint32_t epoch = 0;
            for (Inst &i : b.insts) {
                if (i.op == Op::Store) {
                    epoch++;
                    continue;
                }
                if (i.dst < 0)
                    continue;
                int v;
                if (i.op == Op::Copy) {
                    v = vn[(size_t)i.a];
                } else {
                    Key k{ i.op, i.a >= 0 ? vn[(size_t)i.a] : -1, i.b >= 0 ? vn[(size_t)i.b] : -1,
                           i.c >= 0 ? vn[(size_t)i.c] : -1, i.op == Op::Load ? i.imm + epoch * 977u : i.imm };
                    if (i.op == Op::Load)
                        k.c = (int)epoch;
                    if (is_commutative(i.op) && k.a > k.b)
                        std::swap(k.a, k.b);
                    auto it = table.find(k);
                    if (it != table.end()) {
                        v = it->second;
                        int h = v < (int)holder.size() ? holder[(size_t)v] : -1;
                        if (h >= 0 && vn[(size_t)h] == v) {
                            i = Inst{ Op::Copy, i.dst, h };
                            changed = true;
                            replaced_++;
                        }
                    } else {
                        v = next_vn++;
                        table.emplace(k, v);
                    }
                }
                vn[(size_t)i.dst] = v;
                if ((size_t)v >= holder.size())
                    holder.resize((size_t)v + 1, -1);
                int h = holder[(size_t)v];
                if (h < 0 || vn[(size_t)h] != v)
                    holder[(size_t)v] = i.dst;
            }
        }
        return changed;
    }
    int replaced_ = 0;

private:
    struct Key {
        Op op;
        int a, b, c;
        uint32_t imm;
        bool operator==(const Key &o) const
        {
            return op == o.op && a == o.a && b == o.b && c == o.c && imm == o.imm;
        }
    };
    struct KeyHash {
        size_t operator()(const Key &k) const
        {
            uint64_t h = mix64((uint64_t)k.op, (uint64_t)(uint32_t)k.a);
            h = mix64(h, (uint64_t)(uint32_t)k.b);
            h = mix64(h, (uint64_t)(uint32_t)k.c);
            return (size_t)mix64(h, k.imm);
        }
    };
};

class CopyProp : public Pass {
public:
    const char *name() const override { return "copyprop"; }
    bool run(Function &f) override
    {
        bool changed = false;
        for (auto &b : f.blocks) {
            std::vector<int> src((size_t)f.nregs, -1);
            for (Inst &i : b.insts) {
                int *ops[3] = { &i.a, &i.b, &i.c };
                int n = num_operands(i.op);
                if (i.op == Op::Store)
                    n = 2;
                for (int k = 0; k < n; k++) {
                    int r = *ops[k];
                    if (r >= 0 && src[(size_t)r] >= 0) {
                        *ops[k] = src[(size_t)r];
                        changed = true;
                    }
                }
                if (i.dst >= 0) {
                    // the register is redefined: forget copies from or to it
                    for (auto &s : src)
                        if (s == i.dst)
                            s = -1;
                    src[(size_t)i.dst] = (i.op == Op::Copy && i.a != i.dst) ? i.a : -1;
                }
            }
        }
        return changed;
    }
};

class DeadCode : public Pass {
public:
    const char *name() const override { return "dce"; }
    bool run(Function &f) override
    {
        bool any = false;
        for (;;) {
            Liveness lv = compute_liveness(f);
            bool changed = false;
            for (size_t bi = 0; bi < f.blocks.size(); bi++) {
                Bits live = lv.out[bi];
                auto &insts = f.blocks[bi].insts;
                std::vector<bool> keep(insts.size(), true);
                for (size_t k = insts.size(); k-- > 0;) {
                    const Inst &i = insts[k];
                    if (i.dst >= 0 && !has_side_effect(i.op) && !get_bit(live, i.dst)) {
                        keep[k] = false;
                        changed = true;
                        continue;
                    }
                    if (i.dst >= 0)
                        clr_bit(live, i.dst);
                    int u[3], n;
                    inst_uses(i, u, &n);
                    for (int j = 0; j < n; j++)
                        set_bit(live, u[j]);
                }
                size_t w = 0;
                for (size_t k = 0; k < insts.size(); k++)
                    if (keep[k])
                        insts[w++] = insts[k];
                insts.resize(w);
            }
            if (!changed)
                break;
            any = true;
        }
        return any;
    }
};

class SimplifyCFG : public Pass {
public:
    const char *name() const override { return "simplifycfg"; }
    bool run(Function &f) override
    {
        bool changed = false;
        // identical targets
        for (auto &b : f.blocks) {
            Inst &t = b.insts.back();
            if (t.op == Op::CondBr && t.t1 == t.t2) {
                t = Inst{ Op::Br, -1, -1, -1, -1, 0, t.t1 };
                changed = true;
            }
        }
        // jump threading through blocks that only branch
        for (auto &b : f.blocks) {
            Inst &t = b.insts.back();
            int *targets[2] = { &t.t1, &t.t2 };
            int n = t.op == Op::Br ? 1 : t.op == Op::CondBr ? 2 : 0;
            for (int k = 0; k < n; k++) {
                int hops = 0;
                while (hops < 8) {
                    const Block &tb = f.blocks[(size_t)*targets[k]];
                    if (tb.insts.size() != 1 || tb.insts[0].op != Op::Br || tb.insts[0].t1 == *targets[k])
                        break;
                    *targets[k] = tb.insts[0].t1;
                    changed = true;
                    hops++;
                }
            }
        }
        // merge a block into its unique predecessor when that ends in an unconditional branch
        for (;;) {
            std::vector<int> preds = predecessors_count(f);
            bool merged = false;
            for (size_t a = 0; a < f.blocks.size() && !merged; a++) {
                Inst &t = f.blocks[a].insts.back();
                if (t.op != Op::Br)
                    continue;
                int bidx = t.t1;
                if (bidx == (int)a || bidx == 0 || preds[(size_t)bidx] != 1)
                    continue;
                std::vector<Inst> tail = std::move(f.blocks[(size_t)bidx].insts);
                f.blocks[a].insts.pop_back();
                f.blocks[a].insts.insert(f.blocks[a].insts.end(), tail.begin(), tail.end());
                // leave the merged block unreachable with a self loop; removed below
                f.blocks[(size_t)bidx].insts = { Inst{ Op::Br, -1, -1, -1, -1, 0, bidx } };
                merged = true;
                changed = true;
            }
            if (!merged)
                break;
        }
        // remove unreachable blocks and renumber in reverse postorder
        std::vector<int> order, state(f.blocks.size(), 0);
        std::vector<std::pair<int, size_t>> stack{ { 0, 0 } };
        state[0] = 1;
        while (!stack.empty()) {
            auto &top = stack.back();
            std::vector<int> s = f.blocks[(size_t)top.first].succs();
            if (top.second < s.size()) {
                int nx = s[top.second++];
                if (!state[(size_t)nx]) {
                    state[(size_t)nx] = 1;
                    stack.push_back({ nx, 0 });
                }
            } else {
                order.push_back(top.first);
                stack.pop_back();
            }
        }
        std::reverse(order.begin(), order.end());
        std::vector<int> remap(f.blocks.size(), -1);
        for (size_t k = 0; k < order.size(); k++)
            remap[(size_t)order[k]] = (int)k;
        bool renumber = order.size() != f.blocks.size();
        for (size_t k = 0; k < order.size() && !renumber; k++)
            renumber = order[k] != (int)k;
        if (renumber) {
            std::vector<Block> nb;
            nb.reserve(order.size());
            for (int o : order) {
                Block b = std::move(f.blocks[(size_t)o]);
                Inst &t = b.insts.back();
                if (t.t1 >= 0)
                    t.t1 = remap[(size_t)t.t1];
                if (t.t2 >= 0)
                    t.t2 = remap[(size_t)t.t2];
                nb.push_back(std::move(b));
            }
            f.blocks = std::move(nb);
            changed = true;
        }
        return changed;
    }
};

// ------------------------------------------------------------------ register allocation

struct Allocation {
    Function code;
    std::vector<int> param_loc;
    int spilled = 0;
};

Allocation allocate(const Function &f, int K)
{
    Liveness lv = compute_liveness(f);
    size_t nr = (size_t)f.nregs;
    std::vector<int> start(nr, INT32_MAX), end(nr, -1);
    auto extend = [&](int r, int p) {
        start[(size_t)r] = std::min(start[(size_t)r], p);
        end[(size_t)r] = std::max(end[(size_t)r], p);
    };
    int pos = 0;
    for (size_t b = 0; b < f.blocks.size(); b++) {
        int bstart = pos;
        for (const Inst &i : f.blocks[b].insts) {
            int u[3], n;
            inst_uses(i, u, &n);
            for (int k = 0; k < n; k++)
                extend(u[k], pos);
            if (i.dst >= 0)
                extend(i.dst, pos);
            pos++;
        }
        int bend = pos - 1;
        for (size_t r = 0; r < nr; r++) {
            if (get_bit(lv.in[b], (int)r))
                extend((int)r, bstart);
            if (get_bit(lv.out[b], (int)r))
                extend((int)r, bend);
        }
    }
    for (int p = 0; p < f.nparams; p++)
        if (end[(size_t)p] >= 0)
            extend(p, 0);

    std::vector<int> ivs;
    for (size_t r = 0; r < nr; r++)
        if (end[r] >= 0)
            ivs.push_back((int)r);
    std::sort(ivs.begin(), ivs.end(), [&](int x, int y) {
        return start[(size_t)x] != start[(size_t)y] ? start[(size_t)x] < start[(size_t)y] : x < y;
    });
    std::vector<int> loc(nr, INT32_MIN); // >= 0 register, < 0: -1 - slot
    std::vector<int> active;             // vregs holding registers
    std::vector<bool> free_reg((size_t)K, true);
    int slots = 0;
    Allocation out;
    for (int v : ivs) {
        // expire intervals that ended strictly before this one starts
        for (size_t k = 0; k < active.size();) {
            int a = active[k];
            if (end[(size_t)a] < start[(size_t)v]) {
                free_reg[(size_t)loc[(size_t)a]] = true;
                active.erase(active.begin() + (long)k);
            } else {
                k++;
            }
        }
        int r = -1;
        for (int k = 0; k < K; k++)
            if (free_reg[(size_t)k]) {
                r = k;
                break;
            }
        if (r >= 0) {
            free_reg[(size_t)r] = false;
            loc[(size_t)v] = r;
            active.push_back(v);
            continue;
        }
        // spill the interval that ends last
        size_t far = 0;
        for (size_t k = 1; k < active.size(); k++)
            if (end[(size_t)active[k]] > end[(size_t)active[far]] ||
                (end[(size_t)active[k]] == end[(size_t)active[far]] && active[k] > active[far]))
                far = k;
        int victim = active[far];
        if (end[(size_t)victim] > end[(size_t)v]) {
            loc[(size_t)v] = loc[(size_t)victim];
            loc[(size_t)victim] = -1 - slots++;
            active[far] = v;
        } else {
            loc[(size_t)v] = -1 - slots++;
        }
        out.spilled++;
    }

    // rewrite with physical registers; K, K+1, K+2 are scratch registers for spilled values
    out.code.nregs = K + 3;
    out.code.nparams = f.nparams;
    out.code.nslots = slots;
    out.code.blocks.resize(f.blocks.size());
    for (size_t b = 0; b < f.blocks.size(); b++) {
        auto &dst = out.code.blocks[b].insts;
        for (const Inst &i : f.blocks[b].insts) {
            Inst m = i;
            int *ops[3] = { &m.a, &m.b, &m.c };
            int n = i.op == Op::Store ? 2 : num_operands(i.op);
            for (int k = 0; k < n; k++) {
                int v = *ops[k];
                int l = loc[(size_t)v];
                if (l >= 0) {
                    *ops[k] = l;
                } else {
                    Inst ld;
                    ld.op = Op::SpillLoad;
                    ld.dst = K + k;
                    ld.imm = (uint32_t)(-1 - l);
                    dst.push_back(ld);
                    *ops[k] = K + k;
                }
            }
            int spill_slot = -1;
            if (i.dst >= 0) {
                int l = loc[(size_t)i.dst];
                if (l >= 0) {
                    m.dst = l;
                } else {
                    m.dst = K;
                    spill_slot = -1 - l;
                }
            }
            dst.push_back(m);
            if (spill_slot >= 0) {
                Inst st;
                st.op = Op::SpillStore;
                st.a = K;
                st.imm = (uint32_t)spill_slot;
                dst.push_back(st);
            }
        }
    }
    out.param_loc.assign((size_t)f.nparams, INT32_MIN);
    for (int p = 0; p < f.nparams; p++)
        out.param_loc[(size_t)p] = loc[(size_t)p];
    return out;
}

bool same(const RunResult &a, const RunResult &b)
{
    return a.ok && b.ok && a.ret == b.ret && a.mem_hash == b.mem_hash;
}

} // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 75);
    bench_rng g = { 0xB7E151628AED2A6AULL };

    std::vector<std::unique_ptr<Pass>> pipeline;
    pipeline.push_back(std::make_unique<ConstProp>());
    pipeline.push_back(std::make_unique<AlgebraicSimplify>());
    pipeline.push_back(std::make_unique<ValueNumbering>());
    pipeline.push_back(std::make_unique<CopyProp>());
    pipeline.push_back(std::make_unique<DeadCode>());
    pipeline.push_back(std::make_unique<SimplifyCFG>());

    double t0 = bench_now();
    uint64_t h = 0xA4093822299F31D0ULL;
    long total_before = 0, total_after = 0;
    int pass_changes[6] = { 0 };
    for (int round = 0; round < scale; round++) {
        for (int fn = 0; fn < 40; fn++) {
            int nregs = 12 + (int)rng_below(&g, 40);
            Generator gen(g, nregs);
            Function orig = gen.build();
            Function opt = orig;
            for (int iter = 0; iter < 8; iter++) {
                bool any = false;
                for (size_t p = 0; p < pipeline.size(); p++) {
                    bool c = pipeline[p]->run(opt);
                    pass_changes[p] += c;
                    any |= c;
                }
                if (!any)
                    break;
            }
            int K = 3 + (int)rng_below(&g, 6);
            Allocation alloc = allocate(opt, K);
            total_before += (long)orig.size();
            total_after += (long)opt.size();
            h = mix64(h, ((uint64_t)orig.size() << 32) | (uint64_t)opt.size());
            h = mix64(h, ((uint64_t)alloc.spilled << 16) | (uint64_t)alloc.code.size());

            for (int t = 0; t < 6; t++) {
                uint32_t params[4], mem[kMem];
                for (auto &p : params)
                    p = (uint32_t)rng_next(&g) >> (rng_below(&g, 4) * 8);
                for (auto &m : mem)
                    m = (uint32_t)rng_next(&g);
                std::vector<int> none;
                RunResult r0 = interpret(orig, params, mem, none, orig.nregs);
                RunResult r1 = interpret(opt, params, mem, none, opt.nregs);
                RunResult r2 = interpret(alloc.code, params, mem, alloc.param_loc, alloc.code.nregs);
                if (!same(r0, r1) || !same(r0, r2))
                    failures++;
                h = mix64(h, r0.ret);
                h = mix64(h, r0.mem_hash);
                h = mix64(h, (uint64_t)(r0.steps - r1.steps));
            }
        }
    }
    bench_report(t0);
    for (int p = 0; p < 6; p++)
        h = mix64(h, (uint64_t)pass_changes[p]);
    h = mix64(h, (uint64_t)total_before);
    h = mix64(h, (uint64_t)total_after);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
