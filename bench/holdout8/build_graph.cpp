// build_graph.cpp — an incremental build system in the style of make/ninja.
//
// A generated ninja-like manifest (rules with command templates, build statements with explicit
// and implicit inputs and per-statement variables) is parsed into a graph of file nodes and edges
// whose rules are polymorphic objects (compile, archive, link, generate, copy) deciding their own
// output contents and restat behaviour. Files live in a simulated filesystem keyed by path in an
// unordered_map, with a logical clock for modification times and a build log of command hashes.
// Builds walk the graph depth first from the default targets with cycle detection, plan the dirty
// edges, then run them in topological order re-checking each against the actual state so that
// restat rules prune downstream work; a four-worker schedule by critical path is simulated with a
// priority queue. Random edits (source and header changes, touches, flag changes, deleted outputs,
// generator inputs) are followed by incremental builds, each compared with a clean build of the
// same tree, a no-op rebuild, and reverse-dependency queries.
#include "../programs/bench.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

int failures = 0;

uint64_t hash_str(std::string_view s, uint64_t h = 0xCBF29CE484222325ULL)
{
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001B3ULL;
    }
    return h;
}

// ---------------------------------------------------------------- filesystem

struct FileStat {
    uint64_t mtime = 0; // 0: missing
    uint64_t content = 0;
};

class FileSystem {
public:
    bool stat(const std::string &path, FileStat *out) const
    {
        auto it = files_.find(path);
        if (it == files_.end() || it->second.mtime == 0)
            return false;
        *out = it->second;
        return true;
    }
    void write(const std::string &path, uint64_t content)
    {
        FileStat &f = files_[path];
        f.mtime = ++clock_;
        f.content = content;
    }
    void touch(const std::string &path) { files_[path].mtime = ++clock_; }
    void remove(const std::string &path) { files_.erase(path); }
    uint64_t content(const std::string &path) const
    {
        auto it = files_.find(path);
        return it == files_.end() ? 0 : it->second.content;
    }
    size_t size() const { return files_.size(); }

private:
    std::unordered_map<std::string, FileStat> files_;
    uint64_t clock_ = 0;
};

// ---------------------------------------------------------------- rules

class Rule {
public:
    Rule(std::string name, std::string command) : name_(std::move(name)), command_(std::move(command)) {}
    virtual ~Rule() = default;
    const std::string &name() const { return name_; }
    const std::string &command() const { return command_; }
    virtual uint64_t output_content(const std::vector<uint64_t> &inputs, uint64_t cmd_hash, int out_index) const = 0;
    virtual bool restat() const { return false; }
    virtual int cost() const = 0;

private:
    std::string name_, command_;
};

class CompileRule : public Rule {
public:
    using Rule::Rule;
    uint64_t output_content(const std::vector<uint64_t> &in, uint64_t cmd, int) const override
    {
        uint64_t h = mix64(0x1111, cmd);
        for (uint64_t c : in)
            h = mix64(h, c);
        return h;
    }
    bool restat() const override { return true; }
    int cost() const override { return 8; }
};

class ArchiveRule : public Rule {
public:
    using Rule::Rule;
    uint64_t output_content(const std::vector<uint64_t> &in, uint64_t, int) const override
    {
        // archives do not depend on the order of members
        uint64_t sum = 0, x = 0;
        for (uint64_t c : in) {
            sum += c;
            x ^= c * 0x9E3779B97F4A7C15ULL;
        }
        return mix64(sum, x);
    }
    bool restat() const override { return true; }
    int cost() const override { return 3; }
};

class LinkRule : public Rule {
public:
    using Rule::Rule;
    uint64_t output_content(const std::vector<uint64_t> &in, uint64_t cmd, int) const override
    {
        uint64_t h = mix64(0x2222, cmd);
        for (uint64_t c : in)
            h = mix64(h, c);
        return h;
    }
    int cost() const override { return 20; }
};

class GenerateRule : public Rule {
public:
    using Rule::Rule;
    // generated headers only change when the "interface" part of the input changes
    uint64_t output_content(const std::vector<uint64_t> &in, uint64_t, int out_index) const override
    {
        uint64_t h = 0x3333 + (uint64_t)out_index;
        for (uint64_t c : in)
            h = mix64(h, c >> 4);
        return h;
    }
    bool restat() const override { return true; }
    int cost() const override { return 2; }
};

