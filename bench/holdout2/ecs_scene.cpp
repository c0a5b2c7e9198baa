/* ecs_scene — C++: an entity-component system with templated sparse-set component pools, a scene
 * graph of parent/child 2-D transforms, a uniform-grid collision pass and heap-allocated events.
 *
 * Each tick runs systems over views of components (movement, spinning, world-transform propagation
 * in depth order, lifetimes, collisions with damage, regeneration), emitters spawn short-lived
 * particles as children, and dead entities are destroyed together with their descendants, their
 * ids recycled through a free list with generations. The initial scene is built before the timer;
 * SCALE is the number of simulation batches. Floating point uses only + - * / and sqrt. */
#include "../programs/bench.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace {

struct Entity {
    uint32_t index = 0;
    uint32_t gen = 0;
    bool operator==(const Entity &o) const { return index == o.index && gen == o.gen; }
};

constexpr uint32_t kNone = 0xffffffffu;

template <typename T>
class Pool {
public:
    bool has(uint32_t e) const { return e < sparse_.size() && sparse_[e] != kNone; }
    T &get(uint32_t e) { return dense_[sparse_[e]]; }
    const T &get(uint32_t e) const { return dense_[sparse_[e]]; }
    T *find(uint32_t e) { return has(e) ? &dense_[sparse_[e]] : nullptr; }

    T &add(uint32_t e, const T &value)
    {
        if (e >= sparse_.size()) sparse_.resize(e + 1, kNone);
        if (sparse_[e] != kNone) return dense_[sparse_[e]] = value;
        sparse_[e] = (uint32_t)dense_.size();
        dense_.push_back(value);
        owners_.push_back(e);
        return dense_.back();
    }

    void remove(uint32_t e)
    {
        if (!has(e)) return;
        uint32_t slot = sparse_[e];
        uint32_t last = (uint32_t)dense_.size() - 1;
        if (slot != last) {
            dense_[slot] = std::move(dense_[last]);
            owners_[slot] = owners_[last];
            sparse_[owners_[slot]] = slot;
        }
        dense_.pop_back();
        owners_.pop_back();
        sparse_[e] = kNone;
    }

    size_t size() const { return dense_.size(); }
    uint32_t owner(size_t i) const { return owners_[i]; }
    T &at(size_t i) { return dense_[i]; }

private:
    std::vector<T> dense_;
    std::vector<uint32_t> owners_;
    std::vector<uint32_t> sparse_;
};

struct Transform {
    float x, y;
    float c, s;  // rotation as a unit complex number
    float scale;
};
struct World {
    float a, b, c, d, tx, ty;  // 2x2 linear part and translation
};
struct Velocity {
    float vx, vy;
    float spin_c, spin_s;  // per-tick rotation
};
struct Parent {
    Entity parent;
    int depth;
};
struct Health {
    int hp, max_hp, regen;
};
struct Lifetime {
    int ticks;
};
struct Collider {
    float radius;
    uint32_t layer;
};
struct Emitter {
    int period, countdown;
    uint32_t spawned;
};

struct Event {
    virtual ~Event() = default;
    int kind = 0;
};
struct DamageEvent : Event {
    Entity target;
    int amount;
};
struct SpawnEvent : Event {
    Entity parent;
    float vx, vy;
};

constexpr float kWorld = 1024.0f;
constexpr int kGrid = 32;
constexpr float kCell = kWorld / kGrid;

class Registry {
public:
    Pool<Transform> transforms;
    Pool<World> worlds;
    Pool<Velocity> velocities;
    Pool<Parent> parents;
    Pool<Health> healths;
    Pool<Lifetime> lifetimes;
    Pool<Collider> colliders;
    Pool<Emitter> emitters;

    Entity create()
    {
        Entity e;
        if (!free_.empty()) {
            e.index = free_.back();
            free_.pop_back();
            e.gen = gens_[e.index];
        } else {
            e.index = (uint32_t)gens_.size();
            gens_.push_back(0);
            children_.emplace_back();
        }
        alive_++;
        created_++;
        return e;
    }

    bool valid(Entity e) const { return e.index < gens_.size() && gens_[e.index] == e.gen; }

    void set_parent(Entity child, Entity parent)
    {
        int depth = parents.has(parent.index) ? parents.get(parent.index).depth + 1 : 1;
        parents.add(child.index, Parent{ parent, depth });
        children_[parent.index].push_back(child.index);
        order_dirty_ = true;
    }

