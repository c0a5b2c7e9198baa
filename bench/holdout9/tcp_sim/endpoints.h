/* tcp_sim/endpoints.h — links, the sender and the receiver.
 * Part of tcp_sim.c, one translation unit: it includes the parts in order. */

typedef struct {
    uint32_t delay, jitter;          /* microseconds */
    uint32_t loss, dup, corrupt;     /* per 10000 packets */
} link_t;

typedef struct {
    heap_t q;
    bench_rng *g;
    uint64_t now;
    link_t fwd, rev;
    long sent_pkts, dropped, corrupted, bad_csum;
} net_t;

static void transmit(net_t *net, const link_t *l, int type, seg_t *s)
{
    net->sent_pkts++;
    if (rng_below(net->g, 10000) < l->loss) {
        net->dropped++;
        free(s);
        return;
    }
    int copies = rng_below(net->g, 10000) < l->dup ? 2 : 1;
    for (int c = 0; c < copies; c++) {
        seg_t *p = c ? seg_copy(s) : s;
        if (rng_below(net->g, 10000) < l->corrupt) {
            net->corrupted++;
            if (p->len && rng_below(net->g, 2))
                p->data[rng_below(net->g, p->len)] ^= (uint8_t)(1u << rng_below(net->g, 8));
            else
                p->seq ^= 1u << rng_below(net->g, 32);
        }
        heap_push(&net->q, net->now + l->delay + rng_below(net->g, l->jitter + 1), type, 0, p);
    }
}

typedef struct {
    const uint8_t *data;
    uint32_t len, mss, isn;
    uint32_t una, nxt, max_sent, fin_seq; /* sequence numbers */
    uint32_t cwnd, ssthresh, rwnd, recover;
    int dupacks, in_recovery, done;
    uint32_t srtt, rttvar, rto; /* microseconds; srtt 0 = no sample yet */
    int timing;
    uint32_t timed_seq;
    uint64_t timed_at;
    uint32_t timer_gen;
    int timer_armed;
    long retransmits, timeouts, fast_rexmits;
} sender_t;

static void arm_timer(sender_t *s, net_t *net)
{
    s->timer_gen++;
    s->timer_armed = 1;
    heap_push(&net->q, net->now + s->rto, EV_TIMER, s->timer_gen, NULL);
}

static void stop_timer(sender_t *s)
{
    s->timer_gen++;
    s->timer_armed = 0;
}

/* sends the segment starting at seq: data bytes isn+1 .. isn+len, then the FIN */
static void send_segment(sender_t *s, net_t *net, uint32_t seq)
{
    uint32_t off = seq - s->isn - 1;
    seg_t *p;
    uint32_t end;
    if (seq == s->fin_seq) {
        p = seg_new(seq, 0, 0, F_FIN, NULL, 0);
        end = seq + 1;
    } else {
        uint32_t n = s->len - off < s->mss ? s->len - off : s->mss;
        p = seg_new(seq, 0, 0, 0, s->data + off, n);
        end = seq + n;
    }
    if (seq_lt(seq, s->max_sent)) {
        s->retransmits++;
        if (s->timing && seq_le(seq, s->timed_seq))
            s->timing = 0; /* Karn: no sample from a retransmitted range */
    } else if (!s->timing) {
        s->timing = 1;
        s->timed_seq = seq;
        s->timed_at = net->now;
    }
    if (seq == s->nxt)
        s->nxt = end;
    if (seq_lt(s->max_sent, end))
        s->max_sent = end;
    transmit(net, &net->fwd, EV_TO_RECV, p);
    if (!s->timer_armed)
        arm_timer(s, net);
}

static void try_send(sender_t *s, net_t *net)
{
    while (seq_le(s->nxt, s->fin_seq)) {
        uint32_t win = s->cwnd < s->rwnd ? s->cwnd : s->rwnd;
        uint32_t flight = s->nxt - s->una;
        if (flight > 0 && flight >= win)
            break;
        send_segment(s, net, s->nxt);
    }
}

static void rtt_sample(sender_t *s, uint32_t r)
{
    if (s->srtt == 0) {
        s->srtt = r;
        s->rttvar = r / 2;
    } else {
        uint32_t d = s->srtt > r ? s->srtt - r : r - s->srtt;
        s->rttvar = (3 * s->rttvar + d) / 4;
        s->srtt = (7 * s->srtt + r) / 8;
    }
    uint32_t rto = s->srtt + (4 * s->rttvar > 1000 ? 4 * s->rttvar : 1000);
    s->rto = rto < MIN_RTO ? MIN_RTO : rto > MAX_RTO ? MAX_RTO : rto;
}

static uint32_t half_flight(const sender_t *s)
{
    uint32_t flight = s->max_sent - s->una;
    return flight / 2 > 2 * s->mss ? flight / 2 : 2 * s->mss;
}