class CopyRule : public Rule {
public:
    using Rule::Rule;
    uint64_t output_content(const std::vector<uint64_t> &in, uint64_t, int) const override
    {
        return in.empty() ? 0 : in[0];
    }
    int cost() const override { return 1; }
};

// ---------------------------------------------------------------- graph

struct Edge;

struct Node {
    std::string path;
    Edge *in_edge = nullptr;
    std::vector<Edge *> out_edges;
};

struct Edge {
    int index = 0;
    const Rule *rule = nullptr;
    std::vector<Node *> inputs; // explicit then implicit
    size_t explicit_count = 0;
    std::vector<Node *> outputs;
    std::unordered_map<std::string, std::string> vars;
    std::string command;
    int mark = 0; // DFS state: 0 new, 1 visiting, 2 done
    bool planned = false;
    int critical = 0;
};

class State {
public:
    Node *node(const std::string &path)
    {
        auto it = nodes_.find(path);
        if (it != nodes_.end())
            return it->second.get();
        auto n = std::make_unique<Node>();
        n->path = path;
        Node *raw = n.get();
        nodes_.emplace(path, std::move(n));
        return raw;
    }
    Node *lookup(const std::string &path) const
    {
        auto it = nodes_.find(path);
        return it == nodes_.end() ? nullptr : it->second.get();
    }
    Rule *add_rule(std::unique_ptr<Rule> r)
    {
        rules_.push_back(std::move(r));
        return rules_.back().get();
    }
    Rule *rule(const std::string &name) const
    {
        for (auto &r : rules_)
            if (r->name() == name)
                return r.get();
        return nullptr;
    }
    Edge *add_edge()
    {
        edges_.push_back(std::make_unique<Edge>());
        edges_.back()->index = (int)edges_.size() - 1;
        return edges_.back().get();
    }
    const std::vector<std::unique_ptr<Edge>> &edges() const { return edges_; }
    std::vector<std::string> defaults;
    std::unordered_map<std::string, std::string> globals;

private:
    std::unordered_map<std::string, std::unique_ptr<Node>> nodes_;
    std::vector<std::unique_ptr<Rule>> rules_;
    std::vector<std::unique_ptr<Edge>> edges_;
};

// ---------------------------------------------------------------- manifest parser

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_words(std::string_view s)
{
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < s.size() && s[j] != ' ')
            j++;
        if (j > i)
            out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

std::string expand(const std::string &tmpl, const Edge &e, const State &st)
{
    std::string out;
    out.reserve(tmpl.size() + 64);
    for (size_t i = 0; i < tmpl.size(); i++) {
        if (tmpl[i] != '$') {
            out += tmpl[i];
            continue;
        }
        size_t j = i + 1;
        while (j < tmpl.size() && (std::isalnum((unsigned char)tmpl[j]) || tmpl[j] == '_'))
            j++;
        std::string var = tmpl.substr(i + 1, j - i - 1);
        i = j - 1;
        if (var == "in") {
            for (size_t k = 0; k < e.explicit_count; k++) {
                if (k)
                    out += ' ';
                out += e.inputs[k]->path;
            }
        } else if (var == "out") {
            for (size_t k = 0; k < e.outputs.size(); k++) {
                if (k)
                    out += ' ';
                out += e.outputs[k]->path;
            }
        } else {
            auto it = e.vars.find(var);
            if (it != e.vars.end()) {
                out += it->second;
            } else {
                auto g = st.globals.find(var);
                if (g != st.globals.end())
                    out += g->second;
            }
        }
    }
    return out;
}

