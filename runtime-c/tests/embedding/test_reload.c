/* test_reload.c — replacing a module on disk while its old version runs.
 *
 * The scenario of a host with hot reload: `kiln compile` writes a new version to the path the
 * host loaded before (atomically: a new file renamed over the old). Loading that path again must
 * give the new code with fresh state, while instances of the old version keep their code and
 * their state; and no release of one handle may break another. */
#define _GNU_SOURCE
#include "harness.h"

#include <stdlib.h>
#include <unistd.h>

static int32_t call0(kiln_instance *i, const char *name)
{
    bool ok;
    int32_t v = call_i32(i, name, 0, 0, 0, &ok);
    CHECK(ok);
    return v;
}

/* Recompiling to the same path: new code and fresh state, old instances unaffected. */
static void new_version_at_same_path(const char *path)
{
    CHECK(compile_wat("counter_v1", path));
    kiln_module *v1 = load(path);
    kiln_instance *old = instantiate(v1, NULL);
    CHECK(call0(old, "version") == 1);
    CHECK(call0(old, "bump") == 1);
    CHECK(call0(old, "bump") == 2);

    CHECK(compile_wat("counter_v2", path));
    kiln_module *v2 = load(path);
    kiln_instance *fresh = instantiate(v2, NULL);
    CHECK(call0(fresh, "version") == 2);
    CHECK(call0(fresh, "stored") == 0);      /* fresh memory, not the old instance's */
    CHECK(call0(fresh, "bump") == 10);       /* fresh global, new code */

    /* The old instance keeps its code and state, even once its module handle is released. */
    kiln_module_release(v1);
    CHECK(call0(old, "version") == 1);
    CHECK(call0(old, "bump") == 3);
    CHECK(call0(old, "stored") == 3);
    CHECK(call0(fresh, "bump") == 20);

    /* A third version (v1's source again) while both older ones are mapped. */
    CHECK(compile_wat("counter_v1", path));
    kiln_module *v3 = load(path);
    kiln_instance *third = instantiate(v3, NULL);
    CHECK(call0(third, "version") == 1);
    CHECK(call0(third, "bump") == 1);
    CHECK(call0(old, "bump") == 4);
    CHECK(call0(fresh, "version") == 2);

    kiln_instance_free(old);
    CHECK(call0(fresh, "bump") == 30);
    CHECK(call0(third, "bump") == 2);
    kiln_instance_free(fresh);
    kiln_instance_free(third);
    kiln_module_release(v2);
    kiln_module_release(v3);
}

/* The same unchanged file loaded twice: two handles, independent instances. */
static void same_file_twice(const char *path)
{
    CHECK(compile_wat("counter_v1", path));
    kiln_module *a = load(path), *b = load(path);
    CHECK(a != b);
    kiln_instance *ia = instantiate(a, NULL), *ib = instantiate(b, NULL), *ia2 = instantiate(a, NULL);
    CHECK(call0(ia, "bump") == 1);
    CHECK(call0(ia, "bump") == 2);
    CHECK(call0(ib, "bump") == 1);
    CHECK(call0(ia2, "bump") == 1);
    CHECK(kiln_memory_data(ia, 0) != kiln_memory_data(ib, 0));
    CHECK(call0(ib, "stored") == 1);

    /* Releasing one handle, then freeing its instances, leaves the other fully working. */
    kiln_module_release(a);
    CHECK(call0(ia, "bump") == 3);
    kiln_instance_free(ia);
    kiln_instance_free(ia2);
    CHECK(call0(ib, "bump") == 2);
    kiln_instance *ib2 = instantiate(b, NULL);
    CHECK(call0(ib2, "bump") == 1);
    kiln_instance_free(ib);
    kiln_instance_free(ib2);
    kiln_module_release(b);
}

/* Handles released in every order relative to instances of other handles of the same file. */
static void release_orders(const char *path)
{
    for (int order = 0; order < 4; order++) {
        kiln_module *a = load(path), *b = load(path);
        kiln_instance *ia = instantiate(a, NULL), *ib = instantiate(b, NULL);
        kiln_module *first = order & 1 ? a : b, *second = order & 1 ? b : a;
        kiln_instance *keep = order & 2 ? ia : ib, *drop = order & 2 ? ib : ia;
        kiln_module_release(first);
        kiln_instance_free(drop);
        CHECK(call0(keep, "bump") == 1);
        kiln_module_release(second);
        CHECK(call0(keep, "bump") == 2);
        kiln_instance_free(keep);
    }
}

void test_reload(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/reloaded.so", scratch_dir);
    new_version_at_same_path(path);
    same_file_twice(path);
    release_orders(path);
    CHECK(!maps_contain(path));
    unlink(path);
}
