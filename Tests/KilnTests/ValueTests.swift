import KilnRuntimeC
import Testing
@testable import Kiln

/// Values through the C representation: nothing here needs the compiler.
@Suite struct ValueTests {
    @Test(arguments: [UInt32(0x7FA0_0001), 0xFFC0_0000, 0x7F80_0001, 0x8000_0000, 0x0000_0001])
    func f32BitPatternsSurviveTheCRoundTrip(_ bits: UInt32) {
        let back = Value(Value.f32(bits: bits).cValue, owner: nil)
        #expect(back.f32Bits == bits)
    }

    @Test(arguments: [UInt64(0x7FF4_0000_0000_0001), 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0001])
    func f64BitPatternsSurviveTheCRoundTrip(_ bits: UInt64) {
        let back = Value(Value.f64(bits: bits).cValue, owner: nil)
        #expect(back.f64Bits == bits)
    }

    @Test func everyKindRoundTrips() {
        var lanes = SIMD16<UInt8>()
        for i in 0..<16 { lanes[i] = UInt8(i * 17) }
        let host = UnsafeMutableRawPointer(bitPattern: 0x1234)!
        let values: [Value] = [.i32(-7), .i64(.min), .f32(1.5), .f64(-0.0), .v128(lanes), .funcRef(nil), .externRef(host), .externRef(nil)]
        for value in values {
            #expect(Value(value.cValue, owner: nil) == value)
            #expect(ValueType(value.cValue.kind) == value.type)
        }
    }

    @Test func equalityIsBitwise() {
        #expect(Value.f32(.nan) == Value.f32(.nan))
        #expect(Value.f32(bits: 0x7FC0_0000) != Value.f32(bits: 0x7FC0_0001))
        #expect(Value.f64(0.0) != Value.f64(-0.0))
        #expect(Value.i32(1) != Value.i64(1))
    }

    @Test func descriptionsUseTextFormat() {
        #expect(Value.i32(-1).description == "i32.const -1")
        #expect(Value.f32(bits: 0x7FA0_0000).description == "f32.const nan:0x200000")
        #expect(Value.f64(bits: 0xFFF8_0000_0000_0000).description == "f64.const -nan:0x8000000000000")
        #expect(Value.funcRef(nil).description == "ref.null func")
    }
}
