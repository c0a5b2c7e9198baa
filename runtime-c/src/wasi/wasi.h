/*
 * wasi.h — WASI preview 1 (wasi_snapshot_preview1) in the C runtime: private definitions shared
 * by the files of src/wasi/.
 *
 * Shape:
 *   - The host configures WASI on a kiln_imports object (kiln_imports_wasi*, setup.c). The
 *     configuration (arguments, environment, stdio fds, preopened directories) belongs to the
 *     imports object.
 *   - Every instance created from those imports that imports anything from wasi_snapshot_preview1
 *     gets its OWN state (struct kiln_wasi: fd table, copies of args/env, its own open file
 *     descriptions of the preopened directories), created at instantiation and freed with the
 *     instance. Freeing the imports object afterwards does not affect live instances. The
 *     exception is wasi-threads (threads.c): the instance of each thread a program spawns shares
 *     the state of the instance that spawned it, and the last of them frees it.
 *   - Every WASI import is bound to one trampoline (setup.c) whose env is a static table entry;
 *     the trampoline finds the state through the calling instance, takes its lock unless the
 *     function may block, validates nothing itself, and hands a wasi_ctx to the function. Functions validate every guest pointer + length against
 *     the current memory size before touching it (EFAULT otherwise).
 *
 * Sandbox: path arguments are resolved by path.c, component by component, relative to the
 * directory fd given by the guest; that fd is the root the path may not leave. Escapes (an
 * absolute path, `..` above the root, a symlink whose target is absolute or climbs above the
 * root) fail with ENOTCAPABLE (76), as wasmtime does.
 */
#ifndef KILN_WASI_H
#define KILN_WASI_H

#include "../internal.h"

#include <dirent.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the WASI layer copies guest integers with memcpy and assumes a little-endian host"
#endif

/* ---- ABI constants (witx: wasi_snapshot_preview1) ---- */

enum {
    WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EADDRINUSE = 3, WASI_EADDRNOTAVAIL = 4,
    WASI_EAFNOSUPPORT = 5, WASI_EAGAIN = 6, WASI_EALREADY = 7, WASI_EBADF = 8, WASI_EBADMSG = 9,
    WASI_EBUSY = 10, WASI_ECANCELED = 11, WASI_ECHILD = 12, WASI_ECONNABORTED = 13,
    WASI_ECONNREFUSED = 14, WASI_ECONNRESET = 15, WASI_EDEADLK = 16, WASI_EDESTADDRREQ = 17,
    WASI_EDOM = 18, WASI_EDQUOT = 19, WASI_EEXIST = 20, WASI_EFAULT = 21, WASI_EFBIG = 22,
    WASI_EHOSTUNREACH = 23, WASI_EIDRM = 24, WASI_EILSEQ = 25, WASI_EINPROGRESS = 26,
    WASI_EINTR = 27, WASI_EINVAL = 28, WASI_EIO = 29, WASI_EISCONN = 30, WASI_EISDIR = 31,
    WASI_ELOOP = 32, WASI_EMFILE = 33, WASI_EMLINK = 34, WASI_EMSGSIZE = 35, WASI_EMULTIHOP = 36,
    WASI_ENAMETOOLONG = 37, WASI_ENETDOWN = 38, WASI_ENETRESET = 39, WASI_ENETUNREACH = 40,
    WASI_ENFILE = 41, WASI_ENOBUFS = 42, WASI_ENODEV = 43, WASI_ENOENT = 44, WASI_ENOEXEC = 45,
    WASI_ENOLCK = 46, WASI_ENOLINK = 47, WASI_ENOMEM = 48, WASI_ENOMSG = 49, WASI_ENOPROTOOPT = 50,
    WASI_ENOSPC = 51, WASI_ENOSYS = 52, WASI_ENOTCONN = 53, WASI_ENOTDIR = 54, WASI_ENOTEMPTY = 55,
    WASI_ENOTRECOVERABLE = 56, WASI_ENOTSOCK = 57, WASI_ENOTSUP = 58, WASI_ENOTTY = 59,
    WASI_ENXIO = 60, WASI_EOVERFLOW = 61, WASI_EOWNERDEAD = 62, WASI_EPERM = 63, WASI_EPIPE = 64,
    WASI_EPROTO = 65, WASI_EPROTONOSUPPORT = 66, WASI_EPROTOTYPE = 67, WASI_ERANGE = 68,
    WASI_EROFS = 69, WASI_ESPIPE = 70, WASI_ESRCH = 71, WASI_ESTALE = 72, WASI_ETIMEDOUT = 73,
    WASI_ETXTBSY = 74, WASI_EXDEV = 75, WASI_ENOTCAPABLE = 76,
};

