/* calendar_fmt/format.h -- a strftime-like formatter and the matching template-driven parser.
 *
 * Directives: %Y year (4 digits), %m month, %d day, %e space-padded day, %j ordinal day,
 * %H hour, %I 12-hour hour, %p AM/PM, %M minute, %S second, %a/%A weekday name, %b/%B month
 * name, %u ISO weekday (1 = Monday), %w weekday (0 = Sunday), %G ISO year, %V ISO week,
 * %z offset +hhmm, %Q offset +hh:mm, %s seconds since the epoch, %% percent. */

typedef struct {
    int64_t t;      /* UTC seconds since 1970-01-01T00:00:00 */
    int offset;     /* minutes east of UTC for the local fields */
} Stamp;

typedef struct {
    int64_t year, iso_year;
    int mon, day, yday, hour, hour12, pm, min, sec, week, iso_wday, wday, offset;
    int64_t epoch;
    unsigned have; /* bit flags below */
} Fields;

enum {
    H_YEAR = 1, H_MON = 2, H_DAY = 4, H_YDAY = 8, H_HOUR = 16, H_HOUR12 = 32, H_PM = 64,
    H_MIN = 128, H_SEC = 256, H_WEEK = 512, H_ISOWD = 1024, H_WDAY = 2048, H_ISOY = 4096,
    H_OFF = 8192, H_EPOCH = 16384
};

typedef struct {
    char *p, *end;
} Buf;

static void put_str(Buf *b, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(b->end - b->p) <= n)
        n = (size_t)(b->end - b->p) - 1;
    memcpy(b->p, s, n);
    b->p += n;
    *b->p = 0;
}

static void put_num(Buf *b, int64_t v, int width, char pad)
{
    char tmp[32];
    if (pad == '0')
        snprintf(tmp, sizeof tmp, "%0*lld", width, (long long)v);
    else
        snprintf(tmp, sizeof tmp, "%*lld", width, (long long)v);
    put_str(b, tmp);
}

static void put_offset(Buf *b, int off, int colon)
{
    char tmp[16];
    int a = off < 0 ? -off : off;
    snprintf(tmp, sizeof tmp, colon ? "%c%02d:%02d" : "%c%02d%02d", off < 0 ? '-' : '+', a / 60, a % 60);
    put_str(b, tmp);
}

static size_t format_stamp(char *out, size_t cap, const char *tmpl, Stamp s)
{
    Buf b = { out, out + cap };
    *out = 0;
    int64_t local = s.t + (int64_t)s.offset * 60;
    int64_t z = floor_div(local, 86400), secs = local - z * 86400;
    int64_t y, iy;
    int m, d, week, iwd;
    civil_from_days(z, &y, &m, &d);
    iso_week(z, &iy, &week, &iwd);
    int hour = (int)(secs / 3600), min = (int)(secs / 60 % 60), sec = (int)(secs % 60);
    int wd = weekday(z);
    for (const char *p = tmpl; *p; p++) {
        if (*p != '%') {
            const char *q = strchr(p, '%');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            char lit[64];
            memcpy(lit, p, n);
            lit[n] = 0;
            put_str(&b, lit);
            p += n - 1;
            continue;
        }
        switch (*++p) {
        case 'Y': put_num(&b, y, 4, '0'); break;
        case 'm': put_num(&b, m, 2, '0'); break;
        case 'd': put_num(&b, d, 2, '0'); break;
        case 'e': put_num(&b, d, 2, ' '); break;
        case 'j': put_num(&b, day_of_year(y, m, d), 3, '0'); break;
        case 'H': put_num(&b, hour, 2, '0'); break;
        case 'I': put_num(&b, hour % 12 == 0 ? 12 : hour % 12, 2, '0'); break;
        case 'p': put_str(&b, hour < 12 ? "AM" : "PM"); break;
        case 'M': put_num(&b, min, 2, '0'); break;
        case 'S': put_num(&b, sec, 2, '0'); break;
        case 'a': put_str(&b, wday_abbr[wd]); break;
        case 'A': put_str(&b, wday_full[wd]); break;
        case 'b': put_str(&b, month_abbr[m - 1]); break;
        case 'B': put_str(&b, month_full[m - 1]); break;
        case 'u': put_num(&b, iwd, 1, '0'); break;
        case 'w': put_num(&b, wd, 1, '0'); break;
        case 'G': put_num(&b, iy, 4, '0'); break;
        case 'V': put_num(&b, week, 2, '0'); break;
        case 'z': put_offset(&b, s.offset, 0); break;
        case 'Q': put_offset(&b, s.offset, 1); break;
        case 's': put_num(&b, s.t, 1, '0'); break;
        case '%': put_str(&b, "%"); break;
        default: return 0; /* unknown directive */
        }
    }
    return (size_t)(b.p - out);
}

