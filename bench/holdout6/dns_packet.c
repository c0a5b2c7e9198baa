/* dns_packet — DNS wire-format encoder and defensive decoder with name compression.
 * bench-cflags: -Os
 *
 * Messages (header, questions, answer/authority/additional records of types A, AAAA, NS, CNAME,
 * MX, TXT and SRV) are built from a pool of dotted names and serialised big-endian. Owner and
 * target names are compressed: every suffix already written is remembered with its offset and
 * looked up with strcasecmp, emitting a 14-bit pointer on a hit. The decoder bounds-checks
 * everything: label lengths, 255-byte names, backward-only pointers with a jump limit, RDLENGTH
 * against the parsed RDATA. Each message is decoded and compared with the original
 * (case-insensitively for names), then every truncation of it and a set of corrupted copies
 * (self-pointers, oversized labels, bad counts) must be rejected. */
#include "../programs/bench.h"

#include <strings.h>

enum { T_A = 1, T_NS = 2, T_CNAME = 5, T_MX = 15, T_TXT = 16, T_AAAA = 28, T_SRV = 33 };

typedef struct {
    char name[128];
    uint16_t type, klass;
    uint32_t ttl;
    uint16_t pref, weight, port; /* MX preference / SRV priority, weight, port */
    char target[128];            /* NS, CNAME, MX, SRV */
    uint8_t addr[16];            /* A, AAAA */
    char txt[200];               /* TXT as one string, split into <=60 byte chunks */
} RR;

typedef struct {
    uint16_t id, flags;
    int nq, nan, nns, nar;
    char qname[4][128];
    uint16_t qtype[4];
    RR rr[24];
} Msg;

/* ---------- encoder ---------- */
typedef struct {
    uint8_t *buf;
    int len, cap;
    int nsuf;
    const char *suf[128];
    int sufoff[128];
} Enc;

static int put8(Enc *e, unsigned v)
{
    if (e->len >= e->cap)
        return -1;
    e->buf[e->len++] = (uint8_t)v;
    return 0;
}

static int put16(Enc *e, unsigned v) { return put8(e, v >> 8) | put8(e, v & 255); }
static int put32(Enc *e, uint32_t v) { return put16(e, v >> 16) | put16(e, v & 0xffff); }

static int put_name(Enc *e, const char *name)
{
    const char *p = name;
    while (*p) {
        for (int i = 0; i < e->nsuf; i++)
            if (strcasecmp(e->suf[i], p) == 0)
                return put16(e, 0xC000u | (unsigned)e->sufoff[i]);
        if (e->nsuf < 128 && e->len < 0x4000) {
            e->suf[e->nsuf] = p;
            e->sufoff[e->nsuf++] = e->len;
        }
        const char *dot = strchr(p, '.');
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        if (l == 0 || l > 63)
            return -1;
        if (put8(e, (unsigned)l))
            return -1;
        for (size_t i = 0; i < l; i++)
            if (put8(e, (uint8_t)p[i]))
                return -1;
        p += l + (dot ? 1 : 0);
    }
    return put8(e, 0);
}

