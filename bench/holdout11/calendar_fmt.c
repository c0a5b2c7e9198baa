/* calendar_fmt.c -- dates and times as text.
 *
 * bench-cflags: -Os
 *
 * Proleptic Gregorian day numbers by the era method, ISO week dates, ordinal days, Easter and
 * month arithmetic (calendar_fmt/civil.h); a strftime-like formatter and a parser driven by the
 * same templates, with names, 12-hour clocks, ISO weeks, offsets and epoch seconds, resolving
 * calendar, ordinal or week dates and rejecting inconsistent ones (calendar_fmt/format.h); a
 * general ISO 8601 reader and ISO durations (calendar_fmt/iso.h). The string work uses snprintf,
 * strchr, strspn, strncmp, strtol/strtoll, memcpy, qsort and bsearch.
 *
 * Checks: every random time written in ten templates (and a random time zone offset) reads back
 * to the same instant, also through the ISO reader where the template is ISO 8601; impossible
 * dates, times, weeks and weekday names are rejected by both readers; UTC ISO strings sorted by
 * strcmp are in time order and found again by bsearch; walks over thousands of consecutive days
 * (back to negative years) against a hand-kept year/month/day counter, Zeller's congruence and a
 * second ISO-week rule; Easter by the Meeus/Jones/Butcher algorithm against Gauss's with its two
 * exceptions; durations read back from their text and added against month-by-month and
 * day-by-day stepping.
 */
#include "../programs/bench.h"

#include "calendar_fmt/civil.h"
#include "calendar_fmt/format.h"
#include "calendar_fmt/iso.h"

#define NSTAMP 300

static int failures;

static void fail(const char *what, int round)
{
    if (failures < 10)
        fprintf(stderr, "FAIL %s (round %d)\n", what, round);
    failures++;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    uint64_t w = 0;
    int k = 0;
    for (; *s; s++) {
        w = w << 8 | (unsigned char)*s;
        if (++k == 8) {
            h = mix64(h, w);
            w = 0, k = 0;
        }
    }
    return mix64(h, w ^ (uint64_t)k << 60);
}

typedef struct {
    const char *tmpl;
    int utc_only; /* no offset in the text: written in UTC */
    int iso;      /* also readable by parse_iso */
} Template;

static const Template templates[] = {
    { "%Y-%m-%dT%H:%M:%S%Q", 0, 1 },
    { "%a, %d %b %Y %H:%M:%S %z", 0, 0 },
    { "%G-W%V-%uT%H:%M:%S%Q", 0, 1 },
    { "%Y-%jT%H:%M:%SZ", 1, 1 },
    { "%B %e, %Y %I:%M:%S %p UTC%Q", 0, 0 },
    { "@%s", 0, 0 },
    { "%A %d.%m.%Y %H.%M.%S (%z)", 0, 0 },
    { "%Y%m%dT%H%M%S%z", 0, 1 },
    { "week %V of %G, %A, %H:%M:%S %Q", 0, 0 },
    { "%Y day %j (%b), %I:%M:%S%p %w%% %z", 0, 0 },
};
#define NTEMPL (int)(sizeof templates / sizeof templates[0])

static int64_t random_time(bench_rng *r)
{
    int64_t lo = days_from_civil(1000, 1, 2) * 86400, hi = days_from_civil(9999, 12, 30) * 86400;
    uint64_t span = (uint64_t)(hi - lo);
    return lo + (int64_t)(rng_next(r) % span);
}

static int random_offset(bench_rng *r) { return ((int)rng_below(r, 105) - 48) * 15; }

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* ---- independent rules for the checks ---- */

static int zeller(int64_t y, int m, int d) /* 0 = Sunday */
{
    if (m < 3)
        m += 12, y -= 1;
    int64_t K = floor_mod(y, 100), J = floor_div(y, 100);
    int64_t h = floor_mod(d + (13 * (m + 1)) / 5 + K + K / 4 + floor_div(J, 4) + 5 * J, 7);
    return (int)((h + 6) % 7); /* Zeller: 0 = Saturday */
}

