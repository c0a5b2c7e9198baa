/*
 * internal.h — private objects of the runtime and the functions the source files share.
 *
 * Every public opaque object that generated code also sees (kiln_memory, kiln_table, kiln_func,
 * the value cell of a kiln_global) is the ABI struct EMBEDDED AS THE FIRST MEMBER of a private
 * object, so a public pointer, an ABI pointer and the private pointer are the same address.
 */
#ifndef KILN_INTERNAL_H
#define KILN_INTERNAL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "kiln.h"
#include "kiln_abi.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KILN_INTERNAL __attribute__((visibility("hidden")))
#define KILN_LIKELY(x) __builtin_expect(!!(x), 1)
#define KILN_UNLIKELY(x) __builtin_expect(!!(x), 0)

#define KILN_MAX_MEMORY_PAGES 65536u
/* Tables grow by realloc; a cap keeps a runaway table.grow a -1 result instead of an OOM kill. */
#define KILN_MAX_TABLE_ELEMENTS (1u << 26)

/* ---- errors.c ---- */

struct kiln_error {
    uint32_t trap_code;   /* KILN_TRAP_NONE for non-trap errors */
    int exit_status;      /* meaningful for KILN_TRAP_EXIT */
    const char *message;  /* text, or a static string */
    char **frames;        /* for traps: Wasm function names, innermost first (malloc'd) */
    size_t frame_count;
    const kiln_tag *tag;          /* an uncaught exception: its tag, else NULL */
    kiln_val *exception_values;   /* and its values (malloc'd) */
    size_t exception_value_count;
    char text[];
};

