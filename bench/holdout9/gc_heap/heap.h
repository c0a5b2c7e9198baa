// gc_heap/heap.h — size-classed cells, allocation, roots, mark and sweep.
// Part of gc_heap.cpp, one translation unit: it includes the parts in order.

namespace {

constexpr size_t kClassSize[] = { 32, 48, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 };
constexpr int kClasses = sizeof(kClassSize) / sizeof(kClassSize[0]);
constexpr size_t kChunkBytes = 64 * 1024;

struct Chunk {
    uint8_t *mem;
    int cls;
    uint32_t cells;
    std::vector<uint8_t> used;
};

class Heap {
public:
    explicit Heap(uint32_t threshold) : threshold_(threshold) {}
    ~Heap()
    {
        for (Chunk &c : chunks_) {
            for (uint32_t i = 0; i < c.cells; i++)
                if (c.used[i])
                    cell(c, i)->~Object();
            free(c.mem);
        }
    }

    template <class T, class... Args> T *make(size_t extra, Args &&...args)
    {
        if (++since_gc_ >= threshold_)
            collect();
        size_t need = sizeof(T) + extra;
        int cls = 0;
        while (cls < kClasses && kClassSize[cls] < need)
            cls++;
        if (cls == kClasses)
            abort();
        uint32_t ci, idx;
        take(cls, &ci, &idx);
        T *obj = new (cell(chunks_[ci], idx)) T(std::forward<Args>(args)...);
        obj->chunk = ci;
        obj->index = idx;
        live_++;
        allocated_++;
        return obj;
    }

    void push_root(Object **slot) { roots_.push_back(slot); }
    void pop_root(Object **slot)
    {
        if (roots_.empty() || roots_.back() != slot)
            failures++;
        roots_.pop_back();
    }

    void collect()
    {
        since_gc_ = 0;
        collections_++;
        Tracer t;
        for (Object **r : roots_)
            t.visit(*r);
        while (!t.stack.empty()) {
            Object *o = t.stack.back();
            t.stack.pop_back();
            o->trace(t);
        }
        for (uint32_t ci = 0; ci < chunks_.size(); ci++) {
            Chunk &c = chunks_[ci];
            for (uint32_t i = 0; i < c.cells; i++) {
                if (!c.used[i])
                    continue;
                Object *o = cell(c, i);
                if (o->marked) {
                    o->marked = false;
                    continue;
                }
                o->~Object();
                memset(static_cast<void *>(o), 0xDB, kClassSize[c.cls]);
                c.used[i] = 0;
                free_[c.cls].push_back(std::make_pair(ci, i));
                live_--;
                freed_++;
            }
        }
        if (live_ != reachable_count())
            failures++;
    }

    // Independent count of objects reachable from the roots: a worklist over children() and a
    // hash set, without the mark bits.
    size_t reachable_count() const
    {
        std::unordered_set<const Object *> seen;
        std::vector<const Object *> work;
        for (Object *const *r : roots_)
            work.push_back(*r);
        while (!work.empty()) {
            const Object *o = work.back();
            work.pop_back();
            if (o && seen.insert(o).second)
                o->children(work);
        }
        return seen.size();
    }

    size_t live() const { return live_; }
    uint64_t collections() const { return collections_; }
    uint64_t freed() const { return freed_; }
    uint64_t allocated() const { return allocated_; }

private:
    static Object *cell(Chunk &c, uint32_t i)
    {
        return reinterpret_cast<Object *>(c.mem + (size_t)i * kClassSize[c.cls]);
    }

    void take(int cls, uint32_t *ci, uint32_t *idx)
    {
        std::vector<std::pair<uint32_t, uint32_t>> &fl = free_[cls];
        if (!fl.empty()) {
            *ci = fl.back().first;
            *idx = fl.back().second;
            fl.pop_back();
        } else {
            if (open_[cls] < 0 || next_[cls] == chunks_[(size_t)open_[cls]].cells) {
                Chunk c;
                c.cls = cls;
                c.cells = (uint32_t)(kChunkBytes / kClassSize[cls]);
                c.mem = static_cast<uint8_t *>(malloc(kChunkBytes));
                c.used.assign(c.cells, 0);
                chunks_.push_back(std::move(c));
                open_[cls] = (int)chunks_.size() - 1;
                next_[cls] = 0;
            }
            *ci = (uint32_t)open_[cls];
            *idx = next_[cls]++;
        }
        chunks_[*ci].used[*idx] = 1;
    }

    uint32_t threshold_, since_gc_ = 0;
    size_t live_ = 0;
    uint64_t collections_ = 0, freed_ = 0, allocated_ = 0;
    std::vector<Chunk> chunks_;
    std::vector<std::pair<uint32_t, uint32_t>> free_[kClasses];
    std::vector<Object **> roots_;
    int open_[kClasses] = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 };
    uint32_t next_[kClasses] = {};
};

// RAII root: registers the address of its pointer with the heap for its lifetime (LIFO).
template <class T> class Root {
public:
    Root(Heap &h, T *p = nullptr) : heap_(h), ptr_(p) { heap_.push_root(&ptr_); }
    ~Root() { heap_.pop_root(&ptr_); }
    Root(const Root &) = delete;
    Root &operator=(const Root &) = delete;
    T *get() const { return static_cast<T *>(ptr_); }
    T *operator->() const { return get(); }
    void set(T *p) { ptr_ = p; }

private:
    Heap &heap_;
    Object *ptr_;
};

} // namespace
