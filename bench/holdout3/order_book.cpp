// order_book — C++: a limit-order-book matching engine with price-time priority: std::map price
// levels holding std::list queues, an unordered_map order index for cancels/amends, and std::priority_queue stop books.
//
// A generated stream of limit, market, cancel, amend and stop orders is replayed each round; the
// checksum folds in every trade (price, quantity, maker and taker ids) and the final book depth.
#include "../programs/bench.h"

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <queue>
#include <unordered_map>
#include <vector>

namespace {

enum class Side : uint8_t { Buy, Sell };
enum class Kind : uint8_t { Limit, Market, Cancel, Amend, Stop };

struct Event {
    Kind kind;
    Side side;
    int64_t price;      // ticks; stop trigger for Stop
    int64_t qty;
    uint64_t target;    // for Cancel/Amend: an earlier order id
};

struct Order {
    uint64_t id;
    int64_t qty;
    int64_t price;
    Side side;
};

struct StopOrder {
    int64_t trigger;
    uint64_t id;
    int64_t qty;
};

struct StopLess {   // min-heap on trigger, then id
    bool operator()(const StopOrder &a, const StopOrder &b) const
    {
        return a.trigger != b.trigger ? a.trigger > b.trigger : a.id > b.id;
    }
};
struct StopGreater {  // max-heap on trigger, then smaller id first
    bool operator()(const StopOrder &a, const StopOrder &b) const
    {
        return a.trigger != b.trigger ? a.trigger < b.trigger : a.id > b.id;
    }
};

class OrderBook {
public:
    using Queue = std::list<Order>;

    uint64_t trade_hash = 0;
    uint64_t trades = 0;
    int64_t volume = 0;
    int64_t last_price = 0;

    void limit(uint64_t id, Side side, int64_t price, int64_t qty)
    {
        qty = match(id, side, price, qty);
        if (qty > 0) rest(id, side, price, qty);
        fire_stops();
    }

    void market(uint64_t id, Side side, int64_t qty)
    {
        match(id, side, side == Side::Buy ? INT64_MAX : INT64_MIN, qty);
        fire_stops();
    }

    bool cancel(uint64_t id)
    {
        auto it = index_.find(id);
        if (it == index_.end()) return false;
        Order &o = *it->second;
        if (o.side == Side::Buy) erase_from(bids_, o.price, it->second);
        else erase_from(asks_, o.price, it->second);
        index_.erase(it);
        return true;
    }

    // Reducing quantity keeps time priority; increasing it or changing price re-queues the order.
    bool amend(uint64_t id, int64_t new_price, int64_t new_qty)
    {
        auto it = index_.find(id);
        if (it == index_.end()) return false;
        Order &o = *it->second;
        if (new_price == o.price && new_qty <= o.qty) {
            o.qty = new_qty;
            return true;
        }
        Side side = o.side;
        cancel(id);
        limit(id, side, new_price, new_qty);
        return true;
    }

    void stop(uint64_t id, Side side, int64_t trigger, int64_t qty)
    {
        if (side == Side::Buy) buy_stops_.push({ trigger, id, qty });
        else sell_stops_.push({ trigger, id, qty });
    }

    uint64_t depth_hash() const
    {
        uint64_t h = 0;
        int n = 0;
        for (const auto &lvl : bids_) {
            int64_t q = 0;
            for (const Order &o : lvl.second) q += o.qty;
            h = mix64(h, (uint64_t)lvl.first * 31u + (uint64_t)q);
            if (++n == 20) break;
        }
        n = 0;
        for (const auto &lvl : asks_) {
            int64_t q = 0;
            for (const Order &o : lvl.second) q += o.qty;
            h = mix64(h, (uint64_t)lvl.first * 37u + (uint64_t)q);
            if (++n == 20) break;
        }
        return mix64(h, (uint64_t)(bids_.size() * 1000 + asks_.size()) + index_.size());
    }

    size_t resting() const { return index_.size(); }

private:
    std::map<int64_t, Queue, std::greater<int64_t>> bids_;
    std::map<int64_t, Queue> asks_;
    std::unordered_map<uint64_t, Queue::iterator> index_;
    std::priority_queue<StopOrder, std::vector<StopOrder>, StopLess> buy_stops_;      // fire when price >= trigger
    std::priority_queue<StopOrder, std::vector<StopOrder>, StopGreater> sell_stops_;  // fire when price <= trigger
    int stop_depth_ = 0;

    template <class Book>
    void erase_from(Book &book, int64_t price, Queue::iterator oit)
    {
        auto lvl = book.find(price);
        lvl->second.erase(oit);
        if (lvl->second.empty()) book.erase(lvl);
    }

    void record(uint64_t maker, uint64_t taker, int64_t price, int64_t qty)
    {
        trades++;
        volume += qty;
        last_price = price;
        trade_hash = mix64(trade_hash, (uint64_t)price * 1000003u + (uint64_t)qty);
        trade_hash = mix64(trade_hash, maker * 65537u ^ taker);
    }

