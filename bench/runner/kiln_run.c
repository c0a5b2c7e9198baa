/*
 * kiln_run.c — runs a WASI command that `kiln compile` turned into a shared object, for the
 * benchmark suite (scripts/bench-suite).
 *
 *   kiln_run MODULE.so [ARG...]
 *
 * Loads the module, binds WASI (the guest's argv is MODULE.so's base name, then ARG...; stdio is
 * the host's, the current directory is preopened as "."), instantiates it and calls _start. The
 * exit status is the guest's (proc_exit status, 0 when _start returns), 70 on a trap and 71 when
 * the module cannot be loaded or instantiated. It prints "kiln-run-seconds: S" on stderr, the wall
 * time of instantiate + _start measured with clock_gettime(CLOCK_MONOTONIC), for reference; the
 * suite itself compares the time each program measures around its own workload.
 */
#include "kiln.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: kiln_run MODULE.so [ARG...]\n");
        return 2;
    }
    kiln_error *err = NULL;
    kiln_module *m = kiln_module_load(argv[1], &err);
    if (!m) {
        fprintf(stderr, "kiln_run: load %s: %s\n", argv[1], kiln_error_message(err));
        return 71;
    }
    const char *name = strrchr(argv[1], '/');
    name = name ? name + 1 : argv[1];
    const char **guest_argv = calloc((size_t)argc, sizeof *guest_argv);
    guest_argv[0] = name;
    for (int i = 2; i < argc; i++)
        guest_argv[i - 1] = argv[i];
    kiln_imports *im = kiln_imports_new();
    if (kiln_imports_wasi(im, argc - 1, guest_argv) != 0 || kiln_imports_wasi_preopen(im, ".", ".") != 0) {
        fprintf(stderr, "kiln_run: cannot configure WASI\n");
        return 71;
    }

    double start = now();
    kiln_instance *inst = kiln_instance_new(m, im, &err);
    if (!inst) {
        fprintf(stderr, "kiln_run: instantiate: %s\n", kiln_error_message(err));
        return 71;
    }
    int status = 0;
    if (kiln_call(inst, "_start", NULL, 0, NULL, 0, &err) != 0) {
        if (!kiln_error_exit_status(err, &status)) {
            fprintf(stderr, "kiln_run: trap: %s\n", kiln_error_message(err));
            status = 70;
        }
        kiln_error_free(err);
    }
    double elapsed = now() - start;
    fflush(stdout);
    fprintf(stderr, "kiln-run-seconds: %.6f\n", elapsed);

    kiln_instance_free(inst);
    kiln_imports_free(im);
    kiln_module_release(m);
    free(guest_argv);
    return status;
}
