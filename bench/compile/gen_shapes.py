#!/usr/bin/env python3
"""Generates WebAssembly modules of a given shape and size for the compile-time benchmark
(scripts/bench-compile), written straight in the binary format.

    gen_shapes.py SHAPE SIZE OUT.wasm [--seed N]      SIZE: bytes, or with kB / MB (decimal)
    gen_shapes.py --list

Shapes (every module exports `run: (i32) -> i32` and its memory, and validates):
  many-small      thousands of C-like functions of 100-400 bytes: arithmetic over a few locals,
                  a counted loop, loads and stores, if/else, and calls to two earlier neighbours
                  (each call guarded by a depth argument, so a run ends); `run` reaches all of
                  them through the chain of neighbour calls.
  one-caller      thousands of such functions, but straight-line code (no calls, loops or
                  if/else), and `run`, which calls every one in turn, threading the value
                  through: each is called once, so LLVM's inliner folds them all into one
                  giant function, a single basic block.
  huge-functions  a few very large functions (at least 3; one per 4 MB above 12 MB): long runs
                  of straight-line code over 25 live locals, and regions of blocks, loops and
                  if/elses nested 3-7 deep; `run` calls each.
  big-br-table    an interpreter: a loop around one br_table dispatching to thousands of case
                  bodies (up to 65,000, Wasmtime's limit is 65,520 targets), each updating a
                  register file in locals and memory and the program counter; one interpreter
                  per 4 MB, since engines cap a function at 7,654,321 bytes.

The output is a function of (shape, size, seed) only. Size is met to within 0.5% from 0.1 MB up
(functions, or fragments, are added until the code reaches it).
"""
import argparse
import math
import sys

import wasm_binary as wb
from body_builder import BodyWriter, ConstantPool, FastRandom, straight_line_library

# (i32 x, i32 depth) -> i32 for many-small's functions; (i32) -> i32 for everything else.
PAIR_TYPE, ONE_TYPE = 0, 1
TYPES = [wb.func_type([wb.I32, wb.I32], [wb.I32]), wb.func_type([wb.I32], [wb.I32])]

# The most code one function of the large shapes gets, well under the 7,654,321-byte limit of
# Wasmtime and browsers.
FUNCTION_CAP = 4_000_000
MAX_CASES = 65_000
RUN_DEPTH = 3  # how deep many-small's guarded neighbour calls go when `run` is called


class SmallFunctionLayout:
    """The locals of a small function: its params (x, and depth with `neighbour_calls`), then 3
    value i32s, 2 loop counters and an i64; the straight-line fragments over them; and whether
    the functions have control flow (counted loops and if/elses) or are straight-line code."""

    def __init__(self, rng, pool, neighbour_calls, control_flow):
        self.neighbour_calls = neighbour_calls
        self.control_flow = control_flow
        first_local = 2 if neighbour_calls else 1
        self.values = [0] + [first_local + k for k in range(3)]
        self.counters = [first_local + 3, first_local + 4]
        self.wide = first_local + 5
        self.library = straight_line_library(rng, pool, self.values, self.wide)


def small_function(rng, pool, layout, index=0):
    """A C-like function. With the layout's `neighbour_calls` it has the pair type and calls its
    two earlier neighbours `index - 1` and `index - d`; otherwise it has the one-argument type and
    no calls."""
    neighbour_calls = layout.neighbour_calls
    values = layout.values
    w = BodyWriter(rng, pool, values, layout.counters, layout.wide, layout.library)
    for local in values[1:]:  # the value locals start as functions of x
        w.code += bytes([wb.LOCAL_GET, 0]) + w.const() + bytes([(wb.I32_MUL, wb.I32_XOR, wb.I32_ADD)[rng.below(3)],
                                                                wb.LOCAL_SET, local])
    calls = []
    if neighbour_calls and index > 0:
        calls.append(index - 1)
        if index > 1:
            calls.append(index - 1 - (1 + rng.below(min(index, 16) - 1)))
    pieces = 2 + int(rng.expovariate(1 / 4))
    call_at = sorted(rng.below(pieces + 1) for _ in calls)
    for piece in range(pieces):
        while call_at and call_at[0] == piece:
            call_at.pop(0)
            w.guarded_call(calls.pop(0), depth_local=1)
        roll = rng.below(6)
        if roll < 2 and layout.control_flow:
            w.counted_loop(lambda: w.straight(1 + rng.below(3)))
        elif roll == 2 and layout.control_flow:
            w.if_else(lambda: w.straight(1 + rng.below(2)), lambda: w.straight(1))
        else:
            w.straight(1 + rng.below(3))
    for callee in calls:
        w.guarded_call(callee, depth_local=1)
    return wb.function_body([(5, wb.I32), (1, wb.I64)], w.finish())