bool parse_manifest(const std::string &text, State &st)
{
    size_t pos = 0;
    std::string pending_rule_name, pending_kind;
    Edge *cur_edge = nullptr;
    auto flush_rule = [&](const std::string &command) {
        std::unique_ptr<Rule> r;
        if (pending_kind == "compile")
            r = std::make_unique<CompileRule>(pending_rule_name, command);
        else if (pending_kind == "archive")
            r = std::make_unique<ArchiveRule>(pending_rule_name, command);
        else if (pending_kind == "link")
            r = std::make_unique<LinkRule>(pending_rule_name, command);
        else if (pending_kind == "generate")
            r = std::make_unique<GenerateRule>(pending_rule_name, command);
        else
            r = std::make_unique<CopyRule>(pending_rule_name, command);
        st.add_rule(std::move(r));
    };
    std::string rule_command;
    bool in_rule = false;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        std::string_view line(text.data() + pos, nl - pos);
        pos = nl + 1;
        if (line.empty() || line[0] == '#')
            continue;
        bool indented = line[0] == ' ';
        line = trim(line);
        if (indented) {
            size_t eq = line.find('=');
            if (eq == std::string_view::npos)
                return false;
            std::string key(trim(line.substr(0, eq))), val(trim(line.substr(eq + 1)));
            if (in_rule) {
                if (key == "command")
                    rule_command = val;
                else if (key == "kind")
                    pending_kind = val;
            } else if (cur_edge) {
                cur_edge->vars[key] = val;
            } else {
                return false;
            }
            continue;
        }
        if (in_rule) {
            flush_rule(rule_command);
            in_rule = false;
        }
        cur_edge = nullptr;
        if (line.substr(0, 5) == "rule ") {
            in_rule = true;
            pending_rule_name = std::string(trim(line.substr(5)));
            pending_kind.clear();
            rule_command.clear();
        } else if (line.substr(0, 6) == "build ") {
            size_t colon = line.find(':');
            if (colon == std::string_view::npos)
                return false;
            auto outs = split_words(line.substr(6, colon - 6));
            auto rest = split_words(line.substr(colon + 1));
            if (rest.empty() || outs.empty())
                return false;
            Rule *r = st.rule(std::string(rest[0]));
            if (!r)
                return false;
            Edge *e = st.add_edge();
            e->rule = r;
            bool implicit = false;
            for (size_t i = 1; i < rest.size(); i++) {
                if (rest[i] == "|") {
                    implicit = true;
                    continue;
                }
                Node *n = st.node(std::string(rest[i]));
                e->inputs.push_back(n);
                n->out_edges.push_back(e);
                if (!implicit)
                    e->explicit_count++;
            }
            for (auto o : outs) {
                Node *n = st.node(std::string(o));
                if (n->in_edge)
                    return false; // multiple rules generate one output
                n->in_edge = e;
                e->outputs.push_back(n);
            }
            cur_edge = e;
        } else if (line.substr(0, 8) == "default ") {
            for (auto w : split_words(line.substr(8)))
                st.defaults.emplace_back(w);
        } else {
            size_t eq = line.find('=');
            if (eq == std::string_view::npos)
                return false;
            st.globals[std::string(trim(line.substr(0, eq)))] = std::string(trim(line.substr(eq + 1)));
        }
    }
    if (in_rule)
        flush_rule(rule_command);
    for (auto &e : st.edges())
        e->command = expand(e->rule->command(), *e, st);
    return true;
}

// ---------------------------------------------------------------- builder

struct LogEntry {
    uint64_t command = 0;
    uint64_t mtime = 0;
};
using BuildLog = std::unordered_map<std::string, LogEntry>;

struct BuildResult {
    bool ok = true;
    std::string cycle;
    int planned = 0, ran = 0, skipped = 0;
    int makespan = 0;
};

class Builder {
public:
    Builder(State &st, FileSystem &fs, BuildLog &log)
        : st_(st), fs_(fs), log_(log)
    {
    }

    BuildResult build(const std::vector<std::string> &targets)
    {
        BuildResult res;
        order_.clear();
        for (auto &e : st_.edges()) {
            e->mark = 0;
            e->planned = false;
            e->critical = 0;
        }
        std::vector<Node *> path;
        for (const auto &t : targets) {
            Node *n = st_.lookup(t);
            if (!n) {
                res.ok = false;
                return res;
            }
            if (!visit(n, path, res))
                return res;
        }
        for (Edge *e : order_)
            res.planned += e->planned;
        // critical path lengths, consumers first
        for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
            Edge *e = *it;
            int best = 0;
            for (Node *o : e->outputs)
                for (Edge *c : o->out_edges)
                    if (c->planned && c->critical > best)
                        best = c->critical;
            e->critical = best + e->rule->cost();
        }
        std::vector<Edge *> ran;
        for (Edge *e : order_) {
            if (!e->planned)
                continue;
            if (!still_dirty(e)) {
                res.skipped++;
                continue;
            }
            run(e);
            ran.push_back(e);
            res.ran++;
        }
        res.makespan = schedule(ran);
        return res;
    }

