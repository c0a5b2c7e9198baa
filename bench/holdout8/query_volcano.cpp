// query_volcano.cpp — a Volcano-style (iterator model) query engine.
//
// Tables of customers, orders, line items and parts hold rows of `std::variant` values (null,
// 64-bit integer, string). Query plans are trees of operators with virtual open/next/close —
// table scan, filter, projection, hash join (build side in an unordered_map from key to row
// lists), hash aggregation with groups kept in first-seen order, stable sort on several keys,
// limit and distinct — evaluating expression trees with virtual eval: column references,
// constants, arithmetic, comparisons, AND/OR, LIKE with % wildcards, SUBSTR/UPPER/LENGTH. Six
// report queries with parameters varied every round (revenue by nation, top customers, brand
// revenue with LIKE, monthly status counts, a three-way join, distinct customers) are each also
// computed by hand-written loops over plain structs and must give the same rows.
// bench-cflags: -Os
#include "../programs/bench.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace {

int failures = 0;

using Value = std::variant<std::monostate, int64_t, std::string>;
using Row = std::vector<Value>;

struct ValueHash {
    size_t operator()(const Value &v) const
    {
        if (const int64_t *i = std::get_if<int64_t>(&v))
            return std::hash<int64_t>()(*i);
        if (const std::string *s = std::get_if<std::string>(&v))
            return std::hash<std::string>()(*s);
        return 0x9E37;
    }
};

struct RowHash {
    size_t operator()(const Row &r) const
    {
        size_t h = 0;
        for (const Value &v : r)
            h = h * 1000003u ^ ValueHash()(v);
        return h;
    }
};

int64_t as_int(const Value &v)
{
    const int64_t *i = std::get_if<int64_t>(&v);
    return i ? *i : 0;
}

const std::string &as_str(const Value &v)
{
    static const std::string empty;
    const std::string *s = std::get_if<std::string>(&v);
    return s ? *s : empty;
}

bool truthy(const Value &v)
{
    const int64_t *i = std::get_if<int64_t>(&v);
    return i && *i != 0;
}

// total order used by sorting: null < integers < strings
int compare(const Value &a, const Value &b)
{
    if (a.index() != b.index())
        return a.index() < b.index() ? -1 : 1;
    if (a.index() == 1) {
        int64_t x = std::get<int64_t>(a), y = std::get<int64_t>(b);
        return (x > y) - (x < y);
    }
    if (a.index() == 2) {
        int c = std::get<std::string>(a).compare(std::get<std::string>(b));
        return (c > 0) - (c < 0);
    }
    return 0;
}

uint64_t hash_value(uint64_t h, const Value &v)
{
    if (const int64_t *i = std::get_if<int64_t>(&v))
        return mix64(h, (uint64_t)*i);
    if (const std::string *s = std::get_if<std::string>(&v)) {
        for (unsigned char c : *s)
            h = mix64(h, c);
        return mix64(h, s->size());
    }
    return mix64(h, 0xDEAD);
}

// ------------------------------------------------------------------ expressions

class Expr {
public:
    virtual ~Expr() = default;
    virtual Value eval(const Row &r) const = 0;
};
using ExprP = std::unique_ptr<Expr>;

class Col : public Expr {
public:
    explicit Col(int i) : i_(i) {}
    Value eval(const Row &r) const override { return r[(size_t)i_]; }

private:
    int i_;
};

class Lit : public Expr {
public:
    explicit Lit(Value v) : v_(std::move(v)) {}
    Value eval(const Row &) const override { return v_; }

private:
    Value v_;
};

enum class BinOp { Add, Sub, Mul, Div, Lt, Le, Gt, Ge, Eq, Ne, And, Or };

