// room_booking — C++ meeting-room scheduler: ordered interval maps, rule objects, virtual calls.
//
// Rooms and people each keep their bookings in a templated IntervalMap<T> (std::map keyed by start
// time, overlap queries with lower_bound and a step back). Booking requests are checked against a
// list of polymorphic Rule objects (capacity, equipment, buffer between meetings, floor distance,
// per-person daily load) through virtual allows()/cost() calls; the scheduler searches for the
// cheapest room and the earliest feasible start in 15-minute steps. Cancellations and moves pick
// random live bookings from a std::set of ids; per-team statistics live in a
// std::map<std::string, ...>. Each simulated week ends with a consistency audit and is hashed.
#include "../programs/bench.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

struct Interval {
    int start, end; // minutes, half-open
};

template <typename T> class IntervalMap {
public:
    bool overlaps(int s, int e, int pad = 0) const
    {
        auto it = m_.lower_bound(s - pad);
        if (it != m_.begin()) {
            auto pv = std::prev(it);
            if (pv->second.first.end + pad > s)
                return true;
        }
        return it != m_.end() && it->first < e + pad;
    }
    void insert(int s, int e, const T &v) { m_.emplace(s, std::make_pair(Interval{ s, e }, v)); }
    bool erase(int s, const T &v)
    {
        auto it = m_.find(s);
        if (it == m_.end() || !(it->second.second == v))
            return false;
        m_.erase(it);
        return true;
    }
    int busy_minutes(int from, int to) const
    {
        int total = 0;
        for (auto it = m_.lower_bound(from); it != m_.end() && it->first < to; ++it)
            total += it->second.first.end - it->second.first.start;
        return total;
    }
    size_t size() const { return m_.size(); }
    template <typename F> void for_each(F f) const
    {
        for (const auto &kv : m_)
            f(kv.second.first, kv.second.second);
    }

private:
    std::map<int, std::pair<Interval, T>> m_;
};

struct Room {
    std::string name;
    int floor, capacity;
    unsigned equipment; // bit set
    IntervalMap<int> bookings;
};

struct Person {
    int floor;
    IntervalMap<int> bookings;
};

struct Booking {
    int id, room, start, end;
    std::vector<int> people;
    unsigned needs;
    int team;
};

struct Request {
    std::vector<int> people;
    int duration, earliest, latest;
    unsigned needs;
    int team;
};

struct World {
    std::vector<Room> rooms;
    std::vector<Person> people;
    std::map<int, Booking> bookings;
};

class Rule {
public:
    virtual ~Rule() {}
    virtual bool allows(const World &w, const Request &r, int room, int start) const = 0;
    virtual int cost(const World &, const Request &, int, int) const { return 0; }
};

class CapacityRule : public Rule {
public:
    bool allows(const World &w, const Request &r, int room, int) const override
    {
        return (int)r.people.size() <= w.rooms[room].capacity;
    }
    int cost(const World &w, const Request &r, int room, int) const override
    {
        return (w.rooms[room].capacity - (int)r.people.size()) * 3; // do not waste big rooms
    }
};

class EquipmentRule : public Rule {
public:
    bool allows(const World &w, const Request &r, int room, int) const override
    {
        return (w.rooms[room].equipment & r.needs) == r.needs;
    }
};

class RoomFreeRule : public Rule {
public:
    explicit RoomFreeRule(int buffer) : buffer_(buffer) {}
    bool allows(const World &w, const Request &r, int room, int start) const override
    {
        return !w.rooms[room].bookings.overlaps(start, start + r.duration, buffer_);
    }

private:
    int buffer_;
};

class PeopleFreeRule : public Rule {
public:
    bool allows(const World &w, const Request &r, int, int start) const override
    {
        for (int p : r.people)
            if (w.people[p].bookings.overlaps(start, start + r.duration))
                return false;
        return true;
    }
};

