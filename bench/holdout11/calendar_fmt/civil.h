/* calendar_fmt/civil.h -- proleptic Gregorian calendar arithmetic on day numbers (days since
 * 1970-01-01): conversions to and from year/month/day by the era method, weekdays, ordinal
 * days, ISO 8601 week dates, Easter Sunday, month arithmetic with end-of-month clamping. */

static const char *const month_full[12] = { "January", "February", "March", "April", "May", "June",
                                            "July", "August", "September", "October", "November",
                                            "December" };
static const char *const month_abbr[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const wday_full[7] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                          "Friday", "Saturday" };
static const char *const wday_abbr[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m)
{
    static const unsigned char dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 ? 28 + is_leap(y) : dm[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

/* eras of 400 years (146097 days), years starting in March */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Sunday */
static int weekday(int64_t z) { return (int)floor_mod(z + 4, 7); }

static int day_of_year(int64_t y, int m, int d)
{
    return (int)(days_from_civil(y, m, d) - days_from_civil(y, 1, 1)) + 1;
}

/* ISO week date: weeks start on Monday, week 1 holds the year's first Thursday */
static void iso_week(int64_t z, int64_t *iy, int *week, int *wd)
{
    int w = weekday(z);
    *wd = w == 0 ? 7 : w;
    int64_t thursday = z - *wd + 4;
    int64_t y;
    int m, d;
    civil_from_days(thursday, &y, &m, &d);
    *iy = y;
    *week = (int)((thursday - days_from_civil(y, 1, 1)) / 7) + 1;
}

static int64_t days_from_iso_week(int64_t iy, int week, int wd)
{
    int64_t jan4 = days_from_civil(iy, 1, 4);
    int w = weekday(jan4);
    int64_t monday1 = jan4 - (w == 0 ? 6 : w - 1);
    return monday1 + (int64_t)(week - 1) * 7 + (wd - 1);
}

static int iso_weeks_in_year(int64_t iy)
{
    int64_t y;
    int w;
    int wd;
    iso_week(days_from_civil(iy, 12, 28), &y, &w, &wd);
    return w;
}

/* Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
static void easter_meeus(int64_t Y, int *m, int *d)
{
    int64_t a = Y % 19, b = Y / 100, c = Y % 100, dd = b / 4, e = b % 4;
    int64_t f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - dd - g + 15) % 30;
    int64_t i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int64_t mm = (a + 11 * h + 22 * l) / 451;
    *m = (int)((h + l - 7 * mm + 114) / 31);
    *d = (int)((h + l - 7 * mm + 114) % 31 + 1);
}

/* months added with the day clamped to the end of the target month */
static void add_months(int64_t *y, int *m, int *d, int64_t months)
{
    int64_t total = *y * 12 + (*m - 1) + months;
    *y = floor_div(total, 12);
    *m = (int)floor_mod(total, 12) + 1;
    int dim = days_in_month(*y, *m);
    if (*d > dim)
        *d = dim;
}
