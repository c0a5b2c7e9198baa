/* test_wasi_threads.c — wasi-threads (wasi_threads.wat): thread-spawn runs wasi_thread_start on
 * real threads, each in its own instance sharing the memory and the WASI state, and the program
 * ends as one: a trap or proc_exit in any thread is what the host's call returns, waits in
 * memory.atomic.wait and poll_oneoff end at once, and freeing the first instance stops the
 * threads, which then free their instances and let the module unload. */
#include "harness.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 8
#define ADDS 10000 /* $ADDS in the module */

/* WASI with the guest's stdout on `out` (-1: the test's own), and the module's shared memory. */
static kiln_imports *program_imports(kiln_module *m, int out)
{
    kiln_imports *im = kiln_imports_new();
    const char *argv[] = { "wasi_threads" };
    CHECK(kiln_imports_wasi(im, 1, argv) == 0);
    if (out >= 0)
        CHECK(kiln_imports_wasi_stdio(im, -1, out, 2) == 0);
    CHECK(kiln_imports_create_shared_memories(im, m) == 0);
    return im;
}

/* A program of its own: its module and first instance (the imports are freed at once: the
 * program keeps what its threads need). */
static kiln_instance *start_program(kiln_module **m, int out)
{
    *m = load(module_path("wasi_threads"));
    kiln_imports *im = program_imports(*m, out);
    kiln_instance *i = instantiate(*m, im);
    kiln_imports_free(im);
    return i;
}

/* Calls a function taking one i32 that is expected to fail; its error (the caller frees it). */
static kiln_error *failing_call(kiln_instance *i, const char *name, int32_t a)
{
    kiln_val args[1] = { { .kind = KILN_I32, .of.i32 = a } };
    kiln_val out[1];
    kiln_error *err = NULL;
    kiln_extern e;
    CHECK(kiln_instance_export(i, name, &e) == 0);
    size_t nargs = kiln_func_param_count(e.of.func), nresults = kiln_func_result_count(e.of.func);
    CHECK(kiln_func_call(e.of.func, args, nargs, out, nresults, &err) != 0);
    return err;
}

/* Whether the module's .so stays mapped longer than `seconds` after the host let go of it: its
 * threads' instances hold it until they end. */
static bool still_mapped_after(const char *so_name, double seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        if (!maps_contain(so_name))
            return false;
        usleep(2000);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
    return maps_contain(so_name);
}

static void test_threads_share_memory_and_descriptors(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/wasi_threads.out", scratch_dir);
    int out = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    CHECK(out >= 0);
    kiln_module *m;
    kiln_instance *i = start_program(&m, out);
    bool ok;
    CHECK(call_i32(i, "spawn_threads", 1, THREADS, 0, &ok) == THREADS && ok);
    CHECK(call_i32(i, "wait_threads", 1, THREADS, 0, &ok) == ADDS * THREADS * (THREADS + 1) / 2 && ok);
    /* Thread ids: distinct, from 1 up. */
    bool seen[THREADS + 1] = { false };
    for (int k = 0; k < THREADS; k++) {
        int32_t id = call_i32(i, "thread_id", 1, k, 0, &ok);
        CHECK(ok && id >= 1 && id <= THREADS && !seen[id]);
        if (id >= 1 && id <= THREADS)
            seen[id] = true;
    }
    /* Each thread wrote its line through the one descriptor table. */
    char text[THREADS * 10 + 1] = { 0 };
    CHECK(pread(out, text, sizeof text - 1, 0) == THREADS * 10);
    for (int k = 0; k < THREADS; k++) {
        char line[16];
        snprintf(line, sizeof line, "thread %02d\n", k);
        CHECK(strstr(text, line) != NULL);
    }
    kiln_instance_free(i);
    kiln_module_release(m);
    close(out);
}

static void test_a_trap_in_a_thread_ends_the_program(void)
{
    kiln_module *m;
    kiln_instance *i = start_program(&m, -1);
    bool ok;
    CHECK(call_i32(i, "spawn", 1, 1000, 0, &ok) > 0 && ok);
    /* The first instance waits forever; the thread's trap is what its call returns. */
    kiln_error *err = failing_call(i, "wait_forever", 0);
    CHECK(kiln_error_is_trap(err) && strstr(kiln_error_message(err), "unreachable"));
    kiln_error_free(err);
    /* The program has ended: every later call fails the same way. */
    err = failing_call(i, "thread_id", 0);
    CHECK(kiln_error_is_trap(err) && strstr(kiln_error_message(err), "unreachable"));
    kiln_error_free(err);
    kiln_instance_free(i);
    kiln_module_release(m);
}

struct end_seen {
    int calls, status;
    pthread_t thread;
};

static void note_end(const kiln_error *end, void *context)
{
    struct end_seen *seen = context;
    seen->status = -1;
    kiln_error_exit_status(end, &seen->status);
    seen->thread = pthread_self();
    __atomic_add_fetch(&seen->calls, 1, __ATOMIC_SEQ_CST);
}

