/* test_exceptions.c — exceptions through the C API: a host-created tag, a host function that
 * throws with kiln_host_throw (caught in Wasm, or reaching the host), an instance's own tag, and
 * exceptions held by exnrefs, which the instance frees with itself (the leak run checks). */
#include "harness.h"

#include <string.h>

static int host_throw(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results)
{
    (void)caller, (void)results;
    kiln_val value = { .kind = KILN_I32, .of.i32 = args[0].of.i32 * 10 };
    return kiln_host_throw(env, &value, 1);
}

void test_exceptions(void)
{
    kiln_valkind i32[] = { KILN_I32 };
    kiln_error *err = NULL;
    kiln_tag *tag = kiln_tag_new(i32, 1, &err);
    CHECK(tag && kiln_tag_param_count(tag) == 1 && kiln_tag_param(tag, 0) == KILN_I32);
    kiln_val wrong = { .kind = KILN_I64, .of.i64 = 1 };
    CHECK(kiln_host_throw(tag, &wrong, 1) == -1); /* outside a host function, and the wrong kind */

    kiln_imports *im = kiln_imports_new();
    CHECK(kiln_imports_extern(im, "host", "tag", (kiln_extern){ .kind = KILN_EXTERN_TAG, .of.tag = tag }) == 0);
    CHECK(kiln_imports_func(im, "host", "throw", i32, 1, NULL, 0, host_throw, tag) == 0);
    kiln_module *m = load(module_path("exceptions"));
    kiln_instance *i = instantiate(m, im);
    if (!i)
        goto done;

    bool ok = false;
    CHECK(call_i32(i, "catch_host", 1, 4, 0, &ok) == 41 && ok);

    kiln_val arg = { .kind = KILN_I32, .of.i32 = 7 }, value;
    CHECK(kiln_call(i, "pass_host", &arg, 1, NULL, 0, &err) != 0);
    CHECK(kiln_error_is_exception(err) && !kiln_error_is_trap(err));
    CHECK(kiln_error_exception_tag(err) == tag);
    CHECK(strcmp(kiln_error_message(err), "uncaught exception: a host tag") == 0);
    CHECK(kiln_error_exception_value_count(err) == 1 && kiln_error_exception_value(err, 0, &value) == 0 &&
          value.kind == KILN_I32 && value.of.i32 == 70);
    kiln_error_free(err);

    kiln_extern own;
    CHECK(kiln_instance_export(i, "own", &own) == 0 && own.kind == KILN_EXTERN_TAG);
    CHECK(kiln_call(i, "throw_own", NULL, 0, NULL, 0, &err) != 0);
    CHECK(kiln_error_exception_tag(err) == own.of.tag);
    CHECK(strcmp(kiln_error_message(err), "uncaught exception: tag \"own\"") == 0);
    CHECK(kiln_error_exception_value(err, 0, &value) == 0 && value.kind == KILN_I64 && value.of.i64 == -9);
    CHECK(kiln_error_exception_value(err, 1, &value) == 0 && value.kind == KILN_F32 && value.of.f32 == 0.5f);
    CHECK(kiln_error_exception_value(err, 2, &value) == -1);
    kiln_error_free(err);

    /* Exceptions an exnref may name live until the instance goes: the leak run sees them freed. */
    arg.of.i32 = 1000;
    CHECK(kiln_call(i, "hold", &arg, 1, NULL, 0, NULL) == 0);
    kiln_instance_free(i);
done:
    kiln_module_release(m);
    kiln_imports_free(im);
    kiln_tag_release(tag);
}
