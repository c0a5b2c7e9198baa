/* setup.c — the public WASI configuration API (kiln_imports_wasi*), the import bindings, and the
 * state's creation, sharing and destruction (hooks called by instance.c). See wasi.h. */
#include "wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

#define WASI_MODULE "wasi_snapshot_preview1"

/* ---- the import table ---- */

typedef struct wasi_entry {
    const char *name;
    const char *params;       /* 'i' = i32, 'I' = i64 */
    bool has_result;          /* an i32 errno; only proc_exit has none */
    /* The function may wait as long as the outside world (or the guest) likes: it runs without
     * the state's lock, so that the program's other threads go on, and takes the lock only to
     * borrow descriptors (wasi.h). proc_exit is one too: it never returns to unlock. */
    bool may_block;
    wasi_fn fn;
} wasi_entry;

#define E(name, params) { #name, params, true, false, kiln__wasi_##name }
#define BLOCKING(name, params) { #name, params, true, true, kiln__wasi_##name }
static const wasi_entry entries[] = {
    E(args_get, "ii"), E(args_sizes_get, "ii"), E(environ_get, "ii"), E(environ_sizes_get, "ii"),
    E(clock_res_get, "ii"), E(clock_time_get, "iIi"),
    E(fd_advise, "iIIi"), E(fd_allocate, "iII"), E(fd_close, "i"), E(fd_datasync, "i"),
    E(fd_fdstat_get, "ii"), E(fd_fdstat_set_flags, "ii"), E(fd_fdstat_set_rights, "iII"),
    E(fd_filestat_get, "ii"), E(fd_filestat_set_size, "iI"), E(fd_filestat_set_times, "iIIi"),
    BLOCKING(fd_pread, "iiiIi"), E(fd_prestat_get, "ii"), E(fd_prestat_dir_name, "iii"), BLOCKING(fd_pwrite, "iiiIi"),
    BLOCKING(fd_read, "iiii"), E(fd_readdir, "iiiIi"), E(fd_renumber, "ii"), E(fd_seek, "iIii"), E(fd_sync, "i"),
    E(fd_tell, "ii"), BLOCKING(fd_write, "iiii"),
    E(path_create_directory, "iii"), E(path_filestat_get, "iiiii"), E(path_filestat_set_times, "iiiiIIi"),
    E(path_link, "iiiiiii"), E(path_open, "iiiiiIIii"), E(path_readlink, "iiiiii"),
    E(path_remove_directory, "iii"), E(path_rename, "iiiiii"), E(path_symlink, "iiiii"),
    E(path_unlink_file, "iii"),
    BLOCKING(poll_oneoff, "iiii"), { "proc_exit", "i", false, true, kiln__wasi_proc_exit }, E(proc_raise, "i"),
    BLOCKING(sched_yield, ""), E(random_get, "ii"),
    E(sock_accept, "iii"), E(sock_recv, "iiiiii"), E(sock_send, "iiiii"), E(sock_shutdown, "ii"),
};
#undef E
#undef BLOCKING

static int trampoline(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results)
{
    const wasi_entry *f = env;
    wasi_ctx c = { caller->wasi, kiln_memory_data(caller, 0), kiln_memory_size(caller, 0) };
    uint32_t e = WASI_ENOSYS;
    if (c.w && f->may_block) {
        e = f->fn(&c, args);
    } else if (c.w) {
        pthread_mutex_lock(&c.w->lock);
        e = f->fn(&c, args);
        pthread_mutex_unlock(&c.w->lock);
    }
    if (f->has_result)
        results[0].of.i32 = (int32_t)e;
    return 0;
}

static int bind_all(kiln_imports *im)
{
    static const kiln_valkind result = KILN_I32;
    for (size_t k = 0; k < sizeof entries / sizeof entries[0]; k++) {
        const wasi_entry *f = &entries[k];
        size_t n = strlen(f->params);
        kiln_valkind params[n + 1];
        for (size_t j = 0; j < n; j++)
            params[j] = f->params[j] == 'I' ? KILN_I64 : KILN_I32;
        if (kiln_imports_func(im, WASI_MODULE, f->name, params, n, &result, f->has_result ? 1 : 0,
                              trampoline, (void *)f) != 0)
            return -1;
    }
    static const kiln_valkind start_argument = KILN_I32;
    return kiln_imports_func(im, WASI_THREADS_MODULE, WASI_THREAD_SPAWN, &start_argument, 1, &result, 1,
                             kiln__wasi_thread_spawn, NULL);
}

/* ---- configuration ---- */

