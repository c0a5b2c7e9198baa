// json_patch/patch.h -- JSON Pointer (RFC 6901: '/'-separated tokens, ~0 and ~1 escapes,
// array indices without leading zeros, '-' for the end) and JSON Patch (RFC 6902) operations
// as classes behind a virtual interface: add, remove, replace, move, copy, test. A patch is
// applied to a copy and committed only if every operation succeeds.

using Tokens = std::vector<std::string>;

static std::string escape_token(std::string_view key)
{
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

static bool parse_pointer(std::string_view p, Tokens &out)
{
    out.clear();
    if (p.empty())
        return true;
    if (p[0] != '/')
        return false;
    size_t i = 1;
    for (;;) {
        std::string tok;
        while (i < p.size() && p[i] != '/') {
            if (p[i] == '~') {
                if (i + 1 >= p.size() || (p[i + 1] != '0' && p[i + 1] != '1'))
                    return false;
                tok += p[i + 1] == '0' ? '~' : '/';
                i += 2;
            } else {
                tok += p[i++];
            }
        }
        out.push_back(std::move(tok));
        if (i >= p.size())
            return true;
        i++; /* past '/' */
    }
}

static std::string make_pointer(const Tokens &t)
{
    std::string s;
    for (const auto &tok : t) {
        s += '/';
        s += escape_token(tok);
    }
    return s;
}

// array index: digits without leading zeros, below limit
static bool array_index(const std::string &tok, size_t limit, size_t &idx)
{
    if (tok.empty() || tok.size() > 9 || (tok.size() > 1 && tok[0] == '0'))
        return false;
    idx = 0;
    for (char c : tok) {
        if (c < '0' || c > '9')
            return false;
        idx = idx * 10 + (size_t)(c - '0');
    }
    return idx < limit;
}

static Value *resolve(Value &root, const Tokens &t, size_t n)
{
    Value *cur = &root;
    for (size_t i = 0; i < n; i++) {
        if (Object *o = cur->object()) {
            auto it = obj_find(*o, t[i]);
            if (it == o->end())
                return nullptr;
            cur = &it->value;
        } else if (Array *a = cur->array()) {
            size_t idx;
            if (!array_index(t[i], a->size(), idx))
                return nullptr;
            cur = &(*a)[idx];
        } else {
            return nullptr;
        }
    }
    return cur;
}

static bool add_at(Value &doc, const Tokens &t, Value v)
{
    if (t.empty()) {
        doc = std::move(v);
        return true;
    }
    Value *parent = resolve(doc, t, t.size() - 1);
    if (!parent)
        return false;
    const std::string &last = t.back();
    if (Object *o = parent->object()) {
        obj_set(*o, last, std::move(v));
        return true;
    }
    if (Array *a = parent->array()) {
        size_t idx;
        if (last == "-")
            idx = a->size();
        else if (!array_index(last, a->size() + 1, idx))
            return false;
        a->insert(a->begin() + (std::ptrdiff_t)idx, std::move(v));
        return true;
    }
    return false;
}

static bool remove_at(Value &doc, const Tokens &t, Value *removed)
{
    if (t.empty())
        return false;
    Value *parent = resolve(doc, t, t.size() - 1);
    if (!parent)
        return false;
    if (Object *o = parent->object()) {
        auto it = obj_find(*o, t.back());
        if (it == o->end())
            return false;
        if (removed)
            *removed = std::move(it->value);
        o->erase(it);
        return true;
    }
    if (Array *a = parent->array()) {
        size_t idx;
        if (!array_index(t.back(), a->size(), idx))
            return false;
        if (removed)
            *removed = std::move((*a)[idx]);
        a->erase(a->begin() + (std::ptrdiff_t)idx);
        return true;
    }
    return false;
}

class PatchOp {
public:
    virtual ~PatchOp() = default;
    virtual bool apply(Value &doc) const = 0;
    virtual const char *name() const = 0;
    Value to_value() const
    {
        Object o;
        obj_set(o, "op", Value(std::string(name())));
        obj_set(o, "path", Value(make_pointer(path_)));
        extra(o);
        return Value(std::move(o));
    }

protected:
    explicit PatchOp(Tokens path) : path_(std::move(path)) {}
    virtual void extra(Object &) const {}
    Tokens path_;
};

class AddOp final : public PatchOp {
public:
    AddOp(Tokens p, Value v) : PatchOp(std::move(p)), v_(std::move(v)) {}
    bool apply(Value &doc) const override { return add_at(doc, path_, v_); }
    const char *name() const override { return "add"; }
    void extra(Object &o) const override { obj_set(o, "value", v_); }

private:
    Value v_;
};

class RemoveOp final : public PatchOp {
public:
    explicit RemoveOp(Tokens p) : PatchOp(std::move(p)) {}
    bool apply(Value &doc) const override { return remove_at(doc, path_, nullptr); }
    const char *name() const override { return "remove"; }
};

class ReplaceOp final : public PatchOp {
public:
    ReplaceOp(Tokens p, Value v) : PatchOp(std::move(p)), v_(std::move(v)) {}
    bool apply(Value &doc) const override
    {
        Value *target = resolve(doc, path_, path_.size());
        if (!target)
            return false;
        *target = v_;
        return true;
    }
    const char *name() const override { return "replace"; }
    void extra(Object &o) const override { obj_set(o, "value", v_); }

private:
    Value v_;
};

class TestOp final : public PatchOp {
public:
    TestOp(Tokens p, Value v) : PatchOp(std::move(p)), v_(std::move(v)) {}
    bool apply(Value &doc) const override
    {
        const Value *target = resolve(doc, path_, path_.size());
        return target && *target == v_;
    }
    const char *name() const override { return "test"; }
    void extra(Object &o) const override { obj_set(o, "value", v_); }

private:
    Value v_;
};

class MoveOp final : public PatchOp {
public:
    MoveOp(Tokens from, Tokens p) : PatchOp(std::move(p)), from_(std::move(from)) {}
    bool apply(Value &doc) const override
    {
        if (from_ == path_)
            return resolve(doc, from_, from_.size()) != nullptr;
        // a value cannot be moved into one of its own descendants
        if (from_.size() < path_.size() && std::equal(from_.begin(), from_.end(), path_.begin()))
            return false;
        Value v;
        return remove_at(doc, from_, &v) && add_at(doc, path_, std::move(v));
    }
    const char *name() const override { return "move"; }
    void extra(Object &o) const override { obj_set(o, "from", Value(make_pointer(from_))); }

private:
    Tokens from_;
};

class CopyOp final : public PatchOp {
public:
    CopyOp(Tokens from, Tokens p) : PatchOp(std::move(p)), from_(std::move(from)) {}
    bool apply(Value &doc) const override
    {
        const Value *src = resolve(doc, from_, from_.size());
        if (!src)
            return false;
        Value copy = *src;
        return add_at(doc, path_, std::move(copy));
    }
    const char *name() const override { return "copy"; }
    void extra(Object &o) const override { obj_set(o, "from", Value(make_pointer(from_))); }

private:
    Tokens from_;
};

using Patch = std::vector<std::unique_ptr<PatchOp>>;

// all or nothing
static bool apply_patch(const Patch &p, Value &doc, size_t *failed_at = nullptr)
{
    Value work = doc;
    for (size_t i = 0; i < p.size(); i++)
        if (!p[i]->apply(work)) {
            if (failed_at)
                *failed_at = i;
            return false;
        }
    doc = std::move(work);
    return true;
}

static Value patch_to_value(const Patch &p)
{
    Array a;
    for (const auto &op : p)
        a.push_back(op->to_value());
    return Value(std::move(a));
}

static bool patch_from_value(const Value &v, Patch &out)
{
    out.clear();
    const Array *a = v.array();
    if (!a)
        return false;
    for (const Value &e : *a) {
        const Object *o = e.object();
        if (!o)
            return false;
        const Member *op = obj_get(*o, "op"), *path = obj_get(*o, "path");
        const Member *val = obj_get(*o, "value"), *from = obj_get(*o, "from");
        const std::string *ops = op ? std::get_if<std::string>(&op->value.v) : nullptr;
        const std::string *ps = path ? std::get_if<std::string>(&path->value.v) : nullptr;
        Tokens pt, ft;
        if (!ops || !ps || !parse_pointer(*ps, pt))
            return false;
        const std::string *fs = from ? std::get_if<std::string>(&from->value.v) : nullptr;
        if (*ops == "add" && val)
            out.push_back(std::make_unique<AddOp>(pt, val->value));
        else if (*ops == "remove")
            out.push_back(std::make_unique<RemoveOp>(pt));
        else if (*ops == "replace" && val)
            out.push_back(std::make_unique<ReplaceOp>(pt, val->value));
        else if (*ops == "test" && val)
            out.push_back(std::make_unique<TestOp>(pt, val->value));
        else if (*ops == "move" && fs && parse_pointer(*fs, ft))
            out.push_back(std::make_unique<MoveOp>(ft, pt));
        else if (*ops == "copy" && fs && parse_pointer(*fs, ft))
            out.push_back(std::make_unique<CopyOp>(ft, pt));
        else
            return false;
    }
    return true;
}
