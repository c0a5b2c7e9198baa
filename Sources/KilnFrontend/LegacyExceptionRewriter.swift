import WasmParser

/// Gives the legacy exception instructions, which WasmParser cannot decode, placeholders of the
/// same length that it can, and records in `WasmModule.legacyOpcodes` which is which:
///
///     try bt      -> block bt     (0x06 -> 0x02)
///     catch x     -> br x         (0x07 -> 0x0C)
///     delegate l  -> br l         (0x18 -> 0x0C)
///     rethrow l   -> br l         (0x09 -> 0x0C)
///     catch_all   -> nop          (0x19 -> 0x01)
///
/// No size or offset in the module changes, and the visit methods of the placeholders consult
/// the record before anything else, so the validator and the lowering see the real instructions.
///
/// Like PrefixedOpcodeCanonicalizer it works in rounds, each fixing the first instruction
/// WasmParser rejects in each body and decoding the module again, so its cost grows with the
/// number of legacy instructions in the largest body. It only runs when the legacy feature is on.
enum LegacyExceptionRewriter {
    static func rewrite(_ module: WasmModule) throws(WasmError) -> WasmModule {
        var current = module
        var found: [Int: UInt8] = [:]
        while true {
            var bytes = current.binary
            var changed = false
            for code in current.codes {
                guard let site = PrefixedOpcodeCanonicalizer.firstUndecodableInstruction(in: code),
                    let placeholder = placeholder(for: bytes[site])
                else { continue }
                found[site] = bytes[site]
                bytes[site] = placeholder
                changed = true
            }
            guard changed else { break }
            let features = current.features
            current = try ModuleDecoder.decodeStructure(bytes, features: features)
        }
        current.legacyOpcodes = found
        return current
    }

    private static func placeholder(for opcode: UInt8) -> UInt8? {
        switch opcode {
        case LegacyExceptionOpcode.try: 0x02
        case LegacyExceptionOpcode.catch, LegacyExceptionOpcode.delegate, LegacyExceptionOpcode.rethrow: 0x0C
        case LegacyExceptionOpcode.catchAll: 0x01
        default: nil
        }
    }
}
