/*
 * kiln.h — the public C API of the Kiln runtime.
 *
 * A host program loads modules that `kiln compile` turned into native shared objects, instantiates
 * them, calls their exports and frees them, with no Swift and no LLVM in the process.
 *
 * Lifetimes are explicit and deterministic:
 *   - kiln_module_load() dlopens a compiled module; kiln_module_release() drops the host's handle,
 *     and the shared object is dlclosed as soon as no instance uses it any more.
 *   - kiln_instance_new() creates an instance; kiln_instance_free() unmaps its memories at once
 *     (memories, tables and globals that another live instance imported stay alive until that one
 *     is freed too).
 *   - Every handle is independent: releasing one never invalidates another, even for the same file.
 *
 * Traps never take the host down: kiln_call returns non-zero and sets *err; the instance stays
 * usable. Errors are heap objects the caller frees with kiln_error_free(); passing err == NULL is
 * allowed when the caller does not want the details.
 *
 * Threads: different instances may run on different threads at once. One instance (and the
 * instances it is linked with through imports) must be used by one thread at a time.
 */
#ifndef KILN_H
#define KILN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The Kiln release this header belongs to: the same number as `kiln --version` (a test keeps
 * them equal). The installed shared library's SONAME carries the major version. */
#define KILN_VERSION_MAJOR 0
#define KILN_VERSION_MINOR 5
#define KILN_VERSION_PATCH 52
#define KILN_VERSION_STRING "0.5.52"

/* The version of the runtime library actually linked ("0.5.6"), which may differ from the
 * header a host was built with when it uses the shared library. */
const char *kiln_version(void);

typedef struct kiln_module kiln_module;
typedef struct kiln_instance kiln_instance;
typedef struct kiln_imports kiln_imports;
typedef struct kiln_error kiln_error;
typedef struct kiln_memory kiln_memory;
typedef struct kiln_table kiln_table;
typedef struct kiln_global kiln_global;
typedef struct kiln_func kiln_func;
typedef struct kiln_tag kiln_tag;

/* ---- values ---- */

typedef enum kiln_valkind {
    KILN_I32 = 0x7F,
    KILN_I64 = 0x7E,
    KILN_F32 = 0x7D,
    KILN_F64 = 0x7C,
    KILN_V128 = 0x7B,
    KILN_FUNCREF = 0x70,
    KILN_EXTERNREF = 0x6F,
    KILN_EXNREF = 0x69,
} kiln_valkind;

/* A dynamically typed Wasm value. For KILN_FUNCREF, of.ref is a kiln_func* (NULL: ref.null);
 * for KILN_EXTERNREF, any host pointer (NULL: ref.null); for KILN_EXNREF, an exception the
 * instance that caught it keeps alive until it is freed (NULL: ref.null). */
typedef struct kiln_val {
    kiln_valkind kind;
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        uint8_t v128[16];
        void *ref;
    } of;
} kiln_val;

/* ---- errors ---- */

const char *kiln_error_message(const kiln_error *e);
/* 1 when the error is a Wasm trap (the message is the spec's wording, e.g. "unreachable"). */
int kiln_error_is_trap(const kiln_error *e);
/* 1 when the call ended through WASI proc_exit; *status receives the exit status. */
int kiln_error_exit_status(const kiln_error *e, int *status);
void kiln_error_free(kiln_error *e);
/* For a trap: the Wasm functions that were on the stack, innermost first, by their names from the
 * module's name section or as "wasm-function[N]". Inlined functions appear as their caller. */
size_t kiln_error_frame_count(const kiln_error *e);
const char *kiln_error_frame(const kiln_error *e, size_t n);

/* ---- exceptions (WebAssembly exception handling) ----
 *
 * A Wasm exception that leaves the called export uncaught ends the call with an error that is not
 * a trap: its message is "uncaught exception: tag \"NAME\"" (NAME: the defining instance's export
 * of the tag, or "tag N" / "a host tag"), and the accessors below give its tag and values. Traps
 * are never exceptions: Wasm code cannot catch them. */
