/* harness.h — what the embedding tests share: checks counted across forked test groups, paths of
 * the modules `kiln compile` built for the run, and probes of the process (RSS, mappings). */
#ifndef EMBEDDING_HARNESS_H
#define EMBEDDING_HARNESS_H

#include <stdbool.h>
#include <stdio.h>

#include "kiln.h"

/* Counters live in a MAP_SHARED page: each group runs in its own child process (so RSS and
 * mapping probes see only that group), and the parent still sees every check. */
struct counts {
    long passed, failed;
};
extern struct counts *counts;

#define CHECK(cond)                                                                              \
    do {                                                                                         \
        if (cond) {                                                                              \
            __atomic_add_fetch(&counts->passed, 1, __ATOMIC_RELAXED);                            \
        } else {                                                                                 \
            __atomic_add_fetch(&counts->failed, 1, __ATOMIC_RELAXED);                            \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);                  \
        }                                                                                        \
    } while (0)

/* Set by main from the command line. */
extern const char *kiln_binary;   /* the compiler, for tests that recompile at run time */
extern const char *wat_dir;       /* the .wat sources */
extern const char *module_dir;    /* the .so files the Makefile compiled from them */
extern const char *scratch_dir;   /* a private directory for files a test writes */

/* module_dir/name.so (a static buffer per call slot: keep at most 4 alive at once). */
const char *module_path(const char *name);
/* Runs `kiln compile wat_dir/wat_name.wat -o out`; true on success. */
bool compile_wat(const char *wat_name, const char *out);

/* Loads and instantiates, failing the check (and returning NULL) with the error printed. */
kiln_module *load(const char *path);
kiln_instance *instantiate(kiln_module *m, const kiln_imports *imports);

/* Calls an export taking up to two i32 and returning at most one i32. *ok receives success. */
int32_t call_i32(kiln_instance *i, const char *name, int nargs, int32_t a, int32_t b, bool *ok);
/* The trap message of a call expected to trap, or NULL when it did not trap (static buffer). */
const char *call_trap(kiln_instance *i, const char *name, int nargs, int32_t a);

/* False under valgrind (EMBEDDING_SKIP_RSS set), whose own memory use hides the process's. */
bool rss_meaningful(void);
/* Resident set size in bytes, from /proc/self/statm. */
long rss_bytes(void);
/* True if a line of /proc/self/maps contains needle. */
bool maps_contain(const char *needle);

#endif
