/* reservations.c — the set of live linear-memory reservations, readable from a signal handler.
 *
 * Writers (memory creation and destruction) serialise on a mutex; the signal handler reads the
 * slots lock-free. A slot is published by storing hi before lo (release) and retired by clearing lo
 * first, so a reader that sees a non-zero lo also sees the matching hi. The capacity covers the
 * whole 47-bit user address space in 8 GiB reservations, so it cannot run out before mmap does. */
#include "internal.h"

#include <pthread.h>

#define MAX_RESERVATIONS 16384

static struct {
    _Atomic uintptr_t lo, hi;
} slots[MAX_RESERVATIONS];
static _Atomic uint32_t high_water;   /* slots at or above are unused */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

int kiln__reservation_add(uintptr_t lo, uintptr_t hi)
{
    int found = -1;
    pthread_mutex_lock(&slots_lock);
    uint32_t hw = atomic_load_explicit(&high_water, memory_order_relaxed);
    for (uint32_t i = 0; i < hw; i++) {
        if (atomic_load_explicit(&slots[i].lo, memory_order_relaxed) == 0) {
            found = (int)i;
            break;
        }
    }
    if (found < 0 && hw < MAX_RESERVATIONS) {
        found = (int)hw;
        atomic_store_explicit(&high_water, hw + 1, memory_order_release);
    }
    if (found >= 0) {
        atomic_store_explicit(&slots[found].hi, hi, memory_order_relaxed);
        atomic_store_explicit(&slots[found].lo, lo, memory_order_release);
    }
    pthread_mutex_unlock(&slots_lock);
    return found;
}

void kiln__reservation_remove(int slot)
{
    if (slot < 0)
        return;
    pthread_mutex_lock(&slots_lock);
    atomic_store_explicit(&slots[slot].lo, 0, memory_order_release);
    atomic_store_explicit(&slots[slot].hi, 0, memory_order_relaxed);
    pthread_mutex_unlock(&slots_lock);
}

bool kiln__reservation_contains(uintptr_t addr)
{
    uint32_t hw = atomic_load_explicit(&high_water, memory_order_acquire);
    for (uint32_t i = 0; i < hw; i++) {
        uintptr_t lo = atomic_load_explicit(&slots[i].lo, memory_order_acquire);
        if (lo && addr >= lo && addr < atomic_load_explicit(&slots[i].hi, memory_order_relaxed))
            return true;
    }
    return false;
}
