// template_engine — C++ std::string-heavy text processing: a Mustache-like template engine.
// bench-cflags: -Os
//
// Templates with {{var|filter:arg}}, {{{raw}}}, {{#each list}}, {{#if name}}..{{else}}..{{/if}}
// are parsed with std::string::find/substr into a node tree, then rendered against nested
// contexts (std::map<std::string, Value> objects, lists of objects) with a scope stack. Filters
// (upper, lower, title, pad, trunc, reverse, len, escape) build new strings. The rendered HTML
// is then stripped of tags, whitespace is collapsed, the text is word-wrapped and fully justified
// to 64 columns, and a few words are counted and replaced; the final text is hashed.
#include "../programs/bench.h"

#include <map>
#include <string>
#include <vector>

struct Obj;
struct Value {
    std::string s;
    std::vector<Obj> list;
    bool is_list = false;
};
struct Obj {
    std::map<std::string, Value> f;
};

struct Node {
    enum Kind { Text, Var, Raw, Each, If } kind;
    std::string text; // literal text or variable/section name
    std::vector<std::string> filters;
    std::vector<Node> body, else_body;
};

static std::string trim(const std::string &s)
{
    size_t a = s.find_first_not_of(" \t\n");
    if (a == std::string::npos)
        return std::string();
    size_t b = s.find_last_not_of(" \t\n");
    return s.substr(a, b - a + 1);
}

// Parses src from pos until a closing tag {{/...}} or {{else}}; returns the tag that stopped it.
static std::string parse(const std::string &src, size_t &pos, std::vector<Node> &out)
{
    while (pos < src.size()) {
        size_t open = src.find("{{", pos);
        if (open == std::string::npos) {
            out.push_back(Node{ Node::Text, src.substr(pos), {}, {}, {} });
            pos = src.size();
            break;
        }
        if (open > pos)
            out.push_back(Node{ Node::Text, src.substr(pos, open - pos), {}, {}, {} });
        bool raw = src.compare(open, 3, "{{{") == 0;
        size_t close = src.find(raw ? "}}}" : "}}", open);
        std::string tag = trim(src.substr(open + (raw ? 3 : 2), close - open - (raw ? 3 : 2)));
        pos = close + (raw ? 3 : 2);
        if (raw) {
            out.push_back(Node{ Node::Raw, tag, {}, {}, {} });
        } else if (tag[0] == '/' || tag == "else") {
            return tag;
        } else if (tag[0] == '#') {
            size_t sp = tag.find(' ');
            std::string kind = tag.substr(1, sp - 1), name = trim(tag.substr(sp + 1));
            Node n{ kind == "each" ? Node::Each : Node::If, name, {}, {}, {} };
            std::string end = parse(src, pos, n.body);
            if (end == "else")
                parse(src, pos, n.else_body);
            out.push_back(std::move(n));
        } else {
            Node n{ Node::Var, std::string(), {}, {}, {} };
            size_t bar = tag.find('|');
            n.text = trim(tag.substr(0, bar));
            while (bar != std::string::npos) {
                size_t next = tag.find('|', bar + 1);
                n.filters.push_back(trim(tag.substr(bar + 1, next == std::string::npos ? std::string::npos : next - bar - 1)));
                bar = next;
            }
            out.push_back(std::move(n));
        }
    }
    return std::string();
}

static const Value *lookup(const std::vector<const Obj *> &scopes, const std::string &name)
{
    for (size_t i = scopes.size(); i-- > 0;) {
        auto it = scopes[i]->f.find(name);
        if (it != scopes[i]->f.end())
            return &it->second;
    }
    return nullptr;
}

static std::string escape(const std::string &s)
{
    std::string r;
    r.reserve(s.size() + 8);
    for (char c : s) {
        switch (c) {
        case '<': r += "&lt;"; break;
        case '>': r += "&gt;"; break;
        case '&': r += "&amp;"; break;
        case '"': r += "&quot;"; break;
        default: r += c;
        }
    }
    return r;
}

static std::string apply_filter(std::string v, const std::string &filt)
{
    size_t colon = filt.find(':');
    std::string name = filt.substr(0, colon);
    int arg = colon == std::string::npos ? 0 : atoi(filt.c_str() + colon + 1);
    if (name == "upper") {
        for (char &c : v)
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 32);
    } else if (name == "lower") {
        for (char &c : v)
            if (c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
    } else if (name == "title") {
        bool start = true;
        for (char &c : v) {
            if (start && c >= 'a' && c <= 'z')
                c = (char)(c - 32);
            start = c == ' ' || c == '-';
        }
    } else if (name == "pad") {
        if ((int)v.size() < arg)
            v.append((size_t)arg - v.size(), '.');
    } else if (name == "trunc") {
        if ((int)v.size() > arg)
            v = v.substr(0, (size_t)arg) + "~";
    } else if (name == "reverse") {
        v = std::string(v.rbegin(), v.rend());
    } else if (name == "len") {
        v = std::to_string(v.size());
    }
    return v;
}

