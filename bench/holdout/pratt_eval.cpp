/* pratt_eval — C++: a tokenizer, a Pratt (precedence-climbing) parser building a unique_ptr AST, and a tree-walking evaluator.
 *
 * Expressions over 64-bit integers with variables a..z, literals, unary - ! ~, binary arithmetic,
 * shifts, bitwise and comparison operators, short-circuit && ||, the conditional ?: and calls to
 * min/max/abs/clamp. Source strings are generated before the timer starts; each round tokenizes
 * and parses every expression, then evaluates the tree under several variable environments.
 * Arithmetic wraps (done in uint64_t); division by zero yields 0. */
#include "../programs/bench.h"

#include <memory>
#include <string>
#include <vector>

namespace {

enum class Tok : uint8_t {
    Num, Ident, LParen, RParen, Comma, Question, Colon,
    Plus, Minus, Star, Slash, Percent, Shl, Shr, Amp, Pipe, Caret, Tilde, Bang,
    Lt, Le, Gt, Ge, EqEq, Ne, AndAnd, OrOr, End, Error
};

struct Token {
    Tok kind;
    int64_t value;     // number value
    std::string text;  // identifier text
};

class Lexer {
public:
    explicit Lexer(const std::string &s) : src_(s) {}

    std::vector<Token> run()
    {
        std::vector<Token> out;
        for (;;) {
            Token t = next();
            bool done = t.kind == Tok::End || t.kind == Tok::Error;
            out.push_back(std::move(t));
            if (done) break;
        }
        return out;
    }

private:
    const std::string &src_;
    size_t pos_ = 0;

    Token make(Tok k) { return Token{k, 0, std::string()}; }

    Token next()
    {
        while (pos_ < src_.size() && (src_[pos_] == ' ' || src_[pos_] == '\t')) pos_++;
        if (pos_ >= src_.size()) return make(Tok::End);
        char c = src_[pos_];
        if (c >= '0' && c <= '9') {
            int64_t v = 0;
            while (pos_ < src_.size() && src_[pos_] >= '0' && src_[pos_] <= '9')
                v = v * 10 + (src_[pos_++] - '0');
            Token t = make(Tok::Num);
            t.value = v;
            return t;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            size_t b = pos_;
            while (pos_ < src_.size() && ((src_[pos_] >= 'a' && src_[pos_] <= 'z') || src_[pos_] == '_' ||
                                          (src_[pos_] >= '0' && src_[pos_] <= '9')))
                pos_++;
            Token t = make(Tok::Ident);
            t.text = src_.substr(b, pos_ - b);
            return t;
        }
        pos_++;
        char d = pos_ < src_.size() ? src_[pos_] : '\0';
        auto two = [&](Tok k) { pos_++; return make(k); };
        switch (c) {
        case '(': return make(Tok::LParen);
        case ')': return make(Tok::RParen);
        case ',': return make(Tok::Comma);
        case '?': return make(Tok::Question);
        case ':': return make(Tok::Colon);
        case '+': return make(Tok::Plus);
        case '-': return make(Tok::Minus);
        case '*': return make(Tok::Star);
        case '/': return make(Tok::Slash);
        case '%': return make(Tok::Percent);
        case '^': return make(Tok::Caret);
        case '~': return make(Tok::Tilde);
        case '&': return d == '&' ? two(Tok::AndAnd) : make(Tok::Amp);
        case '|': return d == '|' ? two(Tok::OrOr) : make(Tok::Pipe);
        case '!': return d == '=' ? two(Tok::Ne) : make(Tok::Bang);
        case '=': return d == '=' ? two(Tok::EqEq) : make(Tok::Error);
        case '<': return d == '<' ? two(Tok::Shl) : d == '=' ? two(Tok::Le) : make(Tok::Lt);
        case '>': return d == '>' ? two(Tok::Shr) : d == '=' ? two(Tok::Ge) : make(Tok::Gt);
        default: return make(Tok::Error);
        }
    }
};

struct Env {
    int64_t vars[26];
};

struct Node {
    virtual ~Node() = default;
    virtual int64_t eval(const Env &env) const = 0;
};
using NodePtr = std::unique_ptr<Node>;

struct Num final : Node {
    int64_t v;
    explicit Num(int64_t x) : v(x) {}
    int64_t eval(const Env &) const override { return v; }
};

struct Var final : Node {
    int index;
    explicit Var(int i) : index(i) {}
    int64_t eval(const Env &env) const override { return env.vars[index]; }
};

struct Unary final : Node {
    Tok op;
    NodePtr e;
    Unary(Tok o, NodePtr x) : op(o), e(std::move(x)) {}
    int64_t eval(const Env &env) const override
    {
        int64_t v = e->eval(env);
        switch (op) {
        case Tok::Minus: return (int64_t)(0 - (uint64_t)v);
        case Tok::Bang: return !v;
        default: return ~v;
        }
    }
};

struct Binary final : Node {
    Tok op;
    NodePtr l, r;
    Binary(Tok o, NodePtr a, NodePtr b) : op(o), l(std::move(a)), r(std::move(b)) {}
    int64_t eval(const Env &env) const override
    {
        int64_t a = l->eval(env);
        if (op == Tok::AndAnd) return a ? r->eval(env) != 0 : 0;
        if (op == Tok::OrOr) return a ? 1 : r->eval(env) != 0;
        int64_t b = r->eval(env);
        uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
        switch (op) {
        case Tok::Plus: return (int64_t)(ua + ub);
        case Tok::Minus: return (int64_t)(ua - ub);
        case Tok::Star: return (int64_t)(ua * ub);
        case Tok::Slash: return b == 0 || (b == -1 && a == INT64_MIN) ? 0 : a / b;
        case Tok::Percent: return b == 0 || b == -1 ? 0 : a % b;
        case Tok::Shl: return (int64_t)(ua << (ub & 63));
        case Tok::Shr: return a >> (ub & 63);
        case Tok::Amp: return a & b;
        case Tok::Pipe: return a | b;
        case Tok::Caret: return a ^ b;
        case Tok::Lt: return a < b;
        case Tok::Le: return a <= b;
        case Tok::Gt: return a > b;
        case Tok::Ge: return a >= b;
        case Tok::EqEq: return a == b;
        case Tok::Ne: return a != b;
        default: return 0;
        }
    }
};

struct Cond final : Node {
    NodePtr c, t, f;
    Cond(NodePtr a, NodePtr b, NodePtr d) : c(std::move(a)), t(std::move(b)), f(std::move(d)) {}
    int64_t eval(const Env &env) const override { return c->eval(env) ? t->eval(env) : f->eval(env); }
};

enum class Fn { Min, Max, Abs, Clamp };

struct Call final : Node {
    Fn fn;
    std::vector<NodePtr> args;
    int64_t eval(const Env &env) const override
    {
        int64_t x = args[0]->eval(env);
        switch (fn) {
        case Fn::Abs: return x < 0 ? (int64_t)(0 - (uint64_t)x) : x;
        case Fn::Min: { int64_t y = args[1]->eval(env); return x < y ? x : y; }
        case Fn::Max: { int64_t y = args[1]->eval(env); return x > y ? x : y; }
        default: {
            int64_t lo = args[1]->eval(env), hi = args[2]->eval(env);
            return x < lo ? lo : x > hi ? hi : x;
        }
        }
    }
};

class Parser {
public:
    explicit Parser(const std::vector<Token> &t) : toks_(t) {}
    bool failed = false;

