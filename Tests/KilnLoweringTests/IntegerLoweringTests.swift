import KilnRuntimeC
import Testing
import WasmParser
@testable import KilnLowering

/// Hand-picked edge cases from the spec suite (i32.wast, i64.wast); the .wast-driven test
/// covers the rest.
@Suite struct IntegerLoweringTests {
    static let divideByZero = Expectation.trap(KILN_TRAP_INT_DIVIDE_BY_ZERO)
    static let overflow = Expectation.trap(KILN_TRAP_INT_OVERFLOW)

    static func i32(_ name: String, _ op: Instruction.Binary, _ rows: [([UInt32], UInt32?)], trap: Expectation? = nil) -> LoweringCheck {
        LoweringCheck(name, [.i32, .i32], .i32, rows.map { ($0.0.map(UInt64.init), $0.1.map { .value(UInt64($0)) } ?? trap!) }) {
            $0.binary(op, $1[0], $1[1])
        }
    }

    static func i64(_ name: String, _ op: Instruction.Binary, _ rows: [([UInt64], UInt64?)], trap: Expectation? = nil) -> LoweringCheck {
        LoweringCheck(name, [.i64, .i64], .i64, rows.map { ($0.0, $0.1.map { .value($0) } ?? trap!) }) {
            $0.binary(op, $1[0], $1[1])
        }
    }

    @Test func divisionAndRemainder() throws {
        let minus1 = UInt32.max
        try verify([
            LoweringCheck("i32.div_s", [.i32, .i32], .i32, [
                ([0x8000_0000, UInt64(minus1)], Self.overflow),
                ([1, 0], Self.divideByZero),
                ([0x8000_0000, 0], Self.divideByZero),
                ([0x8000_0000, 2], .value(0xc000_0000)),
                ([UInt64(UInt32(bitPattern: -7)), 2], .value(UInt64(UInt32(bitPattern: -3)))),
                ([7, UInt64(UInt32(bitPattern: -2))], .value(UInt64(UInt32(bitPattern: -3)))),
            ]) { $0.binary(.i32DivS, $1[0], $1[1]) },
            Self.i32("i32.div_u", .i32DivU, [([0x8000_0000, minus1], 0), ([minus1, 2], 0x7fff_ffff), ([1, 0], nil)], trap: Self.divideByZero),
            Self.i32("i32.rem_s", .i32RemS, [
                ([0x8000_0000, minus1], 0), ([0x7fff_ffff, minus1], 0), ([UInt32(bitPattern: -7), 2], minus1),
                ([0x8000_0000, 2], 0), ([5, UInt32(bitPattern: -2)], 1), ([1, 0], nil),
            ], trap: Self.divideByZero),
            Self.i32("i32.rem_u", .i32RemU, [([0x8000_0000, minus1], 0x8000_0000), ([minus1, 2], 1), ([0, 0], nil)], trap: Self.divideByZero),
            Self.i64("i64.div_s overflow", .i64DivS, [([0x8000_0000_0000_0000, UInt64.max], nil)], trap: Self.overflow),
            Self.i64("i64.div_s", .i64DivS, [([0x8000_0000_0000_0000, 2], 0xc000_0000_0000_0000), ([1, 0], nil)], trap: Self.divideByZero),
            Self.i64("i64.rem_s", .i64RemS, [([0x8000_0000_0000_0000, UInt64.max], 0), ([UInt64.max, UInt64.max], 0), ([1, 0], nil)], trap: Self.divideByZero),
            Self.i64("i64.div_u", .i64DivU, [([0x8000_0000_0000_0000, UInt64.max], 0), ([1, 0], nil)], trap: Self.divideByZero),
            Self.i64("i64.rem_u", .i64RemU, [([0x8000_0000_0000_0000, UInt64.max], 0x8000_0000_0000_0000), ([1, 0], nil)], trap: Self.divideByZero),
        ])
    }