static int weeks_in_iso_year(int64_t y)
{
    int64_t p = floor_mod(y + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400), 7);
    int64_t q = floor_mod((y - 1) + floor_div(y - 1, 4) - floor_div(y - 1, 100) + floor_div(y - 1, 400), 7);
    return p == 4 || q == 3 ? 53 : 52;
}

static void iso_week_by_ordinal(int64_t y, int yday, int iwd, int64_t *iy, int *wk)
{
    int w = (yday - iwd + 10) / 7;
    if (w < 1) {
        *iy = y - 1;
        *wk = weeks_in_iso_year(y - 1);
    } else if (w > weeks_in_iso_year(y)) {
        *iy = y + 1;
        *wk = 1;
    } else {
        *iy = y;
        *wk = w;
    }
}

static void easter_gauss(int64_t Y, int *m, int *d)
{
    int64_t a = Y % 19, b = Y % 4, c = Y % 7, k = Y / 100;
    int64_t p = (13 + 8 * k) / 25, q = k / 4;
    int64_t M = (15 - p + k - q) % 30, N = (4 + k - q) % 7;
    int64_t dd = (19 * a + M) % 30, e = (2 * b + 4 * c + 6 * dd + N) % 7;
    int64_t day = 22 + dd + e; /* in March, may run into April */
    if (dd == 29 && e == 6)
        day = 31 + 19;
    else if (dd == 28 && e == 6 && (11 * M + 11) % 30 < 19)
        day = 31 + 18;
    *m = day > 31 ? 4 : 3;
    *d = (int)(day > 31 ? day - 31 : day);
}

static int64_t add_duration_slow(int64_t t, const Duration *dur)
{
    int64_t z = floor_div(t, 86400), secs = t - z * 86400, y;
    int m, d;
    civil_from_days(z, &y, &m, &d);
    int64_t months = dur->years * 12 + dur->months;
    for (int64_t i = 0; i < months; i++)
        if (++m == 13)
            m = 1, y++;
    if (d > days_in_month(y, m))
        d = days_in_month(y, m);
    for (int64_t i = 0; i < dur->weeks * 7 + dur->days; i++)
        if (++d > days_in_month(y, m)) {
            d = 1;
            if (++m == 13)
                m = 1, y++;
        }
    return days_from_civil(y, m, d) * 86400 + secs + ((dur->hours * 60 + dur->minutes) * 60 + dur->seconds);
}