    NodePtr parse_all()
    {
        NodePtr e = expr(0);
        if (peek().kind != Tok::End) failed = true;
        return e;
    }

private:
    const std::vector<Token> &toks_;
    size_t pos_ = 0;

    const Token &peek() const { return toks_[pos_]; }
    const Token &advance() { const Token &t = toks_[pos_]; if (t.kind != Tok::End) pos_++; return t; }
    void expect(Tok k) { if (peek().kind != k) failed = true; else pos_++; }

    // left binding power of infix operators; 0 = not an infix operator
    static int lbp(Tok k)
    {
        switch (k) {
        case Tok::Question: return 1;
        case Tok::OrOr: return 2;
        case Tok::AndAnd: return 3;
        case Tok::Pipe: return 4;
        case Tok::Caret: return 5;
        case Tok::Amp: return 6;
        case Tok::EqEq: case Tok::Ne: return 7;
        case Tok::Lt: case Tok::Le: case Tok::Gt: case Tok::Ge: return 8;
        case Tok::Shl: case Tok::Shr: return 9;
        case Tok::Plus: case Tok::Minus: return 10;
        case Tok::Star: case Tok::Slash: case Tok::Percent: return 11;
        default: return 0;
        }
    }

    NodePtr prefix()
    {
        const Token &t = advance();
        switch (t.kind) {
        case Tok::Num: return std::make_unique<Num>(t.value);
        case Tok::Minus: case Tok::Bang: case Tok::Tilde: return std::make_unique<Unary>(t.kind, expr(12));
        case Tok::LParen: { NodePtr e = expr(0); expect(Tok::RParen); return e; }
        case Tok::Ident: {
            if (peek().kind != Tok::LParen) {
                if (t.text.size() == 1) return std::make_unique<Var>(t.text[0] - 'a');
                failed = true;
                return std::make_unique<Num>(0);
            }
            auto call = std::make_unique<Call>();
            size_t want;
            if (t.text == "min") { call->fn = Fn::Min; want = 2; }
            else if (t.text == "max") { call->fn = Fn::Max; want = 2; }
            else if (t.text == "abs") { call->fn = Fn::Abs; want = 1; }
            else if (t.text == "clamp") { call->fn = Fn::Clamp; want = 3; }
            else { failed = true; call->fn = Fn::Abs; want = 1; }
            advance();
            do call->args.push_back(expr(0)); while (peek().kind == Tok::Comma && (advance(), true));
            expect(Tok::RParen);
            if (call->args.size() != want) { failed = true; call->args.resize(want); for (auto &a : call->args) if (!a) a = std::make_unique<Num>(0); }
            return call;
        }
        default:
            failed = true;
            return std::make_unique<Num>(0);
        }
    }

