// gc_heap.cpp — a mark-sweep garbage collector for a toy object heap.
//
// Objects (boxed integers, pairs, vectors and strings with their payload stored after the
// object, hash tables of chained pairs) derive from a polymorphic base with virtual trace,
// digest and destructor. The heap carves size-classed cells out of malloc'ed chunks, keeps
// per-class free lists and per-chunk occupancy, and allocates through a variadic template that
// placement-constructs the object and collects first when the allocation count since the last
// collection passes a threshold (a count, not bytes, so the schedule is the same on 32- and
// 64-bit targets). Roots are registered by RAII `Root<T>` handles; marking uses an explicit
// stack driven by virtual trace calls; sweeping calls virtual destructors, poisons freed cells
// and threads them onto the free lists. Mutator workloads — list building/filtering/reversal,
// binary trees that mostly become garbage, a hash table of string values with updates and
// deletions, string concatenation — are mirrored in plain STL models and compared after
// collections; after every collection the live count must equal an independent reachability
// count from the roots.
#include "../programs/bench.h"

#include <map>
#include <new>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

int failures = 0;

struct Object;

struct Tracer {
    std::vector<Object *> stack;
    void visit(Object *o);
};

struct Object {
    bool marked = false;
    uint32_t chunk = 0, index = 0; // the heap's cell, set after construction
    virtual ~Object() {}
    virtual void trace(Tracer &) {}                             // for the collector
    virtual void children(std::vector<const Object *> &) const {} // for the independent check
    virtual uint64_t digest() const = 0;
};

void Tracer::visit(Object *o)
{
    if (o && !o->marked) {
        o->marked = true;
        stack.push_back(o);
    }
}

struct Box : Object {
    int64_t v;
    explicit Box(int64_t x) : v(x) {}
    uint64_t digest() const override { return (uint64_t)v * 0x9E3779B97F4A7C15ULL; }
};

struct Pair : Object {
    Object *car, *cdr;
    Pair(Object *a, Object *d) : car(a), cdr(d) {}
    void trace(Tracer &t) override
    {
        t.visit(car);
        t.visit(cdr);
    }
    void children(std::vector<const Object *> &out) const override
    {
        out.push_back(car);
        out.push_back(cdr);
    }
    uint64_t digest() const override { return 0x5041; }
};

struct Vec : Object { // n slots stored after the object
    uint32_t n;
    explicit Vec(uint32_t count) : n(count)
    {
        for (uint32_t i = 0; i < n; i++)
            items()[i] = nullptr;
    }
    Object **items() { return reinterpret_cast<Object **>(this + 1); }
    Object *const *items() const { return reinterpret_cast<Object *const *>(this + 1); }
    void trace(Tracer &t) override
    {
        for (uint32_t i = 0; i < n; i++)
            t.visit(items()[i]);
    }
    void children(std::vector<const Object *> &out) const override
    {
        for (uint32_t i = 0; i < n; i++)
            out.push_back(items()[i]);
    }
    uint64_t digest() const override { return n; }
};

struct Str : Object { // len bytes stored after the object
    uint32_t len;
    Str(const char *s, uint32_t l) : len(l) { memcpy(data(), s, l); }
    char *data() { return reinterpret_cast<char *>(this + 1); }
    const char *data() const { return reinterpret_cast<const char *>(this + 1); }
    std::string str() const { return std::string(data(), len); }
    uint64_t digest() const override
    {
        uint64_t h = 0xCBF29CE484222325ULL;
        for (uint32_t i = 0; i < len; i++)
            h = (h ^ (uint8_t)data()[i]) * 0x100000001B3ULL;
        return h;
    }
};

struct Table : Object { // buckets: a Vec of chains of Pair(Pair(key Box, value), next)
    Vec *buckets = nullptr;
    uint32_t count = 0;
    void trace(Tracer &t) override { t.visit(buckets); }
    void children(std::vector<const Object *> &out) const override { out.push_back(buckets); }
    uint64_t digest() const override { return count; }
};

} // namespace

#include "gc_heap/heap.h"
#include "gc_heap/mutator.h"