/* exactly `width` digits (or up to width with leading spaces for %e) */
static int take_num(const char **sp, int width, int space_ok, int64_t *v)
{
    const char *s = *sp;
    if (space_ok && *s == ' ') {
        s++;
        width--;
    }
    char tmp[24];
    if (width <= 0 || width > 20 || strspn(s, "0123456789") < (size_t)width)
        return 0;
    memcpy(tmp, s, (size_t)width);
    tmp[width] = 0;
    *v = strtoll(tmp, NULL, 10);
    *sp = s + width;
    return 1;
}

static int take_name(const char **sp, const char *const *names, int count, int *idx)
{
    for (int i = 0; i < count; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(*sp, names[i], n) == 0) {
            *idx = i;
            *sp += n;
            return 1;
        }
    }
    return 0;
}

static int take_offset(const char **sp, int colon, int *off)
{
    const char *s = *sp;
    if (*s != '+' && *s != '-')
        return 0;
    int sign = *s++ == '-' ? -1 : 1;
    int64_t hh, mm;
    if (!take_num(&s, 2, 0, &hh))
        return 0;
    if (colon && *s++ != ':')
        return 0;
    if (!take_num(&s, 2, 0, &mm) || hh > 23 || mm > 59)
        return 0;
    *off = sign * (int)(hh * 60 + mm);
    *sp = s;
    return 1;
}

/* parses `text` against the template; 1 on success with the fields filled in */
static int parse_fields(const char *text, const char *tmpl, Fields *f)
{
    memset(f, 0, sizeof *f);
    const char *s = text;
    int64_t v;
    int idx;
    for (const char *p = tmpl; *p; p++) {
        if (*p != '%') {
            if (*s++ != *p)
                return 0;
            continue;
        }
        switch (*++p) {
        case 'Y': if (!take_num(&s, 4, 0, &f->year)) return 0; f->have |= H_YEAR; break;
        case 'G': if (!take_num(&s, 4, 0, &f->iso_year)) return 0; f->have |= H_ISOY; break;
        case 'm': if (!take_num(&s, 2, 0, &v)) return 0; f->mon = (int)v; f->have |= H_MON; break;
        case 'd':
        case 'e': if (!take_num(&s, 2, *p == 'e', &v)) return 0; f->day = (int)v; f->have |= H_DAY; break;
        case 'j': if (!take_num(&s, 3, 0, &v)) return 0; f->yday = (int)v; f->have |= H_YDAY; break;
        case 'H': if (!take_num(&s, 2, 0, &v)) return 0; f->hour = (int)v; f->have |= H_HOUR; break;
        case 'I': if (!take_num(&s, 2, 0, &v)) return 0; f->hour12 = (int)v; f->have |= H_HOUR12; break;
        case 'M': if (!take_num(&s, 2, 0, &v)) return 0; f->min = (int)v; f->have |= H_MIN; break;
        case 'S': if (!take_num(&s, 2, 0, &v)) return 0; f->sec = (int)v; f->have |= H_SEC; break;
        case 'V': if (!take_num(&s, 2, 0, &v)) return 0; f->week = (int)v; f->have |= H_WEEK; break;
        case 'u': if (!take_num(&s, 1, 0, &v)) return 0; f->iso_wday = (int)v; f->have |= H_ISOWD; break;
        case 'w': if (!take_num(&s, 1, 0, &v) || v > 6) return 0; f->wday = (int)v; f->have |= H_WDAY; break;
        case 'p':
            if (strncmp(s, "AM", 2) == 0)
                f->pm = 0;
            else if (strncmp(s, "PM", 2) == 0)
                f->pm = 1;
            else
                return 0;
            s += 2;
            f->have |= H_PM;
            break;
        case 'a':
        case 'A':
            if (!take_name(&s, *p == 'a' ? wday_abbr : wday_full, 7, &idx))
                return 0;
            f->wday = idx;
            f->have |= H_WDAY;
            break;
        case 'b':
        case 'B':
            if (!take_name(&s, *p == 'b' ? month_abbr : month_full, 12, &idx))
                return 0;
            f->mon = idx + 1;
            f->have |= H_MON;
            break;
        case 'z':
        case 'Q':
            if (!take_offset(&s, *p == 'Q', &f->offset))
                return 0;
            f->have |= H_OFF;
            break;
        case 's': {
            char *end;
            f->epoch = strtoll(s, &end, 10);
            if (end == s)
                return 0;
            s = end;
            f->have |= H_EPOCH;
            break;
        }
        case '%':
            if (*s++ != '%')
                return 0;
            break;
        default:
            return 0;
        }
    }
    return *s == 0;
}

