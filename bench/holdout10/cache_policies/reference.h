// cache_policies/reference.h — slow reference models written directly from the policy
// descriptions (linear searches over std::vector / std::list), Belady's optimum by scanning for
// the farthest next use, and Mattson's stack distances with a Fenwick tree (LRU hit counts for
// every capacity at once).

static std::vector<uint8_t> ref_lru(const std::vector<uint64_t> &trace, size_t n, size_t cap)
{
    std::vector<uint64_t> order; // most recent first
    std::vector<uint8_t> hits;
    for (size_t i = 0; i < n; i++) {
        auto it = std::find(order.begin(), order.end(), trace[i]);
        bool hit = it != order.end();
        if (hit) order.erase(it);
        else if (order.size() == cap) order.pop_back();
        order.insert(order.begin(), trace[i]);
        hits.push_back(hit);
    }
    return hits;
}

static std::vector<uint8_t> ref_clock(const std::vector<uint64_t> &trace, size_t n, size_t cap)
{
    std::vector<uint64_t> keys;
    std::vector<uint8_t> ref, hits;
    size_t hand = 0;
    for (size_t i = 0; i < n; i++) {
        auto it = std::find(keys.begin(), keys.end(), trace[i]);
        if (it != keys.end()) {
            ref[static_cast<size_t>(it - keys.begin())] = 1;
            hits.push_back(1);
            continue;
        }
        hits.push_back(0);
        if (keys.size() < cap) {
            keys.push_back(trace[i]);
            ref.push_back(0);
            continue;
        }
        while (ref[hand]) { // second chance
            ref[hand] = 0;
            hand = (hand + 1) % cap;
        }
        keys[hand] = trace[i];
        ref[hand] = 0;
        hand = (hand + 1) % cap;
    }
    return hits;
}

static std::vector<uint8_t> ref_lfu(const std::vector<uint64_t> &trace, size_t n, size_t cap)
{
    struct E { uint64_t key, freq, last; };
    std::vector<E> entries;
    std::vector<uint8_t> hits;
    for (size_t i = 0; i < n; i++) {
        auto it = std::find_if(entries.begin(), entries.end(), [&](const E &e) { return e.key == trace[i]; });
        if (it != entries.end()) {
            it->freq++;
            it->last = i;
            hits.push_back(1);
            continue;
        }
        hits.push_back(0);
        if (entries.size() == cap) {
            auto victim = std::min_element(entries.begin(), entries.end(), [](const E &a, const E &b) {
                return a.freq != b.freq ? a.freq < b.freq : a.last < b.last;
            });
            entries.erase(victim);
        }
        entries.push_back({ trace[i], 1, i });
    }
    return hits;
}

static std::vector<uint8_t> ref_arc(const std::vector<uint64_t> &trace, size_t n, size_t cap)
{
    std::list<uint64_t> t1, t2, b1, b2; // front = most recent
    long c = static_cast<long>(cap), p = 0;
    std::vector<uint8_t> hits;
    auto in = [](std::list<uint64_t> &l, uint64_t x) { return std::find(l.begin(), l.end(), x) != l.end(); };
    auto sz = [](const std::list<uint64_t> &l) { return static_cast<long>(l.size()); };
    auto replace = [&](bool x_in_b2) {
        if (!t1.empty() && ((x_in_b2 && sz(t1) == p) || sz(t1) > p)) {
            b1.push_front(t1.back());
            t1.pop_back();
        } else {
            b2.push_front(t2.back());
            t2.pop_back();
        }
    };
    for (size_t i = 0; i < n; i++) {
        uint64_t x = trace[i];
        if (in(t1, x) || in(t2, x)) {
            t1.remove(x);
            t2.remove(x);
            t2.push_front(x);
            hits.push_back(1);
            continue;
        }
        hits.push_back(0);
        if (in(b1, x)) {
            p = std::min(c, p + std::max(sz(b2) / sz(b1), 1L));
            replace(false);
            b1.remove(x);
            t2.push_front(x);
        } else if (in(b2, x)) {
            p = std::max(0L, p - std::max(sz(b1) / sz(b2), 1L));
            replace(true);
            b2.remove(x);
            t2.push_front(x);
        } else {
            if (sz(t1) + sz(b1) == c) {
                if (sz(t1) < c) {
                    b1.pop_back();
                    replace(false);
                } else {
                    t1.pop_back();
                }
            } else if (sz(t1) + sz(t2) + sz(b1) + sz(b2) >= c) {
                if (sz(t1) + sz(t2) + sz(b1) + sz(b2) == 2 * c) b2.pop_back();
                replace(false);
            }
            t1.push_front(x);
        }
    }
    return hits;
}

static size_t ref_opt_hits(const std::vector<uint64_t> &trace, size_t n, size_t cap)
{
    struct E { uint64_t key; size_t next; };
    std::vector<E> cache;
    size_t hits = 0;
    auto next_use = [&](size_t i) { // forward scan for the next occurrence of trace[i]
        size_t j = i + 1;
        while (j < n && trace[j] != trace[i]) j++;
        return j;
    };
    for (size_t i = 0; i < n; i++) {
        auto it = std::find_if(cache.begin(), cache.end(), [&](const E &e) { return e.key == trace[i]; });
        if (it != cache.end()) {
            hits++;
            it->next = next_use(i);
            continue;
        }
        if (cache.size() == cap) {
            auto victim = std::max_element(cache.begin(), cache.end(),
                                           [](const E &a, const E &b) { return a.next < b.next; });
            cache.erase(victim);
        }
        cache.push_back({ trace[i], next_use(i) });
    }
    return hits;
}

// hist[d] = number of accesses at LRU stack distance d (d >= 1); first uses are not counted.
static std::vector<size_t> stack_distances(const std::vector<uint64_t> &trace, size_t max_d)
{
    size_t n = trace.size();
    std::vector<int> fen(n + 1, 0);
    auto add = [&](size_t i, int v) { for (i++; i <= n; i += i & (0 - i)) fen[i] += v; };
    auto prefix = [&](size_t i) { int s = 0; for (; i > 0; i -= i & (0 - i)) s += fen[i]; return s; };
    FlatMap<size_t> last(n / 4 + 16);
    std::vector<size_t> hist(max_d + 2, 0);
    for (size_t i = 0; i < n; i++) {
        if (size_t *j = last.find(trace[i])) {
            size_t d = static_cast<size_t>(prefix(i) - prefix(*j + 1)) + 1; // distinct keys since, plus itself
            hist[d <= max_d ? d : max_d + 1]++;
            add(*j, -1);
            *j = i;
        } else {
            last.insert(trace[i], i);
        }
        add(i, 1);
    }
    return hist;
}