private:
    // depth-first walk; plans edges that may need to run
    bool visit(Node *n, std::vector<Node *> &path, BuildResult &res)
    {
        Edge *e = n->in_edge;
        if (!e)
            return true;
        if (e->mark == 2)
            return true;
        if (e->mark == 1) {
            auto start = std::find(path.begin(), path.end(), n);
            std::string cyc;
            for (auto it = start; it != path.end(); ++it) {
                cyc += (*it)->path;
                cyc += " -> ";
            }
            cyc += n->path;
            res.ok = false;
            res.cycle = cyc;
            return false;
        }
        e->mark = 1;
        path.push_back(n);
        bool input_planned = false;
        for (Node *in : e->inputs) {
            if (!visit(in, path, res))
                return false;
            if (in->in_edge && in->in_edge->planned)
                input_planned = true;
        }
        path.pop_back();
        e->mark = 2;
        e->planned = input_planned || outputs_stale(e);
        order_.push_back(e);
        return true;
    }

    // effective time of an output: a restat run that left the content alone records the newest
    // input time in the log, so the edge is clean without disturbing its dependents
    bool outputs_stale(const Edge *e) const
    {
        uint64_t oldest = UINT64_MAX;
        uint64_t cmd = hash_str(e->command);
        for (Node *o : e->outputs) {
            FileStat s;
            if (!fs_.stat(o->path, &s))
                return true;
            auto it = log_.find(o->path);
            if (it == log_.end() || it->second.command != cmd)
                return true;
            uint64_t t = std::max(s.mtime, it->second.mtime);
            if (t < oldest)
                oldest = t;
        }
        for (Node *in : e->inputs) {
            FileStat s;
            if (!fs_.stat(in->path, &s))
                return true;
            if (s.mtime > oldest)
                return true;
        }
        return false;
    }

    bool still_dirty(const Edge *e) const { return outputs_stale(e); }

    void run(Edge *e)
    {
        std::vector<uint64_t> in;
        in.reserve(e->inputs.size());
        uint64_t newest_input = 0;
        for (Node *n : e->inputs) {
            FileStat s;
            if (fs_.stat(n->path, &s) && s.mtime > newest_input)
                newest_input = s.mtime;
            in.push_back(fs_.content(n->path));
        }
        uint64_t cmd = hash_str(e->command);
        for (size_t k = 0; k < e->outputs.size(); k++) {
            const std::string &p = e->outputs[k]->path;
            uint64_t c = e->rule->output_content(in, cmd, (int)k);
            FileStat old;
            bool existed = fs_.stat(p, &old);
            LogEntry &entry = log_[p];
            entry.command = cmd;
            if (e->rule->restat() && existed && old.content == c) {
                entry.mtime = newest_input; // restat: output untouched
            } else {
                fs_.write(p, c);
                FileStat now;
                fs_.stat(p, &now);
                entry.mtime = now.mtime;
            }
        }
    }

    int schedule(const std::vector<Edge *> &ran)
    {
        // simulate four workers; an edge is ready when the edges producing its inputs that
        // also ran have finished
        std::unordered_map<const Edge *, int> pending;
        std::unordered_set<const Edge *> in_set(ran.begin(), ran.end());
        for (const Edge *e : ran) {
            int n = 0;
            std::unordered_set<const Edge *> seen;
            for (Node *in : e->inputs)
                if (in->in_edge && in_set.count(in->in_edge) && seen.insert(in->in_edge).second)
                    n++;
            pending[e] = n;
        }
        auto cmp = [](const Edge *a, const Edge *b) {
            if (a->critical != b->critical)
                return a->critical < b->critical;
            return a->index > b->index;
        };
        std::priority_queue<const Edge *, std::vector<const Edge *>, decltype(cmp)> ready(cmp);
        for (const Edge *e : ran)
            if (pending[e] == 0)
                ready.push(e);
        using Running = std::pair<int, int>; // finish time, edge index
        std::priority_queue<Running, std::vector<Running>, std::greater<Running>> running;
        std::vector<const Edge *> by_index(st_.edges().size(), nullptr);
        for (const Edge *e : ran)
            by_index[(size_t)e->index] = e;
        int now = 0, busy = 0, done = 0;
        while (done < (int)ran.size()) {
            while (busy < 4 && !ready.empty()) {
                const Edge *e = ready.top();
                ready.pop();
                running.emplace(now + e->rule->cost(), e->index);
                busy++;
            }
            if (running.empty())
                break;
            Running r = running.top();
            running.pop();
            now = r.first;
            busy--;
            done++;
            const Edge *fin = by_index[(size_t)r.second];
            std::unordered_set<const Edge *> notified;
            for (Node *o : fin->outputs)
                for (Edge *c : o->out_edges)
                    if (in_set.count(c) && notified.insert(c).second && --pending[c] == 0)
                        ready.push(c);
        }
        if (done != (int)ran.size())
            failures++;
        return now;
    }

    State &st_;
    FileSystem &fs_;
    BuildLog &log_;
    std::vector<Edge *> order_;
};

