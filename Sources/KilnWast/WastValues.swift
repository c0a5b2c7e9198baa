import Kiln
import WAT
// Scoped: WasmTypes has its own `Value`.
import enum WasmTypes.HeapType
import struct WasmTypes.V128

/// Converting script constants to Kiln values, and checking results against expectations.
enum WastValues {
    /// `ref.extern N` in a script becomes this host pointer: non-null (N may be 0), distinct per N,
    /// and easy to map back when describing a result. The runtime never dereferences it.
    static func externPointer(_ n: UInt32) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(n) + 1)!
    }

    static func argument(_ constant: WASTConstValue) throws(WastCheckFailure) -> Value {
        switch constant {
        case .i32(let bits): return .i32(Int32(bitPattern: bits))
        case .i64(let bits): return .i64(Int64(bitPattern: bits))
        case .f32(let bits): return .f32(bits: bits)
        case .f64(let bits): return .f64(bits: bits)
        case .v128(let v): return .v128(simd(v.bytes))
        case .refNull(let heap):
            if isExternHeap(heap) { return .externRef(nil) }
            return isExceptionHeap(heap) ? .exnRef(nil) : .funcRef(nil)
        case .refExtern(let n): return .externRef(externPointer(n))
        case .refFunc, .refHost:
            throw WastCheckFailure("argument \(constant) is not supported by this runner")
        }
    }

    static func simd(_ bytes: [UInt8]) -> SIMD16<UInt8> {
        var v = SIMD16<UInt8>()
        for (i, b) in bytes.prefix(16).enumerated() { v[i] = b }
        return v
    }

    private static func isExternHeap(_ heap: HeapType) -> Bool {
        heap == .abstract(.externRef) || heap == .abstract(.noExtern)
    }

    private static func isExceptionHeap(_ heap: HeapType) -> Bool {
        heap == .abstract(.exnRef) || heap == .abstract(.noExn)
    }

    private static func isFuncHeap(_ heap: HeapType) -> Bool {
        switch heap {
        case .abstract(.funcRef), .abstract(.noFunc), .concrete: true
        default: false
        }
    }

    // MARK: Matching

    static func matches(_ actual: [Value], _ expected: [WASTExpectValue]) -> Bool {
        actual.count == expected.count && zip(actual, expected).allSatisfy { matches($0, $1) }
    }

    /// Bit-exact comparison, except where the script asks for a class of NaNs.
    static func matches(_ actual: Value, _ expected: WASTExpectValue) -> Bool {
        switch (actual, expected) {
        case (.i32(let a), .i32(let e)): return UInt32(bitPattern: a) == e
        case (.i64(let a), .i64(let e)): return UInt64(bitPattern: a) == e
        case (.f32(let a), .f32(let e)): return a.bitPattern == e
        case (.f64(let a), .f64(let e)): return a.bitPattern == e
        case (.f32(let a), .f32CanonicalNaN): return NaNClass.isCanonical32(a.bitPattern)
        case (.f32(let a), .f32ArithmeticNaN): return NaNClass.isArithmetic32(a.bitPattern)
        case (.f64(let a), .f64CanonicalNaN): return NaNClass.isCanonical64(a.bitPattern)
        case (.f64(let a), .f64ArithmeticNaN): return NaNClass.isArithmetic64(a.bitPattern)
        case (.v128(let a), .v128(let e)): return a == simd(e.bytes)
        case (.v128(let a), .v128Pattern(let pattern)): return matchesLanes(a, pattern)
        case (.funcRef(let f), .refNull(let heap)): return f == nil && (heap.map(isFuncHeap) ?? true)
        case (.externRef(let p), .refNull(let heap)): return p == nil && (heap.map(isExternHeap) ?? true)
        case (.exnRef(let p), .refNull(let heap)): return p == nil && (heap.map(isExceptionHeap) ?? true)
        // The runtime cannot say which index a function reference came from: any non-null will do.
        case (.funcRef(let f), .refFunc): return f != nil
        case (.externRef(let p), .refExtern(let n)): return p != nil && (n.map { externPointer($0) == p } ?? true)
        case (_, .either(let candidates)): return candidates.contains { matches(actual, $0) }
        default: return false
        }
    }

    /// A v128 expectation with NaN lanes. The parser keeps only which lanes expect "a NaN", not
    /// whether canonical or arithmetic, so those lanes are held to the weaker rule (arithmetic,
    /// which every canonical NaN also satisfies); every other lane must match bit for bit.
    private static func matchesLanes(_ actual: SIMD16<UInt8>, _ pattern: V128Expectation) -> Bool {
        let expected = simd(pattern.bytes)
        guard let shape = pattern.shape else { return actual == expected }
        let laneBytes = shape == .f32x4 ? 4 : 8
        for lane in 0..<(16 / laneBytes) {
            let range = lane * laneBytes..<(lane + 1) * laneBytes
            if pattern.nanLaneMask & (1 << lane) != 0 {
                let bits = littleEndian(actual, range)
                let isNaN = laneBytes == 4 ? NaNClass.isArithmetic32(UInt32(bits)) : NaNClass.isArithmetic64(bits)
                if !isNaN { return false }
            } else if range.contains(where: { actual[$0] != expected[$0] }) {
                return false
            }
        }
        return true
    }

    private static func littleEndian(_ v: SIMD16<UInt8>, _ range: Range<Int>) -> UInt64 {
        range.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(v[$1]) }
    }

    // MARK: Describing

    static func describe(_ values: [Value]) -> String {
        "(" + values.map(describe).joined(separator: ") (") + ")"
    }

    static func describe(_ value: Value) -> String {
        if case .externRef(let p?) = value, UInt(bitPattern: p) >= 1 {
            return "ref.extern \(UInt(bitPattern: p) - 1)"
        }
        return value.description
    }

    static func describe(_ expected: [WASTExpectValue]) -> String {
        "(" + expected.map(describe).joined(separator: ") (") + ")"
    }

    static func describe(_ expected: WASTExpectValue) -> String {
        switch expected {
        case .i32(let bits): "i32.const \(Int32(bitPattern: bits))"
        case .i64(let bits): "i64.const \(Int64(bitPattern: bits))"
        case .f32(let bits): "f32.const \(FloatText.describe(Float(bitPattern: bits)))"
        case .f64(let bits): "f64.const \(FloatText.describe(Double(bitPattern: bits)))"
        case .f32CanonicalNaN: "f32.const nan:canonical"
        case .f32ArithmeticNaN: "f32.const nan:arithmetic"
        case .f64CanonicalNaN: "f64.const nan:canonical"
        case .f64ArithmeticNaN: "f64.const nan:arithmetic"
        case .v128(let v): Value.v128(simd(v.bytes)).description
        case .v128Pattern(let p):
            Value.v128(simd(p.bytes)).description + (p.nanLaneMask != 0 ? " (NaN lanes 0b\(String(p.nanLaneMask, radix: 2)))" : "")
        case .refNull(let heap): "ref.null" + (heap.map { isExternHeap($0) ? " extern" : " func" } ?? "")
        case .refFunc(let index): "ref.func" + (index.map { " \($0)" } ?? "")
        case .refExtern(let n): "ref.extern" + (n.map { " \($0)" } ?? "")
        case .either(let candidates): "either " + describe(candidates)
        default: "\(expected)"
        }
    }
}

/// The spec's NaN classes: canonical (only the quiet bit of the payload set, either sign) and
/// arithmetic (quiet bit set, any other payload).
enum NaNClass {
    static func isCanonical32(_ bits: UInt32) -> Bool { bits & 0x7FFF_FFFF == 0x7FC0_0000 }
    static func isArithmetic32(_ bits: UInt32) -> Bool { bits & 0x7FC0_0000 == 0x7FC0_0000 }
    static func isCanonical64(_ bits: UInt64) -> Bool { bits & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000 }
    static func isArithmetic64(_ bits: UInt64) -> Bool { bits & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000 }
}

/// Why a directive did not hold; becomes one failure line.
struct WastCheckFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
