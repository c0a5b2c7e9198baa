/* kiln_bench.c — the Kiln side of scripts/bench-embedding.
 *
 *   kiln_bench nop.so
 *
 * Prints "metric nanoseconds" lines (median of BATCHES batches): load (kiln_module_load),
 * instantiate (kiln_instance_new of a module with a 1-page memory), free (kiln_instance_free),
 * call (kiln_call of a trivial export by name), call_func (kiln_func_call on a looked-up
 * export) and unload (kiln_module_release with no instance left: the dlclose). */
#include <stdio.h>

#include "bench_clock.h"
#include "kiln.h"

#define OPS 64            /* instances or modules alive at once within one batch */
#define CALLS 200000      /* calls per batch */

static void die(const char *what, kiln_error *err)
{
    fprintf(stderr, "%s: %s\n", what, kiln_error_message(err));
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s nop.so\n", argv[0]);
        return 2;
    }
    kiln_error *err = NULL;
    double load[BATCHES], unload[BATCHES], inst[BATCHES], freeing[BATCHES], call[BATCHES], fcall[BATCHES];

    for (int b = 0; b < BATCHES; b++) {
        /* Load and unload one at a time: the same path loaded OPS times would only bump the
         * loader's reference count after the first. */
        uint64_t tl = 0, tu = 0;
        for (int k = 0; k < 8; k++) {
            uint64_t t0 = now_ns();
            kiln_module *m = kiln_module_load(argv[1], &err);
            uint64_t t1 = now_ns();
            if (!m)
                die("load", err);
            kiln_module_release(m);
            tu += now_ns() - t1;
            tl += t1 - t0;
        }
        load[b] = tl / 8.0;
        unload[b] = tu / 8.0;
    }

    kiln_module *m = kiln_module_load(argv[1], &err);
    if (!m)
        die("load", err);
    kiln_instance *instances[OPS];
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = now_ns();
        for (int k = 0; k < OPS; k++)
            if (!(instances[k] = kiln_instance_new(m, NULL, &err)))
                die("instantiate", err);
        uint64_t t1 = now_ns();
        for (int k = 0; k < OPS; k++)
            kiln_instance_free(instances[k]);
        uint64_t t2 = now_ns();
        inst[b] = (double)(t1 - t0) / OPS;
        freeing[b] = (double)(t2 - t1) / OPS;
    }

    kiln_instance *i = kiln_instance_new(m, NULL, &err);
    if (!i)
        die("instantiate", err);
    kiln_extern ex;
    if (kiln_instance_export(i, "nop", &ex) != 0)
        die("export", NULL);
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = now_ns();
        for (int k = 0; k < CALLS; k++)
            if (kiln_call(i, "nop", NULL, 0, NULL, 0, &err) != 0)
                die("call", err);
        uint64_t t1 = now_ns();
        for (int k = 0; k < CALLS; k++)
            if (kiln_func_call(ex.of.func, NULL, 0, NULL, 0, &err) != 0)
                die("call", err);
        uint64_t t2 = now_ns();
        call[b] = (double)(t1 - t0) / CALLS;
        fcall[b] = (double)(t2 - t1) / CALLS;
    }
    kiln_instance_free(i);
    kiln_module_release(m);

    print_report(load, inst, call, fcall, freeing, unload);
    return 0;
}