// ---------------------------------------------------------------- project generator

struct Project {
    int modules = 0, files = 0, headers = 0, apps = 0;
    std::vector<std::string> module_flags;     // per-module extra flags
    std::vector<std::vector<int>> file_headers; // headers included by file (module*files+f)
    std::vector<std::vector<int>> app_libs;
    bool cycle = false;
};

std::string file_src(int m, int f) { return "src/m" + std::to_string(m) + "/f" + std::to_string(f) + ".c"; }
std::string file_obj(int m, int f) { return "obj/m" + std::to_string(m) + "/f" + std::to_string(f) + ".o"; }
std::string header(int m, int h) { return "include/m" + std::to_string(m) + "/h" + std::to_string(h) + ".h"; }
std::string gen_header(int m) { return "gen/m" + std::to_string(m) + "/api.h"; }
std::string gen_def(int m) { return "defs/m" + std::to_string(m) + ".def"; }
std::string lib(int m) { return "lib/libm" + std::to_string(m) + ".a"; }
std::string app(int a) { return "bin/app" + std::to_string(a); }

std::string write_manifest(const Project &p)
{
    std::string s;
    s += "# generated build manifest\n";
    s += "cflags = -O2 -Wall\n";
    s += "ldflags = -Llib\n\n";
    s += "rule cc\n  kind = compile\n  command = cc $cflags $extra -c $in -o $out\n\n";
    s += "rule ar\n  kind = archive\n  command = ar rcs $out $in\n\n";
    s += "rule link\n  kind = link\n  command = cc $ldflags -o $out $in $libs\n\n";
    s += "rule idl\n  kind = generate\n  command = idlgen --header $out $in\n\n";
    s += "rule cp\n  kind = copy\n  command = cp $in $out\n\n";
    for (int m = 0; m < p.modules; m++) {
        s += "build " + gen_header(m) + ": idl " + gen_def(m);
        if (p.cycle && m == 0)
            s += " | " + lib(p.modules - 1);
        s += "\n";
        for (int f = 0; f < p.files; f++) {
            s += "build " + file_obj(m, f) + ": cc " + file_src(m, f) + " |";
            for (int h : p.file_headers[(size_t)(m * p.files + f)]) {
                s += " ";
                s += h >= 0 ? header(m, h) : gen_header(-h - 1);
            }
            s += "\n";
            if (!p.module_flags[(size_t)m].empty())
                s += "  extra = " + p.module_flags[(size_t)m] + "\n";
        }
        s += "build " + lib(m) + ": ar";
        for (int f = 0; f < p.files; f++)
            s += " " + file_obj(m, f);
        s += "\n";
    }
    s += "build include/version.h: cp defs/version.in\n";
    for (int a = 0; a < p.apps; a++) {
        s += "build obj/app" + std::to_string(a) + ".o: cc src/app" + std::to_string(a) +
             ".c | include/version.h\n";
        s += "build " + app(a) + ": link obj/app" + std::to_string(a) + ".o";
        for (int l : p.app_libs[(size_t)a])
            s += " " + lib(l);
        s += "\n  libs = -lc -lm\n";
    }
    s += "\ndefault";
    for (int a = 0; a < p.apps; a++)
        s += " " + app(a);
    s += "\n";
    return s;
}

