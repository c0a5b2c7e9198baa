/* threads_sum.c — a wasm32-wasi-threads program as clang and wasm-ld build one (shared imported
 * memory, passive data applied once by __wasm_init_memory, thread-local storage, atomics), without
 * a threads-enabled libc, which Debian does not ship: thread_entry.s stands in for wasi-libc's
 * wasi_thread_start, and the program calls WASI directly.
 *
 * Four threads each add up every fourth number of a shared array on their own stack, add their
 * part to the total atomically, record their index in a thread-local variable and print
 * "thread K"; the first thread waits for them with memory.atomic.wait32 and prints the total,
 * 7 * (0 + 1 + ... + 99999) = 34999650000. Exit status 2: a spawn failed; 3: the first thread's
 * thread-local variable was overwritten. Built by scripts/build-wasi-tests, run by
 * scripts/test-cli-wasi. */
#include <stdint.h>

__attribute__((import_module("wasi"), import_name("thread-spawn"))) int32_t thread_spawn(void *start);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write")))
int32_t fd_write(int32_t fd, const void *iovs, int32_t n, int32_t *written);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) _Noreturn void proc_exit(int32_t);
extern void __wasm_init_tls(void *);

#define THREADS 4
#define N 100000
#define STACK 16384

/* The start argument: thread_entry.s reads stack_top first. */
struct start {
    uint32_t stack_top;
    int index;
    int32_t tid;
};
static struct start starts[THREADS];
static _Alignas(16) char stacks[THREADS][STACK];
static _Alignas(16) char tls_blocks[THREADS + 1][64];
static _Thread_local int my_index = -1;
static uint32_t numbers[N];
static uint64_t total;
static int running;

static void put(const char *text, int length)
{
    struct { const char *base; int32_t length; } iovec = { text, length };
    int32_t written;
    fd_write(1, &iovec, 1, &written);
}

/* Writes v in decimal at out; the number of digits. */
static int decimal(char *out, uint64_t v)
{
    char reversed[24];
    int n = 0;
    do {
        reversed[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int k = 0; k < n; k++)
        out[k] = reversed[n - 1 - k];
    return n;
}

void thread_main_c(int32_t tid, struct start *s)
{
    __wasm_init_tls(tls_blocks[s->index + 1]);
    my_index = s->index;
    s->tid = tid;
    volatile uint64_t partial = 0;  /* on this thread's own stack */
    for (int k = my_index; k < N; k += THREADS)
        partial += numbers[k];
    __atomic_fetch_add(&total, partial, __ATOMIC_SEQ_CST);
    char line[64] = "thread ";
    int n = 7;
    n += decimal(line + n, (uint64_t)my_index);
    line[n++] = '\n';
    put(line, n);
    __atomic_fetch_sub(&running, 1, __ATOMIC_SEQ_CST);
    __builtin_wasm_memory_atomic_notify(&running, 1);
}

void _start(void)
{
    __wasm_init_tls(tls_blocks[0]);
    my_index = 100;
    for (int k = 0; k < N; k++)
        numbers[k] = (uint32_t)k * 7u;
    running = THREADS;
    for (int t = 0; t < THREADS; t++) {
        starts[t].stack_top = (uint32_t)(uintptr_t)(stacks[t] + STACK);
        starts[t].index = t;
        if (thread_spawn(&starts[t]) <= 0)
            proc_exit(2);
    }
    for (;;) {
        int r = __atomic_load_n(&running, __ATOMIC_SEQ_CST);
        if (r == 0)
            break;
        __builtin_wasm_memory_atomic_wait32(&running, r, -1);
    }
    char line[64] = "total ";
    int n = 6;
    n += decimal(line + n, total);
    line[n++] = '\n';
    put(line, n);
    /* The main thread's TLS is its own. */
    if (my_index != 100)
        proc_exit(3);
}
