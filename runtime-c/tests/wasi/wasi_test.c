/*
 * wasi_test.c — WASI preview 1 through the C API, against native builds of the same programs.
 *
 *   wasi_test KILN PROGRAM_DIR
 *
 * PROGRAM_DIR holds NAME.wasm (and NAME.native unless the program is WASI-only) for each program
 * of tests/wasi, as scripts/build-wasi-tests makes them. Each case compiles NAME.wasm with KILN,
 * instantiates it with kiln_imports_wasi, a temporary directory preopened as "." (with a sibling
 * directory "outside" that must stay unreachable), the case's arguments, environment and stdin,
 * runs "_start", and checks the exit status, stdout, and the files the program left behind.
 * When the program has a native build, the native binary runs in an identical directory with the
 * same argv, environment and stdin, and stdout and the exit status must be identical.
 * Prints "N passed, N failed"; exits non-zero on any failure.
 */
#include "kiln.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *kiln_bin, *prog_dir;
static int passed, failed;
static bool case_failed;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("    ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    case_failed = true;
}

/* ---- files ---- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static void make_dir(const char *dir, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        perror(path);
        exit(2);
    }
}

static void make_link(const char *dir, const char *name, const char *target)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (symlink(target, path) != 0) {
        perror(path);
        exit(2);
    }
}

static void remove_tree(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", path, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
}

/* The first line where a and b differ, for the report. */
static void show_diff(const char *what, const char *a, const char *b)
{
    int line = 1;
    while (*a && *a == *b) {
        if (*a == '\n')
            line++;
        a++, b++;
    }
    while (line > 1 && a[-1] != '\n')
        a--, b--;
    fail("%s differ at line %d:\n      wasm:   %.*s\n      native: %.*s", what, line,
         (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
}

/* ---- test cases ---- */

typedef struct test_case {
    const char *name;                  /* case name */
    const char *prog;                  /* tests/wasi/PROG.c */
    const char *args[6];               /* after argv[0] */
    int expect_status;
    const char *stdin_text;            /* NULL: empty stdin */
    const char *expect_stdout;         /* NULL: not checked against a fixed text */
    const char *expect_in_stdout;      /* NULL: nothing required */
    void (*setup)(const char *dir);
    void (*check)(const char *dir);    /* after the run, on the preopened directory */
} test_case;

static const char *const test_env[] = { "GREETING=hello wasi", "EMPTY=", "PATH_LIKE=/a:/b", NULL };
/* What the WASI run builds from test_env + 1, then kiln_imports_wasi_env_set X=0, GREETING, X=1=2. */
static const char *const native_env[] = { "EMPTY=", "PATH_LIKE=/a:/b", "GREETING=hello wasi", "X=1=2", NULL };

static void setup_copy(const char *dir) { write_file(dir, "input.txt", "Hello, Kiln!\nsecond line\n"); }
static void check_copy(const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/output.txt", dir);
    char *s = read_file(path);
    if (!s)
        fail("output.txt was not written");
    else if (strcmp(s, "HELLO, KILN!\nSECOND LINE\n") != 0)
        fail("output.txt has \"%s\"", s);
    free(s);
}

static void check_clean(const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/hello.txt", dir);
    if (access(path, F_OK) == 0)
        fail("file_io left hello.txt behind");
}

static void setup_sandbox(const char *dir)
{
    write_file(dir, "data.txt", "inside\n");
    make_dir(dir, "sub");
    make_link(dir, "link_in", "data.txt");
    make_link(dir, "link_out", "../outside");
    make_link(dir, "abs_link", "/etc/passwd");
    make_link(dir, "sub/up", "../..");
    make_link(dir, "sub/back", "../data.txt");
    make_link(dir, "loop", "loop");
}

static void check_sandbox(const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/../escaped_dir", dir);
    if (access(path, F_OK) == 0)
        fail("the guest created a directory outside the sandbox");
    snprintf(path, sizeof path, "%s/../outside/stolen.txt", dir);
    if (access(path, F_OK) == 0)
        fail("the guest renamed a file out of the sandbox");
    snprintf(path, sizeof path, "%s/data.txt", dir);
    if (access(path, F_OK) != 0)
        fail("data.txt is gone");
}

/* Expected by hand: ENOTCAPABLE = 76, ENOENT = 44, ELOOP = 32, EBADF = 8, EFAULT = 21. With the
 * directory preopened as ".", wasi-libc maps the absolute "/etc/passwd" to "etc/passwd" inside it
 * (ENOENT): no escape is attempted. The raw path_open of "/etc/passwd" reaches the runtime: 76. */
static const char sandbox_stdout[] =
    "ENOTCAPABLE is 76\n"
    "open data.txt                     -> OPENED errno=0\n"
    "open link_in                      -> OPENED errno=0\n"
    "open sub/../data.txt              -> OPENED errno=0\n"
    "open ../outside/secret.txt        -> failed errno=76\n"
    "open sub/../../outside/secret.txt -> failed errno=76\n"
    "open /etc/passwd                  -> failed errno=44\n"   /* "/" is the "." preopen to wasi-libc */
    "open link_out/secret.txt          -> failed errno=76\n"
    "open abs_link                     -> failed errno=76\n"
    "open sub/up/outside/secret.txt    -> failed errno=76\n"
    "open sub/back                     -> OPENED errno=0\n"
    "open loop                         -> failed errno=32\n"
    "stat link_out/secret.txt          -> failed errno=76\n"
    "stat sub/up                       -> failed errno=76\n"
    "stat ../outside                   -> failed errno=76\n"
    "raw path_open data.txt             follow=0 -> 0\n"
    "raw path_open ../outside/secret.txt follow=0 -> 76\n"
    "raw path_open /etc/passwd          follow=0 -> 76\n"
    "raw path_open link_out/secret.txt  follow=0 -> 76\n"
    "raw path_open abs_link             follow=1 -> 76\n"
    "raw path_open abs_link             follow=0 -> 32\n"
    "raw path_open link_in              follow=1 -> 0\n"
    "raw path_open sub/up               follow=1 -> 76\n"
    "symlink to outside: 0 errno=0\n"
    "open made_link                    -> failed errno=76\n"
    "mkdir ../escaped_dir: -1 errno=76\n"
    "rename out: -1 errno=76\n"
    "fd_write bad buffer -> 21\n"
    "fd_write bad iovec array -> 21\n"
    "path_open bad result ptr -> 21\n"
    "path_open bad fd -> 8\n";

static const test_case cases[] = {
    { "args and environment", "args_env", { "one", "two words", "", "--flag=3" }, 0, NULL, NULL,
      "GREETING=hello wasi MISSING=(null)", NULL, NULL },
    { "exit(7)", "exit_code", { "7" }, 7, NULL, "exiting with 7\n", NULL, NULL, NULL },
    { "exit(0)", "exit_code", { "0" }, 0, NULL, "exiting with 0\n", NULL, NULL, NULL },
    { "return 42 from main", "exit_code", { "42", "ret" }, 42, NULL, "exiting with 42\n", NULL, NULL, NULL },
    { "return 0 from main", "exit_code", { "0", "ret" }, 0, NULL, "exiting with 0\n", NULL, NULL, NULL },
    { "read input, write output, exit 3", "copy_exit3", { 0 }, 3, NULL, "copied 25 bytes\n", NULL,
      setup_copy, check_copy },
    { "file I/O", "file_io", { 0 }, 0, NULL, NULL, "failures: 0\n", NULL, check_clean },
    { "fd_readdir", "readdir", { 0 }, 0, NULL, NULL, "big: 602 entries, 602 after rewind\n", NULL, NULL },
    { "clocks and sleep", "clock", { 0 }, 0, NULL,
      "realtime after 2020: yes\ntime() agrees: yes\nmonotonic resolution > 0: yes\n"
      "monotonic non-decreasing: yes\nnanosleep 20ms: rc=0 slept enough: yes\nusleep 5ms: yes\n"
      "process cputime works: yes\n", NULL, NULL, NULL },
    { "stdin", "stdin_count", { 0 }, 0, "first line\nsecond  line here\n\nlast", NULL,
      "poll stdin: 1 readable 1\npoll timeout: 0\nfirst line\nlines=3 words=6 bytes=34\n", NULL, NULL },
    { "sandbox escapes", "sandbox", { 0 }, 0, NULL, sandbox_stdout, NULL, setup_sandbox, check_sandbox },
};

/* ---- running ---- */

static bool compiled(const char *prog, char *so, size_t cap)
{
    char wasm[PATH_MAX];
    snprintf(wasm, sizeof wasm, "%s/%s.wasm", prog_dir, prog);
    snprintf(so, cap, "%s/%s.so", prog_dir, prog);
    pid_t pid = fork();
    if (pid == 0) {
        execl(kiln_bin, kiln_bin, "compile", wasm, "-o", so, (char *)NULL);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fail("%s compile %s failed", kiln_bin, wasm);
        return false;
    }
    return true;
}

/* A fresh ROOT/sandbox (preopened) next to ROOT/outside/secret.txt. */
static void make_tree(const char *root, char *sandbox, size_t cap)
{
    make_dir(root, "");
    make_dir(root, "outside");
    write_file(root, "outside/secret.txt", "secret\n");
    make_dir(root, "sandbox");
    snprintf(sandbox, cap, "%s/sandbox", root);
}

static int open_stdin(const char *root, const char *text)
{
    write_file(root, "stdin.txt", text ? text : "");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/stdin.txt", root);
    return open(path, O_RDONLY | O_CLOEXEC);
}

static int open_out(const char *root, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, name);
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

static char *slurp(const char *root, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, name);
    char *s = read_file(path);
    return s ? s : strdup("");
}

/* Runs the command module through the C API; the exit status, or -1 after a failure. */
static int run_wasm(const test_case *tc, const char *so, const char *root, const char *sandbox)
{
    const char *argv[8] = { tc->prog };
    int argc = 1;
    while (argc < 7 && tc->args[argc - 1])
        argv[argc] = tc->args[argc - 1], argc++;
    kiln_error *err = NULL;
    kiln_module *m = kiln_module_load(so, &err);
    if (!m) {
        fail("load: %s", kiln_error_message(err));
        kiln_error_free(err);
        return -1;
    }
    int in = open_stdin(root, tc->stdin_text), out = open_out(root, "wasm.out"), er = open_out(root, "wasm.err");
    kiln_imports *im = kiln_imports_new();
    int status = -1;
    if (kiln_imports_wasi(im, argc, argv) != 0 || kiln_imports_wasi_env(im, test_env + 1) != 0
        || kiln_imports_wasi_env_set(im, "X=0") != 0 || kiln_imports_wasi_env_set(im, test_env[0]) != 0
        || kiln_imports_wasi_env_set(im, "X=1=2") != 0 || kiln_imports_wasi_env_set(im, "NOEQUALS") == 0
        || kiln_imports_wasi_preopen(im, sandbox, ".") != 0 || kiln_imports_wasi_stdio(im, in, out, er) != 0) {
        fail("configuring WASI failed");
        goto done;
    }
    kiln_instance *i = kiln_instance_new(m, im, &err);
    /* The instance owns its WASI state: the imports may go at once. */
    kiln_imports_free(im);
    im = NULL;
    if (!i) {
        fail("instantiate: %s", kiln_error_message(err));
        goto done;
    }
    if (kiln_call(i, "_start", NULL, 0, NULL, 0, &err) == 0)
        status = 0;
    else if (kiln_error_exit_status(err, &status)) {
        if (kiln_error_is_trap(err))
            fail("an exit is reported as a trap");
    } else
        fail("_start failed: %s (trap: %d)", kiln_error_message(err), kiln_error_is_trap(err));
    kiln_instance_free(i);
done:
    kiln_error_free(err);
    kiln_imports_free(im);
    kiln_module_release(m);
    close(in), close(out), close(er);
    return status;
}

static int run_native(const test_case *tc, const char *root, const char *sandbox)
{
    char bin[PATH_MAX];
    snprintf(bin, sizeof bin, "%s/%s.native", prog_dir, tc->prog);
    const char *argv[8] = { tc->prog };
    int argc = 1;
    while (argc < 7 && tc->args[argc - 1])
        argv[argc] = tc->args[argc - 1], argc++;
    argv[argc] = NULL;
    int in = open_stdin(root, tc->stdin_text), out = open_out(root, "native.out"), er = open_out(root, "native.err");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(sandbox) != 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(er, 2) < 0)
            _exit(126);
        execve(bin, (char *const *)argv, (char *const *)native_env);
        _exit(127);
    }
    close(in), close(out), close(er);
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) {
        fail("native run did not exit normally");
        return -1;
    }
    return WEXITSTATUS(st);
}

