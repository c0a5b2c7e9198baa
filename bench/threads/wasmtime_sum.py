"""Wasmtime's side of scripts/bench-threads, the same work as parallel_sum.c: instances on THREADS
Python threads share one memory and add up slices of one array (shared.wat's sum_slice).

    wasmtime_sum.py MODULE.wasm THREADS PASSES      prints the milliseconds the parallel part took

Each thread has its own Store and instance, made before the clock starts; wasmtime-py's calls
release the GIL, so the threads run in parallel. Exits non-zero when the total is not exact."""
import sys
import threading
import time

import wasmtime
from wasmtime import _ffi as ffi

# wasmtime-py 50's SharedMemory._as_extern takes a pointer to its pointer, which ctypes refuses,
# so no shared memory can be given to a Linker; this passes the pointer itself.
wasmtime.SharedMemory._as_extern = lambda self: ffi.wasmtime_extern_t(
    ffi.WASMTIME_EXTERN_SHAREDMEMORY, ffi.wasmtime_extern_union(sharedmemory=self.ptr()))

WORDS = 1 << 22
path, threads, passes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
config = wasmtime.Config()
config.wasm_threads = True
config.shared_memory = True
engine = wasmtime.Engine(config)
module = wasmtime.Module.from_file(engine, path)
memory = wasmtime.SharedMemory(engine, wasmtime.MemoryType(wasmtime.Limits(1 + WORDS * 4 // 65536, 1024), shared=True))


def instance():
    store = wasmtime.Store(engine)
    linker = wasmtime.Linker(engine)
    linker.define(store, "env", "memory", memory)
    exports = linker.instantiate(store, module).exports(store)
    return store, exports


instances = [instance() for _ in range(threads)]
store, exports = instances[0]
exports["fill"](store, 0, WORDS)
slice_words = WORDS // threads
partials = [0] * threads
start = threading.Barrier(threads + 1)


def work(k):
    store, exports = instances[k]
    start.wait()
    partials[k] = exports["sum_slice"](store, k * slice_words, slice_words, passes) & 0xFFFFFFFF


workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
for worker in workers:
    worker.start()
start.wait()
began = time.perf_counter()
for worker in workers:
    worker.join()
elapsed = time.perf_counter() - began
expected = 0
for k in range(threads):
    slice_sum = sum((w * 2654435761) & 0xFFFFFFFF for w in range(k * slice_words, (k + 1) * slice_words))
    expected += (slice_sum * passes) & 0xFFFFFFFF
if sum(partials) != expected:
    sys.exit(f"wasmtime_sum: wrong total {sum(partials)}, expected {expected}")
print(f"{elapsed * 1e3:.3f}")
