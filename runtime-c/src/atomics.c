/* atomics.c — memory.atomic.wait and memory.atomic.notify (threads): wait queues keyed by address.
 *
 * Why no wake-up is lost: a waiter and a notifier of the same address meet in the same bucket and
 * hold its lock while they act. The waiter compares the memory's value with the expected one under
 * that lock and queues itself before releasing it (the condition variable releases it atomically),
 * and the notifier takes the lock before it looks for waiters. So a store the notifying thread made
 * before its notify is either seen by the waiter's comparison (it returns "not equal") or the
 * waiter is already queued when the notify looks, and is woken.
 *
 * Each waiter sleeps on its own condition variable and records its own wake-up, so a notify wakes
 * exactly the waiters it counts, oldest first (the proposal's queue is first in, first out), and a
 * spurious return from the condition variable just sleeps again. Addresses are host addresses: a
 * shared memory has one base for its whole life in every instance that imports it.
 *
 * kiln_instance_interrupt wakes the instance's waiters too (kiln__atomic_interrupt_waiters), and
 * their wait traps "interrupted". The interrupter marks the instance before it looks for waiters,
 * and a waiter looks at the mark after queueing itself, both under the bucket's lock, so a wait
 * that starts while the interrupt is under way is found by one or the other. */
#include "internal.h"

#include <errno.h>
#include <time.h>

#define WAIT_BUCKETS 256

typedef struct waiter {
    const void *address;
    kiln_instance *instance;  /* whose interrupt wakes it */
    pthread_cond_t wake;
    bool woken;
    bool interrupted;
    struct waiter *next;
} waiter;

typedef struct wait_bucket {
    pthread_mutex_t lock;
    waiter *head, *tail; /* oldest first */
} wait_bucket;

static wait_bucket buckets[WAIT_BUCKETS] = {
    [0 ... WAIT_BUCKETS - 1] = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL},
};

static wait_bucket *bucket_of(const void *address)
{
    uintptr_t a = (uintptr_t)address;
    return &buckets[((a >> 2) ^ (a >> 12)) % WAIT_BUCKETS];
}

static void enqueue(wait_bucket *b, waiter *w)
{
    w->next = NULL;
    if (b->tail)
        b->tail->next = w;
    else
        b->head = w;
    b->tail = w;
}

static void dequeue(wait_bucket *b, waiter *w)
{
    waiter *previous = NULL;
    for (waiter *at = b->head; at; previous = at, at = at->next) {
        if (at != w)
            continue;
        if (previous)
            previous->next = w->next;
        else
            b->head = w->next;
        if (b->tail == w)
            b->tail = previous;
        return;
    }
}

/* now + timeout_ns on the monotonic clock, which wall-clock changes do not move. */
static struct timespec deadline_after(int64_t timeout_ns)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += (time_t)(timeout_ns / 1000000000);
    t.tv_nsec += (long)(timeout_ns % 1000000000);
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec += 1;
        t.tv_nsec -= 1000000000;
    }
    return t;
}

uint32_t kiln__rt_atomic_wait(kiln_vmctx *vm, const void *address, uint64_t expected, int64_t timeout_ns,
                              uint32_t width_bytes)
{
    struct timespec deadline = timeout_ns >= 0 ? deadline_after(timeout_ns) : (struct timespec){0};
    waiter w = {.address = address, .instance = vm->instance};
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&w.wake, &attributes);
    pthread_condattr_destroy(&attributes);

    wait_bucket *b = bucket_of(address);
    pthread_mutex_lock(&b->lock);
    uint64_t current = width_bytes == 4 ? __atomic_load_n((const uint32_t *)address, __ATOMIC_SEQ_CST)
                                        : __atomic_load_n((const uint64_t *)address, __ATOMIC_SEQ_CST);
    uint32_t result = 1; /* not equal */
    if (current == expected) {
        enqueue(b, &w);
        w.interrupted = atomic_load(&w.instance->interrupt_pending);
        while (!w.woken && !w.interrupted) {
            if (timeout_ns < 0)
                pthread_cond_wait(&w.wake, &b->lock);
            else if (pthread_cond_timedwait(&w.wake, &b->lock, &deadline) == ETIMEDOUT)
                break;
        }
        if (!w.woken)
            dequeue(b, &w);
        result = w.woken ? 0 : 2; /* woken, or timed out */
    }
    pthread_mutex_unlock(&b->lock);
    pthread_cond_destroy(&w.wake);
    if (w.interrupted && !w.woken) {
        kiln__link_take_interrupt(w.instance);
        kiln__rt_trap(vm, KILN_TRAP_INTERRUPTED);
    }
    return result;
}

void kiln__atomic_interrupt_waiters(kiln_instance *i)
{
    for (uint32_t k = 0; k < WAIT_BUCKETS; k++) {
        wait_bucket *b = &buckets[k];
        pthread_mutex_lock(&b->lock);
        for (waiter *w = b->head, *next; w; w = next) {
            next = w->next;
            if (w->instance != i)
                continue;
            dequeue(b, w);
            w->interrupted = true;
            pthread_cond_signal(&w->wake);
        }
        pthread_mutex_unlock(&b->lock);
    }
}

uint32_t kiln__rt_atomic_notify(kiln_vmctx *vm, const void *address, uint32_t count)
{
    (void)vm;
    wait_bucket *b = bucket_of(address);
    uint32_t woken = 0;
    pthread_mutex_lock(&b->lock);
    for (waiter *w = b->head, *next; w && woken < count; w = next) {
        next = w->next;
        if (w->address != address)
            continue;
        dequeue(b, w);
        w->woken = true;
        pthread_cond_signal(&w->wake);
        woken++;
    }
    pthread_mutex_unlock(&b->lock);
    return woken;
}