static void run_case(const test_case *tc, const char *tmp)
{
    case_failed = false;
    printf("  %s\n", tc->name);
    char so[PATH_MAX], root[PATH_MAX], sandbox[PATH_MAX];
    if (!compiled(tc->prog, so, sizeof so))
        goto out;
    snprintf(root, sizeof root, "%s/wasm", tmp);
    make_tree(root, sandbox, sizeof sandbox);
    if (tc->setup)
        tc->setup(sandbox);
    int status = run_wasm(tc, so, root, sandbox);
    char *out = slurp(root, "wasm.out");
    if (status != tc->expect_status)
        fail("exit status %d, expected %d", status, tc->expect_status);
    if (tc->expect_stdout && strcmp(out, tc->expect_stdout) != 0)
        show_diff("stdout and expected text", out, tc->expect_stdout);
    if (tc->expect_in_stdout && !strstr(out, tc->expect_in_stdout))
        fail("stdout lacks \"%s\"", tc->expect_in_stdout);
    if (strstr(out, "FAIL"))
        fail("the program reported failures:\n%s", out);
    if (tc->check)
        tc->check(sandbox);

    char nbin[PATH_MAX];
    snprintf(nbin, sizeof nbin, "%s/%s.native", prog_dir, tc->prog);
    if (access(nbin, X_OK) == 0) {
        char nroot[PATH_MAX], nsandbox[PATH_MAX];
        snprintf(nroot, sizeof nroot, "%s/native", tmp);
        make_tree(nroot, nsandbox, sizeof nsandbox);
        if (tc->setup)
            tc->setup(nsandbox);
        int nstatus = run_native(tc, nroot, nsandbox);
        char *nout = slurp(nroot, "native.out");
        if (nstatus != status)
            fail("exit status %d under WASI, %d natively", status, nstatus);
        if (strcmp(out, nout) != 0)
            show_diff("stdout under WASI and natively", out, nout);
        if (tc->check)
            tc->check(nsandbox);
        free(nout);
    }
    free(out);
out:
    if (case_failed) {
        failed++;
        printf("    FAILED\n");
    } else
        passed++;
}

