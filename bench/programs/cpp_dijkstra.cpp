/* cpp_dijkstra — single-source shortest paths with Dijkstra's algorithm on a generated random
 * sparse directed graph (a std::vector of adjacency vectors of a templated Edge<W>), run from a
 * different source each round, alternately with a hand-written templated binary heap
 * (BinaryHeap<T, Compare>) and with std::priority_queue, both with lazy deletion; the distances
 * are checksummed. Represents ordinary templated C++: class templates, function templates
 * instantiated for two heap types, comparator functors, std::vector and std::pair. */
#include "bench.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

template <typename W>
struct Edge {
    uint32_t to;
    W weight;
};

template <typename W>
using Graph = std::vector<std::vector<Edge<W>>>;

/* A binary min-heap (with respect to Compare, as std::priority_queue is a max-heap with respect
 * to its comparator: top() is an element no other element compares "before"). */
template <typename T, typename Compare = std::less<T>>
class BinaryHeap {
public:
    explicit BinaryHeap(Compare cmp = Compare()) : cmp_(cmp) {}

    bool empty() const { return items_.empty(); }
    size_t size() const { return items_.size(); }
    const T &top() const { return items_.front(); }
    void reserve(size_t n) { items_.reserve(n); }

    void push(const T &value)
    {
        items_.push_back(value);
        sift_up(items_.size() - 1);
    }

    void pop()
    {
        items_.front() = items_.back();
        items_.pop_back();
        if (!items_.empty())
            sift_down(0);
    }

private:
    /* cmp_(a, b) true means a has lower priority than b, as for std::priority_queue. */
    void sift_up(size_t i)
    {
        T value = items_[i];
        while (i > 0) {
            size_t parent = (i - 1) / 2;
            if (!cmp_(items_[parent], value))
                break;
            items_[i] = items_[parent];
            i = parent;
        }
        items_[i] = value;
    }

    void sift_down(size_t i)
    {
        size_t n = items_.size();
        T value = items_[i];
        for (;;) {
            size_t child = 2 * i + 1;
            if (child >= n)
                break;
            if (child + 1 < n && cmp_(items_[child], items_[child + 1]))
                child++;
            if (!cmp_(value, items_[child]))
                break;
            items_[i] = items_[child];
            i = child;
        }
        items_[i] = value;
    }

    std::vector<T> items_;
    Compare cmp_;
};

template <typename D>
using QueueItem = std::pair<D, uint32_t>;

/* Orders queue items so that the smallest distance has the highest priority. */
template <typename D>
struct FartherFirst {
    bool operator()(const QueueItem<D> &a, const QueueItem<D> &b) const
    {
        return a.first > b.first || (a.first == b.first && a.second > b.second);
    }
};

template <typename D, typename W, typename Queue>
std::vector<D> dijkstra(const Graph<W> &graph, uint32_t source, Queue &queue, uint64_t *settled_count)
{
    const D infinity = std::numeric_limits<D>::max();
    std::vector<D> dist(graph.size(), infinity);
    dist[source] = 0;
    queue.push(QueueItem<D>(0, source));
    uint64_t settled = 0;
    while (!queue.empty()) {
        QueueItem<D> item = queue.top();
        queue.pop();
        uint32_t u = item.second;
        if (item.first != dist[u])
            continue;   /* a stale entry: u was reached more cheaply since */
        settled++;
        for (const Edge<W> &e : graph[u]) {
            D candidate = item.first + static_cast<D>(e.weight);
            if (candidate < dist[e.to]) {
                dist[e.to] = candidate;
                queue.push(QueueItem<D>(candidate, e.to));
            }
        }
    }
    *settled_count += settled;
    return dist;
}

template <typename W>
Graph<W> make_graph(bench_rng *rng, uint32_t nodes, uint32_t avg_degree, uint32_t max_weight)
{
    Graph<W> graph(nodes);
    for (uint32_t u = 0; u < nodes; u++) {
        uint32_t degree = 1 + rng_below(rng, 2 * avg_degree - 1);
        graph[u].reserve(degree);
        for (uint32_t k = 0; k < degree; k++) {
            /* Mostly local edges (a "road-like" graph), some long-range ones. */
            uint32_t to;
            if (rng_below(rng, 8) != 0)
                to = (u + nodes - 64 + rng_below(rng, 129)) % nodes;
            else
                to = rng_below(rng, nodes);
            W weight = static_cast<W>(1 + rng_below(rng, max_weight));
            graph[u].push_back(Edge<W>{to, weight});
        }
    }
    return graph;
}

template <typename D>
uint64_t checksum(uint64_t h, const std::vector<D> &dist)
{
    uint64_t sum = 0, reached = 0;
    D farthest = 0;
    for (size_t i = 0; i < dist.size(); i++) {
        if (dist[i] == std::numeric_limits<D>::max())
            continue;
        reached++;
        sum += static_cast<uint64_t>(dist[i]) * (i % 7 + 1);
        if (dist[i] > farthest)
            farthest = dist[i];
    }
    h = mix64(h, sum);
    h = mix64(h, reached);
    return mix64(h, static_cast<uint64_t>(farthest));
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 10);
    const uint32_t nodes = 200000;
    bench_rng rng = { 0x5eed };
    Graph<uint32_t> graph = make_graph<uint32_t>(&rng, nodes, 5, 1000);

    double start = bench_now();
    uint64_t h = 1469598103934665603ULL, settled = 0;
    typedef QueueItem<uint64_t> Item;
    for (int r = 0; r < scale; r++) {
        uint32_t source = rng_below(&rng, nodes);
        std::vector<uint64_t> dist;
        if (r % 2 == 0) {
            BinaryHeap<Item, FartherFirst<uint64_t>> heap;
            heap.reserve(nodes);
            dist = dijkstra<uint64_t>(graph, source, heap, &settled);
        } else {
            std::priority_queue<Item, std::vector<Item>, FartherFirst<uint64_t>> heap;
            dist = dijkstra<uint64_t>(graph, source, heap, &settled);
        }
        h = checksum(h, dist);
    }
    bench_report(start);
    printf("cpp_dijkstra nodes=%u rounds=%d settled=%llu checksum=%016llx\n", nodes, scale,
           (unsigned long long)settled, (unsigned long long)h);
    return 0;
}
