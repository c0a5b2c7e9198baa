/* errors.c — heap-allocated error values handed to the host. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returned when allocating an error fails, so callers never see err == NULL after a failure.
 * kiln_error_free recognises it and does not free it. */
static kiln_error oom_error = { KILN_TRAP_NONE, 0, "out of memory", NULL, 0, NULL, NULL, 0 };

bool kiln__error_is_static(const kiln_error *e)
{
    return e == &oom_error;
}

static kiln_error *error_alloc(const char *text, size_t len, uint32_t code, int status)
{
    kiln_error *e = malloc(sizeof *e + len + 1);
    if (!e)
        return &oom_error;
    e->trap_code = code;
    e->exit_status = status;
    e->frames = NULL;
    e->frame_count = 0;
    e->tag = NULL;
    e->exception_values = NULL;
    e->exception_value_count = 0;
    memcpy(e->text, text, len);
    e->text[len] = '\0';
    e->message = e->text;
    return e;
}

kiln_error *kiln__error_new(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    return error_alloc(buf, (size_t)n, KILN_TRAP_NONE, 0);
}

kiln_error *kiln__error_trap(uint32_t code, int exit_status)
{
    const char *msg = kiln__trap_message(code);
    return error_alloc(msg, strlen(msg), code, exit_status);
}

kiln_error *kiln__error_copy(const kiln_error *e)
{
    if (!e || e == &oom_error)
        return &oom_error;
    kiln_error *c = error_alloc(e->message, strlen(e->message), e->trap_code, e->exit_status);
    if (c == &oom_error || e->frame_count == 0)
        return c;
    c->frames = calloc(e->frame_count, sizeof *c->frames);
    for (size_t n = 0; c->frames && n < e->frame_count; n++)
        if ((c->frames[c->frame_count] = strdup(e->frames[n])))
            c->frame_count++;
    return c;
}

int kiln__fail(kiln_error **err, kiln_error *e)
{
    if (err)
        *err = e;
    else
        kiln_error_free(e);
    return -1;
}

const char *kiln_error_message(const kiln_error *e)
{
    return e ? e->message : "";
}

int kiln_error_is_trap(const kiln_error *e)
{
    return e && e->trap_code != KILN_TRAP_NONE && e->trap_code != KILN_TRAP_EXIT;
}

int kiln_error_exit_status(const kiln_error *e, int *status)
{
    if (!e || e->trap_code != KILN_TRAP_EXIT)
        return 0;
    if (status)
        *status = e->exit_status;
    return 1;
}

void kiln_error_free(kiln_error *e)
{
    if (!e || e == &oom_error)
        return;
    for (size_t n = 0; n < e->frame_count; n++)
        free(e->frames[n]);
    free(e->frames);
    free(e->exception_values);
    free(e);
}

const char *kiln_version(void)
{
    return KILN_VERSION_STRING;
}

kiln_error *kiln__error_from_frame(const struct kiln_call_frame *frame)
{
    kiln_error *e = kiln__error_trap(frame->trap_code, frame->exit_status);
    if (e == &oom_error || frame->backtrace_length <= 0)
        return e;
    e->frames = calloc((size_t)frame->backtrace_length, sizeof *e->frames);
    if (!e->frames)
        return e;
    char name[256];
    for (int n = 0; n < frame->backtrace_length; n++) {
        /* A return address points after its call: step back into the calling instruction. The
         * innermost frames are the runtime's own and the fault handler's, which match no module. */
        const char *pc = (const char *)frame->backtrace[n] - 1;
        if (kiln__module_function_at(pc, name, sizeof name) && (e->frames[e->frame_count] = strdup(name)))
            e->frame_count++;
    }
    return e;
}

size_t kiln_error_frame_count(const kiln_error *e)
{
    return e ? e->frame_count : 0;
}

const char *kiln_error_frame(const kiln_error *e, size_t n)
{
    return e && n < e->frame_count ? e->frames[n] : NULL;
}
