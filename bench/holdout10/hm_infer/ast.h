// hm_infer/ast.h — expression classes with virtual inference (algorithm J with levels), an
// independent annotation checker, and printing.

class Names {
public:
    int intern(const std::string &s)
    {
        auto it = map_.find(s);
        if (it != map_.end()) return it->second;
        int id = static_cast<int>(names_.size());
        names_.push_back(s);
        map_.emplace(s, id);
        return id;
    }
    const std::string &name(int id) const { return names_[static_cast<size_t>(id)]; }

private:
    std::unordered_map<std::string, int> map_;
    std::vector<std::string> names_;
};

struct Binding {
    int name;
    Type *type;
    int owner; // 0: lambda-bound (monomorphic); otherwise the owner id of its generic variables
};

struct Infer {
    TypePool &pool;
    std::vector<Binding> env;
    int level = 1;
    int next_let = 1;
    bool failed = false;

    explicit Infer(TypePool &p) : pool(p) {}
    const Binding *lookup(int name) const
    {
        for (size_t i = env.size(); i-- > 0;)
            if (env[i].name == name) return &env[i];
        return nullptr;
    }
    void expect(Type *x, Type *y)
    {
        if (!unify(x, y)) failed = true;
    }
};

struct Checker {
    std::vector<Binding> env;
    bool ok = true;
    const Binding *lookup(int name) const
    {
        for (size_t i = env.size(); i-- > 0;)
            if (env[i].name == name) return &env[i];
        return nullptr;
    }
};

// Does t arise from scheme s by replacing the variables owned by `owner`?
static bool instance_match(Type *s, Type *t, int owner, VarMap &map)
{
    s = resolve(s);
    t = resolve(t);
    if (s->is_var) {
        if (owner == 0 || s->owner != owner) return s == t;
        for (auto &p : map)
            if (p.first == s) return type_equal(p.second, t);
        map.emplace_back(s, t);
        return true;
    }
    if (t->is_var || s->con != t->con) return false;
    return (!s->a || instance_match(s->a, t->a, owner, map)) && (!s->b || instance_match(s->b, t->b, owner, map));
}

class Expr {
public:
    virtual ~Expr() = default;
    virtual Type *infer(Infer &in) = 0;
    virtual void check(Checker &c) const = 0;
    virtual void print(std::string &out, const Names &names) const = 0;
    virtual int size() const = 0;
    Type *ty = nullptr;
};
using ExprPtr = std::unique_ptr<Expr>;

class IntLit final : public Expr {
public:
    explicit IntLit(int v) : value(v) {}
    Type *infer(Infer &in) override { return ty = in.pool.con(C_INT); }
    void check(Checker &c) const override
    {
        Type *t = resolve(ty);
        if (t->is_var || t->con != C_INT) c.ok = false;
    }
    void print(std::string &out, const Names &) const override { out += std::to_string(value); }
    int size() const override { return 1; }
    int value;
};

class BoolLit final : public Expr {
public:
    explicit BoolLit(bool v) : value(v) {}
    Type *infer(Infer &in) override { return ty = in.pool.con(C_BOOL); }
    void check(Checker &c) const override
    {
        Type *t = resolve(ty);
        if (t->is_var || t->con != C_BOOL) c.ok = false;
    }
    void print(std::string &out, const Names &) const override { out += value ? "true" : "false"; }
    int size() const override { return 1; }
    bool value;
};

class Var final : public Expr {
public:
    explicit Var(int n) : name(n) {}
    Type *infer(Infer &in) override
    {
        const Binding *b = in.lookup(name);
        if (!b) {
            in.failed = true;
            return ty = in.pool.var(in.level);
        }
        VarMap map;
        return ty = instantiate(in.pool, b->type, in.level, map);
    }
    void check(Checker &c) const override
    {
        const Binding *b = c.lookup(name);
        VarMap map;
        if (!b || !instance_match(b->type, ty, b->owner, map)) c.ok = false;
    }
    void print(std::string &out, const Names &names) const override { out += names.name(name); }
    int size() const override { return 1; }
    int name;
};

