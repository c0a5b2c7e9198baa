/* threads.c — wasi-threads: "wasi" "thread-spawn" runs the program's exported
 * wasi_thread_start(thread id, start argument) on a new OS thread, in a new instance of the same
 * module made from the same imports (so it shares the imported shared memory), which shares the
 * first instance's WASI state: descriptors, arguments, environment.
 *
 * One program, one end, as a process's exit ends all its threads: proc_exit, a trap or an uncaught
 * exception in any thread of a program that has spawned threads ends every thread. The first end
 * is recorded; every instance of the program is interrupted (its code stops at the next check:
 * function entries that can call, and loop headers of interruptible code), its waits in
 * memory.atomic.wait and poll_oneoff wake at once, and from then on every call into any of its
 * instances fails with the recorded end. So the host's call into the first instance returns the
 * program's exit status or trap, whichever thread had it. The host's kiln_imports_wasi_on_end
 * function hears of the end first, on the thread that made it, where `kiln run` exits the
 * process. Freeing the first instance ends the program too. A thread's own instance is freed by
 * its thread when wasi_thread_start returns or the end stops it; the last one to go frees the
 * shared state.
 *
 * Locking: every field below is guarded by the state's lock (struct kiln_wasi), except the two
 * flags, which are also read without it. The lock is taken before the link lock (interrupts). */
#include "wasi.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* wasi-libc keeps the top bits of a thread id for its mutexes' flags. */
#define MAX_THREAD_ID 0x1FFFFFFF
#define THREAD_ENTRY "wasi_thread_start"
/* A new thread's stack when the spawning thread's size is unknown. */
#define DEFAULT_STACK_BYTES ((size_t)8 << 20)

struct wasi_process {
    kiln_imports *imports;        /* retained: every thread's instance is made from them */
    kiln_instance *first;         /* the instance the host created; NULL once it is freed */
    kiln_instance **members;      /* the live instances of the program, the first one included */
    uint32_t count, cap;
    uint32_t next_thread_id;
    _Atomic bool threaded;        /* a thread was spawned (set for good before it starts) */
    _Atomic bool ended;
    kiln_error *reason;           /* the recorded end */
    int end_fd;                   /* an eventfd, readable once the program has ended */
    kiln_wasi_end_fn on_end;      /* kiln_imports_wasi_on_end's, told of an end a thread made */
    void *on_end_context;
};

struct wasi_process *kiln__wasi_process_new(const kiln_imports *imports, kiln_instance *first)
{
    struct wasi_process *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->end_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (p->end_fd < 0) {
        free(p);
        return NULL;
    }
    p->imports = kiln__imports_retain(imports);
    p->first = first;
    const struct kiln_wasi_config *cfg = kiln__imports_wasi(imports);
    p->on_end = cfg->on_end;
    p->on_end_context = cfg->on_end_context;
    p->next_thread_id = 1;
    return p;
}

void kiln__wasi_process_free(struct wasi_process *p)
{
    if (!p)
        return;
    kiln_imports_free(p->imports);
    kiln_error_free(p->reason);
    close(p->end_fd);
    free(p->members);
    free(p);
}

bool kiln__wasi_process_threaded(const struct kiln_wasi *w)
{
    return w->process && atomic_load(&w->process->threaded);
}

int kiln__wasi_process_end_fd(const struct kiln_wasi *w)
{
    return kiln__wasi_process_threaded(w) ? w->process->end_fd : -1;
}

int kiln__wasi_process_join(struct kiln_wasi *w, kiln_instance *i)
{
    struct wasi_process *p = w->process;
    int result = -1;
    pthread_mutex_lock(&w->lock);
    if (!atomic_load(&p->ended)) {
        if (p->count == p->cap) {
            uint32_t cap = p->cap ? p->cap * 2 : 4;
            kiln_instance **members = realloc(p->members, cap * sizeof *members);
            if (members) {
                p->members = members;
                p->cap = cap;
            }
        }
        if (p->count < p->cap) {
            p->members[p->count++] = i;
            result = 0;
        }
    }
    pthread_mutex_unlock(&w->lock);
    return result;
}

/* Records the end (taking `reason`); false if the program had ended already. With the lock held. */
static bool record_end_locked(struct wasi_process *p, kiln_error *reason)
{
    if (atomic_load(&p->ended))
        return false;
    p->reason = reason;
    atomic_store(&p->ended, true);
    return true;
}

/* Tells every thread of the program but `except`'s that it has ended: wakes the waits in
 * poll_oneoff and interrupts the members. With the lock held. */
static void stop_threads_locked(struct wasi_process *p, const kiln_instance *except)
{
    uint64_t one = 1;
    if (write(p->end_fd, &one, sizeof one) < 0) {
        /* An eventfd write fails only on counter overflow, and this is its only write. */
    }
    for (uint32_t k = 0; k < p->count; k++)
        if (p->members[k] != except)
            kiln_instance_interrupt(p->members[k]);
}