int kiln_error_is_exception(const kiln_error *e);
/* The exception's tag (valid while whoever defined it lives), or NULL for other errors. */
const kiln_tag *kiln_error_exception_tag(const kiln_error *e);
size_t kiln_error_exception_value_count(const kiln_error *e);
/* The n-th value the exception carries (the tag's parameters); 0, or -1 when out of range. */
int kiln_error_exception_value(const kiln_error *e, size_t n, kiln_val *out);

/* A tag the host defines, to give instances as an import (kiln_imports_extern with
 * KILN_EXTERN_TAG): exceptions match by tag identity, so two tags of the same type never catch
 * each other's exceptions. Reference counted like host-created memories. */
kiln_tag *kiln_tag_new(const kiln_valkind *params, size_t nparams, kiln_error **err);
void kiln_tag_release(kiln_tag *t);
/* The tag's parameter types (an exception's values). */
size_t kiln_tag_param_count(const kiln_tag *t);
kiln_valkind kiln_tag_param(const kiln_tag *t, size_t n);

/* Throw from a host function: returns KILN_HOST_THROWS, which the host function must return
 * itself; the exception is then raised in the Wasm caller, where a try_table may catch it.
 * values must match the tag's parameters. -1 (and nothing thrown) on a mismatch, outside a host
 * function, or when an exception is already pending. */
#define KILN_HOST_THROWS 0x7468726f
int kiln_host_throw(const kiln_tag *tag, const kiln_val *values, size_t count);

/* ---- modules ---- */

/* dlopen a module compiled by `kiln compile` and check its descriptor (ABI version, CPU features).
 * Loading the same path twice gives two independent handles. */
kiln_module *kiln_module_load(const char *so_path, kiln_error **err);
/* Drop the host's handle; the shared object is unloaded once no instance holds it. */
void kiln_module_release(kiln_module *m);
/* The compiler fingerprint recorded in the module (version, LLVM, target, CPU, options). */
const char *kiln_module_fingerprint(const kiln_module *m);

/* ---- imports ---- */

/* A host function. args holds the parameters, results receives the results (kinds preset by the
 * runtime). A non-zero return traps the Wasm caller with KILN_TRAP_HOST (but see kiln_host_throw). caller is the instance
 * whose import was called: its memory is reachable with kiln_memory_data(). */
typedef int (*kiln_host_fn)(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results);

kiln_imports *kiln_imports_new(void);
void kiln_imports_free(kiln_imports *im);
/* Bind a host function under module.name; 0 on success. */
int kiln_imports_func(kiln_imports *im, const char *module, const char *name,
                      const kiln_valkind *params, size_t nparams,
                      const kiln_valkind *results, size_t nresults,
                      kiln_host_fn fn, void *env);

/* Cap every linear memory of the instances created from im, defined or imported, at max_bytes
 * (whole 64 KiB pages; 0: no cap, the default): memory.grow beyond it returns -1, as the spec lets
 * any grow fail, and instantiation fails if a memory is already larger. The cap stays with the
 * memory, so an instance importing it later is held to it too. 0 on success. */
int kiln_imports_limit_memory(kiln_imports *im, uint64_t max_bytes);

/* What instantiation does with a function import that im does not provide (every other kind of
 * missing import still fails instantiation). */
typedef enum kiln_unknown_imports {
    KILN_UNKNOWN_IMPORTS_ERROR = 0, /* instantiation fails with "unknown import" (the default) */
    KILN_UNKNOWN_IMPORTS_TRAP,      /* it is bound to a function that traps "call to an unknown import" */
    KILN_UNKNOWN_IMPORTS_DEFAULT,   /* it is bound to a function that returns zeros and null references */
} kiln_unknown_imports;
int kiln_imports_unknown(kiln_imports *im, kiln_unknown_imports policy);

/* Externals: what an instance exports and another imports (linking instances together). */
typedef enum kiln_externkind {
    KILN_EXTERN_FUNC = 0,
    KILN_EXTERN_TABLE = 1,
    KILN_EXTERN_MEMORY = 2,
    KILN_EXTERN_GLOBAL = 3,
    KILN_EXTERN_TAG = 4,
} kiln_externkind;

typedef struct kiln_extern {
    kiln_externkind kind;
    union {
        kiln_func *func;
        kiln_table *table;
        kiln_memory *memory;
        kiln_global *global;
        kiln_tag *tag;
    } of;
} kiln_extern;

