#!/usr/bin/env python3
"""Writes a synthetic Wasm module for scripts/bench-cache: FUNCTIONS functions of (i32, i32) -> i32,
each a chain of SEGMENTS mixing multiply, xor, rotate and memory stores with constants of its own
(so LLVM cannot fold functions together), that calls the previous function a bounded number of
times. Exports "run": (i32) -> i32.

usage: gen-bench-wasm.py OUT.wasm [FUNCTIONS] [SEGMENTS]
"""
import os
import sys

# The binary encoding helpers are the compile-time benchmark's (bench/compile/wasm_binary.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "compile"))
from wasm_binary import section, sleb, uleb, vector  # noqa: E402


LOCAL_GET, LOCAL_SET, I32_CONST = 0x20, 0x21, 0x41
I32_MUL, I32_XOR, I32_ADD, I32_SUB, I32_ROTL, I32_EQZ = 0x6C, 0x73, 0x6A, 0x6B, 0x77, 0x45
I32_STORE, CALL, BLOCK, BR_IF, END = 0x36, 0x10, 0x02, 0x0D, 0x0B


def function_body(index, segments):
    seed = index * 2654435761 & 0xFFFFFFFF
    code = bytearray()
    for s in range(segments):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        a, b = s % 2, 2 + s % 2  # alternate between the params and the two extra locals
        code += bytes([LOCAL_GET, a]) + bytes([I32_CONST]) + sleb((seed >> 3) | 1) + bytes([I32_MUL])
        code += bytes([LOCAL_GET, b, I32_XOR, I32_CONST]) + sleb(seed % 31 + 1) + bytes([I32_ROTL])
        code += bytes([LOCAL_GET, 1 - a, I32_ADD, LOCAL_SET, b])
        if s % 4 == 3:  # a store keeps every segment's result alive
            code += bytes([I32_CONST]) + sleb((seed % 1000) * 4) + bytes([LOCAL_GET, b, I32_STORE, 2, 0])
    if index > 0:  # if (p1 != 0) l2 += f[index-1](l3, p1 - 1)
        code += bytes([BLOCK, 0x40, LOCAL_GET, 1, I32_EQZ, BR_IF, 0])
        code += bytes([LOCAL_GET, 2, LOCAL_GET, 3, LOCAL_GET, 1, I32_CONST, 1, I32_SUB, CALL]) + uleb(index - 1)
        code += bytes([I32_ADD, LOCAL_SET, 2, END])
    code += bytes([LOCAL_GET, 2, LOCAL_GET, 3, I32_XOR, END])
    body = vector([uleb(2) + bytes([0x7F])]) + bytes(code)  # two extra i32 locals
    return uleb(len(body)) + body


def module(functions, segments):
    types = vector([bytes([0x60, 2, 0x7F, 0x7F, 1, 0x7F]), bytes([0x60, 1, 0x7F, 1, 0x7F])])
    funcs = vector([uleb(0)] * functions + [uleb(1)])
    memory = vector([bytes([0, 1])])
    exports = vector([uleb(3) + b"run" + bytes([0]) + uleb(functions)])
    # run(n) = f[last](n, 3): a call chain at most 4 deep, so running it costs microseconds.
    run = bytes([0, LOCAL_GET, 0, I32_CONST, 3, CALL]) + uleb(functions - 1) + bytes([END])
    bodies = [function_body(i, segments) for i in range(functions)] + [uleb(len(run)) + run]
    return (b"\0asm" + bytes([1, 0, 0, 0]) + section(1, types) + section(3, funcs) + section(5, memory)
            + section(7, exports) + section(10, vector(bodies)))


if __name__ == "__main__":
    out = sys.argv[1]
    functions = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    segments = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    data = module(functions, segments)
    with open(out, "wb") as f:
        f.write(data)
    print(f"{out}: {len(data)} bytes, {functions} functions", file=sys.stderr)
