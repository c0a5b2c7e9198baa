// hm_infer/parse.h — builtin type schemes and a recursive-descent parser for the term syntax
//   e ::= \x. e | let x = e in e | if e then e else e | a a ...      a ::= x | n | true | false | (e)

class Builtins {
public:
    Builtins(Names &names)
    {
        auto v = [this] { Type *t = pool_.var(0); t->owner = -1; return t; };
        Type *i = pool_.con(C_INT), *b = pool_.con(C_BOOL);
        auto arr = [this](Type *x, Type *y) { return pool_.arrow(x, y); };
        Type *iii = arr(i, arr(i, i)), *iib = arr(i, arr(i, b));
        add(names, "add", iii);
        add(names, "sub", iii);
        add(names, "mul", iii);
        add(names, "eq", iib);
        add(names, "lt", iib);
        add(names, "not", arr(b, b));
        Type *a = v(), *c = v();
        add(names, "pair", arr(a, arr(c, pool_.con(C_PAIR, a, c))));
        a = v(); c = v();
        add(names, "fst", arr(pool_.con(C_PAIR, a, c), a));
        a = v(); c = v();
        add(names, "snd", arr(pool_.con(C_PAIR, a, c), c));
        a = v();
        add(names, "nil", pool_.con(C_LIST, a));
        a = v();
        add(names, "cons", arr(a, arr(pool_.con(C_LIST, a), pool_.con(C_LIST, a))));
        a = v();
        add(names, "head", arr(pool_.con(C_LIST, a), a));
        a = v();
        add(names, "tail", arr(pool_.con(C_LIST, a), pool_.con(C_LIST, a)));
        a = v();
        add(names, "isnil", arr(pool_.con(C_LIST, a), b));
        a = v();
        add(names, "fix", arr(arr(a, a), a));
        a = v();
        add(names, "id", arr(a, a));
        a = v(); c = v();
        add(names, "const", arr(a, arr(c, a)));
        a = v(); c = v();
        Type *d = v();
        add(names, "compose", arr(arr(c, d), arr(arr(a, c), arr(a, d))));
    }
    const std::vector<Binding> &env() const { return env_; }

private:
    void add(Names &names, const char *n, Type *t) { env_.push_back({ names.intern(n), t, -1 }); }
    TypePool pool_;
    std::vector<Binding> env_;
};

class Parser {
public:
    Parser(const std::string &src, Names &names) : s_(src), names_(names) {}
    ExprPtr parse()
    {
        ExprPtr e = expr(0);
        skip();
        if (pos_ != s_.size()) return nullptr;
        return e;
    }

private:
    void skip()
    {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) pos_++;
    }
    bool eat(char c)
    {
        skip();
        if (pos_ < s_.size() && s_[pos_] == c) {
            pos_++;
            return true;
        }
        return false;
    }
    std::string word()
    {
        skip();
        size_t start = pos_;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) pos_++;
        return s_.substr(start, pos_ - start);
    }
    bool keyword(const char *kw)
    {
        skip();
        size_t n = std::strlen(kw);
        if (s_.compare(pos_, n, kw) != 0) return false;
        if (pos_ + n < s_.size() && std::isalnum(static_cast<unsigned char>(s_[pos_ + n]))) return false;
        pos_ += n;
        return true;
    }
    static bool reserved(const std::string &w)
    {
        return w == "let" || w == "in" || w == "if" || w == "then" || w == "else";
    }
    ExprPtr expr(int depth)
    {
        if (depth > 200) return nullptr;
        if (eat('\\')) {
            std::string x = word();
            if (x.empty() || reserved(x) || !eat('.')) return nullptr;
            ExprPtr body = expr(depth + 1);
            if (!body) return nullptr;
            return std::make_unique<Lam>(names_.intern(x), std::move(body));
        }
        if (keyword("let")) {
            std::string x = word();
            if (x.empty() || reserved(x) || !eat('=')) return nullptr;
            ExprPtr b = expr(depth + 1);
            if (!b || !keyword("in")) return nullptr;
            ExprPtr e = expr(depth + 1);
            if (!e) return nullptr;
            return std::make_unique<Let>(names_.intern(x), std::move(b), std::move(e));
        }
        if (keyword("if")) {
            ExprPtr c = expr(depth + 1);
            if (!c || !keyword("then")) return nullptr;
            ExprPtr t = expr(depth + 1);
            if (!t || !keyword("else")) return nullptr;
            ExprPtr e = expr(depth + 1);
            if (!e) return nullptr;
            return std::make_unique<If>(std::move(c), std::move(t), std::move(e));
        }
        ExprPtr f = atom(depth);
        if (!f) return nullptr;
        for (;;) {
            skip();
            if (pos_ >= s_.size() || s_[pos_] == ')' || at_keyword()) return f;
            ExprPtr a = atom(depth);
            if (!a) return nullptr;
            f = std::make_unique<App>(std::move(f), std::move(a));
        }
    }
    bool at_keyword()
    {
        size_t save = pos_;
        bool k = keyword("in") || keyword("then") || keyword("else");
        pos_ = save;
        return k;
    }
    ExprPtr atom(int depth)
    {
        skip();
        if (pos_ >= s_.size()) return nullptr;
        char c = s_[pos_];
        if (c == '(') {
            pos_++;
            ExprPtr e = expr(depth + 1);
            if (!e || !eat(')')) return nullptr;
            return e;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            std::string w = word();
            return std::make_unique<IntLit>(std::atoi(w.c_str()));
        }
        std::string w = word();
        if (w.empty() || reserved(w)) return nullptr;
        if (w == "true") return std::make_unique<BoolLit>(true);
        if (w == "false") return std::make_unique<BoolLit>(false);
        return std::make_unique<Var>(names_.intern(w));
    }

    const std::string &s_;
    size_t pos_ = 0;
    Names &names_;
};
