// hm_infer.cpp — Hindley-Milner type inference for a small functional language.
//
// Terms are a C++ class hierarchy (variables, integer and boolean literals, lambdas,
// applications, let, if) owned through unique_ptr, each with virtual inference, checking and
// printing. Inference is algorithm J: type variables in a deque-backed pool are unified
// destructively (path halving, occurs check), and let-polymorphism uses levels -- variables
// created deeper than the enclosing let are generalised by marking them with the let's id, and
// instantiated by copying. Builtins (arithmetic, comparisons, pairs, lists, fix, id, const,
// compose) have polymorphic schemes. Each round a type-directed generator builds random
// well-typed terms for random ground target types (lets, polymorphic identity lets, applications
// through intermediate types, conditionals, list and pair operations, compositions). Checks: the
// target type must be an instance of the inferred principal type; an independent checker walks
// the annotated term and verifies every node's typing rule, that every variable use is an
// instance of its binding's scheme, and that no generalised variable is free in the context;
// printing and re-parsing a term must give the same text and the same canonical type; the same
// terms with an ill-typed application planted inside must be rejected; and a table of small
// programs must get exactly their known principal types (or be rejected).
#include "../programs/bench.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hm_infer/types.h"
#include "hm_infer/ast.h"
#include "hm_infer/parse.h"
#include "hm_infer/gen.h"

static unsigned failures;
static constexpr int TOP = -2;

struct Result {
    bool ok;
    Type *type;
};

static Result infer_top(Expr &e, TypePool &pool, const Builtins &builtins)
{
    Infer in(pool);
    in.env = builtins.env();
    Type *t = e.infer(in);
    if (in.failed) return { false, nullptr };
    generalize(t, 0, TOP);
    return { true, t };
}

static const struct { const char *src, *type; } known[] = {
    { "\\x. x", "'a -> 'a" },
    { "\\f. \\g. \\x. f (g x)", "('a -> 'b) -> ('c -> 'a) -> 'c -> 'b" },
    { "let id = \\x. x in pair (id 1) (id true)", "(int * bool)" },
    { "\\f. pair (f 1) (f true)", nullptr },
    { "\\x. x x", nullptr },
    { "fix (\\len. \\l. if isnil l then 0 else add 1 (len (tail l)))", "['a] -> int" },
    { "\\x. \\y. x", "'a -> 'b -> 'a" },
    { "let k = \\x. \\y. x in k 1", "'a -> int" },
    { "add 1 true", nullptr },
    { "if 1 then 2 else 3", nullptr },
    { "cons 1 nil", "[int]" },
    { "\\p. add (fst p) (snd p)", "(int * int) -> int" },
    { "let f = \\x. let g = \\y. pair x y in g in f", "'a -> 'b -> ('a * 'b)" },
    { "\\x. let y = x in y", "'a -> 'a" },
    { "\\x. let f = \\z. x in pair (f 1) (f true)", "'a -> ('a * 'a)" },
    { "unknown_name 1", nullptr },
    { "fix (\\map. \\f. \\l. if isnil l then nil else cons (f (head l)) (map f (tail l)))",
      "('a -> 'b) -> ['a] -> ['b]" },
    { "let twice = \\f. \\x. f (f x) in twice twice (add 1)", "int -> int" },
    { "\\f. \\x. f x x", "('a -> 'a -> 'b) -> 'a -> 'b" },
    { "let s = \\f. \\g. \\x. f x (g x) in s const const", "'a -> 'a" },
    { "\\l. cons l l", nullptr },
    { "\\x. let y = id x in y", "'a -> 'a" },
    { "\\x. let y = id x in pair (add y 1) (not y)", nullptr },
    { "\\f. let g = \\u. f u in pair (g 1) (g 2)", "(int -> 'a) -> ('a * 'a)" },
};

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 105);
    Names names;
    Builtins builtins(names);
    TypePool pool, gen_pool;
    bench_rng rng = { 0x4D1D4E2F00C0FFEEULL };
    Generator gen(names, gen_pool, rng);
    TypePrinter printer;
    uint64_t h = 0;
    unsigned long long nodes = 0;

    double t0 = bench_now();
    for (int round = 0; round < scale; round++) {
        for (const auto &k : known) {
            ExprPtr e = Parser(k.src, names).parse();
            if (!e) { failures++; continue; }
            pool.clear();
            Result r = infer_top(*e, pool, builtins);
            if (!k.type ? r.ok : (!r.ok || printer.print(r.type) != k.type)) failures++;
        }
        // the doubling let chain: 256 int leaves
        {
            ExprPtr e = Parser("let f0 = \\x. pair x x in let f1 = \\y. f0 (f0 y) in "
                               "let f2 = \\z. f1 (f1 z) in let f3 = \\w. f2 (f2 w) in f3 1", names).parse();
            pool.clear();
            Result r = infer_top(*e, pool, builtins);
            if (!r.ok || type_size(r.type) != 511) failures++;
        }
        for (int t = 0; t < 60; t++) {
            gen_pool.clear();
            Type *target = gen.random_type(3);
            int depth = 5 + static_cast<int>(rng_below(&rng, 4));
            ExprPtr e = gen.generate(target, depth, -1);
            std::string text;
            e->print(text, names);
            pool.clear();
            Result r = infer_top(*e, pool, builtins);
            VarMap map;
            if (!r.ok || !instance_match(r.type, target, TOP, map)) { failures++; continue; }
            Checker checker;
            checker.env = builtins.env();
            e->check(checker);
            if (!checker.ok) failures++;
            std::string type_text = printer.print(r.type);
            // round trip through the parser
            ExprPtr e2 = Parser(text, names).parse();
            if (!e2) { failures++; continue; }
            std::string text2;
            e2->print(text2, names);
            if (text2 != text) failures++;
            Result r2 = infer_top(*e2, pool, builtins);
            if (!r2.ok || printer.print(r2.type) != type_text) failures++;
            nodes += static_cast<unsigned long long>(e->size());
            h = mix64(h, static_cast<uint64_t>(e->size()));
            for (char c : type_text) h = mix64(h, static_cast<unsigned char>(c));
            // the same generator run with an ill-typed application planted inside
            gen_pool.clear();
            Type *target2 = gen.random_type(3);
            int at = static_cast<int>(rng_below(&rng, 40));
            ExprPtr bad = gen.generate(target2, depth, at);
            if (gen.planted()) {
                pool.clear();
                if (infer_top(*bad, pool, builtins).ok) failures++;
                h = mix64(h, static_cast<uint64_t>(bad->size()));
            }
        }
    }
    bench_report(t0);
    std::printf("hm_infer: nodes=%llu hash=%016llx failures=%u\n", nodes, static_cast<unsigned long long>(h), failures);
    return failures != 0;
}
