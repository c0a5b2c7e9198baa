/* calendar_fmt/iso.h -- a general ISO 8601 reader (calendar, ordinal and week dates in basic
 * and extended form, times with optional seconds and fraction, Z or numeric offsets) and ISO
 * 8601 durations (PnYnMnDTnHnMnS, PnW): writing, reading and adding them to a time. */

/* counts the digits at s and reads exactly that many */
static int digits_at(const char *s, int want, int64_t *v)
{
    if ((int)strspn(s, "0123456789") < want)
        return 0;
    char tmp[24];
    memcpy(tmp, s, (size_t)want);
    tmp[want] = 0;
    *v = strtol(tmp, NULL, 10);
    return 1;
}

static int parse_iso(const char *s, int64_t *out)
{
    int64_t y, a, b, c;
    if (!digits_at(s, 4, &y))
        return 0;
    s += 4;
    int ext = *s == '-';
    s += ext;
    int64_t z;
    if (*s == 'W') {
        s++;
        if (!digits_at(s, 2, &a))
            return 0;
        s += 2;
        if (ext && *s++ != '-')
            return 0;
        if (!digits_at(s, 1, &b))
            return 0;
        s += 1;
        if (a < 1 || a > iso_weeks_in_year(y) || b < 1 || b > 7)
            return 0;
        z = days_from_iso_week(y, (int)a, (int)b);
    } else {
        size_t nd = strspn(s, "0123456789");
        if (nd == 3) {
            digits_at(s, 3, &a);
            s += 3;
            if (a < 1 || a > 365 + is_leap(y))
                return 0;
            z = days_from_civil(y, 1, 1) + a - 1;
        } else if ((ext && nd == 2) || (!ext && nd == 4)) {
            digits_at(s, 2, &a);
            s += 2;
            if (ext && *s++ != '-')
                return 0;
            if (!digits_at(s, 2, &b))
                return 0;
            s += 2;
            if (a < 1 || a > 12 || b < 1 || b > days_in_month(y, (int)a))
                return 0;
            z = days_from_civil(y, (int)a, (int)b);
        } else {
            return 0;
        }
    }
    int64_t secs = 0;
    if (*s == 'T') {
        s++;
        a = b = c = 0;
        if (!digits_at(s, 2, &a))
            return 0;
        s += 2;
        int colon = *s == ':';
        if (colon || strspn(s, "0123456789") >= 2) {
            s += colon;
            if (!digits_at(s, 2, &b))
                return 0;
            s += 2;
            if ((colon && *s == ':') || (!colon && strspn(s, "0123456789") >= 2)) {
                s += colon;
                if (!digits_at(s, 2, &c))
                    return 0;
                s += 2;
                if (*s == '.' || *s == ',') /* fraction: read and dropped */
                    s += 1 + strspn(s + 1, "0123456789");
            }
        }
        if (a > 23 || b > 59 || c > 59)
            return 0;
        secs = a * 3600 + b * 60 + c;
    }
    int off = 0;
    if (*s == 'Z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1;
        if (!digits_at(s, 2, &a))
            return 0;
        s += 2;
        b = 0;
        if (*s == ':') {
            if (!digits_at(s + 1, 2, &b))
                return 0;
            s += 3;
        } else if (strspn(s, "0123456789") == 2) {
            digits_at(s, 2, &b);
            s += 2;
        }
        if (a > 23 || b > 59)
            return 0;
        off = sign * (int)(a * 60 + b);
    }
    if (*s)
        return 0;
    *out = z * 86400 + secs - (int64_t)off * 60;
    return 1;
}

typedef struct {
    int64_t years, months, weeks, days, hours, minutes, seconds;
} Duration;

static size_t format_duration(char *out, size_t cap, const Duration *d)
{
    char *p = out, *end = out + cap;
    p += snprintf(p, (size_t)(end - p), "P");
    if (d->weeks) {
        snprintf(p, (size_t)(end - p), "%lldW", (long long)d->weeks);
        return strlen(out);
    }
    const int64_t dv[3] = { d->years, d->months, d->days }, tv[3] = { d->hours, d->minutes, d->seconds };
    const char du[3] = { 'Y', 'M', 'D' }, tu[3] = { 'H', 'M', 'S' };
    for (int i = 0; i < 3; i++)
        if (dv[i])
            p += snprintf(p, (size_t)(end - p), "%lld%c", (long long)dv[i], du[i]);
    if (tv[0] || tv[1] || tv[2]) {
        p += snprintf(p, (size_t)(end - p), "T");
        for (int i = 0; i < 3; i++)
            if (tv[i])
                p += snprintf(p, (size_t)(end - p), "%lld%c", (long long)tv[i], tu[i]);
    }
    if (p - out == 1)
        p += snprintf(p, (size_t)(end - p), "0D");
    return (size_t)(p - out);
}

static int parse_duration(const char *s, Duration *d)
{
    memset(d, 0, sizeof *d);
    if (*s++ != 'P' || !*s)
        return 0;
    int in_time = 0, any = 0;
    const char *order = "YMWD"; /* units must come in this order; after T: "HMS" */
    while (*s) {
        if (*s == 'T') {
            if (in_time || !s[1])
                return 0;
            in_time = 1;
            order = "HMS";
            s++;
            continue;
        }
        char *end;
        if (*s < '0' || *s > '9')
            return 0;
        long v = strtol(s, &end, 10);
        const char *u = strchr(order, *end);
        if (!*end || !u)
            return 0;
        int64_t *slot;
        switch (in_time ? *end + 128 : *end) {
        case 'Y': slot = &d->years; break;
        case 'M': slot = &d->months; break;
        case 'W': slot = &d->weeks; break;
        case 'D': slot = &d->days; break;
        case 'H' + 128: slot = &d->hours; break;
        case 'M' + 128: slot = &d->minutes; break;
        case 'S' + 128: slot = &d->seconds; break;
        default: return 0;
        }
        *slot = v;
        any = 1;
        order = u + 1;
        s = end + 1;
    }
    return any;
}

/* calendar part first (months with clamping, then days), then the clock part */
static int64_t add_duration(int64_t t, const Duration *d)
{
    int64_t z = floor_div(t, 86400), secs = t - z * 86400, y;
    int m, dd;
    civil_from_days(z, &y, &m, &dd);
    add_months(&y, &m, &dd, d->years * 12 + d->months);
    z = days_from_civil(y, m, dd) + d->weeks * 7 + d->days;
    return z * 86400 + secs + d->hours * 3600 + d->minutes * 60 + d->seconds;
}
