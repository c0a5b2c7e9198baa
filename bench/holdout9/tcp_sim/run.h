/* tcp_sim/run.h — one connection from first segment to acknowledged FIN, link profiles, main.
 * Part of tcp_sim.c, one translation unit: it includes the parts in order. */

typedef struct {
    long events, retransmits, timeouts, fast_rexmits, dropped, corrupted, bad_csum;
    uint64_t finish;
} conn_stats_t;

static int run_connection(const uint8_t *data, uint32_t len, uint32_t mss, uint32_t isn,
                          const link_t *fwd, const link_t *rev, bench_rng *g, uint8_t *out,
                          conn_stats_t *st)
{
    net_t net;
    memset(&net, 0, sizeof net);
    net.g = g;
    net.fwd = *fwd;
    net.rev = *rev;
    sender_t s;
    memset(&s, 0, sizeof s);
    s.data = data;
    s.len = len;
    s.mss = mss;
    s.isn = isn;
    s.una = s.nxt = s.max_sent = isn + 1;
    s.fin_seq = isn + 1 + len;
    s.cwnd = 2 * mss;
    s.ssthresh = 64 * 1024;
    s.rwnd = RCVBUF;
    s.rto = 1000000;
    receiver_t r;
    memset(&r, 0, sizeof r);
    r.nxt = isn + 1;
    r.out = out;
    r.cap = len;

    try_send(&s, &net);
    long events = 0;
    while (net.q.n > 0 && !s.done && events < 4000000) {
        event_t e = heap_pop(&net.q);
        net.now = e.time;
        events++;
        if (e.type == EV_TO_RECV) {
            receiver_on_segment(&r, &net, e.seg);
        } else if (e.type == EV_TO_SEND) {
            if (csum_words(e.seg) != e.seg->csum || csum_wide(e.seg) != e.seg->csum)
                net.bad_csum++;
            else
                sender_on_ack(&s, &net, e.seg);
            free(e.seg);
        } else if (e.gen == s.timer_gen && s.timer_armed) {
            sender_on_timeout(&s, &net);
        }
    }
    while (net.q.n > 0) {
        event_t e = heap_pop(&net.q);
        free(e.seg);
    }
    free(net.q.h);
    while (r.ooo) {
        seg_t *o = r.ooo;
        r.ooo = o->next;
        free(o);
    }
    st->events = events;
    st->retransmits = s.retransmits;
    st->timeouts = s.timeouts;
    st->fast_rexmits = s.fast_rexmits;
    st->dropped = net.dropped;
    st->corrupted = net.corrupted;
    st->bad_csum = net.bad_csum;
    st->finish = net.now;
    int ok = s.done && r.fin && r.delivered == len && memcmp(out, data, len) == 0;
    return ok;
}

static void gen_stream(uint8_t *d, uint32_t len, bench_rng *g)
{
    uint32_t i = 0;
    while (i < len) { /* text-like records with binary runs */
        if (rng_below(g, 4)) {
            int n = snprintf((char *)d + i, len - i, "rec %u val=%u;", (unsigned)rng_below(g, 100000),
                             (unsigned)rng_below(g, 1000));
            if (n < 0 || (uint32_t)n >= len - i)
                break;
            i += (uint32_t)n;
        } else {
            uint32_t n = 1 + rng_below(g, 64);
            for (uint32_t k = 0; k < n && i < len; k++)
                d[i++] = (uint8_t)rng_next(g);
        }
    }
    while (i < len)
    {
        d[i] = (uint8_t)(i * 7);
        i++;
    }
}

#define MAXLEN (256 * 1024)

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 375);
    bench_rng g = { 0xB7E151628AED2A6BULL };
    uint8_t *data = malloc(MAXLEN), *out = malloc(MAXLEN);
    static const link_t clean = { 20000, 0, 0, 0, 0 };
    static const link_t profiles[][2] = {
        { { 15000, 2000, 100, 0, 0 }, { 15000, 2000, 50, 0, 0 } },         /* light loss */
        { { 30000, 25000, 200, 100, 50 }, { 30000, 20000, 100, 100, 0 } }, /* reordering */
        { { 10000, 5000, 800, 50, 100 }, { 10000, 5000, 500, 0, 100 } },   /* heavy loss */
        { { 50000, 60000, 300, 300, 300 }, { 40000, 1000, 300, 200, 200 } },
    };

    double t0 = bench_now();
    uint64_t h = 0x9B05688C2B3E6C1FULL;
    for (int round = 0; round < scale; round++) {
        for (int c = 0; c < 5; c++) {
            uint32_t len = 8192 + rng_below(&g, MAXLEN / 2);
            gen_stream(data, len, &g);
            uint32_t mss = 256 + rng_below(&g, 1200);
            uint32_t isn = c == 1 ? 0xFFFFFFFFu - rng_below(&g, 200000) : (uint32_t)rng_next(&g);
            const link_t *fw = c == 4 ? &clean : &profiles[c][0], *rv = c == 4 ? &clean : &profiles[c][1];
            conn_stats_t st;
            memset(out, 0, len);
            if (!run_connection(data, len, mss, isn, fw, rv, &g, out, &st))
                failures++;
            if (c == 4 && (st.retransmits || st.timeouts))
                failures++;
            h = mix64(h, (uint64_t)st.events);
            h = mix64(h, (uint64_t)st.retransmits << 32 | (uint64_t)st.timeouts << 16 | (uint64_t)st.fast_rexmits);
            h = mix64(h, (uint64_t)st.dropped << 32 | (uint64_t)st.corrupted << 16 | (uint64_t)st.bad_csum);
            h = mix64(h, st.finish);
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    free(data);
    free(out);
    return failures != 0;
}
