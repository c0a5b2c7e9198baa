/* kiln-test: wasm-only */
/* Sandbox escapes must fail (WASI-only: natively nothing stops them). The driver prepares
 *   ./data.txt, ./sub/, ./link_in -> data.txt, ./link_out -> ../outside, ./abs_link -> /etc/passwd,
 *   ./sub/up -> ../.., ./sub/back -> ../data.txt, ./loop -> loop, and ../outside/secret.txt next
 *   to the preopened directory.
 * Prints the errno (by number) of each attempt, through wasi-libc and through the raw calls. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static void try_open(const char *path)
{
    errno = 0;
    int fd = open(path, O_RDONLY);
    printf("open %-28s -> %s errno=%d\n", path, fd >= 0 ? "OPENED" : "failed", fd >= 0 ? 0 : errno);
    if (fd >= 0)
        close(fd);
}

static void try_stat(const char *path)
{
    struct stat st;
    errno = 0;
    int rc = stat(path, &st);
    printf("stat %-28s -> %s errno=%d\n", path, rc == 0 ? "OK" : "failed", rc == 0 ? 0 : errno);
}

/* The raw import, bypassing wasi-libc's own path handling. fd 3 is the preopen. */
static void raw_open(const char *path, int follow)
{
    __wasi_fd_t fd = 0;
    __wasi_errno_t e = __wasi_path_open(3, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, 0,
                                        __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    printf("raw path_open %-20s follow=%d -> %d\n", path, follow, e);
    if (e == 0)
        (void)__wasi_fd_close(fd);
}

int main(void)
{
    printf("ENOTCAPABLE is %d\n", ENOTCAPABLE);
    try_open("data.txt");
    try_open("link_in");
    try_open("sub/../data.txt");
    try_open("../outside/secret.txt");
    try_open("sub/../../outside/secret.txt");
    try_open("/etc/passwd");
    try_open("link_out/secret.txt");
    try_open("abs_link");
    try_open("sub/up/outside/secret.txt");
    try_open("sub/back");
    try_open("loop");
    try_stat("link_out/secret.txt");
    try_stat("sub/up");
    try_stat("../outside");

    raw_open("data.txt", 0);
    raw_open("../outside/secret.txt", 0);
    raw_open("/etc/passwd", 0);
    raw_open("link_out/secret.txt", 0);
    raw_open("abs_link", 1);
    raw_open("abs_link", 0);
    raw_open("link_in", 1);
    raw_open("sub/up", 1);

    /* Creating a link that points outside is allowed; following it is not. */
    errno = 0;
    int rc = symlink("../outside/secret.txt", "made_link");
    printf("symlink to outside: %d errno=%d\n", rc, rc ? errno : 0);
    try_open("made_link");
    errno = 0;
    rc = mkdir("../escaped_dir", 0755);
    printf("mkdir ../escaped_dir: %d errno=%d\n", rc, rc ? errno : 0);
    errno = 0;
    rc = rename("data.txt", "../outside/stolen.txt");
    printf("rename out: %d errno=%d\n", rc, rc ? errno : 0);

    /* Bad guest pointers are EFAULT, never a crash. */
    __wasi_ciovec_t bad = { (const uint8_t *)0xFFFFFFF0u, 100 };
    __wasi_size_t written = 0;
    printf("fd_write bad buffer -> %d\n", __wasi_fd_write(1, &bad, 1, &written));
    printf("fd_write bad iovec array -> %d\n",
           __wasi_fd_write(1, (const __wasi_ciovec_t *)0xFFFFFFF8u, 2, &written));
    __wasi_fd_t fd;
    printf("path_open bad result ptr -> %d\n",
           __wasi_path_open(3, 0, "data.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, (__wasi_fd_t *)0xFFFFFFFEu));
    printf("path_open bad fd -> %d\n", __wasi_path_open(99, 0, "data.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    return 0;
}
