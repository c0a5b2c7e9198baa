/* test_release.c — "memory really freed": once every instance is freed and the module released,
 * the shared object is unmapped (gone from /proc/self/maps) and linear-memory pages are back with
 * the kernel (RSS returns to its baseline). */
#define _GNU_SOURCE
#include "harness.h"

#include <string.h>
#include <unistd.h>

#define MIB (1024L * 1024L)

/* touch.so writes 1 MiB per instance; 32 instances make a change no allocator noise can hide. */
#define INSTANCES 32

static void unmapped_after_release(void)
{
    const char *path = module_path("touch");
    CHECK(!maps_contain(path));
    kiln_module *m = load(path);
    CHECK(maps_contain(path));
    kiln_instance *i = instantiate(m, NULL);
    kiln_module_release(m);
    /* The instance still holds the code. */
    CHECK(maps_contain(path));
    bool ok;
    call_i32(i, "touch", 1, 7, 0, &ok);
    CHECK(ok);
    kiln_instance_free(i);
    CHECK(!maps_contain(path));
}

/* The reload case: a replaced file is loaded from a private copy, which must go too. */
static void private_copy_unmapped(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/release-copy.so", scratch_dir);
    CHECK(compile_wat("counter_v1", path));
    kiln_module *v1 = load(path);
    CHECK(compile_wat("counter_v2", path));
    kiln_module *v2 = load(path);
    CHECK(maps_contain("kiln-module"));
    kiln_module_release(v2);
    kiln_module_release(v1);
    CHECK(!maps_contain("kiln-module"));
    CHECK(!maps_contain(path));
    unlink(path);
}

static void pages_returned(void)
{
    const char *path = module_path("touch");
    /* Warm up: the allocator, the loader's own data and the runtime's tables reach steady state. */
    for (int k = 0; k < 3; k++) {
        kiln_module *m = load(path);
        kiln_instance *i = instantiate(m, NULL);
        call_i32(i, "touch", 1, 1, 0, NULL);
        kiln_instance_free(i);
        kiln_module_release(m);
    }
    long baseline = rss_bytes();
    kiln_module *m = load(path);
    kiln_instance *instances[INSTANCES];
    for (int k = 0; k < INSTANCES; k++) {
        instances[k] = instantiate(m, NULL);
        bool ok;
        call_i32(instances[k], "touch", 1, k + 1, 0, &ok);
        CHECK(ok);
    }
    long peak = rss_bytes();
    for (int k = 0; k < INSTANCES; k++)
        kiln_instance_free(instances[k]);
    kiln_module_release(m);
    long after = rss_bytes();
    fprintf(stderr, "release: RSS baseline %ld KiB, with %d touched MiB %ld KiB, after free %ld KiB\n",
            baseline / 1024, INSTANCES, peak / 1024, after / 1024);
    if (rss_meaningful()) {
        CHECK(peak - baseline >= (INSTANCES - 2) * MIB);
        CHECK(after - baseline < MIB);
    }
    CHECK(!maps_contain(path));
}

void test_release(void)
{
    unmapped_after_release();
    private_copy_unmapped();
    pages_returned();
}
