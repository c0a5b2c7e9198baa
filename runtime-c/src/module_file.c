/* module_file.c — mapping a module's shared object, so that a new version is never the old one.
 *
 * The dynamic loader returns the already-loaded object when asked for a path it has open, even if
 * the file at that path has since been replaced (a recompile). Loading the same unchanged file
 * twice sharing one mapping is fine (the code is immutable; all state is per instance), but a
 * replaced file must give its new code. So each load records the file's identity; when the loader
 * would hand back an object whose file has changed, the new contents are loaded from a private
 * memfd copy instead, under a name that stays unique while the copy is open. */
#include "internal.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;
static kiln_module *loaded;

static bool same_file(const kiln_module *m, const struct stat *st)
{
    return m->file_dev == (uint64_t)st->st_dev && m->file_ino == (uint64_t)st->st_ino &&
           m->file_size == (uint64_t)st->st_size &&
           m->file_mtime_ns == (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static bool loaded_handle_is_stale(void *h, const struct stat *st)
{
    for (kiln_module *m = loaded; m; m = m->next_loaded)
        if (m->dl == h && !same_file(m, st))
            return true;
    return false;
}

static void *open_private_copy(kiln_module *m, const char *path, const char **why)
{
    int src = open(path, O_RDONLY | O_CLOEXEC);
    int fd = memfd_create("kiln-module", MFD_CLOEXEC);
    if (src < 0 || fd < 0)
        goto fail;
    char buf[65536];
    ssize_t n;
    while ((n = read(src, buf, sizeof buf)) > 0)
        if (write(fd, buf, (size_t)n) != n)
            goto fail;
    if (n < 0)
        goto fail;
    close(src);
    char name[64];
    snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
    void *dl = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        *why = dlerror();
        close(fd);
        return NULL;
    }
    m->file_fd = fd;
    return dl;
fail:
    *why = "cannot copy the replaced shared object";
    if (src >= 0)
        close(src);
    if (fd >= 0)
        close(fd);
    return NULL;
}

void *kiln__module_file_open(kiln_module *m, const char *so_path, const char **why)
{
    /* dlopen takes a name without a slash for a library to look up in its search path; a module
     * is always a file, so "plugin.so" means the one in the current directory. */
    char local[PATH_MAX];
    if (!strchr(so_path, '/')) {
        if ((size_t)snprintf(local, sizeof local, "./%s", so_path) >= sizeof local) {
            *why = "path too long";
            return NULL;
        }
        so_path = local;
    }
    struct stat st;
    if (stat(so_path, &st) != 0) {
        *why = "no such file";
        return NULL;
    }
    m->file_dev = (uint64_t)st.st_dev;
    m->file_ino = (uint64_t)st.st_ino;
    m->file_size = (uint64_t)st.st_size;
    m->file_mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;

    pthread_mutex_lock(&loaded_lock);
    void *dl = NULL;
    void *existing = dlopen(so_path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (existing && loaded_handle_is_stale(existing, &st)) {
        dl = open_private_copy(m, so_path, why);
    } else {
        dl = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
        if (!dl)
            *why = dlerror();
    }
    if (existing)
        dlclose(existing);
    if (dl) {
        /* Set under the lock: from here on other loads read m->dl (loaded_handle_is_stale). */
        m->dl = dl;
        m->next_loaded = loaded;
        loaded = m;
    }
    pthread_mutex_unlock(&loaded_lock);
    return dl;
}

/* The defined function whose code starts closest below pc, in the module whose mapping holds pc.
 * Kiln emits the trampolines before the Wasm functions, so a pc below the first function is glue. */
bool kiln__module_function_at(const void *pc, char *buf, size_t size)
{
    Dl_info where;
    if (!dladdr(pc, &where) || !where.dli_fbase)
        return false;
    bool found = false;
    pthread_mutex_lock(&loaded_lock);
    for (kiln_module *m = loaded; m && !found; m = m->next_loaded) {
        Dl_info mine;
        if (!dladdr(m->desc, &mine) || mine.dli_fbase != where.dli_fbase)
            continue;
        const kiln_module_descriptor *d = m->desc;
        int64_t best = -1;
        for (uint32_t f = 0; f < d->num_funcs; f++) {
            const char *start = d->funcs[f].code;
            if (start <= (const char *)pc && (best < 0 || start > (const char *)d->funcs[best].code))
                best = f;
        }
        if (best >= 0) {
            const char *name = d->funcs[best].name;
            if (name)
                snprintf(buf, size, "%s", name);
            else
                snprintf(buf, size, "wasm-function[%u]", m->num_imported[KILN_ABI_EXTERN_FUNC] + (uint32_t)best);
            found = true;
        }
    }
    pthread_mutex_unlock(&loaded_lock);
    return found;
}

void kiln__module_file_close(kiln_module *m)
{
    pthread_mutex_lock(&loaded_lock);
    for (kiln_module **p = &loaded; *p; p = &(*p)->next_loaded) {
        if (*p == m) {
            *p = m->next_loaded;
            break;
        }
    }
    /* Under the lock: a concurrent load must not see this handle both registered and reused. */
    dlclose(m->dl);
    m->dl = NULL;
    pthread_mutex_unlock(&loaded_lock);
    if (m->file_fd >= 0)
        close(m->file_fd);
    m->file_fd = -1;
}
