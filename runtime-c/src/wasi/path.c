/* path.c — sandboxed path resolution and the path_* functions.
 *
 * The guest names files by (directory fd, relative path). The directory is the root the path may
 * not leave. Resolution never lets the kernel walk more than one component: every intermediate
 * directory is opened with openat(O_PATH|O_DIRECTORY|O_NOFOLLOW) relative to the previous one, `..`
 * pops our own stack of those fds (it is never passed to the kernel), and symlinks are read with
 * readlinkat and spliced into the remaining path. So:
 *   - an absolute path, `..` above the root, or a symlink whose target is absolute or climbs above
 *     the root fail with ENOTCAPABLE (76), as in wasmtime;
 *   - a directory renamed or replaced by a symlink meanwhile cannot redirect the walk outside,
 *     since no fd is ever obtained by following a symlink or `..` in the kernel;
 *   - the last component is handed to the *at() call as a plain name, with O_NOFOLLOW /
 *     AT_SYMLINK_NOFOLLOW; when the guest asks to follow a final symlink we follow it ourselves.
 * The same walk works on every Linux, so there is no openat2(RESOLVE_BENEATH) fast path to keep in
 * sync with it; its cost is one openat per intermediate directory. */
#include "wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Host functions run on the Wasm thread's stack: the walk keeps two PATH_MAX buffers and the fd
 * stack there (about 10 KiB), well inside the runtime's stack margin. */
enum { MAX_DEPTH = 512, MAX_SYMLINKS = 40 };

void kiln__wasi_resolved_close(wasi_resolved *r)
{
    if (r->dirfd >= 0 && r->dirfd != r->root)
        close(r->dirfd);
    r->dirfd = -1;
}

/* Replace work with target + "/" + rest, or just target when rest is empty. rest may point into
 * work (it is a suffix of it), so it is moved first; no second path-sized buffer is needed. */
static bool splice_link(char *work, size_t cap, const char *target, size_t tlen, const char *rest)
{
    size_t rlen = strlen(rest), sep = rlen ? 1 : 0;
    if (tlen + sep + rlen + 1 > cap)
        return false;
    memmove(work + tlen + sep, rest, rlen + 1);
    memcpy(work, target, tlen);
    if (sep)
        work[tlen] = '/';
    return true;
}

/* Continues the walk at a symlink's target: the target, then the rest of the path, become the path
 * still to resolve (in work). A WASI errno for a link that loops, is empty, or is absolute (which
 * would leave the sandbox); WASI_ESUCCESS otherwise. */
static uint32_t enter_link(char *work, size_t cap, const char *target, ssize_t tlen, const char *rest,
                           uint32_t *links)
{
    if (++*links > MAX_SYMLINKS)
        return WASI_ELOOP;
    if (tlen == 0 || target[0] == '/')
        return tlen == 0 ? WASI_ENOENT : WASI_ENOTCAPABLE;
    if (!splice_link(work, cap, target, (size_t)tlen, rest))
        return WASI_ENAMETOOLONG;
    return WASI_ESUCCESS;
}

uint32_t kiln__wasi_resolve(struct kiln_wasi *w, uint32_t fd, const char *path, uint32_t len,
                            bool follow_last, wasi_resolved *out)
{
    out->dirfd = -1;
    out->root = -1;
    wasi_fd *e = kiln__wasi_fd_get(w, fd);
    if (!e)
        return WASI_EBADF;
    if (e->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ENOTDIR;
    if (len == 0)
        return WASI_ENOENT;
    if (len >= PATH_MAX)
        return WASI_ENAMETOOLONG;
    if (memchr(path, '\0', len))
        return WASI_EINVAL;
    if (path[0] == '/')
        return WASI_ENOTCAPABLE;

    char work[PATH_MAX];
    memcpy(work, path, len);
    work[len] = '\0';
    char link[PATH_MAX];

    int stack[MAX_DEPTH];
    uint32_t depth = 0, links = 0;
    stack[0] = e->host;
    uint32_t r = WASI_ESUCCESS;
    char *p = work;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p) {            /* nothing after a directory component: the directory itself */
            strcpy(out->name, ".");
            out->trailing_slash = true;
            break;
        }
        char *end = strchr(p, '/');
        size_t clen = end ? (size_t)(end - p) : strlen(p);
        char *rest = end ? end : p + clen;           /* starts with '/' or is empty */
        const char *after = rest;
        while (*after == '/')
            after++;
        bool last = !*after, trailing = last && *rest == '/';
        if (clen > NAME_MAX) {
            r = WASI_ENAMETOOLONG;
            goto fail;
        }
        char comp[NAME_MAX + 1];
        memcpy(comp, p, clen);
        comp[clen] = '\0';

        if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
            if (comp[1] == '.') {
                if (depth == 0) {
                    r = WASI_ENOTCAPABLE;
                    goto fail;
                }
                close(stack[depth--]);
            }
            if (last) {
                strcpy(out->name, ".");
                out->trailing_slash = trailing;
                break;
            }
            p = rest;
            continue;
        }

        if (last) {
            if (follow_last || trailing) {
                ssize_t n = readlinkat(stack[depth], comp, link, sizeof link - 1);
                if (n >= 0) {
                    if ((r = enter_link(work, sizeof work, link, n, trailing ? "/" : "", &links)) != WASI_ESUCCESS)
                        goto fail;
                    p = work;
                    continue;
                }
            }
            memcpy(out->name, comp, clen + 1);
            out->trailing_slash = trailing;
            break;
        }

        int nfd = openat(stack[depth], comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (nfd >= 0) {
            if (depth + 1 >= MAX_DEPTH) {
                close(nfd);
                r = WASI_ENAMETOOLONG;
                goto fail;
            }
            stack[++depth] = nfd;
            p = rest;
            continue;
        }
        int err = errno;
        if (err != ENOTDIR && err != ELOOP) {
            r = kiln__wasi_errno(err);
            goto fail;
        }
        ssize_t n = readlinkat(stack[depth], comp, link, sizeof link - 1);
        if (n < 0) {
            r = WASI_ENOTDIR;      /* an intermediate component that is neither dir nor link */
            goto fail;
        }
        if ((r = enter_link(work, sizeof work, link, n, rest, &links)) != WASI_ESUCCESS)
            goto fail;
        p = work;
    }
    for (uint32_t k = 1; k < depth; k++)
        close(stack[k]);
    out->root = stack[0];
    out->dirfd = stack[depth];
    return WASI_ESUCCESS;
