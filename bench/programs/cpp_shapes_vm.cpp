/* cpp_shapes_vm — a tree-walking evaluator: a class hierarchy of expression nodes (constants,
 * variables, + - * on 64-bit and 32-bit wrapping integers, division and remainder by a nonzero
 * divisor, xor, shifts, a conditional IfLess, assignment to a variable, and a sequence node), each
 * with a virtual eval(Env&), owned through std::unique_ptr. A random forest of expressions is
 * generated once and evaluated many times with varying variable values; the results are
 * checksummed. Represents object-oriented C++ dominated by virtual calls through base-class
 * pointers (an AST interpreter, or any "shapes" hierarchy). */
#include "bench.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

struct Env {
    static const int kVars = 8;
    uint64_t vars[kVars];
};

class Expr {
public:
    virtual ~Expr() = default;
    virtual uint64_t eval(Env &env) const = 0;
    virtual size_t count() const { return 1; }
};

using ExprPtr = std::unique_ptr<Expr>;

class Const : public Expr {
public:
    explicit Const(uint64_t value) : value_(value) {}
    uint64_t eval(Env &) const override { return value_; }

private:
    uint64_t value_;
};

class Var : public Expr {
public:
    explicit Var(int index) : index_(index) {}
    uint64_t eval(Env &env) const override { return env.vars[index_]; }

private:
    int index_;
};

class Binary : public Expr {
public:
    Binary(ExprPtr lhs, ExprPtr rhs) : lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
    size_t count() const override { return 1 + lhs_->count() + rhs_->count(); }

protected:
    ExprPtr lhs_, rhs_;
};

class Add : public Binary {
public:
    using Binary::Binary;
    uint64_t eval(Env &env) const override { return lhs_->eval(env) + rhs_->eval(env); }
};

class Sub : public Binary {
public:
    using Binary::Binary;
    uint64_t eval(Env &env) const override
    {
        uint64_t a = lhs_->eval(env);
        return a - rhs_->eval(env);
    }
};

class Mul : public Binary {
public:
    using Binary::Binary;
    uint64_t eval(Env &env) const override
    {
        uint64_t a = lhs_->eval(env);
        return a * rhs_->eval(env);
    }
};

/* 32-bit wrapping multiply, zero-extended. */
class Mul32 : public Binary {
public:
    using Binary::Binary;
    uint64_t eval(Env &env) const override
    {
        uint32_t a = static_cast<uint32_t>(lhs_->eval(env));
        uint32_t b = static_cast<uint32_t>(rhs_->eval(env));
        return static_cast<uint32_t>(a * b);
    }
};

/* Division by a nonzero divisor: a zero divisor is replaced by one. */
class Div : public Binary {
public:
    using Binary::Binary;
    uint64_t eval(Env &env) const override
    {
        uint64_t a = lhs_->eval(env);
        uint64_t b = rhs_->eval(env);
        return a / (b != 0 ? b : 1);
    }
};

/* 32-bit remainder by a nonzero divisor. */
class Mod32 : public Binary {
public:
    using Binary::Binary;
    uint64_t eval(Env &env) const override
    {
        uint32_t a = static_cast<uint32_t>(lhs_->eval(env));
        uint32_t b = static_cast<uint32_t>(rhs_->eval(env));
        return b != 0 ? a % b : a;
    }
};

class Xor : public Binary {
public:
    using Binary::Binary;
    uint64_t eval(Env &env) const override
    {
        uint64_t a = lhs_->eval(env);
        return a ^ rhs_->eval(env);
    }
};

class Shr : public Binary {
public:
    using Binary::Binary;
    uint64_t eval(Env &env) const override
    {
        uint64_t a = lhs_->eval(env);
        return a >> (rhs_->eval(env) & 63);
    }
};

/* Evaluates both sides for their effects, yields the right one. */
class Seq : public Binary {
public:
    using Binary::Binary;
    uint64_t eval(Env &env) const override
    {
        lhs_->eval(env);
        return rhs_->eval(env);
    }
};

