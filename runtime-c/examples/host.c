/* host.c — a minimal C host for modules compiled by `kiln compile`.
 *
 *   host module.so export [i32 args...]
 *
 * Loads the module, instantiates it without imports, calls the export with the given i32
 * arguments and prints its results, one per line. Exit status: 0 on success, 1 on a load,
 * instantiation or call error (a trap included), 2 on bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiln.h"

static void print_value(const kiln_val *v)
{
    switch (v->kind) {
    case KILN_I32: printf("%d\n", v->of.i32); break;
    case KILN_I64: printf("%lld\n", (long long)v->of.i64); break;
    case KILN_F32: printf("%g\n", (double)v->of.f32); break;
    case KILN_F64: printf("%g\n", v->of.f64); break;
    case KILN_V128:
        for (int k = 15; k >= 0; k--)
            printf("%02x", v->of.v128[k]);
        printf("\n");
        break;
    default: printf("ref %p\n", v->of.ref); break;
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s module.so export [i32 args...]\n", argv[0]);
        return 2;
    }
    kiln_error *err = NULL;
    kiln_module *module = kiln_module_load(argv[1], &err);
    if (!module) {
        fprintf(stderr, "load: %s\n", kiln_error_message(err));
        kiln_error_free(err);
        return 1;
    }
    kiln_instance *instance = kiln_instance_new(module, NULL, &err);
    if (!instance) {
        fprintf(stderr, "instantiate: %s\n", kiln_error_message(err));
        kiln_error_free(err);
        kiln_module_release(module);
        return 1;
    }

    /* Size the result array from the export's signature. */
    kiln_extern ex;
    if (kiln_instance_export(instance, argv[2], &ex) != 0 || ex.kind != KILN_EXTERN_FUNC) {
        fprintf(stderr, "no exported function named %s\n", argv[2]);
        kiln_instance_free(instance);
        kiln_module_release(module);
        return 1;
    }
    size_t nargs = (size_t)argc - 3, nresults = kiln_func_result_count(ex.of.func);
    kiln_val *args = calloc(nargs + 1, sizeof *args), *results = calloc(nresults + 1, sizeof *results);
    for (size_t k = 0; k < nargs; k++) {
        args[k].kind = KILN_I32;
        args[k].of.i32 = (int32_t)strtol(argv[3 + k], NULL, 0);
    }

    int status = 0;
    if (kiln_call(instance, argv[2], args, nargs, results, nresults, &err) != 0) {
        int code;
        if (kiln_error_exit_status(err, &code)) {
            status = code;
        } else {
            fprintf(stderr, "%s: %s\n", kiln_error_is_trap(err) ? "trap" : "error", kiln_error_message(err));
            status = 1;
        }
        kiln_error_free(err);
    } else {
        for (size_t k = 0; k < nresults; k++)
            print_value(&results[k]);
    }

    free(args);
    free(results);
    kiln_instance_free(instance);
    kiln_module_release(module);
    return status;
}