KILN_INTERNAL kiln_error *kiln__error_new(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
KILN_INTERNAL kiln_error *kiln__error_trap(uint32_t code, int exit_status);
/* A copy of e's message, trap code, exit status and frames (not an exception's tag and values). */
KILN_INTERNAL kiln_error *kiln__error_copy(const kiln_error *e);
/* The trap error of a frame that caught one, with the Wasm functions its backtrace passed through. */
/* values.c: kiln_val <-> kiln_cell, by the kind a signature or type gives. */
KILN_INTERNAL void kiln__cell_from_val(kiln_cell *c, uint32_t kind, const kiln_val *v);
KILN_INTERNAL void kiln__val_from_cell(kiln_val *v, uint32_t kind, const kiln_cell *c);
KILN_INTERNAL bool kiln__valkind_valid(kiln_valkind k);

struct kiln_call_frame;
KILN_INTERNAL kiln_error *kiln__error_from_frame(const struct kiln_call_frame *frame);
/* Name of the Wasm function whose code contains pc ("wasm-function[N]" without a name section),
 * written to buf; false when pc is in no loaded module's Wasm code. */
KILN_INTERNAL bool kiln__module_function_at(const void *pc, char *buf, size_t size);
/* backtrace() loads its unwinder on first use, which must not happen inside a signal handler. */
KILN_INTERNAL void kiln__backtrace_warm_up(void);
/* Hands e to the caller through err, or frees it when the caller passed err == NULL. Returns -1. */
KILN_INTERNAL int kiln__fail(kiln_error **err, kiln_error *e);
/* The preallocated out-of-memory error, which carries nothing and is never freed. */
KILN_INTERNAL bool kiln__error_is_static(const kiln_error *e);

/* ---- traps.c ---- */

KILN_INTERNAL const char *kiln__trap_message(uint32_t code);
/* Unwinds to the innermost armed call frame of this thread. */
KILN_INTERNAL __attribute__((noreturn)) void kiln__raise(uint32_t code, int exit_status);
KILN_INTERNAL __attribute__((noreturn)) void kiln__rt_trap(kiln_vmctx *vm, uint32_t code);

/* ---- thread.c: per-thread state, call frames, stack bounds, alternate signal stack ---- */

#define KILN_BACKTRACE_MAX 32

typedef struct kiln_call_frame {
    sigjmp_buf jb;
    struct kiln_call_frame *prev;
    volatile uint32_t trap_code;
    volatile int exit_status;
    int backtrace_length;             /* set by kiln__raise, only on the trap path */
    void *backtrace[KILN_BACKTRACE_MAX];
} kiln_call_frame;

typedef struct kiln_thread {
    kiln_call_frame *top;      /* innermost armed frame, NULL outside Wasm */
    uintptr_t stack_limit;     /* value for vmctx.stack_limit on this thread */
    uintptr_t stack_floor;     /* the default limit: stack_lo plus the runtime's margin */
    uintptr_t stack_lo, stack_hi;
    bool ready;
    kiln_exception *pending_exception; /* kiln_host_throw's, raised when the host function returns */
} kiln_thread;

/* initial-exec: the signal handler reads it, and it must never allocate lazily there. */
extern __thread kiln_thread kiln__tls __attribute__((tls_model("initial-exec"), visibility("hidden")));

KILN_INTERNAL void kiln__thread_setup(kiln_thread *t);

static inline kiln_thread *kiln__thread(void)
{
    kiln_thread *t = &kiln__tls;
    if (KILN_UNLIKELY(!t->ready))
        kiln__thread_setup(t);
    return t;
}

/* ---- signals.c / reservations.c ---- */

KILN_INTERNAL void kiln__signals_install(void);
KILN_INTERNAL int kiln__reservation_add(uintptr_t lo, uintptr_t hi);
KILN_INTERNAL void kiln__reservation_remove(int slot);
KILN_INTERNAL bool kiln__reservation_contains(uintptr_t addr);

/* ---- types.c: runtime-wide canonical signatures ---- */

typedef struct kiln_sig {
    uint32_t num_params, num_results;
    const uint8_t *params;     /* kiln_abi_valtype codes (a typed reference as its top) */
    const uint8_t *results;
    const uint32_t *key;       /* what identifies the type: its group's structure, its position */
    uint32_t key_length;
} kiln_sig;

#define KILN_TYPE_INVALID UINT32_MAX
KILN_INTERNAL uint32_t kiln__type_intern(const uint8_t *params, uint32_t np, const uint8_t *results, uint32_t nr);
/* The canonical id of every type of a checked descriptor, group by group; 0, or -1 when out of memory. */
KILN_INTERNAL int kiln__type_intern_module(const kiln_module_descriptor *d, uint32_t *ids);
/* A descriptor's value type word with a concrete type index replaced by its canonical id (ids). */
KILN_INTERNAL kiln_abi_typeword kiln__type_canonical_word(const uint32_t *ids, kiln_abi_typeword w);
/* Canonical value type subtyping: whether a value of type actual is a value of type expected. */
KILN_INTERNAL bool kiln__type_word_matches(kiln_abi_typeword actual, kiln_abi_typeword expected);
KILN_INTERNAL const kiln_sig *kiln__type_get(uint32_t id);

/* ---- module.c ---- */

/* Offsets inside the single allocation that holds an instance and all its fixed-size parts. */
typedef struct kiln_instance_layout {
    size_t size;
    size_t memories, tables, globals, funcs, tags;
    size_t func_records, global_records, global_objects, host_records, tag_records;
    size_t elem_dropped, data_dropped;
    /* The kiln_vmctx the instance starts with, after the cells of its inline globals (kiln_abi.h,
     * KILN_INLINE_GLOBALS): `context` is where the vmctx area ends, the context pointer. */
    size_t context;
} kiln_instance_layout;

struct kiln_module {
    void *dl;
    int file_fd;                      /* private copy of a replaced file (module_file.c), or -1 */
    uint64_t file_dev, file_ino, file_size;
    int64_t file_mtime_ns;
    struct kiln_module *next_loaded;  /* registry of module_file.c */
    const kiln_module_descriptor *desc;
    _Atomic uint32_t refs;            /* the host handle + one per instance */
    uint32_t num_imported[KILN_ABI_EXTERN_KIND_COUNT]; /* per kiln_abi_externkind */
    uint32_t *type_ids;               /* module type index -> canonical id */
    int32_t *export_slots;            /* open-addressing hash: export index or -1 */
    uint32_t *export_hashes;
    uint32_t export_mask;
    kiln_instance_layout layout;
};

KILN_INTERNAL void kiln__module_retain(kiln_module *m);
/* dlopen so_path into m->dl and return it, or NULL with *why; kiln__module_file_close dlcloses it. */
KILN_INTERNAL void *kiln__module_file_open(kiln_module *m, const char *so_path, const char **why);
KILN_INTERNAL void kiln__module_file_close(kiln_module *m);
KILN_INTERNAL int32_t kiln__module_find_export(const kiln_module *m, const char *name);
KILN_INTERNAL int32_t kiln__module_find_export_bytes(const kiln_module *m, const char *name, size_t length);

/* ---- memory.c ---- */

typedef struct kiln_rt_memory {
    kiln_memory abi;
    _Atomic uint32_t refs;
    bool has_max;
    bool is64;                        /* memory64: its addresses and sizes are i64 */
    bool shared;                      /* threads: instances on several threads may use it at once */
    int reservation_slot;
    pthread_mutex_t grow_lock;        /* serialises memory.grow (memory.c says why) */
    struct kiln_instance *creator;    /* for link groups; cleared when the creator dies (link lock) */
    /* The host's cap (kiln_imports_limit_memory), in pages: memory.grow past it fails. Apart from
     * abi.max_pages, which is the memory's type and what linking checks. */
    _Atomic uint64_t limit_pages;
} kiln_rt_memory;

/* flags: kiln_limits_flag. */
KILN_INTERNAL kiln_memory *kiln__memory_create(uint64_t min_pages, uint64_t max_pages, bool has_max, uint32_t flags,
                                               kiln_error **err);
KILN_INTERNAL void kiln__memory_retain(kiln_memory *m);
KILN_INTERNAL bool kiln__memory_is64(const kiln_memory *m);
/* The size in bytes, read so that a grow on another thread is seen whole. */
KILN_INTERNAL uint64_t kiln__memory_bytes(const kiln_memory *m);
KILN_INTERNAL uint64_t kiln__rt_memory_grow(kiln_vmctx *vm, uint32_t memory, uint64_t delta);
/* Lowers the memory's cap to max_bytes (whole pages); -1 if it is already larger than that. */
KILN_INTERNAL int kiln__memory_limit(kiln_memory *m, uint64_t max_bytes);

/* ---- atomics.c ---- */

KILN_INTERNAL uint32_t kiln__rt_atomic_wait(kiln_vmctx *vm, const void *address, uint64_t expected, int64_t timeout_ns,
                                            uint32_t width_bytes);
KILN_INTERNAL uint32_t kiln__rt_atomic_notify(kiln_vmctx *vm, const void *address, uint32_t count);
/* Wakes i's threads waiting in memory.atomic.wait, whose wait then traps "interrupted"; called by
 * kiln_instance_interrupt after it has marked i. */
KILN_INTERNAL void kiln__atomic_interrupt_waiters(kiln_instance *i);

/* ---- table.c ---- */

typedef struct kiln_rt_table {
    kiln_table abi;
    _Atomic uint32_t refs;
    bool has_max;
    bool is64;                        /* table64: indices and sizes are i64 (generated code narrows them) */
    uint64_t declared_max;            /* the type's maximum, which linking compares (abi.max is capped at u32) */
    struct kiln_instance *creator;    /* as for memories */
    /* Instances whose functions an elem segment stored here while the table belonged to another
     * instance: they must outlive the table, since the table now refers to their code. */
    struct kiln_instance **pins;
    uint32_t num_pins, cap_pins;
} kiln_rt_table;

KILN_INTERNAL kiln_table *kiln__table_create(uint32_t elem_type, uint32_t min, uint32_t max, bool has_max, void *init, kiln_error **err);
KILN_INTERNAL void kiln__table_retain(kiln_table *t);
KILN_INTERNAL uint32_t kiln__table_grow(kiln_table *t, uint32_t delta, void *init);
KILN_INTERNAL void kiln__table_pin(kiln_table *t, struct kiln_instance *i);

/* ---- global.c ---- */

struct kiln_global {
    kiln_cell *cell;                  /* vmctx->globals[i]: own_cell, or an inline cell (kiln_abi.h) */
    kiln_cell own_cell;
    uint8_t type;                     /* kiln_valkind */
    uint8_t mutable_;
    kiln_abi_typeword full_type;      /* canonical, with nullability and a concrete function type */
    _Atomic uint32_t refs;            /* host-created globals only */
    struct kiln_instance *owner;      /* defined by an instance: refcounting forwards to it */
};

KILN_INTERNAL void kiln__global_retain(kiln_global *g);
/* The value cell of the instance's defined global k < KILN_INLINE_GLOBALS, below its vmctx. */
static inline kiln_cell *kiln__inline_global_cell(kiln_vmctx *vm, uint32_t k)
{
    return (kiln_cell *)((uint8_t *)(vm + 1) - KILN_INLINE_GLOBAL_OFFSET(k));
}
_Static_assert(KILN_INLINE_GLOBAL_OFFSET(KILN_INLINE_GLOBALS - 1) <= KILN_MEMORY_HEADER_BYTES,
               "the inline globals fit in a memory's header, below the vmctx");
KILN_INTERNAL void kiln__global_release(kiln_global *g);

/* ---- const_expr.c ---- */

/* 0, or -1 for a malformed program. num_globals counts the globals initialised so far. */
KILN_INTERNAL int kiln__const_eval(const kiln_const_expr *e, kiln_cell *const *globals, uint32_t num_globals,
                                   kiln_func *const *funcs, uint32_t num_funcs, kiln_cell *out);

/* ---- host.c / imports.c ---- */

typedef struct kiln_host_import {
    kiln_host_func abi;               /* ctx of the importing module's host thunk */
    kiln_host_fn fn;
    void *env;
    struct kiln_instance *caller;
    uint32_t type_id;
} kiln_host_import;

KILN_INTERNAL void kiln__host_import_init(kiln_host_import *h, kiln_host_fn fn, void *env,
                                          struct kiln_instance *caller, uint32_t type_id);

typedef struct kiln_binding {
    char *module, *name;
    bool is_host;
    kiln_extern ext;                  /* when !is_host; retained by the imports object */
    kiln_host_fn fn;                  /* when is_host */
    void *env;
    uint32_t type_id;
} kiln_binding;

/* ---- tags.c / exceptions.c ---- */

typedef struct kiln_rt_tag {          /* a tag the host created */
    kiln_tag abi;
    _Atomic uint32_t refs;
} kiln_rt_tag;

KILN_INTERNAL void kiln__tag_retain(kiln_tag *t);
KILN_INTERNAL void kiln__tag_release(kiln_tag *t);
/* "tag \"name\"" by the defining instance's export, or "tag N" / "a host tag", into buf. */
KILN_INTERNAL void kiln__tag_describe(const kiln_tag *t, char *buf, size_t size);

/* Unwinds to the innermost handler; never returns. */
KILN_INTERNAL __attribute__((noreturn)) void kiln__exception_raise(kiln_exception *exn);
/* Frees exn unless an exnref may name it. */
KILN_INTERNAL void kiln__exception_release(kiln_exception *exn);
KILN_INTERNAL void kiln__exceptions_free_held(kiln_exception *list);
/* The error for an exception that left Wasm uncaught; releases exn. */
KILN_INTERNAL kiln_error *kiln__error_uncaught(kiln_exception *exn);
KILN_INTERNAL __attribute__((noreturn)) void kiln__rt_throw(kiln_vmctx *vm, uint32_t tag, const kiln_cell *values);
KILN_INTERNAL __attribute__((noreturn)) void kiln__rt_throw_ref(kiln_vmctx *vm, kiln_exception *exn);
KILN_INTERNAL void kiln__rt_exception_release(kiln_vmctx *vm, kiln_exception *exn);
KILN_INTERNAL void kiln__rt_exception_hold(kiln_vmctx *vm, kiln_exception *exn);

KILN_INTERNAL const kiln_binding *kiln__imports_find(const kiln_imports *im, const char *module, const char *name);

/* ---- wasi/: WASI preview 1 (see wasi/wasi.h) ---- */

struct kiln_wasi;
struct kiln_wasi_config;
/* The WASI configuration an imports object carries (NULL: none); the imports object owns it. */
KILN_INTERNAL struct kiln_wasi_config *kiln__imports_wasi(const kiln_imports *im);
KILN_INTERNAL uint64_t kiln__imports_memory_limit(const kiln_imports *im);
/* The fuel instances made with these imports start with (kiln_imports_set_fuel; INT64_MAX: none set). */
KILN_INTERNAL int64_t kiln__imports_fuel(const kiln_imports *im);
KILN_INTERNAL kiln_unknown_imports kiln__imports_unknown_policy(const kiln_imports *im);
KILN_INTERNAL void kiln__imports_set_wasi(kiln_imports *im, struct kiln_wasi_config *cfg);
/* Another owner of im (kiln_imports_free releases one); returns im. */
KILN_INTERNAL kiln_imports *kiln__imports_retain(const kiln_imports *im);
KILN_INTERNAL void kiln__wasi_config_free(struct kiln_wasi_config *cfg);
/* At instantiation: give i its own WASI state when the imports carry a WASI configuration and the
 * module imports WASI, or share `share` (a wasi-threads thread's instance). 0, or -1 with *err. */
KILN_INTERNAL int kiln__wasi_attach(struct kiln_instance *i, const kiln_imports *imports, struct kiln_wasi *share,
                                    kiln_error **err);
KILN_INTERNAL void kiln__wasi_detach(struct kiln_instance *i);
/* A call into owner's code failed with e (taken). In a WASI program that has spawned threads this
 * ends the program (wasi/threads.c), and the error handed back is the program's end, whichever
 * thread had it. Otherwise e itself. */
KILN_INTERNAL kiln_error *kiln__wasi_call_failed(struct kiln_instance *owner, kiln_error *e);

/* ---- instance.c / link.c ---- */

typedef struct kiln_link_group kiln_link_group;

struct kiln_instance {
    /* The ctx of defined functions: in the instance's allocation (layout.context), or the header
     * of the memory 0 the instance defines (kiln_abi.h, KILN_MEMORY_HEADER_BYTES), where
     * create_definitions moves it. The cells of its inline globals lie below it, wherever it is. */
    kiln_vmctx *vmctx;
    kiln_module *module;
    _Atomic uint32_t refs;            /* the host handle + importers + imports objects + table pins */
    _Atomic bool interrupt_pending;   /* kiln_instance_interrupt, set on the whole link group (link.c) */
    kiln_memory **memories;
    kiln_table **tables;
    kiln_cell **globals;
    kiln_global **global_objects;     /* global index -> record (globals[] holds the cells) */
    kiln_func **funcs;
    kiln_tag **tags;
    kiln_func *func_records;          /* defined functions, then imported host functions */
    kiln_tag *tag_records;            /* defined tags */
    kiln_exception *held_exceptions;  /* caught by a _ref clause here; freed with the instance */
    kiln_global *global_records;      /* defined globals */
    kiln_host_import *host_records;   /* one per function import (used when bound to the host) */
    uint8_t *elem_dropped, *data_dropped;
    bool wrote_imported_table;        /* an active elem segment stored into an imported table */
    kiln_link_group *group;           /* NULL until linked with another instance */
    struct kiln_instance *group_next, *group_prev;
    struct kiln_wasi *wasi;           /* WASI state (wasi/setup.c), NULL when the module has none */
};

static inline uint32_t kiln__count(const kiln_instance *i, uint32_t kind)
{
    const kiln_module_descriptor *d = i->module->desc;
    static const size_t defined[KILN_ABI_EXTERN_KIND_COUNT] = {
        offsetof(kiln_module_descriptor, num_funcs), offsetof(kiln_module_descriptor, num_tables),
        offsetof(kiln_module_descriptor, num_memories), offsetof(kiln_module_descriptor, num_globals),
        offsetof(kiln_module_descriptor, num_tags),
    };
    return i->module->num_imported[kind] + *(const uint32_t *)((const char *)d + defined[kind]);
}

KILN_INTERNAL void kiln__instance_retain(kiln_instance *i);
/* kiln_instance_new for a wasi-threads thread: the new instance shares the WASI state w. */
KILN_INTERNAL kiln_instance *kiln__instance_new_sharing_wasi(kiln_module *m, const kiln_imports *imports,
                                                             struct kiln_wasi *w, kiln_error **err);
KILN_INTERNAL void kiln__instance_release(kiln_instance *i);

KILN_INTERNAL void kiln__link_join(kiln_instance *i, kiln_instance *other);
KILN_INTERNAL void kiln__link_leave(kiln_instance *i);
/* kiln_instance_interrupt: every member of i's link group is marked and its stack limit raised
 * to the top, so the next stack check in any of their code (function entries, and loop headers
 * of interruptible code) traps. */
KILN_INTERNAL void kiln__link_interrupt(kiln_instance *i);
/* Clears the interrupt mark of i's link group; whether there was one. */
KILN_INTERNAL bool kiln__link_take_interrupt(kiln_instance *i);
KILN_INTERNAL void kiln__link_set_stack_limit(kiln_instance *i, uintptr_t limit);
/* Copies i's vmctx to `to` and makes that i's vmctx, under the lock that the group's stack-limit
 * writers hold, so no store to the old copy is lost. */
KILN_INTERNAL void kiln__link_move_vmctx(kiln_instance *i, kiln_vmctx *to);
KILN_INTERNAL kiln_instance *kiln__link_creator(kiln_instance *const *creator_field);
KILN_INTERNAL void kiln__link_clear_creator(kiln_instance **creator_field, kiln_instance *i);

/* ---- segments.c ---- */

KILN_INTERNAL extern const kiln_runtime_api kiln__runtime_api;
/* Applies active segments, drops active and declarative ones. 0, or -1 with *err (a trap). */
KILN_INTERNAL int kiln__segments_instantiate(kiln_instance *i, kiln_error **err);

/* ---- call.c ---- */

/* The one entry into Wasm: arms a frame, sets the stack limit, calls through the array convention. */
KILN_INTERNAL int kiln__invoke(kiln_func *f, kiln_cell *cells, kiln_error **err);

#endif /* KILN_INTERNAL_H */
