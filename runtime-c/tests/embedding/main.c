/* main.c — runs the embedding test groups, each in its own child process.
 *
 *   embedding_test KILN WAT_DIR MODULE_DIR SCRATCH_DIR [group...]
 *
 * A group runs in a fresh process so that its RSS and /proc/self/maps probes see only its own
 * work, and so that a crash fails that group instead of hiding the others. Prints
 * "N passed, N failed" and exits non-zero when any check failed or any group crashed. */
#define _GNU_SOURCE
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

void test_reload(void);
void test_release(void);
void test_cycles(void);
void test_memory_grow(void);
void test_threads(void);
void test_shared_memory(void);
void test_host(void);
void test_backtrace(void);
void test_trap_loop(void);
void test_exceptions(void);
void test_stack_limit(void);
void test_wasi_threads(void);

static const struct {
    const char *name;
    void (*run)(void);
} groups[] = {
    { "reload", test_reload },
    { "release", test_release },
    { "cycles", test_cycles },
    { "memory_grow", test_memory_grow },
    { "threads", test_threads },
    { "shared_memory", test_shared_memory },
    { "host", test_host },
    { "backtrace", test_backtrace },
    { "trap_loop", test_trap_loop },
    { "exceptions", test_exceptions },
    { "stack_limit", test_stack_limit },
    { "wasi_threads", test_wasi_threads },
};

static bool selected(const char *name, int argc, char **argv)
{
    if (argc <= 5)
        return true;
    for (int k = 5; k < argc; k++)
        if (strcmp(argv[k], name) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s KILN WAT_DIR MODULE_DIR SCRATCH_DIR [group...]\n", argv[0]);
        return 2;
    }
    kiln_binary = argv[1];
    wat_dir = argv[2];
    module_dir = argv[3];
    scratch_dir = argv[4];
    counts = mmap(NULL, sizeof *counts, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counts == MAP_FAILED)
        return 2;
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
        if (!selected(groups[g].name, argc, argv))
            continue;
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            groups[g].run();
            exit(0); /* exit, not _exit: leak checkers report at exit */
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "group %s: crashed or failed (status 0x%x)\n", groups[g].name, status);
            counts->failed++;
        } else {
            fprintf(stderr, "group %s: done\n", groups[g].name);
        }
    }
    printf("%ld passed, %ld failed\n", counts->passed, counts->failed);
    return counts->failed ? 1 : 0;
}