/* ---- a reactor driven through its exports ---- */

static int32_t call_i32(kiln_instance *i, const char *name, const kiln_val *args, size_t n, kiln_error **err)
{
    kiln_val r = { .kind = KILN_I32 };
    if (kiln_call(i, name, args, n, &r, 1, err) != 0)
        return -1;
    return r.of.i32;
}

static void reactor_case(const char *tmp)
{
    case_failed = false;
    printf("  reactor: host calls exports, data through linear memory\n");
    char so[PATH_MAX], root[PATH_MAX], sandbox[PATH_MAX];
    if (!compiled("reactor", so, sizeof so))
        goto out;
    snprintf(root, sizeof root, "%s/reactor", tmp);
    make_tree(root, sandbox, sizeof sandbox);
    write_file(sandbox, "note.txt", "a note from the host\n");
    kiln_error *err = NULL;
    kiln_module *m = kiln_module_load(so, &err);
    if (!m) {
        fail("load: %s", kiln_error_message(err));
        goto out;
    }
    int out = open_out(root, "out");
    kiln_imports *im = kiln_imports_new();
    const char *argv[] = { "reactor" };
    kiln_imports_wasi(im, 1, argv);
    kiln_imports_wasi_preopen(im, sandbox, ".");
    kiln_imports_wasi_stdio(im, -1, out, 2);
    kiln_instance *a = kiln_instance_new(m, im, &err), *b = kiln_instance_new(m, im, &err);
    kiln_imports_free(im);
    if (!a || !b) {
        fail("instantiate: %s", kiln_error_message(err));
        goto free;
    }
    if (kiln_call(a, "_initialize", NULL, 0, NULL, 0, &err) != 0 || kiln_call(b, "_initialize", NULL, 0, NULL, 0, &err) != 0) {
        fail("_initialize: %s", kiln_error_message(err));
        goto free;
    }
    const char msg[] = "hello reactor";
    kiln_val n = { .kind = KILN_I32, .of.i32 = sizeof msg };
    int32_t p = call_i32(a, "buffer_alloc", &n, 1, &err);
    if (p <= 0 || (uint64_t)p + sizeof msg > kiln_memory_size(a, 0)) {
        fail("buffer_alloc gave %d", p);
        goto free;
    }
    uint8_t *mem = kiln_memory_data(a, 0);
    memcpy(mem + p, msg, sizeof msg);
    kiln_val args[2] = { { .kind = KILN_I32, .of.i32 = p }, { .kind = KILN_I32, .of.i32 = (int32_t)strlen(msg) } };
    int32_t calls = call_i32(a, "shout", args, 2, &err);
    if (calls != 1 || strcmp((char *)mem + p, "HELLO REACTOR") != 0)
        fail("shout: %d, memory has \"%s\"", calls, (char *)mem + p);
    calls = call_i32(a, "shout", args, 2, &err);
    if (calls != 2)
        fail("second shout returned %d", calls);

    /* read_file(name) through the instance's own preopen; the result lives in guest memory. */
    memcpy(mem + p, "note.txt", 9);
    kiln_val name = { .kind = KILN_I32, .of.i32 = p };
    int32_t text = call_i32(a, "read_file", &name, 1, &err);
    if (text <= 0 || strcmp((char *)mem + text, "a note from the host\n") != 0)
        fail("read_file gave %d", text);
    else {
        kiln_val t = { .kind = KILN_I32, .of.i32 = text };
        if (kiln_call(a, "buffer_free", &t, 1, NULL, 0, &err) != 0)
            fail("buffer_free: %s", kiln_error_message(err));
    }

    /* exit() in an export ends that call only; the instance stays usable. */
    kiln_val st = { .kind = KILN_I32, .of.i32 = 5 };
    int status = -1;
    if (kiln_call(a, "quit", &st, 1, NULL, 0, &err) == 0)
        fail("quit returned");
    else if (!kiln_error_exit_status(err, &status) || status != 5 || kiln_error_is_trap(err))
        fail("quit: %s, status %d", kiln_error_message(err), status);
    kiln_error_free(err);
    err = NULL;
    memcpy(mem + p, "again", 5);
    args[1].of.i32 = 5;
    if (call_i32(a, "shout", args, 2, &err) != 3)
        fail("after exit the instance does not work: %s", err ? kiln_error_message(err) : "");

    /* Instance b has state of its own. */
    int32_t q = call_i32(b, "buffer_alloc", &n, 1, &err);
    uint8_t *mem_b = kiln_memory_data(b, 0);
    memcpy(mem_b + q, "bee", 3);
    kiln_val bargs[2] = { { .kind = KILN_I32, .of.i32 = q }, { .kind = KILN_I32, .of.i32 = 3 } };
    if (call_i32(b, "shout", bargs, 2, &err) != 1)
        fail("instance b shares state with a");

    /* A bad pointer from the host into the guest is the guest's problem, not a crash. */
    kiln_val bad = { .kind = KILN_I32, .of.i32 = -16 };
    text = call_i32(b, "read_file", &bad, 1, &err);
    if (text != -1 || !kiln_error_is_trap(err))
        fail("read_file(bad pointer) did not trap: %d", text);
free:
    kiln_error_free(err);
    kiln_instance_free(a);
    kiln_instance_free(b);
    kiln_module_release(m);
    close(out);
    char *s = slurp(root, "out");
    const char want[] = "shout #1: HELLO REACTOR\nshout #2: HELLO REACTOR\nshout #3: AGAIN\nshout #1: BEE\n";
    if (strcmp(s, want) != 0)
        fail("stdout was:\n%s", s);
    free(s);
out:
    if (case_failed) {
        failed++;
        printf("    FAILED\n");
    } else
        passed++;
}

