// interval_index.cpp — interval containers over std::map / std::set, the way a scheduler or an
// address-space manager keeps them:
//   IntervalSet       disjoint half-open ranges in std::map<lo, hi>, insert with coalescing, erase
//                     with splitting, membership, covered length inside a window, gap search;
//   IntervalMap<V>    piecewise-constant assignment (boundary map from key to std::optional<V>)
//                     with range assign, point lookup, neighbour coalescing and a range fold;
//   DepthIndex        difference counts in std::map<key, int> plus a std::multiset of lengths,
//                     maximum overlap depth over a window and total live length;
//   overlap queries   std::set<(start, id)> and a std::map id -> end, rebuilt per query.
// Every operation is checked against flat array models of the key domain. SCALE = batches.
#include "../programs/bench.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

static int failures;
static constexpr int DOMAIN = 1 << 15;

class IntervalSet {
public:
    void insert(int lo, int hi)
    {
        if (lo >= hi) return;
        auto it = ranges_.upper_bound(lo);
        if (it != ranges_.begin()) {
            auto prev = std::prev(it);
            if (prev->second >= lo) {
                lo = prev->first;
                hi = std::max(hi, prev->second);
                it = ranges_.erase(prev);
            }
        }
        while (it != ranges_.end() && it->first <= hi) {
            hi = std::max(hi, it->second);
            it = ranges_.erase(it);
        }
        ranges_.emplace(lo, hi);
    }
    void erase(int lo, int hi)
    {
        if (lo >= hi) return;
        auto it = ranges_.upper_bound(lo);
        if (it != ranges_.begin()) --it;
        std::vector<std::pair<int, int>> keep;
        while (it != ranges_.end() && it->first < hi) {
            if (it->second <= lo) { ++it; continue; }
            if (it->first < lo) keep.emplace_back(it->first, lo);
            if (it->second > hi) keep.emplace_back(hi, it->second);
            it = ranges_.erase(it);
        }
        for (auto &k : keep) ranges_.emplace(k.first, k.second);
    }
    bool contains(int x) const
    {
        auto it = ranges_.upper_bound(x);
        if (it == ranges_.begin()) return false;
        --it;
        return x < it->second;
    }
    long covered(int lo, int hi) const
    {
        long total = 0;
        auto it = ranges_.upper_bound(lo);
        if (it != ranges_.begin()) --it;
        for (; it != ranges_.end() && it->first < hi; ++it) {
            int a = std::max(lo, it->first), b = std::min(hi, it->second);
            if (b > a) total += b - a;
        }
        return total;
    }
    // first gap of at least len starting at or after from (within the domain), or -1
    int find_gap(int from, int len) const
    {
        int pos = from;
        auto it = ranges_.upper_bound(pos);
        if (it != ranges_.begin()) {
            auto prev = std::prev(it);
            if (prev->second > pos) pos = prev->second;
        }
        for (; it != ranges_.end(); ++it) {
            if (it->first - pos >= len) return pos;
            pos = std::max(pos, it->second);
        }
        return DOMAIN - pos >= len ? pos : -1;
    }
    size_t size() const { return ranges_.size(); }
    const std::map<int, int> &ranges() const { return ranges_; }

private:
    std::map<int, int> ranges_;
};

template <class V>
class IntervalMap {
public:
    void assign(int lo, int hi, std::optional<V> v)
    {
        if (lo >= hi) return;
        std::optional<V> after = at(hi);
        std::optional<V> before = lo > 0 ? at(lo - 1) : std::nullopt;
        auto first = bounds_.lower_bound(lo), last = bounds_.lower_bound(hi);
        bounds_.erase(first, last);
        bounds_[hi] = after;
        bounds_[lo] = v;
        // coalesce with neighbours holding the same value
        auto it = bounds_.find(hi);
        if (it != bounds_.end() && it->second == v) bounds_.erase(it);
        it = bounds_.find(lo);
        if (it != bounds_.begin() && before == v) bounds_.erase(it);
    }
    std::optional<V> at(int x) const
    {
        auto it = bounds_.upper_bound(x);
        if (it == bounds_.begin()) return std::nullopt;
        return std::prev(it)->second;
    }
    template <class F, class Acc>
    Acc fold(int lo, int hi, Acc acc, F f) const
    {
        auto it = bounds_.upper_bound(lo);
        int start = lo;
        std::optional<V> cur = it == bounds_.begin() ? std::nullopt : std::prev(it)->second;
        for (; it != bounds_.end() && it->first < hi; ++it) {
            if (cur) acc = f(acc, *cur, it->first - start);
            start = it->first;
            cur = it->second;
        }
        if (cur) acc = f(acc, *cur, hi - start);
        return acc;
    }
    size_t pieces() const { return bounds_.size(); }

private:
    std::map<int, std::optional<V>> bounds_;
};

class DepthIndex {
public:
    void add(int lo, int hi)
    {
        delta_[lo] += 1;
        delta_[hi] -= 1;
        lengths_.insert(hi - lo);
    }
    void remove(int lo, int hi)
    {
        if (--delta_[lo] == 0) delta_.erase(lo);
        if (++delta_[hi] == 0) delta_.erase(hi);
        lengths_.erase(lengths_.find(hi - lo));
    }
    int max_depth(int lo, int hi) const
    {
        int depth = 0;
        auto it = delta_.begin();
        for (; it != delta_.end() && it->first <= lo; ++it) depth += it->second;
        int best = depth;
        for (; it != delta_.end() && it->first < hi; ++it) {
            depth += it->second;
            best = std::max(best, depth);
        }
        return best;
    }
    int longest() const { return lengths_.empty() ? 0 : *lengths_.rbegin(); }
    int median_length() const
    {
        if (lengths_.empty()) return 0;
        auto it = lengths_.begin();
        std::advance(it, (long)(lengths_.size() / 2));
        return *it;
    }

private:
    std::map<int, int> delta_;
    std::multiset<int> lengths_;
};