/* fields to a UTC time, validating ranges and consistency; 1 on success */
static int resolve_fields(const Fields *f, int64_t *out)
{
    if (f->have & H_EPOCH) {
        *out = f->epoch;
        return 1;
    }
    int64_t z;
    if ((f->have & (H_YEAR | H_MON | H_DAY)) == (H_YEAR | H_MON | H_DAY)) {
        if (f->mon < 1 || f->mon > 12 || f->day < 1 || f->day > days_in_month(f->year, f->mon))
            return 0;
        z = days_from_civil(f->year, f->mon, f->day);
    } else if ((f->have & (H_YEAR | H_YDAY)) == (H_YEAR | H_YDAY)) {
        if (f->yday < 1 || f->yday > 365 + is_leap(f->year))
            return 0;
        z = days_from_civil(f->year, 1, 1) + f->yday - 1;
    } else if ((f->have & (H_ISOY | H_WEEK)) == (H_ISOY | H_WEEK) && (f->have & (H_ISOWD | H_WDAY))) {
        int wd = f->have & H_ISOWD ? f->iso_wday : (f->wday == 0 ? 7 : f->wday);
        if (wd < 1 || wd > 7 || f->week < 1 || f->week > iso_weeks_in_year(f->iso_year))
            return 0;
        z = days_from_iso_week(f->iso_year, f->week, wd);
    } else {
        return 0;
    }
    /* redundant fields must agree with the date */
    if ((f->have & H_WDAY) && weekday(z) != f->wday)
        return 0;
    if (f->have & (H_ISOWD | H_WEEK | H_ISOY)) {
        int64_t iy;
        int wk, iwd;
        iso_week(z, &iy, &wk, &iwd);
        if (((f->have & H_ISOWD) && iwd != f->iso_wday) || ((f->have & H_WEEK) && wk != f->week) ||
            ((f->have & H_ISOY) && iy != f->iso_year))
            return 0;
    }
    if ((f->have & H_YDAY) && (f->have & H_MON)) {
        int64_t y;
        int m, d;
        civil_from_days(z, &y, &m, &d);
        if (m != f->mon)
            return 0;
    }
    int hour;
    if (f->have & H_HOUR12) {
        if (!(f->have & H_PM) || f->hour12 < 1 || f->hour12 > 12)
            return 0;
        hour = f->hour12 % 12 + (f->pm ? 12 : 0);
    } else {
        hour = f->hour;
    }
    if (hour > 23 || f->min > 59 || f->sec > 59)
        return 0;
    *out = z * 86400 + hour * 3600 + f->min * 60 + f->sec - (int64_t)f->offset * 60;
    return 1;
}
