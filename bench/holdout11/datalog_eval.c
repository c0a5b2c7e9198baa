/* datalog_eval.c -- a small Datalog engine.
 *
 * Programs and facts are text (datalog_eval/parse.h: hand-written lexer with strspn, strchr,
 * strncmp and strtol); relations keep their tuples in insertion order with an open-addressing
 * set and per-column hash indexes (datalog_eval/relation.h); programs with negation are
 * stratified and evaluated bottom-up by nested-loop index joins, semi-naively (recursive atoms
 * restricted to the previous iteration's new tuples) and naively (datalog_eval/eval.h).
 * Workloads: transitive closure, reachability with negation, triangles, two-step paths and
 * mutual paths on random graphs; same generation and ancestors on random forests; Andersen-
 * style points-to analysis with loads and stores.
 *
 * Checks: semi-naive and naive evaluation derive identical relations (each program is also run
 * naively in every sixth round); paths against a BFS from every node, unreachable nodes against
 * a BFS from the start nodes, triangles against a brute force over an adjacency matrix,
 * two-step paths against out-degrees, same generation against depths and roots of the forest,
 * ancestors against walks up the parent links, points-to sets against a direct fixpoint over
 * 64-bit object sets; the program printed, reparsed and printed again gives the same text.
 * Parts: datalog_eval/relation.h, parse.h, eval.h, workloads.h.
 */
#include "../programs/bench.h"
#include <stdarg.h>

#include "datalog_eval/relation.h"
#include "datalog_eval/parse.h"
#include "datalog_eval/eval.h"
#include "datalog_eval/workloads.h"

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 12);
    int rounds = scale * 2;
    bench_rng rng = { 0xA4093822299F31D0ULL };
    Text facts = { 0 };
    long stats[3] = { 0, 0, 0 };
    uint64_t h = 0;

    /* a program with negation through recursion must be refused */
    static Program bad;
    if (!parse_program(&bad, "p(X) :- q(X), !r(X).\nr(X) :- p(X).\nq(1).\n") || stratify(&bad))
        fail("unstratifiable program accepted", -1);
    program_free(&bad);
    if (parse_program(&bad, "p(X) :- q(X, Y.\n") || parse_program(&bad, "p(X) :- q(X), x(1,2,3,4).\n"))
        fail("syntax error accepted", -1);
    program_free(&bad);

    double t0 = bench_now();
    for (int round = 0; round < rounds && !overflow; round++) { /* a runaway ends the run */
        h = mix64(h, graph_round(&rng, &facts, stats, round));
        h = mix64(h, forest_round(&rng, &facts, stats, round));
        h = mix64(h, pointsto_round(&rng, &facts, stats, round));
    }
    h = mix64(h, (uint64_t)stats[0]);
    h = mix64(h, (uint64_t)stats[2]);
    bench_report(t0);
    free(facts.s);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
