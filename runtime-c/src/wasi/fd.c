/* fd.c — the descriptor table (one per WASI program) and the fd_* functions that work on open files.
 *
 * Guest fds index wasi->fds; each slot owns one host fd (except the host's borrowed stdio).
 * Rights are recorded and reported (fd_fdstat_get) but not enforced beyond what the host fd's
 * access mode enforces by itself: the sandbox boundary is the path resolution in path.c. */
#include "wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* ---- the table ---- */

wasi_fd *kiln__wasi_fd_get(struct kiln_wasi *w, uint32_t fd)
{
    if (!w || fd >= w->nfds || w->fds[fd].host < 0)
        return NULL;
    return &w->fds[fd];
}

uint8_t kiln__wasi_filetype(int host_fd)
{
    struct stat st;
    if (fstat(host_fd, &st) != 0)
        return WASI_FILETYPE_UNKNOWN;
    switch (st.st_mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    default: return WASI_FILETYPE_UNKNOWN;       /* FIFOs */
    }
}

/* The highest free number is reused first, as Wasmtime does (WASI leaves the choice open): a
 * program that writes to a descriptor it closed (yosys's ABC does, after a failed fd_renumber)
 * then behaves the same under both, instead of writing into whatever file got the number. */
int64_t kiln__wasi_fd_add(struct kiln_wasi *w, int host_fd, uint64_t base, uint64_t inheriting)
{
    uint32_t k = w->nfds;
    while (k > 0 && w->fds[k - 1].host >= 0)
        k--;
    k = k > 0 ? k - 1 : w->nfds; /* fds[k - 1] was free, or none is */
    if (k == w->nfds) {
        if (w->nfds >= (1u << 20))
            return -1;
        wasi_fd *fds = realloc(w->fds, (w->nfds + 1) * sizeof *fds);
        if (!fds)
            return -1;
        w->fds = fds;
        w->nfds++;
    }
    kiln__wasi_fd_init(&w->fds[k], host_fd, base, inheriting);
    return k;
}

void kiln__wasi_fd_init(wasi_fd *e, int host_fd, uint64_t base, uint64_t inheriting)
{
    memset(e, 0, sizeof *e);
    e->host = host_fd;
    e->filetype = kiln__wasi_filetype(host_fd);
    /* Non-seekable streams: wasi-libc's isatty() is "character device without seek/tell". */
    if (e->filetype != WASI_FILETYPE_REGULAR_FILE && e->filetype != WASI_FILETYPE_DIRECTORY
        && e->filetype != WASI_FILETYPE_BLOCK_DEVICE)
        base &= ~(WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL);
    e->rights_base = base & WASI_RIGHTS_ALL;
    e->rights_inheriting = inheriting & WASI_RIGHTS_ALL;
}

uint32_t kiln__wasi_fd_borrow(struct kiln_wasi *w, uint32_t fd, wasi_borrowed_fd *out)
{
    uint32_t r = WASI_ESUCCESS;
    pthread_mutex_lock(&w->lock);
    wasi_fd *e = kiln__wasi_fd_get(w, fd);
    if (!e) {
        r = WASI_EBADF;
    } else {
        out->filetype = e->filetype;
        out->duplicate = kiln__wasi_process_threaded(w);
        out->host = out->duplicate ? fcntl(e->host, F_DUPFD_CLOEXEC, 0) : e->host;
        if (out->host < 0)
            r = WASI_ERR();
    }
    pthread_mutex_unlock(&w->lock);
    return r;
}

void kiln__wasi_fd_give_back(const wasi_borrowed_fd *b)
{
    if (b->duplicate)
        close(b->host);
}

void kiln__wasi_fd_release(wasi_fd *e)
{
    if (e->dir)
        closedir(e->dir);
    if (!e->borrowed && e->host >= 0)
        close(e->host);
    free(e->preopen);
    memset(e, 0, sizeof *e);
    e->host = -1;
}

/* ---- helpers ---- */

