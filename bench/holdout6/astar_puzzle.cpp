// astar_puzzle — C++ generic best-first search: a templated A* over problem classes.
//
// `AStar<Problem>` keeps its open list in a std::priority_queue with a total order (f, then larger
// g, then state) and best-known costs in a std::unordered_map with the problem's hash, expanding
// through a templated neighbour callback. Problems: the 15-puzzle on 64-bit packed nibble states
// (Manhattan distance, and Manhattan plus linear conflicts; both must find the same optimal length
// from random-walk scrambles), and 8-connected grid path finding on a generated map of rooms, walls
// and weighted terrain with an octile heuristic, cross-checked against Dijkstra obtained by
// wrapping the problem in a zero-heuristic adaptor template. Path costs and expansion counts feed
// the checksum (ties are broken by the total order, so expansions are deterministic).
#include "../programs/bench.h"

#include <queue>
#include <unordered_map>
#include <vector>

template <class Problem> class AStar {
public:
    using State = typename Problem::State;
    struct Result {
        int cost;
        uint64_t expanded;
    };
    explicit AStar(const Problem &p) : p_(p) {}
    Result run(State start)
    {
        struct Node {
            int f, g;
            State s;
        };
        struct Worse {
            bool operator()(const Node &a, const Node &b) const
            {
                if (a.f != b.f)
                    return a.f > b.f;
                if (a.g != b.g)
                    return a.g < b.g;
                return b.s < a.s;
            }
        };
        std::priority_queue<Node, std::vector<Node>, Worse> open;
        std::unordered_map<State, int, typename Problem::Hash> best;
        best.reserve(1 << 12);
        best[start] = 0;
        open.push(Node{ p_.h(start), 0, start });
        uint64_t expanded = 0;
        while (!open.empty()) {
            Node n = open.top();
            open.pop();
            auto it = best.find(n.s);
            if (it != best.end() && it->second < n.g)
                continue; // stale entry
            if (p_.is_goal(n.s))
                return Result{ n.g, expanded };
            expanded++;
            p_.neighbors(n.s, [&](State t, int c) {
                int g = n.g + c;
                auto jt = best.find(t);
                if (jt == best.end() || g < jt->second) {
                    best[t] = g;
                    open.push(Node{ g + p_.h(t), g, t });
                }
            });
        }
        return Result{ -1, expanded };
    }

private:
    const Problem &p_;
};

// ---------- 15-puzzle ----------
struct Puzzle {
    using State = uint64_t;
    struct Hash {
        size_t operator()(uint64_t s) const { return (size_t)(s * 0x9E3779B97F4A7C15ULL >> 17); }
    };
    bool conflicts;
    int md[16][16];
    static const uint64_t GOAL = 0x0FEDCBA987654321ULL; // tile i+1 at position i, blank at 15
    Puzzle(bool lc) : conflicts(lc)
    {
        for (int t = 1; t < 16; t++)
            for (int p = 0; p < 16; p++) {
                int gp = t - 1;
                int dx = (p & 3) - (gp & 3), dy = (p >> 2) - (gp >> 2);
                md[t][p] = (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
            }
    }
    static int tile(State s, int p) { return (int)((s >> (4 * p)) & 15); }
    bool is_goal(State s) const { return s == GOAL; }
    int h(State s) const
    {
        int d = 0;
        for (int p = 0; p < 16; p++) {
            int t = tile(s, p);
            if (t)
                d += md[t][p];
        }
        if (!conflicts)
            return d;
        // linear conflicts: in each row (column), tiles that belong there but are out of order
        // must leave the line; the fewest to remove is the count minus the longest increasing
        // subsequence of their goal columns (rows), each costing two extra moves
        for (int line = 0; line < 8; line++) {
            int goals[4], n = 0;
            for (int k = 0; k < 4; k++) {
                int p = line < 4 ? line * 4 + k : k * 4 + (line - 4);
                int t = tile(s, p);
                if (!t)
                    continue;
                int gr = (t - 1) >> 2, gc = (t - 1) & 3;
                if (line < 4 && gr == line)
                    goals[n++] = gc;
                else if (line >= 4 && gc == line - 4)
                    goals[n++] = gr;
            }
            int lis[4], best = 0;
            for (int a = 0; a < n; a++) {
                lis[a] = 1;
                for (int b = 0; b < a; b++)
                    if (goals[b] < goals[a] && lis[b] + 1 > lis[a])
                        lis[a] = lis[b] + 1;
                if (lis[a] > best)
                    best = lis[a];
            }
            d += 2 * (n - best);
        }
        return d;
    }
    static int blank(State s)
    {
        for (int p = 0; p < 16; p++)
            if (tile(s, p) == 0)
                return p;
        return -1;
    }
    static State slide(State s, int from, int to) // move tile at `from` into blank at `to`
    {
        uint64_t t = (s >> (4 * from)) & 15;
        s &= ~(15ULL << (4 * from));
        return s | (t << (4 * to));
    }
    template <class F> void neighbors(State s, F &&f) const
    {
        int b = blank(s);
        if (b >= 4)
            f(slide(s, b - 4, b), 1);
        if (b < 12)
            f(slide(s, b + 4, b), 1);
        if (b & 3)
            f(slide(s, b - 1, b), 1);
        if ((b & 3) != 3)
            f(slide(s, b + 1, b), 1);
    }
};

// ---------- grid map ----------
struct GridMap {
    using State = uint32_t;
    struct Hash {
        size_t operator()(uint32_t s) const { return (size_t)(s * 2654435761u); }
    };
    int W, H;
    std::vector<uint8_t> cost; // 0 = wall, else terrain cost multiplier
    uint32_t goal = 0;
    bool is_goal(State s) const { return s == goal; }
    int h(State s) const
    {
        int dx = (int)(s % (uint32_t)W) - (int)(goal % (uint32_t)W);
        int dy = (int)(s / (uint32_t)W) - (int)(goal / (uint32_t)W);
        dx = dx < 0 ? -dx : dx;
        dy = dy < 0 ? -dy : dy;
        int mn = dx < dy ? dx : dy, mx = dx < dy ? dy : dx;
        return 14 * mn + 10 * (mx - mn);
    }
    template <class F> void neighbors(State s, F &&f) const
    {
        int x = (int)(s % (uint32_t)W), y = (int)(s / (uint32_t)W);
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                if (!dx && !dy)
                    continue;
                int nx = x + dx, ny = y + dy;
                if (nx < 0 || ny < 0 || nx >= W || ny >= H)
                    continue;
                uint32_t t = (uint32_t)(ny * W + nx);
                if (!cost[t])
                    continue;
                if (dx && dy && (!cost[(uint32_t)(y * W + nx)] || !cost[(uint32_t)(ny * W + x)]))
                    continue; // no corner cutting
                f(t, (dx && dy ? 14 : 10) * cost[t]);
            }
    }
};

