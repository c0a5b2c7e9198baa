// json_patch.cpp -- JSON documents, JSON Pointer, JSON Patch and JSON Merge Patch in C++.
//
// Values are a std::variant with arrays as std::vector and objects as sorted member vectors,
// visited with an overload set (json_patch/value.h: writer, recursive-descent reader over
// std::string_view); patch operations are classes behind a virtual interface owned through
// unique_ptr and applied all-or-nothing (json_patch/patch.h); patches are computed from two
// documents with an LCS edit script for arrays, and merge patches computed and applied
// (json_patch/diff.h). Random documents have nested objects and arrays, keys with '/', '~' and
// non-ASCII characters, escaped strings, integers and doubles; random edits (add, remove,
// replace, move, copy) turn each into a second document.
//
// Checks: compact and pretty text read back to the same value and rewrite to the same compact
// text; the edit patch applied again, and after a trip through its own JSON text, gives the
// edited document; computed patches turn each document into the other, in both directions; a
// patch ending in a failing test is refused and leaves the document untouched; merge patches
// round-trip (on copies without null members, which they cannot express); pointers survive
// escaping and resolve to the node they were made from; malformed, truncated and too deeply
// nested texts are refused. Parts: json_patch/value.h, patch.h, diff.h.
#include "../programs/bench.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "json_patch/value.h"
#include "json_patch/patch.h"
#include "json_patch/diff.h"

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

static uint64_t hash_text(uint64_t h, const std::string &s)
{
    uint64_t w = 0;
    for (size_t i = 0; i < s.size(); i++) {
        w = w << 8 | (unsigned char)s[i];
        if ((i & 7) == 7)
            h = mix64(h, w), w = 0;
    }
    return mix64(h, w ^ s.size());
}

// ---- random documents ----

class Gen {
public:
    explicit Gen(uint64_t seed) : r_{ seed } {}

    uint32_t below(uint32_t n) { return rng_below(&r_, n); }

    std::string key()
    {
        static const char *const special[] = { "a/b", "t~1", "", "~", "/", "ключ", "naïve", "x~0/y",
                                               "emoji\xF0\x9F\x98\x80", "id", "name", "items", "0", "-" };
        if (below(4) == 0)
            return special[below(sizeof special / sizeof special[0])];
        std::string k;
        int n = 1 + (int)below(6);
        for (int i = 0; i < n; i++)
            k += (char)('a' + below(26));
        return k;
    }

    std::string text()
    {
        static const char *const pieces[] = { "quote\"", "back\\slash", "new\nline", "tab\t", "\x01",
                                              "\x1f", "é", "€", "\xF0\x9F\x8E\xB5", "/", "plain", " " };
        std::string s;
        int n = (int)below(5);
        for (int i = 0; i < n; i++)
            s += below(3) ? std::string(1, (char)('a' + below(26))) : std::string(pieces[below(12)]);
        return s;
    }

    Value scalar()
    {
        switch (below(7)) {
        case 0: return Value(nullptr);
        case 1: return Value(below(2) == 1);
        case 2: return Value((int64_t)below(1000) - 500);
        case 3: return Value((int64_t)(rng_next(&r_) >> 2) * (below(2) ? 1 : -1));
        case 4: return Value((double)((int64_t)below(200000) - 100000) / 1024.0);
        case 5: return Value(below(2) ? 1.5e300 * (double)below(7) : 1.0 / (double)(1 + below(999)));
        default: return Value(text());
        }
    }

    Value doc(int depth, int &budget)
    {
        static const uint32_t container_pct[6] = { 100, 75, 55, 35, 20, 0 };
        bool container = depth == 0 || (depth < 5 && budget > 0 && below(100) < container_pct[depth]);
        if (!container)
            return scalar();
        if (depth == 0 || below(2) == 0) {
            Object o;
            int n = depth == 0 ? 8 + (int)below(12) : 1 + (int)below(8);
            for (int i = 0; i < n && budget > 0; i++) {
                budget--;
                std::string k = key();
                obj_set(o, std::move(k), doc(depth + 1, budget));
            }
            return Value(std::move(o));
        }
        Array a;
        int n = (int)below(10);
        for (int i = 0; i < n && budget > 0; i++) {
            budget--;
            a.push_back(doc(depth + 1, budget));
        }
        return Value(std::move(a));
    }