static uint64_t ts_ns(const struct timespec *ts)
{
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

uint32_t kiln__wasi_put_filestat(const wasi_ctx *c, uint32_t p, const struct stat *st)
{
    uint8_t *d = wasi_ptr(c, p, 64);
    if (!d)
        return WASI_EFAULT;
    uint8_t type;
    switch (st->st_mode & S_IFMT) {
    case S_IFREG: type = WASI_FILETYPE_REGULAR_FILE; break;
    case S_IFDIR: type = WASI_FILETYPE_DIRECTORY; break;
    case S_IFCHR: type = WASI_FILETYPE_CHARACTER_DEVICE; break;
    case S_IFBLK: type = WASI_FILETYPE_BLOCK_DEVICE; break;
    case S_IFSOCK: type = WASI_FILETYPE_SOCKET_STREAM; break;
    case S_IFLNK: type = WASI_FILETYPE_SYMBOLIC_LINK; break;
    default: type = WASI_FILETYPE_UNKNOWN; break;
    }
    uint64_t v[8] = {
        (uint64_t)st->st_dev, (uint64_t)st->st_ino, type, (uint64_t)st->st_nlink, (uint64_t)st->st_size,
        ts_ns(&st->st_atim), ts_ns(&st->st_mtim), ts_ns(&st->st_ctim),
    };
    memcpy(d, v, 64);     /* filetype is a u8 at offset 16 followed by padding: little-endian u64 */
    return WASI_ESUCCESS;
}

uint32_t kiln__wasi_iovecs(const wasi_ctx *c, uint32_t iovs, uint32_t n, struct iovec *out)
{
    if (n > WASI_IOV_MAX)
        return WASI_EINVAL;
    const uint8_t *v = wasi_ptr(c, iovs, (uint64_t)n * 8);
    if (!v)
        return WASI_EFAULT;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t buf = wasi_get32(v + 8 * k), len = wasi_get32(v + 8 * k + 4);
        void *p = wasi_ptr(c, buf, len);
        if (!p)
            return WASI_EFAULT;
        out[k].iov_base = p;
        out[k].iov_len = len;
    }
    return WASI_ESUCCESS;
}

#define GET_FD(var, k)                                   \
    wasi_fd *var = kiln__wasi_fd_get(c->w, A32(k));      \
    if (!var)                                            \
        return WASI_EBADF

/* ---- data ---- */

typedef enum { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE } io_kind;

static uint32_t io_on(wasi_ctx *c, const kiln_val *a, io_kind kind, const wasi_borrowed_fd *e)
{
    uint32_t n = A32(2);
    bool positional = kind == IO_PREAD || kind == IO_PWRITE;
    uint32_t result_ptr = positional ? A32(4) : A32(3);
    if (!wasi_ptr(c, result_ptr, 4))
        return WASI_EFAULT;
    if (n > WASI_IOV_MAX)
        return WASI_EINVAL;
    if (e->filetype == WASI_FILETYPE_DIRECTORY)
        return WASI_EISDIR;
    struct iovec iov[n ? n : 1];
    uint32_t r = kiln__wasi_iovecs(c, A32(1), n, iov);
    if (r != WASI_ESUCCESS)
        return r;
    if (positional && A64(3) > INT64_MAX)
        return WASI_EINVAL;
    ssize_t done;
    do {
        switch (kind) {
        case IO_READ: done = readv(e->host, iov, (int)n); break;
        case IO_WRITE: done = writev(e->host, iov, (int)n); break;
        case IO_PREAD: done = preadv(e->host, iov, (int)n, (off_t)A64(3)); break;
        default: done = pwritev(e->host, iov, (int)n, (off_t)A64(3)); break;
        }
    } while (done < 0 && errno == EINTR);
    if (done < 0)
        return WASI_ERR();
    wasi_put32(c, result_ptr, (uint32_t)done);
    return WASI_ESUCCESS;
}

/* Reads and writes may block: they borrow their descriptor rather than hold the lock. */
static uint32_t do_io(wasi_ctx *c, const kiln_val *a, io_kind kind)
{
    wasi_borrowed_fd e;
    uint32_t r = kiln__wasi_fd_borrow(c->w, A32(0), &e);
    if (r != WASI_ESUCCESS)
        return r;
    r = io_on(c, a, kind, &e);
    kiln__wasi_fd_give_back(&e);
    return r;
}

