/* symdiff — C++ computer-algebra kernel: symbolic differentiation and simplification.
 *
 * Expressions are immutable trees of std::shared_ptr<const Expr> with virtual eval, derivative,
 * printing and structural hashing (numbers, variables, +, *, /, unary minus, integer powers,
 * sqrt). Smart constructors fold constants and apply algebraic identities. Each round generates a
 * random expression in three variables, takes its gradient and Hessian, simplifies, evaluates
 * everything at sample points, prints the derivatives and counts distinct subtrees with an
 * unordered_map keyed by structural hash. Denominators and sqrt arguments are built as 1 + k + u*u
 * so values stay finite. */
#include "../programs/bench.h"

#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

struct Expr;
using P = std::shared_ptr<const Expr>;

enum class Kind : uint8_t { Num, Var, Add, Mul, Div, Neg, Pow, Sqrt };

struct Expr : std::enable_shared_from_this<Expr> {
    uint64_t h = 0;
    uint32_t nodes = 1;
    virtual ~Expr() = default;
    virtual Kind kind() const = 0;
    virtual double eval(const double *x) const = 0;
    virtual P diff(int v) const = 0;
    virtual void print(std::string &out) const = 0;
    P self() const { return shared_from_this(); }
};

static uint64_t hmix(uint64_t a, uint64_t b)
{
    a ^= b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2);
    a *= 0xff51afd7ed558ccdULL;
    return a ^ (a >> 31);
}

static void print_num(double v, std::string &out)
{
    if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v) {
        out += std::to_string((int64_t)v);
    } else {
        uint64_t b;
        memcpy(&b, &v, 8);
        char buf[24];
        snprintf(buf, sizeof buf, "0x%016llx", (unsigned long long)b);
        out += buf;
    }
}

P num(double v);
P var(int i);
P add(const P &a, const P &b);
P mul(const P &a, const P &b);
P divide(const P &a, const P &b);
P neg(const P &a);
P pw(const P &a, int n);
P sqrt_(const P &a);
static P sub(const P &a, const P &b) { return add(a, neg(b)); }

struct Num final : Expr {
    double v;
    explicit Num(double x) : v(x) { uint64_t b; memcpy(&b, &v, 8); h = hmix(1, b); }
    Kind kind() const override { return Kind::Num; }
    double eval(const double *) const override { return v; }
    P diff(int) const override { return num(0); }
    void print(std::string &out) const override { print_num(v, out); }
};

struct Var final : Expr {
    int i;
    explicit Var(int k) : i(k) { h = hmix(2, (uint64_t)k); }
    Kind kind() const override { return Kind::Var; }
    double eval(const double *x) const override { return x[i]; }
    P diff(int v) const override { return num(v == i ? 1 : 0); }
    void print(std::string &out) const override { out += (char)('x' + i); }
};

template <Kind K, char Sym>
struct Binary : Expr {
    P a, b;
    Binary(P x, P y) : a(std::move(x)), b(std::move(y))
    {
        h = hmix(hmix((uint64_t)K + 10, a->h), b->h);
        nodes = 1 + a->nodes + b->nodes;
    }
    Kind kind() const override { return K; }
    void print(std::string &out) const override
    {
        out += '(';
        a->print(out);
        out += ' ';
        out += Sym;
        out += ' ';
        b->print(out);
        out += ')';
    }
};

struct Add final : Binary<Kind::Add, '+'> {
    using Binary::Binary;
    double eval(const double *x) const override { return a->eval(x) + b->eval(x); }
    P diff(int v) const override { return add(a->diff(v), b->diff(v)); }
};

struct Mul final : Binary<Kind::Mul, '*'> {
    using Binary::Binary;
    double eval(const double *x) const override { return a->eval(x) * b->eval(x); }
    P diff(int v) const override { return add(mul(a->diff(v), b), mul(a, b->diff(v))); }
};

struct Div final : Binary<Kind::Div, '/'> {
    using Binary::Binary;
    double eval(const double *x) const override { return a->eval(x) / b->eval(x); }
    P diff(int v) const override { return divide(sub(mul(a->diff(v), b), mul(a, b->diff(v))), mul(b, b)); }
};

struct Neg final : Expr {
    P a;
    explicit Neg(P x) : a(std::move(x)) { h = hmix(20, a->h); nodes = 1 + a->nodes; }
    Kind kind() const override { return Kind::Neg; }
    double eval(const double *x) const override { return -a->eval(x); }
    P diff(int v) const override { return neg(a->diff(v)); }
    void print(std::string &out) const override { out += "-"; a->print(out); }
};

struct Pow final : Expr {
    P a;
    int n;
    Pow(P x, int k) : a(std::move(x)), n(k) { h = hmix(hmix(21, a->h), (uint64_t)k); nodes = 1 + a->nodes; }
    Kind kind() const override { return Kind::Pow; }
    double eval(const double *x) const override
    {
        double base = a->eval(x), r = 1.0;
        for (int i = 0; i < n; i++) r *= base;
        return r;
    }
    P diff(int v) const override { return mul(mul(num(n), pw(a, n - 1)), a->diff(v)); }
    void print(std::string &out) const override
    {
        a->print(out);
        out += '^';
        out += std::to_string(n);
    }
};

