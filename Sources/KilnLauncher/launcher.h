/* launcher.h — `kiln`, the small C launcher in front of kiln-full (the Swift command line).
 *
 * It runs the warm cases itself, without loading Swift, Foundation or LLVM: `kiln run` (or
 * `kiln MODULE`) of a .so from `kiln compile` or of a binary .wasm whose optimised entry the warm
 * index names (CKilnCache/include/kiln_warm_index.h), with only --dir, --env, --inherit-env and
 * --max-memory, and `kiln --version`. Everything else, and any failure before guest code starts,
 * is exec'd to kiln-full with argv unchanged, which then reports errors as it always has. */
#ifndef KILN_LAUNCHER_H
#define KILN_LAUNCHER_H

#include <stddef.h>
#include <stdint.h>

#include "kiln.h"

/* Replaces this process with kiln-full (beside this executable), argv unchanged. `reason` is for
 * the KILN_LAUNCHER_TRACE line. Returns only if the exec failed, after saying so. */
_Noreturn void exec_full(char **argv, const char *reason);
/* With KILN_LAUNCHER_TRACE set (and not "0"), one diagnostic line on stderr. */
void trace(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* A `kiln run` the launcher understood. */
typedef struct {
    const char *module;          /* the path as given: the guest's argv[0] */
    char **guest_args;           /* after the module (less a leading "--") */
    int guest_argc;
    const char **dirs;           /* --dir values, in order */
    int dir_count;
    const char **envs;           /* --env values, in order */
    int env_count;
    int inherit_env;
    uint64_t max_memory;         /* 0: none */
} run_request;

/* Parses `kiln run ARGS` from args[0..count). 0 if the launcher can run it itself; -1 if it must
 * go to kiln-full (an option it does not know, a value it would have to guess about), with
 * *reason set. The arrays are allocated for the life of the process. */
int parse_run(char **args, int count, run_request *request, const char **reason);

/* SizeText.parse's syntax ("65536", "64M", "1GiB", "1.5G"), restricted to what is parsed the
 * same way without doubt; 0 and anything else is -1 (kiln-full then reports it). */
int parse_size(const char *text, uint64_t *bytes);

/* The guest's imports: WASI with the request's argv, environment and preopens, and the memory cap.
 * NULL (nothing has run yet) if kiln-full should handle it, with *reason set. */
kiln_imports *guest_imports(const run_request *request, const char **reason);

/* The optimised cache entry for the binary wasm at `path` through the warm index, verified and
 * loaded, with the hit counted and the entry's last use refreshed. NULL with *reason set on any
 * miss or doubt. */
kiln_module *load_warm_entry(const char *path, const char **reason);

/* Instantiates and runs the guest's _start, then exits as kiln-full would: the program's exit
 * status, 134 after a trap (with TrapReport's text on stderr). Execs kiln-full instead when
 * instantiation fails before any guest code ran. */
_Noreturn void run_guest(kiln_module *module, kiln_imports *imports, const run_request *request, char **argv);

/* `kiln --version`, exactly as kiln-full prints it. */
void print_version(void);

#endif
