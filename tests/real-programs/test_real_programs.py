#!/usr/bin/env python3
"""Runs the real programs under Wasmtime and under Kiln and compares what they print
(scripts/test-real-programs sets it up; read that first).

Each case runs under each engine, from precompiled code (Wasmtime: a .cwasm; Kiln: a .so from
`kiln compile`), in a fresh work folder; a case passes when the exit status, stdout, stderr and
every file it leaves in its work folder are the same byte for byte. With --reps N it runs N times
under each engine, the engines interleaved (the order alternating), every repetition compared
with the first, and the table gives each engine's median wall time, its range and their ratio.
Compiles are cached in the output folder next to their timings, keyed by the compiler's and the
module's identity; --fresh compiles again. A module Kiln cannot compile fails every case that
needs it, with Kiln's own message (which names the missing proposal).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Compiled:
    ok: bool
    path: Path
    seconds: float | None = None
    rss_mib: float | None = None
    message: str = ""
    cached: bool = False


@dataclass
class Outcome:
    status: int
    stdout: bytes
    stderr: bytes
    files: dict[str, bytes]
    seconds: float


@dataclass
class Result:
    name: str
    passed: bool
    why: str = ""
    kiln_s: float | None = None
    wasmtime_s: float | None = None
    module: str = ""
    # Every run's wall time (kiln_s and wasmtime_s are the first runs').
    kiln_times: list[float] = field(default_factory=list)
    wasmtime_times: list[float] = field(default_factory=list)


@dataclass
class Env:
    kiln: Path
    host: Path
    python: Path
    out: Path
    opt: str
    jobs: int
    fresh: bool
    timeout: float
    kiln_id: str
    reps: int = 1
    compiled: dict[str, tuple[Compiled, Compiled]] = field(default_factory=dict)


def timed(cmd: list[str], *, cwd: Path | None = None, timeout: float | None = None,
          env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float, float]:
    """Runs cmd under /usr/bin/time; (the completed process, wall seconds, peak RSS in MiB)."""
    stats = None
    fd_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"real-programs-time-{os.getpid()}"
    start = time.perf_counter()
    # Its own process group, so a timeout stops the compiler too, not only /usr/bin/time.
    child = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", str(fd_path), *cmd], cwd=cwd,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        fd_path.unlink(missing_ok=True)
        raise
    p = subprocess.CompletedProcess(child.args, child.returncode, out, err)
    wall = time.perf_counter() - start
    try:
        stats = fd_path.read_text().strip().splitlines()
        rss = int(stats[-1]) / 1024
    except (OSError, ValueError, IndexError):
        rss = float("nan")
    finally:
        fd_path.unlink(missing_ok=True)
    return p, wall, rss


def cached_compile(e: Env, kind: str, key: str, out: Path, cmd: list[str], timeout: float | None) -> Compiled:
    """A compile whose result and timing are remembered in out.json beside out: reused while the
    key (compiler + module + options) is the same."""
    meta = out.with_name(out.name + ".json")
    if not e.fresh and out.exists() and meta.exists():
        m = json.loads(meta.read_text())
        if m.get("key") == key:
            return Compiled(True, out, m["seconds"], m["rss_mib"], cached=True)
    out.unlink(missing_ok=True)
    meta.unlink(missing_ok=True)
    print(f"  compiling with {kind}: {' '.join(map(str, cmd))}", flush=True)
    try:
        p, wall, rss = timed(cmd, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Compiled(False, out, timeout, None, f"{kind} compile still running after {timeout:.0f} s; stopped")
    if p.returncode != 0 or not out.exists():
        text = (p.stderr or p.stdout).decode(errors="replace").strip()
        lines = [line for line in text.splitlines() if line.strip()]
        return Compiled(False, out, wall, rss, "; ".join(lines[:3]) or f"exit status {p.returncode}")
    meta.write_text(json.dumps({"key": key, "seconds": wall, "rss_mib": rss}))
    return Compiled(True, out, wall, rss)


def compile_both(e: Env, name: str, wasm: Path, driver: Path) -> tuple[Compiled, Compiled]:
    if name in e.compiled:
        return e.compiled[name]
    print(f"== {name}: {wasm} ({wasm.stat().st_size / 1e6:.1f} MB)", flush=True)
    digest = sha256(wasm)
    from importlib.metadata import version  # the venv's Wasmtime: its version is part of the key
    wt_key = f"wasmtime {version('wasmtime')} {digest} {driver.name}"
    wt = cached_compile(e, "Wasmtime", wt_key, e.out / f"{name}.cwasm",
                        [str(e.python), str(driver), "--wasm", str(wasm), "--compile-to",
                         str(e.out / f"{name}.cwasm")], None)
    k_key = f"{e.kiln_id} {digest} {e.opt} -j{e.jobs}"
    k = cached_compile(e, "Kiln", k_key, e.out / f"{name}{e.opt}.so",
                       [str(e.kiln), "compile", e.opt, f"-j{e.jobs}", str(wasm), "-o",
                        str(e.out / f"{name}{e.opt}.so")], e.timeout)
    for c, who in ((wt, "Wasmtime"), (k, "Kiln")):
        if c.ok:
            print(f"  {who}: {c.seconds:.1f} s, {c.rss_mib:.0f} MiB{' (cached)' if c.cached else ''}")
        else:
            print(f"  {who}: FAILED: {c.message}")
    e.compiled[name] = (wt, k)
    return wt, k


def run_case(cmd: list[str], work: Path, seed: Path | None, timeout: float) -> Outcome:
    """cmd run in a fresh work/ (with the files of seed copied in) and an empty tmp/ beside it."""
    if work.parent.exists():
        shutil.rmtree(work.parent)
    work.mkdir(parents=True)
    (work.parent / "tmp").mkdir()
    before = set()
    if seed is not None:
        for f in seed.iterdir():
            shutil.copy(f, work / f.name)
            before.add(f.name)
    start = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=work, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                           env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        status, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as t:
        status, out, err = -1, t.stdout or b"", (t.stderr or b"") + f"\n[timed out after {timeout} s]".encode()
    seconds = time.perf_counter() - start
    files = {f.name: f.read_bytes() for f in sorted(work.iterdir()) if f.is_file()}
    return Outcome(status, out, err, files, seconds)


def compare(k: Outcome, w: Outcome) -> str:
    """'' when the same; else what differs, briefly."""
    diffs = []
    if k.status != w.status:
        diffs.append(f"exit status {k.status} (Kiln) vs {w.status} (Wasmtime)")
    for what, a, b in (("stdout", k.stdout, w.stdout), ("stderr", k.stderr, w.stderr)):
        if a != b:
            al, bl = a.splitlines(), b.splitlines()
            n = next((i for i, (x, y) in enumerate(zip(al, bl)) if x != y), min(len(al), len(bl)))
            diffs.append(f"{what} differs from line {n + 1} ({len(al)} vs {len(bl)} lines)")
    for name in sorted(set(k.files) | set(w.files)):
        if k.files.get(name) != w.files.get(name):
            if name not in k.files or name not in w.files:
                diffs.append(f"file {name} only under {'Kiln' if name in k.files else 'Wasmtime'}")
            else:
                diffs.append(f"file {name} differs ({len(k.files[name])} vs {len(w.files[name])} bytes)")
    return "; ".join(diffs)


def repeat(e: Env, name: str, module: str, run_kiln, run_wasmtime, first_k: Outcome, first_w: Outcome) -> Result:
    """The case's result after its first run under each engine (first_k, first_w), with e.reps - 1
    more runs of each, interleaved and in alternating order so that neither engine always runs
    on a machine the other has just warmed; each must give what the first gave."""
    why = compare(first_k, first_w)
    kiln_times, wasmtime_times = [first_k.seconds], [first_w.seconds]
    for r in range(1, 1 if why else e.reps):  # a case that already differs runs no more
        runs = [("Kiln", run_kiln, first_k, kiln_times), ("Wasmtime", run_wasmtime, first_w, wasmtime_times)]
        for who, run, first, times in (runs if r % 2 else runs[::-1]):
            again = run()
            times.append(again.seconds)
            if (diff := compare(again, first)):
                return Result(name, False, f"{who}'s repetition {r + 1} differs from its first run: {diff}",
                              first_k.seconds, first_w.seconds, module)
    return Result(name, not why, why, first_k.seconds, first_w.seconds, module, kiln_times, wasmtime_times)


def save(out: Path, o: Outcome) -> Outcome:
    out.mkdir(parents=True, exist_ok=True)
    (out / "status").write_text(f"{o.status}\n")
    (out / "stdout").write_bytes(o.stdout)
    (out / "stderr").write_bytes(o.stderr)
    return o


def python_cases(e: Env, paths: dict[str, str], only: set[str] | None) -> list[Result]:
    results = []
    stdlib = Path(paths["PYTHON_STDLIB"])
    driver = HERE / "run_python_wasmtime.py"
    scripts = sorted((HERE / "scripts").glob("*.py"))

    # The host itself, on a stand-in with python.wasm's interface, so python_host is checked
    # even while Kiln cannot compile python.wasm.
    if only is None or "python-host-selftest" in only:
        mini = e.out / "mini-reactor.wasm"
        subprocess.run([paths["WASM_TOOLS"], "parse", str(HERE / "mini-reactor.wat"), "-o", str(mini)], check=True)
        so = e.out / "mini-reactor.so"
        p = subprocess.run([str(e.kiln), "compile", "-O0", str(mini), "-o", str(so)], capture_output=True)
        args = ["--dir", f"{HERE / 'scripts'}::/scripts", "--env", "EXTRA=1", "--", "/scripts/loops.py", "arg two"]
        if p.returncode != 0:
            results.append(Result("python-host-selftest", False, "kiln compile: " + p.stderr.decode().strip()))
        else:
            k = run_case([str(e.host), str(so), "--stdlib", str(stdlib), *args], e.out / "run/selftest-kiln/work", None, 60)
            w = run_case([str(e.python), str(driver), "--wasm", str(mini), "--stdlib", str(stdlib), *args],
                         e.out / "run/selftest-wasmtime/work", None, 60)
            why = compare(k, w) or ("" if k.status == 3 and b"host.call -> -1" in k.stdout else "unexpected output")
            results.append(Result("python-host-selftest", not why, why, k.seconds, w.seconds, "mini-reactor"))

    selected = [s for s in scripts if only is None or s.stem in only or f"python:{s.stem}" in only]
    if not selected:
        return results
    wt, k = compile_both(e, "python", Path(paths["PYTHON_WASM"]), driver)
    for script in selected:
        name = f"python:{script.stem}"
        args = ["--stdlib", str(stdlib), "--dir", f"{HERE / 'scripts'}::/scripts", "--", f"/scripts/{script.name}"]
        if not wt.ok:
            results.append(Result(name, False, f"Wasmtime compile failed: {wt.message}", module="python"))
            continue
        # Each run leaves its outputs beside its work folder (run_case clears both first).
        def run_wasmtime() -> Outcome:
            return save(e.out / f"run/{script.stem}-wasmtime", run_case(
                [str(e.python), str(driver), "--wasm", str(wt.path), *args], e.out / f"run/{script.stem}-wasmtime/work", None, 600))

        def run_kiln() -> Outcome:
            return save(e.out / f"run/{script.stem}-kiln", run_case(
                [str(e.host), str(k.path), *args], e.out / f"run/{script.stem}-kiln/work", None, 600))

        w = run_wasmtime()
        if w.status != 0:
            results.append(Result(name, False, f"Wasmtime exit status {w.status}: {w.stderr.decode(errors='replace')[-300:]}",
                                  wasmtime_s=w.seconds, module="python"))
            continue
        if not k.ok:
            results.append(Result(name, False, f"Kiln compile failed: {k.message}", wasmtime_s=w.seconds, module="python"))
            continue
        kk = run_kiln()
        results.append(repeat(e, name, "python", run_kiln, run_wasmtime, kk, w))
    return results


# yosys cases: (name, yosys arguments after argv[0]). Every case runs in a work folder holding
# design.v, with yosys's share/ at /share and an empty folder at /tmp, as yowasp-runtime gives.
YOSYS_CASES = [
    # Synthesis to the generic gate library without ABC, statistics on stdout, the netlist as JSON.
    ("yosys:synth-noabc-stat-json",
     ["-Q", "-T", "-p", "read_verilog design.v; synth -top top -noabc; stat; write_json design.json"]),
    # The whole `synth`, ABC included, with the log also written to a file. yosys's in-process
    # ABC redirects stdout and stderr with fd_renumber around each ABC run (see the README).
    ("yosys:synth-abc-log-json",
     ["-Q", "-T", "-l", "yosys.log", "-p", "read_verilog design.v; synth -top top; tee -o stat.txt stat; write_json design.json"]),
]


def yosys_cases(e: Env, paths: dict[str, str], only: set[str] | None) -> list[Result]:
    selected = [(n, a) for n, a in YOSYS_CASES if only is None or n in only or "yosys" in only]
    if not selected:
        return []
    driver = HERE / "run_yosys_wasmtime.py"
    wt, k = compile_both(e, "yosys", Path(paths["YOSYS_WASM"]), driver)
    results = []
    share = paths["YOSYS_SHARE"]
    seed = e.out / "yosys-seed"
    seed.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "design.v", seed / "design.v")
    for name, args in selected:
        short = name.split(":", 1)[1]
        if not wt.ok:
            results.append(Result(name, False, f"Wasmtime compile failed: {wt.message}", module="yosys"))
            continue
        # argv[0] is what `kiln run` passes: the module's path as given.
        argv0 = str(k.path)
        wdir, kdir = e.out / f"run/{short}-wasmtime", e.out / f"run/{short}-kiln"

        def run_wasmtime() -> Outcome:
            return save(wdir, run_case([str(e.python), str(driver), "--wasm", str(wt.path), "--dir", f"{share}::/share",
                                        "--dir", f"{wdir / 'tmp'}::/tmp", "--dir", ".::.", "--", argv0, *args],
                                       wdir / "work", seed, 600))

        def run_kiln() -> Outcome:
            return save(kdir, run_case([str(e.kiln), "run", "--dir", f"{share}::/share", "--dir", f"{kdir / 'tmp'}::/tmp",
                                        "--dir", ".::.", str(k.path), *args], kdir / "work", seed, 600))

        w = run_wasmtime()
        if w.status != 0:
            results.append(Result(name, False, f"Wasmtime exit status {w.status}", wasmtime_s=w.seconds, module="yosys"))
            continue
        if not k.ok:
            results.append(Result(name, False, f"Kiln compile failed: {k.message}", wasmtime_s=w.seconds, module="yosys"))
            continue
        kk = run_kiln()
        results.append(repeat(e, name, "yosys", run_kiln, run_wasmtime, kk, w))
    return results


def fmt(x: float | None, unit: str = "s") -> str:
    if x is None:
        return "-"
    return f"{x:.2f} {unit}" if unit == "s" else f"{x:.0f} {unit}"


def compiler_identity(kiln: Path) -> str:
    """What a cached .so was compiled by: the launcher and the kiln-full beside it, which runs
    `kiln compile` (the launcher alone does not change with the code generator)."""
    full = kiln.with_name("kiln-full")
    return "kiln:" + sha256(kiln) + (":" + sha256(full) if full.exists() else "")


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):.3f} s ({min(times):.3f}-{max(times):.3f})"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kiln", required=True)
    p.add_argument("--host", required=True, help="python_host, built over kiln.h")
    p.add_argument("--paths", required=True, help="scripts/fetch-real-programs's output, KEY=PATH lines")
    p.add_argument("--out", required=True, help="folder for compiled code and run outputs")
    p.add_argument("--opt", default="-O1", type=lambda s: "-" + s.lstrip("-"),
                   choices=["-O0", "-O1", "-O2", "-O3"], help="Kiln's level: O1 or --opt=-O1")
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--fresh", action="store_true", help="compile again even when cached")
    p.add_argument("--compile-timeout", type=float, default=3600.0, help="seconds for one Kiln compile")
    p.add_argument("--only", help="comma-separated case names (python:loops, yosys, ...)")
    p.add_argument("--reps", type=int, default=1, help="runs of each case under each engine, interleaved")
    a = p.parse_args()

    paths = dict(line.split("=", 1) for line in Path(a.paths).read_text().splitlines() if "=" in line)
    kiln = Path(a.kiln).resolve()
    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    e = Env(kiln, Path(a.host).resolve(), Path(sys.executable), out, a.opt, a.jobs, a.fresh,
            a.compile_timeout, compiler_identity(kiln), max(1, a.reps))
    only = set(a.only.split(",")) if a.only else None

    results = python_cases(e, paths, only) + yosys_cases(e, paths, only)

    print()
    if e.reps > 1:
        print(f"| case | result | Kiln run, median of {e.reps} (range) | Wasmtime run | Kiln / Wasmtime |")
        print("|---|---|---|---|---|")
    else:
        print("| case | result | Kiln run | Wasmtime run |")
        print("|---|---|---|---|")
    for r in results:
        verdict = "pass" if r.passed else "FAIL"
        if e.reps > 1 and len(r.kiln_times) == len(r.wasmtime_times) == e.reps:
            k, w = statistics.median(r.kiln_times), statistics.median(r.wasmtime_times)
            print(f"| {r.name} | {verdict} | {spread(r.kiln_times)} | {spread(r.wasmtime_times)} | {k / w:.2f}x |")
        elif e.reps > 1:
            print(f"| {r.name} | {verdict} | {fmt(r.kiln_s)} | {fmt(r.wasmtime_s)} | |")
        else:
            print(f"| {r.name} | {verdict} | {fmt(r.kiln_s)} | {fmt(r.wasmtime_s)} |")
    failed = [r for r in results if not r.passed]
    for r in failed:
        print(f"FAIL {r.name}: {r.why}")
    if e.compiled:
        print()
        print(f"| module | Kiln compile ({a.opt} -j{a.jobs}) | Kiln peak RSS | Wasmtime compile | Wasmtime peak RSS |")
        print("|---|---|---|---|---|")
        for name, (wt, k) in e.compiled.items():
            kt = fmt(k.seconds) if k.ok else f"failed after {fmt(k.seconds)}"
            print(f"| {name} | {kt} | {fmt(k.rss_mib, 'MiB')} | {fmt(wt.seconds)} | {fmt(wt.rss_mib, 'MiB')} |")
        print("Run times are wall time of one process each: Kiln's python_host or `kiln run` on the .so; "
              "Wasmtime's driver (CPython + wasmtime-py) on the .cwasm. Compile times: one process each.")
    print()
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
