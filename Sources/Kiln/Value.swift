import KilnRuntimeC

/// The type of a WebAssembly value, as the runtime names it.
public enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case i32, i64, f32, f64, v128, funcRef, externRef, exnRef

    public var description: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .funcRef: "funcref"
        case .externRef: "externref"
        case .exnRef: "exnref"
        }
    }
}

/// A typed WebAssembly value.
///
/// Floats are carried as Swift `Float`/`Double`. Moving a float around (enum payloads, arrays,
/// the C `kiln_val` union) never does arithmetic on it, so NaN payloads and signalling NaNs come
/// through bit for bit; use `.f32(bits:)` / `f32Bits` when the exact pattern matters, and note that
/// `==` compares bit patterns (so a NaN equals itself, and `0.0 != -0.0`).
public enum Value {
    case i32(Int32)
    case i64(Int64)
    case f32(Float)
    case f64(Double)
    /// 16 bytes in memory order (lane 0 first, little-endian lanes).
    case v128(SIMD16<UInt8>)
    /// A function reference; nil is `ref.null func`.
    case funcRef(Function?)
    /// A host pointer that Wasm only passes around; nil is `ref.null extern`.
    case externRef(UnsafeMutableRawPointer?)
    /// A caught exception (opaque; valid while the instance that caught it lives); nil is
    /// `ref.null exn`.
    case exnRef(OpaquePointer?)

    public static func f32(bits: UInt32) -> Value { .f32(Float(bitPattern: bits)) }
    public static func f64(bits: UInt64) -> Value { .f64(Double(bitPattern: bits)) }

    public var type: ValueType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .v128: .v128
        case .funcRef: .funcRef
        case .externRef: .externRef
        case .exnRef: .exnRef
        }
    }

    /// The raw bits of an f32 value, nil for any other kind.
    public var f32Bits: UInt32? { if case .f32(let v) = self { v.bitPattern } else { nil } }
    /// The raw bits of an f64 value, nil for any other kind.
    public var f64Bits: UInt64? { if case .f64(let v) = self { v.bitPattern } else { nil } }
}

extension Value: Equatable {
    /// Bit-exact equality: the comparison a test of Wasm semantics wants.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.i32(let a), .i32(let b)): a == b
        case (.i64(let a), .i64(let b)): a == b
        case (.f32(let a), .f32(let b)): a.bitPattern == b.bitPattern
        case (.f64(let a), .f64(let b)): a.bitPattern == b.bitPattern
        case (.v128(let a), .v128(let b)): a == b
        case (.funcRef(let a), .funcRef(let b)): a?.raw == b?.raw
        case (.externRef(let a), .externRef(let b)): a == b
        case (.exnRef(let a), .exnRef(let b)): a == b
        default: false
        }
    }
}

extension Value: CustomStringConvertible {
    /// The value in WebAssembly text notation, e.g. `i32.const 7`, `f32.const nan:0x200000`.
    public var description: String {
        switch self {
        case .i32(let v): "i32.const \(v)"
        case .i64(let v): "i64.const \(v)"
        case .f32(let v): "f32.const \(FloatText.describe(v))"
        case .f64(let v): "f64.const \(FloatText.describe(v))"
        case .v128(let v):
            "v128.const i32x4 " + (0..<4).map { lane in
                let word = (0..<4).reduce(UInt32(0)) { $0 | UInt32(v[lane * 4 + $1]) << (8 * $1) }
                return "0x" + String(word, radix: 16)
            }.joined(separator: " ")
        case .funcRef(let f): f == nil ? "ref.null func" : "ref.func"
        case .externRef(let p): p.map { "ref.extern \(UInt(bitPattern: $0))" } ?? "ref.null extern"
        case .exnRef(let p): p == nil ? "ref.null exn" : "ref.exn"
        }
    }
}

/// Text for floats that keeps NaN payloads visible (Swift prints every NaN as "nan").
public enum FloatText {
    public static func describe<F: BinaryFloatingPoint>(_ v: F) -> String where F.RawSignificand: FixedWidthInteger {
        guard v.isNaN else { return "\(v)" }
        let sign = v.sign == .minus ? "-" : ""
        return "\(sign)nan:0x\(String(v.significandBitPattern, radix: 16))"
    }
}
