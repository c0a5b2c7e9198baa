// lr_parser.cpp — an SLR(1) parser generator and the small imperative language it parses.
// The generator computes LR(0) item-set closures over std::set<int>, numbers the canonical
// collection through std::map<std::set<int>, int>, derives FIRST/FOLLOW sets by fixpoint and
// fills ACTION/GOTO tables (conflicts are counted and must be zero). A hand-written tokenizer
// (keywords looked up by strcmp, identifiers interned in a std::map) feeds a table-driven
// shift/reduce loop whose reductions build an arena AST; a tree-walking interpreter runs it.
//
// Random programs (assignments, while loops with reserved counters, if/else, print) are generated
// as ASTs, pretty-printed with minimal parentheses, parsed back, printed again (the two texts must
// match) and the parsed tree is executed (outputs, final variables and statement counts must
// match those of the generated tree, run before timing). Corrupted copies
// of the text must be rejected. SCALE = programs.
#include "../programs/bench.h"

#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

static int failures;

// ----------------------------------------------------------------------------- grammar
enum Tok { T_ID, T_NUM, T_WHILE, T_IF, T_ELSE, T_PRINT, T_ASSIGN, T_SEMI, T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN,
           T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_LT, T_EQ, T_END, NTERM };
enum Nt { N_START = NTERM, N_PROG, N_STMTS, N_STMT, N_EXPR, N_SUM, N_TERM, N_UNARY, N_ATOM, NSYM };

struct Prod {
    int lhs;
    std::vector<int> rhs;
};

static const std::vector<Prod> &grammar()
{
    static const std::vector<Prod> g = {
        { N_START, { N_PROG } },                                                              // 0
        { N_PROG, { N_STMTS } },                                                              // 1
        { N_STMTS, { N_STMTS, N_STMT } },                                                     // 2
        { N_STMTS, { N_STMT } },                                                              // 3
        { N_STMT, { T_ID, T_ASSIGN, N_EXPR, T_SEMI } },                                       // 4
        { N_STMT, { T_WHILE, T_LPAREN, N_EXPR, T_RPAREN, T_LBRACE, N_STMTS, T_RBRACE } },     // 5
        { N_STMT, { T_IF, T_LPAREN, N_EXPR, T_RPAREN, T_LBRACE, N_STMTS, T_RBRACE, T_ELSE, T_LBRACE, N_STMTS, T_RBRACE } }, // 6
        { N_STMT, { T_PRINT, N_EXPR, T_SEMI } },                                              // 7
        { N_EXPR, { N_EXPR, T_LT, N_SUM } },                                                  // 8
        { N_EXPR, { N_EXPR, T_EQ, N_SUM } },                                                  // 9
        { N_EXPR, { N_SUM } },                                                                // 10
        { N_SUM, { N_SUM, T_PLUS, N_TERM } },                                                 // 11
        { N_SUM, { N_SUM, T_MINUS, N_TERM } },                                                // 12
        { N_SUM, { N_TERM } },                                                                // 13
        { N_TERM, { N_TERM, T_STAR, N_UNARY } },                                              // 14
        { N_TERM, { N_TERM, T_SLASH, N_UNARY } },                                             // 15
        { N_TERM, { N_TERM, T_PERCENT, N_UNARY } },                                           // 16
        { N_TERM, { N_UNARY } },                                                              // 17
        { N_UNARY, { T_MINUS, N_UNARY } },                                                    // 18
        { N_UNARY, { N_ATOM } },                                                              // 19
        { N_ATOM, { T_NUM } },                                                                // 20
        { N_ATOM, { T_ID } },                                                                 // 21
        { N_ATOM, { T_LPAREN, N_EXPR, T_RPAREN } },                                           // 22
    };
    return g;
}

struct Tables {
    int nstates = 0, conflicts = 0;
    std::vector<int> action; // [state * NTERM + t]: 0 error, >0 shift (s+1), <0 reduce -(p+1), ACCEPT
    std::vector<int> go;     // [state * NSYM + nt]: -1 none
    static constexpr int ACCEPT = 1 << 30;
};