/* Bind an external (an export of another instance, or a host-created memory/table/global) under
 * module.name. The imports object keeps it alive until freed. 0 on success. */
int kiln_imports_extern(kiln_imports *im, const char *module, const char *name, kiln_extern ext);

/* Calls release(context) once, when the imports object is destroyed: at kiln_imports_free, or
 * later if a WASI program that spawns threads still keeps it (wasi-threads instantiates its
 * threads from it), when that program has ended. For a host whose function envs must live as long
 * as anything can call them (the Swift API's closures). Replaces an earlier one. 0 on success. */
int kiln_imports_on_free(kiln_imports *im, void (*release)(void *context), void *context);

/* ---- WASI preview 1 ----
 *
 * kiln_imports_wasi binds every wasi_snapshot_preview1 function into im and gives im a WASI
 * configuration: the guest's arguments (argv[0] is the program name the guest sees), the host
 * process's environment as it is at this call, and the host's fds 0, 1, 2 as the guest's stdio.
 * Call it first; the other kiln_imports_wasi_* functions change that configuration (-1 before it).
 * Calling it again replaces the arguments and keeps the rest.
 *
 * State is per instance (per program with wasi-threads, below): every instance created from im
 * whose module imports WASI gets its own descriptor table (stdio at 0-2, the preopened
 * directories from 3 on, in the order they were added), its own copies of arguments and
 * environment, and its own open file descriptions of the preopened directories. It is freed with
 * the instance; freeing im afterwards is fine, and changing im only affects instances created
 * later.
 *
 * Sandbox: the guest reaches the file system only through preopened directories. A path can
 * never leave the directory it is resolved against: absolute paths, `..` above it, and symlinks
 * whose target is absolute or climbs above it fail with WASI ENOTCAPABLE (76) and are never
 * followed by the kernel. Rights are reported to the guest but not enforced beyond the host
 * file's access mode. No sockets are offered (sock_* return ENOTSOCK).
 *
 * proc_exit ends the current kiln_call (not the host process): kiln_call returns non-zero, and
 * kiln_error_exit_status gives the status (kiln_error_is_trap is 0). A WASI command runs by
 * calling its "_start" export; returning normally means status 0. A reactor is initialised by
 * calling "_initialize", then its exports are called as any others; data goes in and out through
 * kiln_memory_data(instance, 0) at addresses the guest's own allocator (an exported malloc) gave.
 *
 * All return 0 on success, -1 on failure (errno tells why for kiln_imports_wasi_preopen). */
int kiln_imports_wasi(kiln_imports *im, int argc, const char *const *argv);
/* Make host_dir (opened now, so it must exist) visible to the guest as guest_dir (e.g. "." or
 * "/data"; NULL: the same name as host_dir). wasi-libc resolves relative guest paths against a
 * preopen named "." and absolute ones against the preopen with the longest matching prefix. */
int kiln_imports_wasi_preopen(kiln_imports *im, const char *host_dir, const char *guest_dir);
/* Replace the guest's environment with envp ("KEY=VALUE" strings, NULL-terminated; NULL: empty). */
int kiln_imports_wasi_env(kiln_imports *im, const char *const *envp);
/* Add one "KEY=VALUE" to the guest's environment, replacing any KEY already there (what
 * `kiln run --env KEY=VALUE` needs). -1 without a '=' or an empty KEY. */
int kiln_imports_wasi_env_set(kiln_imports *im, const char *key_value);
/* Use these host fds as the guest's stdin, stdout, stderr (-1: absent, the guest gets EBADF). They
 * are borrowed: the runtime never closes them, and they must stay open while instances use them. */
int kiln_imports_wasi_stdio(kiln_imports *im, int stdin_fd, int stdout_fd, int stderr_fd);