class Lam final : public Expr {
public:
    Lam(int p, ExprPtr b) : param(p), body(std::move(b)) {}
    Type *infer(Infer &in) override
    {
        param_ty = in.pool.var(in.level);
        in.env.push_back({ param, param_ty, 0 });
        Type *r = body->infer(in);
        in.env.pop_back();
        return ty = in.pool.arrow(param_ty, r);
    }
    void check(Checker &c) const override
    {
        Type *t = resolve(ty);
        if (t->is_var || t->con != C_ARROW || !type_equal(t->a, param_ty) || !type_equal(t->b, body->ty)) c.ok = false;
        c.env.push_back({ param, param_ty, 0 });
        body->check(c);
        c.env.pop_back();
    }
    void print(std::string &out, const Names &names) const override
    {
        out += "(\\";
        out += names.name(param);
        out += ". ";
        body->print(out, names);
        out += ')';
    }
    int size() const override { return 1 + body->size(); }
    int param;
    ExprPtr body;
    Type *param_ty = nullptr;
};

class App final : public Expr {
public:
    App(ExprPtr f, ExprPtr a) : fn(std::move(f)), arg(std::move(a)) {}
    Type *infer(Infer &in) override
    {
        Type *f = fn->infer(in);
        Type *a = arg->infer(in);
        ty = in.pool.var(in.level);
        in.expect(f, in.pool.arrow(a, ty));
        return ty;
    }
    void check(Checker &c) const override
    {
        fn->check(c);
        arg->check(c);
        Type *f = resolve(fn->ty);
        if (f->is_var || f->con != C_ARROW || !type_equal(f->a, arg->ty) || !type_equal(f->b, ty)) c.ok = false;
    }
    void print(std::string &out, const Names &names) const override
    {
        out += '(';
        fn->print(out, names);
        out += ' ';
        arg->print(out, names);
        out += ')';
    }
    int size() const override { return 1 + fn->size() + arg->size(); }
    ExprPtr fn, arg;
};

class Let final : public Expr {
public:
    Let(int n, ExprPtr b, ExprPtr e) : name(n), bound(std::move(b)), body(std::move(e)) {}
    Type *infer(Infer &in) override
    {
        in.level++;
        Type *b = bound->infer(in);
        in.level--;
        let_id = in.next_let++;
        generalize(b, in.level, let_id);
        in.env.push_back({ name, b, let_id });
        ty = body->infer(in);
        in.env.pop_back();
        return ty;
    }
    void check(Checker &c) const override
    {
        bound->check(c);
        for (const Binding &b : c.env) // generalised variables must not be free in the context
            if (b.owner == 0 && contains_owned(b.type, let_id)) c.ok = false;
        c.env.push_back({ name, bound->ty, let_id });
        body->check(c);
        c.env.pop_back();
        if (!type_equal(ty, body->ty)) c.ok = false;
    }
    void print(std::string &out, const Names &names) const override
    {
        out += "(let ";
        out += names.name(name);
        out += " = ";
        bound->print(out, names);
        out += " in ";
        body->print(out, names);
        out += ')';
    }
    int size() const override { return 1 + bound->size() + body->size(); }
    int name;
    ExprPtr bound, body;
    int let_id = 0;
};

class If final : public Expr {
public:
    If(ExprPtr c, ExprPtr t, ExprPtr e) : cond(std::move(c)), then_(std::move(t)), else_(std::move(e)) {}
    Type *infer(Infer &in) override
    {
        in.expect(cond->infer(in), in.pool.con(C_BOOL));
        ty = then_->infer(in);
        in.expect(ty, else_->infer(in));
        return ty;
    }
    void check(Checker &c) const override
    {
        cond->check(c);
        then_->check(c);
        else_->check(c);
        Type *b = resolve(cond->ty);
        if (b->is_var || b->con != C_BOOL || !type_equal(ty, then_->ty) || !type_equal(ty, else_->ty)) c.ok = false;
    }
    void print(std::string &out, const Names &names) const override
    {
        out += "(if ";
        cond->print(out, names);
        out += " then ";
        then_->print(out, names);
        out += " else ";
        else_->print(out, names);
        out += ')';
    }
    int size() const override { return 1 + cond->size() + then_->size() + else_->size(); }
    ExprPtr cond, then_, else_;
};
