/* clock.c — clocks, randomness, scheduling, process exit, and poll_oneoff (clock and fd
 * subscriptions, over ppoll). */
#include "wasi.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <time.h>

static bool host_clock(uint32_t id, clockid_t *out)
{
    switch (id) {
    case 0: *out = CLOCK_REALTIME; return true;
    case 1: *out = CLOCK_MONOTONIC; return true;
    case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

static uint64_t ns_of(const struct timespec *ts)
{
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

static uint64_t now_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ns_of(&ts);
}

uint32_t kiln__wasi_clock_res_get(wasi_ctx *c, const kiln_val *a)
{
    clockid_t id;
    struct timespec ts;
    if (!host_clock(A32(0), &id))
        return WASI_EINVAL;
    if (clock_getres(id, &ts) != 0)
        return WASI_ERR();
    return wasi_put64(c, A32(1), ns_of(&ts)) ? WASI_ESUCCESS : WASI_EFAULT;
}

uint32_t kiln__wasi_clock_time_get(wasi_ctx *c, const kiln_val *a)
{
    clockid_t id;
    struct timespec ts;
    if (!host_clock(A32(0), &id))
        return WASI_EINVAL;
    if (clock_gettime(id, &ts) != 0)
        return WASI_ERR();
    return wasi_put64(c, A32(2), ns_of(&ts)) ? WASI_ESUCCESS : WASI_EFAULT;
}

uint32_t kiln__wasi_random_get(wasi_ctx *c, const kiln_val *a)
{
    uint8_t *buf = wasi_ptr(c, A32(0), A32(1));
    if (!buf)
        return WASI_EFAULT;
    for (uint32_t done = 0, len = A32(1); done < len;) {
        ssize_t n = getrandom(buf + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return WASI_ERR();
        }
        done += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

uint32_t kiln__wasi_sched_yield(wasi_ctx *c, const kiln_val *a)
{
    (void)c, (void)a;
    sched_yield();
    return WASI_ESUCCESS;
}

/* Ends the current call (not the host process): kiln_call returns non-zero and
 * kiln_error_exit_status gives the status. In a program with threads, the exit then ends them
 * all (threads.c). */
uint32_t kiln__wasi_proc_exit(wasi_ctx *c, const kiln_val *a)
{
    (void)c;
    kiln__raise(KILN_TRAP_EXIT, (int)A32(0));
}

/* Raising a signal in the host process is not something a sandboxed guest may do. */
uint32_t kiln__wasi_proc_raise(wasi_ctx *c, const kiln_val *a)
{
    (void)c, (void)a;
    return WASI_ENOSYS;
}

/* ---- poll_oneoff ---- */

enum { SUB_SIZE = 48, EVENT_SIZE = 32, MAX_SUBS = 4096 };

typedef struct poll_sub {
    uint64_t userdata;
    uint8_t type;
    uint16_t error;           /* found while parsing: reported at once */
    uint64_t timeout_ns;      /* clock: relative to the start of the call */
    int pollfd;               /* fd: index into the pollfd array */
} poll_sub;

static void put_event(wasi_ctx *c, uint32_t out, const poll_sub *s, uint16_t error, uint64_t nbytes, uint16_t flags)
{
    uint8_t ev[EVENT_SIZE] = { 0 };
    memcpy(ev, &s->userdata, 8);
    memcpy(ev + 8, &error, 2);
    ev[10] = s->type;
    memcpy(ev + 16, &nbytes, 8);
    memcpy(ev + 24, &flags, 2);
    memcpy(wasi_ptr(c, out, EVENT_SIZE), ev, EVENT_SIZE);
}

uint32_t kiln__wasi_poll_oneoff(wasi_ctx *c, const kiln_val *a)
{
    uint32_t in = A32(0), out = A32(1), n = A32(2), nevents_ptr = A32(3);
    if (n == 0)
        return WASI_EINVAL;
    if (n > MAX_SUBS)
        return WASI_ENOTSUP;
    const uint8_t *subs = wasi_ptr(c, in, (uint64_t)n * SUB_SIZE);
    if (!subs || !wasi_ptr(c, out, (uint64_t)n * EVENT_SIZE) || !wasi_ptr(c, nevents_ptr, 4))
        return WASI_EFAULT;

    poll_sub s[n];
    struct pollfd pfd[n + 1];     /* and the program's end, when it has threads */
    wasi_borrowed_fd held[n];
    uint32_t npfd = 0;
    bool have_clock = false, immediate = false;
    uint64_t start = now_ns(CLOCK_MONOTONIC), min_timeout = UINT64_MAX;
    for (uint32_t k = 0; k < n; k++) {
        const uint8_t *p = subs + (size_t)k * SUB_SIZE;
        poll_sub *q = &s[k];
        memcpy(&q->userdata, p, 8);
        q->type = p[8];
        q->error = 0;
        q->pollfd = -1;
        if (q->type == WASI_EVENTTYPE_CLOCK) {
            uint32_t id = wasi_get32(p + 16);
            uint64_t timeout = wasi_get64(p + 24);
            uint16_t flags;
            memcpy(&flags, p + 40, 2);
            clockid_t cid;
            if (!host_clock(id, &cid)) {
                q->error = WASI_EINVAL;
                immediate = true;
                continue;
            }
            if (flags & 1) {          /* absolute time on that clock */
                uint64_t now = now_ns(cid);
                timeout = timeout > now ? timeout - now : 0;
            }
            q->timeout_ns = timeout;
            have_clock = true;
            if (timeout < min_timeout)
                min_timeout = timeout;
        } else if (q->type == WASI_EVENTTYPE_FD_READ || q->type == WASI_EVENTTYPE_FD_WRITE) {
            uint32_t error = kiln__wasi_fd_borrow(c->w, wasi_get32(p + 16), &held[npfd]);
            if (error != WASI_ESUCCESS) {
                q->error = (uint16_t)error;
                immediate = true;
                continue;
            }
            q->pollfd = (int)npfd;
            pfd[npfd].fd = held[npfd].host;
            pfd[npfd].events = q->type == WASI_EVENTTYPE_FD_READ ? POLLIN : POLLOUT;
            pfd[npfd].revents = 0;
            npfd++;
        } else {
            q->error = WASI_EINVAL;
            immediate = true;
        }
    }

    uint32_t nheld = npfd;
    /* Another thread's proc_exit or trap ends this wait. */
    int end_fd = kiln__wasi_process_end_fd(c->w);
    if (end_fd >= 0)
        pfd[npfd++] = (struct pollfd){ .fd = end_fd, .events = POLLIN };

    /* Wait until an fd is ready or the earliest clock expires (at once if something failed). */
    uint64_t wait = immediate ? 0 : min_timeout;
    int ready;
    for (;;) {
        struct timespec ts, *tsp = NULL;
        if (immediate || have_clock) {
            uint64_t elapsed = now_ns(CLOCK_MONOTONIC) - start;
            uint64_t left = wait > elapsed ? wait - elapsed : 0;
            ts.tv_sec = (time_t)(left / 1000000000u);
            ts.tv_nsec = (long)(left % 1000000000u);
            tsp = &ts;
        }
        ready = ppoll(npfd ? pfd : NULL, npfd, tsp, NULL);
        if (ready >= 0 || errno != EINTR)
            break;
    }
    bool ended = ready > 0 && end_fd >= 0 && pfd[nheld].revents;
    if (ready < 0 || ended) {
        uint32_t error = ended ? WASI_ESUCCESS : WASI_ERR();
        for (uint32_t k = 0; k < nheld; k++)
            kiln__wasi_fd_give_back(&held[k]);
        if (ended)
            kiln__raise(KILN_TRAP_INTERRUPTED, 0);
        return error;
    }

    uint64_t elapsed = now_ns(CLOCK_MONOTONIC) - start;
    uint32_t nev = 0;
    for (uint32_t k = 0; k < n; k++) {
        poll_sub *q = &s[k];
        uint32_t at = out + nev * EVENT_SIZE;
        if (q->error) {
            put_event(c, at, q, q->error, 0, 0);
            nev++;
        } else if (q->type == WASI_EVENTTYPE_CLOCK) {
            /* ppoll returning 0 means the earliest clock expired, whatever the clocks' drift. */
            if (q->timeout_ns <= elapsed || (ready == 0 && !immediate && q->timeout_ns == min_timeout)) {
                put_event(c, at, q, 0, 0, 0);
                nev++;
            }
        } else if (q->pollfd >= 0 && pfd[q->pollfd].revents) {
            short rev = pfd[q->pollfd].revents;
            uint16_t error = (rev & POLLNVAL) ? WASI_EBADF : 0;
            uint16_t flags = (rev & POLLHUP) ? 1 : 0;
            uint64_t nbytes = 0;
            int avail;
            if (q->type == WASI_EVENTTYPE_FD_READ && ioctl(pfd[q->pollfd].fd, FIONREAD, &avail) == 0 && avail > 0)
                nbytes = (uint64_t)avail;
            put_event(c, at, q, error, nbytes, flags);
            nev++;
        }
    }
    for (uint32_t k = 0; k < nheld; k++)
        kiln__wasi_fd_give_back(&held[k]);
    wasi_put32(c, nevents_ptr, nev);
    return WASI_ESUCCESS;
}