static std::set<int> closure(std::set<int> items)
{
    const auto &g = grammar();
    std::vector<int> work(items.begin(), items.end());
    while (!work.empty()) {
        int it = work.back();
        work.pop_back();
        const Prod &p = g[(size_t)(it >> 4)];
        size_t dot = (size_t)(it & 15);
        if (dot >= p.rhs.size() || p.rhs[dot] < NTERM) continue;
        int sym = p.rhs[dot];
        for (size_t q = 0; q < g.size(); q++)
            if (g[q].lhs == sym && items.insert((int)q << 4).second) work.push_back((int)q << 4);
    }
    return items;
}

static Tables build_tables()
{
    const auto &g = grammar();
    // FIRST (no empty productions in this grammar) and FOLLOW by fixpoint
    std::vector<std::set<int>> first(NSYM), follow(NSYM);
    for (int t = 0; t < NTERM; t++) first[(size_t)t].insert(t);
    for (bool changed = true; changed;) {
        changed = false;
        for (const Prod &p : g)
            for (int t : std::set<int>(first[(size_t)p.rhs[0]]))
                changed |= first[(size_t)p.lhs].insert(t).second;
    }
    follow[N_START].insert(T_END);
    for (bool changed = true; changed;) {
        changed = false;
        for (const Prod &p : g)
            for (size_t i = 0; i < p.rhs.size(); i++) {
                int b = p.rhs[i];
                if (b < NTERM) continue;
                const std::set<int> &src = i + 1 < p.rhs.size() ? first[(size_t)p.rhs[i + 1]] : follow[(size_t)p.lhs];
                for (int t : std::set<int>(src)) changed |= follow[(size_t)b].insert(t).second;
            }
    }
    // canonical LR(0) collection
    std::map<std::set<int>, int> ids;
    std::vector<std::set<int>> states;
    std::map<std::pair<int, int>, int> trans;
    states.push_back(closure({ 0 }));
    ids[states[0]] = 0;
    for (size_t s = 0; s < states.size(); s++) {
        std::map<int, std::set<int>> moves;
        for (int it : states[s]) {
            const Prod &p = g[(size_t)(it >> 4)];
            size_t dot = (size_t)(it & 15);
            if (dot < p.rhs.size()) moves[p.rhs[dot]].insert(it + 1);
        }
        for (auto &mv : moves) {
            std::set<int> c = closure(mv.second);
            auto found = ids.find(c);
            int id;
            if (found == ids.end()) {
                id = (int)states.size();
                ids.emplace(c, id);
                states.push_back(c);
            } else {
                id = found->second;
            }
            trans[{ (int)s, mv.first }] = id;
        }
    }
    Tables tb;
    tb.nstates = (int)states.size();
    tb.action.assign((size_t)tb.nstates * NTERM, 0);
    tb.go.assign((size_t)tb.nstates * NSYM, -1);
    auto set_action = [&](int s, int t, int v) {
        int &slot = tb.action[(size_t)s * NTERM + (size_t)t];
        if (slot != 0 && slot != v) tb.conflicts++;
        else slot = v;
    };
    for (auto &tr : trans) {
        int s = tr.first.first, sym = tr.first.second;
        if (sym < NTERM) set_action(s, sym, tr.second + 1);
        else tb.go[(size_t)s * NSYM + (size_t)sym] = tr.second;
    }
    for (size_t s = 0; s < states.size(); s++)
        for (int it : states[s]) {
            const Prod &p = g[(size_t)(it >> 4)];
            if ((size_t)(it & 15) != p.rhs.size()) continue;
            if (p.lhs == N_START) set_action((int)s, T_END, Tables::ACCEPT);
            else
                for (int t : follow[(size_t)p.lhs]) set_action((int)s, t, -((it >> 4) + 1));
        }
    return tb;
}

// ----------------------------------------------------------------------------- AST
enum Kind { K_NUM, K_VAR, K_NEG, K_BIN, K_ASSIGN, K_WHILE, K_IF, K_PRINT, K_SEQ };
struct Node {
    explicit Node(int k = K_NUM) : kind(k) {}
    int kind;
    int op = 0;        // binary operator token
    int64_t val = 0;   // number or variable index
    int a = -1, b = -1, c = -1;
    std::vector<int> list;
};
struct Ast {
    std::vector<Node> n;
    int add(Node x)
    {
        n.push_back(std::move(x));
        return (int)n.size() - 1;
    }
};