    template <class Book, class Crosses>
    int64_t match_against(Book &book, uint64_t taker, int64_t qty, Crosses crosses)
    {
        while (qty > 0 && !book.empty()) {
            auto lvl = book.begin();
            if (!crosses(lvl->first)) break;
            Queue &q = lvl->second;
            while (qty > 0 && !q.empty()) {
                Order &maker = q.front();
                int64_t fill = maker.qty < qty ? maker.qty : qty;
                record(maker.id, taker, lvl->first, fill);
                maker.qty -= fill;
                qty -= fill;
                if (maker.qty == 0) {
                    index_.erase(maker.id);
                    q.pop_front();
                }
            }
            if (q.empty()) book.erase(lvl);
        }
        return qty;
    }

    int64_t match(uint64_t id, Side side, int64_t price, int64_t qty)
    {
        if (side == Side::Buy) return match_against(asks_, id, qty, [price](int64_t p) { return p <= price; });
        return match_against(bids_, id, qty, [price](int64_t p) { return p >= price; });
    }

    void rest(uint64_t id, Side side, int64_t price, int64_t qty)
    {
        Queue &q = side == Side::Buy ? bids_[price] : asks_[price];
        q.push_back(Order{ id, qty, price, side });
        index_[id] = std::prev(q.end());
    }

    void fire_stops()
    {
        if (stop_depth_ > 0 || trades == 0) return;   // triggered orders may trigger more, handled by the loop
        stop_depth_++;
        for (;;) {
            if (!buy_stops_.empty() && last_price >= buy_stops_.top().trigger) {
                StopOrder s = buy_stops_.top();
                buy_stops_.pop();
                match(s.id, Side::Buy, INT64_MAX, s.qty);
            } else if (!sell_stops_.empty() && last_price <= sell_stops_.top().trigger) {
                StopOrder s = sell_stops_.top();
                sell_stops_.pop();
                match(s.id, Side::Sell, INT64_MIN, s.qty);
            } else {
                break;
            }
        }
        stop_depth_--;
    }
};

std::vector<Event> generate(bench_rng &rng, size_t n)
{
    std::vector<Event> ev;
    ev.reserve(n);
    int64_t mid = 10000;
    for (size_t i = 0; i < n; i++) {
        if (rng_below(&rng, 16) == 0) mid += (int64_t)rng_below(&rng, 21) - 10;
        if (mid < 500) mid = 500;
        Event e{};
        uint32_t r = rng_below(&rng, 100);
        e.side = rng_below(&rng, 2) ? Side::Buy : Side::Sell;
        e.qty = 1 + (int64_t)rng_below(&rng, 50) * (1 + (int64_t)rng_below(&rng, 4));
        int64_t off = (int64_t)rng_below(&rng, 30);
        if (r < 58) {
            e.kind = Kind::Limit;
            // mostly passive, sometimes aggressive
            int64_t edge = rng_below(&rng, 5) == 0 ? -(off / 3) : off + 1;
            e.price = e.side == Side::Buy ? mid - edge : mid + edge;
        } else if (r < 64) {
            e.kind = Kind::Market;
        } else if (r < 86) {
            e.kind = Kind::Cancel;
            e.target = i > 0 ? i - 1 - rng_below(&rng, (uint32_t)(i < 400 ? i : 400)) : 0;
        } else if (r < 96) {
            e.kind = Kind::Amend;
            e.target = i > 0 ? i - 1 - rng_below(&rng, (uint32_t)(i < 400 ? i : 400)) : 0;
            e.price = e.side == Side::Buy ? mid - off : mid + off;   // side of amend ignored; price reused
        } else {
            e.kind = Kind::Stop;
            e.price = e.side == Side::Buy ? mid + 15 + off : mid - 15 - off;
        }
        ev.push_back(e);
    }
    return ev;
}

}  // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 50);
    bench_rng rng{ 0x6f72646572626b31ULL };
    const size_t nevents = 200000;
    std::vector<Event> events = generate(rng, nevents);

    double start = bench_now();
    uint64_t h = 0;
    uint64_t total_trades = 0;
    int64_t total_volume = 0;
    for (int round = 0; round < scale; round++) {
        OrderBook book;
        int64_t shift = (int64_t)(round % 9) * 3;
        unsigned failed = 0;
        for (size_t i = 0; i < events.size(); i++) {
            const Event &e = events[i];
            uint64_t id = i;
            switch (e.kind) {
            case Kind::Limit: book.limit(id, e.side, e.price + shift, e.qty); break;
            case Kind::Market: book.market(id, e.side, e.qty); break;
            case Kind::Cancel: failed += !book.cancel(e.target); break;
            case Kind::Amend: failed += !book.amend(e.target, e.price + shift, e.qty); break;
            case Kind::Stop: book.stop(id, e.side, e.price + shift, e.qty); break;
            }
        }
        total_trades += book.trades;
        total_volume += book.volume;
        h = mix64(h, book.trade_hash);
        h = mix64(h, book.depth_hash());
        h = mix64(h, failed);
        h = mix64(h, book.resting());
    }
    bench_report(start);
    printf("order_book rounds=%d trades=%llu volume=%lld checksum=%016llx\n", scale, (unsigned long long)total_trades,
           (long long)total_volume, (unsigned long long)h);
    return 0;
}
