// signal_slots.cpp — a C++ observer / signal-slot library and a reactive model built on it.
//   Signal<R(Args...), Combiner>  slots as std::function in shared_ptr'd records ordered by
//                                 (group, connection sequence), connect/disconnect at any time,
//                                 including from inside an emission (a slot disconnected during
//                                 emit is skipped, one connected during emit waits for the next),
//                                 blocking, combiners (sum, max, last, count);
//   Connection / ScopedConnection handles (weak_ptr to the record, RAII disconnect);
//   Property<T>                   value + changed signal, with compare-before-notify;
//   Computed<T>                   derived value re-evaluated when any input property changes;
//   Observer                      abstract base with virtual on_tick/on_alert, several concrete
//                                 observers (moving average, threshold alarm, volume counter).
// A simulated ticker feed drives the model; after every step all derived values are recomputed
// from scratch and compared, and notification counts are checked against a plain model.
// SCALE = steps of the feed in ten-thousands.
#include "../programs/bench.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

static int failures;

namespace sig {

struct SlotRecordBase {
    bool connected = true;
    bool blocked = false;
    int group = 0;
    uint64_t seq = 0;
    virtual ~SlotRecordBase() = default;
};

class Connection {
public:
    Connection() = default;
    explicit Connection(std::weak_ptr<SlotRecordBase> r) : rec_(std::move(r)) {}
    void disconnect()
    {
        if (auto r = rec_.lock()) r->connected = false;
    }
    bool connected() const
    {
        auto r = rec_.lock();
        return r && r->connected;
    }
    void block(bool b)
    {
        if (auto r = rec_.lock()) r->blocked = b;
    }

private:
    std::weak_ptr<SlotRecordBase> rec_;
};

class ScopedConnection {
public:
    ScopedConnection() = default;
    ScopedConnection(Connection c) : c_(c) {}
    ScopedConnection(ScopedConnection &&o) noexcept : c_(o.c_) { o.c_ = Connection(); }
    ScopedConnection &operator=(ScopedConnection &&o) noexcept
    {
        if (this != &o) {
            c_.disconnect();
            c_ = o.c_;
            o.c_ = Connection();
        }
        return *this;
    }
    ScopedConnection(const ScopedConnection &) = delete;
    ScopedConnection &operator=(const ScopedConnection &) = delete;
    ~ScopedConnection() { c_.disconnect(); }
    bool connected() const { return c_.connected(); }

private:
    Connection c_;
};

template <class R>
struct LastValue {
    using result_type = R;
    R value{};
    void operator()(const R &r) { value = r; }
};
template <class R>
struct Sum {
    using result_type = R;
    R value{};
    void operator()(const R &r) { value += r; }
};
template <class R>
struct MaxOf {
    using result_type = R;
    R value{};
    bool any = false;
    void operator()(const R &r)
    {
        if (!any || r > value) value = r;
        any = true;
    }
};
struct VoidCombiner {
    using result_type = int; // number of slots called
    int value = 0;
};

template <class Sig, class Combiner = VoidCombiner>
class Signal;

template <class R, class... Args, class Combiner>
class Signal<R(Args...), Combiner> {
    struct Record : SlotRecordBase {
        std::function<R(Args...)> fn;
    };

public:
    Connection connect(std::function<R(Args...)> fn, int group = 0)
    {
        auto rec = std::make_shared<Record>();
        rec->fn = std::move(fn);
        rec->group = group;
        rec->seq = next_seq_++;
        // keep slots ordered by (group, seq): insert after the last slot of the same or lower group
        auto pos = std::upper_bound(slots_.begin(), slots_.end(), group,
                                    [](int g, const std::shared_ptr<Record> &s) { return g < s->group; });
        slots_.insert(pos, rec);
        return Connection(std::weak_ptr<SlotRecordBase>(std::static_pointer_cast<SlotRecordBase>(rec)));
    }

    typename Combiner::result_type emit(Args... args)
    {
        ++depth_;
        Combiner comb;
        // snapshot by index range: slots connected during emit land beyond `n` or shift positions,
        // so iterate over a copy of the current pointers
        std::vector<std::shared_ptr<Record>> snap(slots_.begin(), slots_.end());
        for (auto &s : snap) {
            if (!s->connected || s->blocked) continue;
            if constexpr (std::is_void_v<R>) {
                s->fn(args...);
                comb.value++;
            } else {
                comb(s->fn(args...));
            }
        }
        if (--depth_ == 0) compact();
        return comb.value;
    }

    size_t slot_count() const
    {
        size_t n = 0;
        for (auto &s : slots_) n += s->connected;
        return n;
    }

private:
    void compact()
    {
        slots_.erase(std::remove_if(slots_.begin(), slots_.end(), [](const std::shared_ptr<Record> &s) { return !s->connected; }),
                     slots_.end());
    }
    std::vector<std::shared_ptr<Record>> slots_;
    uint64_t next_seq_ = 0;
    int depth_ = 0;
};

} // namespace sig

