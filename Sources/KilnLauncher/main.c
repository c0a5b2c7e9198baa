/* main.c — `kiln`: decides between running a warm case here and exec'ing kiln-full (launcher.h).
 *
 * KILN_LAUNCHER_TRACE=1 prints one line on stderr saying which it did, and why it handed over: a
 * diagnostic, not an interface. */
#include "launcher.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* KilnCommand's subcommands and ArgumentParser's `help`: a first word that names one is never a
 * module (`kiln prog.wasm` is `kiln run prog.wasm` only for other words). */
static int is_subcommand(const char *word)
{
    static const char *const names[] = {"compile", "run", "bench", "wast", "cache", "help"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(word, names[i]) == 0)
            return 1;
    return 0;
}

typedef enum { module_other, module_shared_object, module_wasm } module_kind;

/* isSharedObject's ELF magic, or a binary .wasm as readModule tells it (the magic, and not named
 * .wat); text and anything unreadable go to kiln-full. */
static module_kind classify(const char *path)
{
    unsigned char magic[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return module_other;
    ssize_t n = read(fd, magic, sizeof magic);
    close(fd);
    if (n != 4)
        return module_other;
    if (memcmp(magic, "\x7f" "ELF", 4) == 0)
        return module_shared_object;
    size_t length = strlen(path);
    if (memcmp(magic, "\0asm", 4) == 0 && !(length >= 4 && strcasecmp(path + length - 4, ".wat") == 0))
        return module_wasm;
    return module_other;
}

/* A .so from `kiln compile` is loaded by absolute path (dlopen looks a bare name up in the library
 * path), with no cache. */
static kiln_module *load_shared_object(const char *path, const char **reason)
{
    char absolute[8192];
    if (path[0] == '/') {
        snprintf(absolute, sizeof absolute, "%s", path);
    } else {
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd) == NULL) {
            *reason = "no working directory";
            return NULL;
        }
        snprintf(absolute, sizeof absolute, "%s/%s", cwd, path);
    }
    kiln_module *module = kiln_module_load(absolute, NULL);
    if (module == NULL)
        *reason = "the loader refused the shared object";
    return module;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        trace("kiln: launcher: running --version");
        print_version();
        return 0;
    }
    if (argc < 2)
        exec_full(argv, "no arguments");
    int first;
    if (strcmp(argv[1], "run") == 0)
        first = 2;
    else if (argv[1][0] != '-' && !is_subcommand(argv[1]))
        first = 1; /* `kiln prog.wasm ARGS...` */
    else
        exec_full(argv, "not a run");

    run_request request;
    const char *reason = NULL;
    if (parse_run(argv + first, argc - first, &request, &reason) != 0)
        exec_full(argv, reason);
    module_kind kind = classify(request.module);
    if (kind == module_other)
        exec_full(argv, "not a binary .wasm or a .so");
    /* Imports first: a --dir that fails sends the run to kiln-full before a hit is counted. */
    kiln_imports *imports = guest_imports(&request, &reason);
    if (imports == NULL)
        exec_full(argv, reason);
    kiln_module *module = kind == module_shared_object ? load_shared_object(request.module, &reason)
                                                       : load_warm_entry(request.module, &reason);
    if (module == NULL)
        exec_full(argv, reason);
    trace("kiln: launcher: running %s (%s)", request.module,
          kind == module_shared_object ? "shared object" : "warm cache hit");
    run_guest(module, imports, &request, argv);
}