static void api_case(void)
{
    case_failed = false;
    printf("  configuration API contract\n");
    kiln_imports *im = kiln_imports_new();
    const char *argv[] = { "p" };
    if (kiln_imports_wasi_preopen(im, "/tmp", ".") == 0 || kiln_imports_wasi_env_set(im, "A=1") == 0
        || kiln_imports_wasi_env(im, NULL) == 0 || kiln_imports_wasi_stdio(im, 0, 1, 2) == 0)
        fail("configuring before kiln_imports_wasi succeeded");
    if (kiln_imports_wasi(im, 1, argv) != 0 || kiln_imports_wasi(im, 1, argv) != 0)
        fail("kiln_imports_wasi failed");
    errno = 0;
    if (kiln_imports_wasi_preopen(im, "/nonexistent/kiln-wasi", ".") == 0 || errno != ENOENT)
        fail("preopening a missing directory: errno %d", errno);
    if (kiln_imports_wasi(NULL, 0, NULL) == 0 || kiln_imports_wasi(im, -1, argv) == 0)
        fail("bad arguments accepted");
    kiln_imports_free(im);
    if (case_failed) {
        failed++;
        printf("    FAILED\n");
    } else
        passed++;
}

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s KILN PROGRAM_DIR\n", argv[0]);
        return 2;
    }
    static char kiln_abs[PATH_MAX], dir_abs[PATH_MAX];
    if (!realpath(argv[1], kiln_abs) || !realpath(argv[2], dir_abs)) {
        perror("realpath");
        return 2;
    }
    kiln_bin = kiln_abs;
    prog_dir = dir_abs;
    setvbuf(stdout, NULL, _IOLBF, 0);
    alarm(300);     /* a hung guest must not hang CI */

    char tmp[] = "/tmp/kiln-wasi-test-XXXXXX";
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 2;
    }
    int fds_before = open_fds();
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/%zu", tmp, k);
        mkdir(dir, 0755);
        run_case(&cases[k], dir);
    }
    reactor_case(tmp);
    api_case();
    int fds_after = open_fds();
    printf("  no host fd leaked (%d open before, %d after)\n", fds_before, fds_after);
    if (fds_after != fds_before)
        failed++, printf("    FAILED\n");
    else
        passed++;
    if (!getenv("KILN_KEEP_TMP"))
        remove_tree(tmp);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