uint32_t kiln__wasi_fd_read(wasi_ctx *c, const kiln_val *a) { return do_io(c, a, IO_READ); }
uint32_t kiln__wasi_fd_write(wasi_ctx *c, const kiln_val *a) { return do_io(c, a, IO_WRITE); }
uint32_t kiln__wasi_fd_pread(wasi_ctx *c, const kiln_val *a) { return do_io(c, a, IO_PREAD); }
uint32_t kiln__wasi_fd_pwrite(wasi_ctx *c, const kiln_val *a) { return do_io(c, a, IO_PWRITE); }

uint32_t kiln__wasi_fd_seek(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    int whence;
    switch (A32(2)) {
    case WASI_WHENCE_SET: whence = SEEK_SET; break;
    case WASI_WHENCE_CUR: whence = SEEK_CUR; break;
    case WASI_WHENCE_END: whence = SEEK_END; break;
    default: return WASI_EINVAL;
    }
    if (!wasi_ptr(c, A32(3), 8))
        return WASI_EFAULT;
    if (e->filetype == WASI_FILETYPE_DIRECTORY)
        return WASI_EBADF;
    off_t pos = lseek(e->host, (off_t)(int64_t)A64(1), whence);
    if (pos < 0)
        return WASI_ERR();
    wasi_put64(c, A32(3), (uint64_t)pos);
    return WASI_ESUCCESS;
}

uint32_t kiln__wasi_fd_tell(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    if (!wasi_ptr(c, A32(1), 8))
        return WASI_EFAULT;
    off_t pos = lseek(e->host, 0, SEEK_CUR);
    if (pos < 0)
        return WASI_ERR();
    wasi_put64(c, A32(1), (uint64_t)pos);
    return WASI_ESUCCESS;
}

/* ---- descriptor management ---- */

uint32_t kiln__wasi_fd_close(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    kiln__wasi_fd_release(e);
    return WASI_ESUCCESS;
}

/* Atomically replace `to` (which must be open) with `from`; `from` is then free. */
uint32_t kiln__wasi_fd_renumber(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(from, 0);
    GET_FD(to, 1);
    if (from == to)
        return WASI_ESUCCESS;
    kiln__wasi_fd_release(to);
    *to = *from;
    memset(from, 0, sizeof *from);
    from->host = -1;
    return WASI_ESUCCESS;
}

uint32_t kiln__wasi_fd_fdstat_get(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    uint8_t *d = wasi_ptr(c, A32(1), 24);
    if (!d)
        return WASI_EFAULT;
    int fl = fcntl(e->host, F_GETFL);
    if (fl < 0)
        return WASI_ERR();
    uint16_t flags = 0;
    if (fl & O_APPEND) flags |= WASI_FDFLAG_APPEND;
    if (fl & O_NONBLOCK) flags |= WASI_FDFLAG_NONBLOCK;
    if ((fl & O_SYNC) == O_SYNC) flags |= WASI_FDFLAG_SYNC;
    else if (fl & O_DSYNC) flags |= WASI_FDFLAG_DSYNC;
    uint8_t s[24] = { 0 };
    s[0] = e->filetype;
    memcpy(s + 2, &flags, 2);
    memcpy(s + 8, &e->rights_base, 8);
    memcpy(s + 16, &e->rights_inheriting, 8);
    memcpy(d, s, 24);
    return WASI_ESUCCESS;
}

