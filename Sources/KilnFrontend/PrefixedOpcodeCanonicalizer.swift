import WasmParser

/// Rewrites over-long LEB128 encodings of the sub-opcode after a 0xFC or 0xFD prefix into their
/// minimal form, padded in front with `nop`s so that no size or offset in the module changes.
///
/// The binary format encodes these sub-opcodes as u32 LEB128, so `fc 80 00` is a valid spelling of
/// `i32.trunc_sat_f32_s` (the spec suite's binary-leb128.wast checks it). WasmParser reads the
/// sub-opcode as a single byte and rejects such a body; `nop`s before the instruction change
/// neither its meaning nor its validity, so the rewritten module is equivalent.
enum PrefixedOpcodeCanonicalizer {
    /// The module, decoded again from rewritten bytes if it had such encodings. Each round fixes
    /// the first one in each body; every rewrite removes one, so the loop ends.
    static func canonicalize(_ module: WasmModule) throws(WasmError) -> WasmModule {
        var current = module
        while true {
            var bytes = current.binary
            var changed = false
            for code in current.codes where mayHaveLongSubOpcode(code.expression) {
                if let site = firstRejectedPrefix(in: code, bytes: bytes), rewrite(&bytes, prefixAt: site) {
                    changed = true
                }
            }
            guard changed else { return current }
            current = try ModuleDecoder.decodeStructure(bytes, features: current.features)
        }
    }

    /// Cheap filter: a prefix byte followed by a continuation byte somewhere in the body.
    private static func mayHaveLongSubOpcode(_ body: ArraySlice<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for byte in body {
            if (previous == 0xFC || previous == 0xFD) && byte >= 0x80 { return true }
            previous = byte
        }
        return false
    }

    /// Offset (in the module) of the first instruction WasmParser rejects, if it is a prefixed
    /// one with a multi-byte sub-opcode.
    private static func firstRejectedPrefix(in code: Code, bytes: [UInt8]) -> Int? {
        guard let start = firstUndecodableInstruction(in: code), start + 1 < bytes.count,
            bytes[start] == 0xFC || bytes[start] == 0xFD, bytes[start + 1] >= 0x80
        else { return nil }
        return start
    }

    /// Offset in the module of the first instruction of `code` WasmParser cannot decode, if any.
    /// None when the body merely runs out before its final `end`: no instruction starts there,
    /// and the decoder reports the truncated body itself.
    static func firstUndecodableInstruction(in code: Code) -> Int? {
        var parser = ExpressionParser(code: code)
        while true {
            let start = parser.offset
            do {
                guard try parser.parse() != nil else { return nil }
            } catch {
                return start < code.expression.endIndex ? start : nil
            }
        }
    }

    /// Replaces `prefix leb` by `nop... prefix minimal-leb` of the same length.
    private static func rewrite(_ bytes: inout [UInt8], prefixAt start: Int) -> Bool {
        var value: UInt64 = 0
        var length = 0
        while length < 5, start + 1 + length < bytes.count {
            let byte = bytes[start + 1 + length]
            value |= UInt64(byte & 0x7F) << (7 * UInt64(length))
            length += 1
            if byte & 0x80 == 0 { break }
        }
        guard length > 0, bytes[start + length] & 0x80 == 0, value <= UInt64(UInt32.max) else { return false }
        var minimal: [UInt8] = []
        var rest = value
        repeat {
            let byte = UInt8(rest & 0x7F)
            rest >>= 7
            minimal.append(rest == 0 ? byte : byte | 0x80)
        } while rest != 0
        guard minimal.count < length else { return false }
        let padding = length - minimal.count
        let prefix = bytes[start]
        bytes.replaceSubrange(start..<(start + 1 + length), with: Array(repeating: 0x01, count: padding) + [prefix] + minimal)
        return true
    }
}