void kiln__wasi_process_leave(struct kiln_wasi *w, kiln_instance *i)
{
    struct wasi_process *p = w->process;
    pthread_mutex_lock(&w->lock);
    for (uint32_t k = 0; k < p->count; k++)
        if (p->members[k] == i) {
            p->members[k] = p->members[--p->count];
            break;
        }
    kiln_error *unused = NULL;
    if (p->first == i) {
        p->first = NULL;
        /* The threads must not outlive the program the host let go of. */
        kiln_error *freed = kiln__error_trap(KILN_TRAP_INTERRUPTED, 0);
        if (record_end_locked(p, freed))
            stop_threads_locked(p, NULL);
        else
            unused = freed;
    }
    pthread_mutex_unlock(&w->lock);
    kiln_error_free(unused);
}

kiln_error *kiln__wasi_call_failed(kiln_instance *owner, kiln_error *e)
{
    struct kiln_wasi *w = owner->wasi;
    if (!kiln__wasi_process_threaded(w))
        return e;
    struct wasi_process *p = w->process;
    pthread_mutex_lock(&w->lock);
    bool ended_here = record_end_locked(p, e);
    if (ended_here)
        e = NULL;
    kiln_error *end = kiln__error_copy(p->reason);
    pthread_mutex_unlock(&w->lock);
    kiln_error_free(e);
    if (ended_here) {
        /* The host hears first, before any other thread is woken to report the end too (the
         * reason lives as long as the state, which this thread's instance keeps). */
        if (p->on_end)
            p->on_end(p->reason, p->on_end_context);
        pthread_mutex_lock(&w->lock);
        stop_threads_locked(p, owner);
        pthread_mutex_unlock(&w->lock);
    }
    /* The call that noticed the end took the interrupt; later calls must fail as well. */
    kiln_instance_interrupt(owner);
    return end;
}

/* ---- spawning ---- */

typedef struct thread_start {
    kiln_instance *instance;
    kiln_func *entry;
    int32_t id, argument;
} thread_start;

static void *thread_main(void *arg)
{
    thread_start *s = arg;
    kiln_val args[2] = { { .kind = KILN_I32, .of.i32 = s->id }, { .kind = KILN_I32, .of.i32 = s->argument } };
    kiln_error *err = NULL;
    /* A failure has ended the program already (kiln__wasi_call_failed): nothing is left to report. */
    if (kiln_func_call(s->entry, args, 2, NULL, 0, &err) != 0)
        kiln_error_free(err);
    kiln_instance_free(s->instance);
    free(s);
    return NULL;
}

/* The exported wasi_thread_start, when it has the type (i32, i32) -> (). */
static kiln_func *thread_entry(kiln_instance *i)
{
    kiln_extern e;
    if (kiln_instance_export(i, THREAD_ENTRY, &e) != 0 || e.kind != KILN_EXTERN_FUNC)
        return NULL;
    kiln_func *f = e.of.func;
    bool typed = kiln_func_param_count(f) == 2 && kiln_func_param(f, 0) == KILN_I32
                 && kiln_func_param(f, 1) == KILN_I32 && kiln_func_result_count(f) == 0;
    return typed ? f : NULL;
}

/* The spawning thread's stack size: a thread of the program needs what its parent had. */
static size_t stack_bytes(void)
{
    pthread_attr_t attr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstacksize(&attr, &size);
        pthread_attr_destroy(&attr);
    }
    return size >= ((size_t)1 << 20) ? size : DEFAULT_STACK_BYTES;
}

static bool start_thread(thread_start *s)
{
    pthread_attr_t attr;
    pthread_t thread;
    if (pthread_attr_init(&attr) != 0)
        return false;
    bool started = pthread_attr_setstacksize(&attr, stack_bytes()) == 0
                   && pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0
                   && pthread_create(&thread, &attr, thread_main, s) == 0;
    pthread_attr_destroy(&attr);
    return started;
}

static int32_t spawn(kiln_instance *caller, int32_t argument)
{
    struct kiln_wasi *w = caller->wasi;
    struct wasi_process *p = w ? w->process : NULL;
    if (!p)
        return -1;
    pthread_mutex_lock(&w->lock);
    int32_t id = -1;
    if (!atomic_load(&p->ended) && p->next_thread_id <= MAX_THREAD_ID) {
        id = (int32_t)p->next_thread_id++;
        /* Before the new instance exists: a trap in its start function ends the program. */
        atomic_store(&p->threaded, true);
    }
    pthread_mutex_unlock(&w->lock);
    if (id < 0)
        return -1;
    kiln_error *err = NULL;
    kiln_instance *i = kiln__instance_new_sharing_wasi(caller->module, p->imports, w, &err);
    if (!i) {
        kiln_error_free(err);
        return -1;
    }
    thread_start *s = malloc(sizeof *s);
    kiln_func *entry = thread_entry(i);
    if (!s || !entry) {
        free(s);
        kiln_instance_free(i);
        return -1;
    }
    *s = (thread_start){ .instance = i, .entry = entry, .id = id, .argument = argument };
    if (!start_thread(s)) {
        free(s);
        kiln_instance_free(i);
        return -1;
    }
    return id;
}

int kiln__wasi_thread_spawn(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results)
{
    (void)env;
    results[0].of.i32 = spawn(caller, args[0].of.i32);
    return 0;
}
