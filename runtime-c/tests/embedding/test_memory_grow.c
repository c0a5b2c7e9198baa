/* test_memory_grow.c — a host pointer into linear memory survives memory.grow.
 *
 * Linear memory is reserved once and never moves (DESIGN.md, decision 3), so the pointer from
 * kiln_memory_data taken before any growth must stay valid and alias the same bytes after the
 * module grows its memory many times, up to the 4 GiB maximum. */
#define _GNU_SOURCE
#include "harness.h"

#include <stdint.h>
#include <string.h>

#define PAGE 65536u
/* Kiln's limit for a 32-bit memory (README: one page short of 4 GiB). */
#define LIMIT_PAGES 65535u

static void store(kiln_instance *i, uint32_t addr, int32_t v)
{
    bool ok;
    call_i32(i, "store", 2, (int32_t)addr, v, &ok);
    CHECK(ok);
}

static int32_t load_word(kiln_instance *i, uint32_t addr)
{
    bool ok;
    int32_t v = call_i32(i, "load", 1, (int32_t)addr, 0, &ok);
    CHECK(ok);
    return v;
}

void test_memory_grow(void)
{
    kiln_module *m = load(module_path("grow"));
    kiln_instance *i = instantiate(m, NULL);
    uint8_t *base = kiln_memory_data(i, 0);
    CHECK(base != NULL);
    CHECK(kiln_memory_size(i, 0) == PAGE);
    memcpy(base + 8, "kiln", 4);
    store(i, 100, 0x12345678);

    /* 200 growths of growing size: 1, 2, ... pages, then one to the very top. */
    uint32_t pages = 1, bad = 0;
    for (uint32_t step = 1; step <= 200; step++) {
        bool ok;
        int32_t old = call_i32(i, "grow", 1, (int32_t)step, 0, &ok);
        if (!ok || (uint32_t)old != pages || kiln_memory_data(i, 0) != base)
            bad++;
        pages += step;
        /* Host writes at the new top, Wasm reads them back through the same pointer; and back. */
        uint32_t top = pages * PAGE - 4;
        int32_t v = (int32_t)(step * 2654435761u);
        memcpy(base + top, &v, 4);
        if (load_word(i, top) != v)
            bad++;
        store(i, top - 4, ~v);
        int32_t w;
        memcpy(&w, base + top - 4, 4);
        if (w != ~v)
            bad++;
    }
    CHECK(bad == 0);
    CHECK(kiln_memory_size(i, 0) == (uint64_t)pages * PAGE);
    CHECK(memcmp(base + 8, "kiln", 4) == 0);
    CHECK(load_word(i, 100) == 0x12345678);

    /* Grow to Kiln's limit: still the same base, the last byte is reachable, and the page after
     * it cannot be had. */
    bool ok;
    CHECK(call_i32(i, "grow", 1, (int32_t)(65536 - pages), 0, &ok) == -1 && ok);
    CHECK(call_i32(i, "grow", 1, (int32_t)(LIMIT_PAGES - pages), 0, &ok) == (int32_t)pages && ok);
    CHECK(kiln_memory_data(i, 0) == base);
    CHECK(kiln_memory_size(i, 0) == (uint64_t)LIMIT_PAGES * PAGE);
    base[0xFFFEFFFFu] = 0x5a;
    CHECK((load_word(i, 0xFFFEFFFCu) >> 24 & 0xff) == 0x5a);
    CHECK(call_i32(i, "grow", 1, 1, 0, &ok) == -1 && ok);
    CHECK(call_i32(i, "pages", 0, 0, 0, &ok) == LIMIT_PAGES && ok);
    CHECK(memcmp(base + 8, "kiln", 4) == 0);

    kiln_instance_free(i);
    kiln_module_release(m);
}