class IfLess : public Expr {
public:
    IfLess(ExprPtr a, ExprPtr b, ExprPtr then, ExprPtr otherwise)
        : a_(std::move(a)), b_(std::move(b)), then_(std::move(then)), else_(std::move(otherwise)) {}
    uint64_t eval(Env &env) const override
    {
        uint64_t a = a_->eval(env);
        uint64_t b = b_->eval(env);
        return a < b ? then_->eval(env) : else_->eval(env);
    }
    size_t count() const override { return 1 + a_->count() + b_->count() + then_->count() + else_->count(); }

private:
    ExprPtr a_, b_, then_, else_;
};

class Assign : public Expr {
public:
    Assign(int index, ExprPtr value) : index_(index), value_(std::move(value)) {}
    uint64_t eval(Env &env) const override
    {
        uint64_t v = value_->eval(env);
        env.vars[index_] = v;
        return v;
    }
    size_t count() const override { return 1 + value_->count(); }

private:
    int index_;
    ExprPtr value_;
};

class Generator {
public:
    Generator(bench_rng *rng, int max_depth) : rng_(rng), max_depth_(max_depth) {}

    ExprPtr make(int depth)
    {
        /* Leaves get likelier with depth, so trees are bushy near the root and vary in size. */
        if (depth >= max_depth_ || rng_below(rng_, 100) < static_cast<uint32_t>(6 + 6 * depth)) {
            if (rng_below(rng_, 3) == 0)
                return std::make_unique<Const>(rng_below(rng_, 4) == 0 ? rng_next(rng_) : rng_below(rng_, 100));
            return std::make_unique<Var>(static_cast<int>(rng_below(rng_, Env::kVars)));
        }
        uint32_t kind = rng_below(rng_, 24);
        int d = depth + 1;
        switch (kind) {
        case 0: case 1: case 2: case 3: return std::make_unique<Add>(make(d), make(d));
        case 4: case 5: case 6: return std::make_unique<Sub>(make(d), make(d));
        case 7: case 8: case 9: return std::make_unique<Mul>(make(d), make(d));
        case 10: case 11: return std::make_unique<Mul32>(make(d), make(d));
        case 12: return std::make_unique<Div>(make(d), make(d));
        case 13: return std::make_unique<Mod32>(make(d), make(d));
        case 14: case 15: return std::make_unique<Xor>(make(d), make(d));
        case 16: return std::make_unique<Shr>(make(d), make(d));
        case 17: return std::make_unique<Seq>(make(d), make(d));
        case 18: case 19: case 20: {
            ExprPtr a = make(d), b = make(d), t = make(d), e = make(d);
            return std::make_unique<IfLess>(std::move(a), std::move(b), std::move(t), std::move(e));
        }
        default:
            return std::make_unique<Assign>(static_cast<int>(rng_below(rng_, Env::kVars)), make(d));
        }
    }

private:
    bench_rng *rng_;
    int max_depth_;
};

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 7);
    bench_rng rng = { 0xa57 };
    Generator gen(&rng, 12);
    std::vector<ExprPtr> forest;
    size_t nodes = 0;
    while (nodes < 20000) {
        forest.push_back(gen.make(0));
        nodes += forest.back()->count();
    }

    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    Env env;
    const int evals_per_scale = 1000;
    for (int it = 0; it < scale * evals_per_scale; it++) {
        for (int v = 0; v < Env::kVars; v++)
            env.vars[v] = (v & 1) ? rng_next(&rng) : rng_below(&rng, 1000);
        uint64_t acc = 0;
        for (const ExprPtr &tree : forest)
            acc = acc * 31 + tree->eval(env);
        h = mix64(h, acc);
        h = mix64(h, env.vars[it & (Env::kVars - 1)]);
    }
    bench_report(start);
    printf("cpp_shapes_vm trees=%zu nodes=%zu evals=%d checksum=%016llx\n", forest.size(), nodes,
           scale * evals_per_scale, (unsigned long long)h);
    return 0;
}
