#!/usr/bin/env python3
"""Runs a WASI command with Wasmtime's Python API, for the benchmark suite (scripts/bench-suite).

    wasmtime_run.py compile PROG.wasm PROG.cwasm   precompile with Cranelift (default settings)
    wasmtime_run.py run PROG.cwasm [ARG...]        deserialize, instantiate, call _start

Compilation is done ahead of time so a run only deserializes (mmaps) the machine code. The guest
sees argv[0] = the module's base name, the host's stdio and environment-free WASI. Prints
"wasmtime-run-seconds: S" on stderr (instantiate + _start, like bench/runner/kiln_run.c); the exit
status is the guest's proc_exit status, 70 on a trap.
"""
import os
import sys
import time

import wasmtime


def engine():
    # Default Config: Cranelift, opt_level "speed", the same as the wasmtime CLI.
    return wasmtime.Engine(wasmtime.Config())


def main(argv):
    if len(argv) >= 4 and argv[1] == "compile":
        eng = engine()
        code = wasmtime.Module.from_file(eng, argv[2]).serialize()
        tmp = argv[3] + ".tmp"
        with open(tmp, "wb") as f:
            f.write(code)
        os.replace(tmp, argv[3])
        return 0
    if len(argv) >= 3 and argv[1] == "run":
        eng = engine()
        module = wasmtime.Module.deserialize_file(eng, argv[2])
        linker = wasmtime.Linker(eng)
        linker.define_wasi()
        store = wasmtime.Store(eng)
        wasi = wasmtime.WasiConfig()
        name = os.path.basename(argv[2])
        wasi.argv = [name] + argv[3:]
        wasi.inherit_stdout()
        wasi.inherit_stderr()
        wasi.preopen_dir(".", ".")
        store.set_wasi(wasi)
        status = 0
        start = time.perf_counter()
        try:
            instance = linker.instantiate(store, module)
            instance.exports(store)["_start"](store)
        except wasmtime.ExitTrap as e:
            status = e.code
        except wasmtime.Trap as e:
            print(f"wasmtime_run: trap: {e}", file=sys.stderr)
            status = 70
        elapsed = time.perf_counter() - start
        sys.stdout.flush()
        print(f"wasmtime-run-seconds: {elapsed:.6f}", file=sys.stderr)
        return status
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
