// cache_policies/policies.h — the Cache interface and the fast policies: LRU, CLOCK, LFU
// (least frequently used, ties to the least recent), ARC and Belady's offline optimum.

class Cache {
public:
    explicit Cache(size_t capacity) : capacity_(capacity) {}
    virtual ~Cache() = default;
    virtual bool access(uint64_t key) = 0; // true on a hit; a miss always inserts the key
    virtual bool contains(uint64_t key) = 0;
    virtual size_t size() const = 0;
    virtual bool invariants() const { return size() <= capacity_; }
    virtual const char *name() const = 0;
    size_t capacity() const { return capacity_; }

protected:
    size_t capacity_;
};

class LruCache final : public Cache {
public:
    explicit LruCache(size_t cap) : Cache(cap), map_(cap), lists_(cap, 1) {}
    bool access(uint64_t key) override
    {
        if (int *n = map_.find(key)) {
            lists_.unlink(*n);
            lists_.push_front(0, *n);
            return true;
        }
        int n;
        if (used_ < capacity_) {
            n = static_cast<int>(used_++);
        } else {
            n = lists_.back(0);
            lists_.unlink(n);
            map_.erase(lists_.node(n).key);
        }
        lists_.node(n).key = key;
        lists_.push_front(0, n);
        map_.insert(key, n);
        return false;
    }
    bool contains(uint64_t key) override { return map_.find(key) != nullptr; }
    size_t size() const override { return map_.size(); }
    const char *name() const override { return "lru"; }

private:
    FlatMap<int> map_;
    NodeLists lists_;
    size_t used_ = 0;
};

class ClockCache final : public Cache {
public:
    explicit ClockCache(size_t cap) : Cache(cap), map_(cap), keys_(cap), ref_(cap, 0) {}
    bool access(uint64_t key) override
    {
        if (size_t *slot = map_.find(key)) {
            ref_[*slot] = 1;
            return true;
        }
        size_t slot;
        if (used_ < capacity_) {
            slot = used_++;
        } else {
            while (ref_[hand_]) {
                ref_[hand_] = 0;
                hand_ = hand_ + 1 == capacity_ ? 0 : hand_ + 1;
            }
            slot = hand_;
            map_.erase(keys_[slot]);
            hand_ = hand_ + 1 == capacity_ ? 0 : hand_ + 1;
        }
        keys_[slot] = key;
        ref_[slot] = 0;
        map_.insert(key, slot);
        return false;
    }
    bool contains(uint64_t key) override { return map_.find(key) != nullptr; }
    size_t size() const override { return map_.size(); }
    const char *name() const override { return "clock"; }

private:
    FlatMap<size_t> map_;
    std::vector<uint64_t> keys_;
    std::vector<uint8_t> ref_;
    size_t used_ = 0, hand_ = 0;
};

class LfuCache final : public Cache {
public:
    explicit LfuCache(size_t cap) : Cache(cap), map_(cap) {}
    bool access(uint64_t key) override
    {
        tick_++;
        if (Entry *e = map_.find(key)) {
            order_.erase(std::make_tuple(e->freq, e->tick, key));
            e->freq++;
            e->tick = tick_;
            order_.emplace(e->freq, e->tick, key);
            return true;
        }
        if (map_.size() == capacity_) {
            auto victim = order_.begin();
            map_.erase(std::get<2>(*victim));
            order_.erase(victim);
        }
        map_.insert(key, Entry{ 1, tick_ });
        order_.emplace(1, tick_, key);
        return false;
    }
    bool contains(uint64_t key) override { return map_.find(key) != nullptr; }
    size_t size() const override { return map_.size(); }
    bool invariants() const override { return map_.size() == order_.size() && map_.size() <= capacity_; }
    const char *name() const override { return "lfu"; }

private:
    struct Entry {
        uint64_t freq, tick;
    };
    FlatMap<Entry> map_;
    std::set<std::tuple<uint64_t, uint64_t, uint64_t>> order_;
    uint64_t tick_ = 0;
};

