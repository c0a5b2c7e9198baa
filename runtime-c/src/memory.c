/* memory.c — linear memories: one fixed reservation per memory, grown in place.
 *
 * Invariant: [base, base + reserved_bytes) stays mapped for the memory's whole life; [base, base +
 * size) is read-write and the rest PROT_NONE. Below base, KILN_MEMORY_HEADER_BYTES of read-write
 * header hold the vmctx of the instance that defines the memory as its memory 0 (kiln_abi.h). base never moves, so generated code may keep it in a
 * register and host pointers from kiln_memory_data survive memory.grow. A 32-bit memory reserves
 * KILN_MEMORY32_RESERVATION, which covers every address its code can form (the guard region); a
 * 64-bit memory reserves just its largest size, since its code checks every access.
 *
 * A shared memory (threads) is one whose instances may run on several threads at once. The layout
 * is the same; what changes is that memory.grow may race with itself and with every access, so
 * growth is serialised by the memory's lock and publishes the new size with a release store after
 * the pages are accessible: whoever reads the size (acquire, or generated code's plain load on
 * x86-64 and AArch64, which cannot tear) finds its bytes usable. Every memory grows this way; only
 * a shared one can have a contender. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

/* The most pages a memory of the kind may have in Kiln (kiln_abi.h says why). */
static uint64_t largest_pages(bool is64) { return is64 ? KILN_MEMORY64_MAX_PAGES : KILN_MEMORY32_MAX_PAGES; }

kiln_memory *kiln__memory_create(uint64_t min_pages, uint64_t max_pages, bool has_max, uint32_t flags, kiln_error **err)
{
    bool is64 = (flags & KILN_LIMITS_64) != 0, shared = (flags & KILN_LIMITS_SHARED) != 0;
    if (shared && !has_max) {
        kiln__fail(err, kiln__error_new("shared memory must have maximum"));
        return NULL;
    }
    if (!is64 && min_pages > KILN_MAX_MEMORY_PAGES) {
        kiln__fail(err, kiln__error_new("memory size must be at most 65536 pages (4GiB)"));
        return NULL;
    }
    if (has_max && max_pages < min_pages) {
        kiln__fail(err, kiln__error_new("size minimum must not be greater than maximum"));
        return NULL;
    }
    if (min_pages > largest_pages(is64)) {
        kiln__fail(err, is64 ? kiln__error_new("a 64-bit memory of %llu pages exceeds Kiln's limit of %u (64 GiB)",
                                               (unsigned long long)min_pages, KILN_MEMORY64_MAX_PAGES)
                             : kiln__error_new("a memory of 65536 pages exceeds Kiln's limit of 65535 (4 GiB less one page)"));
        return NULL;
    }
    kiln_rt_memory *m = calloc(1, sizeof *m);
    if (!m) {
        kiln__fail(err, kiln__error_new("out of memory"));
        return NULL;
    }
    uint64_t largest = has_max && max_pages < largest_pages(is64) ? max_pages : largest_pages(is64);
    uint64_t reservation = is64 ? (largest ? largest : 1) * KILN_WASM_PAGE_SIZE : KILN_MEMORY32_RESERVATION;
    /* The header is read-write from the start: it is one page, and most memories hold a vmctx. */
    uint8_t *mapping = mmap(NULL, KILN_MEMORY_HEADER_BYTES + reservation, PROT_NONE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) {
        free(m);
        kiln__fail(err, kiln__error_new("cannot reserve address space for a linear memory"));
        return NULL;
    }
    uint8_t *base = mapping + KILN_MEMORY_HEADER_BYTES;
    uint64_t bytes = min_pages * KILN_WASM_PAGE_SIZE;
    if (mprotect(mapping, KILN_MEMORY_HEADER_BYTES + bytes, PROT_READ | PROT_WRITE) != 0) {
        munmap(mapping, KILN_MEMORY_HEADER_BYTES + reservation);
        free(m);
        kiln__fail(err, kiln__error_new("cannot commit the initial pages of a linear memory"));
        return NULL;
    }
    m->abi.base = base;
    m->abi.size = bytes;
    uint64_t type_max = is64 ? UINT64_MAX : KILN_MAX_MEMORY_PAGES; /* what linking compares */
    m->abi.max_pages = has_max && max_pages < type_max ? max_pages : type_max;
    m->abi.reserved_bytes = reservation;
    m->has_max = has_max;
    m->is64 = is64;
    m->shared = shared;
    pthread_mutex_init(&m->grow_lock, NULL);
    m->reservation_slot = kiln__reservation_add((uintptr_t)base, (uintptr_t)base + reservation);
    atomic_init(&m->refs, 1);
    atomic_init(&m->limit_pages, largest_pages(is64));
    return &m->abi;
}

bool kiln__memory_is64(const kiln_memory *m) { return ((const kiln_rt_memory *)m)->is64; }

