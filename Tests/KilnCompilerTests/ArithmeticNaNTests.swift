import Kiln
import KilnCompiler
import XCTest

/// Float arithmetic returns a quiet (arithmetic) NaN for a signalling NaN operand, even where the
/// identity that LLVM folds to the operand (`x * 1`, `x - 0`, demote of promote) only appears
/// after inlining or propagation; and bitwise operations still keep a signalling NaN's bits.
/// FloatLoweringTests covers identities visible in the instruction itself.
final class ArithmeticNaNTests: XCTestCase {
    private let signalling32: Int32 = 0x7fa0_0000
    private let signalling64: Int64 = 0x7ff4_0000_0000_0000
    private let levels = [0, 1, 2, 3]

    private let module = """
        (module (memory 1)
          (func $mul (param f32 f32) (result f32) (f32.mul (local.get 0) (local.get 1)))
          (func (export "mul_by_an_inlined_one") (param i32) (result i32)
            (i32.reinterpret_f32 (call $mul (f32.reinterpret_i32 (local.get 0)) (f32.const 1))))
          (func (export "mul_by_a_local_minus_one") (param i32) (result i32) (local f32)
            (local.set 1 (f32.const -1))
            (i32.reinterpret_f32 (f32.mul (f32.reinterpret_i32 (local.get 0)) (local.get 1))))
          (func (export "div_by_a_one_from_a_branch") (param i32 i32) (result i32)
            (i32.reinterpret_f32 (f32.div (f32.reinterpret_i32 (local.get 0))
              (if (result f32) (local.get 1) (then (f32.const 1)) (else (f32.const 1))))))
          (func (export "sub_zero_then_store") (param i64) (result i64) (local f64)
            (local.set 1 (f64.const 0))
            (f64.store (i32.const 8) (f64.sub (f64.reinterpret_i64 (local.get 0)) (local.get 1)))
            (i64.load (i32.const 8)))
          (func (export "add_minus_zero_returned") (param i64) (result f64) (local f64)
            (local.set 1 (f64.const -0))
            (f64.add (f64.reinterpret_i64 (local.get 0)) (local.get 1)))
          (func (export "demote_a_promoted_local") (param i32) (result i32) (local f64)
            (local.set 1 (f64.promote_f32 (f32.reinterpret_i32 (local.get 0))))
            (i32.reinterpret_f32 (f32.demote_f64 (local.get 1))))
          (func (export "f32x4_mul_by_a_local_one") (param i32) (result i32) (local v128)
            (local.set 1 (f32x4.splat (f32.const 1)))
            (i32x4.extract_lane 0 (f32x4.mul (i32x4.splat (local.get 0)) (local.get 1))))
          (func (export "f32x4_demote_a_promotion") (param i32) (result i32)
            (i32x4.extract_lane 0 (f32x4.demote_f64x2_zero (f64x2.promote_low_f32x4 (i32x4.splat (local.get 0))))))
          (func (export "select_product_or_operand") (param i32 i32) (result i32) (local f32)
            (local.set 2 (f32.reinterpret_i32 (local.get 0)))
            (i32.reinterpret_f32 (select (f32.mul (local.get 2) (f32.const 3)) (local.get 2) (local.get 1))))
          (func (export "store_of_a_load") (param i32) (result i32)
            (i32.store (i32.const 16) (local.get 0))
            (f32.store (i32.const 20) (f32.load (i32.const 16)))
            (i32.load (i32.const 20)))
          (func (export "neg_of_a_parameter") (param i32) (result i32)
            (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get 0))))))
        """

    func testArithmeticOnASignallingNaNIsQuietWhateverTheOptimiserFolds() throws {
        for level in levels {
            let instance = try compileAndLoad(module, options: CompileOptions(optimizationLevel: level)).instantiate()
            for name in ["mul_by_an_inlined_one", "mul_by_a_local_minus_one", "demote_a_promoted_local", "f32x4_mul_by_a_local_one",
                         "f32x4_demote_a_promotion"] {
                let bits = try instance.call(name, [.i32(signalling32)]).first?.asI32
                XCTAssert(bits.map(isQuietNaN32) ?? false, "\(name) at -O\(level): \(String(describing: bits))")
            }
            let divided = try instance.call("div_by_a_one_from_a_branch", [.i32(signalling32), .i32(1)]).first?.asI32
            XCTAssert(divided.map(isQuietNaN32) ?? false, "div_by_a_one_from_a_branch at -O\(level)")
            let stored = try instance.call("sub_zero_then_store", [.i64(signalling64)]).first?.asI64
            XCTAssert(stored.map(isQuietNaN64) ?? false, "sub_zero_then_store at -O\(level)")
            guard case .f64(let returned) = try instance.call("add_minus_zero_returned", [.i64(signalling64)]).first else {
                return XCTFail("add_minus_zero_returned returned no f64")
            }
            XCTAssert(isQuietNaN64(Int64(bitPattern: returned.bitPattern)), "add_minus_zero_returned at -O\(level)")
            let product = try instance.call("select_product_or_operand", [.i32(signalling32), .i32(1)]).first?.asI32
            XCTAssert(product.map(isQuietNaN32) ?? false, "select_product_or_operand, the product, at -O\(level)")
        }
    }

    func testBitwiseOperationsKeepASignallingNaNsBits() throws {
        for level in levels {
            let instance = try compileAndLoad(module, options: CompileOptions(optimizationLevel: level)).instantiate()
            XCTAssertEqual(try instance.call("select_product_or_operand", [.i32(signalling32), .i32(0)]).first?.asI32, signalling32, "-O\(level)")
            XCTAssertEqual(try instance.call("store_of_a_load", [.i32(signalling32)]).first?.asI32, signalling32, "-O\(level)")
            XCTAssertEqual(try instance.call("neg_of_a_parameter", [.i32(signalling32)]).first?.asI32, signalling32 | Int32(bitPattern: 0x8000_0000), "-O\(level)")
        }
    }

    private func isQuietNaN32(_ bits: Int32) -> Bool {
        UInt32(bitPattern: bits) & 0x7fc0_0000 == 0x7fc0_0000
    }

    private func isQuietNaN64(_ bits: Int64) -> Bool {
        UInt64(bitPattern: bits) & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
    }
}