class DailyLoadRule : public Rule {
public:
    explicit DailyLoadRule(int limit) : limit_(limit) {}
    bool allows(const World &w, const Request &r, int, int start) const override
    {
        int day = start / 1440 * 1440;
        for (int p : r.people)
            if (w.people[p].bookings.busy_minutes(day, day + 1440) + r.duration > limit_)
                return false;
        return true;
    }

private:
    int limit_;
};

class FloorDistanceRule : public Rule {
public:
    bool allows(const World &, const Request &, int, int) const override { return true; }
    int cost(const World &w, const Request &r, int room, int) const override
    {
        int c = 0;
        for (int p : r.people) {
            int d = w.people[p].floor - w.rooms[room].floor;
            c += d < 0 ? -d : d;
        }
        return c * 2;
    }
};

class LateRule : public Rule {
public:
    bool allows(const World &, const Request &, int, int) const override { return true; }
    int cost(const World &, const Request &r, int, int start) const override { return (start - r.earliest) / 15; }
};

struct TeamStats {
    int booked = 0, failed = 0, cancelled = 0, moved = 0;
    long minutes = 0;
};

static const char *team_names[] = { "platform", "compiler", "runtime", "design", "sales", "support", "infra", "research" };

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 70);
    bench_rng rng{ 0x726f6f6d626f6f6bULL };

    World w;
    for (int i = 0; i < 40; i++) {
        Room r;
        r.name = std::string("room-") + char('A' + i % 26) + std::to_string(i / 26);
        r.floor = i / 6;
        r.capacity = 2 + (int)rng_below(&rng, 14);
        r.equipment = (unsigned)rng_below(&rng, 16);
        w.rooms.push_back(std::move(r));
    }
    for (int i = 0; i < 300; i++)
        w.people.push_back(Person{ (int)rng_below(&rng, 7), {} });
    std::vector<Request> reqs;
    for (int i = 0; i < 5000; i++) {
        Request q;
        int n = 2 + (int)rng_below(&rng, 6);
        int team = (int)rng_below(&rng, 8);
        for (int k = 0; k < n; k++) {
            int p = (team * 37 + (int)rng_below(&rng, 60)) % 300;
            bool dup = false;
            for (int x : q.people)
                dup |= x == p;
            if (!dup)
                q.people.push_back(p);
        }
        q.duration = 15 * (2 + (int)rng_below(&rng, 7));
        int day = (int)rng_below(&rng, 5);
        q.earliest = day * 1440 + 8 * 60 + 15 * (int)rng_below(&rng, 32);
        q.latest = day * 1440 + 18 * 60;
        q.needs = rng_below(&rng, 3) == 0 ? (1u << rng_below(&rng, 4)) : 0;
        q.team = team;
        reqs.push_back(std::move(q));
    }

    std::vector<std::unique_ptr<Rule>> hard, soft;
    hard.emplace_back(new CapacityRule);
    hard.emplace_back(new EquipmentRule);
    hard.emplace_back(new RoomFreeRule(5));
    hard.emplace_back(new PeopleFreeRule);
    hard.emplace_back(new DailyLoadRule(6 * 60));
    soft.emplace_back(new CapacityRule);
    soft.emplace_back(new FloorDistanceRule);
    soft.emplace_back(new LateRule);

    double start = bench_now();
    uint64_t h = 0;
    long total_booked = 0, total_failed = 0;
    int next_id = 1;
    for (int week = 0; week < scale; week++) {
        std::map<std::string, TeamStats> stats;
        std::set<int> live;
        auto cancel = [&](int id) {
            Booking &b = w.bookings[id];
            w.rooms[b.room].bookings.erase(b.start, id);
            for (int p : b.people)
                w.people[p].bookings.erase(b.start, id);
            live.erase(id);
            w.bookings.erase(id);
        };
        auto place = [&](const Request &q, int &best_room, int &best_start) {
            int best_cost = 1 << 30;
            best_room = -1;
            for (int t = q.earliest; t + q.duration <= q.latest; t += 15) {
                for (int room = 0; room < (int)w.rooms.size(); room++) {
                    bool ok = true;
                    for (const auto &rule : hard)
                        if (!rule->allows(w, q, room, t)) {
                            ok = false;
                            break;
                        }
                    if (!ok)
                        continue;
                    int c = 0;
                    for (const auto &rule : soft)
                        c += rule->cost(w, q, room, t);
                    if (c < best_cost) {
                        best_cost = c;
                        best_room = room;
                        best_start = t;
                    }
                }
                if (best_room >= 0)
                    return best_cost; // earliest feasible slot wins, cheapest room in it
            }
            return -1;
        };
        for (int i = 0; i < 1500; i++) {
            const Request &q = reqs[(week * 1500 + i) % reqs.size()];
            TeamStats &ts = stats[team_names[q.team]];
            uint32_t action = rng_below(&rng, 10);
            if (action < 7 || live.empty()) {
                int room, st = 0;
                if (place(q, room, st) >= 0) {
                    Booking b{ next_id++, room, st, st + q.duration, q.people, q.needs, q.team };
                    w.rooms[room].bookings.insert(b.start, b.end, b.id);
                    for (int p : b.people)
                        w.people[p].bookings.insert(b.start, b.end, b.id);
                    live.insert(b.id);
                    w.bookings.emplace(b.id, std::move(b));
                    ts.booked++;
                    ts.minutes += q.duration;
                } else
                    ts.failed++;
            } else {
                // pick the k-th live booking
                auto it = live.begin();
                std::advance(it, rng_below(&rng, (uint32_t)std::min<size_t>(live.size(), 64)));
                int id = *it;
                if (action < 9) {
                    cancel(id);
                    ts.cancelled++;
                } else {
                    Booking old = w.bookings[id];
                    cancel(id);
                    Request q2{ old.people, old.end - old.start, old.start + 60, old.start / 1440 * 1440 + 20 * 60,
                                old.needs, old.team };
                    int room, st = 0;
                    if (place(q2, room, st) >= 0) {
                        Booking b{ next_id++, room, st, st + q2.duration, old.people, old.needs, old.team };
                        w.rooms[room].bookings.insert(b.start, b.end, b.id);
                        for (int p : b.people)
                            w.people[p].bookings.insert(b.start, b.end, b.id);
                        live.insert(b.id);
                        w.bookings.emplace(b.id, std::move(b));
                        ts.moved++;
                    } else
                        ts.failed++;
                }
            }
        }
        // audit: every live booking is in its room and people maps; counts agree
        size_t room_total = 0, person_total = 0, expect_person = 0;
        for (const auto &r : w.rooms)
            room_total += r.bookings.size();
        for (const auto &p : w.people)
            person_total += p.bookings.size();
        for (const auto &kv : w.bookings)
            expect_person += kv.second.people.size();
        if (room_total != w.bookings.size() || person_total != expect_person) {
            fprintf(stderr, "audit failed in week %d\n", week);
            return 1;
        }
        for (const auto &kv : stats) {
            h = mix64(h, kv.first.size() * 131 + (unsigned char)kv.first[0]);
            h = mix64(h, (uint64_t)kv.second.booked << 32 | (uint32_t)kv.second.failed);
            h = mix64(h, (uint64_t)kv.second.cancelled << 32 | (uint32_t)kv.second.moved);
            h = mix64(h, (uint64_t)kv.second.minutes);
            total_booked += kv.second.booked;
            total_failed += kv.second.failed;
        }
        for (const auto &r : w.rooms)
            r.bookings.for_each([&](const Interval &iv, int id) { h = mix64(h, (uint64_t)iv.start << 20 ^ (uint64_t)id); });
        // the week ends: clear everything
        std::vector<int> ids(live.begin(), live.end());
        for (int id : ids)
            cancel(id);
    }
    bench_report(start);
    printf("room_booking weeks=%d booked=%ld failed=%ld next_id=%d checksum=%016llx\n", scale, total_booked,
           total_failed, next_id, (unsigned long long)h);
    return 0;
}