static const char *const VARNAMES[] = { "acc", "x", "y", "zeta", "tmp", "w2", "q", "i0", "i1", "i2" };
enum { NVARS = 10, FIRST_COUNTER = 7 };

static int prec(const Node &x)
{
    if (x.kind != K_BIN) return x.kind == K_NEG ? 4 : 5;
    switch (x.op) {
    case T_LT: case T_EQ: return 1;
    case T_PLUS: case T_MINUS: return 2;
    default: return 3;
    }
}

static void print_expr(const Ast &t, int id, std::string &out)
{
    const Node &x = t.n[(size_t)id];
    char buf[32];
    switch (x.kind) {
    case K_NUM: snprintf(buf, sizeof buf, "%lld", (long long)x.val); out += buf; return;
    case K_VAR: out += VARNAMES[x.val]; return;
    case K_NEG: {
        out += '-';
        bool par = prec(t.n[(size_t)x.a]) < 4;
        if (par) out += '(';
        print_expr(t, x.a, out);
        if (par) out += ')';
        return;
    }
    default: {
        int p = prec(x);
        bool lp = prec(t.n[(size_t)x.a]) < p, rp = prec(t.n[(size_t)x.b]) <= p;
        if (lp) out += '(';
        print_expr(t, x.a, out);
        if (lp) out += ')';
        static const char *ops[NTERM] = {};
        ops[T_PLUS] = " + "; ops[T_MINUS] = " - "; ops[T_STAR] = " * "; ops[T_SLASH] = " / ";
        ops[T_PERCENT] = " % "; ops[T_LT] = " < "; ops[T_EQ] = " == ";
        out += ops[x.op];
        if (rp) out += '(';
        print_expr(t, x.b, out);
        if (rp) out += ')';
    }
    }
}

static void print_stmt(const Ast &t, int id, int indent, std::string &out)
{
    const Node &x = t.n[(size_t)id];
    std::string pad((size_t)indent * 2, ' ');
    switch (x.kind) {
    case K_SEQ:
        for (int s : x.list) print_stmt(t, s, indent, out);
        return;
    case K_ASSIGN: out += pad; out += VARNAMES[x.val]; out += " = "; print_expr(t, x.a, out); out += ";\n"; return;
    case K_PRINT: out += pad; out += "print "; print_expr(t, x.a, out); out += ";\n"; return;
    case K_WHILE:
        out += pad; out += "while ("; print_expr(t, x.a, out); out += ") {\n";
        print_stmt(t, x.b, indent + 1, out);
        out += pad; out += "}\n";
        return;
    default:
        out += pad; out += "if ("; print_expr(t, x.a, out); out += ") {\n";
        print_stmt(t, x.b, indent + 1, out);
        out += pad; out += "} else {\n";
        print_stmt(t, x.c, indent + 1, out);
        out += pad; out += "}\n";
    }
}

// ----------------------------------------------------------------------------- interpreter
struct Machine {
    int64_t vars[NVARS] = {};
    uint64_t out = 0;
    long steps = 0;
};

static int64_t eval(const Ast &t, int id, Machine &m)
{
    const Node &x = t.n[(size_t)id];
    switch (x.kind) {
    case K_NUM: return x.val;
    case K_VAR: return m.vars[x.val];
    case K_NEG: return (int64_t)(0 - (uint64_t)eval(t, x.a, m));
    default: {
        int64_t l = eval(t, x.a, m), r = eval(t, x.b, m);
        switch (x.op) {
        case T_PLUS: return (int64_t)((uint64_t)l + (uint64_t)r);
        case T_MINUS: return (int64_t)((uint64_t)l - (uint64_t)r);
        case T_STAR: return (int64_t)((uint64_t)l * (uint64_t)r);
        case T_SLASH: return r == 0 || (r == -1 && l == INT64_MIN) ? 0 : l / r;
        case T_PERCENT: return r == 0 || r == -1 ? 0 : l % r;
        case T_LT: return l < r;
        default: return l == r;
        }
    }
    }
}

