// logic_sim/gates.h -- three-valued logic (0, 1, X) and the gate classes: a policy template
// for the n-input combinational gates behind one virtual interface, a multiplexer, a majority
// gate and a D flip-flop whose output is a source for the combinational logic.

using Val = std::uint8_t;
constexpr Val V0 = 0, V1 = 1, VX = 2;

class Gate {
public:
    Gate(std::vector<int> in, int out, int delay) : in_(std::move(in)), out_(out), delay_(delay) {}
    virtual ~Gate() = default;
    virtual Val eval(const Val *v) const = 0;
    virtual const char *kind() const = 0;
    virtual bool sequential() const { return false; }
    const std::vector<int> &inputs() const { return in_; }
    int output() const { return out_; }
    int delay() const { return delay_; }

protected:
    std::vector<int> in_;
    int out_;
    int delay_;
};

struct AndOp {
    static constexpr const char *name = "and";
    static constexpr bool invert = false;
    static Val fold(const Val *v, const std::vector<int> &in)
    {
        Val r = V1;
        for (int n : in) {
            if (v[n] == V0)
                return V0;
            if (v[n] == VX)
                r = VX;
        }
        return r;
    }
};

struct OrOp {
    static constexpr const char *name = "or";
    static constexpr bool invert = false;
    static Val fold(const Val *v, const std::vector<int> &in)
    {
        Val r = V0;
        for (int n : in) {
            if (v[n] == V1)
                return V1;
            if (v[n] == VX)
                r = VX;
        }
        return r;
    }
};

struct XorOp {
    static constexpr const char *name = "xor";
    static constexpr bool invert = false;
    static Val fold(const Val *v, const std::vector<int> &in)
    {
        Val r = V0;
        for (int n : in) {
            if (v[n] == VX)
                return VX;
            r ^= v[n];
        }
        return r;
    }
};

template <class Op, bool Invert>
class NaryGate final : public Gate {
public:
    using Gate::Gate;
    Val eval(const Val *v) const override
    {
        Val r = Op::fold(v, in_);
        if (Invert && r != VX)
            r ^= 1;
        return r;
    }
    const char *kind() const override { return Invert ? "inverted" : Op::name; }
};

using AndGate = NaryGate<AndOp, false>;
using NandGate = NaryGate<AndOp, true>;
using OrGate = NaryGate<OrOp, false>;
using NorGate = NaryGate<OrOp, true>;
using XorGate = NaryGate<XorOp, false>;
using XnorGate = NaryGate<XorOp, true>;

class NotGate final : public Gate {
public:
    using Gate::Gate;
    Val eval(const Val *v) const override { return v[in_[0]] == VX ? VX : (Val)(v[in_[0]] ^ 1); }
    const char *kind() const override { return "not"; }
};

// inputs: select, a (select 0), b (select 1)
class MuxGate final : public Gate {
public:
    using Gate::Gate;
    Val eval(const Val *v) const override
    {
        Val s = v[in_[0]], a = v[in_[1]], b = v[in_[2]];
        if (s == V0)
            return a;
        if (s == V1)
            return b;
        return a == b && a != VX ? a : VX;
    }
    const char *kind() const override { return "mux"; }
};

class MajorityGate final : public Gate {
public:
    using Gate::Gate;
    Val eval(const Val *v) const override
    {
        int ones = 0, zeros = 0;
        for (int n : in_) {
            ones += v[n] == V1;
            zeros += v[n] == V0;
        }
        int half = (int)in_.size() / 2;
        return ones > half ? V1 : zeros > half ? V0 : VX;
    }
    const char *kind() const override { return "maj"; }
};

// D flip-flop: eval gives the next state (the D input); the output changes only at a clock edge
class DffGate final : public Gate {
public:
    using Gate::Gate;
    Val eval(const Val *v) const override { return v[in_[0]]; }
    const char *kind() const override { return "dff"; }
    bool sequential() const override { return true; }
};
