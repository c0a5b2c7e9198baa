/* dir.c — preopened directories as the guest discovers them (fd_prestat_*), and fd_readdir.
 *
 * fd_readdir cookies are entry indices: entry k of the listing has d_next = k + 1. The fd keeps a
 * DIR stream positioned at its own cookie, so sequential listing costs one pass; any other cookie
 * rewinds and skips. Cookie 0 always rewinds, so a new listing sees the directory as it is now. */
#include "wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

uint32_t kiln__wasi_fd_prestat_get(wasi_ctx *c, const kiln_val *a)
{
    wasi_fd *e = kiln__wasi_fd_get(c->w, A32(0));
    if (!e || !e->preopen)
        return WASI_EBADF;
    uint8_t *d = wasi_ptr(c, A32(1), 8);
    if (!d)
        return WASI_EFAULT;
    uint8_t s[8] = { 0 };     /* tag 0 = directory; u32 name length at 4 */
    uint32_t len = (uint32_t)strlen(e->preopen);
    memcpy(s + 4, &len, 4);
    memcpy(d, s, 8);
    return WASI_ESUCCESS;
}

uint32_t kiln__wasi_fd_prestat_dir_name(wasi_ctx *c, const kiln_val *a)
{
    wasi_fd *e = kiln__wasi_fd_get(c->w, A32(0));
    if (!e || !e->preopen)
        return WASI_EBADF;
    uint32_t len = (uint32_t)strlen(e->preopen);
    if (A32(2) < len)
        return WASI_ENAMETOOLONG;
    uint8_t *d = wasi_ptr(c, A32(1), len);
    if (!d)
        return WASI_EFAULT;
    memcpy(d, e->preopen, len);
    return WASI_ESUCCESS;
}

static uint8_t dirent_type(DIR *dir, const struct dirent *de)
{
    switch (de->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_UNKNOWN: break;
    default: return WASI_FILETYPE_UNKNOWN;
    }
    struct stat st;     /* file systems that do not report types */
    if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return WASI_FILETYPE_UNKNOWN;
    if (S_ISREG(st.st_mode)) return WASI_FILETYPE_REGULAR_FILE;
    if (S_ISDIR(st.st_mode)) return WASI_FILETYPE_DIRECTORY;
    if (S_ISLNK(st.st_mode)) return WASI_FILETYPE_SYMBOLIC_LINK;
    return WASI_FILETYPE_UNKNOWN;
}

uint32_t kiln__wasi_fd_readdir(wasi_ctx *c, const kiln_val *a)
{
    wasi_fd *e = kiln__wasi_fd_get(c->w, A32(0));
    if (!e)
        return WASI_EBADF;
    uint32_t buf = A32(1), buf_len = A32(2), used_ptr = A32(4);
    uint64_t cookie = A64(3);
    uint8_t *out = wasi_ptr(c, buf, buf_len);
    if (!out || !wasi_ptr(c, used_ptr, 4))
        return WASI_EFAULT;
    if (e->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ENOTDIR;
    if (!e->dir) {
        /* A description of its own: the stream's position must not be shared with e->host. */
        int fd = openat(e->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return WASI_ERR();
        e->dir = fdopendir(fd);
        if (!e->dir) {
            uint32_t r = WASI_ERR();
            close(fd);
            return r;
        }
        e->dir_cookie = 0;
    }
    if (cookie == 0 || cookie < e->dir_cookie) {
        rewinddir(e->dir);
        e->dir_cookie = 0;
    }
    while (e->dir_cookie < cookie) {
        errno = 0;
        if (!readdir(e->dir)) {
            if (errno)
                return WASI_ERR();
            break;                  /* a cookie past the end: an empty answer */
        }
        e->dir_cookie++;
    }
    uint32_t used = 0;
    while (used < buf_len) {
        long pos = telldir(e->dir);
        errno = 0;
        struct dirent *de = readdir(e->dir);
        if (!de) {
            if (errno)
                return WASI_ERR();
            break;
        }
        uint32_t namlen = (uint32_t)strlen(de->d_name);
        uint8_t head[24] = { 0 };
        uint64_t next = e->dir_cookie + 1, ino = (uint64_t)de->d_ino;
        memcpy(head, &next, 8);
        memcpy(head + 8, &ino, 8);
        memcpy(head + 16, &namlen, 4);
        head[20] = dirent_type(e->dir, de);
        uint32_t room = buf_len - used;
        if (24 + (uint64_t)namlen > room) {
            /* Fill the buffer with the entry's prefix (a full buffer tells the guest there is more)
             * and leave the stream on this entry: the guest asks again from its cookie. */
            uint32_t n = room < 24 ? room : 24;
            memcpy(out + used, head, n);
            memcpy(out + used + n, de->d_name, room - n);
            used = buf_len;
            seekdir(e->dir, pos);
            break;
        }
        memcpy(out + used, head, 24);
        memcpy(out + used + 24, de->d_name, namlen);
        used += 24 + namlen;
        e->dir_cookie++;
    }
    wasi_put32(c, used_ptr, used);
    return WASI_ESUCCESS;
}
