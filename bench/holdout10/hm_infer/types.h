// hm_infer/types.h — type terms, the type pool, unification with levels, generalisation,
// instantiation and canonical printing.

enum Con : uint8_t { C_INT, C_BOOL, C_ARROW, C_PAIR, C_LIST };

struct Type {
    bool is_var = false;
    uint8_t con = C_INT;
    int level = 0;        // variables: binding level
    int owner = 0;        // variables: id of the let that generalised it (0: not generic, -1: builtin)
    Type *link = nullptr; // variables: what it was unified with
    Type *a = nullptr, *b = nullptr;
};

class TypePool {
public:
    Type *var(int level)
    {
        Type &t = pool_.emplace_back();
        t.is_var = true;
        t.level = level;
        return &t;
    }
    Type *con(Con c, Type *a = nullptr, Type *b = nullptr)
    {
        Type &t = pool_.emplace_back();
        t.con = c;
        t.a = a;
        t.b = b;
        return &t;
    }
    Type *arrow(Type *a, Type *b) { return con(C_ARROW, a, b); }
    void clear() { pool_.clear(); }
    size_t size() const { return pool_.size(); }

private:
    std::deque<Type> pool_;
};

static Type *resolve(Type *t)
{
    while (t->is_var && t->link) {
        if (t->link->is_var && t->link->link) t->link = t->link->link; // path halving
        t = t->link;
    }
    return t;
}

// Occurs check; also lowers the levels of the variables of t to v's level.
static bool occurs_adjust(Type *v, Type *t)
{
    t = resolve(t);
    if (t == v) return true;
    if (t->is_var) {
        if (t->level > v->level) t->level = v->level;
        return false;
    }
    return (t->a && occurs_adjust(v, t->a)) || (t->b && occurs_adjust(v, t->b));
}

static bool unify(Type *x, Type *y)
{
    x = resolve(x);
    y = resolve(y);
    if (x == y) return true;
    if (x->is_var) {
        if (occurs_adjust(x, y)) return false;
        x->link = y;
        return true;
    }
    if (y->is_var) return unify(y, x);
    if (x->con != y->con) return false;
    return (!x->a || unify(x->a, y->a)) && (!x->b || unify(x->b, y->b));
}

static void generalize(Type *t, int level, int owner)
{
    t = resolve(t);
    if (t->is_var) {
        if (t->level > level && t->owner == 0) t->owner = owner;
        return;
    }
    if (t->a) generalize(t->a, level, owner);
    if (t->b) generalize(t->b, level, owner);
}

using VarMap = std::vector<std::pair<Type *, Type *>>;

static Type *instantiate(TypePool &pool, Type *t, int level, VarMap &map)
{
    t = resolve(t);
    if (t->is_var) {
        if (t->owner == 0) return t;
        for (auto &p : map)
            if (p.first == t) return p.second;
        Type *fresh = pool.var(level);
        map.emplace_back(t, fresh);
        return fresh;
    }
    if (!t->a) return t;
    Type *a = instantiate(pool, t->a, level, map);
    Type *b = t->b ? instantiate(pool, t->b, level, map) : nullptr;
    if (a == t->a && b == t->b) return t;
    return pool.con(static_cast<Con>(t->con), a, b);
}

static bool type_equal(Type *x, Type *y)
{
    x = resolve(x);
    y = resolve(y);
    if (x == y) return true;
    if (x->is_var || y->is_var || x->con != y->con) return false;
    return (!x->a || type_equal(x->a, y->a)) && (!x->b || type_equal(x->b, y->b));
}

static bool contains_owned(Type *t, int owner)
{
    t = resolve(t);
    if (t->is_var) return t->owner == owner;
    return (t->a && contains_owned(t->a, owner)) || (t->b && contains_owned(t->b, owner));
}

static size_t type_size(Type *t)
{
    t = resolve(t);
    return 1 + (t->a ? type_size(t->a) : 0) + (t->b ? type_size(t->b) : 0);
}

// Canonical text: variables named 'a, 'b, ... in order of first appearance.
class TypePrinter {
public:
    std::string print(Type *t)
    {
        out_.clear();
        vars_.clear();
        go(t, false);
        return out_;
    }

private:
    void go(Type *t, bool arrow_left)
    {
        t = resolve(t);
        if (t->is_var) {
            size_t i = 0;
            while (i < vars_.size() && vars_[i] != t) i++;
            if (i == vars_.size()) vars_.push_back(t);
            out_ += '\'';
            out_ += static_cast<char>('a' + i % 26);
            if (i >= 26) out_ += std::to_string(i / 26);
            return;
        }
        switch (t->con) {
        case C_INT: out_ += "int"; break;
        case C_BOOL: out_ += "bool"; break;
        case C_LIST: out_ += '['; go(t->a, false); out_ += ']'; break;
        case C_PAIR: out_ += '('; go(t->a, false); out_ += " * "; go(t->b, false); out_ += ')'; break;
        default:
            if (arrow_left) out_ += '(';
            go(t->a, true);
            out_ += " -> ";
            go(t->b, false);
            if (arrow_left) out_ += ')';
        }
    }
    std::string out_;
    std::vector<Type *> vars_;
};