/* ... and kiln_imports_wasi_on_end hears of it once, on the thread that called proc_exit. */
static void test_proc_exit_in_a_thread_ends_the_program(void)
{
    kiln_module *m = load(module_path("wasi_threads"));
    kiln_imports *im = program_imports(m, -1);
    struct end_seen seen = { 0 };
    CHECK(kiln_imports_wasi_on_end(im, note_end, &seen) == 0);
    kiln_instance *i = instantiate(m, im);
    kiln_imports_free(im);
    bool ok;
    CHECK(call_i32(i, "spawn", 1, 1001, 0, &ok) > 0 && ok);
    kiln_error *err = failing_call(i, "wait_forever", 0);
    int status = -1;
    CHECK(kiln_error_exit_status(err, &status) && status == 7);
    kiln_error_free(err);
    CHECK(__atomic_load_n(&seen.calls, __ATOMIC_SEQ_CST) == 1 && seen.status == 7);
    CHECK(!pthread_equal(seen.thread, pthread_self()));
    /* A later failing call is no new end. */
    kiln_error_free(failing_call(i, "thread_id", 0));
    CHECK(__atomic_load_n(&seen.calls, __ATOMIC_SEQ_CST) == 1);
    kiln_instance_free(i);
    kiln_module_release(m);
}

/* proc_exit on the first thread wakes a thread asleep in poll_oneoff and one waiting in
 * memory.atomic.wait: both end, and the module unloads once the host frees it. */
static void test_proc_exit_wakes_sleeping_threads(void)
{
    kiln_module *m;
    kiln_instance *i = start_program(&m, -1);
    bool ok;
    CHECK(call_i32(i, "spawn", 1, 1003, 0, &ok) > 0 && ok);
    CHECK(call_i32(i, "spawn", 1, 1002, 0, &ok) > 0 && ok);
    usleep(50 * 1000); /* let them start waiting */
    kiln_error *err = failing_call(i, "exit", 3);
    int status = -1;
    CHECK(kiln_error_exit_status(err, &status) && status == 3);
    kiln_error_free(err);
    kiln_instance_free(i);
    kiln_module_release(m);
    CHECK(!still_mapped_after("wasi_threads.so", 5.0));
}

static void note_imports_freed(void *flag)
{
    __atomic_store_n((int *)flag, 1, __ATOMIC_SEQ_CST);
}

/* ... and the program keeps its imports (the host's functions) until its last thread is gone. */
static void test_freeing_the_first_instance_stops_the_threads(void)
{
    kiln_module *m = load(module_path("wasi_threads"));
    kiln_imports *im = program_imports(m, -1);
    int imports_freed = 0;
    CHECK(kiln_imports_on_free(im, note_imports_freed, &imports_freed) == 0);
    kiln_instance *i = instantiate(m, im);
    kiln_imports_free(im);
    bool ok;
    CHECK(call_i32(i, "spawn", 1, 1002, 0, &ok) > 0 && ok);
    CHECK(call_i32(i, "spawn", 1, 1003, 0, &ok) > 0 && ok);
    usleep(20 * 1000);
    CHECK(__atomic_load_n(&imports_freed, __ATOMIC_SEQ_CST) == 0);
    kiln_instance_free(i);
    kiln_module_release(m);
    CHECK(!still_mapped_after("wasi_threads.so", 5.0));
    CHECK(__atomic_load_n(&imports_freed, __ATOMIC_SEQ_CST) == 1);
}

static void test_spawn_without_an_entry_point_fails(void)
{
    kiln_module *m = load(module_path("wasi_threads_no_entry"));
    kiln_imports *im = program_imports(m, -1);
    kiln_instance *i = instantiate(m, im);
    bool ok;
    CHECK(call_i32(i, "spawn", 1, 0, 0, &ok) == -1 && ok);
    kiln_instance_free(i);
    kiln_imports_free(im);
    kiln_module_release(m);
}

/* kiln_imports_create_shared_memories keeps a memory the host bound itself. */
static void test_a_memory_of_the_hosts_own_is_kept(void)
{
    kiln_module *m = load(module_path("wasi_threads"));
    kiln_imports *im = kiln_imports_new();
    const char *argv[] = { "wasi_threads" };
    CHECK(kiln_imports_wasi(im, 1, argv) == 0);
    kiln_error *err = NULL;
    kiln_memory *memory = kiln_memory_new_shared(1, 1, &err);
    CHECK(memory != NULL);
    kiln_imports_extern(im, "env", "memory", (kiln_extern){ .kind = KILN_EXTERN_MEMORY, .of.memory = memory });
    CHECK(kiln_imports_create_shared_memories(im, m) == 0);
    int32_t marker = 123456;
    memcpy(kiln_memory_base(memory) + 256, &marker, sizeof marker);
    kiln_instance *i = instantiate(m, im);
    bool ok;
    CHECK(call_i32(i, "thread_id", 1, 0, 0, &ok) == marker && ok);
    kiln_instance_free(i);
    kiln_memory_release(memory);
    kiln_imports_free(im);
    kiln_module_release(m);
}

void test_wasi_threads(void)
{
    test_threads_share_memory_and_descriptors();
    test_a_trap_in_a_thread_ends_the_program();
    test_proc_exit_in_a_thread_ends_the_program();
    test_spawn_without_an_entry_point_fails();
    test_a_memory_of_the_hosts_own_is_kept();
    /* Last: they check that the module unloads, which needs every other handle on it closed. */
    test_proc_exit_wakes_sleeping_threads();
    test_freeing_the_first_instance_stops_the_threads();
}