static void exec(const Ast &t, int id, Machine &m)
{
    const Node &x = t.n[(size_t)id];
    m.steps++;
    switch (x.kind) {
    case K_SEQ: for (int s : x.list) exec(t, s, m); return;
    case K_ASSIGN: m.vars[x.val] = eval(t, x.a, m); return;
    case K_PRINT: m.out = mix64(m.out, (uint64_t)eval(t, x.a, m)); return;
    case K_WHILE: while (eval(t, x.a, m)) exec(t, x.b, m); return;
    default: exec(t, eval(t, x.a, m) ? x.b : x.c, m);
    }
}

// ----------------------------------------------------------------------------- tokenizer + parser
struct Token {
    int kind;
    int64_t val;
};

static bool tokenize(const char *s, std::vector<Token> &toks, std::map<std::string, int> &names)
{
    static const char *const kw[] = { "while", "if", "else", "print" };
    static const int kwtok[] = { T_WHILE, T_IF, T_ELSE, T_PRINT };
    toks.clear();
    while (*s) {
        char ch = *s;
        if (ch == ' ' || ch == '\n' || ch == '\t') { s++; continue; }
        if ((ch >= 'a' && ch <= 'z') || ch == '_') {
            const char *b = s;
            while ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_') s++;
            char word[32];
            size_t len = (size_t)(s - b);
            if (len >= sizeof word) return false;
            memcpy(word, b, len);
            word[len] = '\0';
            int k = -1;
            for (int i = 0; i < 4; i++) if (strcmp(word, kw[i]) == 0) k = kwtok[i];
            if (k >= 0) { toks.push_back({ k, 0 }); continue; }
            auto it = names.find(word);
            if (it == names.end()) return false;
            toks.push_back({ T_ID, it->second });
            continue;
        }
        if (ch >= '0' && ch <= '9') {
            int64_t v = 0;
            while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
            toks.push_back({ T_NUM, v });
            continue;
        }
        int k;
        switch (ch) {
        case '=': if (s[1] == '=') { k = T_EQ; s++; } else k = T_ASSIGN; break;
        case ';': k = T_SEMI; break;
        case '{': k = T_LBRACE; break;
        case '}': k = T_RBRACE; break;
        case '(': k = T_LPAREN; break;
        case ')': k = T_RPAREN; break;
        case '+': k = T_PLUS; break;
        case '-': k = T_MINUS; break;
        case '*': k = T_STAR; break;
        case '/': k = T_SLASH; break;
        case '%': k = T_PERCENT; break;
        case '<': k = T_LT; break;
        default: return false;
        }
        s++;
        toks.push_back({ k, 0 });
    }
    toks.push_back({ T_END, 0 });
    return true;
}

