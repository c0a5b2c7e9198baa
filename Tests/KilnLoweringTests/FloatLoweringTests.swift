import CLLVM
import KilnRuntimeC
import Testing
import WasmParser
@testable import KilnLowering

/// Float cases the single-instruction spec functions cannot reach: a constant operand inside the
/// function (float_exprs.wast's no_fold_* tests), where LLVM's identity folds would otherwise
/// return a signalling NaN unquieted.
@Suite struct FloatLoweringTests {
    static let signallingNaN32: UInt64 = 0x7fa0_0000
    static let signallingNaN64: UInt64 = 0x7ff4_0000_0000_0000

    static func withConstant(_ name: String, _ type: OperandType, _ op: Instruction.Binary, constantBits: UInt64, constantFirst: Bool = false,
                             _ rows: [(UInt64, Expectation)]) -> LoweringCheck {
        LoweringCheck(name, [type], type, rows.map { ([$0.0], $0.1) }) { lowering, operands in
            let constant = LoweringJIT.constant(lowering.ir, type, Bits(low: constantBits))
            return constantFirst ? lowering.binary(op, constant, operands[0]) : lowering.binary(op, operands[0], constant)
        }
    }

    @Test func identityFoldsQuietSignallingNaNs() throws {
        let nan32 = Expectation.arithmeticNaN(width: 32), nan64 = Expectation.arithmeticNaN(width: 64)
        let one32: UInt64 = 0x3f80_0000, minusOne32: UInt64 = 0xbf80_0000, minusZero32: UInt64 = 0x8000_0000
        let one64: UInt64 = 0x3ff0_0000_0000_0000, minusZero64: UInt64 = 0x8000_0000_0000_0000
        let s32 = Self.signallingNaN32, s64 = Self.signallingNaN64
        try verify([
            Self.withConstant("f32.mul x 1", .f32, .f32Mul, constantBits: one32, [(s32, nan32), (0x4040_0000, .value(0x4040_0000))]),
            Self.withConstant("f32.mul x -1", .f32, .f32Mul, constantBits: minusOne32, [(s32, nan32), (0x4040_0000, .value(0xc040_0000))]),
            Self.withConstant("f32.div x 1", .f32, .f32Div, constantBits: one32, [(s32, nan32)]),
            Self.withConstant("f32.div x -1", .f32, .f32Div, constantBits: minusOne32, [(s32, nan32)]),
            Self.withConstant("f32.sub x 0", .f32, .f32Sub, constantBits: 0, [(s32, nan32), (0x8000_0000, .value(0x8000_0000))]),
            Self.withConstant("f32.sub -0 x", .f32, .f32Sub, constantBits: minusZero32, constantFirst: true, [(s32, nan32), (0, .value(0x8000_0000))]),
            Self.withConstant("f32.add x -0", .f32, .f32Add, constantBits: minusZero32, [(s32, nan32)]),
            Self.withConstant("f32.add x 0", .f32, .f32Add, constantBits: 0, [(s32, nan32), (0x8000_0000, .value(0))]),
            Self.withConstant("f64.mul x 1", .f64, .f64Mul, constantBits: one64, [(s64, nan64)]),
            Self.withConstant("f64.mul 1 x", .f64, .f64Mul, constantBits: one64, constantFirst: true, [(s64, nan64)]),
            Self.withConstant("f64.div x 1", .f64, .f64Div, constantBits: one64, [(s64, nan64)]),
            Self.withConstant("f64.sub x 0", .f64, .f64Sub, constantBits: 0, [(s64, nan64)]),
            Self.withConstant("f64.add x -0", .f64, .f64Add, constantBits: minusZero64, [(s64, nan64)]),
            LoweringCheck("demote(promote x)", [.f32], .f32, [([s32], nan32), ([0x3f80_0001], .value(0x3f80_0001))]) { lowering, operands in
                lowering.convert(.f32DemoteF64, lowering.convert(.f64PromoteF32, operands[0]))
            },
        ])
    }

    @Test func bitwiseOperationsKeepNaNPayloads() throws {
        try verify([
            LoweringCheck("f32.abs", [.f32], .f32, [([0xffa0_0001], .value(0x7fa0_0001)), ([0x8000_0000], .value(0))]) { $0.unary(.f32Abs, $1[0]) },
            LoweringCheck("f32.neg", [.f32], .f32, [([0x7fa0_0001], .value(0xffa0_0001)), ([0], .value(0x8000_0000))]) { $0.unary(.f32Neg, $1[0]) },
            LoweringCheck("f64.abs", [.f64], .f64, [([0xfff4_0000_0000_0001], .value(0x7ff4_0000_0000_0001))]) { $0.unary(.f64Abs, $1[0]) },
            LoweringCheck("f64.neg", [.f64], .f64, [([0x7ff4_0000_0000_0001], .value(0xfff4_0000_0000_0001))]) { $0.unary(.f64Neg, $1[0]) },
            LoweringCheck("f32.copysign", [.f32, .f32], .f32, [([0x7fa0_0001, 0x8000_0000], .value(0xffa0_0001)), ([0xbf80_0000, 0x7fc0_0000], .value(0x3f80_0000))]) {
                $0.binary(.f32Copysign, $1[0], $1[1])
            },
            LoweringCheck("f64.copysign", [.f64, .f64], .f64, [([0xfff4_0000_0000_0001, 0], .value(0x7ff4_0000_0000_0001))]) {
                $0.binary(.f64Copysign, $1[0], $1[1])
            },
        ])
    }

    @Test func minimumAndMaximum() throws {
        let minusZero: UInt64 = 0x8000_0000
        try verify([
            LoweringCheck("f32.min", [.f32, .f32], .f32, [
                ([minusZero, 0], .value(minusZero)), ([0, minusZero], .value(minusZero)),
                ([Self.signallingNaN32, 0x3f80_0000], .arithmeticNaN(width: 32)), ([0x3f80_0000, 0x7fc0_0000], .canonicalNaN(width: 32)),
                ([0xff80_0000, 0x7f80_0000], .value(0xff80_0000)),
            ]) { $0.binary(.f32Min, $1[0], $1[1]) },
            LoweringCheck("f32.max", [.f32, .f32], .f32, [
                ([minusZero, 0], .value(0)), ([0, minusZero], .value(0)), ([Self.signallingNaN32, 0x8000_0000], .arithmeticNaN(width: 32)),
            ]) { $0.binary(.f32Max, $1[0], $1[1]) },
            LoweringCheck("f64.min", [.f64, .f64], .f64, [
                ([0x8000_0000_0000_0000, 0], .value(0x8000_0000_0000_0000)), ([Self.signallingNaN64, 0], .arithmeticNaN(width: 64)),
            ]) { $0.binary(.f64Min, $1[0], $1[1]) },
            LoweringCheck("f64.max", [.f64, .f64], .f64, [
                ([0, 0x8000_0000_0000_0000], .value(0)), ([0, Self.signallingNaN64], .arithmeticNaN(width: 64)),
            ]) { $0.binary(.f64Max, $1[0], $1[1]) },
        ])
    }
}
