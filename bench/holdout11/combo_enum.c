/* combo_enum.c -- recursive generation of combinatorial objects.
 *
 * Integer partitions (non-increasing parts), set partitions as restricted growth strings,
 * Dyck words, permutations by a used-mask backtracker, and k-subsets in revolving-door order,
 * each produced by a recursive generator that hands every object to a visitor through a
 * function pointer. The visitors gather statistics and test each object.
 *
 * Checks: counts and distributions against independent recurrences -- partitions by largest
 * part and Euler's pentagonal recurrence, distinct-part and odd-part partitions equal in number
 * and to their own table, set partitions by blocks against Stirling numbers of the second kind
 * and the Bell triangle, Dyck words by peaks against Narayana numbers, permutations by
 * inversions (Mahonian numbers), by cycles (Stirling numbers of the first kind) and derangements;
 * conjugate partitions as an involution, set partitions rebuilt from their blocks, Dyck words
 * through binary trees and back, ranks of Dyck words, permutations and subsets equal to the
 * generation index and unranking back to the object, revolving-door steps swapping exactly one
 * element. Parts: combo_enum/sets.h, dyck.h, perms.h (generators and visitors), tables.h.
 */
#include "../programs/bench.h"

#define MAXN 64

#include "combo_enum/sets.h"
#include "combo_enum/dyck.h"
#include "combo_enum/perms.h"
#include "combo_enum/tables.h"

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

static const int part_n[6] = { 34, 38, 32, 36, 35, 30 };
static const int set_n[6] = { 8, 9, 8, 7, 9, 8 };
static const int dyck_n[6] = { 10, 9, 11, 10, 9, 10 };
static const int perm_n[6] = { 7, 8, 7, 8, 7, 6 };
static const int sub_n[6] = { 18, 20, 16, 22, 19, 17 }, sub_k[6] = { 7, 5, 8, 4, 6, 9 };

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 17);
    int rounds = scale * 6;
    static PartStats ps;
    static SetStats ss;
    static DyckStats ds;
    static PermStats qs;
    static SubsetStats bs;
    int buf[2 * MAXN + 2];
    uint64_t h = 0;

    double t0 = bench_now();
    for (int round = 0; round < rounds; round++) {
        int r = round % 6;

        memset(&ps, 0, sizeof ps);
        ps.n = part_n[r];
        gen_partitions(ps.n, ps.n, buf, 0, visit_partition, &ps);
        if (check_partitions(&ps, ps.n))
            fail("partitions", round);
        h = mix64(h, ps.count ^ ps.weighted << 20);

        memset(&ss, 0, sizeof ss);
        ss.n = set_n[r];
        gen_rgs(0, ss.n, -1, buf, visit_rgs, &ss);
        if (check_sets(&ss, ss.n))
            fail("set partitions", round);
        h = mix64(h, ss.count ^ ss.singletons << 24);

        memset(&ds, 0, sizeof ds);
        ds.n = dyck_n[r];
        ballot_init(ds.n);
        gen_dyck(0, 0, ds.n, buf, visit_dyck, &ds);
        if (check_dyck(&ds, ds.n))
            fail("Dyck words", round);
        h = mix64(h, ds.count ^ ds.by_peaks[ds.n / 2] << 24);

        memset(&qs, 0, sizeof qs);
        qs.n = perm_n[r];
        qs.fact[0] = 1;
        for (int i = 1; i <= 20; i++)
            qs.fact[i] = qs.fact[i - 1] * (uint64_t)i;
        gen_perm(0, qs.n, 0, buf, visit_perm, &qs);
        if (check_perms(&qs, qs.n))
            fail("permutations", round);
        h = mix64(h, qs.count ^ qs.by_inv[qs.n] << 20 ^ qs.derangements << 40);

        memset(&bs, 0, sizeof bs);
        bs.n = sub_n[r];
        bs.k = sub_k[r];
        for (int a = 0; a <= MAXN; a++)
            for (int b = 0; b <= MAXN; b++)
                bs.binom[a][b] = b == 0 ? 1 : a == 0 ? 0 : bs.binom[a - 1][b - 1] + bs.binom[a - 1][b];
        bs.seen = calloc((size_t)bs.binom[bs.n][bs.k], 1);
        if (!bs.seen)
            return 1;
        gen_revolving(bs.n, bs.k, 0, 0, &bs);
        if (bs.bad || bs.count != bs.binom[bs.n][bs.k])
            fail("revolving-door subsets", round);
        free(bs.seen);
        h = mix64(h, bs.count ^ bs.sum_rank);
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
