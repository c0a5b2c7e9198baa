"""The Wasmtime side of the differential fuzzer: the same observations kiln_fuzz_host.c prints.

Wasmtime's Python API turns f32 results into Python floats (which quiets a signalling NaN) and
has no v128, so calls and global reads go through its C API (`wasmtime._ffi`) with raw bits, and
export types come from module_exports (asking Wasmtime for a v128 type aborts the process).
"""
import ctypes
import hashlib

import wasmtime
from wasmtime import _ffi as ffi
from wasmtime._func import enter_wasm

import module_exports

# Argument k of export n takes entry (n + k) % 6 of its type's table; the same tables as
# kiln_fuzz_host.c's.
ARGUMENTS = {
    "i32": [0, 1, 0xFFFFFFFF, 70000, 0x80000000, 7],
    "i64": [0, 1, 0xFFFFFFFFFFFFFFFF, 70000, 0x8000000000000000, 7],
    "f32": [0x00000000, 0x3F800000, 0xBFC00000, 0x7FC00000, 0x7F800000, 0x501502F9],
    "f64": [0, 0x3FF0000000000000, 0xBFF8000000000000, 0x7FF8000000000000,
            0x7FF0000000000000, 0x4202A05F20000000],
}
WIDTHS = {"i32": 4, "i64": 8, "f32": 4, "f64": 8, "v128": 16}
KINDS = {"i32": ffi.WASMTIME_I32, "i64": ffi.WASMTIME_I64, "f32": ffi.WASMTIME_F32,
         "f64": ffi.WASMTIME_F64, "v128": ffi.WASMTIME_V128,
         "funcref": ffi.WASMTIME_FUNCREF, "externref": ffi.WASMTIME_EXTERNREF,
         # wasmtime/val.h's WASMTIME_EXNREF, which the Python package does not name.
         "exnref": ctypes.c_uint8(8)}

# Wasmtime's trap codes, as the spec's messages (the ones Kiln's runtime reports). Wasmtime cannot
# tell an out-of-range call_indirect index ("undefined element") from other table accesses.
TRAP_MESSAGES = {
    wasmtime.TrapCode.STACK_OVERFLOW: "call stack exhausted",
    wasmtime.TrapCode.MEMORY_OUT_OF_BOUNDS: "out of bounds memory access",
    wasmtime.TrapCode.TABLE_OUT_OF_BOUNDS: "out of bounds table access",
    wasmtime.TrapCode.INDIRECT_CALL_TO_NULL: "uninitialized element",
    wasmtime.TrapCode.BAD_SIGNATURE: "indirect call type mismatch",
    wasmtime.TrapCode.INTEGER_OVERFLOW: "integer overflow",
    wasmtime.TrapCode.INTEGER_DIVISION_BY_ZERO: "integer divide by zero",
    wasmtime.TrapCode.BAD_CONVERSION_TO_INTEGER: "invalid conversion to integer",
    wasmtime.TrapCode.UNREACHABLE: "unreachable",
    # throw_ref of a null exnref, the only null reference fuzzer modules can hit.
    wasmtime.TrapCode.NULL_REFERENCE: "null reference",
    wasmtime.TrapCode.HEAP_MISALIGNED: "unaligned atomic",
    wasmtime.TrapCode.ATOMIC_WAIT_NON_SHARED_MEMORY: "expected shared memory",
}


# Fuel for instantiation and for each call: far more than a module with wasm-smith's own fuel
# uses (its loops stop after 300 rounds), while a module without it whose loop never stops ends
# here and is left out (`OutOfFuel`), since Kiln would run it for ever too.
CALL_FUEL = 20_000_000


class OutOfFuel(Exception):
    """Wasmtime ran out of CALL_FUEL: the module may not terminate, so there is nothing to compare."""


def _engine():
    # Threads are on in Wasmtime by default, but a module may only define a shared memory when
    # the engine allows shared memories.
    config = wasmtime.Config()
    config.wasm_threads = True
    config.shared_memory = True
    config.consume_fuel = True
    return wasmtime.Engine(config)


_ENGINE = _engine()


def argument_bits(kind, slot):
    if kind == "v128":
        return bytes(((slot * 16 + b) * 17) & 0xFF for b in range(16))
    if kind in ARGUMENTS:
        return ARGUMENTS[kind][slot].to_bytes(WIDTHS[kind], "little")
    return None  # references: null