class Binary : public Expr {
public:
    Binary(BinOp op, ExprP l, ExprP r) : op_(op), l_(std::move(l)), r_(std::move(r)) {}
    Value eval(const Row &row) const override
    {
        if (op_ == BinOp::And)
            return (int64_t)(truthy(l_->eval(row)) && truthy(r_->eval(row)));
        if (op_ == BinOp::Or)
            return (int64_t)(truthy(l_->eval(row)) || truthy(r_->eval(row)));
        Value a = l_->eval(row), b = r_->eval(row);
        if (a.index() == 0 || b.index() == 0)
            return Value{};
        switch (op_) {
        case BinOp::Add: return as_int(a) + as_int(b);
        case BinOp::Sub: return as_int(a) - as_int(b);
        case BinOp::Mul: return as_int(a) * as_int(b);
        case BinOp::Div: return as_int(b) == 0 ? Value{} : Value{ as_int(a) / as_int(b) };
        case BinOp::Lt: return (int64_t)(compare(a, b) < 0);
        case BinOp::Le: return (int64_t)(compare(a, b) <= 0);
        case BinOp::Gt: return (int64_t)(compare(a, b) > 0);
        case BinOp::Ge: return (int64_t)(compare(a, b) >= 0);
        case BinOp::Eq: return (int64_t)(compare(a, b) == 0);
        case BinOp::Ne: return (int64_t)(compare(a, b) != 0);
        default: return Value{};
        }
    }

private:
    BinOp op_;
    ExprP l_, r_;
};