    // Destroys e and all of its descendants.
    void destroy(Entity e)
    {
        if (!valid(e)) return;
        std::vector<uint32_t> stack{ e.index };
        while (!stack.empty()) {
            uint32_t i = stack.back();
            stack.pop_back();
            for (uint32_t c : children_[i]) stack.push_back(c);
            children_[i].clear();
            if (parents.has(i)) {
                uint32_t p = parents.get(i).parent.index;
                auto &sib = children_[p];
                auto it = std::find(sib.begin(), sib.end(), i);
                if (it != sib.end()) sib.erase(it);
            }
            transforms.remove(i);
            worlds.remove(i);
            velocities.remove(i);
            parents.remove(i);
            healths.remove(i);
            lifetimes.remove(i);
            colliders.remove(i);
            emitters.remove(i);
            gens_[i]++;
            free_.push_back(i);
            alive_--;
            destroyed_++;
        }
        order_dirty_ = true;
    }

    // Entities with a transform, parents before children.
    const std::vector<uint32_t> &update_order()
    {
        if (order_dirty_) {
            order_.clear();
            for (size_t i = 0; i < transforms.size(); i++) order_.push_back(transforms.owner(i));
            std::sort(order_.begin(), order_.end(), [this](uint32_t a, uint32_t b) {
                int da = parents.has(a) ? parents.get(a).depth : 0;
                int db = parents.has(b) ? parents.get(b).depth : 0;
                return da != db ? da < db : a < b;
            });
            order_dirty_ = false;
        }
        return order_;
    }

    Entity handle(uint32_t index) const { return Entity{ index, gens_[index] }; }
    long alive() const { return alive_; }
    long created() const { return created_; }
    long destroyed() const { return destroyed_; }

private:
    std::vector<uint32_t> gens_;
    std::vector<uint32_t> free_;
    std::vector<std::vector<uint32_t>> children_;
    std::vector<uint32_t> order_;
    bool order_dirty_ = true;
    long alive_ = 0, created_ = 0, destroyed_ = 0;
};

// Calls f(entity, a, b) for every entity having both components, driving from the smaller pool.
template <typename A, typename B, typename F>
void each(Pool<A> &pa, Pool<B> &pb, F f)
{
    if (pa.size() <= pb.size()) {
        for (size_t i = 0; i < pa.size(); i++) {
            uint32_t e = pa.owner(i);
            if (pb.has(e)) f(e, pa.at(i), pb.get(e));
        }
    } else {
        for (size_t i = 0; i < pb.size(); i++) {
            uint32_t e = pb.owner(i);
            if (pa.has(e)) f(e, pa.get(e), pb.at(i));
        }
    }
}

float frand(bench_rng &r, float lo, float hi)
{
    return lo + (hi - lo) * (float)rng_below(&r, 1u << 20) / (float)(1u << 20);
}

void make_spin(float angle_step, float &c, float &s)
{
    // small-angle rotation, normalised
    c = 1.0f - angle_step * angle_step / 2.0f;
    s = angle_step;
    float n = std::sqrt(c * c + s * s);
    c /= n;
    s /= n;
}

Entity spawn_body(Registry &reg, bench_rng &rng, int depth_hint)
{
    Entity e = reg.create();
    float c, s;
    make_spin(frand(rng, -0.05f, 0.05f), c, s);
    reg.transforms.add(e.index, Transform{ frand(rng, 0, kWorld), frand(rng, 0, kWorld), 1.0f, 0.0f,
                                           frand(rng, 0.5f, 2.0f) });
    reg.worlds.add(e.index, World{ 1, 0, 0, 1, 0, 0 });
    reg.velocities.add(e.index, Velocity{ frand(rng, -3, 3), frand(rng, -3, 3), c, s });
    reg.colliders.add(e.index, Collider{ frand(rng, 2.0f, 9.0f), rng_below(&rng, 4) });
    reg.healths.add(e.index, Health{ 100 + 20 * depth_hint, 100 + 20 * depth_hint, 1 + (int)rng_below(&rng, 3) });
    return e;
}

struct Sim {
    Registry reg;
    bench_rng rng{ 0x5CE9E5CE9EULL };
    std::vector<std::unique_ptr<Event>> events;
    std::vector<std::vector<uint32_t>> grid = std::vector<std::vector<uint32_t>>(kGrid * kGrid);
    long collisions = 0, deaths = 0;

    // A root body, possibly an emitter, with orbiting satellites, some with their own moons.
    void spawn_system()
    {
        Entity root = spawn_body(reg, rng, 0);
        if (rng_below(&rng, 3) == 0) reg.emitters.add(root.index, Emitter{ 4 + (int)rng_below(&rng, 8), 1, 0 });
        int nsat = (int)rng_below(&rng, 4);
        for (int k = 0; k < nsat; k++) {
            Entity sat = spawn_child(root, 1);
            if (rng_below(&rng, 3) == 0) spawn_child(sat, 2);
        }
    }