static int strings_set(wasi_strings *s, size_t count, const char *const *list)
{
    uint64_t len = 0;
    for (size_t k = 0; k < count; k++) {
        if (!list[k])
            return -1;
        len += strlen(list[k]) + 1;
    }
    if (len > UINT32_MAX || count > UINT32_MAX)
        return -1;
    char *buf = malloc(len ? len : 1);
    if (!buf)
        return -1;
    size_t at = 0;
    for (size_t k = 0; k < count; k++) {
        size_t n = strlen(list[k]) + 1;
        memcpy(buf + at, list[k], n);
        at += n;
    }
    free(s->buf);
    s->buf = buf;
    s->len = (uint32_t)len;
    s->count = (uint32_t)count;
    return 0;
}

static int strings_copy(wasi_strings *dst, const wasi_strings *src)
{
    dst->buf = malloc(src->len ? src->len : 1);
    if (!dst->buf)
        return -1;
    memcpy(dst->buf, src->buf, src->len);
    dst->len = src->len;
    dst->count = src->count;
    return 0;
}

static size_t list_length(const char *const *list)
{
    size_t n = 0;
    while (list && list[n])
        n++;
    return n;
}

void kiln__wasi_config_free(struct kiln_wasi_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->args.buf);
    free(cfg->env.buf);
    for (uint32_t k = 0; k < cfg->npreopens; k++) {
        close(cfg->preopens[k].fd);
        free(cfg->preopens[k].guest);
    }
    free(cfg->preopens);
    free(cfg);
}

int kiln_imports_wasi(kiln_imports *im, int argc, const char *const *argv)
{
    if (!im || argc < 0 || (argc > 0 && !argv))
        return -1;
    struct kiln_wasi_config *cfg = kiln__imports_wasi(im);
    bool fresh = !cfg;
    if (fresh) {
        cfg = calloc(1, sizeof *cfg);
        if (!cfg)
            return -1;
        cfg->stdio[0] = 0, cfg->stdio[1] = 1, cfg->stdio[2] = 2;
        const char *const *env = (const char *const *)environ;
        if (strings_set(&cfg->env, list_length(env), env) != 0) {
            kiln__wasi_config_free(cfg);
            return -1;
        }
    }
    if (strings_set(&cfg->args, (size_t)argc, argv) != 0) {
        if (fresh)
            kiln__wasi_config_free(cfg);
        return -1;
    }
    if (fresh)
        kiln__imports_set_wasi(im, cfg);
    return bind_all(im);
}

int kiln_imports_wasi_env(kiln_imports *im, const char *const *envp)
{
    struct kiln_wasi_config *cfg = kiln__imports_wasi(im);
    if (!cfg)
        return -1;
    return strings_set(&cfg->env, list_length(envp), envp);
}

int kiln_imports_wasi_env_set(kiln_imports *im, const char *key_value)
{
    struct kiln_wasi_config *cfg = kiln__imports_wasi(im);
    const char *eq = key_value ? strchr(key_value, '=') : NULL;
    if (!cfg || !eq || eq == key_value)
        return -1;
    size_t klen = (size_t)(eq - key_value) + 1;        /* "KEY=" */
    const char **list = malloc((cfg->env.count + 2) * sizeof *list);
    if (!list)
        return -1;
    size_t n = 0;
    for (uint32_t k = 0, at = 0; k < cfg->env.count; k++) {
        const char *e = cfg->env.buf + at;
        at += (uint32_t)strlen(e) + 1;
        if (strncmp(e, key_value, klen) != 0)
            list[n++] = e;
    }
    list[n++] = key_value;
    list[n] = NULL;
    /* strings_set copies before it frees the old block the list points into. */
    int r = strings_set(&cfg->env, n, list);
    free(list);
    return r;
}

int kiln_imports_wasi_stdio(kiln_imports *im, int stdin_fd, int stdout_fd, int stderr_fd)
{
    struct kiln_wasi_config *cfg = kiln__imports_wasi(im);
    if (!cfg)
        return -1;
    cfg->stdio[0] = stdin_fd < 0 ? -1 : stdin_fd;
    cfg->stdio[1] = stdout_fd < 0 ? -1 : stdout_fd;
    cfg->stdio[2] = stderr_fd < 0 ? -1 : stderr_fd;
    return 0;
}

int kiln_imports_wasi_on_end(kiln_imports *im, kiln_wasi_end_fn on_end, void *context)
{
    struct kiln_wasi_config *cfg = kiln__imports_wasi(im);
    if (!cfg)
        return -1;
    cfg->on_end = on_end;
    cfg->on_end_context = context;
    return 0;
}