def many_small(size, rng, pool):
    layout = SmallFunctionLayout(rng, pool, neighbour_calls=True, control_flow=True)
    bodies, total = [], 0
    while total < size:
        body = small_function(rng, pool, layout, len(bodies))
        bodies.append(body)
        total += len(body) + 1  # and its function-section entry
    last = len(bodies) - 1
    run = bytes([wb.LOCAL_GET, 0, wb.I32_CONST, RUN_DEPTH, wb.CALL]) + wb.uleb(last) + bytes([wb.END])
    return [PAIR_TYPE] * len(bodies), bodies, run


def one_caller(size, rng, pool):
    # Straight-line leaves: once they are inlined, `run` is one giant basic block, the case that
    # blows up today (at 0.2 MB, -O2 took 65 s here; with many-small's loops and if/elses in the
    # leaves, 17 s).
    layout = SmallFunctionLayout(rng, pool, neighbour_calls=False, control_flow=False)
    bodies, calls, total = [], bytearray(), 0
    while total < size:
        body = small_function(rng, pool, layout)
        call = bytes([wb.LOCAL_GET, 0, wb.CALL]) + wb.uleb(len(bodies)) + bytes([wb.LOCAL_SET, 0])
        bodies.append(body)
        calls += call
        total += len(body) + 1 + len(call)
    return [ONE_TYPE] * len(bodies), bodies, bytes(calls) + bytes([wb.LOCAL_GET, 0, wb.END])


# Locals of a huge function: x, 24 value i32s (1..24), 6 loop counters (25..30), 1 i64 (31).
HUGE_VALUES, HUGE_COUNTERS, HUGE_WIDE = list(range(25)), list(range(25, 31)), 31


