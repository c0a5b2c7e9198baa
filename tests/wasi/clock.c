/* Clocks and sleeping: only facts that hold everywhere are printed. */
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static int64_t ns(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void)
{
    int64_t r = ns(CLOCK_REALTIME);
    printf("realtime after 2020: %s\n", r > (int64_t)1577836800 * 1000000000 ? "yes" : "no");
    time_t t = time(NULL);
    printf("time() agrees: %s\n", t - r / 1000000000 <= 1 && t - r / 1000000000 >= -1 ? "yes" : "no");
    struct timespec res;
    printf("monotonic resolution > 0: %s\n",
           clock_getres(CLOCK_MONOTONIC, &res) == 0 && (res.tv_sec > 0 || res.tv_nsec > 0) ? "yes" : "no");
    int64_t a = ns(CLOCK_MONOTONIC), b = ns(CLOCK_MONOTONIC);
    printf("monotonic non-decreasing: %s\n", a > 0 && b >= a ? "yes" : "no");
    struct timespec d = { 0, 20 * 1000 * 1000 };
    int rc = nanosleep(&d, NULL);
    int64_t c = ns(CLOCK_MONOTONIC);
    printf("nanosleep 20ms: rc=%d slept enough: %s\n", rc, c - b >= 20 * 1000 * 1000 ? "yes" : "no");
    usleep(5000);
    printf("usleep 5ms: %s\n", ns(CLOCK_MONOTONIC) - c >= 5 * 1000 * 1000 ? "yes" : "no");
    printf("process cputime works: %s\n", ns(CLOCK_PROCESS_CPUTIME_ID) >= 0 ? "yes" : "no");
    return 0;
}
