// cache_policies.cpp — cache replacement policies behind a virtual interface, replayed on
// synthetic access traces.
//
// Policies derive from an abstract Cache class: LRU (open-addressing hash map with backward-
// shift deletion plus a doubly linked recency list threaded through a node pool by index),
// CLOCK (second chance with a reference bit per slot and a rotating hand), LFU (frequency and
// recency ordered in a std::set of tuples, ties evicting the least recently used), ARC
// (Megiddo and Modha: recency and frequency lists with ghost lists steering an adaptive target)
// and Belady's offline optimum (next-use indices precomputed from the trace, a max-heap with lazy
// deletion). Each round generates fresh traces -- Zipf-distributed keys drawn by binary search of
// a cumulative distribution, a cyclic scan slightly larger than the cache, working sets that
// shift between phases, and a hot set mixed with long one-time scans -- and replays them through
// every policy at two capacities. Checks: on short traces over small key universes every
// policy's hit/miss sequence equals that of a slow reference model written with linear searches
// (the optimum by hit count, against farthest-next-use scanning); the optimum never has fewer hits than any policy; LRU hit
// counts equal those from Mattson stack distances computed with a Fenwick tree; sizes and ARC's
// list invariants hold throughout, and every accessed key is resident afterwards.
#include "../programs/bench.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <list>
#include <memory>
#include <queue>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "cache_policies/flat_map.h"
#include "cache_policies/policies.h"
#include "cache_policies/reference.h"

static unsigned failures;

static uint64_t scramble(uint64_t k) { return (k * 0x9E3779B97F4A7C15ULL) ^ (k >> 7); }

class TraceGen {
public:
    explicit TraceGen(bench_rng &r) : rng_(r) {}

    std::vector<uint64_t> zipf(size_t n, size_t universe, double skew_half)
    {
        // weights 1 / (i + 1)^s for s = 1 or 0.5 (the latter via sqrt)
        std::vector<double> cdf(universe);
        double sum = 0;
        for (size_t i = 0; i < universe; i++) {
            double x = static_cast<double>(i + 1);
            sum += skew_half ? 1.0 / std::sqrt(x) : 1.0 / x;
            cdf[i] = sum;
        }
        std::vector<uint64_t> t(n);
        for (auto &k : t) {
            double u = unit() * sum;
            size_t r = static_cast<size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
            if (r >= universe) r = universe - 1;
            k = scramble(r + salt_);
        }
        salt_ += universe;
        return t;
    }
    std::vector<uint64_t> loop(size_t n, size_t len)
    {
        std::vector<uint64_t> t(n);
        for (size_t i = 0; i < n; i++) t[i] = scramble(salt_ + i % len);
        salt_ += len;
        return t;
    }
    std::vector<uint64_t> phases(size_t n, size_t set_size, size_t phase_len)
    {
        std::vector<uint64_t> t(n);
        for (size_t i = 0; i < n; i++) {
            size_t phase = i / phase_len;
            t[i] = scramble(salt_ + phase * set_size / 2 + rng_below(&rng_, static_cast<uint32_t>(set_size)));
        }
        salt_ += n;
        return t;
    }
    std::vector<uint64_t> hot_and_scans(size_t n, size_t hot)
    {
        std::vector<uint64_t> t(n);
        uint64_t scan = 1u << 30;
        for (size_t i = 0; i < n; i++)
            t[i] = rng_below(&rng_, 10) < 7 ? scramble(salt_ + rng_below(&rng_, static_cast<uint32_t>(hot)))
                                             : scramble(salt_ + scan++);
        salt_ += hot + (1u << 31);
        return t;
    }

private:
    double unit() { return static_cast<double>(rng_next(&rng_) >> 11) * (1.0 / 9007199254740992.0); }
    bench_rng &rng_;
    uint64_t salt_ = 1;
};

static std::unique_ptr<Cache> make_cache(int kind, size_t cap, const std::vector<uint64_t> &trace)
{
    switch (kind) {
    case 0: return std::make_unique<LruCache>(cap);
    case 1: return std::make_unique<ClockCache>(cap);
    case 2: return std::make_unique<LfuCache>(cap);
    case 3: return std::make_unique<ArcCache>(cap);
    default: return std::make_unique<OptCache>(cap, trace);
    }
}

// Replays n accesses; returns hits and optionally the hit vector.
static size_t replay(Cache &c, const std::vector<uint64_t> &trace, size_t n, std::vector<uint8_t> *hits)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        bool h = c.access(trace[i]);
        count += h;
        if (hits) hits->push_back(h);
        if ((i & 1023) == 0 && (!c.invariants() || !c.contains(trace[i]))) failures++;
    }
    if (!c.invariants() || c.size() > c.capacity()) failures++;
    return count;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 14);
    bench_rng rng = { 0xCAC4E5EED0000001ULL };
    TraceGen gen(rng);
    uint64_t h = 0;
    unsigned long long total_hits = 0;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        std::vector<std::vector<uint64_t>> traces;
        size_t n = 10000;
        traces.push_back(gen.zipf(n, 20000 + rng_below(&rng, 20000), 0));
        traces.push_back(gen.zipf(n, 5000 + rng_below(&rng, 5000), 1));
        traces.push_back(gen.loop(n, 1100 + rng_below(&rng, 600)));
        traces.push_back(gen.phases(n, 800 + rng_below(&rng, 1600), 2500));
        traces.push_back(gen.hot_and_scans(n, 300 + rng_below(&rng, 900)));
        for (const auto &trace : traces) {
            size_t caps[2] = { 256 + rng_below(&rng, 256), 1024 + rng_below(&rng, 1024) };
            std::vector<size_t> hist = stack_distances(trace, 2048);
            for (size_t cap : caps) {
                size_t hits[5];
                for (int kind = 0; kind < 5; kind++) {
                    std::unique_ptr<Cache> c = make_cache(kind, cap, trace);
                    hits[kind] = replay(*c, trace, trace.size(), nullptr);
                    h = mix64(h, hits[kind]);
                    total_hits += hits[kind];
                }
                for (int kind = 0; kind < 4; kind++)
                    if (hits[4] < hits[kind]) failures++;
                size_t lru_expected = 0;
                for (size_t d = 1; d <= cap; d++) lru_expected += hist[d];
                if (lru_expected != hits[0]) failures++;
            }
        }
        // short traces over universes a few times the cache size, against the reference models
        for (int t = 0; t < 3; t++) {
            size_t m = 1200, small = 16 + rng_below(&rng, 48);
            std::vector<uint64_t> trace = t == 0 ? gen.zipf(m, 3 * small, 1)
                : t == 1 ? gen.phases(m, 2 * small, 150 + rng_below(&rng, 300))
                         : gen.hot_and_scans(m, small + small / 2);
            using RefFn = std::vector<uint8_t> (*)(const std::vector<uint64_t> &, size_t, size_t);
            const RefFn refs[4] = { ref_lru, ref_clock, ref_lfu, ref_arc };
            for (int kind = 0; kind < 4; kind++) {
                std::unique_ptr<Cache> c = make_cache(kind, small, trace);
                std::vector<uint8_t> fast;
                replay(*c, trace, m, &fast);
                if (fast != refs[kind](trace, m, small)) failures++;
                for (uint8_t x : fast) h = mix64(h, x);
            }
            OptCache opt(small, trace);
            if (replay(opt, trace, m, nullptr) != ref_opt_hits(trace, m, small)) failures++;
        }
    }
    bench_report(t0);
    std::printf("cache_policies: hits=%llu hash=%016llx failures=%u\n", total_hits, static_cast<unsigned long long>(h),
                failures);
    return failures != 0;
}
