import Kiln
import KilnWast
import Testing
import WAT
@testable import KilnWast

/// The runner's own logic, without compiling anything.
@Suite struct RunnerLogicTests {
    private func run(_ source: String) -> (passed: Int, failures: [(line: Int, message: String)]) {
        var passed = 0
        var failures: [(Int, String)] = []
        WastScriptRunner { event in
            switch event {
            case .started: break
            case .passed: passed += 1
            case .failed(let line, let message): failures.append((line, message))
            }
        }.run(source: source)
        return (passed, failures)
    }

    @Test func textTheParserRejectsCountsAsRejected() {
        let result = run("""
            (assert_malformed (module quote "(func") "unexpected end")
            (assert_malformed (module quote "(module (func (i32.const)))") "unexpected token")
            (assert_invalid (module (func (i32.const))) "type mismatch")
            """)
        #expect(result.passed == 3)
        #expect(result.failures.isEmpty)
    }

    @Test func anUnparsableDirectiveIsOneFailureAndTheScriptGoesOn() {
        let result = run("""
            (module (func (i32.const)))
            (assert_malformed (module quote "(func") "unexpected end")
            (invoke "f")
            """)
        #expect(result.passed == 1)
        // The broken module, then the invoke that had no module to act on.
        #expect(result.failures.map(\.line) == [1, 3])
        #expect(result.failures.last?.message.contains("no module") == true)
    }

    @Test func unsupportedDirectivesFailRatherThanPass() {
        let result = run(#"(assert_exception (invoke "f"))"#)
        #expect(result.passed == 0)
        #expect(result.failures.count == 1)
    }

    @Test func trapMessagesMatchByContainment() {
        #expect(WastScriptRunner.trapMessage("integer overflow", matches: "integer overflow"))
        #expect(WastScriptRunner.trapMessage("uninitialized element", matches: "uninitialized element 2"))
        #expect(WastScriptRunner.trapMessage("out of bounds memory access (at 0x10000)", matches: "out of bounds memory access"))
        #expect(!WastScriptRunner.trapMessage("unreachable", matches: "integer overflow"))
        #expect(!WastScriptRunner.trapMessage("", matches: "unreachable"))
    }

    @Test func nanClasses() {
        #expect(NaNClass.isCanonical32(0x7FC0_0000))
        #expect(NaNClass.isCanonical32(0xFFC0_0000))
        #expect(!NaNClass.isCanonical32(0x7FC0_0001))
        #expect(NaNClass.isArithmetic32(0x7FC0_0001))
        #expect(!NaNClass.isArithmetic32(0x7FA0_0000))  // signalling
        #expect(!NaNClass.isArithmetic32(0x7F80_0000))  // infinity
        #expect(NaNClass.isCanonical64(0x7FF8_0000_0000_0000))
        #expect(!NaNClass.isCanonical64(0x7FF8_0000_0000_0001))
        #expect(NaNClass.isArithmetic64(0xFFF8_0000_0000_0001))
        #expect(!NaNClass.isArithmetic64(0x7FF4_0000_0000_0000))
    }

    @Test func scalarsCompareBitForBit() {
        #expect(WastValues.matches(.f32(bits: 0x7FA0_0000), .f32(0x7FA0_0000)))
        #expect(!WastValues.matches(.f32(bits: 0x7FC0_0000), .f32(0x7FA0_0000)))
        #expect(!WastValues.matches(.f64(-0.0), .f64(0)))
        #expect(WastValues.matches(.i32(-1), .i32(0xFFFF_FFFF)))
        #expect(!WastValues.matches(.i64(1), .i32(1)))
        #expect(WastValues.matches(.f32(bits: 0xFFC0_0000), .f32CanonicalNaN))
        #expect(!WastValues.matches(.f32(bits: 0x7FC0_0001), .f32CanonicalNaN))
        #expect(WastValues.matches([.i32(1), .i64(2)], [.i32(1), .i64(2)]))
        #expect(!WastValues.matches([.i32(1)], [.i32(1), .i64(2)]))
    }

    @Test func referencesMatchByKindAndHostValue() {
        #expect(WastValues.matches(.externRef(nil), .refNull(.abstract(.externRef))))
        #expect(!WastValues.matches(.funcRef(nil), .refNull(.abstract(.externRef))))
        #expect(WastValues.matches(.funcRef(nil), .refNull(nil)))
        #expect(WastValues.matches(.externRef(WastValues.externPointer(0)), .refExtern(value: 0)))
        #expect(!WastValues.matches(.externRef(WastValues.externPointer(1)), .refExtern(value: 0)))
        #expect(WastValues.matches(.externRef(WastValues.externPointer(5)), .refExtern(value: nil)))
        #expect(!WastValues.matches(.externRef(nil), .refExtern(value: nil)))
    }

    @Test func vectorLanesWithNaNPatterns() {
        // f32x4: lane 0 any NaN, lane 1 exactly 1.0, lanes 2 and 3 zero.
        let expected = V128Expectation(
            shape: .f32x4,
            bytes: [0, 0, 0xC0, 0x7F, 0, 0, 0x80, 0x3F] + [UInt8](repeating: 0, count: 8),
            nanLaneMask: 0b0001)
        var actual = SIMD16<UInt8>()
        actual[0] = 0x01; actual[2] = 0xC0; actual[3] = 0xFF  // -nan:0x400001
        actual[6] = 0x80; actual[7] = 0x3F
        #expect(WastValues.matches(.v128(actual), .v128Pattern(expected)))
        actual[8] = 1
        #expect(!WastValues.matches(.v128(actual), .v128Pattern(expected)))
    }

    @Test func externReferencesDescribeAsTheScriptWroteThem() {
        #expect(WastValues.describe(.externRef(WastValues.externPointer(3))) == "ref.extern 3")
        #expect(WastValues.describe([.i32(1), .f32(bits: 0x7FA0_0000)]) == "(i32.const 1) (f32.const nan:0x200000)")
    }
}