/* ---- wasi-threads ----
 *
 * kiln_imports_wasi also binds "wasi" "thread-spawn", so a program built for wasm32-wasi-threads
 * (it imports a shared memory, usually "env" "memory", and thread-spawn, and exports
 * wasi_thread_start) runs with real OS threads. Give it its memory first:
 * kiln_imports_create_shared_memories does, or bind one of your own with kiln_imports_extern.
 *
 * thread-spawn(arg) instantiates the module again from the same imports object (kept alive for
 * it; do not change it while the program runs), on the spawning thread, and calls
 * wasi_thread_start(id, arg) in that new instance on a new detached thread with the spawning
 * thread's stack size. It returns the new thread's id (1, 2, ... up to 0x1FFFFFFF), or -1 when it
 * cannot (no wasi_thread_start (i32, i32) export, instantiation failed, no thread, or the program
 * has ended). Every instance of the program shares the first instance's WASI state: one
 * descriptor table, arguments and environment; WASI calls that may block (fd_read, fd_write,
 * poll_oneoff, ...) do not stop the other threads.
 *
 * Once a thread has been spawned, the program ends as a process does: proc_exit, a trap or an
 * uncaught exception in any thread ends every thread. The first end is kept: every instance of
 * the program is interrupted as kiln_instance_interrupt does (and their waits in
 * memory.atomic.wait and poll_oneoff return at once), and every call into any of them, the host's
 * call into the first instance included, fails from then on with that end: its exit status
 * (kiln_error_exit_status) or its trap, whichever thread had it. Code that neither calls nor is
 * interruptible, or a thread blocked reading a descriptor, stops only when it gets there, unless
 * the host ends the process in kiln_imports_wasi_on_end's function, as `kiln run` does.
 * Returning from _start does not end the other threads; freeing the first instance does. Each
 * thread frees its own instance when wasi_thread_start returns or the end stops it. */

/* Called once when a program that has spawned threads ends by proc_exit, a trap or an uncaught
 * exception in one of its threads, on that thread, with the end (the error every call into the
 * program then fails with). A command-line runner reports it and exits the process here, as
 * `kiln run` does: that is the only way to stop a thread busy in code that never checks, or
 * blocked reading a descriptor, at once. If it returns, the program ends as described above.
 * Not called for a program without threads, nor when the host frees the first instance. */
typedef void (*kiln_wasi_end_fn)(const kiln_error *end, void *context);
int kiln_imports_wasi_on_end(kiln_imports *im, kiln_wasi_end_fn on_end, void *context);

/* For every shared memory that m imports and im does not bind yet, create one of the import's
 * type (its minimum and maximum) and bind it: what a wasi-threads program expects its host to
 * do. 0 on success, -1 on failure. */
int kiln_imports_create_shared_memories(kiln_imports *im, const kiln_module *m);

/* Instances made with these imports start with `fuel` units (default: unlimited). Only metered
 * code (`kiln compile --metered`) takes fuel: one unit at every function entry and every loop
 * iteration, the same count at every optimisation level. When it runs out the call traps "all
 * fuel consumed"; kiln_instance_set_fuel gives the instance more. Each instance has its own fuel
 * (a call into another instance's function takes from that instance's). */
int kiln_imports_set_fuel(kiln_imports *im, uint64_t fuel);

/* ---- instances ---- */

/* Instantiate: reserve memories, evaluate globals, apply segments, bind imports, run the start
 * function. imports may be NULL. On failure (unlinkable import, trap in start, out-of-bounds
 * segment) returns NULL with *err set and leaves no partial state behind. */
kiln_instance *kiln_instance_new(kiln_module *m, const kiln_imports *imports, kiln_error **err);
/* Interrupt the Wasm code running in i (and in the instances linked with it), from any thread:
 * it traps "interrupted" at its next check, which interruptible code (`kiln compile
 * --interruptible`) makes at every loop iteration and every function entry that can call;
 * other code checks at function entries that can call. The call that was interrupted returns
 * that trap, and the instance stays usable. An interrupt that finds no call running ends the next
 * call into i at once. Safe from a timer thread or a signal-free watchdog. */
void kiln_instance_interrupt(kiln_instance *i);
/* The fuel left in i (0 once a call trapped "all fuel consumed"), and setting it: from the host,
 * between calls, or from a host function the Wasm code calls. */
uint64_t kiln_instance_fuel(const kiln_instance *i);
void kiln_instance_set_fuel(kiln_instance *i, uint64_t fuel);
/* Free the instance: its memories are unmapped at once (unless imported by a live instance). */
void kiln_instance_free(kiln_instance *i);

