import Kiln
import KilnCompiler
import XCTest

/// `x - (x / c) * c`, the remainder clang's wasm32 code generator computes from a quotient it
/// also keeps, reaches the loop passes as `x % c` again (RemainderRecomposition), and gives the
/// subtraction's result at every level.
final class RemainderRecompositionTests: XCTestCase {
    /// Each function stores the quotient at 0 (a use of its own, as in a C program that takes
    /// both) and returns the remainder computed from it; `quotient` reads the stored one back.
    private static func module(divisor64: String, divisor32: String, signed32: String) -> String {
        """
        (module (memory 1)
          (func (export "u64") (param $x i64) (result i64) (local $q i64)
            (i64.store (i32.const 0) (local.tee $q (i64.div_u (local.get $x) (i64.const \(divisor64)))))
            (i64.sub (local.get $x) (i64.mul (local.get $q) (i64.const \(divisor64)))))
          (func (export "u32") (param $x i32) (result i32) (local $q i32)
            (i32.store (i32.const 0) (local.tee $q (i32.div_u (local.get $x) (i32.const \(divisor32)))))
            (i32.sub (local.get $x) (i32.mul (local.get $q) (i32.const \(divisor32)))))
          (func (export "s32") (param $x i32) (result i32) (local $q i32)
            (i32.store (i32.const 0) (local.tee $q (i32.div_s (local.get $x) (i32.const \(signed32)))))
            (i32.sub (local.get $x) (i32.mul (local.get $q) (i32.const \(signed32)))))
          (func (export "quotient") (result i64) (i64.load (i32.const 0))))
        """
    }

    func testARemainderComputedFromItsQuotientIsOneRemainderAgain() throws {
        let functions = try optimisedWasmFunctions(
            Self.module(divisor64: "1000000000", divisor32: "10", signed32: "-7"), options: CompileOptions(optimizationLevel: 2))
        for (index, remainder) in ["urem i64", "urem i32", "srem i32"].enumerated() {
            let body = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[\(index)]") }).body
            XCTAssertTrue(body.contains(remainder), "\(remainder)\n\(body)")
        }
    }

    /// The remainder and the stored quotient at every level, for divisors with the top bit set
    /// (unsigned) or negative (signed), over inputs at the edges of each type.
    func testTheRemainderIsTheSubtractionsOnEveryInput() throws {
        let cases: [(UInt64, UInt32, Int32)] = [(1_000_000_000, 10, -7), (0x8000_0000_0000_0001, 0xFFFF_FFFE, 3), (3, 1, -2_147_483_647)]
        let inputs64: [UInt64] = [0, 1, 999_999_999, 1_000_000_000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, .max, 0x1234_5678_9ABC_DEF0]
        let inputs32: [UInt32] = [0, 1, 9, 10, 0x7FFF_FFFF, 0x8000_0000, .max, 0x8765_4321]
        for (divisor64, divisor32, signed32) in cases {
            let wat = Self.module(divisor64: String(Int64(bitPattern: divisor64)), divisor32: String(Int32(bitPattern: divisor32)),
                                  signed32: String(signed32))
            for level in [0, 1, 2, 3] {
                let instance = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
                for x in inputs64 {
                    XCTAssertEqual(try instance.call("u64", [.i64(Int64(bitPattern: x))]), [.i64(Int64(bitPattern: x % divisor64))],
                                   "-O\(level) \(x) % \(divisor64)")
                    XCTAssertEqual(try instance.call("quotient", []), [.i64(Int64(bitPattern: x / divisor64))], "-O\(level)")
                }
                for x in inputs32 {
                    XCTAssertEqual(try instance.call("u32", [.i32(Int32(bitPattern: x))]), [.i32(Int32(bitPattern: x % divisor32))],
                                   "-O\(level) \(x) % \(divisor32)")
                    let s = Int32(bitPattern: x)
                    XCTAssertEqual(try instance.call("s32", [.i32(s)]), [.i32(s % signed32)], "-O\(level) \(s) rem \(signed32)")
                }
            }
        }
    }

    /// Divided by -1, the smallest integer's quotient overflows, which Wasm traps: that form is
    /// left alone, and the trap stays.
    func testADivisionByMinusOneStillTraps() throws {
        for level in [0, 2, 3] {
            let instance = try compileAndLoad(Self.module(divisor64: "7", divisor32: "7", signed32: "-1"),
                                              options: CompileOptions(optimizationLevel: level)).instantiate()
            XCTAssertEqual(try instance.call("s32", [.i32(5)]), [.i32(0)], "-O\(level)")
            XCTAssertThrowsError(try instance.call("s32", [.i32(.min)]), "-O\(level)") { error in
                XCTAssertEqual((error as? KilnError)?.message, "integer overflow")
            }
        }
    }
}
