/* line_diff — C++ text diff tool: Myers O(ND) line diff, unified-diff output, patch application.
 *
 * A generated source file (std::vector<std::string>) is edited each round (inserted, deleted,
 * changed and duplicated lines). Lines are interned through std::unordered_map<std::string, int>,
 * common prefix/suffix trimmed, the shortest edit script found with Myers' algorithm (one V array
 * kept per edit distance for the backtrace), and rendered as unified-diff hunks with three lines
 * of context into a std::string. The patch text is then parsed and applied to the old file, which
 * must reproduce the new one, and identifiers on changed lines are counted and ranked with
 * std::sort. */
#include "../programs/bench.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

using Lines = std::vector<std::string>;

static const char *kIdents[] = { "count", "index", "buffer", "result", "node", "value", "state", "next", "size",
                                 "offset", "config", "handler", "queue", "entry", "flags", "total", "limit",
                                 "cursor", "table", "name" };
static const char *kTypes[] = { "int", "uint32_t", "size_t", "auto", "double", "char *", "struct item *" };

static std::string random_line(bench_rng &r)
{
    static const char *indent[] = { "", "    ", "        ", "            " };
    std::string s = indent[rng_below(&r, 4)];
    switch (rng_below(&r, 9)) {
    case 0: return s + "}";
    case 1: return "";
    case 2:
        s += kTypes[rng_below(&r, 7)];
        s += ' ';
        s += kIdents[rng_below(&r, 20)];
        s += " = ";
        s += std::to_string(rng_below(&r, 1000));
        return s + ";";
    case 3:
        s += "if (";
        s += kIdents[rng_below(&r, 20)];
        s += rng_below(&r, 2) ? " < " : " != ";
        s += kIdents[rng_below(&r, 20)];
        return s + ") {";
    case 4:
        s += "for (int i = 0; i < ";
        s += kIdents[rng_below(&r, 20)];
        return s + "; i++) {";
    case 5:
        s += "return ";
        s += kIdents[rng_below(&r, 20)];
        return s + ";";
    case 6:
        s += "// ";
        for (uint32_t i = 0, n = 2 + rng_below(&r, 6); i < n; i++) {
            s += kIdents[rng_below(&r, 20)];
            s += ' ';
        }
        return s;
    default:
        s += kIdents[rng_below(&r, 20)];
        s += '(';
        s += kIdents[rng_below(&r, 20)];
        s += ", ";
        s += kIdents[rng_below(&r, 20)];
        s += "->";
        s += kIdents[rng_below(&r, 20)];
        return s + ");";
    }
}

static Lines edit(const Lines &base, bench_rng &r)
{
    Lines out;
    out.reserve(base.size() + 200);
    size_t i = 0;
    while (i < base.size()) {
        uint32_t k = rng_below(&r, 1000);
        if (k < 6) { // delete a run
            i += 1 + rng_below(&r, 6);
        } else if (k < 12) { // insert a run
            for (uint32_t j = 0, n = 1 + rng_below(&r, 5); j < n; j++) out.push_back(random_line(r));
        } else if (k < 20) { // change a line
            std::string s = base[i++];
            size_t p = s.find(kIdents[rng_below(&r, 20)]);
            if (p != std::string::npos) s.replace(p, 1, "_");
            else s += " /* changed */";
            out.push_back(std::move(s));
        } else if (k < 22 && i >= 8) { // duplicate a nearby line
            out.push_back(base[i - 1 - rng_below(&r, 8)]);
        } else {
            out.push_back(base[i++]);
        }
    }
    return out;
}

enum class Op : uint8_t { Keep, Del, Ins };

