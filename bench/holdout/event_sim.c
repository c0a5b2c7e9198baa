/* event_sim — a discrete-event simulation of a queueing network: a binary-heap event queue whose events carry handler function pointers.
 *
 * Jobs arrive from outside at random stations, wait in per-station FIFO queues for one of the
 * station's servers, and after service either move to another station or leave. Stations break
 * down and get repaired at random; a periodic sampler records queue lengths. Times are doubles
 * built from uniform random numbers (+ - * / only); ties in the heap are broken by a sequence
 * number, so the order of events is fully deterministic. */
#include "../programs/bench.h"

#define NSTATIONS 48
#define QCAP 4096
#define MAXJOBS 65536

struct sim;
typedef void (*handler)(struct sim *, int arg);

typedef struct {
    double time;
    uint64_t seq;
    handler fn;
    int arg;
} event;

typedef struct {
    int servers, busy, down;
    double mean_service;
    int queue[QCAP];
    int qhead, qlen, max_qlen;
    long served;
    double busy_time;
} station;

typedef struct {
    double arrived, service_start;
    int station, hops;
} job;

typedef struct sim {
    event *heap;
    int heap_len, heap_cap;
    uint64_t seq;
    double now;
    bench_rng rng;
    station st[NSTATIONS];
    job jobs[MAXJOBS];
    int free_jobs[MAXJOBS], nfree;
    long completed, dropped, events;
    double total_sojourn, samples_sum;
    uint64_t trace;
} sim;

/* ---- binary heap ---- */

static inline int before(const event *a, const event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void schedule(sim *s, double delay, handler fn, int arg)
{
    if (s->heap_len == s->heap_cap) {
        s->heap_cap *= 2;
        s->heap = realloc(s->heap, sizeof(event) * (size_t)s->heap_cap);
        if (!s->heap) { printf("event_sim: out of memory\n"); exit(1); }
    }
    event e = { s->now + delay, s->seq++, fn, arg };
    int i = s->heap_len++;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (!before(&e, &s->heap[p])) break;
        s->heap[i] = s->heap[p];
        i = p;
    }
    s->heap[i] = e;
}

static event pop(sim *s)
{
    event top = s->heap[0], last = s->heap[--s->heap_len];
    int n = s->heap_len, i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && before(&s->heap[c + 1], &s->heap[c])) c++;
        if (!before(&s->heap[c], &last)) break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (n > 0) s->heap[i] = last;
    return top;
}

/* ---- model ---- */

static double uniform(sim *s) { return (double)(rng_next(&s->rng) >> 11) / 9007199254740992.0; }

/* a bumpy, right-skewed distribution with the given mean, from uniforms only */
static double service_time(sim *s, double mean)
{
    double u = uniform(s), v = uniform(s);
    return mean * (0.25 + 1.5 * u * v + 0.75 * u * u * u * 2.0 / 1.5);
}

static void on_departure(sim *s, int job_id);

static void start_service(sim *s, int st_id, int job_id)
{
    station *st = &s->st[st_id];
    st->busy++;
    s->jobs[job_id].service_start = s->now;
    schedule(s, service_time(s, st->mean_service), on_departure, job_id);
}

static void enqueue(sim *s, int st_id, int job_id)
{
    station *st = &s->st[st_id];
    s->jobs[job_id].station = st_id;
    if (!st->down && st->busy < st->servers) { start_service(s, st_id, job_id); return; }
    if (st->qlen == QCAP) {      /* balk: queue full */
        s->dropped++;
        s->free_jobs[s->nfree++] = job_id;
        return;
    }
    st->queue[(st->qhead + st->qlen) % QCAP] = job_id;
    if (++st->qlen > st->max_qlen) st->max_qlen = st->qlen;
}

static void serve_next(sim *s, int st_id)
{
    station *st = &s->st[st_id];
    while (!st->down && st->busy < st->servers && st->qlen > 0) {
        int j = st->queue[st->qhead];
        st->qhead = (st->qhead + 1) % QCAP;
        st->qlen--;
        start_service(s, st_id, j);
    }
}

