// spreadsheet_recalc — C++ spreadsheet engine: formula parsing, dependency graph, recalculation.
//
// Cells hold source text; formulas are parsed by recursive descent into std::unique_ptr expression
// trees with virtual eval (numbers, strings, cell references, ranges, arithmetic, comparisons and
// the functions SUM, AVG, MIN, MAX, COUNT, IF, LEN, CONCAT). Values are
// std::variant<double, std::string, Error> with error propagation (#DIV/0, #VALUE, #REF, #CYCLE).
// A full recalculation orders cells with Kahn's algorithm over the dependency graph and marks
// cells on cycles; after each edit the dependents are collected breadth-first and only that dirty
// set is re-evaluated in topological order. Edits change inputs and occasionally rewrite formulas
// (creating and breaking cycles). All values are hashed (doubles by bit pattern) after each batch.
#include "../programs/bench.h"

#include <memory>
#include <string>
#include <variant>
#include <vector>

enum class Error { Div0, Value, Ref, Cycle };
using Value = std::variant<double, std::string, Error>;

static const int ROWS = 240, COLS = 12;

class Sheet;

struct Expr {
    virtual ~Expr() = default;
    virtual Value eval(const Sheet &s) const = 0;
    virtual void refs(std::vector<int> &out) const = 0;
    virtual const struct Range *as_range() const { return nullptr; }
};

class Sheet {
public:
    struct Cell {
        std::string src;
        std::unique_ptr<Expr> expr;
        Value val = 0.0;
        std::vector<int> deps;
    };
    std::vector<Cell> cells;
    std::vector<std::vector<int>> dependents;
    Sheet() : cells((size_t)(ROWS * COLS)), dependents((size_t)(ROWS * COLS)) {}
    const Value &get(int idx) const { return cells[(size_t)idx].val; }
    void set(int idx, std::string src);
    void recalc_all();
    void recalc_from(int idx);
    uint64_t evals = 0;

private:
    void evaluate(int idx);
};

static bool as_num(const Value &v, double &out, Error &err)
{
    if (const double *d = std::get_if<double>(&v)) {
        out = *d;
        return true;
    }
    if (const Error *e = std::get_if<Error>(&v)) {
        err = *e;
        return false;
    }
    err = Error::Value;
    return false;
}

struct Num : Expr {
    double v;
    explicit Num(double x) : v(x) {}
    Value eval(const Sheet &) const override { return v; }
    void refs(std::vector<int> &) const override {}
};

struct Str : Expr {
    std::string v;
    explicit Str(std::string x) : v(std::move(x)) {}
    Value eval(const Sheet &) const override { return v; }
    void refs(std::vector<int> &) const override {}
};

struct Ref : Expr {
    int idx;
    explicit Ref(int i) : idx(i) {}
    Value eval(const Sheet &s) const override { return s.get(idx); }
    void refs(std::vector<int> &out) const override { out.push_back(idx); }
};

struct Range : Expr { // only valid as a function argument
    int r0, c0, r1, c1;
    Range(int a, int b, int c, int d) : r0(a < c ? a : c), c0(b < d ? b : d), r1(a < c ? c : a), c1(b < d ? d : b) {}
    Value eval(const Sheet &) const override { return Error::Value; }
    const Range *as_range() const override { return this; }
    void refs(std::vector<int> &out) const override
    {
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++)
                out.push_back(r * COLS + c);
    }
};

