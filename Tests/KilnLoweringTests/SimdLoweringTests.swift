import CLLVM
import Testing
import WasmParser
@testable import KilnLowering

/// SIMD cases beyond the single-instruction spec functions.
@Suite struct SimdLoweringTests {
    /// f32x4.mul by a constant splat of 1.0 folds to the operand in LLVM; the signalling NaN lanes
    /// must still come out quiet (the vector form of float_exprs.wast's no_fold_mul_one).
    @Test func identityFoldsQuietSignallingNaNLanes() throws {
        let signalling: UInt64 = 0x7fa0_0000, three: UInt64 = 0x4040_0000
        let input = Bits(low: signalling | three << 32, high: signalling << 32 | three)
        let oneBytes: [UInt8] = Array(repeating: [0x00, 0x00, 0x80, 0x3f], count: 4).flatMap { $0 }
        let expected = Expectation.lanes(Bits(low: three << 32, high: three), laneWidth: 32, nanLanes: [true, false, false, true])
        let outcomes = try LoweringJIT.run([
            LoweringJIT.Case(params: [.v128], result: .v128, inputs: [[input]]) { lowering, operands in
                lowering.simd(.f32x4Mul, [operands[0], lowering.v128Const(oneBytes)])
            },
        ])
        for outcome in outcomes[0][0] {
            #expect(expected.matches(outcome), "f32x4.mul(x, 1.0) gave \(outcome)")
        }
    }

    /// The helpers the memory lowering uses for lane loads and stores.
    @Test func laneHelpers() throws {
        let vector = Bits(low: 0x8070_6050_4030_2010, high: 0xf0e0_d0c0_b0a0_9080)
        try verify([
            LoweringCheck("extract i8 lane 7 signed", [.v128], .i32, inputs: [[vector]], expectations: [.value(0xffff_ff80)]) {
                $0.extractLane($1[0], .i8x16, lane: 7, signed: true)
            },
            LoweringCheck("extract i16 lane 7 unsigned", [.v128], .i32, inputs: [[vector]], expectations: [.value(0xf0e0)]) {
                $0.extractLane($1[0], .i16x8, lane: 7)
            },
            LoweringCheck("replace i8 lane 15", [.v128, .i32], .v128, inputs: [[vector, Bits(low: 0x1234)]],
                          expectations: [.bits(Bits(low: vector.low, high: 0x34e0_d0c0_b0a0_9080))]) {
                $0.replaceLane($1[0], .i8x16, lane: 15, $1[1])
            },
            LoweringCheck("splat i16", [.i32], .v128, inputs: [[Bits(low: 0xabcd_1234)]],
                          expectations: [.bits(Bits(low: 0x1234_1234_1234_1234, high: 0x1234_1234_1234_1234))]) {
                $0.splat($1[0], as: .i16x8)
            },
        ])
    }

    @Test func operandCounts() {
        #expect(NumericLowering.simdOperandCount(.v128Bitselect) == 3)
        #expect(NumericLowering.simdOperandCount(.i32x4Shl) == 2)
        #expect(NumericLowering.simdOperandCount(.f64x2Splat) == 1)
        #expect(NumericLowering.simdOperandCount(.i8x16Bitmask) == 1)
        #expect(NumericLowering.simdOperandCount(.i8x16Swizzle) == 2)
    }
}
