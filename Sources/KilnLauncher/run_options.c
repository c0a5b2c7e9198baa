/* run_options.c — the part of `kiln run`'s command line the launcher runs itself: --dir,
 * --env, --inherit-env and --max-memory (with their --option=value forms), then the module, then
 * the guest's arguments (RunCommand: Kiln's options come before the module, everything after it
 * is the program's, less a "--" right after it). Anything else goes to kiln-full, so an option
 * the launcher does not know is never guessed at. */
#include "launcher.h"

#include <stdlib.h>
#include <string.h>

/* If args[*i] is `--name VALUE` or `--name=VALUE`, sets *value and moves *i past it. 1 when it
 * matched, 0 when it is another word, -1 when the value is missing or looks like an option. */
static int option_value(char **args, int count, int *i, const char *name, const char **value)
{
    size_t length = strlen(name);
    const char *word = args[*i];
    if (strncmp(word, name, length) != 0)
        return 0;
    if (word[length] == '=') {
        *value = word + length + 1;
        return 1;
    }
    if (word[length] != '\0')
        return 0;
    if (*i + 1 >= count || args[*i + 1][0] == '-')
        return -1; /* ArgumentParser's business: it may take it as the next option */
    *i += 1;
    *value = args[*i];
    return 1;
}

int parse_run(char **args, int count, run_request *request, const char **reason)
{
    memset(request, 0, sizeof *request);
    request->dirs = calloc((size_t)count + 1, sizeof *request->dirs);
    request->envs = calloc((size_t)count + 1, sizeof *request->envs);
    if (request->dirs == NULL || request->envs == NULL) {
        *reason = "out of memory";
        return -1;
    }
    int saw_max_memory = 0;
    int i = 0;
    for (; i < count; i++) {
        const char *word = args[i], *value = NULL;
        int matched;
        if (strcmp(word, "--") == 0) {
            i++;
            break;
        }
        if ((matched = option_value(args, count, &i, "--dir", &value)) != 0) {
            if (matched < 0)
                goto unusual;
            request->dirs[request->dir_count++] = value;
        } else if ((matched = option_value(args, count, &i, "--env", &value)) != 0) {
            if (matched < 0)
                goto unusual;
            request->envs[request->env_count++] = value;
        } else if ((matched = option_value(args, count, &i, "--max-memory", &value)) != 0) {
            /* Given twice, which one ArgumentParser keeps is its own business. */
            if (matched < 0 || saw_max_memory++ || parse_size(value, &request->max_memory) != 0)
                goto unusual;
        } else if (strcmp(word, "--inherit-env") == 0) {
            if (request->inherit_env++)
                goto unusual;
        } else if (word[0] == '-') {
            *reason = "an option the launcher does not handle";
            return -1;
        } else {
            break;
        }
    }
    if (i >= count) {
        *reason = "no module";
        return -1;
    }
    request->module = args[i];
    if (request->module[0] == '-' || request->module[0] == '\0')
        goto unusual;
    request->guest_args = args + i + 1;
    request->guest_argc = count - i - 1;
    if (request->guest_argc > 0 && strcmp(request->guest_args[0], "--") == 0) {
        request->guest_args++;
        request->guest_argc--;
    }
    return 0;

unusual:
    *reason = "an option value the launcher leaves to kiln-full";
    return -1;
}
