/* harness.c — helpers of harness.h. */
#define _GNU_SOURCE
#include "harness.h"

#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct counts *counts;
const char *kiln_binary, *wat_dir, *module_dir, *scratch_dir;

const char *module_path(const char *name)
{
    static __thread char slots[4][4096]; /* per thread: threads load modules concurrently */
    static __thread int next;
    char *p = slots[next++ & 3];
    snprintf(p, sizeof slots[0], "%s/%s.so", module_dir, name);
    return p;
}

bool compile_wat(const char *wat_name, const char *out)
{
    char src[4096];
    snprintf(src, sizeof src, "%s/%s.wat", wat_dir, wat_name);
    /* EMBEDDING_CPU=generic for runs under valgrind, whose virtual CPU lacks e.g. AVX-512. */
    const char *cpu = getenv("EMBEDDING_CPU");
    char *argv[] = { (char *)kiln_binary, "compile", src, "-o", (char *)out,
                     cpu ? "--cpu" : NULL, (char *)cpu, NULL };
    pid_t pid;
    if (posix_spawn(&pid, kiln_binary, NULL, NULL, argv, environ) != 0)
        return false;
    int status;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

kiln_module *load(const char *path)
{
    kiln_error *err = NULL;
    kiln_module *m = kiln_module_load(path, &err);
    if (!m)
        fprintf(stderr, "load %s: %s\n", path, kiln_error_message(err));
    kiln_error_free(err);
    CHECK(m != NULL);
    return m;
}

kiln_instance *instantiate(kiln_module *m, const kiln_imports *imports)
{
    kiln_error *err = NULL;
    kiln_instance *i = m ? kiln_instance_new(m, imports, &err) : NULL;
    if (!i && m)
        fprintf(stderr, "instantiate: %s\n", kiln_error_message(err));
    kiln_error_free(err);
    CHECK(i != NULL);
    return i;
}

static int call_raw(kiln_instance *i, const char *name, int nargs, int32_t a, int32_t b, kiln_val *out,
                    kiln_error **err)
{
    kiln_val args[2] = { { .kind = KILN_I32, .of.i32 = a }, { .kind = KILN_I32, .of.i32 = b } };
    kiln_extern ex;
    size_t nresults = 0;
    if (kiln_instance_export(i, name, &ex) == 0 && ex.kind == KILN_EXTERN_FUNC)
        nresults = kiln_func_result_count(ex.of.func);
    return kiln_call(i, name, args, (size_t)nargs, out, nresults, err);
}

int32_t call_i32(kiln_instance *i, const char *name, int nargs, int32_t a, int32_t b, bool *ok)
{
    kiln_val out[1] = { { .kind = KILN_I32, .of.i32 = 0 } };
    kiln_error *err = NULL;
    int rc = i ? call_raw(i, name, nargs, a, b, out, &err) : -1;
    if (rc != 0 && i)
        fprintf(stderr, "call %s: %s\n", name, kiln_error_message(err));
    kiln_error_free(err);
    if (ok)
        *ok = rc == 0;
    return out[0].of.i32;
}

const char *call_trap(kiln_instance *i, const char *name, int nargs, int32_t a)
{
    static __thread char message[256];
    kiln_val out[1];
    kiln_error *err = NULL;
    if (!i || call_raw(i, name, nargs, a, 0, out, &err) == 0)
        return NULL;
    snprintf(message, sizeof message, "%s%s", kiln_error_is_trap(err) ? "" : "(not a trap) ",
             kiln_error_message(err));
    kiln_error_free(err);
    return message;
}

bool rss_meaningful(void)
{
    return getenv("EMBEDDING_SKIP_RSS") == NULL;
}

long rss_bytes(void)
{
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * sysconf(_SC_PAGESIZE);
}

bool maps_contain(const char *needle)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[4096];
    bool found = false;
    while (f && !found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    if (f)
        fclose(f);
    return found;
}