fail:
    for (uint32_t k = 1; k <= depth; k++)
        close(stack[k]);
    return r;
}

/* Resolve the guest string (ptr, len) against guest fd. */
static uint32_t resolve(wasi_ctx *c, uint32_t fd, uint32_t ptr, uint32_t len, bool follow, wasi_resolved *out)
{
    out->dirfd = -1;
    const char *s = wasi_ptr(c, ptr, len);
    if (!s)
        return WASI_EFAULT;
    return kiln__wasi_resolve(c->w, fd, s, len, follow, out);
}

#define RESOLVE(r, fd, ptr, len, follow)                                   \
    wasi_resolved r;                                                       \
    do {                                                                   \
        uint32_t rc_ = resolve(c, fd, ptr, len, follow, &r);              \
        if (rc_ != WASI_ESUCCESS)                                          \
            return rc_;                                                    \
    } while (0)

static uint32_t done(wasi_resolved *r, int rc)
{
    uint32_t e = rc == 0 ? WASI_ESUCCESS : WASI_ERR();
    kiln__wasi_resolved_close(r);
    return e;
}

uint32_t kiln__wasi_path_open(wasi_ctx *c, const kiln_val *a)
{
    uint32_t dirflags = A32(1), oflags = A32(4), fdflags = A32(7), ret = A32(8);
    uint64_t base = A64(5), inheriting = A64(6);
    if (!wasi_ptr(c, ret, 4))
        return WASI_EFAULT;
    RESOLVE(r, A32(0), A32(2), A32(3), dirflags & WASI_LOOKUP_SYMLINK_FOLLOW);

    int flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
    if (oflags & WASI_OFLAG_CREAT) flags |= O_CREAT;
    if (oflags & WASI_OFLAG_EXCL) flags |= O_EXCL;
    if (oflags & WASI_OFLAG_TRUNC) flags |= O_TRUNC;
    bool dir = (oflags & WASI_OFLAG_DIRECTORY) || r.trailing_slash;
    if (dir) flags |= O_DIRECTORY;
    bool rd = base & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
    bool wr = base & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_ALLOCATE
                      | WASI_RIGHT_FD_FILESTAT_SET_SIZE);
    if (wr && !dir)
        flags |= rd ? O_RDWR : O_WRONLY;
    else
        flags |= O_RDONLY;
    if (fdflags & WASI_FDFLAG_APPEND) flags |= O_APPEND;
    if (fdflags & WASI_FDFLAG_DSYNC) flags |= O_DSYNC;
    if (fdflags & WASI_FDFLAG_SYNC) flags |= O_SYNC;
    if (fdflags & WASI_FDFLAG_RSYNC) flags |= O_RSYNC;
    if (fdflags & WASI_FDFLAG_NONBLOCK) flags |= O_NONBLOCK;

    int hfd = openat(r.dirfd, r.name, flags, 0666);
    int err = errno;
    kiln__wasi_resolved_close(&r);
    if (hfd < 0)
        return kiln__wasi_errno(err);
    int64_t g = kiln__wasi_fd_add(c->w, hfd, base, inheriting);
    if (g < 0) {
        close(hfd);
        return WASI_EMFILE;
    }
    wasi_put32(c, ret, (uint32_t)g);
    return WASI_ESUCCESS;
}