// Adaptive replacement cache (Megiddo and Modha), integer adaptation steps.
class ArcCache final : public Cache {
public:
    explicit ArcCache(size_t cap) : Cache(cap), map_(2 * cap), lists_(2 * cap, 4)
    {
        for (int i = static_cast<int>(2 * cap) - 1; i >= 0; i--) free_.push_back(i);
    }
    bool access(uint64_t key) override
    {
        int c = static_cast<int>(capacity_);
        int *found = map_.find(key);
        int where = found ? lists_.node(*found).list : -1;
        if (where == T1 || where == T2) {
            lists_.unlink(*found);
            lists_.push_front(T2, *found);
            return true;
        }
        if (where == B1 || where == B2) {
            int n = *found;
            int b1 = lists_.size(B1), b2 = lists_.size(B2);
            if (where == B1) p_ = std::min(c, p_ + std::max(b2 / b1, 1));
            else p_ = std::max(0, p_ - std::max(b1 / b2, 1));
            replace(where == B2);
            lists_.unlink(n);
            lists_.push_front(T2, n);
            return false;
        }
        int t1 = lists_.size(T1), b1 = lists_.size(B1);
        int total = t1 + lists_.size(T2) + b1 + lists_.size(B2);
        if (t1 + b1 == c) {
            if (t1 < c) {
                drop(lists_.back(B1));
                replace(false);
            } else {
                drop(lists_.back(T1));
            }
        } else if (total >= c) {
            if (total == 2 * c) drop(lists_.back(B2));
            replace(false);
        }
        int n = free_.back();
        free_.pop_back();
        lists_.node(n).key = key;
        lists_.push_front(T1, n);
        map_.insert(key, n);
        return false;
    }
    bool contains(uint64_t key) override
    {
        int *n = map_.find(key);
        return n && (lists_.node(*n).list == T1 || lists_.node(*n).list == T2);
    }
    size_t size() const override { return static_cast<size_t>(lists_.size(T1) + lists_.size(T2)); }
    bool invariants() const override
    {
        int c = static_cast<int>(capacity_), t1 = lists_.size(T1), t2 = lists_.size(T2);
        int b1 = lists_.size(B1), b2 = lists_.size(B2);
        return t1 + t2 <= c && t1 + b1 <= c && t1 + t2 + b1 + b2 <= 2 * c && p_ >= 0 && p_ <= c
            && map_.size() == static_cast<size_t>(t1 + t2 + b1 + b2);
    }
    const char *name() const override { return "arc"; }
    int target() const { return p_; }

private:
    enum { T1, T2, B1, B2 };
    void replace(bool in_b2)
    {
        int t1 = lists_.size(T1);
        if (t1 >= 1 && ((in_b2 && t1 == p_) || t1 > p_)) {
            int n = lists_.back(T1);
            lists_.unlink(n);
            lists_.push_front(B1, n);
        } else {
            int n = lists_.back(T2);
            lists_.unlink(n);
            lists_.push_front(B2, n);
        }
    }
    void drop(int n)
    {
        map_.erase(lists_.node(n).key);
        lists_.unlink(n);
        free_.push_back(n);
    }
    FlatMap<int> map_;
    NodeLists lists_;
    std::vector<int> free_;
    int p_ = 0;
};

// Belady's optimum: evicts the key whose next use is farthest; next uses come from the trace.
class OptCache final : public Cache {
public:
    OptCache(size_t cap, const std::vector<uint64_t> &trace) : Cache(cap), next_(trace.size()), map_(cap)
    {
        FlatMap<size_t> last(trace.size() / 4 + 16);
        for (size_t i = trace.size(); i-- > 0;) {
            size_t *l = last.find(trace[i]);
            next_[i] = l ? *l : NEVER;
            if (l) *l = i;
            else last.insert(trace[i], i);
        }
    }
    bool access(uint64_t key) override
    {
        size_t nu = next_[pos_++];
        if (size_t *cur = map_.find(key)) {
            *cur = nu;
            heap_.emplace(nu, key);
            return true;
        }
        if (map_.size() == capacity_) {
            for (;;) { // lazy deletion: skip entries whose next use changed
                auto top = heap_.top();
                heap_.pop();
                size_t *cur = map_.find(top.second);
                if (cur && *cur == top.first) {
                    map_.erase(top.second);
                    break;
                }
            }
        }
        map_.insert(key, nu);
        heap_.emplace(nu, key);
        return false;
    }
    bool contains(uint64_t key) override { return map_.find(key) != nullptr; }
    size_t size() const override { return map_.size(); }
    const char *name() const override { return "opt"; }

private:
    static constexpr size_t NEVER = ~static_cast<size_t>(0);
    std::vector<size_t> next_;
    FlatMap<size_t> map_;
    std::priority_queue<std::pair<size_t, uint64_t>> heap_;
    size_t pos_ = 0;
};
