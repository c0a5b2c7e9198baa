import Kiln

/// Command-line text <-> Wasm values for `kiln run`.
enum ValueText {
    /// Parses `text` as a value of `type`. Integers are decimal (signed or unsigned, wrapping to
    /// the bit width) or 0x hex; floats are decimal, `inf`, `nan`, a hex float (`0x1.8p3`), a
    /// bit pattern (`0x7fc00000`: hex digits only) or `nan:0x…` with an explicit payload.
    static func parse(_ text: String, as type: ValueType) throws(InputError) -> Value {
        let value: Value? = switch type {
        case .i32: integer(text, bits: 32).map { .i32(Int32(truncatingIfNeeded: $0)) }
        case .i64: integer(text, bits: 64).map { .i64(Int64(truncatingIfNeeded: $0)) }
        case .f32: float32(text)
        case .f64: float64(text)
        case .funcRef: text == "null" ? .funcRef(nil) : nil
        case .externRef: text == "null" ? .externRef(nil) : nil
        case .exnRef: text == "null" ? .exnRef(nil) : nil
        case .v128: nil
        }
        guard let value else {
            throw InputError("cannot read '\(text)' as \(type)" + (type == .v128 ? " (v128 arguments are not supported)" : ""))
        }
        return value
    }

    /// The value as `kiln run` prints it: just the number (or reference), one per line.
    static func format(_ value: Value) -> String {
        switch value {
        case .i32(let v): "\(v)"
        case .i64(let v): "\(v)"
        case .f32(let v): FloatText.describe(v)
        case .f64(let v): FloatText.describe(v)
        case .v128: String(value.description.dropFirst("v128.const ".count))
        case .funcRef(let f): f == nil ? "null" : "funcref"
        case .externRef(let p): p.map { "externref 0x" + String(UInt(bitPattern: $0), radix: 16) } ?? "null"
        case .exnRef(let p): p == nil ? "null" : "exnref"
        }
    }

    private static func integer(_ text: String, bits: Int) -> UInt64? {
        let negative = text.hasPrefix("-")
        let unsigned = negative || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        let magnitude: UInt64? =
            unsigned.lowercased().hasPrefix("0x") ? UInt64(unsigned.dropFirst(2), radix: 16) : UInt64(unsigned)
        guard let magnitude else { return nil }
        // Accept -2^(n-1) ... 2^n - 1: every n-bit pattern, written signed or unsigned.
        let limit: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        if negative {
            guard magnitude <= (limit >> 1) + 1 else { return nil }
            return 0 &- magnitude
        }
        return magnitude <= limit ? magnitude : nil
    }

    private static func float32(_ text: String) -> Value? {
        if let bits = bitPattern(text, digits: 8) { return .f32(bits: UInt32(bits)) }
        if let (negative, payload) = nanPayload(text), payload != 0, payload < 1 << 23 {
            return .f32(bits: (negative ? 0x8000_0000 : 0) | 0x7F80_0000 | UInt32(payload))
        }
        return Float(text).map { .f32($0) }
    }

    private static func float64(_ text: String) -> Value? {
        if let bits = bitPattern(text, digits: 16) { return .f64(bits: bits) }
        if let (negative, payload) = nanPayload(text), payload != 0, payload < 1 << 52 {
            return .f64(bits: (negative ? 1 << 63 : 0) | 0x7FF0_0000_0000_0000 | payload)
        }
        return Double(text).map { .f64($0) }
    }

    /// `0x` followed by hex digits only (no '.' or 'p', which would make it a hex float).
    private static func bitPattern(_ text: String, digits: Int) -> UInt64? {
        guard text.lowercased().hasPrefix("0x") else { return nil }
        let hex = text.dropFirst(2)
        guard !hex.isEmpty, hex.count <= digits, hex.allSatisfy(\.isHexDigit) else { return nil }
        return UInt64(hex, radix: 16)
    }

    /// `nan:0x…` / `-nan:0x…`, the notation `format` prints for NaNs with a payload.
    private static func nanPayload(_ text: String) -> (negative: Bool, payload: UInt64)? {
        let negative = text.hasPrefix("-")
        let rest = negative || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard rest.hasPrefix("nan:0x"), let payload = UInt64(rest.dropFirst(6), radix: 16) else { return nil }
        return (negative, payload)
    }
}
