"""graphviz_render.c's peer under Wasmtime, for scripts/bench-real: the same renders of the same
graph, timed around the graphviz_render call, printed in the same format.

    python graphviz_wasmtime.py GRAPHVIZ.wasm|.cwasm GRAPH.dot FORMAT ENGINE REPS

A .cwasm is Wasmtime's own precompiled module (Module.serialize), so that neither engine's
column includes compiling.
"""
import struct
import sys
import time

import wasmtime

path, graph_path, output_format, engine_name, reps = sys.argv[1:6]
engine = wasmtime.Engine()
if path.endswith(".cwasm"):
    module = wasmtime.Module.deserialize_file(engine, path)
else:
    module = wasmtime.Module.from_file(engine, path)
linker = wasmtime.Linker(engine)
linker.define_wasi()
store = wasmtime.Store(engine)
wasi = wasmtime.WasiConfig()
wasi.argv = ["graphviz"]
store.set_wasi(wasi)
exports = linker.instantiate(store, module).exports(store)
memory, malloc, free = exports["memory"], exports["malloc"], exports["free"]
render, graphviz_free = exports["graphviz_render"], exports["graphviz_free"]


def guest_copy(data):
    address = malloc(store, len(data))
    memory.write(store, data, address)
    return address


graph = open(graph_path, "rb").read() + b"\0"
for _ in range(int(reps)):
    args = [guest_copy(graph), guest_copy(output_format.encode() + b"\0"),
            guest_copy(engine_name.encode() + b"\0"), guest_copy(b"\0\0\0\0")]
    start = time.perf_counter()
    output = render(store, *args)
    seconds = time.perf_counter() - start
    if output == 0:
        sys.exit("graphviz_wasmtime: graphviz_render returned no output")
    length = struct.unpack("<I", memory.read(store, args[3], args[3] + 4))[0]
    data = memory.read(store, output, output + length)
    fnv = 0xcbf29ce484222325
    for byte in data:
        fnv = ((fnv ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    print(f"seconds {seconds:.6f} bytes {length} fnv {fnv:016x}", flush=True)
    graphviz_free(store, output)
    for address in args:
        free(store, address)