int kiln_imports_wasi_preopen(kiln_imports *im, const char *host_dir, const char *guest_dir)
{
    struct kiln_wasi_config *cfg = kiln__imports_wasi(im);
    if (!cfg || !host_dir) {
        errno = EINVAL;
        return -1;
    }
    if (!guest_dir)
        guest_dir = host_dir;
    wasi_preopen *p = realloc(cfg->preopens, (cfg->npreopens + 1) * sizeof *p);
    if (!p)
        return -1;
    cfg->preopens = p;
    int fd = open(host_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char *guest = strdup(guest_dir);
    if (!guest) {
        close(fd);
        return -1;
    }
    p[cfg->npreopens].fd = fd;
    p[cfg->npreopens].guest = guest;
    cfg->npreopens++;
    return 0;
}

/* ---- the state of a program: one instance, or with wasi-threads one per thread ---- */

static bool is_thread_spawn(const kiln_import_desc *im)
{
    return strcmp(im->module, WASI_THREADS_MODULE) == 0 && strcmp(im->name, WASI_THREAD_SPAWN) == 0;
}

static bool is_wasi(const kiln_import_desc *im)
{
    return strcmp(im->module, WASI_MODULE) == 0 || is_thread_spawn(im);
}

static bool imports_any(const kiln_module_descriptor *d, bool (*matches)(const kiln_import_desc *))
{
    for (uint32_t j = 0; j < d->num_imports; j++)
        if (matches(&d->imports[j]))
            return true;
    return false;
}

static void state_free(struct kiln_wasi *w)
{
    kiln__wasi_process_free(w->process);
    pthread_mutex_destroy(&w->lock);
    for (uint32_t k = 0; k < w->nfds; k++)
        if (w->fds[k].host >= 0)
            kiln__wasi_fd_release(&w->fds[k]);
    free(w->fds);
    free(w->args.buf);
    free(w->env.buf);
    free(w);
}

/* A thread's instance shares the program's state. */
static int share(kiln_instance *i, struct kiln_wasi *w, kiln_error **err)
{
    if (kiln__wasi_process_join(w, i) != 0)
        return kiln__fail(err, kiln__error_new("the WASI program has ended"));
    atomic_fetch_add_explicit(&w->refs, 1, memory_order_relaxed);
    i->wasi = w;
    return 0;
}

int kiln__wasi_attach(kiln_instance *i, const kiln_imports *imports, struct kiln_wasi *shared, kiln_error **err)
{
    if (shared)
        return share(i, shared, err);
    const struct kiln_wasi_config *cfg = kiln__imports_wasi(imports);
    if (!cfg || !imports_any(i->module->desc, is_wasi))
        return 0;
    struct kiln_wasi *w = calloc(1, sizeof *w);
    if (!w)
        return kiln__fail(err, kiln__error_new("out of memory"));
    pthread_mutex_init(&w->lock, NULL);
    atomic_init(&w->refs, 1);
    /* stdio at 0-2 and preopens from 3 on, contiguous: wasi-libc probes 3, 4, ... until EBADF. */
    w->nfds = 3 + cfg->npreopens;
    w->fds = calloc(w->nfds, sizeof *w->fds);
    if (!w->fds || strings_copy(&w->args, &cfg->args) != 0 || strings_copy(&w->env, &cfg->env) != 0) {
        w->nfds = 0;
        state_free(w);
        return kiln__fail(err, kiln__error_new("out of memory"));
    }
    for (uint32_t k = 0; k < w->nfds; k++)
        w->fds[k].host = -1;
    for (uint32_t k = 0; k < 3; k++) {
        if (cfg->stdio[k] < 0)
            continue;
        kiln__wasi_fd_init(&w->fds[k], cfg->stdio[k], WASI_RIGHTS_ALL, 0);
        w->fds[k].borrowed = true;
    }
    for (uint32_t k = 0; k < cfg->npreopens; k++) {
        /* An open file description of the instance's own (readdir position, etc.). */
        int fd = openat(cfg->preopens[k].fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        char *name = fd >= 0 ? strdup(cfg->preopens[k].guest) : NULL;
        if (!name) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            state_free(w);
            return kiln__fail(err, kiln__error_new("WASI: cannot open preopened directory \"%s\": %s",
                                                   cfg->preopens[k].guest, strerror(e)));
        }
        kiln__wasi_fd_init(&w->fds[3 + k], fd, WASI_RIGHTS_ALL, WASI_RIGHTS_ALL);
        w->fds[3 + k].preopen = name;
    }
    if (imports_any(i->module->desc, is_thread_spawn)) {
        w->process = kiln__wasi_process_new(imports, i);
        if (!w->process || kiln__wasi_process_join(w, i) != 0) {
            state_free(w);
            return kiln__fail(err, kiln__error_new("out of memory"));
        }
    }
    i->wasi = w;
    return 0;
}

void kiln__wasi_detach(kiln_instance *i)
{
    struct kiln_wasi *w = i->wasi;
    if (!w)
        return;
    i->wasi = NULL;
    if (w->process)
        kiln__wasi_process_leave(w, i);
    if (atomic_fetch_sub_explicit(&w->refs, 1, memory_order_acq_rel) == 1)
        state_free(w);
}