    NodePtr expr(int min_bp)
    {
        NodePtr left = prefix();
        for (;;) {
            Tok op = peek().kind;
            int bp = lbp(op);
            if (bp == 0 || bp <= min_bp) break;
            advance();
            if (op == Tok::Question) {     // right associative
                NodePtr t = expr(0);
                expect(Tok::Colon);
                NodePtr f = expr(bp - 1);
                left = std::make_unique<Cond>(std::move(left), std::move(t), std::move(f));
            } else {
                left = std::make_unique<Binary>(op, std::move(left), expr(bp));
            }
        }
        return left;
    }
};

// ---- expression generator (untimed) ----
const char *const kBinOps[] = { "+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "<", "<=", ">", ">=",
                                "==", "!=", "&&", "||", "+", "-", "*", "+" };

void gen(bench_rng &r, int depth, std::string &out)
{
    uint32_t pick = depth <= 0 ? rng_below(&r, 2) : rng_below(&r, 16);
    switch (pick) {
    case 0: out += std::to_string(rng_below(&r, 1000)); return;
    case 1: out += (char)('a' + rng_below(&r, 26)); return;
    case 2: out += "-"; gen(r, depth - 1, out); return;
    case 3: out += "("; gen(r, depth - 1, out); out += ")"; return;
    case 4: out += "min("; gen(r, depth - 1, out); out += ", "; gen(r, depth - 1, out); out += ")"; return;
    case 5: out += "max("; gen(r, depth - 1, out); out += ","; gen(r, depth - 1, out); out += ")"; return;
    case 6: out += "abs("; gen(r, depth - 1, out); out += ")"; return;
    case 7: out += "clamp("; gen(r, depth - 1, out); out += ", 0, 255)"; return;
    case 8: out += "("; gen(r, depth - 1, out); out += " ? "; gen(r, depth - 1, out); out += " : ";
            gen(r, depth - 1, out); out += ")"; return;
    default:
        gen(r, depth - 1, out);
        out += ' ';
        out += kBinOps[rng_below(&r, sizeof kBinOps / sizeof kBinOps[0])];
        out += ' ';
        gen(r, depth - 1, out);
        return;
    }
}

} // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 32);
    bench_rng rng = { 0x9A77ULL };
    std::vector<std::string> sources;
    const int nexpr = 6000;
    size_t chars = 0;
    for (int i = 0; i < nexpr; i++) {
        std::string s;
        gen(rng, 3 + (int)rng_below(&rng, 5), s);
        chars += s.size();
        sources.push_back(std::move(s));
    }
    std::vector<Env> envs(6);
    for (auto &e : envs)
        for (auto &v : e.vars) v = (int64_t)rng_below(&rng, 2000) - 1000;

    double start = bench_now();
    uint64_t h = 0;
    long errors = 0;
    for (int round = 0; round < scale; round++) {
        for (int i = 0; i < nexpr; i++) {
            const std::string &src = sources[(size_t)((i + round * 977) % nexpr)];
            std::vector<Token> toks = Lexer(src).run();
            Parser p(toks);
            NodePtr ast = p.parse_all();
            if (p.failed) { errors++; continue; }
            uint64_t v = 0;
            for (const Env &e : envs) v = v * 31 + (uint64_t)ast->eval(e);
            h = mix64(h, v);
        }
        envs[(size_t)round % envs.size()].vars[round % 26] += round;   // vary inputs between rounds
    }
    bench_report(start);
    if (errors) { printf("pratt_eval: %ld parse errors\n", errors); return 1; }
    printf("pratt_eval exprs=%d chars=%zu rounds=%d checksum=%016llx\n", nexpr, chars, scale, (unsigned long long)h);
    return 0;
}
