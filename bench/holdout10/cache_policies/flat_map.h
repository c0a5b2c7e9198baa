// cache_policies/flat_map.h — open-addressing hash map from 64-bit keys (linear probing,
// backward-shift deletion), and a pool of list nodes with index links.

template <class V>
class FlatMap {
public:
    explicit FlatMap(size_t expected)
    {
        size_t cap = 16;
        while (cap < expected * 2) cap <<= 1;
        slots_.resize(cap);
        mask_ = cap - 1;
    }
    V *find(uint64_t key)
    {
        for (size_t i = home(key);; i = (i + 1) & mask_) {
            Slot &s = slots_[i];
            if (!s.used) return nullptr;
            if (s.key == key) return &s.value;
        }
    }
    V &insert(uint64_t key, const V &value)
    {
        if ((count_ + 1) * 4 > slots_.size() * 3) grow();
        size_t i = home(key);
        while (slots_[i].used) i = (i + 1) & mask_;
        slots_[i] = Slot{ key, value, true };
        count_++;
        return slots_[i].value;
    }
    bool erase(uint64_t key)
    {
        size_t i = home(key);
        for (;; i = (i + 1) & mask_) {
            if (!slots_[i].used) return false;
            if (slots_[i].key == key) break;
        }
        // backward shift: pull later members of the probe run into the hole
        size_t hole = i;
        for (size_t j = (hole + 1) & mask_; slots_[j].used; j = (j + 1) & mask_) {
            size_t h = home(slots_[j].key);
            bool movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
            if (movable) {
                slots_[hole] = slots_[j];
                hole = j;
            }
        }
        slots_[hole].used = false;
        count_--;
        return true;
    }
    size_t size() const { return count_; }
    void clear()
    {
        for (Slot &s : slots_) s.used = false;
        count_ = 0;
    }

private:
    struct Slot {
        uint64_t key = 0;
        V value{};
        bool used = false;
    };
    size_t home(uint64_t key) const
    {
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdULL;
        key ^= key >> 33;
        return static_cast<size_t>(key) & mask_;
    }
    void grow()
    {
        std::vector<Slot> old;
        old.swap(slots_);
        slots_.resize(old.size() * 2);
        mask_ = slots_.size() - 1;
        count_ = 0;
        for (const Slot &s : old)
            if (s.used) insert(s.key, s.value);
    }
    std::vector<Slot> slots_;
    size_t mask_ = 0, count_ = 0;
};

// Doubly linked lists threaded through a shared node pool (index links, -1 = none).
struct ListNode {
    uint64_t key = 0;
    int prev = -1, next = -1;
    int list = -1;
};

class NodeLists {
public:
    NodeLists(size_t nodes, int lists) : nodes_(nodes), heads_(static_cast<size_t>(lists), End{}) {}
    ListNode &node(int i) { return nodes_[static_cast<size_t>(i)]; }
    int size(int l) const { return heads_[static_cast<size_t>(l)].count; }
    int front(int l) const { return heads_[static_cast<size_t>(l)].head; }
    int back(int l) const { return heads_[static_cast<size_t>(l)].tail; }
    void push_front(int l, int i)
    {
        End &e = heads_[static_cast<size_t>(l)];
        ListNode &n = node(i);
        n.list = l;
        n.prev = -1;
        n.next = e.head;
        if (e.head >= 0) node(e.head).prev = i;
        else e.tail = i;
        e.head = i;
        e.count++;
    }
    void unlink(int i)
    {
        ListNode &n = node(i);
        End &e = heads_[static_cast<size_t>(n.list)];
        if (n.prev >= 0) node(n.prev).next = n.next;
        else e.head = n.next;
        if (n.next >= 0) node(n.next).prev = n.prev;
        else e.tail = n.prev;
        e.count--;
        n.list = -1;
    }

private:
    struct End {
        int head = -1, tail = -1, count = 0;
    };
    std::vector<ListNode> nodes_;
    std::vector<End> heads_;
};
