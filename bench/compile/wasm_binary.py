"""The pieces of the WebAssembly binary format that the shape generator needs: LEB128 numbers,
sections, vectors, value types and the opcodes it emits, by name.

Only the encoding lives here; what code to emit is gen_shapes.py's and body_builder.py's concern.
"""

MAGIC_AND_VERSION = b"\0asm\x01\0\0\0"

# Section ids.
TYPE_SECTION, FUNCTION_SECTION, MEMORY_SECTION, EXPORT_SECTION, CODE_SECTION = 1, 3, 5, 7, 10

# Value types, a function type's prefix and the empty block type.
I32, I64 = 0x7F, 0x7E
FUNC_TYPE = 0x60
EMPTY_BLOCK = 0x40
EXPORT_FUNC, EXPORT_MEMORY = 0x00, 0x02

# Control.
BLOCK, LOOP, IF, ELSE, END = 0x02, 0x03, 0x04, 0x05, 0x0B
BR, BR_IF, BR_TABLE, RETURN, CALL = 0x0C, 0x0D, 0x0E, 0x0F, 0x10
DROP, SELECT = 0x1A, 0x1B

# Variables.
LOCAL_GET, LOCAL_SET, LOCAL_TEE = 0x20, 0x21, 0x22

# Memory.
I32_LOAD, I64_LOAD, I32_LOAD8_U, I32_LOAD16_U = 0x28, 0x29, 0x2D, 0x2F
I32_STORE, I64_STORE, I32_STORE8, I32_STORE16 = 0x36, 0x37, 0x3A, 0x3B

# Constants.
I32_CONST, I64_CONST = 0x41, 0x42

# i32 arithmetic and comparisons.
I32_EQZ, I32_EQ, I32_NE, I32_LT_U, I32_GT_S = 0x45, 0x46, 0x47, 0x49, 0x4A
I32_CLZ, I32_CTZ, I32_POPCNT = 0x67, 0x68, 0x69
I32_ADD, I32_SUB, I32_MUL, I32_DIV_U, I32_REM_U = 0x6A, 0x6B, 0x6C, 0x6E, 0x70
I32_AND, I32_OR, I32_XOR, I32_SHL, I32_SHR_S, I32_SHR_U, I32_ROTL, I32_ROTR = (
    0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78)

# i64 arithmetic and conversions.
I64_ADD, I64_SUB, I64_MUL, I64_XOR, I64_ROTL, I64_SHR_U = 0x7C, 0x7D, 0x7E, 0x85, 0x89, 0x88
I32_WRAP_I64, I64_EXTEND_I32_U = 0xA7, 0xAD


def uleb(n):
    """Unsigned LEB128."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sleb(n):
    """Signed LEB128 (i32.const and i64.const immediates)."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def vector(items):
    """A count followed by the already encoded items."""
    return uleb(len(items)) + b"".join(items)


def section(ident, payload):
    return bytes([ident]) + uleb(len(payload)) + payload


def name(text):
    encoded = text.encode()
    return uleb(len(encoded)) + encoded


def func_type(params, results):
    return bytes([FUNC_TYPE]) + uleb(len(params)) + bytes(params) + uleb(len(results)) + bytes(results)


def memarg(align_log2, offset):
    return uleb(align_log2) + uleb(offset)


def function_body(local_groups, code):
    """A code-section entry: its size, the locals as (count, type) groups, then `code` (which must
    end with END)."""
    locals_part = vector([uleb(count) + bytes([valtype]) for count, valtype in local_groups])
    return uleb(len(locals_part) + len(code)) + locals_part + code


def module(types, function_type_indices, memory_pages, exports, bodies):
    """A whole module: `types` are encoded func types, `exports` (name, kind, index) triples and
    `bodies` encoded code-section entries, one per function. The memory is not shared and has no
    maximum."""
    memory = vector([bytes([0x00]) + uleb(memory_pages)])
    export_entries = [name(n) + bytes([kind]) + uleb(index) for n, kind, index in exports]
    return b"".join([
        MAGIC_AND_VERSION,
        section(TYPE_SECTION, vector(types)),
        section(FUNCTION_SECTION, vector([uleb(t) for t in function_type_indices])),
        section(MEMORY_SECTION, memory),
        section(EXPORT_SECTION, vector(export_entries)),
        section(CODE_SECTION, vector(bodies)),
    ])