// returns the root node or -1 on a syntax error
static int parse(const Tables &tb, const std::vector<Token> &toks, Ast &ast)
{
    const auto &g = grammar();
    std::vector<int> states{ 0 }, vals{ -1 };
    size_t pos = 0;
    for (;;) {
        const Token &tk = toks[pos];
        int act = tb.action[(size_t)states.back() * NTERM + (size_t)tk.kind];
        if (act == Tables::ACCEPT) return vals.back();
        if (act == 0) return -1;
        if (act > 0) {
            states.push_back(act - 1);
            vals.push_back(tk.kind == T_NUM || tk.kind == T_ID ? (int)tk.val : tk.kind);
            pos++;
            continue;
        }
        int p = -act - 1;
        size_t n = g[(size_t)p].rhs.size();
        int *v = &vals[vals.size() - n];
        int res;
        switch (p) {
        case 1: res = v[0]; break;
        case 2: ast.n[(size_t)v[0]].list.push_back(v[1]); res = v[0]; break;
        case 3: { Node s{ K_SEQ }; s.list.push_back(v[0]); res = ast.add(s); break; }
        case 4: { Node s{ K_ASSIGN }; s.val = v[0]; s.a = v[2]; res = ast.add(s); break; }
        case 5: { Node s{ K_WHILE }; s.a = v[2]; s.b = v[5]; res = ast.add(s); break; }
        case 6: { Node s{ K_IF }; s.a = v[2]; s.b = v[5]; s.c = v[9]; res = ast.add(s); break; }
        case 7: { Node s{ K_PRINT }; s.a = v[1]; res = ast.add(s); break; }
        case 8: case 9: case 11: case 12: case 14: case 15: case 16: {
            Node s{ K_BIN }; s.op = v[1]; s.a = v[0]; s.b = v[2]; res = ast.add(s); break;
        }
        case 18: { Node s{ K_NEG }; s.a = v[1]; res = ast.add(s); break; }
        case 20: { Node s{ K_NUM }; s.val = v[0]; res = ast.add(s); break; }
        case 21: { Node s{ K_VAR }; s.val = v[0]; res = ast.add(s); break; }
        case 22: res = v[1]; break;
        default: res = v[0]; break; // unit productions
        }
        states.resize(states.size() - n);
        vals.resize(vals.size() - n);
        int to = tb.go[(size_t)states.back() * NSYM + (size_t)g[(size_t)p].lhs];
        if (to < 0) return -1;
        states.push_back(to);
        vals.push_back(res);
    }
}

// ----------------------------------------------------------------------------- generator
struct Gen {
    bench_rng r;
    Ast ast;
    int gen_expr(int depth, int counters)
    {
        uint32_t k = rng_below(&r, depth <= 0 ? 2 : 10);
        if (k == 0) { Node x{ K_NUM }; x.val = rng_below(&r, 4) == 0 ? (int64_t)rng_below(&r, 100000) : (int64_t)rng_below(&r, 10); return ast.add(x); }
        if (k == 1) { Node x{ K_VAR }; x.val = rng_below(&r, (uint32_t)(FIRST_COUNTER + counters)); return ast.add(x); }
        if (k == 2) { Node x{ K_NEG }; x.a = gen_expr(depth - 1, counters); return ast.add(x); }
        static const int ops[] = { T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_LT, T_EQ, T_PLUS, T_MINUS };
        Node x{ K_BIN };
        x.op = ops[rng_below(&r, 9)];
        x.a = gen_expr(depth - 1, counters);
        x.b = gen_expr(depth - 1, counters);
        return ast.add(x);
    }
    int gen_block(int depth, int counters, int len)
    {
        Node seq{ K_SEQ };
        for (int i = 0; i < len; i++) seq.list.push_back(gen_stmt(depth, counters));
        return ast.add(seq);
    }
    int gen_stmt(int depth, int counters)
    {
        uint32_t k = rng_below(&r, depth <= 0 ? 6 : 10);
        if (k < 4) { Node s{ K_ASSIGN }; s.val = rng_below(&r, FIRST_COUNTER); s.a = gen_expr(4, counters); return ast.add(s); }
        if (k < 6) { Node s{ K_PRINT }; s.a = gen_expr(3, counters); return ast.add(s); }
        if (k < 8 && counters < NVARS - FIRST_COUNTER) {
            // counter = 0; while (counter < N) { body; counter = counter + 1; }
            int cv = FIRST_COUNTER + counters;
            Node init{ K_ASSIGN }; init.val = cv; { Node z{ K_NUM }; z.val = 0; init.a = ast.add(z); }
            int initid = ast.add(init);
            Node cond{ K_BIN }; cond.op = T_LT;
            { Node v{ K_VAR }; v.val = cv; cond.a = ast.add(v); }
            { Node n{ K_NUM }; n.val = 2 + rng_below(&r, 6); cond.b = ast.add(n); }
            int condid = ast.add(cond);
            int body = gen_block(depth - 1, counters + 1, 1 + (int)rng_below(&r, 4));
            Node step{ K_ASSIGN }; step.val = cv;
            Node plus{ K_BIN }; plus.op = T_PLUS;
            { Node v{ K_VAR }; v.val = cv; plus.a = ast.add(v); }
            { Node n{ K_NUM }; n.val = 1; plus.b = ast.add(n); }
            step.a = ast.add(plus);
            int stepid = ast.add(step);
            ast.n[(size_t)body].list.push_back(stepid);
            Node w{ K_WHILE }; w.a = condid; w.b = body;
            int wid = ast.add(w);
            Node seq{ K_SEQ }; seq.list = { initid, wid };
            return ast.add(seq);
        }
        Node s{ K_IF };
        s.a = gen_expr(3, counters);
        s.b = gen_block(depth - 1, counters, 1 + (int)rng_below(&r, 3));
        s.c = gen_block(depth - 1, counters, 1 + (int)rng_below(&r, 3));
        return ast.add(s);
    }
};

