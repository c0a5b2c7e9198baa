/* link.c — link groups: the instances that can call into each other's code.
 *
 * Generated prologues compare the stack pointer with their own vmctx->stack_limit, which must be
 * the limit of the thread running them. The call entry fixes the limit of the instance it enters
 * when it differs from this thread's; since that instance may call into instances it imported
 * from (or that imported from it, through shared tables), the whole group is updated together.
 * Groups only merge (instantiation) and lose members (destruction); both, and the slow path of the
 * call entry, hold one global lock. An unlinked instance has no group and needs no allocation. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>

struct kiln_link_group {
    kiln_instance *head;
    uint32_t count;
};

static pthread_mutex_t link_lock = PTHREAD_MUTEX_INITIALIZER;

static void add_member(kiln_link_group *g, kiln_instance *i)
{
    i->group = g;
    i->group_prev = NULL;
    i->group_next = g->head;
    if (g->head)
        g->head->group_prev = i;
    g->head = i;
    g->count++;
}

static kiln_link_group *ensure_group(kiln_instance *i)
{
    if (!i->group) {
        kiln_link_group *g = calloc(1, sizeof *g);
        if (!g)
            return NULL;
        add_member(g, i);
    }
    return i->group;
}

void kiln__link_join(kiln_instance *i, kiln_instance *other)
{
    if (!other || other == i)
        return;
    pthread_mutex_lock(&link_lock);
    kiln_link_group *a = ensure_group(i), *b = ensure_group(other);
    if (a && b && a != b) {
        if (a->count < b->count) {
            kiln_link_group *t = a;
            a = b;
            b = t;
        }
        while (b->head) {
            kiln_instance *m = b->head;
            b->head = m->group_next;
            add_member(a, m);
        }
        free(b);
    }
    pthread_mutex_unlock(&link_lock);
}

void kiln__link_leave(kiln_instance *i)
{
    pthread_mutex_lock(&link_lock);
    kiln_link_group *g = i->group;
    if (g) {
        if (i->group_prev)
            i->group_prev->group_next = i->group_next;
        else
            g->head = i->group_next;
        if (i->group_next)
            i->group_next->group_prev = i->group_prev;
        if (--g->count == 0)
            free(g);
        i->group = NULL;
    }
    pthread_mutex_unlock(&link_lock);
}

/* The members of i's link group, walked under link_lock: i alone when it has no group. */
static kiln_instance *first_member(kiln_instance *i)
{
    return i->group ? i->group->head : i;
}

static kiln_instance *next_member(const kiln_instance *i, const kiln_instance *m)
{
    return i->group ? m->group_next : NULL;
}

void kiln__link_move_vmctx(kiln_instance *i, kiln_vmctx *to)
{
    pthread_mutex_lock(&link_lock);
    *to = *i->vmctx;
    i->vmctx = to;
    pthread_mutex_unlock(&link_lock);
}

/* The limit is written with atomic stores: kiln__link_interrupt raises it from another thread. */
void kiln__link_set_stack_limit(kiln_instance *i, uintptr_t limit)
{
    if (!i->group) {
        __atomic_store_n(&i->vmctx->stack_limit, limit, __ATOMIC_RELAXED);
        return;
    }
    pthread_mutex_lock(&link_lock);
    for (kiln_instance *m = first_member(i); m; m = next_member(i, m))
        __atomic_store_n(&m->vmctx->stack_limit, limit, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&link_lock);
}

void kiln__link_interrupt(kiln_instance *i)
{
    pthread_mutex_lock(&link_lock);
    for (kiln_instance *m = first_member(i); m; m = next_member(i, m)) {
        atomic_store(&m->interrupt_pending, true);
        /* Read by generated code on another thread: one aligned word, written whole. */
        __atomic_store_n(&m->vmctx->stack_limit, UINTPTR_MAX, __ATOMIC_SEQ_CST);
        kiln__atomic_interrupt_waiters(m);
    }
    pthread_mutex_unlock(&link_lock);
}

bool kiln__link_take_interrupt(kiln_instance *i)
{
    bool was = false;
    pthread_mutex_lock(&link_lock);
    for (kiln_instance *m = first_member(i); m; m = next_member(i, m))
        was |= atomic_exchange(&m->interrupt_pending, false);
    pthread_mutex_unlock(&link_lock);
    return was;
}

kiln_instance *kiln__link_creator(kiln_instance *const *creator_field)
{
    pthread_mutex_lock(&link_lock);
    kiln_instance *c = *creator_field;
    pthread_mutex_unlock(&link_lock);
    return c;
}

void kiln__link_clear_creator(kiln_instance **creator_field, kiln_instance *i)
{
    pthread_mutex_lock(&link_lock);
    if (*creator_field == i)
        *creator_field = NULL;
    pthread_mutex_unlock(&link_lock);
}
