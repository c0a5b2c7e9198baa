/* detached_spawn.c — start a process that outlives its parent and never holds its terminal.
 *
 * A tiered `kiln run` leaves the optimising compile running after it exits. That process must
 * not keep the caller waiting: a shell pipeline or a test harness waits for every writer of its
 * pipe to close, so the child gets /dev/null for stdout and stderr and no other inherited
 * descriptor; it gets its own session, so Ctrl-C and a closing terminal (SIGHUP) reach the run
 * but not the compile. posix_spawn rather than fork: the parent has LLVM mapped and many threads. */
#include "kiln_cache_support.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <unistd.h>

extern char **environ;

int kiln_cache_memfd_holding(const uint8_t *bytes, size_t count)
{
    int fd = memfd_create("kiln-background-input", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < count) {
        ssize_t n = write(fd, bytes + done, count - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n == 0 ? EIO : errno;
            close(fd);
            errno = saved;
            return -1;
        }
        done += (size_t)n;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

pid_t kiln_cache_spawn_detached(const char *path, char *const argv[], int stdin_fd)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int error = posix_spawn_file_actions_init(&actions);
    if (error != 0) {
        errno = error;
        return -1;
    }
    error = posix_spawnattr_init(&attributes);
    if (error != 0) {
        posix_spawn_file_actions_destroy(&actions);
        errno = error;
        return -1;
    }

    /* Signals the parent ignores or blocks (the Swift runtime ignores SIGPIPE) would stay so
     * across exec: give the child the defaults, so that `kill` and the kernel behave as usual. */
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    if (error == 0) error = posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (error == 0) error = posix_spawnattr_setsigmask(&attributes, &none);
    if (error == 0) error = posix_spawnattr_setsigdefault(&attributes, &defaults);

    if (error == 0) error = posix_spawn_file_actions_adddup2(&actions, stdin_fd, STDIN_FILENO);
    if (error == 0) error = posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (error == 0) error = posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    /* Descriptors opened without O_CLOEXEC (by a host embedding the cache, say) stay behind. */
    if (error == 0) error = posix_spawn_file_actions_addclosefrom_np(&actions, 3);

    pid_t pid = -1;
    if (error == 0) error = posix_spawn(&pid, path, &actions, &attributes, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) {
        errno = error;
        return -1;
    }
    return pid;
}
