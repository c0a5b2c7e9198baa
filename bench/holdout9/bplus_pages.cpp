// bplus_pages.cpp — a B+ tree stored in fixed-size pages behind a buffer pool.
//
// Pages of 4 KiB live on a simulated disk reached through a virtual `Disk` interface: an
// in-memory disk, wrapped by a decorator that keeps a hash of every written page and verifies
// it on each read. A buffer pool with a small number of frames maps page ids to frames with an
// unordered_map (probed only), pins pages through RAII `PageRef` handles, evicts with the clock
// algorithm and writes dirty pages back. A class template `BPlusTree<Codec>` lays out leaves as
// sorted (key, 64-bit value) records with right-sibling links and internal nodes as separator
// keys with child page ids; keys are encoded by a codec template parameter (big-endian 64-bit
// integers, or 16-byte strings compared with memcmp). Inserts split leaves and internal nodes
// recursively up to a new root, upserts overwrite in place, deletes remove records without
// rebalancing, and range scans follow the leaf chain. Each round runs random operation mixes
// on both key types against std::map models; scans, lookups and deletes must agree, a full
// scan must equal the model, and the structure is checked (sorted keys within separator
// bounds, equal leaf depths, the leaf chain in key order).
#include "../programs/bench.h"

#include <array>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

int failures = 0;
constexpr size_t kPage = 4096;
using PageBuf = std::array<uint8_t, kPage>;

class Disk {
public:
    virtual ~Disk() {}
    virtual uint32_t allocate() = 0;
    virtual void read(uint32_t pid, uint8_t *buf) = 0;
    virtual void write(uint32_t pid, const uint8_t *buf) = 0;
};

class MemDisk : public Disk {
public:
    uint32_t allocate() override
    {
        pages_.push_back(std::make_unique<PageBuf>());
        pages_.back()->fill(0);
        return (uint32_t)pages_.size(); // page ids start at 1; 0 means "none"
    }
    void read(uint32_t pid, uint8_t *buf) override { memcpy(buf, pages_[pid - 1]->data(), kPage); }
    void write(uint32_t pid, const uint8_t *buf) override { memcpy(pages_[pid - 1]->data(), buf, kPage); }

private:
    std::vector<std::unique_ptr<PageBuf>> pages_;
};

class VerifyingDisk : public Disk {
public:
    explicit VerifyingDisk(Disk &inner) : inner_(inner) {}
    uint32_t allocate() override
    {
        uint32_t pid = inner_.allocate();
        PageBuf zero;
        zero.fill(0);
        if (sums_.size() < pid)
            sums_.resize(pid);
        sums_[pid - 1] = hash(zero.data());
        return pid;
    }
    void read(uint32_t pid, uint8_t *buf) override
    {
        inner_.read(pid, buf);
        reads++;
        if (hash(buf) != sums_[pid - 1])
            failures++;
    }
    void write(uint32_t pid, const uint8_t *buf) override
    {
        sums_[pid - 1] = hash(buf);
        inner_.write(pid, buf);
        writes++;
    }
    uint64_t reads = 0, writes = 0;

private:
    static uint64_t hash(const uint8_t *p)
    {
        uint64_t h = 0xCBF29CE484222325ULL;
        for (size_t i = 0; i < kPage; i += 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            h = (h ^ w) * 0x100000001B3ULL;
        }
        return h;
    }
    Disk &inner_;
    std::vector<uint64_t> sums_;
};

class BufferPool {
    struct Frame {
        uint32_t pid = 0;
        int pins = 0;
        bool dirty = false, ref = false;
        PageBuf data;
    };

public:
    BufferPool(Disk &d, size_t frames) : disk_(d), frames_(frames) {}
    ~BufferPool() { flush(); }

    int fetch(uint32_t pid)
    {
        auto it = table_.find(pid);
        if (it != table_.end()) {
            Frame &f = frames_[(size_t)it->second];
            f.pins++;
            f.ref = true;
            hits++;
            return it->second;
        }
        int i = victim();
        Frame &f = frames_[(size_t)i];
        disk_.read(pid, f.data.data());
        install(i, pid);
        return i;
    }
    int create(uint32_t *pid)
    {
        *pid = disk_.allocate();
        int i = victim();
        frames_[(size_t)i].data.fill(0);
        install(i, *pid);
        frames_[(size_t)i].dirty = true;
        return i;
    }
    void unpin(int i, bool dirty)
    {
        Frame &f = frames_[(size_t)i];
        if (f.pins <= 0)
            failures++;
        f.pins--;
        f.dirty |= dirty;
    }
    uint8_t *data(int i) { return frames_[(size_t)i].data.data(); }
    void flush()
    {
        for (Frame &f : frames_)
            if (f.pid && f.dirty) {
                disk_.write(f.pid, f.data.data());
                f.dirty = false;
            }
    }
    uint64_t hits = 0, evictions = 0;

private:
    void install(int i, uint32_t pid)
    {
        Frame &f = frames_[(size_t)i];
        f.pid = pid;
        f.pins = 1;
        f.ref = true;
        f.dirty = false;
        table_[pid] = i;
    }
    int victim()
    {
        for (size_t sweeps = 0; sweeps < 3 * frames_.size(); sweeps++) {
            size_t i = hand_;
            hand_ = (hand_ + 1) % frames_.size();
            Frame &f = frames_[i];
            if (f.pins)
                continue;
            if (f.ref) {
                f.ref = false;
                continue;
            }
            if (f.pid) {
                if (f.dirty)
                    disk_.write(f.pid, f.data.data());
                table_.erase(f.pid);
                evictions++;
            }
            f.pid = 0;
            return (int)i;
        }
        abort(); // every frame pinned
    }
    Disk &disk_;
    std::vector<Frame> frames_;
    std::unordered_map<uint32_t, int> table_;
    size_t hand_ = 0;
};

// A pinned page; unpinned (and marked dirty if written) when the handle goes away.
class PageRef {
public:
    PageRef(BufferPool &p, int frame) : pool_(&p), frame_(frame) {}
    PageRef(PageRef &&o) noexcept : pool_(o.pool_), frame_(o.frame_), dirty_(o.dirty_) { o.pool_ = nullptr; }
    PageRef(const PageRef &) = delete;
    PageRef &operator=(const PageRef &) = delete;
    PageRef &operator=(PageRef &&o) noexcept
    {
        if (this != &o) {
            if (pool_)
                pool_->unpin(frame_, dirty_);
            pool_ = o.pool_;
            frame_ = o.frame_;
            dirty_ = o.dirty_;
            o.pool_ = nullptr;
        }
        return *this;
    }
    ~PageRef()
    {
        if (pool_)
            pool_->unpin(frame_, dirty_);
    }
    const uint8_t *get() const { return pool_->data(frame_); }
    uint8_t *mut()
    {
        dirty_ = true;
        return pool_->data(frame_);
    }

private:
    BufferPool *pool_;
    int frame_;
    bool dirty_ = false;
};

} // namespace

#include "bplus_pages/tree.h"
#include "bplus_pages/workload.h"
