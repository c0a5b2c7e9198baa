// hm_infer/gen.h — type-directed generator of well-typed terms for ground target types, with an
// optional ill-typed subterm planted somewhere inside.

class Generator {
public:
    Generator(Names &names, TypePool &pool, bench_rng &rng) : names_(names), pool_(pool), rng_(rng)
    {
        for (const char *n : { "add", "sub", "mul", "eq", "lt", "not", "pair", "fst", "snd", "nil", "cons", "head",
                               "tail", "isnil", "const", "compose" })
            builtin_.push_back(names.intern(n));
    }

    Type *random_type(int depth)
    {
        uint32_t r = rng_below(&rng_, 10);
        if (depth == 0 || r < 3) return pool_.con(C_INT);
        if (r < 5) return pool_.con(C_BOOL);
        if (r < 7) return pool_.arrow(random_type(depth - 1), random_type(depth - 1));
        if (r < 8) return pool_.con(C_PAIR, random_type(depth - 1), random_type(depth - 1));
        return pool_.con(C_LIST, random_type(depth - 1));
    }

    // poison_at >= 0 plants `(1 true)` at that generation step; planted() tells whether it was.
    ExprPtr generate(Type *target, int depth, int poison_at)
    {
        env_.clear();
        fresh_ = 0;
        countdown_ = poison_at;
        planted_ = false;
        return gen(target, depth);
    }
    bool planted() const { return planted_; }

private:
    struct GenBinding { int name; Type *type; bool poly_id; };

    ExprPtr var(int n) { return std::make_unique<Var>(n); }
    ExprPtr app(ExprPtr f, ExprPtr a) { return std::make_unique<App>(std::move(f), std::move(a)); }
    ExprPtr app2(int f, ExprPtr a, ExprPtr b) { return app(app(var(f), std::move(a)), std::move(b)); }
    int b(int i) const { return builtin_[static_cast<size_t>(i)]; }
    int fresh_name()
    {
        std::string s = "v" + std::to_string(fresh_++);
        return names_.intern(s);
    }
    int find_var(Type *t)
    {
        int found = -1, seen = 0;
        for (const GenBinding &g : env_)
            if (!g.poly_id && type_equal(g.type, t) && rng_below(&rng_, static_cast<uint32_t>(++seen)) == 0)
                found = g.name;
        return found;
    }
    int find_poly()
    {
        for (size_t i = env_.size(); i-- > 0;)
            if (env_[i].poly_id) return env_[i].name;
        return -1;
    }

    ExprPtr leaf(Type *t)
    {
        int v = rng_below(&rng_, 2) ? find_var(t) : -1;
        if (v >= 0) return var(v);
        switch (t->con) {
        case C_INT: return std::make_unique<IntLit>(static_cast<int>(rng_below(&rng_, 100)));
        case C_BOOL: return std::make_unique<BoolLit>(rng_below(&rng_, 2) != 0);
        case C_LIST: return var(b(9)); // nil
        case C_PAIR: return app2(b(6), leaf(t->a), leaf(t->b));
        default: {
            int x = fresh_name();
            env_.push_back({ x, t->a, false });
            ExprPtr body = leaf(t->b);
            env_.pop_back();
            return std::make_unique<Lam>(x, std::move(body));
        }
        }
    }

    ExprPtr gen(Type *t, int depth)
    {
        if (countdown_-- == 0) {
            planted_ = true;
            return app(std::make_unique<IntLit>(1), std::make_unique<BoolLit>(true));
        }
        if (depth <= 0) return leaf(t);
        switch (rng_below(&rng_, 12)) {
        case 0: {
            int v = find_var(t);
            if (v >= 0) return var(v);
            break;
        }
        case 1: {
            Type *a = random_type(2);
            int x = fresh_name();
            ExprPtr bound = gen(a, depth - 1);
            env_.push_back({ x, a, false });
            ExprPtr body = gen(t, depth - 1);
            env_.pop_back();
            return std::make_unique<Let>(x, std::move(bound), std::move(body));
        }
        case 2: {
            Type *a = random_type(1);
            ExprPtr f = gen(pool_.arrow(a, t), depth - 1);
            return app(std::move(f), gen(a, depth - 1));
        }
        case 3: {
            ExprPtr c = gen(pool_.con(C_BOOL), depth - 1);
            ExprPtr x = gen(t, depth - 1);
            return std::make_unique<If>(std::move(c), std::move(x), gen(t, depth - 1));
        }
        case 4: { // polymorphic identity bound by let and used at this type
            int f = fresh_name(), y = fresh_name();
            ExprPtr id = std::make_unique<Lam>(y, var(y));
            env_.push_back({ f, nullptr, true });
            ExprPtr body = gen(t, depth - 1);
            env_.pop_back();
            return std::make_unique<Let>(f, std::move(id), std::move(body));
        }
        case 5: {
            int f = find_poly();
            if (f >= 0) return app(var(f), gen(t, depth - 1));
            ExprPtr x = gen(t, depth - 1);
            return app2(b(14), std::move(x), gen(random_type(1), depth - 2)); // const
        }
        case 6:
            if (rng_below(&rng_, 2)) return app(var(b(11)), gen(pool_.con(C_LIST, t), depth - 1)); // head
            return app(var(b(7)), gen(pool_.con(C_PAIR, t, random_type(1)), depth - 1));     // fst
        default: break;
        }
        switch (t->con) {
        case C_INT: {
            if (rng_below(&rng_, 4) == 0) return leaf(t);
            ExprPtr x = gen(t, depth - 1);
            return app2(b(static_cast<int>(rng_below(&rng_, 3))), std::move(x), gen(t, depth - 1));
        }
        case C_BOOL: {
            uint32_t r = rng_below(&rng_, 3);
            Type *i = pool_.con(C_INT);
            if (r == 0) {
                ExprPtr x = gen(i, depth - 1);
                return app2(b(3 + static_cast<int>(rng_below(&rng_, 2))), std::move(x), gen(i, depth - 1));
            }
            if (r == 1) return app(var(b(5)), gen(t, depth - 1));
            return app(var(b(13)), gen(pool_.con(C_LIST, random_type(1)), depth - 1)); // isnil
        }
        case C_PAIR: {
            ExprPtr x = gen(t->a, depth - 1);
            return app2(b(6), std::move(x), gen(t->b, depth - 1));
        }
        case C_LIST: {
            uint32_t r = rng_below(&rng_, 3);
            if (r == 0) return app(var(b(12)), gen(t, depth - 1)); // tail
            ExprPtr x = gen(t->a, depth - 1);
            return app2(b(10), std::move(x), gen(t, depth - 1));  // cons
        }
        default: {
            if (rng_below(&rng_, 4) == 0) { // compose (c -> b) (a -> c)
                Type *c = random_type(1);
                ExprPtr f = gen(pool_.arrow(c, t->b), depth - 1);
                return app2(b(15), std::move(f), gen(pool_.arrow(t->a, c), depth - 1));
            }
            int x = fresh_name();
            env_.push_back({ x, t->a, false });
            ExprPtr body = gen(t->b, depth - 1);
            env_.pop_back();
            return std::make_unique<Lam>(x, std::move(body));
        }
        }
    }

    Names &names_;
    TypePool &pool_;
    bench_rng &rng_;
    std::vector<int> builtin_;
    std::vector<GenBinding> env_;
    int fresh_ = 0, countdown_ = -1;
    bool planted_ = false;
};