/* Myers: returns the edit script over a[0..n) and b[0..m) */
static void myers(const int *a, int n, const int *b, int m, std::vector<Op> &script)
{
    int max = n + m;
    std::vector<int> v(2 * (size_t)max + 3, 0);
    std::vector<std::vector<int>> trace;
    int off = max + 1;
    int dfinal = -1;
    for (int d = 0; d <= max; d++) {
        for (int k = -d; k <= d; k += 2) {
            int x;
            if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
            else x = v[off + k - 1] + 1;
            int y = x - k;
            while (x < n && y < m && a[x] == b[y]) { x++; y++; }
            v[off + k] = x;
            if (x >= n && y >= m) { dfinal = d; break; }
        }
        trace.emplace_back(v.begin() + (off - d - 1), v.begin() + (off + d + 2));
        if (dfinal >= 0) break;
    }
    /* backtrack */
    script.clear();
    int x = n, y = m;
    for (int d = dfinal; d > 0; d--) {
        const std::vector<int> &pv = trace[(size_t)d - 1]; /* covers k in [-(d-1)-1, (d-1)+1] */
        auto at = [&](int k) { return pv[(size_t)(k + d)]; };
        int k = x - y;
        int pk = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
        int px = at(pk), py = px - pk;
        while (x > px && y > py) { script.push_back(Op::Keep); x--; y--; }
        if (pk == k + 1) { script.push_back(Op::Ins); y--; }
        else { script.push_back(Op::Del); x--; }
    }
    while (x > 0 && y > 0) { script.push_back(Op::Keep); x--; y--; }
    std::reverse(script.begin(), script.end());
}

static void append_range(std::string &out, int start, int len)
{
    out += std::to_string(len == 0 ? start : start + 1);
    if (len != 1) {
        out += ',';
        out += std::to_string(len);
    }
}

/* unified diff with `ctx` lines of context; returns number of hunks */
static int unified(const Lines &a, const Lines &b, const std::vector<Op> &ops, int ctx, std::string &out)
{
    struct Step { Op op; int ai, bi; };
    std::vector<Step> steps;
    steps.reserve(ops.size());
    int ai = 0, bi = 0;
    for (Op o : ops) {
        steps.push_back({ o, ai, bi });
        if (o != Op::Ins) ai++;
        if (o != Op::Del) bi++;
    }
    int hunks = 0;
    size_t i = 0, n = steps.size();
    while (i < n) {
        while (i < n && steps[i].op == Op::Keep) i++;
        if (i == n) break;
        size_t s = i >= (size_t)ctx ? i - (size_t)ctx : 0;
        size_t e = i;
        /* extend while the next change is within 2*ctx keeps */
        for (;;) {
            while (e < n && steps[e].op != Op::Keep) e++;
            size_t k = e;
            while (k < n && steps[k].op == Op::Keep && k - e < (size_t)(2 * ctx + 1)) k++;
            if (k < n && steps[k].op != Op::Keep) { e = k; continue; }
            break;
        }
        size_t end = std::min(n, e + (size_t)ctx);
        int a0 = steps[s].ai, b0 = steps[s].bi, al = 0, bl = 0;
        for (size_t j = s; j < end; j++) {
            if (steps[j].op != Op::Ins) al++;
            if (steps[j].op != Op::Del) bl++;
        }
        out += "@@ -";
        append_range(out, a0, al);
        out += " +";
        append_range(out, b0, bl);
        out += " @@\n";
        for (size_t j = s; j < end; j++) {
            const Step &st = steps[j];
            if (st.op == Op::Keep) { out += ' '; out += a[(size_t)st.ai]; }
            else if (st.op == Op::Del) { out += '-'; out += a[(size_t)st.ai]; }
            else { out += '+'; out += b[(size_t)st.bi]; }
            out += '\n';
        }
        hunks++;
        i = end;
    }
    return hunks;
}

static int parse_int(std::string_view s, size_t &p)
{
    int v = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') v = v * 10 + (s[p++] - '0');
    return v;
}