struct Sqrt final : Expr {
    P a;
    explicit Sqrt(P x) : a(std::move(x)) { h = hmix(22, a->h); nodes = 1 + a->nodes; }
    Kind kind() const override { return Kind::Sqrt; }
    double eval(const double *x) const override { return std::sqrt(a->eval(x)); }
    P diff(int v) const override { return divide(a->diff(v), mul(num(2), self())); }
    void print(std::string &out) const override { out += "sqrt("; a->print(out); out += ')'; }
};

static bool is_num(const P &e, double v) { return e->kind() == Kind::Num && static_cast<const Num &>(*e).v == v; }
static bool is_num(const P &e) { return e->kind() == Kind::Num; }
static double nv(const P &e) { return static_cast<const Num &>(*e).v; }

/* structural equality, using the hash as a fast reject */
static bool same(const P &x, const P &y);

P num(double v) { return std::make_shared<Num>(v); }
P var(int i) { return std::make_shared<Var>(i); }

P add(const P &a, const P &b)
{
    if (is_num(a) && is_num(b)) return num(nv(a) + nv(b));
    if (is_num(a, 0)) return b;
    if (is_num(b, 0)) return a;
    if (same(a, b)) return mul(num(2), a);
    if (b->kind() == Kind::Neg && same(static_cast<const Neg &>(*b).a, a)) return num(0);
    /* keep constants on the left and fold c1 + (c2 + e) */
    if (is_num(b)) return add(b, a);
    if (is_num(a) && b->kind() == Kind::Add) {
        const auto &bb = static_cast<const Add &>(*b);
        if (is_num(bb.a)) return add(num(nv(a) + nv(bb.a)), bb.b);
    }
    return std::make_shared<Add>(a, b);
}

P mul(const P &a, const P &b)
{
    if (is_num(a) && is_num(b)) return num(nv(a) * nv(b));
    if (is_num(a, 0) || is_num(b, 0)) return num(0);
    if (is_num(a, 1)) return b;
    if (is_num(b, 1)) return a;
    if (is_num(a, -1)) return neg(b);
    if (is_num(b)) return mul(b, a);
    if (is_num(a) && b->kind() == Kind::Mul) {
        const auto &bb = static_cast<const Mul &>(*b);
        if (is_num(bb.a)) return mul(num(nv(a) * nv(bb.a)), bb.b);
    }
    if (same(a, b)) return pw(a, 2);
    if (a->kind() == Kind::Pow && same(static_cast<const Pow &>(*a).a, b))
        return pw(b, static_cast<const Pow &>(*a).n + 1);
    return std::make_shared<Mul>(a, b);
}

P divide(const P &a, const P &b)
{
    if (is_num(a, 0)) return num(0);
    if (is_num(b, 1)) return a;
    if (is_num(a) && is_num(b)) return num(nv(a) / nv(b));
    if (same(a, b)) return num(1);
    return std::make_shared<Div>(a, b);
}

P neg(const P &a)
{
    if (is_num(a)) return num(-nv(a));
    if (a->kind() == Kind::Neg) return static_cast<const Neg &>(*a).a;
    return std::make_shared<Neg>(a);
}

P pw(const P &a, int n)
{
    if (n == 0) return num(1);
    if (n == 1) return a;
    if (is_num(a)) {
        double r = 1.0;
        for (int i = 0; i < n; i++) r *= nv(a);
        return num(r);
    }
    if (a->kind() == Kind::Pow) {
        const auto &pa = static_cast<const Pow &>(*a);
        return pw(pa.a, pa.n * n);
    }
    return std::make_shared<Pow>(a, n);
}

P sqrt_(const P &a) { return std::make_shared<Sqrt>(a); }

static bool same(const P &x, const P &y)
{
    if (x == y) return true;
    if (x->h != y->h || x->kind() != y->kind() || x->nodes != y->nodes) return false;
    switch (x->kind()) {
    case Kind::Num: return nv(x) == nv(y);
    case Kind::Var: return static_cast<const Var &>(*x).i == static_cast<const Var &>(*y).i;
    case Kind::Add: { auto &p = static_cast<const Add &>(*x), &q = static_cast<const Add &>(*y); return same(p.a, q.a) && same(p.b, q.b); }
    case Kind::Mul: { auto &p = static_cast<const Mul &>(*x), &q = static_cast<const Mul &>(*y); return same(p.a, q.a) && same(p.b, q.b); }
    case Kind::Div: { auto &p = static_cast<const Div &>(*x), &q = static_cast<const Div &>(*y); return same(p.a, q.a) && same(p.b, q.b); }
    case Kind::Neg: return same(static_cast<const Neg &>(*x).a, static_cast<const Neg &>(*y).a);
    case Kind::Pow: return static_cast<const Pow &>(*x).n == static_cast<const Pow &>(*y).n &&
                           same(static_cast<const Pow &>(*x).a, static_cast<const Pow &>(*y).a);
    case Kind::Sqrt: return same(static_cast<const Sqrt &>(*x).a, static_cast<const Sqrt &>(*y).a);
    }
    return false;
}

