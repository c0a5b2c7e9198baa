"""Writes the instructions of a function body, a fragment at a time, for gen_shapes.py.

A fragment is a few to a few dozen bytes of code that reads some of the function's i32 "value"
locals and writes one of them (arithmetic, a load from memory, a store, an i64 detour, a select)
or wraps other fragments in a counted loop, an if/else or a block with an early exit. Each
fragment's result feeds later fragments, stores or the function's result (`finish`), so
optimisation has to keep the work: nothing is trivially dead.

Every access stays inside the first 64 KiB page: addresses are masked with 0xFFF0 and offsets
are at most 8, so modules never trap whatever their arguments are. Loops count a local down from
a small constant, so every function terminates.

Speed (50 MB of code in seconds of pure Python) comes from working a fragment at a time, from
constants picked out of a pre-encoded pool, and from a library of ready straight-line fragments
per layout of locals that function bodies draw from.
"""
import random

from wasm_binary import (
    BLOCK, BR_IF, CALL, ELSE, EMPTY_BLOCK, END, I32_ADD, I32_AND, I32_CONST, I32_DIV_U, I32_EQZ, I32_LOAD,
    I32_LOAD8_U, I32_LOAD16_U, I32_LT_U, I32_MUL, I32_OR, I32_POPCNT, I32_REM_U, I32_ROTL, I32_ROTR, I32_SHL,
    I32_SHR_U, I32_STORE, I32_STORE8, I32_STORE16, I32_SUB, I32_WRAP_I64, I32_XOR, I64_ADD, I64_CONST,
    I64_EXTEND_I32_U, I64_MUL, I64_ROTL, I64_SHR_U, I64_STORE, I64_XOR, IF, LOCAL_GET, LOCAL_SET,
    LOCAL_TEE, LOOP, SELECT, sleb, uleb,
)

POOL_BITS = 12
LIBRARY_BITS = 12
ADDRESS_MASK = bytes([I32_CONST]) + sleb(0xFFF0)
ONE = bytes([I32_CONST, 1])

# Operators that combine two i32 values. Division and remainder only ever get an odd non-zero
# constant as divisor (see `arith`), so they cannot trap.
COMBINE_OPS = bytes([I32_ADD, I32_SUB, I32_MUL, I32_XOR, I32_OR, I32_AND, I32_ROTL, I32_ROTR, I32_SHL,
                     I32_SHR_U])
BY_CONSTANT_OPS = COMBINE_OPS + bytes([I32_DIV_U, I32_REM_U, I32_MUL, I32_ADD])
# (load opcode, alignment log2, store opcode) of the i32 widths.
I32_WIDTHS = [(I32_LOAD, 2, I32_STORE), (I32_LOAD16_U, 1, I32_STORE16), (I32_LOAD8_U, 0, I32_STORE8)]


class FastRandom(random.Random):
    """random.Random with a cheap `below(n)`: randrange's exactness costs most of the generator's
    time, and a float scaled to n is uniform enough for choosing instructions."""

    def below(self, n):
        return int(self.random() * n)


class ConstantPool:
    """Pre-encoded `i32.const K` / `i64.const K` instructions with random K, odd and non-zero,
    shared by every function of a module (encoding a fresh constant each time is the slow part)."""

    def __init__(self, rng):
        size = 1 << POOL_BITS
        self.i32 = [bytes([I32_CONST]) + sleb(self._signed32(rng.getrandbits(32) | 1)) for _ in range(size)]
        self.i64 = [bytes([I64_CONST]) + sleb(self._signed64(rng.getrandbits(64) | 1)) for _ in range(size)]
        self.small = [bytes([I32_CONST]) + sleb(n) for n in range(64)]

    @staticmethod
    def _signed32(n):
        return n - (1 << 32) if n >= 1 << 31 else n

    @staticmethod
    def _signed64(n):
        return n - (1 << 64) if n >= 1 << 63 else n