template <class T>
class Property {
public:
    explicit Property(T v = T{}) : value_(v) {}
    const T &get() const { return value_; }
    void set(const T &v)
    {
        if (v == value_) return;
        T old = value_;
        value_ = v;
        changed.emit(old, value_);
    }
    sig::Signal<void(const T &, const T &)> changed;

private:
    T value_;
};

template <class T>
class Computed {
public:
    template <class F, class... Ps>
    Computed(F f, Ps &...inputs) : fn_(std::move(f))
    {
        (conns_.emplace_back(inputs.changed.connect([this](const auto &, const auto &) { recompute(); })), ...);
        recompute();
    }
    const T &get() const { return value_.get(); }
    Property<T> &prop() { return value_; }
    long evaluations = 0;

private:
    void recompute()
    {
        evaluations++;
        value_.set(fn_());
    }
    std::function<T()> fn_;
    Property<T> value_;
    std::vector<sig::ScopedConnection> conns_;
};

struct Tick {
    int symbol;
    int64_t price; // in cents
    int64_t volume;
};

class Observer {
public:
    virtual ~Observer() = default;
    virtual void on_tick(const Tick &t) = 0;
    virtual int64_t on_alert(int symbol, int64_t level) = 0;
    virtual uint64_t digest() const = 0;
};

class MovingAverage : public Observer {
public:
    explicit MovingAverage(int sym) : sym_(sym) {}
    void on_tick(const Tick &t) override
    {
        if (t.symbol != sym_) return;
        window_[pos_++ % 16] = t.price;
        n_ = std::min(n_ + 1, 16);
    }
    int64_t on_alert(int, int64_t) override { return average(); }
    int64_t average() const
    {
        int64_t s = 0;
        for (int i = 0; i < n_; i++) s += window_[i];
        return n_ ? s / n_ : 0;
    }
    uint64_t digest() const override { return (uint64_t)average(); }

private:
    int sym_, pos_ = 0, n_ = 0;
    int64_t window_[16] = {};
};

class Threshold : public Observer {
public:
    Threshold(int sym, int64_t level) : sym_(sym), level_(level) {}
    void on_tick(const Tick &t) override
    {
        if (t.symbol == sym_ && t.price > level_) crossings_++;
    }
    int64_t on_alert(int sym, int64_t level) override { return sym == sym_ && level > level_ ? 1 : 0; }
    uint64_t digest() const override { return crossings_; }

private:
    int sym_;
    int64_t level_;
    uint64_t crossings_ = 0;
};

