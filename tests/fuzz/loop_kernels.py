"""Random memory loops of the shapes clang writes for wasm32, for `fuzz_diff.py campaign --loop-kernels`.

wasm-smith's modules rarely hold a loop that walks memory through a pointer: their loops carry
fuel, and their addresses are whatever the stack held. The loops Kiln rewrites most (memory-loop
versioning, copy loops, widened 32-bit sums, strided exit tests) are pointer walks, and their
hazards sit at the edges: a sum that wraps below zero or past 2^32, a range that ends just past
the memory, pointers that overlap, a memarg offset that carries an address out of the memory. So
each module here is one kernel, `k(a, b, n)`: an optional loop over rows around an inner loop that
counts up, down, or up to zero, whose body loads and stores through `a + i + k` and `b + i + k`
with random widths, constants and memarg offsets, some accesses conditional, sometimes a second
exit, and some at an offset computed from the count, `p + (walked % m << s) + k`, as a short loop
over a small array indexes it (what Kiln unrolls fully since 0.5.48), and some at a fixed place,
`p + k` whatever the count, as a function's frame in the shadow stack is addressed (which Kiln's
versioned copies keep in registers since 0.5.49); then several exports that call it with arguments from the edges (0, the last bytes of the
memory, sums that wrap, b overlapping a), where it may be inlined with them as constants, and the
kernel itself, exported, which the driver calls with its own arguments. A quarter of the modules
hold one of the C library's loops instead (`library_loop_module`): a word search as in `memchr`,
`strlen` or `strchrnul`, or a byte compare as in `memcmp`. The driver compares every call and the
memory afterwards with Wasmtime, as for wasm-smith's modules. A module is a function of its seed
alone.
"""
import random

MEMORY_BYTES = 65536
# Pointers the calls start from: the bottom, the middle, the last bytes, past the end, and
# values that make `p + i + k` wrap.
POINTERS = [0, 0, 3, 8, 1024, 4096, 30000, MEMORY_BYTES - 512, MEMORY_BYTES - 64, MEMORY_BYTES - 8,
            MEMORY_BYTES + 100, 0xFFFFFF00, 0xFFFFFFF8]
COUNTS = [1, 2, 3, 8, 17, 64, 200]
CONSTANTS = [0, 0, 0, 1, 3, 8, -1, -3, -8, -64, -1024, 1024]
MEMARG_OFFSETS = [0, 0, 0, 1, 4, 64, 1024, 65535, 65536]
LOADS = [("i32.load8_u", 1), ("i32.load16_u", 2), ("i32.load", 4), ("i64.load", 8)]
STORES = [("i32.store8", 1), ("i32.store16", 2), ("i32.store", 4), ("i64.store", 8)]
# Every module's memory, and `fill`, which the driver calls first: byte i becomes i * 37 + 11.
MEMORY_AND_FILL = """(memory (export "memory") 1 1)
  (func (export "fill") (local $i i32)
    (loop $l
      (i32.store8 (local.get $i) (i32.add (i32.mul (local.get $i) (i32.const 37)) (i32.const 11)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const %d)))))""" % MEMORY_BYTES