static void render(const std::vector<Node> &nodes, std::vector<const Obj *> &scopes, std::string &out)
{
    for (const Node &n : nodes) {
        switch (n.kind) {
        case Node::Text: out += n.text; break;
        case Node::Var:
        case Node::Raw: {
            const Value *v = lookup(scopes, n.text);
            std::string s = v ? (v->is_list ? std::to_string(v->list.size()) : v->s) : std::string();
            for (const std::string &f : n.filters)
                s = apply_filter(std::move(s), f);
            out += n.kind == Node::Var ? escape(s) : s;
            break;
        }
        case Node::Each: {
            const Value *v = lookup(scopes, n.text);
            if (v && v->is_list)
                for (const Obj &o : v->list) {
                    scopes.push_back(&o);
                    render(n.body, scopes, out);
                    scopes.pop_back();
                }
            break;
        }
        case Node::If: {
            const Value *v = lookup(scopes, n.text);
            bool truth = v && (v->is_list ? !v->list.empty() : !v->s.empty() && v->s != "0");
            render(truth ? n.body : n.else_body, scopes, out);
            break;
        }
        }
    }
}

// Strip tags, decode the few entities, collapse whitespace.
static std::string to_text(const std::string &html)
{
    std::string t;
    t.reserve(html.size());
    bool space = true;
    for (size_t i = 0; i < html.size(); i++) {
        char c = html[i];
        if (c == '<') {
            size_t e = html.find('>', i);
            i = e == std::string::npos ? html.size() : e;
            c = ' ';
        } else if (c == '&' && html.find(';', i) != std::string::npos && html.find(';', i) - i <= 6) {
            size_t e = html.find(';', i);
            std::string ent = html.substr(i, e - i + 1);
            c = ent == "&lt;" ? '<' : ent == "&gt;" ? '>' : ent == "&amp;" ? '&' : '"';
            i = e;
        }
        if (c == ' ' || c == '\n' || c == '\t') {
            if (!space)
                t += ' ';
            space = true;
        } else {
            t += c;
            space = false;
        }
    }
    return t;
}

static std::string justify(const std::string &text, size_t width)
{
    std::string out;
    std::vector<std::string> line;
    size_t len = 0, pos = 0;
    auto flush = [&](bool last) {
        if (line.empty())
            return;
        size_t gaps = line.size() - 1, extra = width > len ? width - len : 0;
        for (size_t i = 0; i < line.size(); i++) {
            out += line[i];
            if (i < gaps) {
                size_t n = 1;
                if (!last)
                    n += extra / gaps + (i < extra % gaps ? 1 : 0);
                out.append(n, ' ');
            }
        }
        out += '\n';
        line.clear();
        len = 0;
    };
    while (pos < text.size()) {
        size_t e = text.find(' ', pos);
        if (e == std::string::npos)
            e = text.size();
        std::string w = text.substr(pos, e - pos);
        pos = e + 1;
        if (w.empty())
            continue;
        if (!line.empty() && len + line.size() + w.size() > width)
            flush(false);
        len += w.size();
        line.push_back(std::move(w));
    }
    flush(true);
    return out;
}

static const char *syl[] = { "ka", "lo", "mi", "ne", "ru", "ta", "vo", "xi", "zen", "qua", "bor", "tel" };

static std::string word(bench_rng &r, int n)
{
    std::string s;
    for (int i = 0; i < n; i++)
        s += syl[rng_below(&r, 12)];
    return s;
}