/* strings that must not be accepted */
static int rejection_check(bench_rng *r, uint64_t *h)
{
    char buf[96];
    int bad = 0;
    int64_t t;
    Fields f;
    int64_t y = 1000 + rng_below(r, 9000);
    while (is_leap(y))
        y++;
    int64_t ly = y - y % 4 + 4;
    while (!is_leap(ly))
        ly += 4;
    int64_t y52 = y;
    while (iso_weeks_in_year(y52) == 53)
        y52++;
    /* extended ISO strings: both readers must refuse them */
    static const int mon30[4] = { 4, 6, 9, 11 };
    char cases[9][96];
    snprintf(cases[0], 96, "%04lld-%02d-31T10:00:00Z", (long long)y, mon30[rng_below(r, 4)]);
    snprintf(cases[1], 96, "%04lld-02-29T10:00:00+01:00", (long long)y);
    snprintf(cases[2], 96, "%04lld-13-01T10:00:00Z", (long long)ly);
    snprintf(cases[3], 96, "%04lld-06-15T24:00:00Z", (long long)ly);
    snprintf(cases[4], 96, "%04lld-06-15T12:60:00Z", (long long)ly);
    snprintf(cases[5], 96, "%04lld-W53-1T12:00:00Z", (long long)y52);
    snprintf(cases[6], 96, "%04lld-366T12:00:00Z", (long long)y);
    snprintf(cases[7], 96, "%04lld-00-10T12:00:00Z", (long long)ly);
    snprintf(cases[8], 96, "%04lld-06-15T12:00:00+24:00", (long long)ly);
    static const char *const forms[9] = { "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%Q",
                                          "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%SZ",
                                          "%Y-%m-%dT%H:%M:%SZ", "%G-W%V-%uT%H:%M:%SZ",
                                          "%Y-%jT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%SZ",
                                          "%Y-%m-%dT%H:%M:%S%Q" };
    for (int i = 0; i < 9; i++) {
        if (parse_iso(cases[i], &t))
            bad++;
        if (parse_fields(cases[i], forms[i], &f) && resolve_fields(&f, &t))
            bad++;
        *h = hash_str(*h, cases[i]);
    }
    /* a correct date with the wrong weekday name, and a 12-hour clock reading 13 */
    int64_t z = days_from_civil(ly, 3, 1 + rng_below(r, 28));
    Stamp s = { z * 86400 + 3600 * 14, 0 };
    format_stamp(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %z", s);
    int wd = weekday(z);
    memcpy(buf, wday_abbr[(wd + 1 + rng_below(r, 6)) % 7], 3);
    if (parse_fields(buf, "%a, %d %b %Y %H:%M:%S %z", &f) && resolve_fields(&f, &t))
        bad++;
    format_stamp(buf, sizeof buf, "%B %e, %Y %I:%M:%S %p UTC%Q", s);
    char *colon = strchr(buf, ':');
    if (colon)
        memcpy(colon - 2, "13", 2);
    if (parse_fields(buf, "%B %e, %Y %I:%M:%S %p UTC%Q", &f) && resolve_fields(&f, &t))
        bad++;
    /* trailing junk */
    format_stamp(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%Q", s);
    strcat(buf, "x");
    if (parse_iso(buf, &t) || parse_fields(buf, "%Y-%m-%dT%H:%M:%S%Q", &f))
        bad++;
    return bad;
}

static int day_walk(bench_rng *r, int days, int kind, uint64_t *h)
{
    int64_t z = (int64_t)rng_below(r, 3500000) - 1000000;
    /* some walks cross the end of February in a year divisible by 400 or by 100 only */
    if (kind < 2) {
        int64_t y0 = kind == 0 ? 400 * ((int64_t)rng_below(r, 30) - 5) : 100 * (4 * (int64_t)rng_below(r, 30) - 17);
        z = days_from_civil(y0, 1, 1);
        z += rng_below(r, 58);
    }
    int64_t y;
    int m, d, bad = 0;
    civil_from_days(z, &y, &m, &d);
    int yday = day_of_year(y, m, d);
    for (int i = 0; i < days; i++, z++) {
        int64_t cy;
        int cm, cd;
        civil_from_days(z, &cy, &cm, &cd);
        if (cy != y || cm != m || cd != d || days_from_civil(y, m, d) != z)
            bad++;
        int wd = weekday(z);
        if (zeller(y, m, d) != wd)
            bad++;
        int64_t iy, iy2;
        int wk, wk2, iwd;
        iso_week(z, &iy, &wk, &iwd);
        iso_week_by_ordinal(y, yday, iwd, &iy2, &wk2);
        if (iy != iy2 || wk != wk2 || days_from_iso_week(iy, wk, iwd) != z)
            bad++;
        if ((i & 63) == 0)
            *h = mix64(*h, (uint64_t)z ^ (uint64_t)wk << 40);
        /* the hand-kept counter */
        yday++;
        if (++d > days_in_month(y, m)) {
            d = 1;
            if (++m == 13) {
                m = 1;
                y++;
                yday = 1;
            }
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 37);
    int rounds = scale * 3;
    bench_rng rng = { 0xB5AD4ECEDA1CE2A9ULL };
    static int64_t times[NSTAMP], sorted_t[NSTAMP];
    static char iso_utc[NSTAMP][32];
    static const char *ptrs[NSTAMP];
    char buf[128], dbuf[96];
    uint64_t h = 0;

    double t0 = bench_now();
    for (int round = 0; round < rounds; round++) {
        /* every template, written and read back */
        for (int i = 0; i < NSTAMP; i++) {
            int64_t t = random_time(&rng);
            int off = random_offset(&rng);
            times[i] = t;
            for (int k = 0; k < NTEMPL; k++) {
                Stamp s = { t, templates[k].utc_only ? 0 : off };
                size_t len = format_stamp(buf, sizeof buf, templates[k].tmpl, s);
                Fields f;
                int64_t back = 0, back2 = 0;
                if (len == 0 || !parse_fields(buf, templates[k].tmpl, &f) || !resolve_fields(&f, &back) || back != t)
                    fail("template round trip", round);
                if (templates[k].iso && (!parse_iso(buf, &back2) || back2 != t))
                    fail("ISO reader", round);
                if ((i & 7) == 0)
                    h = hash_str(h, buf);
            }
            Stamp u = { t, 0 };
            format_stamp(iso_utc[i], sizeof iso_utc[i], "%Y-%m-%dT%H:%M:%SZ", u);
            ptrs[i] = iso_utc[i];
        }
        /* string order is time order */
        qsort(ptrs, NSTAMP, sizeof ptrs[0], cmp_str);
        memcpy(sorted_t, times, sizeof times);
        qsort(sorted_t, NSTAMP, sizeof sorted_t[0], cmp_i64);
        for (int i = 0; i < NSTAMP; i++) {
            int64_t t;
            if (!parse_iso(ptrs[i], &t) || t != sorted_t[i])
                fail("sorted strings against sorted times", round);
            const char *key = iso_utc[(i * 7 + round) % NSTAMP];
            const char **hit = bsearch(&key, ptrs, NSTAMP, sizeof ptrs[0], cmp_str);
            if (!hit || strcmp(*hit, key) != 0)
                fail("bsearch", round);
        }
        h = hash_str(h, ptrs[NSTAMP / 2]);

        if (rejection_check(&rng, &h))
            fail("invalid input accepted", round);
        if (day_walk(&rng, 2500, round % 3, &h))
            fail("day walk", round);

        /* random years and a block of consecutive ones (the first blocks hold both exceptions
         * of Gauss's rule: 1954 and 1981) */
        for (int i = 0; i < 100; i++) {
            int64_t Y = i < 60 ? 1583 + (int64_t)rng_below(&rng, 8400) : 1940 + (round * 40 + i - 60) % 8000;
            int m1, d1, m2, d2;
            easter_meeus(Y, &m1, &d1);
            easter_gauss(Y, &m2, &d2);
            int64_t z = days_from_civil(Y, m1, d1);
            if (m1 != m2 || d1 != d2 || weekday(z) != 0 || z < days_from_civil(Y, 3, 22) ||
                z > days_from_civil(Y, 4, 25))
                fail("Easter", round);
            h = mix64(h, (uint64_t)(m1 * 32 + d1));
        }

        for (int i = 0; i < 120; i++) {
            Duration d = { 0 }, back;
            if (rng_below(&rng, 8) == 0) {
                d.weeks = 1 + rng_below(&rng, 60);
            } else {
                d.years = rng_below(&rng, 3) ? 0 : rng_below(&rng, 30);
                d.months = rng_below(&rng, 2) ? 0 : rng_below(&rng, 40);
                d.days = rng_below(&rng, 2) ? 0 : rng_below(&rng, 400);
                d.hours = rng_below(&rng, 2) ? 0 : rng_below(&rng, 48);
                d.minutes = rng_below(&rng, 3) ? 0 : rng_below(&rng, 200);
                d.seconds = rng_below(&rng, 3) ? 0 : rng_below(&rng, 100000);
            }
            format_duration(dbuf, sizeof dbuf, &d);
            if (!parse_duration(dbuf, &back) || memcmp(&back, &d, sizeof d) != 0)
                fail("duration text round trip", round);
            int64_t t = times[i];
            int64_t a = add_duration(t, &d), b = add_duration_slow(t, &d);
            if (a != b)
                fail("duration arithmetic", round);
            Stamp s = { a, 0 };
            format_stamp(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", s);
            h = hash_str(h, dbuf);
            h = hash_str(h, buf);
        }
        /* malformed durations */
        static const char *const bad_durations[] = { "P",   "PT",  "P1H",   "P2D1Y", "PT1D",
                                                     "P1YT", "X1D", "P1.5D", "P-1D" };
        for (size_t i = 0; i < sizeof bad_durations / sizeof bad_durations[0]; i++) {
            Duration d;
            if (parse_duration(bad_durations[i], &d))
                fail("malformed duration accepted", round);
        }
    }
    bench_report(t0);
    printf("checksum %016llx failures %d\n", (unsigned long long)h, failures);
    return failures != 0;
}