template <class P> struct ZeroHeuristic : P {
    explicit ZeroHeuristic(const P &p) : P(p) {}
    int h(typename P::State) const { return 0; }
};

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 14);
    bench_rng rng = { 0xA57A4ULL };
    GridMap map;
    map.W = 160;
    map.H = 120;
    map.cost.assign((size_t)(map.W * map.H), 1);
    for (int i = 0; i < map.W * map.H; i++)
        map.cost[(size_t)i] = (uint8_t)(1 + (rng_below(&rng, 10) == 0 ? rng_below(&rng, 4) : 0));
    for (int w = 0; w < 60; w++) { // walls with gaps
        bool vert = rng_below(&rng, 2);
        int x = (int)rng_below(&rng, (uint32_t)map.W), y = (int)rng_below(&rng, (uint32_t)map.H);
        int len = 10 + (int)rng_below(&rng, 50);
        for (int k = 0; k < len; k++) {
            int xx = vert ? x : x + k, yy = vert ? y + k : y;
            if (xx < map.W && yy < map.H && k % 17 != 8)
                map.cost[(size_t)(yy * map.W + xx)] = 0;
        }
    }
    int npuz = scale * 3;
    std::vector<uint64_t> starts;
    for (int i = 0; i < npuz; i++) {
        uint64_t s = Puzzle::GOAL;
        int prev = -1;
        for (int m = 0; m < 38 + (i % 5); m++) {
            int b = Puzzle::blank(s);
            int cand[4], nc = 0;
            if (b >= 4) cand[nc++] = b - 4;
            if (b < 12) cand[nc++] = b + 4;
            if (b & 3) cand[nc++] = b - 1;
            if ((b & 3) != 3) cand[nc++] = b + 1;
            int from;
            do
                from = cand[rng_below(&rng, (uint32_t)nc)];
            while (from == prev);
            s = Puzzle::slide(s, from, b);
            prev = b;
        }
        starts.push_back(s);
    }
    std::vector<uint32_t> qs;
    for (int i = 0; i < scale * 6; i++) {
        uint32_t a, b;
        do
            a = rng_below(&rng, (uint32_t)(map.W * map.H));
        while (!map.cost[a]);
        do
            b = rng_below(&rng, (uint32_t)(map.W * map.H));
        while (!map.cost[b]);
        qs.push_back(a);
        qs.push_back(b);
    }

    double start = bench_now();
    uint64_t h = 0, exp_md = 0, exp_lc = 0, exp_grid = 0, exp_dij = 0;
    int disagree = 0;
    Puzzle pm(false), plc(true);
    AStar<Puzzle> amd(pm), alc(plc);
    for (uint64_t s : starts) {
        auto r1 = amd.run(s);
        auto r2 = alc.run(s);
        if (r1.cost != r2.cost)
            disagree += 1;
        exp_md += r1.expanded;
        exp_lc += r2.expanded;
        h = mix64(h, (uint64_t)r1.cost << 40 ^ r1.expanded << 20 ^ r2.expanded);
    }
    for (size_t i = 0; i < qs.size(); i += 2) {
        map.goal = qs[i + 1];
        AStar<GridMap> ag(map);
        auto r1 = ag.run(qs[i]);
        ZeroHeuristic<GridMap> zmap(map);
        AStar<ZeroHeuristic<GridMap>> dj(zmap);
        auto r2 = dj.run(qs[i]);
        if (r1.cost != r2.cost)
            disagree += 1000;
        exp_grid += r1.expanded;
        exp_dij += r2.expanded;
        h = mix64(h, (uint64_t)(uint32_t)r1.cost << 32 ^ r1.expanded ^ r2.expanded << 16);
    }
    bench_report(start);
    printf("astar_puzzle puzzles=%d grid_queries=%zu expanded=%llu/%llu/%llu/%llu disagree=%d "
           "checksum=%016llx\n",
        npuz, qs.size() / 2, (unsigned long long)exp_md, (unsigned long long)exp_lc,
        (unsigned long long)exp_grid, (unsigned long long)exp_dij, disagree, (unsigned long long)h);
    return 0;
}