struct Bin : Expr {
    char op;
    std::unique_ptr<Expr> a, b;
    Bin(char o, std::unique_ptr<Expr> x, std::unique_ptr<Expr> y) : op(o), a(std::move(x)), b(std::move(y)) {}
    Value eval(const Sheet &s) const override
    {
        Value va = a->eval(s), vb = b->eval(s);
        if (op == '&') {
            std::string out;
            for (const Value *v : { &va, &vb }) {
                if (const std::string *str = std::get_if<std::string>(v))
                    out += *str;
                else if (const double *d = std::get_if<double>(v))
                    out += std::to_string((long long)(*d < 1e15 && *d > -1e15 ? *d : 0.0));
                else
                    return std::get<Error>(*v);
            }
            return out;
        }
        double x, y;
        Error e = Error::Value;
        if (!as_num(va, x, e) || !as_num(vb, y, e))
            return e;
        switch (op) {
        case '+': return x + y;
        case '-': return x - y;
        case '*': return x * y;
        case '/':
            if (y == 0.0)
                return Error::Div0;
            return x / y;
        case '<': return x < y ? 1.0 : 0.0;
        case '>': return x > y ? 1.0 : 0.0;
        default: return x == y ? 1.0 : 0.0;
        }
    }
    void refs(std::vector<int> &out) const override
    {
        a->refs(out);
        b->refs(out);
    }
};

struct Neg : Expr {
    std::unique_ptr<Expr> a;
    explicit Neg(std::unique_ptr<Expr> x) : a(std::move(x)) {}
    Value eval(const Sheet &s) const override
    {
        double x;
        Error e = Error::Value;
        if (!as_num(a->eval(s), x, e))
            return e;
        return -x;
    }
    void refs(std::vector<int> &out) const override { a->refs(out); }
};

struct Func : Expr {
    std::string name;
    std::vector<std::unique_ptr<Expr>> args;
    Value eval(const Sheet &s) const override
    {
        if (name == "IF") {
            if (args.size() != 3)
                return Error::Value;
            double c;
            Error e = Error::Value;
            if (!as_num(args[0]->eval(s), c, e))
                return e;
            return c != 0.0 ? args[1]->eval(s) : args[2]->eval(s);
        }
        if (name == "LEN") {
            if (args.size() != 1)
                return Error::Value;
            Value v = args[0]->eval(s);
            if (const std::string *str = std::get_if<std::string>(&v))
                return (double)str->size();
            if (const Error *err = std::get_if<Error>(&v))
                return *err;
            return Error::Value;
        }
        // aggregate functions over numbers in arguments and ranges
        double sum = 0.0, mn = 0.0, mx = 0.0;
        int count = 0;
        auto take = [&](const Value &v) -> bool {
            if (const double *d = std::get_if<double>(&v)) {
                if (count == 0 || *d < mn)
                    mn = *d;
                if (count == 0 || *d > mx)
                    mx = *d;
                sum += *d;
                count++;
            }
            return !std::holds_alternative<Error>(v);
        };
        for (const auto &a : args) {
            if (const Range *r = a->as_range()) {
                for (int row = r->r0; row <= r->r1; row++)
                    for (int col = r->c0; col <= r->c1; col++)
                        if (!take(s.get(row * COLS + col)))
                            return std::get<Error>(s.get(row * COLS + col));
            } else {
                Value v = a->eval(s);
                if (!take(v))
                    return std::get<Error>(v);
            }
        }
        if (name == "SUM")
            return sum;
        if (name == "COUNT")
            return (double)count;
        if (count == 0)
            return Error::Div0;
        if (name == "AVG")
            return sum / (double)count;
        if (name == "MIN")
            return mn;
        if (name == "MAX")
            return mx;
        return Error::Ref;
    }
    void refs(std::vector<int> &out) const override
    {
        for (const auto &a : args)
            a->refs(out);
    }
};