uint64_t kiln__memory_bytes(const kiln_memory *m) { return __atomic_load_n(&m->size, __ATOMIC_ACQUIRE); }

void kiln__memory_retain(kiln_memory *mem)
{
    atomic_fetch_add_explicit(&((kiln_rt_memory *)mem)->refs, 1, memory_order_relaxed);
}

void kiln_memory_release(kiln_memory *mem)
{
    kiln_rt_memory *m = (kiln_rt_memory *)mem;
    if (!m || atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) != 1)
        return;
    /* Out of the registry first: once unmapped, the range may be reused by anything. */
    kiln__reservation_remove(m->reservation_slot);
    munmap(m->abi.base - KILN_MEMORY_HEADER_BYTES, KILN_MEMORY_HEADER_BYTES + m->abi.reserved_bytes);
    pthread_mutex_destroy(&m->grow_lock);
    free(m);
}

static uint64_t memory_grow_locked(kiln_rt_memory *rt, uint64_t delta)
{
    kiln_memory *m = &rt->abi;
    uint64_t old = m->size / KILN_WASM_PAGE_SIZE;
    if (delta == 0)
        return old;
    uint64_t limit = atomic_load_explicit(&rt->limit_pages, memory_order_relaxed);
    /* Every bound is at most KILN_MEMORY64_MAX_PAGES, so comparing delta first keeps old + delta from wrapping. */
    if (delta > largest_pages(rt->is64) || old + delta > m->max_pages || old + delta > largest_pages(rt->is64)
        || old + delta > limit)
        return UINT64_MAX;
    if (mprotect(m->base + m->size, delta * KILN_WASM_PAGE_SIZE, PROT_READ | PROT_WRITE) != 0)
        return UINT64_MAX;
    __atomic_store_n(&m->size, (old + delta) * KILN_WASM_PAGE_SIZE, __ATOMIC_RELEASE);
    return old;
}

static uint64_t memory_grow(kiln_memory *m, uint64_t delta)
{
    kiln_rt_memory *rt = (kiln_rt_memory *)m;
    pthread_mutex_lock(&rt->grow_lock);
    uint64_t old = memory_grow_locked(rt, delta);
    pthread_mutex_unlock(&rt->grow_lock);
    return old;
}

int kiln__memory_limit(kiln_memory *m, uint64_t max_bytes)
{
    uint64_t pages = max_bytes / KILN_WASM_PAGE_SIZE;
    if (kiln__memory_bytes(m) > pages * KILN_WASM_PAGE_SIZE)
        return -1;
    _Atomic uint64_t *limit = &((kiln_rt_memory *)m)->limit_pages;
    uint64_t current = atomic_load_explicit(limit, memory_order_relaxed);
    while (pages < current && !atomic_compare_exchange_weak_explicit(limit, &current, pages, memory_order_relaxed,
                                                                      memory_order_relaxed)) {
    }
    return 0;
}

uint64_t kiln__rt_memory_grow(kiln_vmctx *vm, uint32_t memory, uint64_t delta)
{
    return memory_grow(vm->memories[memory], delta);
}

kiln_memory *kiln_memory_new(uint32_t min_pages, uint32_t max_pages, kiln_error **err)
{
    bool has_max = max_pages != UINT32_MAX;
    return kiln__memory_create(min_pages, has_max ? max_pages : 0, has_max, 0, err);
}

kiln_memory *kiln_memory_new_shared(uint32_t min_pages, uint32_t max_pages, kiln_error **err)
{
    return kiln__memory_create(min_pages, max_pages, true, KILN_LIMITS_SHARED, err);
}

kiln_memory *kiln_memory_new64(uint64_t min_pages, uint64_t max_pages, kiln_error **err)
{
    bool has_max = max_pages != UINT64_MAX;
    return kiln__memory_create(min_pages, has_max ? max_pages : 0, has_max, KILN_LIMITS_64, err);
}

uint8_t *kiln_memory_base(const kiln_memory *m) { return m ? m->base : NULL; }
uint64_t kiln_memory_bytes(const kiln_memory *m) { return m ? kiln__memory_bytes(m) : 0; }

static kiln_memory *instance_memory(kiln_instance *i, uint32_t index)
{
    if (!i)
        return NULL;
    uint32_t n = i->module->num_imported[KILN_ABI_EXTERN_MEMORY] + i->module->desc->num_memories;
    return index < n ? i->memories[index] : NULL;
}

uint8_t *kiln_memory_data(kiln_instance *i, uint32_t memory_index)
{
    kiln_memory *m = instance_memory(i, memory_index);
    return m ? m->base : NULL;
}

uint64_t kiln_memory_size(kiln_instance *i, uint32_t memory_index)
{
    kiln_memory *m = instance_memory(i, memory_index);
    return m ? kiln__memory_bytes(m) : 0;
}
