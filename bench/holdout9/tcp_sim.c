/* tcp_sim.c — a TCP-like reliable byte stream over a simulated lossy network.
 *
 * A sender and a receiver exchange malloc'ed segments through a discrete-event network (a
 * binary heap of timed deliveries and timers with lazy cancellation) whose links delay with
 * jitter (so segments reorder), drop, duplicate and corrupt packets. The sender keeps 32-bit
 * wrapping sequence numbers (initial numbers near the wrap point), a sliding window limited by
 * the congestion window and the advertised window, RFC 6298 retransmission timeouts from
 * integer smoothed RTT and variance with Karn's rule and exponential backoff, slow start and
 * congestion avoidance, fast retransmit on three duplicate ACKs with NewReno recovery (partial
 * ACKs), go-back-N after a timeout, and a FIN that consumes a sequence number. The receiver
 * verifies the Internet checksum (computed over a pseudo-header and payload by two
 * independent routines that must agree), delivers in-order data, keeps out-of-order segments
 * in a sorted linked list trimmed on delivery, and ACKs every segment with its window. Each
 * delivered stream is compared byte for byte with the sent one; a clean link must need no
 * retransmissions.
 */
// bench-cflags: -Os
#include "../programs/bench.h"

#define F_ACK 1
#define F_FIN 2
#define RCVBUF 32768
#define MIN_RTO 200000u
#define MAX_RTO 8000000u

static int failures;

typedef struct seg {
    uint32_t seq, ack, wnd;
    uint16_t flags, csum;
    uint32_t len;
    struct seg *next; /* receiver's out-of-order list */
    uint8_t data[];
} seg_t;

static inline int seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline int seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

/* ---------- Internet checksum, two ways ---------- */

static uint16_t csum_words(const seg_t *s)
{
    uint32_t sum = 0;
    uint32_t hdr[4] = { s->seq, s->ack, s->wnd, (uint32_t)s->flags << 16 | (s->len & 0xFFFF) };
    for (int i = 0; i < 4; i++)
        sum += (hdr[i] >> 16) + (hdr[i] & 0xFFFF);
    const uint8_t *p = s->data;
    uint32_t n = s->len;
    for (; n >= 2; n -= 2, p += 2)
        sum += (uint32_t)p[0] << 8 | p[1];
    if (n)
        sum += (uint32_t)p[0] << 8;
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

/* 64-bit accumulation of big-endian 32-bit words with end-around carry folding */
static uint16_t csum_wide(const seg_t *s)
{
    uint64_t sum = (uint64_t)s->seq + s->ack + s->wnd + ((uint32_t)s->flags << 16 | (s->len & 0xFFFF));
    const uint8_t *p = s->data;
    uint32_t n = s->len;
    for (; n >= 4; n -= 4, p += 4)
        sum += (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    uint32_t tail = 0;
    for (uint32_t k = 0; k < n; k++)
        tail |= (uint32_t)p[k] << (24 - 8 * k);
    sum += tail;
    while (sum >> 32)
        sum = (sum & 0xFFFFFFFFu) + (sum >> 32);
    uint32_t s32 = (uint32_t)sum;
    s32 = (s32 & 0xFFFF) + (s32 >> 16);
    s32 = (s32 & 0xFFFF) + (s32 >> 16);
    return (uint16_t)~s32;
}

static seg_t *seg_new(uint32_t seq, uint32_t ack, uint32_t wnd, uint16_t flags, const uint8_t *data,
                      uint32_t len)
{
    seg_t *s = malloc(sizeof(seg_t) + len);
    s->seq = seq;
    s->ack = ack;
    s->wnd = wnd;
    s->flags = flags;
    s->len = len;
    s->next = NULL;
    if (len)
        memcpy(s->data, data, len);
    s->csum = csum_words(s);
    return s;
}

static seg_t *seg_copy(const seg_t *s)
{
    seg_t *c = malloc(sizeof(seg_t) + s->len);
    memcpy(c, s, sizeof(seg_t) + s->len);
    return c;
}

/* ---------- event queue ---------- */

enum { EV_TO_RECV, EV_TO_SEND, EV_TIMER };

typedef struct {
    uint64_t time, order;
    int type;
    uint32_t gen;
    seg_t *seg;
} event_t;

typedef struct {
    event_t *h;
    int n, cap;
    uint64_t order;
} heap_t;

static int ev_before(const event_t *a, const event_t *b)
{
    return a->time != b->time ? a->time < b->time : a->order < b->order;
}

static void heap_push(heap_t *q, uint64_t time, int type, uint32_t gen, seg_t *seg)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->h = realloc(q->h, (size_t)q->cap * sizeof(event_t));
    }
    event_t e = { time, q->order++, type, gen, seg };
    int i = q->n++;
    while (i > 0 && ev_before(&e, &q->h[(i - 1) / 2])) {
        q->h[i] = q->h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    q->h[i] = e;
}

static event_t heap_pop(heap_t *q)
{
    event_t top = q->h[0], last = q->h[--q->n];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= q->n)
            break;
        if (c + 1 < q->n && ev_before(&q->h[c + 1], &q->h[c]))
            c++;
        if (!ev_before(&q->h[c], &last))
            break;
        q->h[i] = q->h[c];
        i = c;
    }
    q->h[i] = last;
    return top;
}

#include "tcp_sim/endpoints.h"
#include "tcp_sim/run.h"
