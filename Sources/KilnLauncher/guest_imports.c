/* guest_imports.c — what the guest sees of the host, as WASIFlags and InstanceFlags give it:
 * argv (the module path first), only --env's variables on top of the whole environment with
 * --inherit-env (`--env KEY` copies the launcher's own KEY, nothing when unset), sorted by key, the
 * --dir preopens in order, and the --max-memory cap.
 *
 * Swift holds these as Strings, which repair invalid UTF-8 and order keys by Unicode rules: for
 * text that is not valid UTF-8, or keys that are not ASCII, kiln-full runs it instead, so the guest
 * sees exactly the same bytes either way. */
#include "launcher.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

static int valid_utf8(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int extra;
        uint32_t c;
        if ((*p & 0xE0) == 0xC0) {
            extra = 1;
            c = *p & 0x1F;
        } else if ((*p & 0xF0) == 0xE0) {
            extra = 2;
            c = *p & 0x0F;
        } else if ((*p & 0xF8) == 0xF0) {
            extra = 3;
            c = *p & 0x07;
        } else {
            return 0;
        }
        for (int k = 1; k <= extra; k++) {
            if ((p[k] & 0xC0) != 0x80)
                return 0;
            c = c << 6 | (p[k] & 0x3F);
        }
        static const uint32_t smallest[4] = {0, 0x80, 0x800, 0x10000};
        if (c < smallest[extra] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        p += extra + 1;
    }
    return 1;
}

static int ascii(const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if ((unsigned char)text[i] >= 0x80)
            return 0;
    return 1;
}

/* One variable: points into a KEY=VALUE string. */
typedef struct {
    const char *entry;
    size_t key_length;
} variable;

static int by_key(const void *a, const void *b)
{
    const variable *x = a, *y = b;
    size_t shorter = x->key_length < y->key_length ? x->key_length : y->key_length;
    int order = memcmp(x->entry, y->entry, shorter);
    if (order != 0)
        return order;
    return x->key_length < y->key_length ? -1 : x->key_length > y->key_length;
}

/* Sets `key` (of `length` bytes) to the whole entry `entry` ("KEY=VALUE"), replacing it if set. */
static void set(variable *variables, size_t *count, const char *entry, size_t length)
{
    for (size_t i = 0; i < *count; i++)
        if (variables[i].key_length == length && memcmp(variables[i].entry, entry, length) == 0) {
            variables[i].entry = entry;
            return;
        }
    variables[(*count)++] = (variable){entry, length};
}

/* The guest's environment as sorted "KEY=VALUE" strings, NULL-terminated; NULL when kiln-full
 * should decide. */
static const char **guest_environment(const run_request *request, const char **reason)
{
    size_t host_count = 0;
    if (request->inherit_env)
        while (environ[host_count])
            host_count++;
    variable *variables = calloc(host_count + (size_t)request->env_count + 1, sizeof *variables);
    if (variables == NULL) {
        *reason = "out of memory";
        return NULL;
    }
    size_t count = 0;
    for (size_t i = 0; i < host_count; i++) {
        const char *equals = strchr(environ[i], '=');
        /* Foundation's reading of an entry without '=', with an empty key or given twice is its own. */
        if (equals == NULL || equals == environ[i]) {
            *reason = "an unusual host environment";
            return NULL;
        }
        variables[count++] = (variable){environ[i], (size_t)(equals - environ[i])};
    }
    for (int i = 0; i < request->env_count; i++) {
        const char *entry = request->envs[i], *equals = strchr(entry, '=');
        size_t key_length = equals ? (size_t)(equals - entry) : strlen(entry);
        if (key_length == 0) {
            *reason = "an --env without a key";
            return NULL;
        }
        if (equals) {
            set(variables, &count, entry, key_length);
        } else {
            /* `--env KEY`: the launcher's own KEY=VALUE entry, if it has one. */
            for (char **host = environ; *host; host++)
                if (strncmp(*host, entry, key_length) == 0 && (*host)[key_length] == '=') {
                    set(variables, &count, *host, key_length);
                    break;
                }
        }
    }
    qsort(variables, count, sizeof *variables, by_key);
    const char **envp = calloc(count + 1, sizeof *envp);
    if (envp == NULL) {
        *reason = "out of memory";
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        if (i > 0 && by_key(&variables[i - 1], &variables[i]) == 0) {
            *reason = "an unusual host environment";
            return NULL;
        }
        if (!ascii(variables[i].entry, variables[i].key_length) || !valid_utf8(variables[i].entry)) {
            *reason = "an environment variable that is not plain text";
            return NULL;
        }
        envp[i] = variables[i].entry;
    }
    free(variables);
    return envp;
}

kiln_imports *guest_imports(const run_request *request, const char **reason)
{
    int argc = request->guest_argc + 1;
    const char **argv = calloc((size_t)argc + 1, sizeof *argv);
    if (argv == NULL) {
        *reason = "out of memory";
        return NULL;
    }
    argv[0] = request->module;
    for (int i = 0; i < request->guest_argc; i++)
        argv[i + 1] = request->guest_args[i];
    for (int i = 0; i < argc; i++)
        if (!valid_utf8(argv[i])) {
            *reason = "an argument that is not UTF-8";
            return NULL;
        }
    const char **envp = guest_environment(request, reason);
    if (envp == NULL)
        return NULL;

    kiln_imports *imports = kiln_imports_new();
    if (imports == NULL || kiln_imports_wasi(imports, argc, argv) != 0 || kiln_imports_wasi_env(imports, envp) != 0) {
        *reason = "cannot bind WASI";
        return NULL;
    }
    for (int i = 0; i < request->dir_count; i++) {
        /* HOST::GUEST, or HOST as itself ("::" so that host paths may hold a colon). */
        const char *spec = request->dirs[i], *separator = strstr(spec, "::");
        char *host = separator ? strndup(spec, (size_t)(separator - spec)) : strdup(spec);
        const char *guest = separator ? separator + 2 : NULL;
        if (host == NULL || !valid_utf8(spec) || kiln_imports_wasi_preopen(imports, host, guest) != 0) {
            /* kiln-full reports it ("cannot preopen ...") before any guest code runs. */
            *reason = "a --dir that cannot be opened";
            kiln_imports_free(imports);
            return NULL;
        }
        free(host);
    }
    kiln_imports_limit_memory(imports, request->max_memory);
    free(argv);
    free(envp);
    return imports;
}