    // a random existing location (tokens); empty means the root
    Tokens random_path(Value &root)
    {
        Tokens t;
        Value *cur = &root;
        while (below(4) != 0) {
            if (Object *o = cur->object()) {
                if (o->empty())
                    break;
                Member &m = (*o)[below((uint32_t)o->size())];
                t.push_back(m.key);
                cur = &m.value;
            } else if (Array *a = cur->array()) {
                if (a->empty())
                    break;
                size_t i = below((uint32_t)a->size());
                t.push_back(std::to_string(i));
                cur = &(*a)[i];
            } else {
                break;
            }
        }
        return t;
    }

    // a location where something can be added: inside an existing container
    Tokens insert_path(Value &root)
    {
        for (int tries = 0; tries < 8; tries++) {
            Tokens t = random_path(root);
            Value *v = resolve(root, t, t.size());
            if (Object *o = v->object()) {
                t.push_back(below(2) && !o->empty() ? (*o)[below((uint32_t)o->size())].key : key());
                return t;
            }
            if (Array *a = v->array()) {
                uint32_t n = (uint32_t)a->size();
                t.push_back(below(5) == 0 ? std::string("-") : std::to_string(below(n + 1)));
                return t;
            }
        }
        return Tokens{ key() };
    }

private:
    bench_rng r_;
};

// ---- one round ----

static std::unique_ptr<PatchOp> random_edit(Gen &g, Value &doc)
{
    int budget = 6;
    switch (g.below(6)) {
    case 0:
    case 1:
    {
        Tokens where = g.insert_path(doc);
        return std::make_unique<AddOp>(where, g.doc(3, budget));
    }
    case 2: {
        Tokens t = g.random_path(doc);
        if (t.empty())
            return nullptr;
        return std::make_unique<RemoveOp>(t);
    }
    case 3: {
        Tokens t = g.random_path(doc);
        if (t.empty())
            return nullptr;
        return std::make_unique<ReplaceOp>(t, g.below(2) ? g.scalar() : g.doc(3, budget));
    }
    case 4: {
        Tokens from = g.random_path(doc);
        if (from.empty())
            return nullptr;
        return std::make_unique<MoveOp>(from, g.insert_path(doc));
    }
    default: {
        Tokens from = g.random_path(doc);
        return std::make_unique<CopyOp>(from, g.insert_path(doc));
    }
    }
}

static size_t count_nodes(const Value &v)
{
    size_t n = 1;
    if (const Object *o = v.object())
        for (const Member &m : *o)
            n += count_nodes(m.value);
    if (const Array *a = v.array())
        for (const Value &e : *a)
            n += count_nodes(e);
    return n;
}

static Value without_null_members(const Value &v)
{
    if (const Object *o = v.object()) {
        Object out;
        for (const Member &m : *o)
            if (!std::holds_alternative<std::nullptr_t>(m.value.v))
                out.push_back(Member{ m.key, without_null_members(m.value) });
        return Value(std::move(out));
    }
    if (const Array *a = v.array()) {
        Array out;
        for (const Value &e : *a)
            out.push_back(without_null_members(e));
        return Value(std::move(out));
    }
    return v;
}