/* visit every node (post-order) through a template callback */
template <class F>
static void visit(const P &e, F &&f)
{
    if (e->kind() == Kind::Add) { visit(static_cast<const Add &>(*e).a, f); visit(static_cast<const Add &>(*e).b, f); }
    else if (e->kind() == Kind::Mul) { visit(static_cast<const Mul &>(*e).a, f); visit(static_cast<const Mul &>(*e).b, f); }
    else if (e->kind() == Kind::Div) { visit(static_cast<const Div &>(*e).a, f); visit(static_cast<const Div &>(*e).b, f); }
    else if (e->kind() == Kind::Neg) visit(static_cast<const Neg &>(*e).a, f);
    else if (e->kind() == Kind::Pow) visit(static_cast<const Pow &>(*e).a, f);
    else if (e->kind() == Kind::Sqrt) visit(static_cast<const Sqrt &>(*e).a, f);
    f(e);
}

static P gen(bench_rng &r, int depth)
{
    uint32_t k = rng_below(&r, depth <= 0 ? 3 : 12);
    switch (k) {
    case 0: return num((double)((int)rng_below(&r, 9) - 4));
    case 1: case 2: return var((int)rng_below(&r, 3));
    case 3: case 4: { P a = gen(r, depth - 1); P b = gen(r, depth - 1); return add(a, b); }
    case 5: { P a = gen(r, depth - 1); P b = gen(r, depth - 1); return sub(a, b); }
    case 6: case 7: { P a = gen(r, depth - 1); P b = gen(r, depth - 1); return mul(a, b); }
    case 8: {
        P u = gen(r, depth - 2);
        P a = gen(r, depth - 1);
        P c = num(1 + rng_below(&r, 3));
        return divide(a, add(c, mul(u, u)));
    }
    case 9: { P a = gen(r, depth - 1); return pw(a, 2 + (int)rng_below(&r, 2)); }
    case 10: {
        P u = gen(r, depth - 2);
        P c = num(1 + rng_below(&r, 2));
        return sqrt_(add(c, mul(u, u)));
    }
    default: return neg(gen(r, depth - 1));
    }
}

static uint64_t vbits(double v)
{
    if (v != v) return 0x7ff8dead;
    uint64_t b;
    memcpy(&b, &v, 8);
    return b;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 800);
    bench_rng rng{ 0x73796d6469666621ULL };
    double pts[16][3];
    for (auto &p : pts)
        for (double &c : p) c = (double)((int)rng_below(&rng, 301) - 150) / 100.0;

    double start = bench_now();
    uint64_t h = 0, total_nodes = 0, distinct_total = 0, chars = 0, asym = 0;
    std::string text;
    for (int round = 0; round < scale * 16; round++) {
        P e = gen(rng, 6);
        std::vector<P> all{ e };
        for (int i = 0; i < 3; i++) all.push_back(e->diff(i));
        for (int i = 0; i < 3; i++)
            for (int j = i; j < 3; j++) all.push_back(all[1 + (size_t)i]->diff(j));
        std::unordered_map<uint64_t, uint32_t> distinct;
        for (const P &x : all) {
            total_nodes += x->nodes;
            visit(x, [&](const P &n) { distinct[n->h]++; });
            for (const auto &p : pts) h = mix64(h, vbits(x->eval(p)));
        }
        distinct_total += distinct.size();
        /* mixed partials taken in the other order agree up to rounding; count the rare large gaps */
        double d01 = all[5]->eval(pts[round & 15]);
        double d10 = all[2]->diff(0)->eval(pts[round & 15]);
        double diff = d01 - d10, scalev = (d01 < 0 ? -d01 : d01) + 1.0;
        if (diff * diff > 1e-12 * scalev * scalev) asym++;
        text.clear();
        for (size_t i = 1; i < all.size(); i++) {
            all[i]->print(text);
            text += '\n';
        }
        uint64_t th = 1469598103934665603ULL;
        for (unsigned char c : text) { th ^= c; th *= 1099511628211ULL; }
        h = mix64(h, th);
        h = mix64(h, distinct.size());
        chars += text.size();
    }
    bench_report(start);
    printf("symdiff exprs=%d nodes=%llu distinct=%llu printed=%llu asym=%llu checksum=%016llx\n", scale * 16,
           (unsigned long long)total_nodes, (unsigned long long)distinct_total, (unsigned long long)chars,
           (unsigned long long)asym, (unsigned long long)h);
    return 0;
}
