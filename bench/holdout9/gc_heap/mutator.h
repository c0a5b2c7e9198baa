// gc_heap/mutator.h — the mutator workloads, each mirrored by an STL model, and main.
// Part of gc_heap.cpp, one translation unit: it includes the parts in order.

namespace {

int64_t box_value(const Object *o) { return static_cast<const Box *>(o)->v; }

// A list of boxed values built by consing, filtered and reversed, compared with a vector.
uint64_t list_workload(Heap &heap, bench_rng &g, int n, uint64_t h)
{
    Root<Pair> list(heap);
    std::vector<int64_t> model; // in list order
    for (int i = 0; i < n; i++) {
        int64_t v = (int64_t)(rng_next(&g) % 1000003);
        Root<Box> b(heap, heap.make<Box>(0, v));
        if (rng_below(&g, 4) == 0)
            heap.make<Box>(0, -v); // garbage
        list.set(heap.make<Pair>(0, b.get(), list.get()));
        model.insert(model.begin(), v);
    }
    // keep values not divisible by 3; the new list comes out reversed
    Root<Pair> kept(heap);
    for (Pair *cur = list.get(); cur; cur = static_cast<Pair *>(cur->cdr))
        if (box_value(cur->car) % 3 != 0)
            kept.set(heap.make<Pair>(0, cur->car, kept.get()));
    list.set(nullptr);
    Root<Pair> rev(heap);
    for (Pair *cur = kept.get(); cur; cur = static_cast<Pair *>(cur->cdr)) {
        Root<Box> copy(heap, heap.make<Box>(0, box_value(cur->car) * 2));
        rev.set(heap.make<Pair>(0, copy.get(), rev.get()));
    }
    // walk both in one pass: rev is in original order, doubled
    const Pair *p = rev.get();
    size_t matched = 0;
    for (int64_t v : model) {
        if (v % 3 == 0)
            continue;
        if (!p || box_value(p->car) != v * 2)
            failures++;
        else
            h = mix64(h, (uint64_t)box_value(p->car));
        p = p ? static_cast<const Pair *>(p->cdr) : nullptr;
        matched++;
    }
    if (p)
        failures++;
    return mix64(h, matched);
}

Object *make_tree(Heap &heap, int depth, int64_t id)
{
    if (depth == 0)
        return heap.make<Box>(0, id);
    Root<Object> l(heap, make_tree(heap, depth - 1, id * 2));
    Root<Object> r(heap, make_tree(heap, depth - 1, id * 2 + 1));
    return heap.make<Pair>(0, l.get(), r.get());
}

int64_t tree_sum(const Object *o, int depth)
{
    if (depth == 0)
        return box_value(o);
    const Pair *p = static_cast<const Pair *>(o);
    return tree_sum(p->car, depth - 1) + tree_sum(p->cdr, depth - 1);
}

// Trees of random depth replace each other in a vector of slots; most become garbage.
uint64_t tree_workload(Heap &heap, bench_rng &g, int builds, uint64_t h)
{
    const uint32_t slots = 8;
    Root<Vec> keep(heap, heap.make<Vec>(slots * sizeof(Object *), slots));
    int depth_of[slots] = {};
    int64_t id_of[slots] = {};
    for (int b = 0; b < builds; b++) {
        uint32_t s = rng_below(&g, slots);
        int d = 4 + (int)rng_below(&g, 7);
        int64_t id = (int64_t)rng_below(&g, 1000);
        Object *t = make_tree(heap, d, id);
        keep->items()[s] = t;
        depth_of[s] = d;
        id_of[s] = id;
    }
    for (uint32_t s = 0; s < slots; s++) {
        if (!keep->items()[s])
            continue;
        int d = depth_of[s];
        int64_t id = id_of[s], leaves = (int64_t)1 << d;
        // leaves are id * 2^d + k for k in [0, 2^d)
        int64_t want = id * leaves * leaves + leaves * (leaves - 1) / 2;
        int64_t got = tree_sum(keep->items()[s], d);
        if (got != want)
            failures++;
        h = mix64(h, (uint64_t)got);
    }
    return h;
}

Str *make_str(Heap &heap, const std::string &s)
{
    return heap.make<Str>(s.size(), s.data(), (uint32_t)s.size());
}

// Chained hash table of (key, string) entries with growth, updates and deletions.
struct TableOps {
    Heap &heap;
    Root<Table> t;
    explicit TableOps(Heap &hp) : heap(hp), t(hp, hp.make<Table>(0)) { t->buckets = heap.make<Vec>(16 * sizeof(Object *), 16u); }

    static uint32_t slot(int64_t k, uint32_t n) { return (uint32_t)(((uint64_t)k * 0x9E3779B97F4A7C15ULL) >> 40) % n; }