def straight_line_library(rng, pool, values, wide=None):
    """2**LIBRARY_BITS straight-line fragments over `values` (and `wide`), each written by
    BodyWriter's fragment methods. Functions that share a layout of locals draw from one library:
    picking a ready fragment is what makes the generator fast, and thousands of fragments in
    random order still make every function different."""
    scratch = BodyWriter(rng, pool, values, counters=[], wide=wide)
    library = []
    for _ in range(1 << LIBRARY_BITS):
        scratch.code = bytearray()
        scratch.straight(1)
        library.append(bytes(scratch.code))
    return library


class BodyWriter:
    """The code of one function. `values` are the i32 locals that carry data, `counters` one i32
    local per level of loop nesting, `wide` an i64 local (or None), `library` ready fragments
    for this layout of locals (see straight_line_library) or None to write each afresh."""

    def __init__(self, rng, pool, values, counters, wide=None, library=None):
        self.rng = rng
        self.pool = pool
        self.values = values
        self.counters = counters
        self.wide = wide
        self.library = library
        self.code = bytearray()
        self.loop_depth = 0
        self.simple = [self.arith, self.arith, self.arith, self.load, self.store, self.select]
        if wide is not None:
            self.simple.append(self.wide_mix)

    # --- helpers -----------------------------------------------------------------------------

    def pick(self):
        return self.values[int(self.rng.random() * len(self.values))]

    def const(self):
        return self.pool.i32[self.rng.getrandbits(POOL_BITS)]

    def get(self, local):
        self.code += bytes([LOCAL_GET, local])

    def address_of(self, local):
        """Pushes a 16-byte-aligned address below 64 KiB derived from `local`."""
        self.code += bytes([LOCAL_GET, local]) + ADDRESS_MASK + bytes([I32_AND])

    # --- straight-line fragments -------------------------------------------------------------

    def arith(self):
        """dst = ((a OP K) OP b) OP c"""
        rng = self.rng
        a, b, c, dst = self.pick(), self.pick(), self.pick(), self.pick()
        self.code += (bytes([LOCAL_GET, a]) + self.const()
                      + bytes([BY_CONSTANT_OPS[rng.below(len(BY_CONSTANT_OPS))], LOCAL_GET, b,
                               COMBINE_OPS[rng.below(len(COMBINE_OPS))], LOCAL_GET, c,
                               COMBINE_OPS[rng.below(len(COMBINE_OPS))], LOCAL_SET, dst]))

    def load(self):
        """dst = dst OP load(address(a) + offset), at one of the i32 widths"""
        rng = self.rng
        a, dst = self.pick(), self.pick()
        opcode, align, _ = I32_WIDTHS[rng.below(3)]
        self.address_of(a)
        self.code += bytes([opcode, align, 4 * rng.below(3), LOCAL_GET, dst,
                            COMBINE_OPS[rng.below(4)], LOCAL_SET, dst])

    def store(self):
        """store(address(a) + offset, b OP c)"""
        rng = self.rng
        a, b, c = self.pick(), self.pick(), self.pick()
        _, align, opcode = I32_WIDTHS[rng.below(3)]
        self.address_of(a)
        self.code += bytes([LOCAL_GET, b, LOCAL_GET, c, COMBINE_OPS[rng.below(4)],
                            opcode, align, 4 * rng.below(3)])

    def select(self):
        """dst = (a <u b) ? a * K : c"""
        a, b, c, dst = self.pick(), self.pick(), self.pick(), self.pick()
        self.code += (bytes([LOCAL_GET, a]) + self.const() + bytes([I32_MUL, LOCAL_GET, c, LOCAL_GET, a, LOCAL_GET, b,
                                                                    I32_LT_U, SELECT, LOCAL_SET, dst]))

    def wide_mix(self):
        """w = (w * K64 + u64(a)) rotl r; dst = i32(w >> 32) ^ popcnt(dst); every few, w goes to memory"""
        rng = self.rng
        a, dst, w = self.pick(), self.pick(), self.wide
        self.code += (bytes([LOCAL_GET, w]) + self.pool.i64[rng.getrandbits(POOL_BITS)]
                      + bytes([I64_MUL, LOCAL_GET, a, I64_EXTEND_I32_U, I64_ADD])
                      + bytes([I64_CONST, 1 + rng.below(63), I64_ROTL, LOCAL_TEE, w])
                      + bytes([I64_CONST, 32, I64_SHR_U, I32_WRAP_I64, LOCAL_GET, dst, I32_POPCNT, I32_XOR,
                               LOCAL_SET, dst]))
        if rng.below(4) == 0:
            self.address_of(dst)
            self.code += bytes([LOCAL_GET, w, LOCAL_GET, a, I64_EXTEND_I32_U, I64_XOR, I64_STORE, 3,
                                8 * rng.below(2)])

    def straight(self, count):
        """`count` straight-line fragments, from the library when there is one."""
        if self.library is not None:
            fragments, bits = self.library, self.rng.getrandbits
            self.code += b"".join([fragments[bits(LIBRARY_BITS)] for _ in range(count)])
            return
        for _ in range(count):
            self.simple[self.rng.below(len(self.simple))]()

    # --- structured fragments ----------------------------------------------------------------

    def counted_loop(self, body):
        """for (i = n; i != 0; i--) body(), with n in 2..9; `body` is called to write the body."""
        if self.loop_depth >= len(self.counters):
            body()
            return
        counter = self.counters[self.loop_depth]
        self.loop_depth += 1
        self.code += self.pool.small[2 + self.rng.below(8)] + bytes([LOCAL_SET, counter, LOOP, EMPTY_BLOCK])
        body()
        self.code += bytes([LOCAL_GET, counter]) + ONE + bytes([I32_SUB, LOCAL_TEE, counter, BR_IF, 0, END])
        self.loop_depth -= 1

    def if_else(self, then_body, else_body):
        """if (a & K) then_body() else else_body()"""
        self.get(self.pick())
        self.code += self.const() + bytes([I32_AND, IF, EMPTY_BLOCK])
        then_body()
        self.code.append(ELSE)
        else_body()
        self.code.append(END)

    def early_exit_block(self, before, after):
        """block { before(); br_if (a == 0) out; after() }"""
        self.code += bytes([BLOCK, EMPTY_BLOCK, LOCAL_GET, self.pick(), I32_EQZ, BR_IF, 0])
        before()
        self.get(self.pick())
        self.code += bytes([I32_EQZ, BR_IF, 0])
        after()
        self.code.append(END)

    def nested(self, levels, straight_per_level):
        """`levels` of loops, if/elses and early-exit blocks inside each other, with straight-line
        code at every level."""
        if levels == 0:
            self.straight(straight_per_level)
            return
        inner = lambda: self.nested(levels - 1, straight_per_level)
        prefix = lambda: self.straight(straight_per_level)
        kind = self.rng.below(3)
        if kind == 0:
            self.counted_loop(lambda: (prefix(), inner()))
        elif kind == 1:
            self.if_else(inner, prefix)
        else:
            self.early_exit_block(prefix, inner)

    def guarded_call(self, callee, depth_local, callee_arity_two=True):
        """if (depth != 0) dst = dst + callee(a, depth - 1): a call that a bounded recursion depth
        can always end, whatever the call graph."""
        a, dst = self.pick(), self.pick()
        self.code += bytes([LOCAL_GET, depth_local, IF, EMPTY_BLOCK, LOCAL_GET, a])
        if callee_arity_two:
            self.code += bytes([LOCAL_GET, depth_local]) + ONE + bytes([I32_SUB])
        self.code += bytes([CALL]) + uleb(callee) + bytes([LOCAL_GET, dst, I32_ADD, LOCAL_SET, dst, END])

    # --- the end -----------------------------------------------------------------------------

    def finish(self):
        """Stores the xor of every value local and returns it (the function's i32 result)."""
        first, *rest = self.values
        self.address_of(first)
        self.get(first)
        for local in rest:
            self.code += bytes([LOCAL_GET, local, I32_XOR])
        if self.wide is not None:
            self.code += bytes([LOCAL_GET, self.wide, I32_WRAP_I64, I32_XOR])
        self.code += bytes([LOCAL_TEE, first, I32_STORE, 2, 0, LOCAL_GET, first, END])
        return bytes(self.code)
