/*
 * kiln_fuzz_host.c — the Kiln side of the differential fuzzer (tests/fuzz/fuzz_diff.py).
 *
 *   kiln_fuzz_host MODULE.so MEMORY_DUMP_PREFIX < EXPORT_NAMES
 *
 * EXPORT_NAMES has one line per export, in export order: the name's bytes in hex (Wasm names may
 * contain NUL, which kiln_instance_export_name cannot show). The host instantiates the compiled
 * module without imports, calls every exported function once, in export order, on that one
 * instance, with the deterministic arguments below, then prints every exported global and writes
 * every exported memory to MEMORY_DUMP_PREFIX.N (N: export index), so the driver can digest it. One line per observation, in the format the driver's Wasmtime side
 * prints too (fuzz_diff.py, `describe_value` and `call_arguments`):
 *
 *   instantiate: ok | instantiate: trap MESSAGE | instantiate: error MESSAGE
 *   call N: ok VALUE... | call N: trap MESSAGE | call N: exception | call N: error MESSAGE
 *   global N: VALUE
 *   memory N: BYTES
 *
 * Values are exact bit patterns, except that a quiet NaN prints as "f32:nan"/"f64:nan": Wasm
 * lets an operation's NaN result have any sign and payload as long as it is quiet (canonical or
 * arithmetic), so only quietness is compared. A signalling NaN can only come from a copy
 * (reinterpret, load, select...), which preserves bits, so it prints exactly.
 */
#include "kiln.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Argument k of export n takes entry (n + k) % 6 of its type's table. Keep in step with
 * fuzz_diff.py's ARGUMENTS. */
static const uint32_t i32_args[6] = { 0, 1, 0xffffffffu, 70000, 0x80000000u, 7 };
static const uint64_t i64_args[6] = { 0, 1, 0xffffffffffffffffull, 70000, 0x8000000000000000ull, 7 };
static const uint32_t f32_args[6] = { 0x00000000u, 0x3f800000u, 0xbfc00000u, 0x7fc00000u, 0x7f800000u, 0x501502f9u };
static const uint64_t f64_args[6] = { 0, 0x3ff0000000000000ull, 0xbff8000000000000ull, 0x7ff8000000000000ull,
                                      0x7ff0000000000000ull, 0x4202a05f20000000ull };

static kiln_val argument(kiln_valkind kind, size_t slot)
{
    kiln_val v;
    memset(&v, 0, sizeof v);
    v.kind = kind;
    switch (kind) {
    case KILN_I32: v.of.i32 = (int32_t)i32_args[slot]; break;
    case KILN_I64: v.of.i64 = (int64_t)i64_args[slot]; break;
    case KILN_F32: memcpy(&v.of.f32, &f32_args[slot], 4); break;
    case KILN_F64: memcpy(&v.of.f64, &f64_args[slot], 8); break;
    case KILN_V128:
        for (int b = 0; b < 16; b++) v.of.v128[b] = (uint8_t)(slot * 16 + b) * 17u;
        break;
    default: v.of.ref = NULL; break; /* references: null */
    }
    return v;
}

static void print_value(const kiln_val *v)
{
    uint32_t b32;
    uint64_t b64;
    switch (v->kind) {
    case KILN_I32: printf(" i32:0x%08" PRIx32, (uint32_t)v->of.i32); break;
    case KILN_I64: printf(" i64:0x%016" PRIx64, (uint64_t)v->of.i64); break;
    case KILN_F32:
        memcpy(&b32, &v->of.f32, 4);
        if ((b32 & 0x7fc00000u) == 0x7fc00000u) printf(" f32:nan");
        else printf(" f32:0x%08" PRIx32, b32);
        break;
    case KILN_F64:
        memcpy(&b64, &v->of.f64, 8);
        if ((b64 & 0x7ff8000000000000ull) == 0x7ff8000000000000ull) printf(" f64:nan");
        else printf(" f64:0x%016" PRIx64, b64);
        break;
    case KILN_V128:
        printf(" v128:0x");
        for (int b = 15; b >= 0; b--) printf("%02x", v->of.v128[b]);
        break;
    default: printf(" ref:%s", v->of.ref ? "nonnull" : "null"); break;
    }
}