uint32_t kiln__wasi_fd_fdstat_set_flags(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    uint32_t want = A32(1);
    if (want & (WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC))
        return WASI_ENOTSUP;          /* Linux cannot change these on an open file */
    int fl = fcntl(e->host, F_GETFL);
    if (fl < 0)
        return WASI_ERR();
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (want & WASI_FDFLAG_APPEND) fl |= O_APPEND;
    if (want & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
    return fcntl(e->host, F_SETFL, fl) == 0 ? WASI_ESUCCESS : WASI_ERR();
}

/* Rights may only be dropped. */
uint32_t kiln__wasi_fd_fdstat_set_rights(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    uint64_t base = A64(1), inh = A64(2);
    if ((base & ~e->rights_base) || (inh & ~e->rights_inheriting))
        return WASI_ENOTCAPABLE;
    e->rights_base = base;
    e->rights_inheriting = inh;
    return WASI_ESUCCESS;
}

/* ---- metadata ---- */

uint32_t kiln__wasi_fd_filestat_get(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    struct stat st;
    if (fstat(e->host, &st) != 0)
        return WASI_ERR();
    return kiln__wasi_put_filestat(c, A32(1), &st);
}

uint32_t kiln__wasi_fd_filestat_set_size(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    if (A64(1) > INT64_MAX)
        return WASI_EINVAL;
    return ftruncate(e->host, (off_t)A64(1)) == 0 ? WASI_ESUCCESS : WASI_ERR();
}

/* Shared with path_filestat_set_times: the two timespecs utimensat/futimens take. */
static bool wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
    if (((fst & WASI_FST_ATIM) && (fst & WASI_FST_ATIM_NOW)) || ((fst & WASI_FST_MTIM) && (fst & WASI_FST_MTIM_NOW)))
        return false;
    uint64_t v[2] = { atim, mtim };
    uint32_t set[2] = { WASI_FST_ATIM, WASI_FST_MTIM }, now[2] = { WASI_FST_ATIM_NOW, WASI_FST_MTIM_NOW };
    for (int k = 0; k < 2; k++) {
        if (fst & now[k]) {
            ts[k].tv_sec = 0;
            ts[k].tv_nsec = UTIME_NOW;
        } else if (fst & set[k]) {
            ts[k].tv_sec = (time_t)(v[k] / 1000000000u);
            ts[k].tv_nsec = (long)(v[k] % 1000000000u);
        } else {
            ts[k].tv_sec = 0;
            ts[k].tv_nsec = UTIME_OMIT;
        }
    }
    return true;
}

uint32_t kiln__wasi_fd_filestat_set_times(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    struct timespec ts[2];
    if (!wasi_times(A64(1), A64(2), A32(3), ts))
        return WASI_EINVAL;
    return futimens(e->host, ts) == 0 ? WASI_ESUCCESS : WASI_ERR();
}

bool kiln__wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
    return wasi_times(atim, mtim, fst, ts);
}

/* ---- sync, advice, allocation ---- */

uint32_t kiln__wasi_fd_sync(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    return fsync(e->host) == 0 ? WASI_ESUCCESS : WASI_ERR();
}

uint32_t kiln__wasi_fd_datasync(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    return fdatasync(e->host) == 0 ? WASI_ESUCCESS : WASI_ERR();
}

uint32_t kiln__wasi_fd_advise(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    static const int advice[6] = {
        POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
        POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE,
    };
    if (A32(3) > 5 || A64(1) > INT64_MAX || A64(2) > INT64_MAX)
        return WASI_EINVAL;
    if (e->filetype == WASI_FILETYPE_DIRECTORY)
        return WASI_EBADF;
    int r = posix_fadvise(e->host, (off_t)A64(1), (off_t)A64(2), advice[A32(3)]);
    return r == 0 || r == ESPIPE ? WASI_ESUCCESS : kiln__wasi_errno(r);
}

uint32_t kiln__wasi_fd_allocate(wasi_ctx *c, const kiln_val *a)
{
    GET_FD(e, 0);
    if (A64(1) > INT64_MAX || A64(2) > INT64_MAX)
        return WASI_EINVAL;
    int r = posix_fallocate(e->host, (off_t)A64(1), (off_t)A64(2));
    return r == 0 ? WASI_ESUCCESS : kiln__wasi_errno(r);
}

/* ---- sockets: no socket is ever handed to the guest ---- */

uint32_t kiln__wasi_sock_accept(wasi_ctx *c, const kiln_val *a) { GET_FD(e, 0); (void)e; return WASI_ENOTSOCK; }
uint32_t kiln__wasi_sock_recv(wasi_ctx *c, const kiln_val *a) { GET_FD(e, 0); (void)e; return WASI_ENOTSOCK; }
uint32_t kiln__wasi_sock_send(wasi_ctx *c, const kiln_val *a) { GET_FD(e, 0); (void)e; return WASI_ENOTSOCK; }
uint32_t kiln__wasi_sock_shutdown(wasi_ctx *c, const kiln_val *a) { GET_FD(e, 0); (void)e; return WASI_ENOTSOCK; }