static void sender_on_ack(sender_t *s, net_t *net, const seg_t *a)
{
    uint32_t ack = a->ack, old_rwnd = s->rwnd;
    s->rwnd = a->wnd;
    if (seq_lt(s->una, ack) && seq_le(ack, s->max_sent)) {
        uint32_t acked = ack - s->una;
        s->una = ack;
        if (seq_lt(s->nxt, ack))
            s->nxt = ack;
        if (s->timing && seq_lt(s->timed_seq, ack)) {
            rtt_sample(s, (uint32_t)(net->now - s->timed_at));
            s->timing = 0;
        }
        if (s->in_recovery) {
            if (seq_le(s->recover, ack)) {
                s->in_recovery = 0;
                s->cwnd = s->ssthresh;
            } else { /* partial ACK: retransmit the next hole, deflate */
                send_segment(s, net, s->una);
                s->cwnd = s->cwnd > acked ? s->cwnd - acked + s->mss : s->mss;
            }
        } else if (s->cwnd < s->ssthresh) {
            s->cwnd += s->mss;
        } else {
            uint32_t inc = s->mss * s->mss / s->cwnd;
            s->cwnd += inc ? inc : 1;
        }
        s->dupacks = 0;
        if (s->una == s->fin_seq + 1) {
            s->done = 1;
            stop_timer(s);
            return;
        }
        if (s->una != s->max_sent)
            arm_timer(s, net);
        else
            stop_timer(s);
    } else if (ack == s->una && s->una != s->max_sent && a->wnd == old_rwnd) {
        s->dupacks++;
        if (s->dupacks == 3 && !s->in_recovery) {
            s->ssthresh = half_flight(s);
            s->recover = s->max_sent;
            s->in_recovery = 1;
            s->fast_rexmits++;
            send_segment(s, net, s->una);
            s->cwnd = s->ssthresh + 3 * s->mss;
        } else if (s->in_recovery) {
            s->cwnd += s->mss;
        }
    }
    try_send(s, net);
}

static void sender_on_timeout(sender_t *s, net_t *net)
{
    s->timer_armed = 0;
    if (s->done || s->una == s->max_sent)
        return;
    s->timeouts++;
    s->ssthresh = half_flight(s);
    s->cwnd = s->mss;
    s->rto = s->rto * 2 > MAX_RTO ? MAX_RTO : s->rto * 2;
    s->in_recovery = 0;
    s->dupacks = 0;
    s->timing = 0;
    s->nxt = s->una; /* go back N */
    try_send(s, net);
}

typedef struct {
    uint32_t nxt;
    uint8_t *out;
    uint32_t delivered, cap, ooo_bytes;
    seg_t *ooo;
    int fin;
    long acks;
} receiver_t;

static void deliver(receiver_t *r, const seg_t *s)
{
    if (s->flags & F_FIN) {
        if (s->seq == r->nxt) {
            r->fin = 1;
            r->nxt++;
        }
        return;
    }
    uint32_t skip = r->nxt - s->seq; /* s->seq <= nxt here */
    if (skip >= s->len)
        return;
    uint32_t n = s->len - skip;
    if (r->delivered + n > r->cap) {
        failures++;
        n = r->cap - r->delivered;
    }
    memcpy(r->out + r->delivered, s->data + skip, n);
    r->delivered += n;
    r->nxt += n;
}

static void receiver_on_segment(receiver_t *r, net_t *net, seg_t *s)
{
    uint16_t c1 = csum_words(s), c2 = csum_wide(s);
    if (c1 != c2)
        failures++;
    if (c1 != s->csum) {
        net->bad_csum++;
        free(s);
        return;
    }
    uint32_t end = s->seq + (s->flags & F_FIN ? 1 : s->len);
    if (seq_le(s->seq, r->nxt)) {
        if (seq_lt(r->nxt, end))
            deliver(r, s);
        free(s);
        while (r->ooo && seq_le(r->ooo->seq, r->nxt)) {
            seg_t *o = r->ooo;
            r->ooo = o->next;
            r->ooo_bytes -= o->len;
            deliver(r, o);
            free(o);
        }
    } else if (!r->fin && seq_le(end, r->nxt + RCVBUF)) { /* within the advertised window */
        seg_t **pp = &r->ooo;
        while (*pp && seq_lt((*pp)->seq, s->seq))
            pp = &(*pp)->next;
        if (*pp && (*pp)->seq == s->seq && (*pp)->len >= s->len && (*pp)->flags == s->flags) {
            free(s); /* duplicate */
        } else {
            s->next = *pp;
            *pp = s;
            r->ooo_bytes += s->len;
        }
    } else {
        free(s);
    }
    r->acks++;
    /* the application reads in-order data at once, so the window edge is nxt + RCVBUF */
    seg_t *a = seg_new(0, r->nxt, RCVBUF, F_ACK, NULL, 0);
    transmit(net, &net->rev, EV_TO_SEND, a);
}
