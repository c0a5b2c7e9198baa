"""The compilers the benchmark times: Kiln in each configuration given on the command line, and
Wasmtime. Each `compile` is one fresh child process and gives a Sample.
"""
import json
import os
import subprocess
import sys
from dataclasses import dataclass

from child_process import run_measured

HERE = os.path.dirname(os.path.abspath(__file__))
WASMTIME = "wasmtime"


@dataclass
class Limits:
    """What a compile may take before it is killed: wall-clock seconds and peak RSS in kB."""
    timeout: float
    max_rss_kb: int


@dataclass
class Sample:
    status: str  # "ok", "failed", or what it was killed for: "timeout" or "memory"
    seconds: float  # the compile time: wall clock of the process for Kiln, of Module() for Wasmtime
    process_seconds: float  # wall clock of the whole child process
    peak_rss_kb: int
    output_bytes: int = None  # Kiln: the .so's size
    baseline_rss_kb: int = None  # Wasmtime: the process's peak before compiling
    message: str = ""  # why it failed


class KilnConfig:
    """`kiln compile IN -o OUT.so FLAGS...`: no --cache, so every compile is a real one."""

    def __init__(self, kiln, label, flags):
        self.kiln = kiln
        self.label = label  # as the user wrote it, e.g. "-O2 -j2"
        self.flags = flags  # what is passed, e.g. ["-O2"] when kiln has no -j

    def compile(self, wasm, workdir, limits):
        output = os.path.join(workdir, "out.so")
        stderr = os.path.join(workdir, "kiln.stderr")
        if os.path.exists(output):
            os.unlink(output)
        child = run_measured([self.kiln, "compile", wasm, "-o", output, *self.flags], limits.timeout,
                             limits.max_rss_kb, stderr_path=stderr)
        if child.killed_for:
            return Sample(child.killed_for, child.seconds, child.seconds, child.peak_rss_kb)
        if not child.ok or not os.path.exists(output):
            return Sample("failed", child.seconds, child.seconds, child.peak_rss_kb,
                          message=f"exit {child.exit_status}: {child.stderr.strip()[-500:]}")
        size = os.path.getsize(output)
        os.unlink(output)
        return Sample("ok", child.seconds, child.seconds, child.peak_rss_kb, output_bytes=size)


class WasmtimeEngine:
    """wasmtime.Module(engine, bytes) at the default Config, in a fresh Python process
    (wasmtime_compile.py)."""

    label = WASMTIME

    def __init__(self, python):
        self.python = python

    def compile(self, wasm, workdir, limits):
        stdout = os.path.join(workdir, "wasmtime.stdout")
        stderr = os.path.join(workdir, "wasmtime.stderr")
        child = run_measured([self.python, os.path.join(HERE, "wasmtime_compile.py"), wasm], limits.timeout,
                             limits.max_rss_kb, stdout_path=stdout, stderr_path=stderr)
        if child.killed_for:
            return Sample(child.killed_for, child.seconds, child.seconds, child.peak_rss_kb)
        try:
            with open(stdout) as f:
                report = json.loads(f.read().strip().splitlines()[-1])
        except (OSError, ValueError, IndexError):
            report = None
        if not child.ok or report is None:
            return Sample("failed", child.seconds, child.seconds, child.peak_rss_kb,
                          message=f"exit {child.exit_status}: {child.stderr.strip()[-500:]}")
        return Sample("ok", report["compile_seconds"], child.seconds, child.peak_rss_kb,
                      baseline_rss_kb=report["baseline_rss_kb"])


def wasmtime_version(python):
    code = "import importlib.metadata as m; print(m.version('wasmtime'))"
    return subprocess.run([python, "-c", code], capture_output=True, text=True).stdout.strip() or "?"


def kiln_supports_jobs(kiln):
    """Whether `kiln compile` takes -j N (the parallel compile of issue 9), read from its help."""
    done = subprocess.run([kiln, "compile", "--help"], capture_output=True, text=True)
    help_text = done.stdout + done.stderr
    return any(word in help_text for word in ("-j ", "-j,", "-j<", "--jobs"))


def kiln_configs(kiln, spec, jobs_supported):
    """The configurations of `--configs "-O2 -j2,-O1 -j2"`. Without -j support in kiln, the -j
    words are dropped and configurations that become the same are run once."""
    configs, seen = [], set()
    for label in (part.strip() for part in spec.split(",")):
        if not label:
            continue
        words = label.split()
        if jobs_supported:
            words = _jobs_apart(words)
        else:
            words = _without_jobs(words)
            label = " ".join(words) or "(defaults)"
        if label in seen:
            continue
        seen.add(label)
        configs.append(KilnConfig(kiln, label, words))
    if not configs:
        sys.exit("--configs names no configuration")
    return configs


def _jobs_apart(words):
    """"-j2" -> "-j", "2": the spelling every argument parser takes."""
    split = []
    for word in words:
        if word.startswith("-j") and word[2:].isdigit():
            split += ["-j", word[2:]]
        else:
            split.append(word)
    return split


def _without_jobs(words):
    kept, skip_next = [], False
    for word in words:
        if skip_next:
            skip_next = False
        elif word in ("-j", "--jobs"):
            skip_next = True
        elif not (word.startswith("-j") or word.startswith("--jobs=")):
            kept.append(word)
    return kept
