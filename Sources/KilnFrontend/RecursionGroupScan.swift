/// Whether a module's type section has a `rec` group (0x4E), read before decoding.
///
/// Recursion groups come with GC, and WasmParser reads them only with its GC switch on, which also
/// changes how it reads and words other malformed type definitions. Kiln compiles groups of
/// function types without GC (TypeCanonicalization gives them their 3.0 equivalence), so only a
/// module that has one is decoded with that switch; every other module decodes exactly as before.
/// The scan stops at the first entry that is neither a function type nor a group: the decoder
/// reports what is wrong there.
enum RecursionGroupScan {
    static func hasRecursionGroup(_ bytes: [UInt8], typeSection: SectionScanner.Section) -> Bool {
        var position = typeSection.contentStart
        let end = min(typeSection.end, bytes.count)
        func byte() -> UInt8? {
            guard position < end else { return nil }
            defer { position += 1 }
            return bytes[position]
        }
        func leb() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let next = byte() {
                if shift < 64 { value |= UInt64(next & 0x7F) << shift }
                if next & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        func skipValueTypes() -> Bool {
            guard let count = leb() else { return false }
            for _ in 0..<count {
                guard let type = byte() else { return false }
                // (ref null ht) and (ref ht) carry a heap type, a signed LEB128.
                if type == 0x63 || type == 0x64, leb() == nil { return false }
            }
            return true
        }
        guard let count = leb() else { return false }
        for _ in 0..<count {
            switch byte() {
            case 0x4E: return true
            case 0x60: if !skipValueTypes() || !skipValueTypes() { return false }
            default: return false
            }
        }
        return false
    }
}