static void report_failure(const char *what, kiln_error *err)
{
    /* An uncaught Wasm exception is an outcome like a trap; only its class is compared (Wasmtime
     * names neither the tag nor the values in its error). */
    if (kiln_error_is_exception(err))
        printf("%s: exception\n", what);
    else
        printf("%s: %s %s\n", what, kiln_error_is_trap(err) ? "trap" : "error", kiln_error_message(err));
    kiln_error_free(err);
}

static void call_export(size_t n, kiln_func *f)
{
    size_t nparams = kiln_func_param_count(f), nresults = kiln_func_result_count(f);
    kiln_val *args = calloc(nparams + 1, sizeof *args), *results = calloc(nresults + 1, sizeof *results);
    for (size_t k = 0; k < nparams; k++) args[k] = argument(kiln_func_param(f, k), (n + k) % 6);
    char what[64];
    snprintf(what, sizeof what, "call %zu", n);
    kiln_error *err = NULL;
    if (kiln_func_call(f, args, nparams, results, nresults, &err) != 0) {
        report_failure(what, err);
    } else {
        printf("%s: ok", what);
        for (size_t r = 0; r < nresults; r++) print_value(&results[r]);
        printf("\n");
    }
    free(args);
    free(results);
}

static int dump_memory(const char *prefix, size_t n, const kiln_memory *memory)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.%zu", prefix, n);
    FILE *out = fopen(path, "wb");
    uint64_t bytes = kiln_memory_bytes(memory);
    if (!out || fwrite(kiln_memory_base(memory), 1, bytes, out) != bytes || fclose(out) != 0) {
        fprintf(stderr, "kiln_fuzz_host: cannot write %s\n", path);
        return -1;
    }
    printf("memory %zu: %" PRIu64 "\n", n, bytes);
    return 0;
}

/* Reads the hex-encoded export names from stdin; returns their number. */
static size_t read_export_names(char ***names, size_t **lengths)
{
    size_t count = 0, capacity = 0;
    char line[8192];
    *names = NULL;
    *lengths = NULL;
    while (fgets(line, sizeof line, stdin)) {
        size_t digits = strcspn(line, "\r\n");
        if (count == capacity) {
            capacity = capacity ? 2 * capacity : 64;
            *names = realloc(*names, capacity * sizeof **names);
            *lengths = realloc(*lengths, capacity * sizeof **lengths);
        }
        char *name = malloc(digits / 2 + 1);
        for (size_t b = 0; b < digits / 2; b++) {
            unsigned byte = 0;
            sscanf(line + 2 * b, "%2x", &byte);
            name[b] = (char)byte;
        }
        name[digits / 2] = 0;
        (*names)[count] = name;
        (*lengths)[count++] = digits / 2;
    }
    return count;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: kiln_fuzz_host MODULE.so MEMORY_DUMP_PREFIX\n");
        return 2;
    }
    kiln_error *err = NULL;
    kiln_module *module = kiln_module_load(argv[1], &err);
    if (!module) {
        fprintf(stderr, "kiln_fuzz_host: %s\n", kiln_error_message(err));
        return 2;
    }
    kiln_instance *instance = kiln_instance_new(module, NULL, &err);
    if (!instance) {
        report_failure("instantiate", err);
        kiln_module_release(module);
        return 0;
    }
    printf("instantiate: ok\n");
    char **names;
    size_t *lengths;
    size_t count = read_export_names(&names, &lengths);
    kiln_extern ext;
    for (size_t n = 0; n < count; n++) {
        if (kiln_instance_export_bytes(instance, names[n], lengths[n], &ext) == 0 && ext.kind == KILN_EXTERN_FUNC)
            call_export(n, ext.of.func);
    }
    int status = 0;
    for (size_t n = 0; n < count; n++) {
        if (kiln_instance_export_bytes(instance, names[n], lengths[n], &ext) != 0) {
            printf("export %zu: missing\n", n);
            continue;
        }
        if (ext.kind == KILN_EXTERN_GLOBAL) {
            kiln_val value = kiln_global_get(ext.of.global);
            printf("global %zu:", n);
            print_value(&value);
            printf("\n");
        } else if (ext.kind == KILN_EXTERN_MEMORY && dump_memory(argv[2], n, ext.of.memory) != 0) {
            status = 1;
        }
    }
    fflush(stdout);
    for (size_t n = 0; n < count; n++) free(names[n]);
    free(names);
    free(lengths);
    kiln_instance_free(instance);
    kiln_module_release(module);
    return status;
}
