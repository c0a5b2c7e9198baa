/* full_exec.c — handing a command to kiln-full, and the launcher's one diagnostic. */
#include "launcher.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void trace(const char *format, ...)
{
    const char *setting = getenv("KILN_LAUNCHER_TRACE");
    if (setting == NULL || setting[0] == '\0' || strcmp(setting, "0") == 0)
        return;
    char line[1024];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line - 1, format, args);
    va_end(args);
    if (n < 0)
        return;
    size_t length = (size_t)n < sizeof line - 1 ? (size_t)n : sizeof line - 2;
    line[length++] = '\n';
    /* One write, so that the line never interleaves with the guest's output. */
    ssize_t ignored = write(2, line, length);
    (void)ignored;
}

_Noreturn void exec_full(char **argv, const char *reason)
{
    /* kiln-full is installed beside kiln (scripts/install; SwiftPM's build directory). Its own
     * path, not PATH: another Kiln's kiln-full would not match this launcher's cache or ABI. */
    char self[PATH_MAX], full[PATH_MAX + 16];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "kiln: error: cannot find the kiln executable (/proc/self/exe): %s\n", strerror(errno));
        exit(1);
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    *slash = '\0';
    snprintf(full, sizeof full, "%s/kiln-full", self);
    trace("kiln: launcher: exec kiln-full (%s)", reason);
    fflush(NULL);
    execv(full, argv);
    fprintf(stderr,
            "kiln: error: cannot run %s: %s (kiln-full belongs beside kiln; from a checkout: swift build --product kiln-full)\n",
            full, strerror(errno));
    exit(1);
}