std::vector<std::string> all_sources(const Project &p)
{
    std::vector<std::string> v;
    for (int m = 0; m < p.modules; m++) {
        v.push_back(gen_def(m));
        for (int f = 0; f < p.files; f++)
            v.push_back(file_src(m, f));
        for (int h = 0; h < p.headers; h++)
            v.push_back(header(m, h));
    }
    for (int a = 0; a < p.apps; a++)
        v.push_back("src/app" + std::to_string(a) + ".c");
    v.push_back("defs/version.in");
    return v;
}

Project make_project(bench_rng &g)
{
    Project p;
    p.modules = 10;
    p.files = 22;
    p.headers = 5;
    p.apps = 6;
    p.module_flags.resize((size_t)p.modules);
    for (int m = 0; m < p.modules; m++)
        if (rng_below(&g, 3) == 0)
            p.module_flags[(size_t)m] = "-DMODULE" + std::to_string(m);
    for (int m = 0; m < p.modules; m++) {
        for (int f = 0; f < p.files; f++) {
            std::vector<int> hs;
            int n = 1 + (int)rng_below(&g, 3);
            for (int k = 0; k < n; k++) {
                int h = (int)rng_below(&g, (uint32_t)p.headers);
                if (std::find(hs.begin(), hs.end(), h) == hs.end())
                    hs.push_back(h);
            }
            // generated API headers of this or lower modules
            // (the first file of a module uses its own API, the second the common one of module 0)
            int gm = f == 0 ? m : f == 1 ? 0 : (int)rng_below(&g, (uint32_t)(m + 1));
            hs.push_back(-gm - 1);
            p.file_headers.push_back(hs);
        }
    }
    for (int a = 0; a < p.apps; a++) {
        std::vector<int> libs;
        for (int m = 0; m < p.modules; m++)
            if (rng_below(&g, 2) == 0 || m == a % p.modules)
                libs.push_back(m);
        p.app_libs.push_back(libs);
    }
    // every library is linked into some application
    for (int m = 0; m < p.modules; m++) {
        bool used = false;
        for (auto &libs : p.app_libs)
            used = used || std::find(libs.begin(), libs.end(), m) != libs.end();
        if (!used)
            p.app_libs[(size_t)(m % p.apps)].push_back(m);
    }
    return p;
}

struct World {
    State st;
    FileSystem fs;
    BuildLog log;
};

// content of every output reachable from the defaults, in manifest order
uint64_t outputs_digest(const World &w, int *count)
{
    uint64_t h = 0x5151;
    int n = 0;
    for (auto &e : w.st.edges())
        for (Node *o : e->outputs) {
            h = mix64(h, w.fs.content(o->path));
            n++;
        }
    *count = n;
    return h;
}

