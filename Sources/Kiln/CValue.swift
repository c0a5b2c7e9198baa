import KilnRuntimeC

// Conversions between `Value` and the C runtime's `kiln_val`. Kept in one place so the union's
// layout is only touched here.

extension ValueType {
    init?(_ kind: kiln_valkind) {
        switch kind {
        case KILN_I32: self = .i32
        case KILN_I64: self = .i64
        case KILN_F32: self = .f32
        case KILN_F64: self = .f64
        case KILN_V128: self = .v128
        case KILN_FUNCREF: self = .funcRef
        case KILN_EXTERNREF: self = .externRef
        case KILN_EXNREF: self = .exnRef
        default: return nil
        }
    }

    var cKind: kiln_valkind {
        switch self {
        case .i32: KILN_I32
        case .i64: KILN_I64
        case .f32: KILN_F32
        case .f64: KILN_F64
        case .v128: KILN_V128
        case .funcRef: KILN_FUNCREF
        case .externRef: KILN_EXTERNREF
        case .exnRef: KILN_EXNREF
        }
    }
}

extension Value {
    /// Reads a value the runtime produced. `owner` keeps the instance that a function reference
    /// points into alive for as long as the `Function` is held.
    init(_ c: kiln_val, owner: AnyObject?) {
        switch c.kind {
        case KILN_I32: self = .i32(c.of.i32)
        case KILN_I64: self = .i64(c.of.i64)
        case KILN_F32: self = .f32(c.of.f32)
        case KILN_F64: self = .f64(c.of.f64)
        case KILN_V128:
            var bytes = SIMD16<UInt8>()
            withUnsafeBytes(of: c.of.v128) { raw in for i in 0..<16 { bytes[i] = raw[i] } }
            self = .v128(bytes)
        case KILN_FUNCREF:
            self = .funcRef(c.of.ref.map { Function(raw: $0.assumingMemoryBound(to: kiln_func.self), owner: owner) })
        case KILN_EXNREF:
            self = .exnRef(c.of.ref.map { OpaquePointer($0) })
        default:
            // KILN_EXTERNREF; an unknown kind cannot come from a runtime built against this header.
            self = .externRef(c.of.ref)
        }
    }

    var cValue: kiln_val {
        var c = kiln_val()
        c.kind = type.cKind
        switch self {
        case .i32(let v): c.of.i32 = v
        case .i64(let v): c.of.i64 = v
        case .f32(let v): c.of.f32 = v
        case .f64(let v): c.of.f64 = v
        case .v128(let v):
            withUnsafeMutableBytes(of: &c.of.v128) { raw in for i in 0..<16 { raw[i] = v[i] } }
        case .funcRef(let f): c.of.ref = f.map { UnsafeMutableRawPointer($0.raw) }
        case .externRef(let p): c.of.ref = p
        case .exnRef(let p): c.of.ref = p.map { UnsafeMutableRawPointer($0) }
        }
        return c
    }
}