static int encode(const Msg *m, uint8_t *buf, int cap)
{
    Enc e;
    e.buf = buf;
    e.len = 0;
    e.cap = cap;
    e.nsuf = 0;
    int err = put16(&e, m->id) | put16(&e, m->flags) | put16(&e, (unsigned)m->nq) |
        put16(&e, (unsigned)m->nan) | put16(&e, (unsigned)m->nns) | put16(&e, (unsigned)m->nar);
    for (int i = 0; i < m->nq; i++)
        err |= put_name(&e, m->qname[i]) | put16(&e, m->qtype[i]) | put16(&e, 1);
    for (int i = 0; i < m->nan + m->nns + m->nar; i++) {
        const RR *r = &m->rr[i];
        err |= put_name(&e, r->name) | put16(&e, r->type) | put16(&e, r->klass) | put32(&e, r->ttl);
        int lenpos = e.len;
        err |= put16(&e, 0);
        int start = e.len;
        switch (r->type) {
        case T_A:
            for (int k = 0; k < 4; k++)
                err |= put8(&e, r->addr[k]);
            break;
        case T_AAAA:
            for (int k = 0; k < 16; k++)
                err |= put8(&e, r->addr[k]);
            break;
        case T_NS:
        case T_CNAME: err |= put_name(&e, r->target); break;
        case T_MX: err |= put16(&e, r->pref) | put_name(&e, r->target); break;
        case T_SRV:
            err |= put16(&e, r->pref) | put16(&e, r->weight) | put16(&e, r->port);
            /* RFC 2782 forbids compressing the SRV target */
            {
                int saved = e.nsuf;
                e.nsuf = 0;
                err |= put_name(&e, r->target);
                e.nsuf = saved;
            }
            break;
        case T_TXT: {
            size_t l = strlen(r->txt);
            for (size_t off = 0; off < l; off += 60) {
                size_t c = l - off < 60 ? l - off : 60;
                err |= put8(&e, (unsigned)c);
                for (size_t k = 0; k < c; k++)
                    err |= put8(&e, (uint8_t)r->txt[off + k]);
            }
            break;
        }
        default: return -1;
        }
        if (err)
            return -1;
        int rdlen = e.len - start;
        buf[lenpos] = (uint8_t)(rdlen >> 8);
        buf[lenpos + 1] = (uint8_t)rdlen;
    }
    return err ? -1 : e.len;
}

/* ---------- decoder ---------- */
typedef struct {
    const uint8_t *p;
    int len, pos;
} Dec;

static int get16(Dec *d, uint16_t *v)
{
    if (d->pos + 2 > d->len)
        return -1;
    *v = (uint16_t)(d->p[d->pos] << 8 | d->p[d->pos + 1]);
    d->pos += 2;
    return 0;
}

static int get32(Dec *d, uint32_t *v)
{
    uint16_t a, b;
    if (get16(d, &a) || get16(d, &b))
        return -1;
    *v = (uint32_t)a << 16 | b;
    return 0;
}

static int get_name(Dec *d, char *out)
{
    int pos = d->pos, jumped = 0, jumps = 0, olen = 0, wire = 0;
    for (;;) {
        if (pos >= d->len)
            return -1;
        uint8_t l = d->p[pos];
        if ((l & 0xC0) == 0xC0) {
            if (pos + 1 >= d->len)
                return -1;
            int target = (l & 0x3F) << 8 | d->p[pos + 1];
            if (target >= pos || ++jumps > 16)
                return -1;
            if (!jumped)
                d->pos = pos + 2;
            jumped = 1;
            pos = target;
            continue;
        }
        if (l & 0xC0)
            return -1;
        if (l == 0) {
            if (!jumped)
                d->pos = pos + 1;
            break;
        }
        if (pos + 1 + l > d->len)
            return -1;
        wire += l + 1;
        if (wire > 255 || olen + l + 1 >= 128)
            return -1;
        if (olen)
            out[olen++] = '.';
        memcpy(out + olen, d->p + pos + 1, l);
        olen += l;
        pos += 1 + l;
    }
    out[olen] = 0;
    return 0;
}