def huge_function(rng, pool, library, budget):
    values = HUGE_VALUES
    w = BodyWriter(rng, pool, values, HUGE_COUNTERS, HUGE_WIDE, library)
    for local in values[1:]:
        w.code += bytes([wb.LOCAL_GET, 0]) + w.const() + bytes([wb.I32_MUL, wb.LOCAL_GET, local - 1, wb.I32_XOR,
                                                                wb.LOCAL_SET, local])
    while len(w.code) < budget:
        # Fragments average about 20 bytes; sizing the last run by 50 approaches the budget from
        # below instead of overshooting it.
        w.straight(min(50 + rng.below(350), 1 + (budget - len(w.code)) // 50))
        if budget - len(w.code) > 2000:  # room for a whole nest (up to ~1.5 kB)
            w.nested(levels=3 + rng.below(5), straight_per_level=2 + rng.below(5))
    return wb.function_body([(30, wb.I32), (1, wb.I64)], w.finish())


def huge_functions(size, rng, pool):
    count = max(3, math.ceil(size / FUNCTION_CAP))
    library = straight_line_library(rng, pool, HUGE_VALUES, HUGE_WIDE)
    bodies = [huge_function(rng, pool, library, size // count) for _ in range(count)]
    return [ONE_TYPE] * count, bodies, chain_calls(count)


# Locals of an interpreter: steps (the param), pc, 8 registers (2..9), 2 loop counters (10, 11),
# 1 i64 (12).
STEPS, PC, REGISTERS, INTERPRETER_COUNTERS, INTERPRETER_WIDE = 0, 1, list(range(2, 10)), [10, 11], 12


def interpreter(rng, pool, library, budget):
    """loop { if (!steps--) break; br_table[load16(pc)] -> case k: body_k; continue }"""
    steps, pc, registers = STEPS, PC, REGISTERS
    w = BodyWriter(rng, pool, registers, INTERPRETER_COUNTERS, INTERPRETER_WIDE, library)
    cases = max(16, min(MAX_CASES, budget // 56))
    code = w.code
    for r in registers:
        code += bytes([wb.LOCAL_GET, steps]) + w.const() + bytes([wb.I32_MUL, wb.LOCAL_SET, r])
    code += bytes([wb.BLOCK, wb.EMPTY_BLOCK, wb.LOOP, wb.EMPTY_BLOCK]) + bytes([wb.BLOCK, wb.EMPTY_BLOCK]) * cases
    # Innermost: the exit test and the dispatch. Labels here: case 0..cases-1, loop, exit.
    code += bytes([wb.LOCAL_GET, steps, wb.I32_EQZ, wb.BR_IF]) + wb.uleb(cases + 1)
    code += bytes([wb.LOCAL_GET, steps, wb.I32_CONST, 1, wb.I32_SUB, wb.LOCAL_SET, steps])
    code += bytes([wb.LOCAL_GET, pc, wb.I32_CONST]) + wb.sleb(0xFFFE) + bytes([wb.I32_AND, wb.I32_LOAD16_U, 1, 0])
    code += bytes([wb.BR_TABLE]) + wb.vector([wb.uleb(k) for k in range(cases)]) + wb.uleb(rng.below(cases))
    for k in range(cases):
        code.append(wb.END)  # the end of case k's block: its body follows
        start = len(code)
        # What is left, shared by the cases left, less the pc update, the branch back and what
        # the last fragment overshoots on average: so the function ends close to its budget.
        case_budget = (budget - start) // (cases - k) - 19
        if rng.below(8) == 0:
            w.counted_loop(lambda: w.straight(1 + rng.below(2)))
        while len(code) - start < case_budget:
            w.straight(1)
        # The next pc: usually the following 16-bit instruction, sometimes a jump to a register.
        if rng.below(4):
            code += bytes([wb.LOCAL_GET, pc, wb.I32_CONST, 2 * (1 + rng.below(3)), wb.I32_ADD, wb.LOCAL_SET, pc])
        else:
            code += bytes([wb.LOCAL_GET, w.pick(), wb.LOCAL_GET, pc, wb.I32_XOR, wb.LOCAL_SET, pc])
        code += bytes([wb.BR]) + wb.uleb(cases - 1 - k)  # back to the loop
    code += bytes([wb.END, wb.END])  # the loop, the exit block
    return wb.function_body([(11, wb.I32), (1, wb.I64)], w.finish())


def big_br_table(size, rng, pool):
    count = max(1, math.ceil(size / FUNCTION_CAP))
    library = straight_line_library(rng, pool, REGISTERS, INTERPRETER_WIDE)
    bodies = [interpreter(rng, pool, library, size // count) for _ in range(count)]
    # run(n) = interp_0(n) ^ interp_1(n) ^ ...
    run = bytearray()
    for k in range(count):
        run += bytes([wb.LOCAL_GET, 0, wb.CALL]) + wb.uleb(k) + (bytes([wb.I32_XOR]) if k else b"")
    return [ONE_TYPE] * count, bodies, bytes(run) + bytes([wb.END])


def chain_calls(count):
    """The body of run(x): x = f_0(x); x = f_1(x); ...; return x."""
    code = bytearray()
    for k in range(count):
        code += bytes([wb.LOCAL_GET, 0, wb.CALL]) + wb.uleb(k) + bytes([wb.LOCAL_SET, 0])
    return bytes(code) + bytes([wb.LOCAL_GET, 0, wb.END])


SHAPES = {
    "many-small": many_small,
    "one-caller": one_caller,
    "huge-functions": huge_functions,
    "big-br-table": big_br_table,
}


def generate(shape, size, seed=1):
    """The module's bytes: `shape` at about `size` bytes, a pure function of the three."""
    rng = FastRandom(f"{shape}/{size}/{seed}")
    pool = ConstantPool(rng)
    type_indices, bodies, run_code = SHAPES[shape](max(size - 200, 100), rng, pool)
    run_index = len(bodies)
    return wb.module(
        types=TYPES,
        function_type_indices=type_indices + [ONE_TYPE],
        memory_pages=1,
        exports=[("run", wb.EXPORT_FUNC, run_index), ("memory", wb.EXPORT_MEMORY, 0)],
        bodies=bodies + [wb.function_body([], run_code)],
    )


def parse_size(text):
    """'2MB' -> 2_000_000, '100kB' -> 100_000, '12345' -> 12345 (decimal units)."""
    lowered = text.strip().lower()
    for suffix, scale in (("mb", 1_000_000), ("kb", 1_000), ("b", 1)):
        if lowered.endswith(suffix):
            return int(float(lowered[: -len(suffix)]) * scale)
    return int(float(lowered))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shape", nargs="?", choices=sorted(SHAPES))
    parser.add_argument("size", nargs="?", type=parse_size)
    parser.add_argument("output", nargs="?")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--list", action="store_true", help="print the shape names")
    args = parser.parse_args()
    if args.list:
        print("\n".join(SHAPES))
        return 0
    if not (args.shape and args.size and args.output):
        parser.error("SHAPE, SIZE and OUT.wasm are needed")
    data = generate(args.shape, args.size, args.seed)
    with open(args.output, "wb") as f:
        f.write(data)
    print(f"{args.output}: {args.shape}, {len(data)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
