// logic_sim/circuit.h -- a netlist (gates owned through unique_ptr, named nets in an
// unordered_map, fanout lists) and two simulators: levelized zero-delay evaluation in a
// topological order from Kahn's algorithm, and an event-driven simulation with per-gate
// transport delays and a priority queue of timed net changes (an event is only scheduled when
// it changes the value the net is already heading for).

class Circuit {
public:
    int net(const std::string &name = std::string())
    {
        int id = (int)driver_.size();
        driver_.push_back(-1);
        fanout_.emplace_back();
        if (!name.empty())
            names_[name] = id;
        return id;
    }

    template <class G>
    int add(std::vector<int> in, int delay)
    {
        int out = net();
        for (int n : in)
            fanout_[n].push_back((int)gates_.size());
        driver_[out] = (int)gates_.size();
        gates_.push_back(std::make_unique<G>(std::move(in), out, delay));
        return out;
    }

    // a flip-flop whose D input is connected later (feedback loops)
    int add_dff(int delay)
    {
        int out = net();
        driver_[out] = (int)gates_.size();
        gates_.push_back(std::make_unique<DffGate>(std::vector<int>{ -1 }, out, delay));
        dffs_.push_back((int)gates_.size() - 1);
        return out;
    }

    void connect_dff(int q, int d)
    {
        int g = driver_[q];
        gates_[g] = std::make_unique<DffGate>(std::vector<int>{ d }, q, gates_[g]->delay());
        fanout_[d].push_back(g);
    }

    int find(const std::string &name) const
    {
        auto it = names_.find(name);
        return it == names_.end() ? -1 : it->second;
    }

    void name(const std::string &n, int id) { names_[n] = id; }
    int nets() const { return (int)driver_.size(); }
    const std::vector<std::unique_ptr<Gate>> &gates() const { return gates_; }
    const std::vector<int> &fanout(int n) const { return fanout_[n]; }
    const std::vector<int> &dffs() const { return dffs_; }
    int driver(int n) const { return driver_[n]; }

private:
    std::vector<std::unique_ptr<Gate>> gates_;
    std::vector<int> driver_;
    std::vector<std::vector<int>> fanout_;
    std::vector<int> dffs_;
    std::unordered_map<std::string, int> names_;
};

// zero-delay evaluation of the combinational gates in topological order
class Levelized {
public:
    explicit Levelized(const Circuit &c) : c_(c), val_(c.nets(), VX)
    {
        const auto &g = c.gates();
        std::vector<int> pending(g.size(), 0);
        std::deque<int> ready;
        for (size_t i = 0; i < g.size(); i++) {
            if (g[i]->sequential())
                continue;
            for (int n : g[i]->inputs()) {
                int d = c.driver(n);
                if (d >= 0 && !g[d]->sequential())
                    pending[i]++;
            }
            if (pending[i] == 0)
                ready.push_back((int)i);
        }
        while (!ready.empty()) {
            int i = ready.front();
            ready.pop_front();
            order_.push_back(i);
            for (int f : c.fanout(g[i]->output()))
                if (!g[f]->sequential() && --pending[f] == 0)
                    ready.push_back(f);
        }
    }

    // every combinational gate comes after the gates driving its inputs
    bool order_ok() const
    {
        const auto &g = c_.gates();
        std::vector<int> pos(g.size(), -1);
        size_t comb = 0;
        for (size_t i = 0; i < g.size(); i++)
            comb += !g[i]->sequential();
        if (order_.size() != comb)
            return false;
        for (size_t k = 0; k < order_.size(); k++)
            pos[order_[k]] = (int)k;
        for (int i : order_)
            for (int n : g[i]->inputs()) {
                int d = c_.driver(n);
                if (d >= 0 && !g[d]->sequential() && pos[d] >= pos[i])
                    return false;
            }
        return true;
    }

    void set(int n, Val v) { val_[n] = v; }
    Val get(int n) const { return val_[n]; }
    const std::vector<Val> &values() const { return val_; }

    void settle()
    {
        const auto &g = c_.gates();
        Val *v = val_.data();
        for (int i : order_)
            v[g[i]->output()] = g[i]->eval(v);
    }

    // clock edge: every flip-flop takes its D value at once
    void clock()
    {
        const auto &g = c_.gates();
        std::vector<Val> next;
        for (int i : c_.dffs())
            next.push_back(g[i]->eval(val_.data()));
        size_t k = 0;
        for (int i : c_.dffs())
            val_[g[i]->output()] = next[k++];
    }

private:
    const Circuit &c_;
    std::vector<Val> val_;
    std::vector<int> order_;
};

class EventSim {
public:
    explicit EventSim(const Circuit &c) : c_(c), val_(c.nets(), VX), projected_(c.nets(), VX) {}

    void drive(int n, Val v) { push(now_, n, v); }

    // runs until no events are left; returns the number of events that changed a net
    long run()
    {
        const auto &g = c_.gates();
        long changes = 0;
        while (!q_.empty()) {
            Event e = q_.top();
            q_.pop();
            now_ = e.time;
            if (val_[e.net] == e.val)
                continue;
            val_[e.net] = e.val;
            changes++;
            for (int f : c_.fanout(e.net)) {
                if (g[f]->sequential())
                    continue;
                push(now_ + (uint64_t)g[f]->delay(), g[f]->output(), g[f]->eval(val_.data()));
            }
        }
        return changes;
    }

    // clock edge: flip-flop outputs change after their clock-to-output delay
    void clock()
    {
        const auto &g = c_.gates();
        for (int i : c_.dffs())
            push(now_ + (uint64_t)g[i]->delay(), g[i]->output(), g[i]->eval(val_.data()));
    }

    // initial evaluation of every gate (all nets start unknown)
    void settle_all()
    {
        const auto &g = c_.gates();
        for (size_t i = 0; i < g.size(); i++)
            if (!g[i]->sequential())
                push(now_ + (uint64_t)g[i]->delay(), g[i]->output(), g[i]->eval(val_.data()));
    }

    Val get(int n) const { return val_[n]; }
    const std::vector<Val> &values() const { return val_; }
    uint64_t now() const { return now_; }

private:
    struct Event {
        uint64_t time;
        uint64_t seq;
        int net;
        Val val;
    };
    struct Later {
        bool operator()(const Event &a, const Event &b) const
        {
            return a.time != b.time ? a.time > b.time : a.seq > b.seq;
        }
    };
    // an event that would not change the value the net is already heading for is dropped
    void push(uint64_t t, int n, Val v)
    {
        if (projected_[n] == v)
            return;
        projected_[n] = v;
        q_.push(Event{ t, seq_++, n, v });
    }

    const Circuit &c_;
    std::vector<Val> val_, projected_; /* projected: value after the last scheduled event */
    std::priority_queue<Event, std::vector<Event>, Later> q_;
    uint64_t now_ = 0, seq_ = 0;
};
