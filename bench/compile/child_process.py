"""Runs one measured child process: its wall-clock time, its peak RSS (ru_maxrss from wait4, so
the child and anything it waited for, e.g. the linker), and limits that kill it instead of
hanging the benchmark or exhausting a shared machine's memory: a timeout and a cap on its RSS.

The measuring is done by this file run as a small launcher process of its own (python -I -S, a
few MB), not by the benchmark's process: Linux starts a child's ru_maxrss at the RSS of the
process it was forked from (with vfork/posix_spawn, at that process's *peak*), so a child of the
benchmark, which has generated 50 MB modules, would report at least the benchmark's size. The
launcher spawns the child (posix_spawn, in a session of its own so a timeout kills its whole
process group), watches it through a pidfd, so the clock stops when it exits and not at the next
poll, and prints the result as JSON.

    python3 -I -S child_process.py '{"argv": [...], "timeout": S, "max_rss_kb": N, "stdout": PATH,
                                     "stderr": PATH}'
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
# How often the launcher looks at the child's RSS. Its exit is seen at once whatever this is.
RSS_CHECK_SECONDS = 0.2


@dataclass
class ChildResult:
    seconds: float  # wall clock, spawn to exit
    peak_rss_kb: int
    exit_status: int  # the exit code, or -SIGNAL; None when the launcher killed it
    killed_for: str  # None, "timeout" or "memory" (its RSS went over the cap)
    stderr: str  # the last few kB

    @property
    def ok(self):
        return self.killed_for is None and self.exit_status == 0


def run_measured(argv, timeout, max_rss_kb=None, stdout_path=os.devnull, stderr_path=os.devnull):
    """Runs argv[0] (an absolute path) with `argv` through the launcher and returns a
    ChildResult. stdout and stderr go to the given files, which the caller may read afterwards."""
    request = json.dumps({"argv": argv, "timeout": timeout, "max_rss_kb": max_rss_kb, "stdout": stdout_path,
                          "stderr": stderr_path})
    done = subprocess.run([sys.executable, "-I", "-S", os.path.abspath(__file__), request], capture_output=True,
                          text=True, timeout=timeout + LAUNCHER_GRACE_SECONDS)
    if done.returncode != 0:
        raise RuntimeError(f"the measuring launcher failed: {done.stderr.strip()}")
    result = json.loads(done.stdout)
    return ChildResult(**result, stderr=_tail(stderr_path))


def _measure(argv, timeout, max_rss_kb, stdout_path, stderr_path):
    """In the launcher: spawns, waits (at most `timeout` seconds, and while the child's RSS is
    at most `max_rss_kb`), reaps; a dict of ChildResult's fields but stderr."""
    file_actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=file_actions, setsid=True)
    pidfd = os.pidfd_open(pid)
    killed_for = None
    try:
        while True:
            left = timeout - (time.perf_counter() - start)
            wait = left if max_rss_kb is None else min(left, RSS_CHECK_SECONDS)
            readable, _, _ = select.select([pidfd], [], [], max(wait, 0))
            elapsed = time.perf_counter() - start
            if readable:
                break
            if elapsed >= timeout:
                killed_for = "timeout"
            elif max_rss_kb is not None and _rss_kb(pid) > max_rss_kb:
                killed_for = "memory"
            if killed_for:
                # The whole group: a linker the child started gets the same signal.
                os.killpg(pid, signal.SIGKILL)
                break
        _, status, usage = os.wait4(pid, 0)
    finally:
        os.close(pidfd)
    exit_status = None if killed_for else os.waitstatus_to_exitcode(status)
    return {"seconds": elapsed, "peak_rss_kb": usage.ru_maxrss, "exit_status": exit_status, "killed_for": killed_for}


def _rss_kb(pid):
    """The child's current RSS (its own, not its children's), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


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
    print(json.dumps(_measure(request["argv"], request["timeout"], request["max_rss_kb"], request["stdout"],
                              request["stderr"])))