static int decode(const uint8_t *buf, int len, Msg *m)
{
    Dec d = { buf, len, 0 };
    uint16_t c[4];
    if (get16(&d, &m->id) || get16(&d, &m->flags))
        return -1;
    for (int i = 0; i < 4; i++)
        if (get16(&d, &c[i]))
            return -1;
    if (c[0] > 4 || c[1] + c[2] + c[3] > 24)
        return -1;
    m->nq = c[0];
    m->nan = c[1];
    m->nns = c[2];
    m->nar = c[3];
    for (int i = 0; i < m->nq; i++) {
        uint16_t cl;
        if (get_name(&d, m->qname[i]) || get16(&d, &m->qtype[i]) || get16(&d, &cl) || cl != 1)
            return -1;
    }
    for (int i = 0; i < m->nan + m->nns + m->nar; i++) {
        RR *r = &m->rr[i];
        uint16_t rdlen;
        if (get_name(&d, r->name) || get16(&d, &r->type) || get16(&d, &r->klass) ||
            get32(&d, &r->ttl) || get16(&d, &rdlen))
            return -1;
        int end = d.pos + rdlen;
        if (end > len)
            return -1;
        switch (r->type) {
        case T_A:
        case T_AAAA: {
            int n = r->type == T_A ? 4 : 16;
            if (rdlen != n)
                return -1;
            memcpy(r->addr, buf + d.pos, (size_t)n);
            d.pos += n;
            break;
        }
        case T_NS:
        case T_CNAME:
            if (get_name(&d, r->target))
                return -1;
            break;
        case T_MX:
            if (get16(&d, &r->pref) || get_name(&d, r->target))
                return -1;
            break;
        case T_SRV:
            if (get16(&d, &r->pref) || get16(&d, &r->weight) || get16(&d, &r->port) ||
                get_name(&d, r->target))
                return -1;
            break;
        case T_TXT: {
            int tl = 0;
            while (d.pos < end) {
                int l = buf[d.pos++];
                if (d.pos + l > end || tl + l >= (int)sizeof r->txt)
                    return -1;
                memcpy(r->txt + tl, buf + d.pos, (size_t)l);
                tl += l;
                d.pos += l;
            }
            r->txt[tl] = 0;
            break;
        }
        default: return -1;
        }
        if (d.pos != end)
            return -1;
    }
    return d.pos == len ? 0 : -1;
}

static int same(const Msg *a, const Msg *b)
{
    if (a->id != b->id || a->flags != b->flags || a->nq != b->nq || a->nan != b->nan ||
        a->nns != b->nns || a->nar != b->nar)
        return 0;
    for (int i = 0; i < a->nq; i++)
        if (strcasecmp(a->qname[i], b->qname[i]) || a->qtype[i] != b->qtype[i])
            return 0;
    for (int i = 0; i < a->nan + a->nns + a->nar; i++) {
        const RR *x = &a->rr[i], *y = &b->rr[i];
        if (strcasecmp(x->name, y->name) || x->type != y->type || x->ttl != y->ttl)
            return 0;
        switch (x->type) {
        case T_A: if (memcmp(x->addr, y->addr, 4)) return 0; break;
        case T_AAAA: if (memcmp(x->addr, y->addr, 16)) return 0; break;
        case T_SRV:
            if (x->weight != y->weight || x->port != y->port)
                return 0;
            /* fallthrough */
        case T_MX:
            if (x->pref != y->pref)
                return 0;
            /* fallthrough */
        case T_NS:
        case T_CNAME:
            if (strcasecmp(x->target, y->target))
                return 0;
            break;
        case T_TXT: if (strcmp(x->txt, y->txt)) return 0; break;
        }
    }
    return 1;
}