// SQL LIKE with % (any run) and _ (one character)
bool like_match(const std::string &s, const std::string &p)
{
    size_t si = 0, pi = 0, star = std::string::npos, mark = 0;
    while (si < s.size()) {
        if (pi < p.size() && (p[pi] == '_' || p[pi] == s[si])) {
            si++;
            pi++;
        } else if (pi < p.size() && p[pi] == '%') {
            star = pi++;
            mark = si;
        } else if (star != std::string::npos) {
            pi = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '%')
        pi++;
    return pi == p.size();
}

class Like : public Expr {
public:
    Like(ExprP e, std::string pattern) : e_(std::move(e)), pattern_(std::move(pattern)) {}
    Value eval(const Row &r) const override { return (int64_t)like_match(as_str(e_->eval(r)), pattern_); }

private:
    ExprP e_;
    std::string pattern_;
};

enum class Fn { Substr, Upper, Length };

class Call : public Expr {
public:
    Call(Fn fn, ExprP e, int a = 0, int b = 0) : fn_(fn), e_(std::move(e)), a_(a), b_(b) {}
    Value eval(const Row &r) const override
    {
        Value v = e_->eval(r);
        const std::string &s = as_str(v);
        switch (fn_) {
        case Fn::Substr: return (size_t)a_ >= s.size() ? std::string() : s.substr((size_t)a_, (size_t)b_);
        case Fn::Upper: {
            std::string u = s;
            for (char &c : u)
                if (c >= 'a' && c <= 'z')
                    c = (char)(c - 32);
            return u;
        }
        default: return (int64_t)s.size();
        }
    }

private:
    Fn fn_;
    ExprP e_;
    int a_, b_;
};

ExprP col(int i) { return std::make_unique<Col>(i); }
ExprP lit(int64_t v) { return std::make_unique<Lit>(Value{ v }); }
ExprP lit(const char *s) { return std::make_unique<Lit>(Value{ std::string(s) }); }
ExprP bin(BinOp op, ExprP a, ExprP b) { return std::make_unique<Binary>(op, std::move(a), std::move(b)); }

// ------------------------------------------------------------------ operators

struct Table {
    std::string name;
    std::vector<std::string> columns;
    std::vector<Row> rows;
};

class Operator {
public:
    virtual ~Operator() = default;
    virtual void open() = 0;
    virtual bool next(Row &out) = 0;
    virtual void close() {}
    virtual int width() const = 0;
};
using OpP = std::unique_ptr<Operator>;

class Scan : public Operator {
public:
    explicit Scan(const Table &t) : t_(t) {}
    void open() override { pos_ = 0; }
    bool next(Row &out) override
    {
        if (pos_ >= t_.rows.size())
            return false;
        out = t_.rows[pos_++];
        return true;
    }
    int width() const override { return (int)t_.columns.size(); }

private:
    const Table &t_;
    size_t pos_ = 0;
};

class Filter : public Operator {
public:
    Filter(OpP child, ExprP pred) : child_(std::move(child)), pred_(std::move(pred)) {}
    void open() override { child_->open(); }
    bool next(Row &out) override
    {
        while (child_->next(out))
            if (truthy(pred_->eval(out)))
                return true;
        return false;
    }
    void close() override { child_->close(); }
    int width() const override { return child_->width(); }

private:
    OpP child_;
    ExprP pred_;
};

class Project : public Operator {
public:
    Project(OpP child, std::vector<ExprP> exprs) : child_(std::move(child)), exprs_(std::move(exprs)) {}
    void open() override { child_->open(); }
    bool next(Row &out) override
    {
        if (!child_->next(in_))
            return false;
        out.clear();
        for (auto &e : exprs_)
            out.push_back(e->eval(in_));
        return true;
    }
    void close() override { child_->close(); }
    int width() const override { return (int)exprs_.size(); }

private:
    OpP child_;
    std::vector<ExprP> exprs_;
    Row in_;
};

// inner equi-join; output is probe row followed by build row
class HashJoin : public Operator {
public:
    HashJoin(OpP build, int build_key, OpP probe, int probe_key)
        : build_(std::move(build)), probe_(std::move(probe)), bk_(build_key), pk_(probe_key)
    {
    }
    void open() override
    {
        table_.clear();
        build_->open();
        Row r;
        while (build_->next(r)) {
            Value k = r[(size_t)bk_];
            if (k.index() == 0)
                continue;
            table_[k].push_back(r);
        }
        build_->close();
        probe_->open();
        matches_ = nullptr;
        mi_ = 0;
    }
    bool next(Row &out) override
    {
        for (;;) {
            if (matches_ && mi_ < matches_->size()) {
                out = current_;
                const Row &b = (*matches_)[mi_++];
                out.insert(out.end(), b.begin(), b.end());
                return true;
            }
            if (!probe_->next(current_))
                return false;
            auto it = table_.find(current_[(size_t)pk_]);
            matches_ = it == table_.end() ? nullptr : &it->second;
            mi_ = 0;
        }
    }
    void close() override { probe_->close(); }
    int width() const override { return build_->width() + probe_->width(); }

private:
    OpP build_, probe_;
    int bk_, pk_;
    std::unordered_map<Value, std::vector<Row>, ValueHash> table_;
    Row current_;
    const std::vector<Row> *matches_ = nullptr;
    size_t mi_ = 0;
};

enum class Agg { Count, Sum, Min, Max, Avg };

struct AggSpec {
    Agg kind;
    int column; // ignored for Count
};

class HashAggregate : public Operator {
public:
    HashAggregate(OpP child, std::vector<int> keys, std::vector<AggSpec> aggs)
        : child_(std::move(child)), keys_(std::move(keys)), aggs_(std::move(aggs))
    {
    }
    void open() override
    {
        groups_.clear();
        index_.clear();
        child_->open();
        Row r;
        while (child_->next(r)) {
            Row key;
            for (int k : keys_)
                key.push_back(r[(size_t)k]);
            auto it = index_.find(key);
            size_t g;
            if (it == index_.end()) {
                g = groups_.size();
                index_.emplace(key, g);
                Group grp;
                grp.key = std::move(key);
                grp.acc.assign(aggs_.size(), Acc{});
                groups_.push_back(std::move(grp));
            } else {
                g = it->second;
            }
            Group &grp = groups_[g];
            for (size_t a = 0; a < aggs_.size(); a++) {
                Acc &acc = grp.acc[a];
                if (aggs_[a].kind == Agg::Count) {
                    acc.count++;
                    continue;
                }
                const Value &v = r[(size_t)aggs_[a].column];
                if (v.index() == 0)
                    continue;
                int64_t x = as_int(v);
                if (acc.count == 0 || x < acc.min)
                    acc.min = x;
                if (acc.count == 0 || x > acc.max)
                    acc.max = x;
                acc.sum += x;
                acc.count++;
            }
        }
        child_->close();
        pos_ = 0;
    }
    bool next(Row &out) override
    {
        if (pos_ >= groups_.size())
            return false;
        const Group &g = groups_[pos_++];
        out = g.key;
        for (size_t a = 0; a < aggs_.size(); a++) {
            const Acc &acc = g.acc[a];
            switch (aggs_[a].kind) {
            case Agg::Count: out.push_back(acc.count); break;
            case Agg::Sum: out.push_back(acc.sum); break;
            case Agg::Min: out.push_back(acc.count ? Value{ acc.min } : Value{}); break;
            case Agg::Max: out.push_back(acc.count ? Value{ acc.max } : Value{}); break;
            case Agg::Avg: out.push_back(acc.count ? Value{ acc.sum / acc.count } : Value{}); break;
            }
        }
        return true;
    }
    int width() const override { return (int)(keys_.size() + aggs_.size()); }

private:
    struct Acc {
        int64_t count = 0, sum = 0, min = 0, max = 0;
    };
    struct Group {
        Row key;
        std::vector<Acc> acc;
    };
    OpP child_;
    std::vector<int> keys_;
    std::vector<AggSpec> aggs_;
    std::vector<Group> groups_;
    std::unordered_map<Row, size_t, RowHash> index_;
    size_t pos_ = 0;
};

struct SortKey {
    int column;
    bool desc;
};

class Sort : public Operator {
public:
    Sort(OpP child, std::vector<SortKey> keys) : child_(std::move(child)), keys_(std::move(keys)) {}
    void open() override
    {
        rows_.clear();
        child_->open();
        Row r;
        while (child_->next(r))
            rows_.push_back(r);
        child_->close();
        // sort row numbers, falling back on input position so equal keys keep their order
        order_.resize(rows_.size());
        for (size_t i = 0; i < order_.size(); i++)
            order_[i] = i;
        std::sort(order_.begin(), order_.end(), [this](size_t x, size_t y) {
            const Row &a = rows_[x], &b = rows_[y];
            for (const SortKey &k : keys_) {
                int c = compare(a[(size_t)k.column], b[(size_t)k.column]);
                if (c)
                    return k.desc ? c > 0 : c < 0;
            }
            return x < y;
        });
        pos_ = 0;
    }
    bool next(Row &out) override
    {
        if (pos_ >= rows_.size())
            return false;
        out = std::move(rows_[order_[pos_++]]);
        return true;
    }
    int width() const override { return child_->width(); }

private:
    OpP child_;
    std::vector<SortKey> keys_;
    std::vector<Row> rows_;
    std::vector<size_t> order_;
    size_t pos_ = 0;
};

class Limit : public Operator {
public:
    Limit(OpP child, size_t n) : child_(std::move(child)), n_(n) {}
    void open() override
    {
        child_->open();
        seen_ = 0;
    }
    bool next(Row &out) override
    {
        if (seen_ >= n_ || !child_->next(out))
            return false;
        seen_++;
        return true;
    }
    void close() override { child_->close(); }
    int width() const override { return child_->width(); }

private:
    OpP child_;
    size_t n_, seen_ = 0;
};

class Distinct : public Operator {
public:
    explicit Distinct(OpP child) : child_(std::move(child)) {}
    void open() override
    {
        seen_.clear();
        child_->open();
    }
    bool next(Row &out) override
    {
        while (child_->next(out))
            if (seen_.insert(out).second)
                return true;
        return false;
    }
    void close() override { child_->close(); }
    int width() const override { return child_->width(); }

private:
    OpP child_;
    std::unordered_set<Row, RowHash> seen_;
};

std::vector<Row> run(Operator &op)
{
    std::vector<Row> out;
    op.open();
    Row r;
    while (op.next(r))
        out.push_back(r);
    op.close();
    return out;
}

// ------------------------------------------------------------------ data

struct Customer {
    int64_t id;
    std::string name, nation, segment;
};
struct Order {
    int64_t id, cust, date;
    std::string status;
    int64_t total;
};
struct LineItem {
    int64_t order, line, part, qty, price, discount;
};
struct Part {
    int64_t id;
    std::string name, brand;
    int64_t size;
};

const char *const kNations[] = { "ALGERIA", "BRAZIL", "CANADA", "EGYPT", "FRANCE", "GERMANY", "INDIA",
                                  "JAPAN", "KENYA", "PERU", "ROMANIA", "VIETNAM" };
const char *const kSegments[] = { "AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY" };
const char *const kStatus[] = { "F", "O", "P" };
const char *const kColors[] = { "almond", "azure", "blue", "burnished", "chiffon", "cornflower", "forest",
                                "green", "khaki", "lavender", "metallic", "navy", "olive", "rose" };

struct Data {
    std::vector<Customer> customers;
    std::vector<Order> orders;
    std::vector<LineItem> items;
    std::vector<Part> parts;
    Table tc, to, tl, tp;
};

void generate(Data &d, bench_rng &g)
{
    char buf[64];
    for (int i = 0; i < 1500; i++) {
        snprintf(buf, sizeof buf, "Customer#%06d", i + 1);
        d.customers.push_back({ i + 1, buf, kNations[rng_below(&g, 12)], kSegments[rng_below(&g, 5)] });
    }
    for (int i = 0; i < 800; i++) {
        std::string name = kColors[rng_below(&g, 14)];
        name += " ";
        name += kColors[rng_below(&g, 14)];
        name += " ";
        name += kColors[rng_below(&g, 14)];
        snprintf(buf, sizeof buf, "Brand#%u%u", 1 + rng_below(&g, 5), 1 + rng_below(&g, 5));
        d.parts.push_back({ i + 1, name, buf, 1 + (int64_t)rng_below(&g, 50) });
    }
    for (int i = 0; i < 12000; i++) {
        int64_t y = 1993 + rng_below(&g, 6), m = 1 + rng_below(&g, 12), day = 1 + rng_below(&g, 28);
        Order o{ i + 1, 1 + (int64_t)rng_below(&g, 1500), y * 10000 + m * 100 + day, kStatus[rng_below(&g, 3)], 0 };
        int lines = 1 + (int)rng_below(&g, 6);
        for (int l = 0; l < lines; l++) {
            LineItem li{ o.id, l + 1, 1 + (int64_t)rng_below(&g, 800), 1 + (int64_t)rng_below(&g, 50),
                         100 + (int64_t)rng_below(&g, 100000), (int64_t)rng_below(&g, 11) };
            o.total += li.qty * li.price * (100 - li.discount) / 100;
            d.items.push_back(li);
        }
        d.orders.push_back(o);
    }
    d.tc = { "customer", { "c_id", "c_name", "c_nation", "c_segment" }, {} };
    for (auto &c : d.customers)
        d.tc.rows.push_back({ c.id, c.name, c.nation, c.segment });
    d.to = { "orders", { "o_id", "o_cust", "o_date", "o_status", "o_total" }, {} };
    for (auto &o : d.orders)
        d.to.rows.push_back({ o.id, o.cust, o.date, o.status, o.total });
    d.tl = { "lineitem", { "l_order", "l_line", "l_part", "l_qty", "l_price", "l_disc" }, {} };
    for (auto &l : d.items)
        d.tl.rows.push_back({ l.order, l.line, l.part, l.qty, l.price, l.discount });
    d.tp = { "part", { "p_id", "p_name", "p_brand", "p_size" }, {} };
    for (auto &p : d.parts)
        d.tp.rows.push_back({ p.id, p.name, p.brand, p.size });
}

// ------------------------------------------------------------------ checking

uint64_t check(const char *, const std::vector<Row> &got, const std::vector<Row> &want, uint64_t h)
{
    if (got != want)
        failures++;
    for (const Row &r : got)
        for (const Value &v : r)
            h = hash_value(h, v);
    return mix64(h, got.size());
}

// reference results are sorted on unique keys
template <class T, class Cmp>
void sort_rows(std::vector<T> &v, Cmp cmp)
{
    std::sort(v.begin(), v.end(), cmp);
}

} // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 32);
    bench_rng g = { 0x3C6EF372FE94F82BULL };
    Data d;
    generate(d, g);
    std::unordered_map<int64_t, const Customer *> cust_by_id;
    for (auto &c : d.customers)
        cust_by_id[c.id] = &c;
    std::unordered_map<int64_t, const Part *> part_by_id;
    for (auto &p : d.parts)
        part_by_id[p.id] = &p;
    std::unordered_map<int64_t, const Order *> order_by_id;
    for (auto &o : d.orders)
        order_by_id[o.id] = &o;

    double t0 = bench_now();
    uint64_t h = 0xBB67AE8584CAA73BULL;
    for (int round = 0; round < scale; round++) {
        int64_t lo = 19930101 + 10000 * (round % 4), hi = lo + 20000;
        const char *segment = kSegments[round % 5];
        const char *color = kColors[round % 14];
        const char *nation = kNations[(round * 5) % 12];

        // Q1: revenue and order count by nation for a date range
        {
            // orders(0..4) ++ customer(5..8)
            auto plan = std::make_unique<Sort>(
                std::make_unique<HashAggregate>(
                    std::make_unique<HashJoin>(
                        std::make_unique<Scan>(d.tc), 0,
                        std::make_unique<Filter>(std::make_unique<Scan>(d.to),
                                                 bin(BinOp::And, bin(BinOp::Ge, col(2), lit(lo)),
                                                     bin(BinOp::Lt, col(2), lit(hi)))),
                        1),
                    std::vector<int>{ 7 },
                    std::vector<AggSpec>{ { Agg::Sum, 4 }, { Agg::Count, 0 }, { Agg::Max, 4 } }),
                std::vector<SortKey>{ { 1, true }, { 0, false } });
            std::vector<Row> got = run(*plan);

            std::map<std::string, std::array<int64_t, 3>> agg;
            for (auto &o : d.orders) {
                if (o.date < lo || o.date >= hi)
                    continue;
                auto &a = agg[cust_by_id[o.cust]->nation];
                a[0] += o.total;
                a[2] = a[1] == 0 ? o.total : std::max(a[2], o.total);
                a[1]++;
            }
            std::vector<Row> want;
            for (auto &kv : agg)
                want.push_back({ kv.first, kv.second[0], kv.second[1], kv.second[2] });
            sort_rows(want, [](const Row &a, const Row &b) {
                int c = compare(a[1], b[1]);
                return c ? c > 0 : compare(a[0], b[0]) < 0;
            });
            h = check("q1", got, want, h);
        }

        // Q2: top 10 customers of a segment by total spend
        {
            // orders(0..4) ++ customer(5..8) -> project (c_id, c_name, o_total) -> agg
            std::vector<ExprP> proj;
            proj.push_back(col(5));
            proj.push_back(col(6));
            proj.push_back(col(4));
            auto plan = std::make_unique<Limit>(
                std::make_unique<Sort>(
                    std::make_unique<HashAggregate>(
                        std::make_unique<Project>(
                            std::make_unique<HashJoin>(
                                std::make_unique<Filter>(std::make_unique<Scan>(d.tc),
                                                         bin(BinOp::Eq, col(3), lit(segment))),
                                0, std::make_unique<Scan>(d.to), 1),
                            std::move(proj)),
                        std::vector<int>{ 0, 1 }, std::vector<AggSpec>{ { Agg::Sum, 2 }, { Agg::Count, 0 } }),
                    std::vector<SortKey>{ { 2, true }, { 0, false } }),
                10);
            std::vector<Row> got = run(*plan);

            std::unordered_map<int64_t, std::pair<int64_t, int64_t>> spend;
            for (auto &o : d.orders) {
                const Customer *c = cust_by_id[o.cust];
                if (c->segment != segment)
                    continue;
                auto &s = spend[c->id];
                s.first += o.total;
                s.second++;
            }
            std::vector<Row> want;
            for (auto &kv : spend)
                want.push_back({ kv.first, cust_by_id[kv.first]->name, kv.second.first, kv.second.second });
            sort_rows(want, [](const Row &a, const Row &b) {
                int c = compare(a[2], b[2]);
                return c ? c > 0 : compare(a[0], b[0]) < 0;
            });
            if (want.size() > 10)
                want.resize(10);
            h = check("q2", got, want, h);
        }

        // Q3: brand revenue for parts whose name mentions a colour, within a size band
        {
            // lineitem(0..5) ++ part(6..9)
            std::string pattern = std::string("%") + color + "%";
            std::vector<ExprP> proj;
            proj.push_back(col(8));
            proj.push_back(bin(BinOp::Div, bin(BinOp::Mul, bin(BinOp::Mul, col(3), col(4)), bin(BinOp::Sub, lit(100), col(5))), lit(100)));
            proj.push_back(col(3));
            auto plan = std::make_unique<Sort>(
                std::make_unique<HashAggregate>(
                    std::make_unique<Project>(
                        std::make_unique<HashJoin>(
                            std::make_unique<Filter>(
                                std::make_unique<Scan>(d.tp),
                                bin(BinOp::And, std::make_unique<Like>(col(1), pattern),
                                    bin(BinOp::And, bin(BinOp::Ge, col(3), lit(5)), bin(BinOp::Le, col(3), lit(40))))),
                            0, std::make_unique<Scan>(d.tl), 2),
                        std::move(proj)),
                    std::vector<int>{ 0 },
                    std::vector<AggSpec>{ { Agg::Sum, 1 }, { Agg::Max, 2 }, { Agg::Avg, 2 }, { Agg::Count, 0 } }),
                std::vector<SortKey>{ { 0, false } });
            std::vector<Row> got = run(*plan);

            struct A {
                int64_t sum = 0, maxq = 0, sumq = 0, n = 0;
            };
            std::map<std::string, A> agg;
            for (auto &l : d.items) {
                const Part *p = part_by_id[l.part];
                if (p->size < 5 || p->size > 40 || p->name.find(color) == std::string::npos)
                    continue;
                A &a = agg[p->brand];
                a.sum += l.qty * l.price * (100 - l.discount) / 100;
                a.maxq = a.n == 0 ? l.qty : std::max(a.maxq, l.qty);
                a.sumq += l.qty;
                a.n++;
            }
            std::vector<Row> want;
            for (auto &kv : agg)
                want.push_back({ kv.first, kv.second.sum, kv.second.maxq, kv.second.sumq / kv.second.n, kv.second.n });
            h = check("q3", got, want, h);
        }

        // Q4: order counts per month and status with upper-cased status and substr of the date
        {
            std::vector<ExprP> proj;
            proj.push_back(bin(BinOp::Div, col(2), lit(100)));
            proj.push_back(std::make_unique<Call>(Fn::Upper, std::make_unique<Call>(Fn::Substr, lit("status:"), 0, 7)));
            proj.push_back(col(3));
            proj.push_back(col(4));
            auto plan = std::make_unique<Sort>(
                std::make_unique<HashAggregate>(
                    std::make_unique<Project>(
                        std::make_unique<Filter>(std::make_unique<Scan>(d.to),
                                                 bin(BinOp::Or, bin(BinOp::Eq, col(3), lit("F")),
                                                     bin(BinOp::Gt, col(4), lit(5000000)))),
                        std::move(proj)),
                    std::vector<int>{ 0, 1, 2 }, std::vector<AggSpec>{ { Agg::Count, 0 }, { Agg::Min, 3 } }),
                std::vector<SortKey>{ { 0, false }, { 2, false } });
            std::vector<Row> got = run(*plan);

            std::map<std::pair<int64_t, std::string>, std::pair<int64_t, int64_t>> agg;
            for (auto &o : d.orders) {
                if (!(o.status == "F" || o.total > 5000000))
                    continue;
                auto &a = agg[{ o.date / 100, o.status }];
                a.second = a.first == 0 ? o.total : std::min(a.second, o.total);
                a.first++;
            }
            std::vector<Row> want;
            for (auto &kv : agg)
                want.push_back({ kv.first.first, std::string("STATUS:"), kv.first.second, kv.second.first, kv.second.second });
            h = check("q4", got, want, h);
        }

        // Q5: three-way join: quantity per brand for customers of one nation
        {
            // lineitem(0..5) ++ [orders(6..10) ++ customer(11..14)]
            auto cust_orders = std::make_unique<HashJoin>(
                std::make_unique<Filter>(std::make_unique<Scan>(d.tc), bin(BinOp::Eq, col(2), lit(nation))), 0,
                std::make_unique<Scan>(d.to), 1);
            auto li_orders = std::make_unique<HashJoin>(std::move(cust_orders), 0, std::make_unique<Scan>(d.tl), 0);
            // ++ part(15..18)
            auto with_part = std::make_unique<HashJoin>(std::make_unique<Scan>(d.tp), 0, std::move(li_orders), 2);
            auto plan = std::make_unique<Sort>(
                std::make_unique<HashAggregate>(std::move(with_part), std::vector<int>{ 17 },
                                                std::vector<AggSpec>{ { Agg::Sum, 3 }, { Agg::Count, 0 } }),
                std::vector<SortKey>{ { 1, true }, { 0, false } });
            std::vector<Row> got = run(*plan);

            std::map<std::string, std::pair<int64_t, int64_t>> agg;
            for (auto &l : d.items) {
                const Order *o = order_by_id[l.order];
                if (cust_by_id[o->cust]->nation != nation)
                    continue;
                auto &a = agg[part_by_id[l.part]->brand];
                a.first += l.qty;
                a.second++;
            }
            std::vector<Row> want;
            for (auto &kv : agg)
                want.push_back({ kv.first, kv.second.first, kv.second.second });
            sort_rows(want, [](const Row &a, const Row &b) {
                int c = compare(a[1], b[1]);
                return c ? c > 0 : compare(a[0], b[0]) < 0;
            });
            h = check("q5", got, want, h);
        }

        // Q6: distinct customers (and name lengths) who bought large parts in a year
        {
            // lineitem(0..5) ++ part(6..9) -> filter size; ++ orders -> project cust
            auto big_parts = std::make_unique<HashJoin>(
                std::make_unique<Filter>(std::make_unique<Scan>(d.tp), bin(BinOp::Gt, col(3), lit(45))), 0,
                std::make_unique<Scan>(d.tl), 2);
            // orders(0..4) ++ [lineitem ++ part](5..14)
            auto with_orders = std::make_unique<HashJoin>(std::move(big_parts), 0,
                                                          std::make_unique<Filter>(std::make_unique<Scan>(d.to),
                                                                                   bin(BinOp::And, bin(BinOp::Ge, col(2), lit(lo)),
                                                                                       bin(BinOp::Lt, col(2), lit(lo + 10000)))),
                                                          0);
            std::vector<ExprP> proj;
            proj.push_back(col(1));
            auto distinct = std::make_unique<Distinct>(std::make_unique<Project>(std::move(with_orders), std::move(proj)));
            // customer(0..3) ++ distinct cust(4)
            std::vector<ExprP> proj2;
            proj2.push_back(col(0));
            proj2.push_back(col(2));
            proj2.push_back(std::make_unique<Call>(Fn::Length, col(1)));
            auto plan = std::make_unique<Sort>(
                std::make_unique<Project>(std::make_unique<HashJoin>(std::move(distinct), 0, std::make_unique<Scan>(d.tc), 0),
                                          std::move(proj2)),
                std::vector<SortKey>{ { 1, false }, { 0, false } });
            std::vector<Row> got = run(*plan);

            std::unordered_set<int64_t> big;
            for (auto &p : d.parts)
                if (p.size > 45)
                    big.insert(p.id);
            std::unordered_set<int64_t> custs;
            for (auto &l : d.items) {
                if (!big.count(l.part))
                    continue;
                const Order *o = order_by_id[l.order];
                if (o->date >= lo && o->date < lo + 10000)
                    custs.insert(o->cust);
            }
            std::vector<Row> want;
            for (auto &c : d.customers)
                if (custs.count(c.id))
                    want.push_back({ c.id, c.nation, (int64_t)c.name.size() });
            sort_rows(want, [](const Row &a, const Row &b) {
                int c = compare(a[1], b[1]);
                return c ? c < 0 : compare(a[0], b[0]) < 0;
            });
            h = check("q6", got, want, h);
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
