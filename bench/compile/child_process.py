"""Runs one measured child process: its wall-clock time, its peak RSS (ru_maxrss from wait4, so
the child and anything it waited for, e.g. the linker) and a timeout that kills it instead of
hanging the benchmark.

The measuring is done by this file run as a small launcher process of its own (python -I -S, a
few MB), not by the benchmark's process: Linux starts a child's ru_maxrss at the RSS of the
process it was forked from (with vfork/posix_spawn, at that process's *peak*), so a child of the
benchmark, which has generated 50 MB modules, would report at least the benchmark's size. The
launcher spawns the child (posix_spawn, in a session of its own so a timeout kills its whole
process group), watches it through a pidfd, so the clock stops when it exits and not at the next
poll, and prints the result as JSON.

    python3 -I -S child_process.py '{"argv": [...], "timeout": S, "stdout": PATH, "stderr": PATH}'
"""
import json
import os
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

# How long the launcher may take beyond the child's own timeout before the benchmark gives up on
# it (it only starts, waits and kills).
LAUNCHER_GRACE_SECONDS = 60


@dataclass
class ChildResult:
    seconds: float  # wall clock, spawn to exit
    peak_rss_kb: int
    exit_status: int  # the exit code, or -SIGNAL; None when it timed out
    timed_out: bool
    stderr: str  # the last few kB

    @property
    def ok(self):
        return not self.timed_out and self.exit_status == 0


def run_measured(argv, timeout, stdout_path=os.devnull, stderr_path=os.devnull):
    """Runs argv[0] (an absolute path) with `argv` through the launcher and returns a
    ChildResult. stdout and stderr go to the given files, which the caller may read afterwards."""
    request = json.dumps({"argv": argv, "timeout": timeout, "stdout": stdout_path, "stderr": stderr_path})
    done = subprocess.run([sys.executable, "-I", "-S", os.path.abspath(__file__), request], capture_output=True,
                          text=True, timeout=timeout + LAUNCHER_GRACE_SECONDS)
    if done.returncode != 0:
        raise RuntimeError(f"the measuring launcher failed: {done.stderr.strip()}")
    result = json.loads(done.stdout)
    return ChildResult(**result, stderr=_tail(stderr_path))


def _measure(argv, timeout, stdout_path, stderr_path):
    """In the launcher: spawns, waits (at most `timeout` seconds), reaps; a dict of ChildResult's
    fields but stderr."""
    file_actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=file_actions, setsid=True)
    pidfd = os.pidfd_open(pid)
    try:
        readable, _, _ = select.select([pidfd], [], [], timeout)
        elapsed = time.perf_counter() - start
        timed_out = not readable
        if timed_out:
            os.killpg(pid, signal.SIGKILL)
        _, status, usage = os.wait4(pid, 0)
    finally:
        os.close(pidfd)
    if timed_out:
        # A killed child's process group may outlive it by a moment (e.g. a linker); it got the
        # same SIGKILL.
        exit_status = None
    else:
        exit_status = os.waitstatus_to_exitcode(status)
    return {"seconds": elapsed, "peak_rss_kb": usage.ru_maxrss, "exit_status": exit_status, "timed_out": timed_out}


def _tail(path, limit=4000):
    if path == os.devnull:
        return ""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - limit))
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def rss_floor_kb():
    """The peak RSS this method reports for a child that does nothing (/bin/true): the launcher's
    own size leaks into it, so figures near it mean "at most this"."""
    return run_measured(["/bin/true"], 10).peak_rss_kb


if __name__ == "__main__":
    request = json.loads(sys.argv[1])
    print(json.dumps(_measure(request["argv"], request["timeout"], request["stdout"], request["stderr"])))