class VolumeCounter : public Observer {
public:
    void on_tick(const Tick &t) override { total_ += (uint64_t)t.volume * (uint64_t)(t.symbol + 1); }
    int64_t on_alert(int, int64_t) override { return (int64_t)(total_ & 0xffff); }
    uint64_t digest() const override { return total_; }

private:
    uint64_t total_ = 0;
};

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 65);
    const int nsym = 8;
    int steps = scale * 10000;
    std::vector<Tick> feed((size_t)steps);
    bench_rng r = { 0x0b5e7e7ULL };
    std::vector<int64_t> px(nsym, 10000);
    for (auto &t : feed) {
        t.symbol = (int)rng_below(&r, nsym);
        int64_t move = (int64_t)rng_below(&r, 41) - 20;
        px[(size_t)t.symbol] = std::max<int64_t>(100, px[(size_t)t.symbol] + move);
        t.price = px[(size_t)t.symbol];
        t.volume = 1 + (int64_t)rng_below(&r, 500);
    }

    double t0 = bench_now();
    uint64_t h = 0;
    std::vector<std::unique_ptr<Property<int64_t>>> price;
    std::vector<std::unique_ptr<Property<int64_t>>> volume;
    for (int s = 0; s < nsym; s++) {
        price.push_back(std::make_unique<Property<int64_t>>(10000));
        volume.push_back(std::make_unique<Property<int64_t>>(0));
    }
    // derived values: pair spreads, basket, notional of symbol 0
    Computed<int64_t> spread01([&] { return price[0]->get() - price[1]->get(); }, *price[0], *price[1]);
    Computed<int64_t> spread23([&] { return price[2]->get() - price[3]->get(); }, *price[2], *price[3]);
    Computed<int64_t> basket([&] {
        int64_t s = 0;
        for (int i = 0; i < 4; i++) s += price[(size_t)i]->get();
        return s / 4;
    }, *price[0], *price[1], *price[2], *price[3]);
    Computed<int64_t> notional([&] { return price[0]->get() * volume[0]->get(); }, *price[0], *volume[0]);
    Computed<int64_t> hedge([&] { return basket.get() - spread01.get() / 2 + spread23.get(); }, basket.prop(),
                            spread01.prop(), spread23.prop());

    sig::Signal<void(const Tick &)> tick_sig;
    sig::Signal<int64_t(int, int64_t), sig::Sum<int64_t>> alert_sum;
    sig::Signal<int64_t(int, int64_t), sig::MaxOf<int64_t>> alert_max;
    std::vector<std::unique_ptr<Observer>> observers;
    struct Sub {
        sig::Connection tick, sum, max;
    };
    std::vector<Sub> subs;
    long model_tick_calls = 0, tick_calls = 0, hedge_changes = 0;
    auto hedge_conn = hedge.prop().changed.connect([&](const int64_t &, const int64_t &) { hedge_changes++; });
    (void)hedge_conn;
    // a self-disconnecting one-shot slot, connected at a high group so it runs last
    sig::Connection oneshot;
    int oneshot_fired = 0;

    bench_rng cr = { 0xfeedULL };
    for (int step = 0; step < steps; step++) {
        const Tick &t = feed[(size_t)step];
        // churn: add an observer every 50 steps, drop a random one once there are 40
        if (step % 50 == 0) {
            uint32_t pick = rng_below(&cr, 3);
            std::unique_ptr<Observer> o;
            if (pick == 0) o = std::make_unique<MovingAverage>((int)rng_below(&cr, nsym));
            else if (pick == 1) o = std::make_unique<Threshold>((int)rng_below(&cr, nsym), 9800 + (int64_t)rng_below(&cr, 400));
            else o = std::make_unique<VolumeCounter>();
            Observer *raw = o.get();
            Sub sub;
            sub.tick = tick_sig.connect([raw, &tick_calls](const Tick &tk) { raw->on_tick(tk); tick_calls++; }, (int)pick);
            sub.sum = alert_sum.connect([raw](int s, int64_t l) { return raw->on_alert(s, l); });
            sub.max = alert_max.connect([raw](int s, int64_t l) { return raw->on_alert(s, l); }, 1);
            subs.push_back(sub);
            observers.push_back(std::move(o));
        }
        if (step % 50 == 25 && subs.size() >= 40) {
            size_t k = rng_below(&cr, (uint32_t)subs.size());
            subs[k].tick.disconnect();
            subs[k].sum.disconnect();
            subs[k].max.disconnect();
            subs[k] = subs.back();
            subs.pop_back();
        }
        if (step % 333 == 0) {
            oneshot = tick_sig.connect([&oneshot, &oneshot_fired](const Tick &) {
                oneshot_fired++;
                oneshot.disconnect();
            }, 9);
        }
        long live = (long)subs.size();
        model_tick_calls += live;
        int fired_before = oneshot_fired;
        int called = tick_sig.emit(t);
        if (called != (int)(live + (step % 333 == 0 ? 1 : 0)) || oneshot_fired != fired_before + (step % 333 == 0))
            failures++;
        price[(size_t)t.symbol]->set(t.price);
        volume[(size_t)t.symbol]->set(volume[(size_t)t.symbol]->get() + t.volume);
        // recompute derived values from scratch
        int64_t p0 = price[0]->get(), p1 = price[1]->get(), p2 = price[2]->get(), p3 = price[3]->get();
        int64_t b = (p0 + p1 + p2 + p3) / 4;
        if (spread01.get() != p0 - p1 || spread23.get() != p2 - p3 || basket.get() != b ||
            notional.get() != p0 * volume[0]->get() || hedge.get() != b - (p0 - p1) / 2 + (p2 - p3))
            failures++;
        if (step % 10 == 0) {
            int64_t s = alert_sum.emit(t.symbol, t.price), m = alert_max.emit(t.symbol, t.price);
            if (alert_sum.slot_count() != subs.size() || alert_max.slot_count() != subs.size()) failures++;
            h = mix64(h, (uint64_t)s);
            h = mix64(h, (uint64_t)m);
        }
    }
    if (tick_calls != model_tick_calls) failures++;
    if (oneshot_fired != (steps - 1) / 333 + 1) failures++;
    for (auto &o : observers) h = mix64(h, o->digest());
    h = mix64(h, (uint64_t)hedge_changes);
    h = mix64(h, (uint64_t)(spread01.evaluations + basket.evaluations + hedge.evaluations + notional.evaluations));
    h = mix64(h, tick_sig.slot_count());
    bench_report(t0);
    printf("signal_slots: steps=%d observers=%zu live_slots=%zu tick_calls=%ld hedge_changes=%ld failures=%d checksum=%016llx\n",
           steps, observers.size(), tick_sig.slot_count(), tick_calls, hedge_changes, failures, (unsigned long long)h);
    return failures != 0;
}