    Pair *find(int64_t k) const
    {
        Vec *b = t->buckets;
        for (Pair *c = static_cast<Pair *>(b->items()[slot(k, b->n)]); c; c = static_cast<Pair *>(c->cdr)) {
            Pair *e = static_cast<Pair *>(c->car);
            if (box_value(e->car) == k)
                return e;
        }
        return nullptr;
    }

    void grow()
    {
        Vec *old = t->buckets;
        uint32_t n = old->n * 2;
        Vec *nb = heap.make<Vec>(n * sizeof(Object *), n); // old stays reachable through t
        for (uint32_t i = 0; i < old->n; i++) {
            Pair *c = static_cast<Pair *>(old->items()[i]);
            while (c) { // relink the chain cells into the new buckets
                Pair *next = static_cast<Pair *>(c->cdr);
                uint32_t s = slot(box_value(static_cast<Pair *>(c->car)->car), n);
                c->cdr = nb->items()[s];
                nb->items()[s] = c;
                c = next;
            }
            old->items()[i] = nullptr;
        }
        t->buckets = nb;
    }

    void put(int64_t k, const std::string &v)
    {
        Root<Str> s(heap, make_str(heap, v));
        if (Pair *e = find(k)) {
            e->cdr = s.get();
            return;
        }
        if (t->count >= 2 * t->buckets->n && t->buckets->n < 256) // 2 KiB of slots at most
            grow();
        Root<Box> key(heap, heap.make<Box>(0, k));
        Root<Pair> e(heap, heap.make<Pair>(0, key.get(), s.get()));
        uint32_t sl = slot(k, t->buckets->n);
        Pair *cellp = heap.make<Pair>(0, e.get(), t->buckets->items()[sl]);
        t->buckets->items()[slot(k, t->buckets->n)] = cellp;
        t->count++;
    }

    bool erase(int64_t k)
    {
        Vec *b = t->buckets;
        Object **link = &b->items()[slot(k, b->n)];
        while (*link) {
            Pair *c = static_cast<Pair *>(*link);
            if (box_value(static_cast<Pair *>(c->car)->car) == k) {
                *link = c->cdr;
                t->count--;
                return true;
            }
            link = &c->cdr;
        }
        return false;
    }
};

uint64_t table_workload(Heap &heap, bench_rng &g, int ops, uint64_t h)
{
    TableOps tab(heap);
    std::map<int64_t, std::string> model;
    char buf[48];
    for (int i = 0; i < ops; i++) {
        int64_t k = (int64_t)rng_below(&g, (uint32_t)ops / 2 + 1);
        uint32_t r = rng_below(&g, 10);
        if (r < 5) {
            snprintf(buf, sizeof buf, "v%lld-%u", (long long)k, (unsigned)rng_below(&g, 100000));
            tab.put(k, buf);
            model[k] = buf;
        } else if (r < 7) {
            bool a = tab.erase(k), b = model.erase(k) > 0;
            if (a != b)
                failures++;
        } else {
            Pair *e = tab.find(k);
            auto it = model.find(k);
            if ((e != nullptr) != (it != model.end()) ||
                (e && static_cast<Str *>(e->cdr)->str() != it->second))
                failures++;
            if (e)
                h = mix64(h, static_cast<Str *>(e->cdr)->digest());
        }
    }
    if (tab.t->count != model.size())
        failures++;
    for (auto &kv : model) {
        Pair *e = tab.find(kv.first);
        if (!e || static_cast<Str *>(e->cdr)->str() != kv.second)
            failures++;
    }
    return mix64(h, model.size());
}

// Repeated concatenation; every intermediate string becomes garbage.
uint64_t string_workload(Heap &heap, bench_rng &g, int steps, uint64_t h)
{
    Root<Str> s(heap, make_str(heap, ""));
    std::string model;
    for (int i = 0; i < steps; i++) {
        std::string piece(1 + rng_below(&g, 24), (char)('a' + rng_below(&g, 26)));
        if (model.size() + piece.size() > 3000) {
            model.erase(0, 2000);
            s.set(make_str(heap, s->str().substr(2000)));
        }
        Root<Str> p(heap, make_str(heap, piece));
        std::string joined = s->str() + p->str();
        s.set(make_str(heap, joined));
        model += piece;
    }
    if (s->str() != model)
        failures++;
    return mix64(h, s->digest());
}

} // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 82);
    bench_rng g = { 0x71C0FFEE2468ACE1ULL };

    double t0 = bench_now();
    uint64_t h = 0x510E527FADE682D1ULL;
    for (int round = 0; round < scale; round++) {
        Heap heap(4000 + rng_below(&g, 4000));
        h = list_workload(heap, g, 3000 + (int)rng_below(&g, 3000), h);
        h = tree_workload(heap, g, 40, h);
        h = table_workload(heap, g, 6000, h);
        h = string_workload(heap, g, 2000, h);
        heap.collect();
        h = mix64(h, heap.collections());
        h = mix64(h, heap.freed());
        h = mix64(h, heap.allocated());
        h = mix64(h, heap.live());
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
