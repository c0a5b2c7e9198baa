/* log_analytics — C++: parse web-server access-log lines with std::string_view, normalise URL paths,
 * aggregate per-endpoint and per-client statistics in std::unordered_map, and build a sorted text report.
 *
 * Log lines (client address, user, timestamp, request line with query string, status, bytes,
 * latency) are generated before the timer starts. Each round takes a window of lines, parses them
 * into records holding std::strings, aggregates them, computes latency percentiles with
 * std::nth_element, ranks endpoints and clients with std::sort / std::partial_sort, and renders a
 * report string whose FNV hash feeds the checksum. Nothing depends on hash-table iteration order. */
#include "../programs/bench.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

constexpr int kPool = 60000;
constexpr int kWindow = 20000;

struct Record {
    std::string client;
    std::string user;
    std::string method;
    std::string endpoint;  // normalised path
    int minute = 0;        // minutes since midnight
    int status = 0;
    long bytes = 0;
    int latency_us = 0;
};

struct EndpointStats {
    long count = 0;
    long bytes = 0;
    long errors = 0;
    std::vector<int> latencies;
};

struct ClientStats {
    long count = 0;
    long bytes = 0;
    std::string last_user;
};

bool parse_int(std::string_view s, long &out)
{
    if (s.empty()) return false;
    long v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

// "12.345" (milliseconds, up to 3 decimals) -> microseconds
bool parse_ms(std::string_view s, int &out)
{
    size_t dot = s.find('.');
    long whole = 0, frac = 0;
    if (!parse_int(s.substr(0, dot), whole)) return false;
    int digits = 0;
    if (dot != std::string_view::npos) {
        std::string_view f = s.substr(dot + 1);
        if (f.size() > 3 || !parse_int(f, frac)) return false;
        digits = (int)f.size();
    }
    while (digits < 3) { frac *= 10; digits++; }
    out = (int)(whole * 1000 + frac);
    return true;
}

// Replace purely numeric path segments by ":id" and drop the query string.
std::string normalise_path(std::string_view path)
{
    size_t q = path.find('?');
    if (q != std::string_view::npos) path = path.substr(0, q);
    std::string out;
    out.reserve(path.size());
    size_t i = 0;
    while (i < path.size()) {
        size_t slash = path.find('/', i + 1);
        std::string_view seg = path.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
        bool numeric = seg.size() > 1 && std::all_of(seg.begin() + 1, seg.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (numeric) out += "/:id";
        else out.append(seg.data(), seg.size());
        if (slash == std::string_view::npos) break;
        i = slash;
    }
    return out;
}

// 10.0.3.7 - alice [2026-03-12 10:15:32] "GET /api/v1/items/4821?sort=asc HTTP/1.1" 200 5123 12.345
bool parse_line(std::string_view line, Record &r)
{
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return false;
    r.client.assign(line.data(), sp);
    line.remove_prefix(sp + 3);  // skip " - "
    sp = line.find(' ');
    if (sp == std::string_view::npos) return false;
    r.user.assign(line.data(), sp);
    size_t lb = line.find('['), rb = line.find(']');
    if (lb == std::string_view::npos || rb == std::string_view::npos || rb < lb + 20) return false;
    std::string_view ts = line.substr(lb + 1, rb - lb - 1);
    long hh = 0, mm = 0;
    if (!parse_int(ts.substr(11, 2), hh) || !parse_int(ts.substr(14, 2), mm)) return false;
    r.minute = (int)(hh * 60 + mm);
    line.remove_prefix(rb + 1);
    size_t q1 = line.find('"'), q2 = line.find('"', q1 + 1);
    if (q1 == std::string_view::npos || q2 == std::string_view::npos) return false;
    std::string_view req = line.substr(q1 + 1, q2 - q1 - 1);
    size_t s1 = req.find(' '), s2 = req.rfind(' ');
    if (s1 == std::string_view::npos || s2 <= s1) return false;
    r.method.assign(req.data(), s1);
    r.endpoint = normalise_path(req.substr(s1 + 1, s2 - s1 - 1));
    line.remove_prefix(q2 + 2);
    sp = line.find(' ');
    long status = 0, bytes = 0;
    if (!parse_int(line.substr(0, sp), status)) return false;
    line.remove_prefix(sp + 1);
    sp = line.find(' ');
    if (!parse_int(line.substr(0, sp), bytes)) return false;
    line.remove_prefix(sp + 1);
    if (!parse_ms(line, r.latency_us)) return false;
    r.status = (int)status;
    r.bytes = bytes;
    return true;
}

int percentile(std::vector<int> &v, int pct)
{
    if (v.empty()) return 0;
    size_t k = (v.size() - 1) * (size_t)pct / 100;
    std::nth_element(v.begin(), v.begin() + (long)k, v.end());
    return v[k];
}

uint64_t fnv(const std::string &s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) { h ^= c; h *= 0x100000001b3ULL; }
    return h;
}

std::vector<std::string> generate(bench_rng &rng)
{
    static const char *users[] = { "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "-" };
    static const char *methods[] = { "GET", "GET", "GET", "GET", "POST", "PUT", "DELETE" };
    static const char *paths[] = { "/api/v1/items/", "/api/v1/users/", "/api/v1/orders/", "/static/css/site.css",
                                   "/static/js/app.js", "/login", "/logout", "/search", "/api/v2/items/",
                                   "/api/v1/users/", "/health", "/api/v1/reports/daily/" };
    static const char *queries[] = { "", "", "", "?sort=asc", "?page=2&size=50", "?q=lamp+oil", "?ref=mail" };
    std::vector<std::string> lines;
    lines.reserve(kPool);
    char buf[256];
    for (int i = 0; i < kPool; i++) {
        uint32_t a = rng_below(&rng, 40), b = rng_below(&rng, 40);
        unsigned client_hi = a < b ? a : b;  // skewed towards a few busy clients
        const char *path = paths[rng_below(&rng, sizeof paths / sizeof *paths)];
        bool with_id = path[strlen(path) - 1] == '/';
        char idbuf[32] = "";
        if (with_id) snprintf(idbuf, sizeof idbuf, "%u", 1 + rng_below(&rng, 99999));
        uint32_t st = rng_below(&rng, 100);
        int status = st < 85 ? 200 : st < 90 ? 304 : st < 95 ? 404 : st < 98 ? 500 : 302;
        int secs = 36000 + i / 2;
        unsigned lat = 200 + rng_below(&rng, 20000) + (rng_below(&rng, 50) == 0 ? rng_below(&rng, 2000000) : 0);
        snprintf(buf, sizeof buf, "10.%u.%u.%u - %s [2026-03-12 %02d:%02d:%02d] \"%s %s%s%s HTTP/1.1\" %d %u %u.%03u",
                 client_hi, rng_below(&rng, 4), rng_below(&rng, 8), users[rng_below(&rng, 9)], secs / 3600,
                 secs / 60 % 60, secs % 60, methods[rng_below(&rng, 7)], path, idbuf,
                 queries[rng_below(&rng, 7)], status, status == 304 ? 0 : 100 + rng_below(&rng, 60000), lat / 1000,
                 lat % 1000);
        lines.emplace_back(buf);
    }
    return lines;
}

}  // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 162);
    bench_rng rng = { 0x10A5A11CE5ULL };
    std::vector<std::string> lines = generate(rng);

    double start = bench_now();
    uint64_t h = 0;
    long parsed = 0, rejected = 0;
    for (int round = 0; round < scale; round++) {
        std::vector<Record> recs;
        recs.reserve(kWindow);
        size_t first = (size_t)round * 7919 % kPool;
        for (int i = 0; i < kWindow; i++) {
            Record r;
            std::string_view line = lines[(first + (size_t)i) % kPool];
            if (parse_line(line, r)) recs.push_back(std::move(r));
            else rejected++;
        }
        parsed += (long)recs.size();

        std::unordered_map<std::string, EndpointStats> endpoints;
        std::unordered_map<std::string, ClientStats> clients;
        std::map<int, long> status_counts;
        std::vector<long> per_minute(24 * 60, 0);
        for (const Record &r : recs) {
            EndpointStats &e = endpoints[r.method + " " + r.endpoint];
            e.count++;
            e.bytes += r.bytes;
            if (r.status >= 500) e.errors++;
            e.latencies.push_back(r.latency_us);
            ClientStats &c = clients[r.client];
            c.count++;
            c.bytes += r.bytes;
            if (r.user != "-") c.last_user = r.user;
            status_counts[r.status]++;
            per_minute[(size_t)r.minute]++;
        }

        struct Row {
            std::string key;
            long count, bytes, errors;
            int p50, p95, p99;
        };
        std::vector<Row> rows;
        rows.reserve(endpoints.size());
        for (auto &kv : endpoints) {
            EndpointStats &e = kv.second;
            rows.push_back({ kv.first, e.count, e.bytes, e.errors, percentile(e.latencies, 50),
                             percentile(e.latencies, 95), percentile(e.latencies, 99) });
        }
        std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
            if (a.count != b.count) return a.count > b.count;
            return a.key < b.key;
        });

        std::vector<std::pair<std::string, const ClientStats *>> cl;
        cl.reserve(clients.size());
        for (auto &kv : clients) cl.emplace_back(kv.first, &kv.second);
        size_t topn = std::min<size_t>(15, cl.size());
        std::partial_sort(cl.begin(), cl.begin() + (long)topn, cl.end(), [](const auto &a, const auto &b) {
            if (a.second->bytes != b.second->bytes) return a.second->bytes > b.second->bytes;
            return a.first < b.first;
        });

        std::string report;
        report += "endpoint report, round " + std::to_string(round) + "\n";
        for (const Row &r : rows) {
            report += r.key;
            report += " count=" + std::to_string(r.count) + " bytes=" + std::to_string(r.bytes) +
                      " errors=" + std::to_string(r.errors) + " p50=" + std::to_string(r.p50) +
                      " p95=" + std::to_string(r.p95) + " p99=" + std::to_string(r.p99) + "\n";
        }
        for (size_t i = 0; i < topn; i++)
            report += cl[i].first + " " + std::to_string(cl[i].second->count) + " " +
                      std::to_string(cl[i].second->bytes) + " " + cl[i].second->last_user + "\n";
        for (const auto &kv : status_counts) report += std::to_string(kv.first) + ":" + std::to_string(kv.second) + " ";
        long busiest = *std::max_element(per_minute.begin(), per_minute.end());
        report += "\nbusiest-minute=" + std::to_string(busiest) + " clients=" + std::to_string(clients.size()) + "\n";
        h = mix64(h, fnv(report));
        h = mix64(h, report.size());
    }
    bench_report(start);
    printf("log_analytics lines=%d rounds=%d parsed=%ld rejected=%ld checksum=%016llx\n", kWindow, scale, parsed,
           rejected, (unsigned long long)h);
    return 0;
}