struct Iv {
    int lo, hi, id;
};

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 28);
    const int ops_per_batch = 4000;
    int nops = scale * ops_per_batch;
    struct Op { uint32_t kind; int lo, hi; uint32_t val; };
    std::vector<Op> ops((size_t)nops);
    bench_rng r = { 0x17e7a1ULL };
    for (auto &op : ops) {
        op.kind = rng_below(&r, 100);
        op.lo = (int)rng_below(&r, DOMAIN - 1);
        int len = rng_below(&r, 8) == 0 ? 1 + (int)rng_below(&r, 3000) : 1 + (int)rng_below(&r, 120);
        op.hi = std::min(DOMAIN, op.lo + len);
        op.val = rng_below(&r, 6);
    }
    std::vector<unsigned char> set_model(DOMAIN, 0);
    std::vector<int> map_model(DOMAIN, -1), depth_model(DOMAIN, 0);

    double t0 = bench_now();
    IntervalSet iset;
    IntervalMap<int> imap;
    DepthIndex depth;
    std::vector<Iv> live;
    uint64_t h = 0;
    int next_id = 0;
    for (int i = 0; i < nops; i++) {
        const Op &op = ops[(size_t)i];
        int lo = op.lo, hi = op.hi;
        if (op.kind < 20) {
            iset.insert(lo, hi);
            std::fill(set_model.begin() + lo, set_model.begin() + hi, 1);
        } else if (op.kind < 32) {
            iset.erase(lo, hi);
            std::fill(set_model.begin() + lo, set_model.begin() + hi, 0);
        } else if (op.kind < 40) {
            long c = iset.covered(lo, hi);
            long m = std::count(set_model.begin() + lo, set_model.begin() + hi, 1);
            if (c != m || iset.contains(lo) != (set_model[(size_t)lo] != 0)) failures++;
            int len = 1 + (hi - lo) / 4;
            int g = iset.find_gap(lo, len), mg = -1;
            for (int p = lo, run = 0; p < DOMAIN; p++) {
                run = set_model[(size_t)p] ? 0 : run + 1;
                if (run == len) { mg = p - len + 1; break; }
            }
            if (g != mg) failures++;
            h = mix64(h, (uint64_t)c << 20 ^ (uint64_t)(g + 1));
        } else if (op.kind < 60) {
            std::optional<int> v;
            if (op.val != 5) v = (int)op.val;
            imap.assign(lo, hi, v);
            std::fill(map_model.begin() + lo, map_model.begin() + hi, v ? *v : -1);
        } else if (op.kind < 70) {
            auto sum = imap.fold(lo, hi, 0L, [](long acc, int v, int len) { return acc + (long)(v + 1) * len; });
            long ms = 0;
            for (int p = lo; p < hi; p++) ms += map_model[(size_t)p] + 1;
            auto v = imap.at(hi - 1);
            if (sum != ms || (v ? *v : -1) != map_model[(size_t)(hi - 1)]) failures++;
            h = mix64(h, (uint64_t)sum);
        } else if ((op.kind < 82 && live.size() < 400) || live.empty()) {
            depth.add(lo, hi);
            live.push_back({ lo, hi, next_id++ });
            for (int p = lo; p < hi; p++) depth_model[(size_t)p]++;
        } else if (op.kind < 92) {
            size_t k = (size_t)(op.val * 7919u + (uint32_t)i) % live.size();
            Iv iv = live[k];
            live[k] = live.back();
            live.pop_back();
            depth.remove(iv.lo, iv.hi);
            for (int p = iv.lo; p < iv.hi; p++) depth_model[(size_t)p]--;
        } else {
            int d = depth.max_depth(lo, hi);
            int md = *std::max_element(depth_model.begin() + lo, depth_model.begin() + hi);
            if (d != md) failures++;
            // overlap enumeration: ids of live intervals meeting [lo, hi), via a sorted start index
            std::set<std::pair<int, int>> by_start;
            std::map<int, int> end_of;
            for (const Iv &iv : live) {
                by_start.emplace(iv.lo, iv.id);
                end_of.emplace(iv.id, iv.hi);
            }
            int hits = 0;
            for (auto it = by_start.begin(); it != by_start.end() && it->first < hi; ++it)
                if (end_of.find(it->second)->second > lo) hits++;
            int mh = 0;
            for (const Iv &iv : live) if (iv.lo < hi && iv.hi > lo) mh++;
            if (hits != mh) failures++;
            h = mix64(h, (uint64_t)d << 32 | (uint64_t)hits);
        }
        if ((i + 1) % ops_per_batch == 0) {
            // full structural check of the set: disjoint, non-adjacent, matches the model
            int prev_hi = -1;
            long total = 0;
            for (auto &kv : iset.ranges()) {
                if (kv.first <= prev_hi || kv.first >= kv.second) failures++;
                prev_hi = kv.second;
                total += kv.second - kv.first;
            }
            if (total != std::count(set_model.begin(), set_model.end(), 1)) failures++;
            h = mix64(h, iset.size());
            h = mix64(h, imap.pieces());
            h = mix64(h, (uint64_t)depth.longest() << 16 | (uint64_t)depth.median_length());
        }
    }
    bench_report(t0);
    printf("interval_index: ops=%d set_ranges=%zu map_pieces=%zu live=%zu failures=%d checksum=%016llx\n", nops,
           iset.size(), imap.pieces(), live.size(), failures, (unsigned long long)h);
    return failures != 0;
}