static const char *templates[] = {
    "<h1>{{title|title}}</h1>\n<p>Prepared for {{customer|upper}} &amp; team.</p>\n"
    "<ul>{{#each items}}<li class=\"{{#if sale}}sale{{else}}std{{/if}}\">{{name|title|pad:18}} "
    "{{price}} EUR {{#if sale}}<b>now {{sale}}</b>{{/if}} tags: {{#each tags}}[{{tag|lower}}]{{/each}}"
    " ({{desc|trunc:40}})</li>\n{{/each}}</ul>\n<p>{{items}} items; note: {{{note}}}</p>\n",
    "{{#each items}}<div><h2>{{name|upper|reverse}}</h2><p>{{desc}}</p><p>Only {{price}} &lt;{{customer}}&gt; "
    "{{#if sale}}Sale price {{sale|pad:8}}!{{else}}Regular price.{{/if}}</p>{{#each tags}}<i>{{tag|title}}</i> {{/each}}"
    "</div>\n{{/each}}<footer>{{title|len}} {{note}}</footer>",
    ("<table>{{#each items}}<tr><td>{{name|trunc:6}}</td><td>{{price|pad:9}}</td><td>{{#each tags}}{{tag}}/{{name}} "
     "{{/each}}</td><td>{{#if sale}}{{sale}}{{else}}-{{/if}}</td></tr>\n{{/each}}</table><p>{{{note}}} for {{customer|title}}</p>"),
};

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 66);
    bench_rng rng{ 0x74656d706c617465ULL };
    const int NCTX = 8;
    std::vector<Obj> contexts(NCTX);
    for (Obj &ctx : contexts) {
        // one generator call per statement: operands of + are evaluated in unspecified order
        std::string t1 = word(rng, 2), t2 = word(rng, 3);
        ctx.f["title"].s = t1 + " catalogue " + t2;
        std::string c1 = word(rng, 2), c2 = word(rng, 3);
        ctx.f["customer"].s = c1 + " " + c2;
        std::string n1 = word(rng, 4), n2 = word(rng, 2);
        ctx.f["note"].s = "<em>" + n1 + " & " + n2 + "</em>";
        Value &items = ctx.f["items"];
        items.is_list = true;
        int n = 150 + (int)rng_below(&rng, 100);
        for (int i = 0; i < n; i++) {
            Obj it;
            std::string name = word(rng, 1 + (int)rng_below(&rng, 3));
            if (rng_below(&rng, 3) == 0)
                name += "-" + word(rng, 1);
            it.f["name"].s = name;
            std::string units = std::to_string(1 + rng_below(&rng, 999));
            std::string cents = std::to_string(10 + rng_below(&rng, 90));
            it.f["price"].s = units + "." + cents;
            if (rng_below(&rng, 3) == 0)
                it.f["sale"].s = std::to_string(1 + rng_below(&rng, 500));
            std::string d;
            int nw = 3 + (int)rng_below(&rng, 12);
            for (int k = 0; k < nw; k++)
                d += (k ? " " : "") + word(rng, 1 + (int)rng_below(&rng, 3));
            if (rng_below(&rng, 4) == 0)
                d += " <fragile> & \"quoted\"";
            it.f["desc"].s = d;
            Value &tags = it.f["tags"];
            tags.is_list = true;
            int nt = (int)rng_below(&rng, 4);
            for (int k = 0; k < nt; k++) {
                Obj t;
                t.f["tag"].s = word(rng, 1) + (k & 1 ? "X" : "");
                tags.list.push_back(std::move(t));
            }
            items.list.push_back(std::move(it));
        }
    }

    double start = bench_now();
    uint64_t h = 0, bytes = 0, lines = 0, hits = 0;
    for (int round = 0; round < scale; round++) {
        for (int job = 0; job < 24; job++) {
            std::string tsrc = templates[job % 3];
            tsrc.insert(0, "<!-- round " + std::to_string(round) + " -->");
            std::vector<Node> nodes;
            size_t pos = 0;
            parse(tsrc, pos, nodes);
            std::vector<const Obj *> scopes{ &contexts[(round + job / 3) % NCTX] };
            std::string html;
            render(nodes, scopes, html);
            std::string text = to_text(html);
            std::string out = justify(text, 64);
            // count and replace a word
            std::string needle = syl[(round + job) % 12];
            needle += syl[(round / 12 + job) % 12];
            size_t p = 0;
            std::string replaced;
            replaced.reserve(out.size());
            size_t last = 0;
            while ((p = out.find(needle, p)) != std::string::npos) {
                hits++;
                replaced.append(out, last, p - last);
                replaced += "<<" + needle + ">>";
                p += needle.size();
                last = p;
            }
            replaced.append(out, last, std::string::npos);
            for (char c : replaced)
                lines += c == '\n';
            bytes += html.size() + replaced.size();
            uint64_t lh = 0xcbf29ce484222325ULL;
            for (unsigned char c : replaced)
                lh = (lh ^ c) * 0x100000001B3ULL;
            h = mix64(h, lh);
            h = mix64(h, html.size());
        }
    }
    bench_report(start);
    printf("template_engine rounds=%d bytes=%llu lines=%llu hits=%llu checksum=%016llx\n", scale,
           (unsigned long long)bytes, (unsigned long long)lines, (unsigned long long)hits, (unsigned long long)h);
    return 0;
}
