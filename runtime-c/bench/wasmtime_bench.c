/* wasmtime_bench.c — the Wasmtime side of scripts/bench-embedding, measured like kiln_bench.c.
 *
 *   wasmtime_bench nop.cwasm
 *
 * nop.cwasm is nop.wat precompiled by the same libwasmtime (Engine.precompile_module from the
 * `wasmtime` PyPI package, which ships the shared library but no headers). Metrics, matching
 * Kiln's: load (wasmtime_module_deserialize_file), instantiate (a new store plus
 * wasmtime_instance_new: a store is what an independent instance needs), free (store delete),
 * call (wasmtime_func_call, checked, of the export looked up once: Wasmtime has no call by name),
 * call_func (wasmtime_func_call_unchecked, its fastest host-to-Wasm path), unload
 * (wasmtime_module_delete). */
#include <stdbool.h>
#include <stdio.h>

#include "bench_clock.h"

/* ---- the few Wasmtime C API declarations used, as in wasmtime 50's headers ---- */
typedef struct wasm_engine_t wasm_engine_t;
typedef struct wasmtime_module wasmtime_module_t;
typedef struct wasmtime_store wasmtime_store_t;
typedef struct wasmtime_context wasmtime_context_t;
typedef struct wasmtime_error wasmtime_error_t;
typedef struct wasm_trap_t wasm_trap_t;
typedef struct wasm_byte_vec_t { size_t size; char *data; } wasm_byte_vec_t;
typedef struct wasmtime_instance { uint64_t store_id; size_t private_; } wasmtime_instance_t;
typedef struct wasmtime_func { uint64_t store_id; void *private_; } wasmtime_func_t;
/* kind is a uint8_t; the union is larger than any member we read (func), padded generously. */
typedef struct wasmtime_extern {
    uint8_t kind;
    union { wasmtime_func_t func; uint8_t pad[64]; } of;
} wasmtime_extern_t;
#define WASMTIME_EXTERN_FUNC 0

wasm_engine_t *wasm_engine_new(void);
void wasm_engine_delete(wasm_engine_t *);
wasmtime_error_t *wasmtime_module_deserialize_file(wasm_engine_t *, const char *path, wasmtime_module_t **);
void wasmtime_module_delete(wasmtime_module_t *);
wasmtime_store_t *wasmtime_store_new(wasm_engine_t *, void *data, void (*finalizer)(void *));
wasmtime_context_t *wasmtime_store_context(wasmtime_store_t *);
void wasmtime_store_delete(wasmtime_store_t *);
wasmtime_error_t *wasmtime_instance_new(wasmtime_context_t *, const wasmtime_module_t *, const wasmtime_extern_t *imports,
                                        size_t nimports, wasmtime_instance_t *out, wasm_trap_t **trap);
bool wasmtime_instance_export_get(wasmtime_context_t *, const wasmtime_instance_t *, const char *name, size_t len,
                                  wasmtime_extern_t *out);
wasmtime_error_t *wasmtime_func_call(wasmtime_context_t *, const wasmtime_func_t *, const void *args, size_t nargs,
                                     void *results, size_t nresults, wasm_trap_t **trap);
/* wasmtime_val_raw_t is a 16-byte union; a () -> () call passes none. */
wasmtime_error_t *wasmtime_func_call_unchecked(wasmtime_context_t *, const wasmtime_func_t *, void *args_and_results,
                                               size_t len, wasm_trap_t **trap);
void wasmtime_error_message(const wasmtime_error_t *, wasm_byte_vec_t *);
void wasm_byte_vec_delete(wasm_byte_vec_t *);

#define OPS 64
#define CALLS 200000

static void check(const char *what, wasmtime_error_t *err, wasm_trap_t *trap)
{
    if (!err && !trap)
        return;
    wasm_byte_vec_t msg = { 0, NULL };
    if (err)
        wasmtime_error_message(err, &msg);
    fprintf(stderr, "%s: %.*s\n", what, (int)msg.size, msg.data ? msg.data : "trap");
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s nop.cwasm\n", argv[0]);
        return 2;
    }
    wasm_engine_t *engine = wasm_engine_new();
    wasm_trap_t *trap = NULL;
    double load[BATCHES], unload[BATCHES], inst[BATCHES], freeing[BATCHES], call[BATCHES], fcall[BATCHES];

    for (int b = 0; b < BATCHES; b++) {
        uint64_t tl = 0, tu = 0;
        for (int k = 0; k < 8; k++) {
            wasmtime_module_t *m = NULL;
            uint64_t t0 = now_ns();
            check("load", wasmtime_module_deserialize_file(engine, argv[1], &m), NULL);
            uint64_t t1 = now_ns();
            wasmtime_module_delete(m);
            tu += now_ns() - t1;
            tl += t1 - t0;
        }
        load[b] = tl / 8.0;
        unload[b] = tu / 8.0;
    }

    wasmtime_module_t *m = NULL;
    check("load", wasmtime_module_deserialize_file(engine, argv[1], &m), NULL);
    wasmtime_store_t *stores[OPS];
    wasmtime_instance_t instances[OPS];
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = now_ns();
        for (int k = 0; k < OPS; k++) {
            stores[k] = wasmtime_store_new(engine, NULL, NULL);
            check("instantiate", wasmtime_instance_new(wasmtime_store_context(stores[k]), m, NULL, 0, &instances[k], &trap), trap);
        }
        uint64_t t1 = now_ns();
        for (int k = 0; k < OPS; k++)
            wasmtime_store_delete(stores[k]);
        uint64_t t2 = now_ns();
        inst[b] = (double)(t1 - t0) / OPS;
        freeing[b] = (double)(t2 - t1) / OPS;
    }

    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_context_t *cx = wasmtime_store_context(store);
    wasmtime_instance_t instance;
    check("instantiate", wasmtime_instance_new(cx, m, NULL, 0, &instance, &trap), trap);
    wasmtime_extern_t ex;
    if (!wasmtime_instance_export_get(cx, &instance, "nop", 3, &ex) || ex.kind != WASMTIME_EXTERN_FUNC) {
        fprintf(stderr, "no export nop\n");
        return 1;
    }
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = now_ns();
        for (int k = 0; k < CALLS; k++)
            check("call", wasmtime_func_call(cx, &ex.of.func, NULL, 0, NULL, 0, &trap), trap);
        uint64_t t1 = now_ns();
        for (int k = 0; k < CALLS; k++)
            check("call", wasmtime_func_call_unchecked(cx, &ex.of.func, NULL, 0, &trap), trap);
        uint64_t t2 = now_ns();
        call[b] = (double)(t1 - t0) / CALLS;
        fcall[b] = (double)(t2 - t1) / CALLS;
    }
    wasmtime_store_delete(store);
    wasmtime_module_delete(m);
    wasm_engine_delete(engine);

    print_report(load, inst, call, fcall, freeing, unload);
    return 0;
}
