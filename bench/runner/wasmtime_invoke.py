"""Calls one export of a module with Wasmtime (memory64 and relaxed SIMD on) and prints its result
and the wall time of the call alone (compilation excluded): `wasmtime_invoke.py MODULE EXPORT ARG`.
Used by scripts/bench-memory64 and scripts/bench-relaxed."""
import sys
import time

import wasmtime

path, export, arg = sys.argv[1], sys.argv[2], int(sys.argv[3])
config = wasmtime.Config()
config.wasm_memory64 = True
config.wasm_relaxed_simd = True
engine = wasmtime.Engine(config)
store = wasmtime.Store(engine)
instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, path), [])
function = instance.exports(store)[export]
start = time.perf_counter()
result = function(store, arg)
print(result & 0xFFFFFFFFFFFFFFFF, time.perf_counter() - start)