static uint64_t run_round(Gen &g, int round)
{
    uint64_t h = 0;
    int budget = 260;
    Value a = g.doc(0, budget);

    // text round trips
    std::string compact = to_json(a), pretty = to_json(a, 2);
    Value back, back2;
    if (!from_json(compact, back) || back != a || !from_json(pretty, back2) || back2 != a ||
        to_json(back2) != compact)
        fail("text round trip", round);
    h = hash_text(h, compact);

    // pointers: escape, parse, resolve to the same node
    for (int i = 0; i < 20; i++) {
        Tokens t = g.random_path(a), t2;
        std::string p = make_pointer(t);
        Value *direct = &a;
        for (const auto &tok : t)
            direct = direct->object() ? &obj_find(*direct->object(), tok)->value
                                      : &(*direct->array())[(size_t)strtol(tok.c_str(), nullptr, 10)];
        if (!parse_pointer(p, t2) || t2 != t || resolve(a, t2, t2.size()) != direct)
            fail("pointer", round);
        h = hash_text(h, p);
    }

    // random edits, applied one by one
    Value b = a;
    Patch edits;
    for (int i = 0; i < 40; i++) {
        std::unique_ptr<PatchOp> op = random_edit(g, b);
        if (!op)
            continue;
        Value trial = b;
        if (op->apply(trial)) {
            b = std::move(trial);
            edits.push_back(std::move(op));
        }
    }
    Value again = a;
    if (!apply_patch(edits, again) || again != b)
        fail("edit patch replay", round);
    Patch reread;
    Value patch_doc;
    std::string patch_text = to_json(patch_to_value(edits));
    Value via_text = a;
    if (!from_json(patch_text, patch_doc) || !patch_from_value(patch_doc, reread) ||
        reread.size() != edits.size() || !apply_patch(reread, via_text) || via_text != b)
        fail("patch text round trip", round);
    h = hash_text(h, patch_text);

    // computed patches in both directions
    Patch ab = diff(a, b), ba = diff(b, a);
    Value x = a, y = b;
    if (!apply_patch(ab, x) || x != b || !apply_patch(ba, y) || y != a)
        fail("computed patch", round);
    h = mix64(h, (uint64_t)ab.size() << 32 | ba.size());
    h = mix64(h, count_nodes(b));

    // a failing test at the end: nothing changes
    Patch guarded = diff(a, b);
    Tokens probe = g.random_path(a);
    Value wrong(std::string("not there"));
    guarded.push_back(std::make_unique<TestOp>(probe, wrong));
    guarded.push_back(std::make_unique<TestOp>(Tokens{}, a)); // would pass on the original
    Value z = a;
    size_t failed_at = 0;
    if (apply_patch(guarded, z, &failed_at) || z != a || failed_at + 2 != guarded.size())
        fail("failing test must leave the document alone", round);

    // merge patch (null members cannot be expressed: they are dropped from both first)
    Value ma = without_null_members(a), mb = without_null_members(b);
    if (has_null_member(mb))
        fail("null members left", round);
    Value m = merge_diff(ma, mb), t = ma;
    merge_apply(t, m);
    if (t != mb)
        fail("merge patch", round);
    h = hash_text(h, to_json(m));

    // malformed text
    for (int i = 0; i < 8; i++) {
        size_t cut = g.below((uint32_t)compact.size());
        Value junk;
        if (from_json(std::string_view(compact).substr(0, cut), junk))
            fail("truncated text accepted", round);
    }
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 93);
    int rounds = scale * 4;
    Gen g(0x13198A2E03707344ULL);
    uint64_t h = 0;

    // fixed cases: escapes and surrogates, invalid documents, nesting limit
    {
        Value v;
        const char *good = "{\"s\":\"\\u00e9\\ud83d\\ude00\\n\\/\",\"n\":[-0,1e2,0.5,-12],\"e\":{}}";
        if (!from_json(good, v) || to_json(v) != "{\"e\":{},\"n\":[0,100.0,0.5,-12],\"s\":\"é\xF0\x9F\x98\x80\\n/\"}")
            fail("escapes", -1);
        static const char *const bad[] = { "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "[01]", "\"\\x\"",
                                           "[\"\\ud800\"]", "{\"a\":1,\"a\":2}", "[1 2]", "tru", "{} x",
                                           "[\"a\nb\"]", "-", "1.", "[1e]" };
        for (const char *s : bad)
            if (from_json(s, v))
                fail("malformed text accepted", -1);
        std::string deep(30, '[');
        deep += std::string(30, ']');
        if (from_json(deep, v))
            fail("nesting limit", -1);
        Tokens t;
        if (parse_pointer("a/b", t) || parse_pointer("/a~2", t) || !parse_pointer("/~01", t) || t[0] != "~1")
            fail("pointer syntax", -1);
        Value d;
        from_json("{\"a\":[10,20,30],\"\":{\"\":5}}", d);
        static const char *const missing[] = { "/a/01", "/a/3", "/a/-", "/a/1x", "/b", "/a/0/x" };
        for (const char *p : missing)
            if (!parse_pointer(p, t) || resolve(d, t, t.size()))
                fail("pointer to nothing resolved", -1);
        if (!parse_pointer("//", t) || !resolve(d, t, t.size()) || *resolve(d, t, t.size()) != Value((int64_t)5))
            fail("empty keys", -1);
    }

    double t0 = bench_now();
    for (int round = 0; round < rounds; round++)
        h = mix64(h, run_round(g, round));
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
