/* guest_run.c — instantiating and running a WASI command, and ending as RunCommand and
 * TrapReport end: the program's exit status (0 when _start returns), or after a trap
 * "trap: MESSAGE", "wasm backtrace:" and "  N: name" lines on stderr and status 134, or for any
 * other error after guest code ran "kiln: error: MODULE: MESSAGE" and status 1. */
#include "launcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 128 + SIGABRT, as TrapReport.exitStatus. */
enum { trap_status = 134 };

/* Writes `text` to stderr in one write, as Swift's printError does. */
static void print_error(const char *text)
{
    size_t length = strlen(text);
    while (length > 0) {
        ssize_t n = write(2, text, length);
        if (n <= 0)
            return;
        text += n;
        length -= (size_t)n;
    }
}

/* How a call into Wasm ended, when it failed; never returns. `fallback` is the Swift API's
 * message when the runtime gave none. */
static _Noreturn void finish_failed(const kiln_error *error, const char *module, const char *fallback)
{
    int status = 0;
    if (error != NULL && kiln_error_exit_status(error, &status))
        exit(status);
    const char *message = error ? kiln_error_message(error) : NULL;
    if (message == NULL)
        message = fallback;
    size_t frames = error && kiln_error_is_trap(error) ? kiln_error_frame_count(error) : 0;
    size_t capacity = strlen(message) + strlen(module) + 64;
    for (size_t n = 0; n < frames; n++) {
        const char *frame = kiln_error_frame(error, n);
        capacity += (frame ? strlen(frame) : 1) + 32;
    }
    char *text = malloc(capacity);
    if (text == NULL)
        exit(1);
    if (error && kiln_error_is_trap(error)) {
        size_t length = (size_t)snprintf(text, capacity, "trap: %s\n", message);
        if (frames > 0)
            length += (size_t)snprintf(text + length, capacity - length, "wasm backtrace:\n");
        for (size_t n = 0; n < frames; n++) {
            const char *frame = kiln_error_frame(error, n);
            length += (size_t)snprintf(text + length, capacity - length, "  %zu: %s\n", n, frame ? frame : "?");
        }
        print_error(text);
        exit(trap_status);
    }
    /* An uncaught Wasm exception, say: reportingErrors' one line. */
    snprintf(text, capacity, "kiln: error: %s: %s\n", module, message);
    print_error(text);
    exit(1);
}

/* A wasi-threads program's end, on the thread that ended it: reported and the process exits at
 * once, as a process ends when one of its threads exits, whatever the others are doing. */
static void end_the_process(const kiln_error *end, void *module)
{
    finish_failed(end, module, "the program ended");
}

_Noreturn void run_guest(kiln_module *module, kiln_imports *imports, const run_request *request, char **argv)
{
    kiln_error *error = NULL;
    kiln_imports_wasi_on_end(imports, end_the_process, (void *)request->module);
    /* A wasi-threads program imports its shared memory: the host provides it, as Wasmtime does. */
    if (kiln_imports_create_shared_memories(imports, module) != 0)
        exec_full(argv, "cannot create the shared memories the module imports");
    kiln_instance *instance = kiln_instance_new(module, imports, &error);
    if (instance == NULL) {
        /* A trap, exit or exception in the start function: guest code ran, so report it here.
         * Anything else (an unlinkable import, a segment out of bounds) happens before any guest
         * code runs, and kiln-full reports it in its own words. */
        int status;
        if (error && (kiln_error_is_trap(error) || kiln_error_exit_status(error, &status) || kiln_error_is_exception(error)))
            finish_failed(error, request->module, "instantiation failed");
        kiln_error_free(error);
        exec_full(argv, "instantiation failed");
    }
    kiln_extern start;
    if (kiln_instance_export(instance, "_start", &start) != 0 || start.kind != KILN_EXTERN_FUNC) {
        /* A start function may have run: say it here, in RunCommand's words. */
        char text[4096];
        snprintf(text, sizeof text,
                 "kiln: error: %s: no _start export (not a WASI command); use --invoke NAME to call an export\n",
                 request->module);
        print_error(text);
        exit(1);
    }
    size_t result_count = kiln_func_result_count(start.of.func);
    kiln_val *results = calloc(result_count + 1, sizeof *results);
    /* The guest writes to fd 1 itself: anything buffered goes out first. */
    fflush(NULL);
    if (kiln_func_call(start.of.func, NULL, 0, results, result_count, &error) != 0)
        finish_failed(error, request->module, "call failed");
    exit(0);
}
