/* File I/O in the preopened directory: create, write, read, seek/tell, pread/pwrite, append,
 * truncate, stat, rename, link-free directory operations, symlinks inside the sandbox, and the
 * errno of common failures. Every line printed must be the same natively and under WASI. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                   \
    do {                                                              \
        if (!(cond)) {                                                \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); \
            failures++;                                               \
        }                                                             \
    } while (0)

static const char *err_name(int e)
{
    switch (e) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EBADF: return "EBADF";
    case ELOOP: return "ELOOP";
    case EINVAL: return "EINVAL";
    default: return strerror(e);
    }
}

int main(void)
{
    /* create and write */
    int fd = open("hello.txt", O_CREAT | O_TRUNC | O_WRONLY, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello, ", 7) == 7);
    CHECK(write(fd, "world\n", 6) == 6);
    CHECK(close(fd) == 0);

    /* read back, seek, tell */
    fd = open("hello.txt", O_RDWR);
    CHECK(fd >= 0);
    char buf[64] = { 0 };
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("read %zd: %s", n, buf);
    printf("tell after read: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("seek to 7: %lld\n", (long long)lseek(fd, 7, SEEK_SET));
    memset(buf, 0, sizeof buf);
    n = read(fd, buf, 5);
    printf("read %zd at 7: %s\n", n, buf);
    printf("seek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    errno = 0;
    printf("seek before start: %lld %s\n", (long long)lseek(fd, -100, SEEK_SET), err_name(errno));

    /* pread / pwrite do not move the position */
    CHECK(lseek(fd, 2, SEEK_SET) == 2);
    CHECK(pwrite(fd, "WORLD", 5, 7) == 5);
    memset(buf, 0, sizeof buf);
    CHECK(pread(fd, buf, 13, 0) == 13);
    printf("after pwrite: %s", buf);
    printf("position still: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));

    /* stat and truncate */
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    CHECK(ftruncate(fd, 5) == 0);
    CHECK(fstat(fd, &st) == 0);
    printf("truncated size %lld\n", (long long)st.st_size);
    CHECK(close(fd) == 0);

    /* append mode */
    fd = open("hello.txt", O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK(write(fd, "!!\n", 3) == 3);
    CHECK(close(fd) == 0);
    FILE *f = fopen("hello.txt", "r");
    CHECK(f != NULL);
    memset(buf, 0, sizeof buf);
    CHECK(fgets(buf, sizeof buf, f) != NULL);
    printf("appended: %s", buf);
    fclose(f);
    int flags = -1;
    fd = open("hello.txt", O_RDONLY | O_APPEND);
    if (fd >= 0) {
        flags = fcntl(fd, F_GETFL);
        close(fd);
    }
    printf("O_APPEND reported: %d, accmode rdonly: %d\n", (flags & O_APPEND) != 0, (flags & O_ACCMODE) == O_RDONLY);

    /* stdio streams with seeking */
    f = fopen("numbers.txt", "w+");
    CHECK(f != NULL);
    for (int k = 0; k < 1000; k++)
        fprintf(f, "%d\n", k);
    CHECK(fseek(f, 0, SEEK_SET) == 0);
    long sum = 0;
    int v;
    while (fscanf(f, "%d", &v) == 1)
        sum += v;
    printf("sum of numbers: %ld, size %ld\n", sum, ftell(f));
    fclose(f);

    /* directories */
    CHECK(mkdir("dir", 0755) == 0);
    errno = 0;
    printf("mkdir again: %d %s\n", mkdir("dir", 0755), err_name(errno));
    CHECK(mkdir("dir/sub", 0755) == 0);
    f = fopen("dir/sub/file.txt", "w");
    CHECK(f != NULL);
    fputs("nested\n", f);
    fclose(f);
    CHECK(stat("dir/sub/../sub/./file.txt", &st) == 0);
    printf("nested size %lld\n", (long long)st.st_size);
    CHECK(stat("dir/sub", &st) == 0);
    printf("dir is dir: %d\n", S_ISDIR(st.st_mode));
    errno = 0;
    printf("rmdir non-empty: %d %s\n", rmdir("dir/sub"), err_name(errno));
    errno = 0;
    printf("open missing: %d %s\n", open("nope.txt", O_RDONLY), err_name(errno));
    errno = 0;
    printf("open file as dir: %d %s\n", open("hello.txt/x", O_RDONLY), err_name(errno));
    errno = 0;
    printf("exclusive create of existing: %d %s\n", open("hello.txt", O_CREAT | O_EXCL | O_WRONLY, 0644), err_name(errno));
    errno = 0;
    printf("unlink a directory: %d %s\n", unlink("dir"), err_name(errno));

    /* rename and unlink */
    CHECK(rename("dir/sub/file.txt", "moved.txt") == 0);
    errno = 0;
    printf("old name gone: %d %s\n", access("dir/sub/file.txt", F_OK), err_name(errno));
    printf("new name there: %d\n", access("moved.txt", F_OK));
    CHECK(unlink("moved.txt") == 0);
    CHECK(rmdir("dir/sub") == 0);
    CHECK(rmdir("dir") == 0);
    errno = 0;
    printf("dir removed: %d %s\n", access("dir", F_OK), err_name(errno));

    /* symlinks inside the sandbox */
    CHECK(symlink("hello.txt", "link.txt") == 0);
    memset(buf, 0, sizeof buf);
    n = readlink("link.txt", buf, sizeof buf - 1);
    printf("readlink: %zd %s\n", n, buf);
    CHECK(lstat("link.txt", &st) == 0);
    printf("lstat is link: %d\n", S_ISLNK(st.st_mode));
    CHECK(stat("link.txt", &st) == 0);
    printf("stat follows: regular %d size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
    f = fopen("link.txt", "r");
    CHECK(f != NULL);
    memset(buf, 0, sizeof buf);
    if (f) {
        CHECK(fgets(buf, sizeof buf, f) != NULL);
        fclose(f);
    }
    printf("through link: %s", buf);
    errno = 0;
    printf("O_NOFOLLOW on link: %d %s\n", open("link.txt", O_RDONLY | O_NOFOLLOW), err_name(errno));
    CHECK(unlink("link.txt") == 0);
    CHECK(unlink("hello.txt") == 0);
    CHECK(unlink("numbers.txt") == 0);

    printf("failures: %d\n", failures);
    return failures != 0;
}