    Entity spawn_child(Entity parent, int depth)
    {
        Entity c = spawn_body(reg, rng, depth);
        Transform &t = reg.transforms.get(c.index);
        float reach = depth == 1 ? 30.0f : 8.0f;
        t.x = frand(rng, -reach, reach);
        t.y = frand(rng, -reach, reach);
        reg.set_parent(c, parent);
        return c;
    }

    void build()
    {
        for (int i = 0; i < 600; i++) spawn_system();
    }

    void tick()
    {
        // spin everything; roots bounce inside the world, particles drift in their parent's frame
        each(reg.transforms, reg.velocities, [&](uint32_t e, Transform &t, Velocity &v) {
            float c = t.c * v.spin_c - t.s * v.spin_s;
            float s = t.s * v.spin_c + t.c * v.spin_s;
            t.c = c;
            t.s = s;
            bool root = !reg.parents.has(e);
            if (!root && !reg.lifetimes.has(e)) return;  // satellites keep their offset
            t.x += v.vx;
            t.y += v.vy;
            if (!root) return;
            if (t.x < 0) { t.x = -t.x; v.vx = -v.vx; }
            if (t.x > kWorld) { t.x = 2 * kWorld - t.x; v.vx = -v.vx; }
            if (t.y < 0) { t.y = -t.y; v.vy = -v.vy; }
            if (t.y > kWorld) { t.y = 2 * kWorld - t.y; v.vy = -v.vy; }
        });
        // renormalise rotations now and then to stop drift
        for (size_t i = 0; i < reg.transforms.size(); i++) {
            Transform &t = reg.transforms.at(i);
            float n2 = t.c * t.c + t.s * t.s;
            if (n2 < 0.999f || n2 > 1.001f) {
                float n = std::sqrt(n2);
                t.c /= n;
                t.s /= n;
            }
        }
        // world transforms, parents first
        for (uint32_t e : reg.update_order()) {
            const Transform &t = reg.transforms.get(e);
            World local{ t.c * t.scale, -t.s * t.scale, t.s * t.scale, t.c * t.scale, t.x, t.y };
            World &w = reg.worlds.get(e);
            if (const Parent *p = reg.parents.find(e)) {
                const World &pw = reg.worlds.get(p->parent.index);
                w.a = pw.a * local.a + pw.b * local.c;
                w.b = pw.a * local.b + pw.b * local.d;
                w.c = pw.c * local.a + pw.d * local.c;
                w.d = pw.c * local.b + pw.d * local.d;
                w.tx = pw.a * local.tx + pw.b * local.ty + pw.tx;
                w.ty = pw.c * local.tx + pw.d * local.ty + pw.ty;
            } else {
                w = local;
            }
        }
        // emitters
        for (size_t i = 0; i < reg.emitters.size(); i++) {
            Emitter &em = reg.emitters.at(i);
            if (--em.countdown > 0) continue;
            em.countdown = em.period;
            em.spawned++;
            auto ev = std::make_unique<SpawnEvent>();
            ev->kind = 1;
            ev->parent = reg.handle(reg.emitters.owner(i));
            ev->vx = frand(rng, -1.5f, 1.5f);
            ev->vy = frand(rng, -1.5f, 1.5f);
            events.push_back(std::move(ev));
        }
        // lifetimes
        std::vector<Entity> expired;
        for (size_t i = 0; i < reg.lifetimes.size(); i++)
            if (--reg.lifetimes.at(i).ticks <= 0) expired.push_back(reg.handle(reg.lifetimes.owner(i)));
        for (Entity e : expired) reg.destroy(e);
        collide();
        // regeneration
        for (size_t i = 0; i < reg.healths.size(); i++) {
            Health &hl = reg.healths.at(i);
            hl.hp = std::min(hl.max_hp, hl.hp + hl.regen);
        }
        process_events();
    }

