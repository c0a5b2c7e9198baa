/* signals.c — turns hardware faults raised by Wasm code into traps.
 *
 * A fault becomes a trap only when this thread has an armed call frame AND the address is either
 * inside a live linear-memory reservation (an out-of-bounds access landing in the guard region) or
 * in the guard area just below this thread's stack (recursion that outran the stack_limit check).
 * Anything else is a real crash of the host: it goes to the handler that was installed before ours,
 * or, for the default action, the handler is restored and the faulting instruction re-executes so
 * the process dies exactly as it would have without Kiln. */
#include "internal.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

static struct sigaction previous[2];   /* SIGSEGV, SIGBUS */
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

/* Below stack_lo lies the guard page(s); a frame bigger than one page can skip further. */
#define STACK_GUARD_REACH (1u << 20)

static struct sigaction *previous_for(int sig)
{
    return &previous[sig == SIGBUS];
}

static bool is_stack_overflow(const kiln_thread *t, uintptr_t addr)
{
    return t->ready && addr < t->stack_lo + 4096 && addr + STACK_GUARD_REACH >= t->stack_lo;
}

static void forward(int sig, siginfo_t *info, void *uctx)
{
    struct sigaction *prev = previous_for(sig);
    if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction) {
        prev->sa_sigaction(sig, info, uctx);
        return;
    }
    if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
        prev->sa_handler(sig);
        return;
    }
    sigaction(sig, prev, NULL);
    /* A synchronous fault re-executes and now takes the default action; one sent by kill() would
     * not come back, so send it again. */
    if (info->si_code <= 0)
        raise(sig);
}

static void on_fault(int sig, siginfo_t *info, void *uctx)
{
    kiln_thread *t = &kiln__tls;
    uintptr_t addr = (uintptr_t)info->si_addr;
    if (t->top && info->si_code > 0) {
        if (kiln__reservation_contains(addr))
            kiln__raise(KILN_TRAP_MEMORY_OUT_OF_BOUNDS, 0);
        if (is_stack_overflow(t, addr))
            kiln__raise(KILN_TRAP_STACK_EXHAUSTED, 0);
    }
    forward(sig, info, uctx);
}

static void install(void)
{
    kiln__backtrace_warm_up();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    /* SA_NODEFER: the handler leaves by siglongjmp to a frame armed with sigsetjmp(jb, 0) (no mask
     * saved, to keep the call path free of syscalls), so the signal must not stay blocked. */
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous[0]);
    sigaction(SIGBUS, &sa, &previous[1]);
}

void kiln__signals_install(void)
{
    pthread_once(&install_once, install);
}