def s32(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def kernel_module(seed):
    """The WAT text of module `seed`: a quarter of the seeds give one of the C library's loops
    (`library_loop_module`) and a fifth of the rest an unrolled loop (`unrolled_loop_module`), each
    drawn from a generator of their own so that the others keep their shape."""
    if random.Random(seed * 7919 + 2).random() < 0.25:
        return library_loop_module(seed)
    if random.Random(seed * 7919 + 4).random() < 0.2:
        return unrolled_loop_module(seed)
    rng = random.Random(seed)
    step = rng.choice([1, 1, 2, 4, 8])
    form = rng.choice(["up", "up", "to-zero", "down"])
    rows = rng.choice([1, 1, 2, 3])
    row_steps = (rng.choice([0, 64, 960, -64]), rng.choice([0, 64, 960]))
    accesses = []
    # A walk up to zero is clang's for `p[i]` with i from -n: the memarg offset carries the
    # address back up, so the sum is below zero wherever p is small (Kiln 0.5.43 lost that trap).
    offsets = [1024, 1024, 64, 0] if form == "to-zero" else MEMARG_OFFSETS
    # Few accesses, so that often none traps and a versioned copy may run.
    for _ in range(rng.choice([1, 1, 2, 2, 3, 5])):
        store = rng.random() < 0.45
        op, width = rng.choice(STORES if store else LOADS)
        accesses.append({
            "store": store, "op": op, "width": width,
            "pointer": rng.choice(["$pa", "$pa", "$pb"]),
            "constant": rng.choice(CONSTANTS),
            "offset": rng.choice(offsets),
            # From which i (counted from 0 in the walk's direction) the access happens.
            "from": rng.choice([0, 0, 0, 3]),
        })
    # Drawn from a generator of their own, so that the kernels of earlier seeds keep their shape
    # wherever no access takes a computed offset.
    computed = random.Random(seed * 7919 + 1)
    for access in accesses:
        if computed.random() < 0.2:
            access["computed"] = (computed.choice([3, 5, 7, 16]), computed.choice([0, 2, 3]))
    # Likewise the fixed places.
    fixed = random.Random(seed * 7919 + 3)
    for access in accesses:
        access["fixed"] = fixed.random() < 0.2
    if not any(a["store"] for a in accesses) and rng.random() < 0.7:
        accesses[-1].update(store=True, op="i32.store8", width=1)
    early_exit = rng.random() < 0.25

    def address(access):
        if access["fixed"]:
            sum_ = "(local.get %s)" % access["pointer"]
        else:
            index = "(local.get $i)"
            if "computed" in access:
                index = "(i32.shl (i32.rem_u (local.get $walked) (i32.const %d)) (i32.const %d))" % access["computed"]
            sum_ = "(i32.add (local.get %s) %s)" % (access["pointer"], index)
        if access["constant"]:
            sum_ = "(i32.add %s (i32.const %d))" % (sum_, access["constant"])
        return sum_

    body = []
    for access in accesses:
        memarg = " offset=%d" % access["offset"] if access["offset"] else ""
        if access["store"]:
            value = "(local.get $acc)" if access["width"] < 8 else "(i64.extend_i32_u (local.get $acc))"
            text = "(%s%s %s %s)" % (access["op"], memarg, address(access), value)
        else:
            loaded = "(%s%s %s)" % (access["op"], memarg, address(access))
            if access["width"] == 8:
                loaded = "(i32.wrap_i64 %s)" % loaded
            text = "(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) %s))" % loaded
        if access["from"]:
            text = "(if (i32.ge_u (local.get $walked) (i32.const %d)) (then %s))" % (access["from"], text)
        body.append(text)
    if early_exit:
        body.append("(br_if $done (i32.eq (i32.and (local.get $acc) (i32.const 255)) (i32.const %d)))"
                    % rng.randrange(256))

    total = "(i32.mul (local.get $n) (i32.const %d))" % step
    if form == "up":
        start, advance = "(i32.const 0)", "(i32.add (local.get $i) (i32.const %d))" % step
        again = "(i32.lt_u (local.get $i) %s)" % total
    elif form == "to-zero":
        start, advance = "(i32.sub (i32.const 0) %s)" % total, "(i32.add (local.get $i) (i32.const %d))" % step
        again = "(local.get $i)"
    else:
        start = "(i32.sub %s (i32.const %d))" % (total, step)
        advance = "(i32.sub (local.get $i) (i32.const %d))" % step
        again = "(i32.ge_s (local.get $i) (i32.const 0))"

    calls = []
    for number in range(rng.randint(3, 6)):
        a = rng.choice(POINTERS)
        b = a + rng.choice([1, 3, 8, 64]) if rng.random() < 0.25 else rng.choice(POINTERS)
        calls.append('(func (export "call%d") (result i32) (call $k (i32.const %d) (i32.const %d) (i32.const %d)))'
                     % (number, s32(a), s32(b), rng.choice(COUNTS)))

    return """(module
  %(memory_and_fill)s
  (func $k (export "kernel") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $i i32) (local $row i32) (local $walked i32) (local $acc i32) (local $pa i32) (local $pb i32)
    (local.set $pa (local.get $a))
    (local.set $pb (local.get $b))
    (local.set $acc (i32.const 7))
    (block $done
      (loop $rows
        (local.set $i %(start)s)
        (local.set $walked (i32.const 0))
        (loop $walk
          %(body)s
          (local.set $walked (i32.add (local.get $walked) (i32.const 1)))
          (local.set $i %(advance)s)
          (br_if $walk %(again)s))
        (local.set $pa (i32.add (local.get $pa) (i32.const %(row_a)d)))
        (local.set $pb (i32.add (local.get $pb) (i32.const %(row_b)d)))
        (br_if $rows (i32.lt_u (local.tee $row (i32.add (local.get $row) (i32.const 1))) (i32.const %(rows)d)))))
    (local.get $acc))
  %(calls)s)
""" % {"memory_and_fill": MEMORY_AND_FILL, "start": start, "body": "\n          ".join(body), "advance": advance,
       "again": again, "row_a": row_steps[0], "row_b": row_steps[1], "rows": rows,
       "calls": "\n  ".join(calls)}


# The C library's search and compare loops, in the shapes clang gives musl's for wasm32, which Kiln
# gives a vector prologue (byte_search_loops.cpp, byte_compare_loops.cpp): a word loop that tests
# four bytes at a time with the has-zero-byte trick, `(y - 0x01010101) & ~y & 0x80808080`, then a
# byte loop; and a byte loop over two arrays until they differ. Their hazards: where the search
# starts (unaligned, the last bytes, past the end, wrapped), how far it runs (a count, or only the
# byte it seeks), and a byte planted before the loop, a store the loop's reads must not pass.
SEARCH_COUNTS = [0, 1, 3, 4, 5, 31, 32, 33, 100, 300, 5000, 70000]


def fill_byte(address):
    """The byte the module's `fill` leaves at `address`."""
    return (address * 37 + 11) & 255


def leave_words_where_a_byte_is_zero(y):
    """The word loop's exit where a byte of `y` is zero: `(y - 0x01010101) & ~y & 0x80808080`."""
    return ("(br_if $bytes (i32.and (i32.and (i32.xor %s (i32.const -1)) (i32.add %s (i32.const -16843009)))"
            " (i32.const -2139062144)))" % (y, y))


def compare_body(memarg):
    """`memcmp`: bytes of p and q until they differ or n runs out."""
    return """(block $equal
      (loop $each
        (br_if $equal (i32.eqz (local.get $n)))
        (local.set $a (i32.load8_u%(memarg)s (local.get $p)))
        (local.set $b (i32.load8_u%(memarg)s (local.get $q)))
        (if (i32.ne (local.get $a) (local.get $b)) (then (return (i32.sub (local.get $a) (local.get $b)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $each)))
    (i32.const 0)""" % {"memarg": memarg}


def search_body(kind, memarg):
    """`memchr` (counted, the address found or -1), `strlen` or `strchrnul` (the distance walked):
    a word loop, then a byte loop from the word where it stopped."""
    counted = kind == "memchr"
    if kind == "strchrnul":
        # A zero byte or the byte sought: two tests, as C's `&&` gives them.
        word = "(i32.load%s (local.get $p))" % memarg
        tests = [leave_words_where_a_byte_is_zero("(local.get $w)"),
                 leave_words_where_a_byte_is_zero("(i32.xor (local.get $w) (local.get $x))")]
    else:
        word = "(i32.xor (i32.load%s (local.get $p)) (local.get $x))" % memarg
        tests = [leave_words_where_a_byte_is_zero("(local.get $w)")]
    if counted:
        bytes_loop = """(block $none
      (loop $each
        (br_if $none (i32.eqz (local.get $n)))
        (if (i32.eq (i32.load8_u%s (local.get $p)) (local.get $c)) (then (return (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $each)))
    (i32.const -1)""" % memarg
    else:
        found = "(i32.eqz (local.get $b))" if kind == "strlen" else \
            "(i32.or (i32.eqz (local.get $b)) (i32.eq (local.get $b) (local.get $c)))"
        bytes_loop = """(block $out
      (loop $each
        (local.set $b (i32.load8_u%s (local.get $p)))
        (br_if $out %s)
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $each)))
    (i32.sub (local.get $p) (local.get $start))""" % (memarg, found)
    return """(local.set $c (i32.and (local.get $c) (i32.const 255)))
    (local.set $x (i32.mul (local.get $c) (i32.const %(ones)d)))
    (block $bytes
      (loop $words
        %(count_test)s
        (local.set $w %(word)s)
        %(tests)s
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        %(count_step)s
        (br $words)))
    %(bytes_loop)s""" % {
        "ones": 0 if kind == "strlen" else 0x01010101, "word": word, "tests": "\n        ".join(tests),
        "count_test": "(br_if $bytes (i32.lt_u (local.get $n) (i32.const 4)))" if counted else "",
        "count_step": "(local.set $n (i32.sub (local.get $n) (i32.const 4)))" if counted else "",
        "bytes_loop": bytes_loop}


def library_loop_module(seed):
    rng = random.Random(seed)
    kind = rng.choice(["memchr", "memchr", "strlen", "strchrnul", "memcmp", "memcmp"])
    # Kiln rewrites the loops whose loads have no memarg offset, as clang writes them.
    offset = rng.choice([0, 0, 0, 0, 0, 1, 64, 65535])
    memarg = " offset=%d" % offset if offset else ""
    plant = ""
    if rng.random() < 0.5:
        # A byte stored before the loop, at a distance the call's arguments choose.
        target, value = ("$q", "(i32.const %d)" % rng.randrange(256)) if kind == "memcmp" else ("$p", "(local.get $c)")
        plant = "(i32.store8 offset=%d (local.get %s) %s)" % (rng.choice([0, 1, 5, 40, 200, 1000]), target, value)
    if kind == "memcmp":
        params, body = "(param $p i32) (param $q i32) (param $n i32)", compare_body(memarg)
    else:
        params, body = "(param $p i32) (param $c i32) (param $n i32)", search_body(kind, memarg)

    calls = []
    for number in range(rng.randint(3, 6)):
        p = rng.choice(POINTERS) + rng.choice([0, 0, 1, 2, 3])
        n = rng.choice(SEARCH_COUNTS)
        if kind == "memcmp":
            # Equal runs: the fill repeats every 256 bytes.
            second = p + rng.choice([0, 256, 512, 25600]) if rng.random() < 0.7 else rng.choice(POINTERS)
        else:
            # A byte the fill has a few words on, or one it has nowhere near.
            second = fill_byte(p + offset + rng.choice([0, 1, 5, 31, 32, 33, 100, 250])) if rng.random() < 0.7 \
                else rng.choice([0, 0x100 + 11, rng.randrange(256)])
        calls.append('(func (export "call%d") (result i32) (call $k (i32.const %d) (i32.const %d) (i32.const %d)))'
                     % (number, s32(p), s32(second), n))

    return """(module
  %(memory_and_fill)s
  (func $k (export "kernel") %(params)s (result i32)
    (local $x i32) (local $w i32) (local $a i32) (local $b i32) (local $start i32)
    (local.set $start (local.get $p))
    %(plant)s
    %(body)s)
  %(calls)s)
""" % {"memory_and_fill": MEMORY_AND_FILL, "params": params, "plant": plant, "body": body, "calls": "\n  ".join(calls)}


# Loops as clang unrolls them for wasm32: k copies of a body that loads and stores elements of one
# width, copy j addressing each element j widths further on, through a pointer of its own, a
# constant in the sum or a memarg offset, which memory-loop versioning takes as one group per
# array and LLVM vectorises as interleaved accesses. Their hazards: copies whose elements overlap
# the other array's (b a few bytes from a), ranges at the memory's end, sums that wrap, and the
# loop's count and its index leaving the loop.
UNROLLED_WIDTHS = {1: ("i32.load8_u", "i32.store8", "i32"), 2: ("i32.load16_u", "i32.store16", "i32"),
                   4: ("i32.load", "i32.store", "i32"), 8: ("i64.load", "i64.store", "i64")}


def unrolled_loop_module(seed):
    rng = random.Random(seed * 7919 + 5)
    copies = rng.choice([2, 2, 4])
    width = rng.choice([1, 2, 4, 4, 8])
    load, store, value_type = UNROLLED_WIDTHS[width]
    form = rng.choice(["up", "count", "down"])
    step = copies * width
    # One copy's accesses: a few loads, whose values a store combines, once or twice.
    base = []
    for _ in range(rng.choice([1, 1, 2])):
        loads = [(rng.choice(["a", "b"]), rng.choice([0, 0, width, -width, 3, 64, -64])) for _ in range(rng.choice([1, 2]))]
        base.append({"loads": loads, "target": (rng.choice(["a", "a", "b"]), rng.choice([0, 0, width, -width, 64])),
                     "combine": rng.choice(["add", "xor", "mul", "sub"]), "constant": rng.choice([0, 1, 7, 160])})
    # How each access of a copy reaches its element: a pointer of the copy's own, a constant in the
    # sum, or a memarg offset.
    styles = {}

    def address(pointer, constant, copy, key):
        style = styles.setdefault(key, rng.choice(["local", "sum", "memarg"]))
        shift = copy * width
        if style == "local":
            return "(i32.add (i32.add (local.get $%s%d) (local.get $i)) (i32.const %d))" % (pointer, copy, constant), ""
        if style == "memarg" and constant >= 0:
            return "(i32.add (i32.add (local.get $%s) (local.get $i)) (i32.const %d))" % (pointer, constant), \
                " offset=%d" % shift if shift else ""
        return "(i32.add (i32.add (local.get $%s) (local.get $i)) (i32.const %d))" % (pointer, constant + shift), ""

    body = []
    for copy in range(copies):
        for number, part in enumerate(base):
            values = []
            for place, (pointer, constant) in enumerate(part["loads"]):
                sum_, memarg = address(pointer, constant, copy, (number, place))
                values.append("(%s%s %s)" % (load, memarg, sum_))
            if part["constant"]:
                values.append("(%s.const %d)" % (value_type, part["constant"]))
            value = values[0]
            for other in values[1:]:
                value = "(%s.%s %s %s)" % (value_type, part["combine"], value, other)
            pointer, constant = part["target"]
            sum_, memarg = address(pointer, constant, copy, (number, "target"))
            body.append("(%s%s %s %s)" % (store, memarg, sum_, value))

    total = "(i32.mul (local.get $n) (i32.const %d))" % step
    if form == "up":
        start, again = "(i32.const 0)", "(i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const %d))) %s)" % (step, total)
    elif form == "count":
        start = "(i32.const 0)"
        again = "(block (result i32) (local.set $i (i32.add (local.get $i) (i32.const %d)))" \
                " (local.tee $left (i32.sub (local.get $left) (i32.const 1))))" % step
    else:
        start = "(i32.sub %s (i32.const %d))" % (total, step)
        again = "(i32.ge_s (local.tee $i (i32.sub (local.get $i) (i32.const %d))) (i32.const 0))" % step
    pointers = "\n    ".join("(local.set $a%d (i32.add (local.get $a) (i32.const %d)))\n    "
                               "(local.set $b%d (i32.add (local.get $b) (i32.const %d)))" % (j, j * width, j, j * width)
                               for j in range(copies))
    locals_ = " ".join("(local $a%d i32) (local $b%d i32)" % (j, j) for j in range(copies))

    calls = []
    for number in range(rng.randint(3, 6)):
        a = rng.choice(POINTERS)
        b = a + rng.choice([-width, 1, width, step, 64]) if rng.random() < 0.3 else rng.choice(POINTERS)
        calls.append('(func (export "call%d") (result i32) (call $k (i32.const %d) (i32.const %d) (i32.const %d)))'
                     % (number, s32(a), s32(b), rng.choice(COUNTS)))

    return """(module
  %(memory_and_fill)s
  (func $k (export "kernel") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $i i32) (local $left i32) %(locals)s
    (local.set $left (local.get $n))
    %(pointers)s
    (local.set $i %(start)s)
    (loop $walk
      %(body)s
      (br_if $walk %(again)s))
    (i32.add (local.get $i) (local.get $left)))
  %(calls)s)
""" % {"memory_and_fill": MEMORY_AND_FILL, "locals": locals_, "pointers": pointers, "start": start,
       "body": "\n      ".join(body), "again": again, "calls": "\n  ".join(calls)}
