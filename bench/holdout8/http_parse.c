/* http_parse.c — an incremental HTTP/1.1 request parser and router.
 *
 * Pipelined request streams are generated from structured records: percent-encoded path
 * segments with dot-segment and empty-segment noise, form-encoded query strings, headers with
 * random name case and optional whitespace, bodies sent with Content-Length or chunked transfer
 * coding (hex sizes in either case, chunk extensions, trailers). The parser is a state machine
 * fed network-sized pieces: request and header lines are gathered with memchr/memcpy into a
 * line buffer, split with strchr, methods looked up with strcmp, content lengths read with
 * strtol; paths are split, decoded and normalised, queries decoded, headers lower-cased and
 * trimmed, chunked bodies de-chunked. Requests are routed through a segment trie with static,
 * parameter and wildcard children, and answered with snprintf-built responses. Every parsed
 * request is compared with its record, the same stream fed in one piece must give the same
 * result, and corrupted requests must be rejected.
 */
// bench-cflags: -Os
#include "../programs/bench.h"

#define MAX_SEGS 24
#define SEG_LEN 40
#define MAX_QUERY 12
#define QK_LEN 24
#define QV_LEN 48
#define MAX_HDRS 24
#define HN_LEN 32
#define HV_LEN 96
#define MAX_BODY 4096
#define LINE_MAX_LEN 4096

static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };
#define NMETHODS 7

typedef struct {
    int method;
    int nseg;
    char seg[MAX_SEGS][SEG_LEN];
    int nq;
    char qk[MAX_QUERY][QK_LEN], qv[MAX_QUERY][QV_LEN];
    int nh;
    char hn[MAX_HDRS][HN_LEN], hv[MAX_HDRS][HV_LEN];
    int body_len;
    uint8_t body[MAX_BODY];
    int route; /* expected route, -1 for none */
} request_t;

static int failures;

#include "http_parse/router.h"
#include "http_parse/parser.h"
#include "http_parse/requests.h"
#include "http_parse/checks.h"

#define NREQ 160

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 240);
    bench_rng g = { 0xD1B54A32D192ED03ULL };

    rnode_t *router = rnode_new("");
    for (int i = 0; i < NROUTES; i++)
        router_add(router, route_patterns[i], i);

    static request_t reqs[NREQ];
    static parser_t parser;
    buf_t stream = { 0 }, bad = { 0 };
    size_t offsets[NREQ + 1];

    double t0 = bench_now();
    uint64_t h = 0x452821E638D01377ULL;
    int parsed_total = 0;
    for (int round = 0; round < scale; round++) {
        stream.len = 0;
        for (int i = 0; i < NREQ; i++) {
            gen_request(&reqs[i], &g);
            offsets[i] = stream.len;
            encode_request(&reqs[i], &stream, &g);
        }
        offsets[NREQ] = stream.len;

        uint64_t first_h = 0;
        for (int pass = 0; pass < 3; pass++) {
            ctx_t ctx = { reqs, NREQ, 0, router, 0, { 0 } };
            parser_reset(&parser);
            parser.completed = 0;
            parser.on_request = on_request;
            parser.ctx = &ctx;
            int err = 0;
            if (pass == 0) {
                err = parser_feed(&parser, stream.p, stream.len);
            } else {
                size_t at = 0;
                while (at < stream.len && !err) {
                    size_t n = pass == 1 ? 1 + rng_below(&g, 1460) : 1 + rng_below(&g, 9);
                    if (n > stream.len - at)
                        n = stream.len - at;
                    err = parser_feed(&parser, stream.p + at, n);
                    at += n;
                }
            }
            if (err || ctx.next != NREQ || parser.completed != NREQ || parser.state != S_REQLINE)
                failures++;
            if (pass == 0)
                first_h = ctx.h;
            else if (ctx.h != first_h)
                failures++; /* piecewise feeding must give the same responses */
            parsed_total += parser.completed;
            free(ctx.resp.p);
        }

        h = mix64(h, first_h);

        /* corrupted variants of some requests must be rejected */
        for (int k = 0; k < 16; k++) {
            int i = (int)rng_below(&g, NREQ);
            int kind = (round + k) % 8;
            corrupt(&bad, stream.p + offsets[i], offsets[i + 1] - offsets[i], kind, &g);
            ctx_t ctx = { reqs + i, 1, 0, router, 0, { 0 } };
            parser_reset(&parser);
            parser.completed = 0;
            parser.on_request = on_request;
            parser.ctx = &ctx;
            size_t at = 0;
            int err = 0;
            while (at < bad.len && !err) {
                size_t n = 1 + rng_below(&g, 300);
                if (n > bad.len - at)
                    n = bad.len - at;
                err = parser_feed(&parser, bad.p + at, n);
                at += n;
            }
            if (!err || parser.completed != 0)
                failures++;
            h = mix64(h, (uint64_t)kind * 1000 + (uint64_t)at);
            free(ctx.resp.p);
        }
    }
    bench_report(t0);
    h = mix64(h, (uint64_t)parsed_total);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    free(stream.p);
    free(bad.p);
    router_free(router);
    return failures != 0;
}
