// bplus_pages/tree.h — key codecs and the BPlusTree<Codec> class template.
// Part of bplus_pages.cpp, one translation unit: it includes the parts in order.

namespace {

struct U64Codec {
    using Key = uint64_t;
    static constexpr size_t size = 8;
    static void encode(Key k, uint8_t *p)
    {
        for (int i = 0; i < 8; i++)
            p[i] = (uint8_t)(k >> (56 - 8 * i));
    }
    static Key decode(const uint8_t *p)
    {
        Key k = 0;
        for (int i = 0; i < 8; i++)
            k = k << 8 | p[i];
        return k;
    }
};

struct Str16Codec {
    using Key = std::array<char, 16>;
    static constexpr size_t size = 16;
    static void encode(const Key &k, uint8_t *p) { memcpy(p, k.data(), 16); }
    static Key decode(const uint8_t *p)
    {
        Key k;
        memcpy(k.data(), p, 16);
        return k;
    }
};

inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
inline void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
inline uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
inline void wr32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
inline uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }
inline void wr64(uint8_t *p, uint64_t v) { wr32(p, (uint32_t)v); wr32(p + 4, (uint32_t)(v >> 32)); }

// Page layout: [0] kind (1 leaf, 2 internal), [2] count, [4] next leaf / first child, [8..] entries.
template <class Codec> class BPlusTree {
    static constexpr size_t KS = Codec::size;
    static constexpr size_t LEAF_ENT = KS + 8, NODE_ENT = KS + 4, HDR = 8;

public:
    using Key = typename Codec::Key;
    static constexpr int leaf_cap = (int)((kPage - HDR) / LEAF_ENT);
    static constexpr int node_cap = (int)((kPage - HDR) / NODE_ENT);

    explicit BPlusTree(BufferPool &p) : pool_(p)
    {
        PageRef r(pool_, pool_.create(&root_));
        wr16(r.mut(), 1);
    }

    // returns true if the key was new
    bool upsert(const Key &k, uint64_t v)
    {
        uint8_t key[KS];
        Codec::encode(k, key);
        Split s;
        bool fresh = false;
        if (insert_rec(root_, key, v, s, fresh)) {
            uint32_t pid;
            PageRef r(pool_, pool_.create(&pid));
            uint8_t *p = r.mut();
            wr16(p, 2);
            wr16(p + 2, 1);
            wr32(p + 4, root_);
            memcpy(p + HDR, s.key, KS);
            wr32(p + HDR + KS, s.right);
            root_ = pid;
            height_++;
        }
        return fresh;
    }

    bool find(const Key &k, uint64_t *v)
    {
        uint8_t key[KS];
        Codec::encode(k, key);
        PageRef r = leaf_for(key);
        const uint8_t *p = r.get();
        int n = rd16(p + 2), i = lower(p, n, LEAF_ENT, key);
        if (i < n && memcmp(p + HDR + (size_t)i * LEAF_ENT, key, KS) == 0) {
            *v = rd64(p + HDR + (size_t)i * LEAF_ENT + KS);
            return true;
        }
        return false;
    }

    bool erase(const Key &k)
    {
        uint8_t key[KS];
        Codec::encode(k, key);
        PageRef r = leaf_for(key);
        const uint8_t *p = r.get();
        int n = rd16(p + 2), i = lower(p, n, LEAF_ENT, key);
        if (i >= n || memcmp(p + HDR + (size_t)i * LEAF_ENT, key, KS) != 0)
            return false;
        uint8_t *w = r.mut();
        memmove(w + HDR + (size_t)i * LEAF_ENT, w + HDR + (size_t)(i + 1) * LEAF_ENT, (size_t)(n - i - 1) * LEAF_ENT);
        wr16(w + 2, (uint16_t)(n - 1));
        return true;
    }

    // visits up to limit records with key >= lo in key order; returns the number visited
    template <class Fn> int scan(const Key &lo, int limit, Fn &&fn)
    {
        uint8_t key[KS];
        Codec::encode(lo, key);
        PageRef r = leaf_for(key);
        int i = lower(r.get(), rd16(r.get() + 2), LEAF_ENT, key), seen = 0;
        for (;;) {
            const uint8_t *p = r.get();
            int n = rd16(p + 2);
            for (; i < n && seen < limit; i++, seen++)
                fn(Codec::decode(p + HDR + (size_t)i * LEAF_ENT), rd64(p + HDR + (size_t)i * LEAF_ENT + KS));
            uint32_t next = rd32(p + 4);
            if (seen >= limit || next == 0)
                return seen;
            r = PageRef(pool_, pool_.fetch(next));
            i = 0;
        }
    }

    uint32_t root() const { return root_; }
    int height() const { return height_; }
    BufferPool &pool() { return pool_; }
    static int lower(const uint8_t *p, int n, size_t ent, const uint8_t *key)
    {
        int lo = 0, hi = n; // first entry with key >= key
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (memcmp(p + HDR + (size_t)mid * ent, key, KS) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
    static int upper(const uint8_t *p, int n, const uint8_t *key)
    {
        int lo = 0, hi = n; // number of separators <= key
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (memcmp(p + HDR + (size_t)mid * NODE_ENT, key, KS) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
    static uint32_t child(const uint8_t *p, int i) { return i == 0 ? rd32(p + 4) : rd32(p + HDR + (size_t)(i - 1) * NODE_ENT + KS); }

private:
    struct Split {
        uint8_t key[KS];
        uint32_t right;
    };

    PageRef leaf_for(const uint8_t *key)
    {
        PageRef r(pool_, pool_.fetch(root_));
        while (rd16(r.get()) == 2) {
            const uint8_t *p = r.get();
            uint32_t c = child(p, upper(p, rd16(p + 2), key));
            r = PageRef(pool_, pool_.fetch(c));
        }
        return r;
    }

    // inserts into the subtree at pid; returns true and fills s if the node split
    bool insert_rec(uint32_t pid, const uint8_t *key, uint64_t v, Split &s, bool &fresh)
    {
        PageRef r(pool_, pool_.fetch(pid));
        const uint8_t *p = r.get();
        int n = rd16(p + 2);
        std::vector<uint8_t> tmp;
        size_t ent;
        int pos;
        if (rd16(p) == 1) {
            ent = LEAF_ENT;
            pos = lower(p, n, ent, key);
            if (pos < n && memcmp(p + HDR + (size_t)pos * ent, key, KS) == 0) {
                wr64(r.mut() + HDR + (size_t)pos * ent + KS, v);
                return false;
            }
            fresh = true;
            uint8_t rec[LEAF_ENT];
            memcpy(rec, key, KS);
            wr64(rec + KS, v);
            if (n < leaf_cap) {
                uint8_t *w = r.mut();
                memmove(w + HDR + (size_t)(pos + 1) * ent, w + HDR + (size_t)pos * ent, (size_t)(n - pos) * ent);
                memcpy(w + HDR + (size_t)pos * ent, rec, ent);
                wr16(w + 2, (uint16_t)(n + 1));
                return false;
            }
            tmp.assign(p + HDR, p + HDR + (size_t)n * ent);
            tmp.insert(tmp.begin() + (ptrdiff_t)((size_t)pos * ent), rec, rec + ent);
            int total = n + 1, left = total / 2;
            uint32_t rpid;
            PageRef rr(pool_, pool_.create(&rpid));
            uint8_t *w = r.mut(), *rw = rr.mut();
            wr16(rw, 1);
            wr16(rw + 2, (uint16_t)(total - left));
            wr32(rw + 4, rd32(w + 4)); // sibling chain: left -> right -> old next
            memcpy(rw + HDR, tmp.data() + (size_t)left * ent, (size_t)(total - left) * ent);
            wr16(w + 2, (uint16_t)left);
            wr32(w + 4, rpid);
            memcpy(w + HDR, tmp.data(), (size_t)left * ent);
            memcpy(s.key, rw + HDR, KS);
            s.right = rpid;
            return true;
        }
        ent = NODE_ENT;
        pos = upper(p, n, key);
        Split cs;
        if (!insert_rec(child(p, pos), key, v, cs, fresh))
            return false;
        uint8_t rec[NODE_ENT];
        memcpy(rec, cs.key, KS);
        wr32(rec + KS, cs.right);
        p = r.get();
        if (n < node_cap) {
            uint8_t *w = r.mut();
            memmove(w + HDR + (size_t)(pos + 1) * ent, w + HDR + (size_t)pos * ent, (size_t)(n - pos) * ent);
            memcpy(w + HDR + (size_t)pos * ent, rec, ent);
            wr16(w + 2, (uint16_t)(n + 1));
            return false;
        }
        tmp.assign(p + HDR, p + HDR + (size_t)n * ent);
        tmp.insert(tmp.begin() + (ptrdiff_t)((size_t)pos * ent), rec, rec + ent);
        int total = n + 1, left = total / 2; // entry `left` moves up
        uint32_t rpid;
        PageRef rr(pool_, pool_.create(&rpid));
        uint8_t *w = r.mut(), *rw = rr.mut();
        const uint8_t *mid = tmp.data() + (size_t)left * ent;
        wr16(rw, 2);
        wr16(rw + 2, (uint16_t)(total - left - 1));
        wr32(rw + 4, rd32(mid + KS));
        memcpy(rw + HDR, mid + ent, (size_t)(total - left - 1) * ent);
        wr16(w + 2, (uint16_t)left);
        memcpy(w + HDR, tmp.data(), (size_t)left * ent);
        memcpy(s.key, mid, KS);
        s.right = rpid;
        return true;
    }

    BufferPool &pool_;
    uint32_t root_ = 0;
    int height_ = 1;
};

} // namespace