static void on_departure(sim *s, int job_id)
{
    job *j = &s->jobs[job_id];
    station *st = &s->st[j->station];
    st->busy--;
    st->served++;
    st->busy_time += s->now - j->service_start;
    int from = j->station;
    j->hops++;
    if (j->hops < 12 && rng_below(&s->rng, 100) < 65) {
        int next = (from + 1 + (int)rng_below(&s->rng, 6)) % NSTATIONS;
        enqueue(s, next, job_id);
    } else {
        s->completed++;
        s->total_sojourn += s->now - j->arrived;
        s->trace = mix64(s->trace, (uint64_t)job_id << 8 | (uint64_t)j->hops);
        s->free_jobs[s->nfree++] = job_id;
    }
    serve_next(s, from);
}

static void on_arrival(sim *s, int source)
{
    if (s->nfree > 0) {
        int id = s->free_jobs[--s->nfree];
        job *j = &s->jobs[id];
        j->arrived = s->now;
        j->hops = 0;
        enqueue(s, (int)rng_below(&s->rng, NSTATIONS), id);
    } else {
        s->dropped++;
    }
    schedule(s, 0.1 + 0.2 * uniform(s), on_arrival, source);
}

static void on_repair(sim *s, int st_id)
{
    s->st[st_id].down = 0;
    serve_next(s, st_id);
}

static void on_breakdown(sim *s, int st_id)
{
    if (!s->st[st_id].down) {
        s->st[st_id].down = 1;
        schedule(s, 2.0 + 6.0 * uniform(s), on_repair, st_id);
    }
    schedule(s, 200.0 + 400.0 * uniform(s), on_breakdown, st_id);
}

static void on_sample(sim *s, int arg)
{
    int total = 0;
    for (int i = 0; i < NSTATIONS; i++) total += s->st[i].qlen + s->st[i].busy;
    s->samples_sum += total;
    s->trace = mix64(s->trace, (uint64_t)total);
    schedule(s, 1.0, on_sample, arg);
}

static uint64_t run(sim *s, uint64_t seed, long max_events)
{
    memset(s->st, 0, sizeof s->st);
    s->rng.s = seed;
    s->heap_len = 0;
    s->seq = 0;
    s->now = 0.0;
    s->completed = s->dropped = s->events = 0;
    s->total_sojourn = s->samples_sum = 0.0;
    s->trace = seed;
    s->nfree = 0;
    for (int i = MAXJOBS - 1; i >= 0; i--) s->free_jobs[s->nfree++] = i;
    for (int i = 0; i < NSTATIONS; i++) {
        s->st[i].servers = 1 + (int)rng_below(&s->rng, 3);
        s->st[i].mean_service = 0.5 * s->st[i].servers * (0.6 + 0.5 * uniform(s));
        schedule(s, 100.0 * uniform(s), on_breakdown, i);
    }
    for (int src = 0; src < 4; src++) schedule(s, uniform(s), on_arrival, src);
    schedule(s, 1.0, on_sample, 0);
    while (s->events < max_events && s->heap_len > 0) {
        event e = pop(s);
        s->now = e.time;
        e.fn(s, e.arg);
        s->events++;
    }
    uint64_t h = s->trace;
    h = mix64(h, (uint64_t)s->completed);
    h = mix64(h, (uint64_t)s->dropped);
    double avg = s->completed ? s->total_sojourn / (double)s->completed : 0.0;
    uint64_t bits;
    memcpy(&bits, &avg, sizeof bits);
    h = mix64(h, bits);
    memcpy(&bits, &s->now, sizeof bits);
    h = mix64(h, bits);
    for (int i = 0; i < NSTATIONS; i++) h = mix64(h, (uint64_t)s->st[i].served << 16 | (uint64_t)s->st[i].max_qlen);
    return h;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 26);
    static sim s;
    s.heap_cap = 1024;
    s.heap = malloc(sizeof(event) * (size_t)s.heap_cap);
    double start = bench_now();
    uint64_t h = 0;
    long completed = 0, dropped = 0;
    for (int r = 0; r < scale; r++) {
        h = mix64(h, run(&s, 0x5EED0000ULL + (uint64_t)r, 400000));
        completed += s.completed;
        dropped += s.dropped;
    }
    bench_report(start);
    printf("event_sim stations=%d runs=%d completed=%ld dropped=%ld checksum=%016llx\n", NSTATIONS, scale, completed, dropped,
           (unsigned long long)h);
    free(s.heap);
    return 0;
}