/* Cap the native stack that Wasm code called on this thread may use at `bytes` below the
 * caller's frame (0: no cap, the default: the thread's whole stack less the runtime's margin of
 * up to 256 KiB). Calls deeper than that trap "call stack exhausted", and the instance stays
 * usable. Takes effect at the next call into Wasm from this thread; returns the bytes Wasm may
 * use, which is less than asked when the thread's stack is smaller (run Wasm on a thread created
 * with a larger stack, pthread_attr_setstacksize, to give it more: `kiln run --max-stack` does). */
size_t kiln_thread_max_stack(size_t bytes);

/* Call an export by name. 0 on success; non-zero with *err set on a trap, an unknown name, or a
 * wrong number or kind of arguments or results. */
int kiln_call(kiln_instance *i, const char *export_name, const kiln_val *args, size_t nargs,
              kiln_val *results, size_t nresults, kiln_error **err);

/* Look up an export; 0 on success. The returned object lives as long as the instance. */
int kiln_instance_export(kiln_instance *i, const char *name, kiln_extern *out);
/* The same for a name given as bytes: Wasm names may contain NUL. */
int kiln_instance_export_bytes(kiln_instance *i, const char *name, size_t length, kiln_extern *out);
/* Number of exports and the name of the n-th (in module order). */
size_t kiln_instance_export_count(const kiln_instance *i);
const char *kiln_instance_export_name(const kiln_instance *i, size_t n);

/* Signature of an exported or imported function. */
size_t kiln_func_param_count(const kiln_func *f);
size_t kiln_func_result_count(const kiln_func *f);
kiln_valkind kiln_func_param(const kiln_func *f, size_t n);
kiln_valkind kiln_func_result(const kiln_func *f, size_t n);
/* Call a function reference (same contract as kiln_call). */
int kiln_func_call(kiln_func *f, const kiln_val *args, size_t nargs,
                   kiln_val *results, size_t nresults, kiln_error **err);

/* ---- memories ---- */

/* Base of linear memory number memory_index. It never moves: the pointer stays valid, and sees the
 * same bytes, across memory.grow for the life of the memory. NULL if there is no such memory. */
uint8_t *kiln_memory_data(kiln_instance *i, uint32_t memory_index);
/* Current size in bytes. */
uint64_t kiln_memory_size(kiln_instance *i, uint32_t memory_index);

/* Host-created objects (to provide as imports). Each is reference counted: the creator releases
 * its reference with the matching *_release; instances that import it keep their own. */
kiln_memory *kiln_memory_new(uint32_t min_pages, uint32_t max_pages /* 0xFFFFFFFF: none */, kiln_error **err);
/* A 64-bit memory (memory64), which only an import declared `i64` accepts; at most
 * KILN_MEMORY64_MAX_PAGES pages (kiln_abi.h). */
kiln_memory *kiln_memory_new64(uint64_t min_pages, uint64_t max_pages /* UINT64_MAX: none */, kiln_error **err);
/* A shared memory (threads), which only an import declared `shared` accepts. Instances on different
 * threads that import it see one memory: atomics, memory.atomic.wait and notify work across them,
 * and memory.grow on any of them is safe. It must have a maximum. */
kiln_memory *kiln_memory_new_shared(uint32_t min_pages, uint32_t max_pages, kiln_error **err);
void kiln_memory_release(kiln_memory *m);
uint8_t *kiln_memory_base(const kiln_memory *m);
uint64_t kiln_memory_bytes(const kiln_memory *m);

kiln_table *kiln_table_new(kiln_valkind elem, uint32_t min, uint32_t max /* 0xFFFFFFFF: none */, kiln_error **err);
/* A 64-bit table (table64, with memory64), which only an import declared `i64` accepts. Its
 * elements are still at most what any table may have. */
kiln_table *kiln_table_new64(kiln_valkind elem, uint64_t min, uint64_t max /* UINT64_MAX: none */, kiln_error **err);
void kiln_table_release(kiln_table *t);

kiln_global *kiln_global_new(kiln_val value, int mutable_, kiln_error **err);
void kiln_global_release(kiln_global *g);
kiln_val kiln_global_get(const kiln_global *g);
/* 0 on success; fails for an immutable global or a value of another kind. */
int kiln_global_set(kiln_global *g, kiln_val value);

#ifdef __cplusplus
}
#endif
#endif /* KILN_H */