enum {
    WASI_FILETYPE_UNKNOWN = 0, WASI_FILETYPE_BLOCK_DEVICE = 1, WASI_FILETYPE_CHARACTER_DEVICE = 2,
    WASI_FILETYPE_DIRECTORY = 3, WASI_FILETYPE_REGULAR_FILE = 4, WASI_FILETYPE_SOCKET_DGRAM = 5,
    WASI_FILETYPE_SOCKET_STREAM = 6, WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

#define WASI_RIGHT(n) ((uint64_t)1 << (n))
#define WASI_RIGHT_FD_DATASYNC WASI_RIGHT(0)
#define WASI_RIGHT_FD_READ WASI_RIGHT(1)
#define WASI_RIGHT_FD_SEEK WASI_RIGHT(2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS WASI_RIGHT(3)
#define WASI_RIGHT_FD_SYNC WASI_RIGHT(4)
#define WASI_RIGHT_FD_TELL WASI_RIGHT(5)
#define WASI_RIGHT_FD_WRITE WASI_RIGHT(6)
#define WASI_RIGHT_FD_ALLOCATE WASI_RIGHT(8)
#define WASI_RIGHT_FD_READDIR WASI_RIGHT(14)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE WASI_RIGHT(22)
#define WASI_RIGHTS_ALL (WASI_RIGHT(30) - 1)   /* rights 0..29 */

enum { WASI_FDFLAG_APPEND = 1, WASI_FDFLAG_DSYNC = 2, WASI_FDFLAG_NONBLOCK = 4, WASI_FDFLAG_RSYNC = 8, WASI_FDFLAG_SYNC = 16 };
enum { WASI_OFLAG_CREAT = 1, WASI_OFLAG_DIRECTORY = 2, WASI_OFLAG_EXCL = 4, WASI_OFLAG_TRUNC = 8 };
enum { WASI_LOOKUP_SYMLINK_FOLLOW = 1 };
enum { WASI_FST_ATIM = 1, WASI_FST_ATIM_NOW = 2, WASI_FST_MTIM = 4, WASI_FST_MTIM_NOW = 8 };
enum { WASI_WHENCE_SET = 0, WASI_WHENCE_CUR = 1, WASI_WHENCE_END = 2 };
enum { WASI_EVENTTYPE_CLOCK = 0, WASI_EVENTTYPE_FD_READ = 1, WASI_EVENTTYPE_FD_WRITE = 2 };

/* ---- configuration (per kiln_imports) and state (per instance) ---- */

/* NUL-terminated strings back to back, as args_get/environ_get lay them out in guest memory. */
typedef struct wasi_strings {
    char *buf;
    uint32_t len;    /* bytes, terminators included */
    uint32_t count;
} wasi_strings;

typedef struct wasi_preopen {
    int fd;          /* O_RDONLY|O_DIRECTORY, owned by the configuration */
    char *guest;     /* the name the guest sees (fd_prestat_dir_name) */
} wasi_preopen;

struct kiln_wasi_config {
    wasi_strings args, env;
    int stdio[3];    /* borrowed host fds, -1: absent */
    wasi_preopen *preopens;
    uint32_t npreopens;
    kiln_wasi_end_fn on_end;   /* kiln_imports_wasi_on_end (wasi-threads), or NULL */
    void *on_end_context;
};

typedef struct wasi_fd {
    int host;                 /* -1: free slot */
    uint8_t filetype;
    bool borrowed;            /* the host's stdio: closing it only forgets it */
    char *preopen;            /* guest name of a preopened directory, else NULL */
    uint64_t rights_base, rights_inheriting;
    DIR *dir;                 /* fd_readdir stream, opened on first use */
    uint64_t dir_cookie;      /* index of the entry dir will return next */
} wasi_fd;

struct wasi_process;

/* Shared by the instances of one WASI program: one, or with wasi-threads the instance that was
 * created first and one per thread it spawned (threads.c). */
struct kiln_wasi {
    /* Held by every WASI call but the ones that may block (setup.c's table says which); those
     * take it only to borrow what they use (kiln__wasi_fd_borrow). */
    pthread_mutex_t lock;
    _Atomic uint32_t refs;    /* one per instance */
    wasi_fd *fds;
    uint32_t nfds;            /* slots in use or free, 0..nfds-1 */
    wasi_strings args, env;
    struct wasi_process *process;   /* wasi-threads, when the module imports thread-spawn; else NULL */
};

/* What a WASI function works with during one call. */
typedef struct wasi_ctx {
    struct kiln_wasi *w;
    uint8_t *mem;             /* linear memory 0, NULL if none */
    uint64_t mem_size;
} wasi_ctx;

/* A WASI function: arguments as the import signature gives them; returns a WASI errno. */
typedef uint32_t (*wasi_fn)(wasi_ctx *c, const kiln_val *a);

#define A32(k) ((uint32_t)a[k].of.i32)
#define A64(k) ((uint64_t)a[k].of.i64)

/* ---- guest memory: every access is checked ---- */

static inline void *wasi_ptr(const wasi_ctx *c, uint32_t p, uint64_t len)
{
    if (!c->mem || (uint64_t)p + len > c->mem_size)
        return NULL;
    return c->mem + p;
}

static inline bool wasi_put16(const wasi_ctx *c, uint32_t p, uint16_t v)
{
    void *d = wasi_ptr(c, p, 2);
    return d ? (memcpy(d, &v, 2), true) : false;
}

static inline bool wasi_put32(const wasi_ctx *c, uint32_t p, uint32_t v)
{
    void *d = wasi_ptr(c, p, 4);
    return d ? (memcpy(d, &v, 4), true) : false;
}

static inline bool wasi_put64(const wasi_ctx *c, uint32_t p, uint64_t v)
{
    void *d = wasi_ptr(c, p, 8);
    return d ? (memcpy(d, &v, 8), true) : false;
}

static inline uint32_t wasi_get32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t wasi_get64(const void *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* ---- errno_map.c ---- */

/* Host errno -> WASI errno. */
KILN_INTERNAL uint32_t kiln__wasi_errno(int host_errno);
#define WASI_ERR() kiln__wasi_errno(errno)

/* ---- fd.c: the descriptor table ---- */

/* The open entry for guest fd, or NULL (EBADF). */
KILN_INTERNAL wasi_fd *kiln__wasi_fd_get(struct kiln_wasi *w, uint32_t fd);
/* Add host_fd (owned from now on) at the highest free number, else a new one; -1 if out of memory or numbers. */
KILN_INTERNAL int64_t kiln__wasi_fd_add(struct kiln_wasi *w, int host_fd, uint64_t base, uint64_t inheriting);
/* Fill slot e with host_fd (rights trimmed to what the file type allows). */
KILN_INTERNAL void kiln__wasi_fd_init(wasi_fd *e, int host_fd, uint64_t base, uint64_t inheriting);
/* The host fd one call that may block (fd_read, poll_oneoff, ...) uses for guest fd `fd`, taken
 * under the state's lock so that the call can run without it: the table's own fd while the program
 * has one thread, else a duplicate the call closes afterwards, so that another thread closing or
 * renumbering `fd` meanwhile cannot make this call reach a host fd that now means something else.
 * Returns a WASI errno (EBADF, or EMFILE/ENFILE from dup). */
typedef struct wasi_borrowed_fd {
    int host;
    bool duplicate;
    uint8_t filetype;
} wasi_borrowed_fd;
KILN_INTERNAL uint32_t kiln__wasi_fd_borrow(struct kiln_wasi *w, uint32_t fd, wasi_borrowed_fd *out);
KILN_INTERNAL void kiln__wasi_fd_give_back(const wasi_borrowed_fd *b);
/* Close (unless borrowed) and free the slot. */
KILN_INTERNAL void kiln__wasi_fd_release(wasi_fd *e);
/* The WASI file type of an open host fd (from fstat). */
KILN_INTERNAL uint8_t kiln__wasi_filetype(int host_fd);
/* Serialise a struct stat as a WASI filestat at guest address p (64 bytes). */
KILN_INTERNAL uint32_t kiln__wasi_put_filestat(const wasi_ctx *c, uint32_t p, const struct stat *st);
/* atim/mtim/fst_flags of the *_filestat_set_times functions as utimensat's times; false: EINVAL. */
KILN_INTERNAL bool kiln__wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);
/* Reads the guest's (c)iovec array into host iovecs; WASI_ESUCCESS or EFAULT/EINVAL. */
#define WASI_IOV_MAX 1024
KILN_INTERNAL uint32_t kiln__wasi_iovecs(const wasi_ctx *c, uint32_t iovs, uint32_t n, struct iovec *out);

/* ---- path.c: sandboxed resolution ---- */

typedef struct wasi_resolved {
    int dirfd;                /* directory holding the last component (owned unless == root) */
    int root;                 /* the guest's directory fd (not owned) */
    char name[256];           /* last component: a plain name, or "." */
    bool trailing_slash;
} wasi_resolved;

/* Resolve path (guest bytes, already copied) against guest directory fd `fd`. follow_last: a symlink
 * as last component is followed (inside the sandbox). Returns a WASI errno. */
KILN_INTERNAL uint32_t kiln__wasi_resolve(struct kiln_wasi *w, uint32_t fd, const char *path, uint32_t len,
                                          bool follow_last, wasi_resolved *out);
KILN_INTERNAL void kiln__wasi_resolved_close(wasi_resolved *r);

/* ---- the functions, by file ---- */

#define WASI_DECL(name) KILN_INTERNAL uint32_t kiln__wasi_##name(wasi_ctx *c, const kiln_val *a)
/* args.c */
WASI_DECL(args_get); WASI_DECL(args_sizes_get); WASI_DECL(environ_get); WASI_DECL(environ_sizes_get);
/* clock.c */
WASI_DECL(clock_res_get); WASI_DECL(clock_time_get); WASI_DECL(random_get); WASI_DECL(sched_yield);
WASI_DECL(proc_exit); WASI_DECL(proc_raise); WASI_DECL(poll_oneoff);
/* fd.c */
WASI_DECL(fd_advise); WASI_DECL(fd_allocate); WASI_DECL(fd_close); WASI_DECL(fd_datasync);
WASI_DECL(fd_fdstat_get); WASI_DECL(fd_fdstat_set_flags); WASI_DECL(fd_fdstat_set_rights);
WASI_DECL(fd_filestat_get); WASI_DECL(fd_filestat_set_size); WASI_DECL(fd_filestat_set_times);
WASI_DECL(fd_pread); WASI_DECL(fd_pwrite); WASI_DECL(fd_read); WASI_DECL(fd_write);
WASI_DECL(fd_renumber); WASI_DECL(fd_seek); WASI_DECL(fd_sync); WASI_DECL(fd_tell);
WASI_DECL(sock_accept); WASI_DECL(sock_recv); WASI_DECL(sock_send); WASI_DECL(sock_shutdown);
/* dir.c */
WASI_DECL(fd_prestat_get); WASI_DECL(fd_prestat_dir_name); WASI_DECL(fd_readdir);
/* path.c */
WASI_DECL(path_create_directory); WASI_DECL(path_filestat_get); WASI_DECL(path_filestat_set_times);
WASI_DECL(path_link); WASI_DECL(path_open); WASI_DECL(path_readlink); WASI_DECL(path_remove_directory);
WASI_DECL(path_rename); WASI_DECL(path_symlink); WASI_DECL(path_unlink_file);

/* ---- threads.c: wasi-threads ---- */

#define WASI_THREADS_MODULE "wasi"
#define WASI_THREAD_SPAWN "thread-spawn"

/* The "wasi" "thread-spawn" import: (start_arg: i32) -> i32, a new thread's id or -1. */
KILN_INTERNAL int kiln__wasi_thread_spawn(void *env, kiln_instance *caller, const kiln_val *args, kiln_val *results);
/* At the first instance's attach: the thread bookkeeping, which keeps `imports` to instantiate
 * threads with. NULL when out of memory. */
KILN_INTERNAL struct wasi_process *kiln__wasi_process_new(const kiln_imports *imports, kiln_instance *first);
KILN_INTERNAL void kiln__wasi_process_free(struct wasi_process *p);
/* i joins or leaves the program's instances (those an end of the program interrupts); the first
 * instance leaving ends the program. 0, or -1 when the program has already ended. */
KILN_INTERNAL int kiln__wasi_process_join(struct kiln_wasi *w, kiln_instance *i);
KILN_INTERNAL void kiln__wasi_process_leave(struct kiln_wasi *w, kiln_instance *i);
/* Whether threads were ever spawned (then descriptors are borrowed as duplicates). */
KILN_INTERNAL bool kiln__wasi_process_threaded(const struct kiln_wasi *w);
/* An fd that becomes readable when the program ends, for poll_oneoff to wait on; -1 if none. */
KILN_INTERNAL int kiln__wasi_process_end_fd(const struct kiln_wasi *w);

/* setup.c holds the public kiln_imports_wasi* functions and the hooks declared in internal.h. */

#endif /* KILN_WASI_H */