    void collide()
    {
        for (auto &cell : grid) cell.clear();
        each(reg.worlds, reg.colliders, [&](uint32_t e, World &w, Collider &) {
            int cx = (int)(std::min(std::max(w.tx, 0.0f), kWorld - 1) / kCell);
            int cy = (int)(std::min(std::max(w.ty, 0.0f), kWorld - 1) / kCell);
            grid[(size_t)(cy * kGrid + cx)].push_back(e);
        });
        for (int cy = 0; cy < kGrid; cy++)
            for (int cx = 0; cx < kGrid; cx++) {
                const auto &cell = grid[(size_t)(cy * kGrid + cx)];
                for (size_t i = 0; i < cell.size(); i++) {
                    uint32_t a = cell[i];
                    const World &wa = reg.worlds.get(a);
                    const Collider &ca = reg.colliders.get(a);
                    // this cell (later entries) and the forward half of the neighbourhood
                    for (int n = 0; n < 5; n++) {
                        static const int dx[5] = { 0, 1, -1, 0, 1 }, dy[5] = { 0, 0, 1, 1, 1 };
                        int nx = cx + dx[n], ny = cy + dy[n];
                        if (nx < 0 || nx >= kGrid || ny >= kGrid) continue;
                        const auto &other = grid[(size_t)(ny * kGrid + nx)];
                        for (size_t j = n == 0 ? i + 1 : 0; j < other.size(); j++) {
                            uint32_t b = other[j];
                            const Collider &cb = reg.colliders.get(b);
                            if (ca.layer == cb.layer) continue;
                            const World &wb = reg.worlds.get(b);
                            float ddx = wa.tx - wb.tx, ddy = wa.ty - wb.ty, r = ca.radius + cb.radius;
                            if (ddx * ddx + ddy * ddy >= r * r) continue;
                            collisions++;
                            for (int side = 0; side < 2; side++) {
                                auto ev = std::make_unique<DamageEvent>();
                                ev->kind = 0;
                                ev->target = reg.handle(side ? b : a);
                                ev->amount = 1 + (int)((side ? ca.radius : cb.radius) / 2.0f);
                                events.push_back(std::move(ev));
                            }
                        }
                    }
                }
            }
    }

    void process_events()
    {
        std::vector<std::unique_ptr<Event>> batch;
        batch.swap(events);
        for (auto &ev : batch) {
            if (ev->kind == 0) {
                auto *d = static_cast<DamageEvent *>(ev.get());
                if (!reg.valid(d->target)) continue;
                Health *hl = reg.healths.find(d->target.index);
                if (!hl) continue;
                hl->hp -= d->amount;
                if (hl->hp <= 0) {
                    deaths++;
                    // keep the population up: replace a dead body (particles are not replaced)
                    const Parent *par = reg.parents.find(d->target.index);
                    bool particle = reg.lifetimes.has(d->target.index);
                    Entity parent = par ? par->parent : Entity{};
                    int depth = par ? par->depth : 0;
                    reg.destroy(d->target);
                    if (!par) spawn_system();
                    else if (!particle && reg.valid(parent)) spawn_child(parent, depth);
                }
            } else {
                auto *s = static_cast<SpawnEvent *>(ev.get());
                if (!reg.valid(s->parent)) continue;
                Entity p = reg.create();
                reg.transforms.add(p.index, Transform{ s->vx * 4, s->vy * 4, 1.0f, 0.0f, 0.5f });
                reg.worlds.add(p.index, World{ 1, 0, 0, 1, 0, 0 });
                reg.velocities.add(p.index, Velocity{ s->vx, s->vy, 1.0f, 0.0f });
                reg.lifetimes.add(p.index, Lifetime{ 10 + (int)rng_below(&rng, 30) });
                reg.colliders.add(p.index, Collider{ 1.0f, 4 });
                reg.healths.add(p.index, Health{ 5, 5, 0 });
                reg.set_parent(p, s->parent);
            }
        }
    }

    uint64_t digest()
    {
        uint64_t h = (uint64_t)reg.alive();
        for (size_t i = 0; i < reg.worlds.size(); i++) {
            const World &w = reg.worlds.at(i);
            h = mix64(h, (uint64_t)reg.worlds.owner(i) << 40 ^ (uint64_t)(int64_t)(w.tx * 16.0f) << 20 ^
                             (uint64_t)(int64_t)(w.ty * 16.0f));
        }
        for (size_t i = 0; i < reg.healths.size(); i++) h = mix64(h, (uint64_t)reg.healths.at(i).hp);
        return h;
    }
};

}  // namespace

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 112);
    Sim sim;
    sim.build();

    double start = bench_now();
    uint64_t h = 0;
    for (int batch = 0; batch < scale; batch++) {
        for (int t = 0; t < 20; t++) sim.tick();
        h = mix64(h, sim.digest());
    }
    bench_report(start);
    printf("ecs_scene batches=%d alive=%ld created=%ld destroyed=%ld collisions=%ld deaths=%ld checksum=%016llx\n",
           scale, sim.reg.alive(), sim.reg.created(), sim.reg.destroyed(), sim.collisions, sim.deaths,
           (unsigned long long)h);
    return 0;
}