uint32_t kiln__wasi_path_create_directory(wasi_ctx *c, const kiln_val *a)
{
    RESOLVE(r, A32(0), A32(1), A32(2), false);
    return done(&r, mkdirat(r.dirfd, r.name, 0777));
}

uint32_t kiln__wasi_path_remove_directory(wasi_ctx *c, const kiln_val *a)
{
    RESOLVE(r, A32(0), A32(1), A32(2), false);
    return done(&r, unlinkat(r.dirfd, r.name, AT_REMOVEDIR));
}

uint32_t kiln__wasi_path_unlink_file(wasi_ctx *c, const kiln_val *a)
{
    RESOLVE(r, A32(0), A32(1), A32(2), false);
    if (r.trailing_slash) {       /* "file/": POSIX says ENOTDIR; "dir/": EISDIR */
        struct stat st;
        int rc = fstatat(r.dirfd, r.name, &st, AT_SYMLINK_NOFOLLOW);
        uint32_t e = rc != 0 ? WASI_ERR() : S_ISDIR(st.st_mode) ? WASI_EISDIR : WASI_ENOTDIR;
        kiln__wasi_resolved_close(&r);
        return e;
    }
    return done(&r, unlinkat(r.dirfd, r.name, 0));
}

uint32_t kiln__wasi_path_filestat_get(wasi_ctx *c, const kiln_val *a)
{
    if (!wasi_ptr(c, A32(4), 64))
        return WASI_EFAULT;
    RESOLVE(r, A32(0), A32(2), A32(3), A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW);
    struct stat st;
    int rc = fstatat(r.dirfd, r.name, &st, AT_SYMLINK_NOFOLLOW);
    uint32_t e = rc == 0 ? kiln__wasi_put_filestat(c, A32(4), &st) : WASI_ERR();
    kiln__wasi_resolved_close(&r);
    return e;
}

uint32_t kiln__wasi_path_filestat_set_times(wasi_ctx *c, const kiln_val *a)
{
    struct timespec ts[2];
    if (!kiln__wasi_times(A64(4), A64(5), A32(6), ts))
        return WASI_EINVAL;
    RESOLVE(r, A32(0), A32(2), A32(3), A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW);
    return done(&r, utimensat(r.dirfd, r.name, ts, AT_SYMLINK_NOFOLLOW));
}

uint32_t kiln__wasi_path_link(wasi_ctx *c, const kiln_val *a)
{
    RESOLVE(from, A32(0), A32(2), A32(3), A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW);
    wasi_resolved to;
    uint32_t e = resolve(c, A32(4), A32(5), A32(6), false, &to);
    if (e == WASI_ESUCCESS) {
        e = linkat(from.dirfd, from.name, to.dirfd, to.name, 0) == 0 ? WASI_ESUCCESS : WASI_ERR();
        kiln__wasi_resolved_close(&to);
    }
    kiln__wasi_resolved_close(&from);
    return e;
}

uint32_t kiln__wasi_path_rename(wasi_ctx *c, const kiln_val *a)
{
    RESOLVE(from, A32(0), A32(1), A32(2), false);
    wasi_resolved to;
    uint32_t e = resolve(c, A32(3), A32(4), A32(5), false, &to);
    if (e == WASI_ESUCCESS) {
        e = renameat(from.dirfd, from.name, to.dirfd, to.name) == 0 ? WASI_ESUCCESS : WASI_ERR();
        kiln__wasi_resolved_close(&to);
    }
    kiln__wasi_resolved_close(&from);
    return e;
}

uint32_t kiln__wasi_path_readlink(wasi_ctx *c, const kiln_val *a)
{
    uint32_t buf = A32(3), buf_len = A32(4), ret = A32(5);
    char *dst = wasi_ptr(c, buf, buf_len);
    if (!dst || !wasi_ptr(c, ret, 4))
        return WASI_EFAULT;
    RESOLVE(r, A32(0), A32(1), A32(2), false);
    ssize_t n = readlinkat(r.dirfd, r.name, dst, buf_len);   /* truncates silently, as WASI says */
    uint32_t e = n >= 0 ? WASI_ESUCCESS : WASI_ERR();
    kiln__wasi_resolved_close(&r);
    if (e == WASI_ESUCCESS)
        wasi_put32(c, ret, (uint32_t)n);
    return e;
}

/* The link's content is just data: a target outside the sandbox can be created but never
 * followed (resolution rejects it). */
uint32_t kiln__wasi_path_symlink(wasi_ctx *c, const kiln_val *a)
{
    uint32_t tlen = A32(1);
    const char *t = wasi_ptr(c, A32(0), tlen);
    if (!t)
        return WASI_EFAULT;
    if (tlen >= PATH_MAX)
        return WASI_ENAMETOOLONG;
    if (memchr(t, '\0', tlen))
        return WASI_EINVAL;
    char target[tlen + 1];
    memcpy(target, t, tlen);
    target[tlen] = '\0';
    RESOLVE(r, A32(2), A32(3), A32(4), false);
    return done(&r, symlinkat(target, r.dirfd, r.name));
}