def describe_value(kind, raw):
    """`raw` is the value's bytes (little-endian); the format is kiln_fuzz_host.c's print_value."""
    if kind not in WIDTHS:
        return "ref:%s" % ("nonnull" if any(raw) else "null")
    bits = int.from_bytes(raw[:WIDTHS[kind]], "little")
    if kind == "f32" and bits & 0x7FC00000 == 0x7FC00000:
        return "f32:nan"
    if kind == "f64" and bits & 0x7FF8000000000000 == 0x7FF8000000000000:
        return "f64:nan"
    return "%s:0x%0*x" % (kind, WIDTHS[kind] * 2, bits)


def _raw_value(kind, bits):
    value = ffi.wasmtime_val_t(kind=KINDS[kind])
    if bits is not None:
        ctypes.memmove(ctypes.addressof(value.of), bits, len(bits))
    return value


def _raw_bytes(kind, value):
    if kind == "funcref":
        return b"\1" if value.of.funcref.store_id != 0 else b"\0"
    if kind == "externref":
        return b"\1" if value.of.externref.store_id != 0 else b"\0"
    if kind == "exnref":
        return b"\1" if value.of.exnref.store_id != 0 else b"\0"
    return ctypes.string_at(ctypes.addressof(value.of), WIDTHS[kind])


def _trap_message(error):
    if isinstance(error, wasmtime.Trap) and error.trap_code == wasmtime.TrapCode.OUT_OF_FUEL:
        raise OutOfFuel()
    # An exception no handler caught: a Trap without a code whose cause says so. Compared as an
    # outcome of its own, as kiln_fuzz_host.c reports it, not by tag or values.
    if "thrown Wasm exception" in str(error):
        return "exception"
    if isinstance(error, wasmtime.Trap) and error.trap_code in TRAP_MESSAGES:
        return "trap " + TRAP_MESSAGES[error.trap_code]
    return "error " + str(error).splitlines()[0]


def _call(store, func, n, func_type):
    params, results = func_type
    if any(kind not in KINDS for kind in params + results):
        return "error unsupported type"
    args = (ffi.wasmtime_val_t * max(1, len(params)))()
    for k, kind in enumerate(params):
        args[k] = _raw_value(kind, argument_bits(kind, (n + k) % 6))
    out = (ffi.wasmtime_val_t * max(1, len(results)))()
    store.set_fuel(CALL_FUEL)
    try:
        with enter_wasm(store) as trap:
            error = ffi.wasmtime_func_call(store._context(), ctypes.byref(func._func), args,
                                           len(params), out, len(results), trap)
            if error:
                raise wasmtime.WasmtimeError._from_ptr(error)
    except (wasmtime.Trap, wasmtime.WasmtimeError) as failure:
        return _trap_message(failure)
    return " ".join(["ok"] + [describe_value(kind, _raw_bytes(kind, out[r]))
                              for r, kind in enumerate(results)])


def observe(wasm, memory_digests):
    """The observation lines for `wasm` (bytes). `memory_digests` maps an export index to the
    SHA-256 of that memory's bytes after the calls, for the caller to compare. Raises OutOfFuel
    when instantiation or a call does not finish on CALL_FUEL."""
    store = wasmtime.Store(_ENGINE)
    store.set_fuel(CALL_FUEL)
    module = wasmtime.Module(_ENGINE, wasm)
    try:
        instance = wasmtime.Instance(store, module, [])
    except (wasmtime.Trap, wasmtime.WasmtimeError) as failure:
        return ["instantiate: " + _trap_message(failure)]
    lines = ["instantiate: ok"]
    items = instance.exports(store)
    listed = module_exports.exports(wasm)
    for n, (name, kind, type_) in enumerate(listed):
        if kind == "func":
            lines.append("call %d: %s" % (n, _call(store, items[name], n, type_)))
    for n, (name, kind, type_) in enumerate(listed):
        item = items[name]
        if kind == "global":
            raw = ffi.wasmtime_val_t()
            ffi.wasmtime_global_get(store._context(), ctypes.byref(item._global), ctypes.byref(raw))
            lines.append("global %d: %s" % (n, describe_value(type_, _raw_bytes(type_, raw))))
        elif kind == "memory":
            size = item.data_len(store)
            data = ctypes.string_at(item.data_ptr(store), size) if size else b""
            memory_digests[n] = hashlib.sha256(data).hexdigest()
            lines.append("memory %d: %d" % (n, size))
    return lines