#define NNAMES 1500
static char names[NNAMES][96];

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 9);
    bench_rng rng = { 0xD45ULL };
    static const char *pre[] = { "www", "mail", "api", "cdn", "ns1", "db", "auth", "img", "_sip._tcp", "edge" };
    static const char *zone[] = { "example", "corp-net", "Shop", "university", "cloud-svc", "EXAMPLE", "static" };
    static const char *tld[] = { "com", "org", "net", "io", "co.uk", "Com" };
    for (int i = 0; i < NNAMES; i++) {
        uint32_t k = rng_below(&rng, 4);
        if (k == 0)
            snprintf(names[i], sizeof names[i], "%s.%s.%s", pre[rng_below(&rng, 10)],
                zone[rng_below(&rng, 7)], tld[rng_below(&rng, 6)]);
        else
            snprintf(names[i], sizeof names[i], "%s%u.%s-%u.%s.%s", pre[rng_below(&rng, 10)],
                rng_below(&rng, 40), "region", rng_below(&rng, 9), zone[rng_below(&rng, 7)],
                tld[rng_below(&rng, 6)]);
    }
    static Msg m, back, junk;
    uint8_t pkt[4096], bad[4096];

    double start = bench_now();
    uint64_t h = 0, bytes = 0, rejected = 0, accepted_bad = 0, mismatches = 0;
    long msgs = (long)scale * 1000;
    for (long n = 0; n < msgs; n++) {
        memset(&m, 0, sizeof m);
        m.id = (uint16_t)n;
        m.flags = 0x8180;
        m.nq = 1 + (int)rng_below(&rng, 2);
        const char *base = names[rng_below(&rng, NNAMES)];
        for (int i = 0; i < m.nq; i++) {
            strcpy(m.qname[i], i ? names[rng_below(&rng, NNAMES)] : base);
            m.qtype[i] = (uint16_t)(i ? T_AAAA : T_A);
        }
        m.nan = 1 + (int)rng_below(&rng, 10);
        m.nns = (int)rng_below(&rng, 4);
        m.nar = (int)rng_below(&rng, 6);
        for (int i = 0; i < m.nan + m.nns + m.nar; i++) {
            RR *r = &m.rr[i];
            static const uint16_t types[] = { T_A, T_A, T_AAAA, T_CNAME, T_MX, T_TXT, T_SRV, T_NS };
            r->type = i >= m.nan && i < m.nan + m.nns ? T_NS : types[rng_below(&rng, 8)];
            strcpy(r->name, rng_below(&rng, 2) ? base : names[rng_below(&rng, NNAMES)]);
            r->klass = 1;
            r->ttl = 60 + rng_below(&rng, 86400);
            for (int k = 0; k < 16; k++)
                r->addr[k] = (uint8_t)rng_next(&rng);
            r->pref = (uint16_t)rng_below(&rng, 100);
            r->weight = (uint16_t)rng_below(&rng, 100);
            r->port = (uint16_t)(5000 + rng_below(&rng, 1000));
            strcpy(r->target, names[rng_below(&rng, NNAMES)]);
            int tl = snprintf(r->txt, sizeof r->txt, "v=spf1 include:%s ip4:10.%u.%u.0/24 ~all",
                r->target, rng_below(&rng, 256), rng_below(&rng, 256));
            if (rng_below(&rng, 2) && tl < 120)
                snprintf(r->txt + tl, sizeof r->txt - (size_t)tl, " key=%08x%08x",
                    (unsigned)rng_next(&rng), (unsigned)rng_next(&rng));
        }
        int len = encode(&m, pkt, (int)sizeof pkt);
        if (len < 0) {
            printf("dns_packet: encode failed\n");
            return 1;
        }
        bytes += (uint64_t)len;
        for (int i = 0; i < len; i += 8)
            h = mix64(h, pkt[i] | (uint64_t)pkt[len - 1 - i] << 8);
        if (decode(pkt, len, &back) || !same(&m, &back))
            mismatches++;
        h = mix64(h, (uint64_t)back.rr[0].ttl ^ (uint64_t)len << 32);
        /* every truncation must be rejected */
        for (int t = 0; t < len; t += 1 + (int)(n & 3)) {
            if (decode(pkt, t, &junk) == 0)
                accepted_bad++;
            else
                rejected++;
        }
        /* corruptions: self pointer at the first name, oversized label, inflated count */
        memcpy(bad, pkt, (size_t)len);
        bad[12] = 0xC0;
        bad[13] = 12;
        rejected += decode(bad, len, &junk) != 0;
        memcpy(bad, pkt, (size_t)len);
        bad[12] = 0x50;
        rejected += decode(bad, len, &junk) != 0;
        memcpy(bad, pkt, (size_t)len);
        bad[7] = (uint8_t)(bad[7] + 1);
        rejected += decode(bad, len, &junk) != 0;
    }
    bench_report(start);
    printf("dns_packet messages=%ld bytes=%llu mismatches=%llu rejected=%llu accepted_bad=%llu "
           "checksum=%016llx\n",
        msgs, (unsigned long long)bytes, (unsigned long long)mismatches,
        (unsigned long long)rejected, (unsigned long long)accepted_bad, (unsigned long long)h);
    return 0;
}
