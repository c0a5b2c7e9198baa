#!/usr/bin/env python3
"""Compiles one module with Wasmtime's Python API, for the compile-time benchmark (run.py).

    wasmtime_compile.py IN.wasm

Runs in a fresh process per compile, so the parent's wait4 sees this compile's peak RSS alone.
Prints one JSON line on stdout:
  compile_seconds   wall clock of wasmtime.Module(engine, bytes): validation and Cranelift
                    compilation at the default settings (opt level "speed", parallel compilation
                    on every core, no cache), the same as `wasmtime compile`
  baseline_rss_kb   the process's peak RSS before compiling (the interpreter and libwasmtime),
                    to tell Wasmtime's own memory from Python's
"""
import json
import sys
import time

import wasmtime


def peak_rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    engine = wasmtime.Engine(wasmtime.Config())
    baseline = peak_rss_kb()
    start = time.perf_counter()
    wasmtime.Module(engine, data)
    seconds = time.perf_counter() - start
    print(json.dumps({"compile_seconds": seconds, "baseline_rss_kb": baseline}))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
