// bplus_pages/workload.h — operation mixes against std::map models, structure checks, main.
// Part of bplus_pages.cpp, one translation unit: it includes the parts in order.

namespace {

template <class Codec> struct StructureCheck {
    using Tree = BPlusTree<Codec>;
    static constexpr size_t KS = Codec::size;
    Tree &t;
    std::vector<uint32_t> leaves;
    int leaf_depth = -1;
    long records = 0;

    // keys of the subtree must lie in [lo, hi) (null bounds are open)
    void node(uint32_t pid, const uint8_t *lo, const uint8_t *hi, int depth)
    {
        PageRef r(t.pool(), t.pool().fetch(pid));
        const uint8_t *p = r.get();
        int kind = rd16(p), n = rd16(p + 2);
        size_t ent = kind == 1 ? KS + 8 : KS + 4;
        for (int i = 0; i < n; i++) {
            const uint8_t *k = p + 8 + (size_t)i * ent;
            if ((lo && memcmp(k, lo, KS) < 0) || (hi && memcmp(k, hi, KS) >= 0))
                failures++;
            if (i > 0 && memcmp(k - ent, k, KS) >= 0)
                failures++;
        }
        if (kind == 1) {
            if (leaf_depth < 0)
                leaf_depth = depth;
            else if (leaf_depth != depth)
                failures++;
            leaves.push_back(pid);
            records += n;
            return;
        }
        if (n == 0)
            failures++;
        std::vector<uint8_t> keys(p + 8, p + 8 + (size_t)n * ent); // copy: children may evict
        std::vector<uint32_t> kids;
        for (int i = 0; i <= n; i++)
            kids.push_back(Tree::child(p, i));
        for (int i = 0; i <= n; i++)
            node(kids[(size_t)i], i == 0 ? lo : keys.data() + (size_t)(i - 1) * ent,
                 i == n ? hi : keys.data() + (size_t)i * ent, depth + 1);
    }

    void run()
    {
        node(t.root(), nullptr, nullptr, 0);
        if (leaf_depth + 1 != t.height())
            failures++;
        // the sibling chain visits the leaves in the same order as the in-order walk
        uint32_t pid = leaves.empty() ? 0 : leaves[0];
        for (size_t i = 0; i < leaves.size(); i++) {
            if (pid != leaves[i]) {
                failures++;
                return;
            }
            PageRef r(t.pool(), t.pool().fetch(pid));
            pid = rd32(r.get() + 4);
        }
        if (pid != 0)
            failures++;
    }
};

uint64_t make_key(bench_rng &g, uint32_t space, uint64_t *) { return (uint64_t)rng_below(&g, space) * 2654435761u; }

std::array<char, 16> make_key(bench_rng &g, uint32_t space, std::array<char, 16> *)
{
    std::array<char, 16> k;
    uint32_t v = rng_below(&g, space);
    snprintf(k.data(), k.size(), "user%06u", (unsigned)(v * 7919u % 1000000u));
    for (size_t i = strlen(k.data()); i < k.size(); i++)
        k[i] = (char)('a' + (v + i) % 26);
    return k;
}

template <class Codec> uint64_t run_mix(bench_rng &g, int ops, uint32_t space, uint64_t h)
{
    using Key = typename Codec::Key;
    MemDisk mem;
    VerifyingDisk disk(mem);
    BufferPool pool(disk, 24);
    BPlusTree<Codec> tree(pool);
    std::map<Key, uint64_t> model;
    for (int i = 0; i < ops; i++) {
        Key k = make_key(g, space, (Key *)nullptr);
        uint32_t r = rng_below(&g, 100);
        if (r < 55) {
            uint64_t v = rng_next(&g);
            bool fresh = tree.upsert(k, v);
            if (fresh != (model.find(k) == model.end()))
                failures++;
            model[k] = v;
        } else if (r < 70) {
            if (tree.erase(k) != (model.erase(k) > 0))
                failures++;
        } else if (r < 92) {
            uint64_t v = 0;
            bool found = tree.find(k, &v);
            auto it = model.find(k);
            if (found != (it != model.end()) || (found && v != it->second))
                failures++;
            h = mix64(h, found ? v : 1);
        } else {
            int limit = 1 + (int)rng_below(&g, 200), n = 0;
            auto it = model.lower_bound(k);
            uint64_t sum = 0;
            tree.scan(k, limit, [&](const Key &key, uint64_t v) {
                if (it == model.end() || it->first != key || it->second != v)
                    failures++;
                else
                    ++it;
                sum += v;
                n++;
            });
            int want = 0;
            for (auto jt = model.lower_bound(k); jt != model.end() && want < limit; ++jt)
                want++;
            if (n != want)
                failures++;
            h = mix64(h, sum);
        }
    }
    size_t n = 0;
    auto it = model.begin();
    Key first{};
    tree.scan(first, 1 << 30, [&](const Key &key, uint64_t v) {
        if (it == model.end() || it->first != key || it->second != v)
            failures++;
        else
            ++it;
        n++;
    });
    if (n != model.size())
        failures++;
    StructureCheck<Codec> sc{ tree, {}, -1, 0 };
    sc.run();
    if ((size_t)sc.records != model.size())
        failures++;
    pool.flush();
    h = mix64(h, model.size());
    h = mix64(h, (uint64_t)tree.height());
    h = mix64(h, disk.reads);
    h = mix64(h, disk.writes);
    return mix64(h, pool.hits);
}

} // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 12);
    bench_rng g = { 0xBB67AE8584CAA73BULL };

    double t0 = bench_now();
    uint64_t h = 0xA54FF53A5F1D36F1ULL;
    for (int round = 0; round < scale; round++) {
        h = run_mix<U64Codec>(g, 30000, 40000, h);
        h = run_mix<Str16Codec>(g, 20000, 30000, h);
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
