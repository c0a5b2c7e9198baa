/* cpp_containers — word statistics with the C++ standard library: a text of generated words is
 * built by appending to a std::string, split into words (lower-cased std::string tokens) counted
 * in a std::unordered_map<std::string, int>, copied into a std::map for ordered iteration, ranked
 * by std::sort of a std::vector<std::pair<std::string, int>> with a lambda comparator, reported by
 * appending to a std::string, and queried with std::lower_bound over the sorted words. Represents
 * everyday container-heavy C++: small-string handling, hashing, node-based trees, sorting with
 * comparators. (The checksum never depends on the unordered_map's iteration order.) */
#include "bench.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

static uint64_t hash_string(uint64_t h, const std::string &s)
{
    for (char c : s)
        h = (h ^ static_cast<uint8_t>(c)) * 0x100000001B3ULL;
    return h;
}

static std::vector<std::string> make_vocabulary(bench_rng *rng, size_t n)
{
    static const char *const syllables[] = {
        "ka", "lo", "mi", "ne", "ru", "ta", "shi", "vo", "de", "an", "el", "or", "ing", "str",
        "que", "bri", "tho", "za", "pe", "ul", "ix", "gan", "mor", "wy", "ce", "fa", "ho", "ju",
    };
    const uint32_t nsyl = sizeof syllables / sizeof syllables[0];
    std::vector<std::string> words;
    words.reserve(n);
    for (size_t i = 0; i < n; i++) {
        std::string w;
        uint32_t parts = 1 + rng_below(rng, 4);
        for (uint32_t p = 0; p < parts; p++)
            w += syllables[rng_below(rng, nsyl)];
        words.push_back(w);
    }
    return words;
}

/* Words drawn with a skew towards the front of the vocabulary, with some capitalisation and
 * punctuation, as running text. */
static std::string make_text(bench_rng *rng, const std::vector<std::string> &vocab, size_t nwords)
{
    std::string text;
    bool sentence_start = true;
    for (size_t i = 0; i < nwords; i++) {
        uint32_t bound = 1 + rng_below(rng, static_cast<uint32_t>(vocab.size()));
        const std::string &w = vocab[rng_below(rng, bound)];
        if (sentence_start) {
            text += static_cast<char>(w[0] - 'a' + 'A');
            text.append(w, 1, std::string::npos);
        } else {
            text += w;
        }
        uint32_t p = rng_below(rng, 20);
        sentence_start = p == 0;
        if (p == 0)
            text += ". ";
        else if (p == 1)
            text += ", ";
        else if (p == 2)
            text += '\n';
        else
            text += ' ';
    }
    return text;
}

static void count_words(const std::string &text, std::unordered_map<std::string, int> &counts)
{
    std::string word;
    for (char c : text) {
        if (c >= 'a' && c <= 'z') {
            word += c;
        } else if (c >= 'A' && c <= 'Z') {
            word += static_cast<char>(c - 'A' + 'a');
        } else if (!word.empty()) {
            ++counts[word];
            word.clear();
        }
    }
    if (!word.empty())
        ++counts[word];
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 36);
    bench_rng rng = { 0xc0ffee };
    const std::vector<std::string> vocab = make_vocabulary(&rng, 6000);
    const size_t words_per_round = 100000;
    const int queries_per_round = 100000;

    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    size_t distinct = 0;
    for (int r = 0; r < scale; r++) {
        std::string text = make_text(&rng, vocab, words_per_round);
        h = mix64(h, text.size());

        std::unordered_map<std::string, int> counts;
        count_words(text, counts);
        distinct = counts.size();

        std::map<std::string, int> ordered(counts.begin(), counts.end());
        uint64_t pos = 0;
        for (const auto &entry : ordered) {
            h = mix64(h, hash_string(pos, entry.first));
            h = mix64(h, static_cast<uint64_t>(entry.second));
            pos++;
        }

        std::vector<std::pair<std::string, int>> ranked(ordered.begin(), ordered.end());
        std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
            if (a.second != b.second)
                return a.second > b.second;
            return a.first < b.first;
        });
        std::string report;
        for (size_t i = 0; i < ranked.size() && i < 200; i++) {
            report += ranked[i].first;
            report += '=';
            report += std::to_string(ranked[i].second);
            report += i % 10 == 9 ? '\n' : ';';
        }
        h = mix64(h, hash_string(report.size(), report));

        std::vector<std::string> keys;
        keys.reserve(ordered.size());
        for (const auto &entry : ordered)
            keys.push_back(entry.first);
        uint64_t found = 0, where = 0;
        for (int q = 0; q < queries_per_round; q++) {
            std::string query = vocab[rng_below(&rng, static_cast<uint32_t>(vocab.size()))];
            if (q % 3 == 0)
                query += "e";   /* often absent */
            auto it = std::lower_bound(keys.begin(), keys.end(), query);
            if (it != keys.end() && *it == query) {
                found++;
                where += counts[query];
            } else {
                where += static_cast<uint64_t>(it - keys.begin());
            }
        }
        h = mix64(h, found);
        h = mix64(h, where);
    }
    bench_report(start);
    printf("cpp_containers rounds=%d words=%zu distinct=%zu checksum=%016llx\n", scale,
           static_cast<size_t>(scale) * words_per_round, distinct, (unsigned long long)h);
    return 0;
}