// reverse dependencies: every output that transitively depends on `path`
int rdeps_count(const State &st, const std::string &path)
{
    Node *n = st.lookup(path);
    if (!n)
        return -1;
    std::vector<Node *> stack{ n };
    std::unordered_set<const Node *> seen{ n };
    int count = 0;
    while (!stack.empty()) {
        Node *x = stack.back();
        stack.pop_back();
        for (Edge *e : x->out_edges)
            for (Node *o : e->outputs)
                if (seen.insert(o).second) {
                    count++;
                    stack.push_back(o);
                }
    }
    return count;
}

} // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 56);
    bench_rng g = { 0x0DDB1A5E5BAD5EEDULL };

    double t0 = bench_now();
    uint64_t h = 0x13198A2E03707344ULL;
    for (int round = 0; round < scale; round++) {
        Project proj = make_project(g);
        std::string manifest = write_manifest(proj);
        h = mix64(h, hash_str(manifest));

        auto fresh_world = [&](const std::string &text, const std::vector<std::pair<std::string, uint64_t>> &srcs) {
            auto w = std::make_unique<World>();
            if (!parse_manifest(text, w->st))
                failures++;
            for (auto &s : srcs)
                w->fs.write(s.first, s.second);
            return w;
        };

        std::vector<std::pair<std::string, uint64_t>> sources;
        for (auto &s : all_sources(proj))
            sources.emplace_back(s, rng_next(&g));
        auto world = fresh_world(manifest, sources);
        BuildResult first;
        {
            Builder b(world->st, world->fs, world->log);
            first = b.build(world->st.defaults);
        }
        if (!first.ok || first.ran != (int)world->st.edges().size() || first.skipped != 0)
            failures++;
        h = mix64(h, (uint64_t)first.makespan);

        for (int step = 0; step < 24; step++) {
            // one edit of a random kind
            int kind = (int)rng_below(&g, 7);
            int m = (int)rng_below(&g, (uint32_t)proj.modules), f = (int)rng_below(&g, (uint32_t)proj.files);
            bool manifest_changed = false;
            std::string edited;
            switch (kind) {
            case 0: edited = file_src(m, f); break;
            case 1: edited = header(m, (int)rng_below(&g, (uint32_t)proj.headers)); break;
            case 2: edited = file_src(m, f); world->fs.touch(edited); break;
            case 3: edited = gen_def(m); break;
            case 4:
                proj.module_flags[(size_t)m] = proj.module_flags[(size_t)m].empty()
                                                   ? "-DTUNE" + std::to_string(step)
                                                   : std::string();
                manifest_changed = true;
                break;
            case 5: world->fs.remove(file_obj(m, f)); edited = file_obj(m, f); break;
            default: edited = "defs/version.in"; break;
            }
            for (auto &s : sources) {
                if (s.first != edited || kind == 2 || kind == 5)
                    continue;
                if (kind == 3 && rng_below(&g, 2))
                    s.second ^= 3; // below the generator's granularity: output unchanged
                else
                    s.second = rng_next(&g);
                world->fs.write(s.first, s.second);
            }
            if (manifest_changed) {
                // reload the manifest, keeping the filesystem and build log
                manifest = write_manifest(proj);
                auto w2 = std::make_unique<World>();
                if (!parse_manifest(manifest, w2->st))
                    failures++;
                w2->fs = std::move(world->fs);
                w2->log = std::move(world->log);
                world = std::move(w2);
            }
            BuildResult inc;
            {
                Builder b(world->st, world->fs, world->log);
                inc = b.build(world->st.defaults);
            }
            BuildResult again;
            {
                Builder b(world->st, world->fs, world->log);
                again = b.build(world->st.defaults);
            }
            if (!inc.ok || !again.ok || again.ran != 0)
                failures++;

            // a clean build of the same tree must produce identical outputs
            if (step % 3 == 2 || kind == 4) {
                auto clean = fresh_world(manifest, sources);
                Builder b(clean->st, clean->fs, clean->log);
                BuildResult cr = b.build(clean->st.defaults);
                int n1, n2;
                uint64_t d1 = outputs_digest(*world, &n1), d2 = outputs_digest(*clean, &n2);
                if (!cr.ok || n1 != n2 || d1 != d2)
                    failures++;
                h = mix64(h, d1);
            }
            int rd = edited.empty() ? 0 : rdeps_count(world->st, edited);
            if (kind == 0) {
                // the object, the archive and every app linking the module
                int expect = 2;
                for (auto &libs : proj.app_libs)
                    expect += std::count(libs.begin(), libs.end(), m) > 0;
                if (rd != expect)
                    failures++;
            }
            h = mix64(h, ((uint64_t)inc.ran << 32) | ((uint64_t)inc.skipped << 16) | (uint64_t)(kind * 64 + rd));
            h = mix64(h, (uint64_t)inc.makespan);
        }

        // a manifest with a dependency cycle must be rejected with the cycle reported
        proj.cycle = true;
        std::string cyclic = write_manifest(proj);
        auto cw = fresh_world(cyclic, sources);
        Builder cb(cw->st, cw->fs, cw->log);
        BuildResult cr = cb.build(cw->st.defaults);
        if (cr.ok || cr.cycle.find("lib/libm") == std::string::npos)
            failures++;
        h = mix64(h, hash_str(cr.cycle));
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
