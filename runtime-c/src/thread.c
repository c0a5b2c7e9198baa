/* thread.c — per-thread state: the armed-frame chain, the stack limit (and the host's cap on it,
 * kiln_thread_max_stack) and the alternate signal stack. Set up lazily on a thread's first call
 * into Wasm. */
#include "internal.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

__thread kiln_thread kiln__tls __attribute__((tls_model("initial-exec")));

/* Room left below the stack limit for host callbacks, the runtime and the trap path. */
#define STACK_MARGIN (256u * 1024u)
#define ALTSTACK_SIZE (64u * 1024u)

static pthread_key_t altstack_key;
static pthread_once_t altstack_once = PTHREAD_ONCE_INIT;

/* Runs at thread exit on the exiting thread: the kernel must stop using the stack before it goes. */
static void altstack_destroy(void *mem)
{
    stack_t ss = { .ss_flags = SS_DISABLE };
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == (char *)mem + 4096)
        sigaltstack(&ss, NULL);
    munmap(mem, ALTSTACK_SIZE + 4096);
}

static void altstack_key_create(void)
{
    pthread_key_create(&altstack_key, altstack_destroy);
}

/* The SIGSEGV handler must run somewhere other than the stack that overflowed. A stack the host
 * (or another runtime in the process) already installed is kept. */
static void altstack_ensure(void)
{
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) && cur.ss_size >= (size_t)MINSIGSTKSZ)
        return;
    pthread_once(&altstack_once, altstack_key_create);
    /* One guard page below, so an overflow of the handler itself faults instead of corrupting. */
    void *mem = mmap(NULL, ALTSTACK_SIZE + 4096, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return;
    mprotect(mem, 4096, PROT_NONE);
    stack_t ss = { .ss_sp = (char *)mem + 4096, .ss_size = ALTSTACK_SIZE, .ss_flags = 0 };
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(mem, ALTSTACK_SIZE + 4096);
        return;
    }
    pthread_setspecific(altstack_key, mem);
}

static void stack_bounds(kiln_thread *t)
{
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &addr, &size);
        pthread_attr_destroy(&attr);
    }
    if (!addr || !size) {
        /* Unknown bounds: assume 1 MiB below the current frame, which every sane thread has. */
        uintptr_t here = (uintptr_t)__builtin_frame_address(0);
        size = 1u << 20;
        addr = (void *)(here - size + 4096);
    }
    t->stack_lo = (uintptr_t)addr;
    t->stack_hi = (uintptr_t)addr + size;
    /* Small thread stacks keep three quarters for Wasm rather than none at all. */
    size_t margin = size / 4 < STACK_MARGIN ? size / 4 : STACK_MARGIN;
    t->stack_floor = t->stack_lo + margin;
    t->stack_limit = t->stack_floor;
}

size_t kiln_thread_max_stack(size_t bytes)
{
    kiln_thread *t = kiln__thread();
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    uintptr_t limit = t->stack_floor;
    if (bytes != 0 && here > t->stack_floor && here - t->stack_floor > bytes)
        limit = here - bytes;
    /* kiln__invoke hands the new value to an instance's vmctx at its next call. */
    t->stack_limit = limit;
    return here > limit ? here - limit : 0;
}

void kiln__thread_setup(kiln_thread *t)
{
    kiln__signals_install();
    altstack_ensure();
    stack_bounds(t);
    t->ready = true;
}