/* apply a unified diff to `a`; false on a context mismatch */
static bool apply_patch(const Lines &a, std::string_view patch, Lines &out)
{
    out.clear();
    size_t pos = 0;
    int next = 0; /* next unconsumed line of a */
    while (pos < patch.size()) {
        size_t eol = patch.find('\n', pos);
        std::string_view line = patch.substr(pos, eol - pos);
        pos = eol + 1;
        if (line.substr(0, 4) == "@@ -") {
            size_t p = 4;
            int start = parse_int(line, p), len = 1;
            if (p < line.size() && line[p] == ',') { p++; len = parse_int(line, p); }
            int from = len == 0 ? start : start - 1;
            while (next < from) out.push_back(a[(size_t)next++]);
            continue;
        }
        char tag = line.empty() ? ' ' : line[0];
        std::string_view body = line.empty() ? line : line.substr(1);
        if (tag == '+') { out.emplace_back(body); continue; }
        if (next >= (int)a.size() || a[(size_t)next] != body) return false;
        if (tag == ' ') out.push_back(a[(size_t)next]);
        next++;
    }
    while (next < (int)a.size()) out.push_back(a[(size_t)next++]);
    return true;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 1100);
    bench_rng rng{ 0x6c696e6564696666ULL };
    const int N = 3000;
    Lines base;
    for (int i = 0; i < N; i++) base.push_back(random_line(rng));
    bench_rng erng{ 0x65646974732e2e2eULL };

    double start = bench_now();
    uint64_t h = 0, total_d = 0, total_hunks = 0, total_bytes = 0;
    std::vector<Op> script;
    std::string patch;
    Lines cur = base, applied;
    for (int round = 0; round < scale; round++) {
        Lines next = edit(cur, erng);
        std::unordered_map<std::string, int> ids;
        ids.reserve(cur.size() + next.size());
        std::vector<int> A, B;
        A.reserve(cur.size());
        B.reserve(next.size());
        for (const auto &s : cur) A.push_back(ids.emplace(s, (int)ids.size()).first->second);
        for (const auto &s : next) B.push_back(ids.emplace(s, (int)ids.size()).first->second);
        int pre = 0;
        while (pre < (int)A.size() && pre < (int)B.size() && A[(size_t)pre] == B[(size_t)pre]) pre++;
        int suf = 0;
        while (suf < (int)A.size() - pre && suf < (int)B.size() - pre &&
               A[A.size() - 1 - (size_t)suf] == B[B.size() - 1 - (size_t)suf])
            suf++;
        std::vector<Op> mid;
        myers(A.data() + pre, (int)A.size() - pre - suf, B.data() + pre, (int)B.size() - pre - suf, mid);
        script.assign((size_t)pre, Op::Keep);
        script.insert(script.end(), mid.begin(), mid.end());
        script.insert(script.end(), (size_t)suf, Op::Keep);
        int d = 0;
        for (Op o : script) d += o != Op::Keep;
        patch.clear();
        int hunks = unified(cur, next, script, 3, patch);
        if (!apply_patch(cur, patch, applied) || applied != next) {
            fprintf(stderr, "patch failed in round %d\n", round);
            return 1;
        }
        /* rank identifiers on changed lines */
        std::unordered_map<std::string, int> words;
        size_t p = 0;
        while (p < patch.size()) {
            size_t eol = patch.find('\n', p);
            if (patch[p] == '+' || patch[p] == '-') {
                size_t q = p + 1;
                while (q < eol) {
                    while (q < eol && !(patch[q] == '_' || (patch[q] >= 'a' && patch[q] <= 'z'))) q++;
                    size_t w = q;
                    while (q < eol && (patch[q] == '_' || (patch[q] >= 'a' && patch[q] <= 'z') ||
                                       (patch[q] >= '0' && patch[q] <= '9')))
                        q++;
                    if (q > w) words[patch.substr(w, q - w)]++;
                }
            }
            p = eol + 1;
        }
        std::vector<std::pair<std::string, int>> ranked(words.begin(), words.end());
        std::sort(ranked.begin(), ranked.end(), [](const auto &x, const auto &y) {
            return x.second != y.second ? x.second > y.second : x.first < y.first;
        });
        uint64_t fh = 1469598103934665603ULL;
        for (unsigned char c : patch) { fh ^= c; fh *= 1099511628211ULL; }
        h = mix64(h, fh);
        h = mix64(h, (uint64_t)d << 32 | (uint64_t)hunks);
        for (size_t i = 0; i < ranked.size() && i < 8; i++) {
            uint64_t wh = 0;
            for (unsigned char c : ranked[i].first) wh = wh * 131 + c;
            h = mix64(h, wh ^ (uint64_t)ranked[i].second << 48);
        }
        total_d += (uint64_t)d;
        total_hunks += (uint64_t)hunks;
        total_bytes += patch.size();
        /* keep the file from drifting too far: every 8th round restart from the base */
        if (round % 8 == 7) cur = base;
        else cur = std::move(next);
    }
    bench_report(start);
    printf("line_diff lines=%d rounds=%d edits=%llu hunks=%llu patch_bytes=%llu checksum=%016llx\n", N, scale,
           (unsigned long long)total_d, (unsigned long long)total_hunks, (unsigned long long)total_bytes,
           (unsigned long long)h);
    return 0;
}