// nested K_SEQ from loops print flat; normalise the generated tree the way the parser builds it
static void flatten(Ast &t, int id)
{
    Node &x = t.n[(size_t)id];
    if (x.kind == K_SEQ) {
        std::vector<int> flat;
        for (int s : std::vector<int>(x.list)) {
            flatten(t, s);
            if (t.n[(size_t)s].kind == K_SEQ)
                for (int c : t.n[(size_t)s].list) flat.push_back(c);
            else flat.push_back(s);
        }
        t.n[(size_t)id].list = flat;
    } else if (x.kind == K_WHILE) {
        flatten(t, x.b);
    } else if (x.kind == K_IF) {
        int b = x.b, c = x.c;
        flatten(t, b);
        flatten(t, c);
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 300);
    std::map<std::string, int> names;
    for (int i = 0; i < NVARS; i++) names[VARNAMES[i]] = i;
    // generate all programs before timing: the text and the results of running the generated tree
    std::vector<std::string> texts((size_t)scale);
    std::vector<Machine> expect((size_t)scale);
    for (int k = 0; k < scale; k++) {
        Gen gn;
        gn.r.s = 0x9a7e5ULL + (uint64_t)k * 0x9E3779B97F4A7C15ULL;
        int root = gn.gen_block(3, 0, 60);
        flatten(gn.ast, root);
        print_stmt(gn.ast, root, 0, texts[(size_t)k]);
        exec(gn.ast, root, expect[(size_t)k]);
    }

    double t0 = bench_now();
    Tables tb = build_tables();
    if (tb.conflicts != 0) failures++;
    uint64_t h = mix64(0, (uint64_t)tb.nstates);
    std::vector<Token> toks;
    long total_steps = 0, total_tokens = 0;
    for (int k = 0; k < scale; k++) {
        const std::string &text = texts[(size_t)k];
        Ast parsed;
        if (!tokenize(text.c_str(), toks, names)) { failures++; continue; }
        total_tokens += (long)toks.size();
        int root = parse(tb, toks, parsed);
        if (root < 0) { failures++; continue; }
        std::string again;
        print_stmt(parsed, root, 0, again);
        if (again != text) failures++;
        const Machine &m1 = expect[(size_t)k];
        Machine m2;
        exec(parsed, root, m2);
        if (m1.out != m2.out || m1.steps != m2.steps || memcmp(m1.vars, m2.vars, sizeof m1.vars) != 0) failures++;
        total_steps += m2.steps;
        h = mix64(h, m2.out);
        for (int v = 0; v < NVARS; v++) h = mix64(h, (uint64_t)m2.vars[v]);
        // corrupted copies: drop one token-ish character or swap a brace; must not parse
        for (int c = 0; c < 4; c++) {
            std::string bad = text;
            size_t at = (size_t)((uint64_t)(k * 7919 + c * 104729) % bad.size());
            while (at < bad.size() && strchr(";{}()", bad[at]) == nullptr) at++;
            if (at >= bad.size()) continue;
            bad.erase(at, 1);
            Ast junk;
            if (tokenize(bad.c_str(), toks, names) && parse(tb, toks, junk) >= 0) failures++;
        }
    }
    bench_report(t0);
    printf("lr_parser: programs=%d states=%d tokens=%ld steps=%ld failures=%d checksum=%016llx\n", scale, tb.nstates,
           total_tokens, total_steps, failures, (unsigned long long)h);
    return failures != 0;
}