class Parser {
public:
    explicit Parser(const std::string &s) : s_(s) {}
    std::unique_ptr<Expr> parse()
    {
        auto e = cmp();
        skip();
        if (!e || p_ != s_.size())
            return nullptr;
        return e;
    }

private:
    const std::string &s_;
    size_t p_ = 0;
    void skip()
    {
        while (p_ < s_.size() && s_[p_] == ' ')
            p_++;
    }
    char peek()
    {
        skip();
        return p_ < s_.size() ? s_[p_] : 0;
    }
    std::unique_ptr<Expr> cmp()
    {
        auto a = add();
        char c = peek();
        if (a && (c == '<' || c == '>' || c == '=')) {
            p_++;
            auto b = add();
            if (!b)
                return nullptr;
            return std::make_unique<Bin>(c, std::move(a), std::move(b));
        }
        return a;
    }
    std::unique_ptr<Expr> add()
    {
        auto a = mul();
        while (a) {
            char c = peek();
            if (c != '+' && c != '-' && c != '&')
                break;
            p_++;
            auto b = mul();
            if (!b)
                return nullptr;
            a = std::make_unique<Bin>(c, std::move(a), std::move(b));
        }
        return a;
    }
    std::unique_ptr<Expr> mul()
    {
        auto a = unary();
        while (a) {
            char c = peek();
            if (c != '*' && c != '/')
                break;
            p_++;
            auto b = unary();
            if (!b)
                return nullptr;
            a = std::make_unique<Bin>(c, std::move(a), std::move(b));
        }
        return a;
    }
    std::unique_ptr<Expr> unary()
    {
        if (peek() == '-') {
            p_++;
            auto a = unary();
            return a ? std::make_unique<Neg>(std::move(a)) : nullptr;
        }
        return primary();
    }
    bool ref(int &r, int &c)
    {
        size_t q = p_;
        if (q >= s_.size() || s_[q] < 'A' || s_[q] >= 'A' + COLS)
            return false;
        c = s_[q++] - 'A';
        if (q >= s_.size() || s_[q] < '0' || s_[q] > '9')
            return false;
        int row = 0;
        while (q < s_.size() && s_[q] >= '0' && s_[q] <= '9' && row < 100000)
            row = row * 10 + (s_[q++] - '0');
        r = row - 1;
        p_ = q;
        return true;
    }
    std::unique_ptr<Expr> primary()
    {
        char c = peek();
        if (c == '(') {
            p_++;
            auto e = cmp();
            if (peek() != ')')
                return nullptr;
            p_++;
            return e;
        }
        if (c == '"') {
            size_t end = s_.find('"', p_ + 1);
            if (end == std::string::npos)
                return nullptr;
            auto e = std::make_unique<Str>(s_.substr(p_ + 1, end - p_ - 1));
            p_ = end + 1;
            return e;
        }
        if (c >= '0' && c <= '9') {
            double v = 0.0, scale = 1.0;
            while (p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9')
                v = v * 10.0 + (s_[p_++] - '0');
            if (p_ < s_.size() && s_[p_] == '.') {
                p_++;
                while (p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9') {
                    v = v * 10.0 + (s_[p_++] - '0');
                    scale *= 10.0;
                }
            }
            return std::make_unique<Num>(v / scale);
        }
        if (c >= 'A' && c <= 'Z') {
            size_t q = p_;
            while (q < s_.size() && s_[q] >= 'A' && s_[q] <= 'Z')
                q++;
            if (q < s_.size() && s_[q] == '(') {
                auto f = std::make_unique<Func>();
                f->name = s_.substr(p_, q - p_);
                p_ = q + 1;
                if (peek() != ')') {
                    for (;;) {
                        auto a = cmp();
                        if (!a)
                            return nullptr;
                        f->args.push_back(std::move(a));
                        if (peek() == ',') {
                            p_++;
                            continue;
                        }
                        break;
                    }
                }
                if (peek() != ')')
                    return nullptr;
                p_++;
                return f;
            }
            int r0, c0;
            if (!ref(r0, c0))
                return nullptr;
            if (r0 < 0 || r0 >= ROWS)
                return std::make_unique<Num>(0.0); // replaced by #REF at set()
            if (p_ < s_.size() && s_[p_] == ':') {
                p_++;
                int r1, c1;
                if (!ref(r1, c1) || r1 < 0 || r1 >= ROWS)
                    return nullptr;
                return std::make_unique<Range>(r0, c0, r1, c1);
            }
            return std::make_unique<Ref>(r0 * COLS + c0);
        }
        return nullptr;
    }
};

void Sheet::set(int idx, std::string src)
{
    Cell &c = cells[(size_t)idx];
    for (int d : c.deps) {
        auto &v = dependents[(size_t)d];
        for (size_t i = 0; i < v.size(); i++)
            if (v[i] == idx) {
                v.erase(v.begin() + (long)i);
                break;
            }
    }
    c.deps.clear();
    c.src = std::move(src);
    if (!c.src.empty() && c.src[0] == '=') {
        c.expr = Parser(c.src.substr(1)).parse();
        if (!c.expr)
            c.expr = std::make_unique<Str>("#PARSE");
    } else {
        c.expr = Parser(c.src).parse();
        if (!c.expr)
            c.expr = std::make_unique<Str>(c.src);
    }
    c.expr->refs(c.deps);
    for (int d : c.deps)
        dependents[(size_t)d].push_back(idx);
}

void Sheet::evaluate(int idx)
{
    evals++;
    cells[(size_t)idx].val = cells[(size_t)idx].expr->eval(*this);
}

void Sheet::recalc_all()
{
    int n = ROWS * COLS;
    std::vector<int> indeg((size_t)n, 0), order;
    order.reserve((size_t)n);
    for (int i = 0; i < n; i++)
        indeg[(size_t)i] = (int)cells[(size_t)i].deps.size();
    for (int i = 0; i < n; i++)
        if (indeg[(size_t)i] == 0)
            order.push_back(i);
    for (size_t k = 0; k < order.size(); k++) {
        int v = order[k];
        evaluate(v);
        for (int w : dependents[(size_t)v])
            if (--indeg[(size_t)w] == 0)
                order.push_back(w);
    }
    for (int i = 0; i < n; i++)
        if (indeg[(size_t)i] > 0)
            cells[(size_t)i].val = Error::Cycle;
}

void Sheet::recalc_from(int idx)
{
    // dirty set by BFS over dependents, then Kahn inside it
    static std::vector<int> mark, indeg;
    static int stamp = 0;
    int n = ROWS * COLS;
    if (mark.empty()) {
        mark.assign((size_t)n, 0);
        indeg.assign((size_t)n, 0);
    }
    stamp++;
    std::vector<int> dirty{ idx };
    mark[(size_t)idx] = stamp;
    for (size_t k = 0; k < dirty.size(); k++)
        for (int w : dependents[(size_t)dirty[k]])
            if (mark[(size_t)w] != stamp) {
                mark[(size_t)w] = stamp;
                dirty.push_back(w);
            }
    for (int v : dirty)
        indeg[(size_t)v] = 0;
    for (int v : dirty)
        for (int d : cells[(size_t)v].deps)
            if (mark[(size_t)d] == stamp)
                indeg[(size_t)v]++;
    std::vector<int> order;
    for (int v : dirty)
        if (indeg[(size_t)v] == 0)
            order.push_back(v);
    for (size_t k = 0; k < order.size(); k++) {
        int v = order[k];
        evaluate(v);
        for (int w : dependents[(size_t)v])
            if (mark[(size_t)w] == stamp && --indeg[(size_t)w] == 0)
                order.push_back(w);
    }
    for (int v : dirty)
        if (indeg[(size_t)v] > 0)
            cells[(size_t)v].val = Error::Cycle;
}

static std::string cellname(int r, int c) { return std::string(1, (char)('A' + c)) + std::to_string(r + 1); }

static std::string make_formula(bench_rng &rng, int r, int c)
{
    int kind = (int)rng_below(&rng, 9);
    int rp = r > 0 ? r - 1 : 0;
    int back = r > 12 ? r - 12 : 0;
    switch (kind) {
    case 0: return "=" + cellname(r, 0) + "*1.5+" + cellname(rp, c);
    case 1: return "=SUM(" + cellname(back, 0) + ":" + cellname(rp, 3) + ")";
    case 2: return "=IF(" + cellname(r, 1) + ">" + cellname(r, 2) + ", " + cellname(r, 1) + "-" + cellname(r, 2) + ", 0)";
    case 3: return "=AVG(" + cellname(back, c - 1) + ":" + cellname(rp, c - 1) + ")/(" + cellname(r, 3) + "-4)";
    case 4: return "=MAX(" + cellname(back, 0) + ":" + cellname(r, 2) + ")-MIN(" + cellname(back, 1) + ":" + cellname(r, 1) + ")";
    case 5: return "=\"row\"&" + cellname(r, 0) + "&\"-\"&COUNT(" + cellname(back, 4) + ":" + cellname(rp, 6) + ")";
    case 6: return "=LEN(" + cellname(rp, 5 + (int)rng_below(&rng, 7)) + ")+" + cellname(r, 3) + "/8";
    case 7: // occasionally refers forward, which can close a cycle
        if (rng_below(&rng, 5))
            return "=" + cellname(rp, c) + "+" + cellname(r, 0) + "*0.25";
        return "=" + cellname(r + 1 < ROWS ? r + 1 : r, c) + "+" + cellname(r, 0) + "*0.25";
    default: return "=-(" + cellname(rp, c) + "*" + cellname(r, 2) + ")/(2+" + cellname(r, 1) + "*" + cellname(r, 1) + ")";
    }
}

static uint64_t hash_value(uint64_t h, const Value &v)
{
    if (const double *d = std::get_if<double>(&v)) {
        uint64_t u;
        memcpy(&u, d, sizeof u);
        return mix64(h, u);
    }
    if (const std::string *s = std::get_if<std::string>(&v)) {
        for (char c : *s)
            h = mix64(h, (uint8_t)c);
        return mix64(h, s->size());
    }
    return mix64(h, 0xE0 + (uint64_t)std::get<Error>(v));
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 55);
    bench_rng rng = { 0x5BEE7ULL };
    std::vector<std::string> init((size_t)(ROWS * COLS));
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++) {
            std::string &s = init[(size_t)(r * COLS + c)];
            if (c < 4)
                s = std::to_string(rng_below(&rng, 1000)) + "." + std::to_string(rng_below(&rng, 100));
            else
                s = make_formula(rng, r, c);
        }

    double start = bench_now();
    uint64_t h = 0, cycles = 0, errors = 0;
    Sheet sheet;
    for (int i = 0; i < ROWS * COLS; i++)
        sheet.set(i, init[(size_t)i]);
    sheet.recalc_all();
    int batches = scale * 10;
    for (int b = 0; b < batches; b++) {
        for (int e = 0; e < 20; e++) {
            int r = (int)rng_below(&rng, ROWS);
            int c = (int)rng_below(&rng, 4);
            std::string v = std::to_string(rng_below(&rng, 1000)) + "." + std::to_string(rng_below(&rng, 4) * 25);
            if (rng_below(&rng, 25) == 0)
                v = "0"; // provokes #DIV/0 downstream
            sheet.set(r * COLS + c, v);
            sheet.recalc_from(r * COLS + c);
        }
        for (int e = 0; e < 3; e++) {
            int r = (int)rng_below(&rng, ROWS), c = 4 + (int)rng_below(&rng, COLS - 4);
            sheet.set(r * COLS + c, make_formula(rng, r, c));
            sheet.recalc_from(r * COLS + c);
        }
        if (b % 25 == 24)
            sheet.recalc_all();
        for (const auto &cell : sheet.cells) {
            h = hash_value(h, cell.val);
            if (const Error *err = std::get_if<Error>(&cell.val)) {
                errors++;
                if (*err == Error::Cycle)
                    cycles++;
            }
        }
    }
    bench_report(start);
    printf("spreadsheet_recalc batches=%d evals=%llu error_cells=%llu cycle_cells=%llu checksum=%016llx\n",
        batches, (unsigned long long)sheet.evals, (unsigned long long)errors,
        (unsigned long long)cycles, (unsigned long long)h);
    return 0;
}
