"""Export names and types read straight from a module's binary.

Wasmtime's C API panics (aborting the process) when asked for the type of anything involving
v128, so the fuzzer learns export signatures here instead. Only what fuzzer modules contain is
read: WebAssembly 2.0 with single-byte value types and no imports, plus the exception-handling
proposal's tags (export kind 4) and `exnref`.
"""

VALUE_TYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128",
               0x70: "funcref", 0x6F: "externref", 0x69: "exnref"}
EXPORT_KINDS = {0: "func", 1: "table", 2: "memory", 3: "global", 4: "tag"}


class Reader:
    def __init__(self, data, position=0):
        self.data, self.position = data, position

    def byte(self):
        self.position += 1
        return self.data[self.position - 1]

    def u32(self):
        result, shift = 0, 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    def skip(self, count):
        self.position += count

    def name(self):
        length = self.u32()
        self.skip(length)
        return self.data[self.position - length:self.position].decode("utf-8")

    def value_types(self):
        return [VALUE_TYPES[self.byte()] for _ in range(self.u32())]

    def skip_constant_expression(self):
        while True:
            opcode = self.byte()
            if opcode == 0x0B:
                return
            if opcode in (0x41, 0x42, 0x23, 0xD2):  # i32/i64.const, global.get, ref.func
                self.signed_leb()
            elif opcode == 0x43:
                self.skip(4)
            elif opcode == 0x44:
                self.skip(8)
            elif opcode == 0xD0:  # ref.null t
                self.skip(1)
            elif opcode == 0xFD:  # v128.const
                self.u32()
                self.skip(16)
            elif opcode in (0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E):  # i32/i64 add, sub, mul (extended)
                pass
            else:
                raise ValueError("unexpected constant-expression opcode 0x%02x" % opcode)

    def signed_leb(self):
        while self.byte() & 0x80:
            pass


def exports(wasm):
    """[(name, kind, type)] in export order; type is (params, results) for functions, the value
    type for globals, None otherwise."""
    reader = Reader(wasm, 8)
    types, functions, globals_, listed = [], [], [], []
    while reader.position < len(wasm):
        section, size = reader.byte(), reader.u32()
        end = reader.position + size
        if section == 1:
            for _ in range(reader.u32()):
                assert reader.byte() == 0x60
                types.append((reader.value_types(), reader.value_types()))
        elif section == 2 and reader.u32() != 0:
            raise ValueError("fuzzer modules have no imports")
        elif section == 3:
            functions = [reader.u32() for _ in range(reader.u32())]
        elif section == 6:
            for _ in range(reader.u32()):
                globals_.append(VALUE_TYPES[reader.byte()])
                reader.byte()  # mutability
                reader.skip_constant_expression()
        elif section == 7:
            for _ in range(reader.u32()):
                name, kind, index = reader.name(), EXPORT_KINDS[reader.byte()], reader.u32()
                listed.append((name, kind, index))
        reader.position = end
    described = []
    for name, kind, index in listed:
        kind_type = {"func": lambda: types[functions[index]], "global": lambda: globals_[index]}
        described.append((name, kind, kind_type.get(kind, lambda: None)()))
    return described
