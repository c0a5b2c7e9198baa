/* reload.c — a C host that loads a precompiled module, calls it, reloads a new version and
 * unloads both: the example of docs/embedding.md, built and run by `make examples-embedding`.
 *
 *   reload MODULE.so REBUILD-COMMAND...
 *
 * MODULE.so exports "version" and "bump" (examples/reload/v1.wat and v2.wat). The host loads it,
 * calls it, runs REBUILD-COMMAND (here `kiln compile v2.wat -o MODULE.so`: the compiler replaces
 * the file atomically, so the running code is never overwritten), loads the new version, and shows
 * that the old instance kept its own code and state until it is freed. */
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>

#include "kiln.h"

extern char **environ;

/* Calls a () -> i32 export; prints the error and returns -1 on failure (a trap included). */
static int call(kiln_instance *instance, const char *name)
{
    kiln_val result;
    kiln_error *err = NULL;
    if (kiln_call(instance, name, NULL, 0, &result, 1, &err) != 0) {
        fprintf(stderr, "%s: %s\n", name, kiln_error_message(err));
        kiln_error_free(err);
        return -1;
    }
    return result.of.i32;
}

static kiln_instance *load_and_instantiate(const char *path, kiln_module **module)
{
    kiln_error *err = NULL;
    *module = kiln_module_load(path, &err);
    kiln_instance *instance = *module ? kiln_instance_new(*module, NULL, &err) : NULL;
    if (!instance) {
        fprintf(stderr, "%s: %s\n", path, kiln_error_message(err));
        kiln_error_free(err);
        kiln_module_release(*module);
    }
    return instance;
}

static int run(char **argv)
{
    pid_t pid;
    int status;
    if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s MODULE.so REBUILD-COMMAND...\n", argv[0]);
        return 2;
    }
    const char *path = argv[1];

    kiln_module *old_module;
    kiln_instance *old = load_and_instantiate(path, &old_module);
    if (!old)
        return 1;
    call(old, "bump");
    printf("old: version %d, counter %d\n", call(old, "version"), call(old, "bump"));

    if (run(argv + 2) != 0) {
        fprintf(stderr, "rebuild failed\n");
        return 1;
    }

    /* Loading the same path again gives the new code, with fresh state. */
    kiln_module *new_module;
    kiln_instance *fresh = load_and_instantiate(path, &new_module);
    if (!fresh)
        return 1;
    printf("new: version %d, counter %d\n", call(fresh, "version"), call(fresh, "bump"));

    /* The old instance still runs its own code, on its own state. */
    printf("old: version %d, counter %d\n", call(old, "version"), call(old, "bump"));

    /* Unload the old version: free its instances, release its module. Its code and memory are
     * unmapped here, and the new version is untouched. */
    kiln_instance_free(old);
    kiln_module_release(old_module);
    printf("new: version %d, counter %d\n", call(fresh, "version"), call(fresh, "bump"));

    kiln_instance_free(fresh);
    kiln_module_release(new_module);
    return 0;
}