    @Test func shiftsAndRotates() throws {
        try verify([
            Self.i32("i32.shl", .i32Shl, [([1, 32], 1), ([1, 33], 2), ([1, UInt32.max], 0x8000_0000)]),
            Self.i32("i32.shr_s", .i32ShrS, [([0x8000_0000, 31], UInt32.max), ([UInt32.max, 32], UInt32.max), ([0x4000_0000, 33], 0x2000_0000)]),
            Self.i32("i32.shr_u", .i32ShrU, [([UInt32.max, 33], 0x7fff_ffff), ([0x8000_0000, 63], 1)]),
            Self.i32("i32.rotl", .i32Rotl, [([0xfe00_dc00, 4], 0xe00d_c00f), ([0xabcd_9876, 1], 0x579b_30ed), ([1, 32], 1), ([0x0000_8000, 37], 0x0010_0000)]),
            Self.i32("i32.rotr", .i32Rotr, [([0xb0c1_d2e3, 5], 0x1d86_0e97), ([0xff00_cc00, 1], 0x7f80_6600), ([1, UInt32.max], 2)]),
            Self.i64("i64.shl", .i64Shl, [([1, 64], 1), ([1, 127], 0x8000_0000_0000_0000)]),
            Self.i64("i64.rotl", .i64Rotl, [([0xabd1_234e_f567_809c, 63], 0x55e8_91a7_7ab3_c04e), ([1, 64], 1)]),
            Self.i64("i64.rotr", .i64Rotr, [([0xabd1_234e_f567_809c, 63], 0x57a2_469d_eacf_0139), ([1, 65], 0x8000_0000_0000_0000)]),
        ])
    }

    @Test func bitCountingAndExtension() throws {
        func unary(_ name: String, _ type: OperandType, _ op: Instruction.Unary, _ rows: [(UInt64, UInt64)]) -> LoweringCheck {
            LoweringCheck(name, [type], type, rows.map { ([$0.0], .value($0.1)) }) { $0.unary(op, $1[0]) }
        }
        try verify([
            unary("i32.clz", .i32, .i32Clz, [(0, 32), (1, 31), (0x8000, 16), (0xffff_ffff, 0)]),
            unary("i32.ctz", .i32, .i32Ctz, [(0, 32), (0x8000_0000, 31), (0x0001_0000, 16)]),
            unary("i32.popcnt", .i32, .i32Popcnt, [(0xffff_ffff, 32), (0x5555_5555, 16), (0, 0)]),
            unary("i64.clz", .i64, .i64Clz, [(0, 64), (1, 63)]),
            unary("i64.ctz", .i64, .i64Ctz, [(0, 64), (0x8000_0000_0000_0000, 63)]),
            unary("i64.popcnt", .i64, .i64Popcnt, [(UInt64.max, 64), (0xdead_beef_dead_beef, 48)]),
            unary("i32.extend8_s", .i32, .i32Extend8S, [(0x80, 0xffff_ff80), (0x7f, 0x7f), (0x0123_4580, 0xffff_ff80)]),
            unary("i32.extend16_s", .i32, .i32Extend16S, [(0x8000, 0xffff_8000), (0x0123_7fff, 0x7fff)]),
            unary("i64.extend8_s", .i64, .i64Extend8S, [(0x80, 0xffff_ffff_ffff_ff80)]),
            unary("i64.extend16_s", .i64, .i64Extend16S, [(0x8000, 0xffff_ffff_ffff_8000)]),
            unary("i64.extend32_s", .i64, .i64Extend32S, [(0x8000_0000, 0xffff_ffff_8000_0000), (0x1_7fff_ffff, 0x7fff_ffff)]),
            LoweringCheck("i32.eqz", [.i32], .i32, [([0], .value(1)), ([0x8000_0000], .value(0))]) { $0.eqz($1[0]) },
            LoweringCheck("i64.eqz", [.i64], .i32, [([0], .value(1)), ([1 << 40], .value(0))]) { $0.eqz($1[0]) },
        ])
    }
}
