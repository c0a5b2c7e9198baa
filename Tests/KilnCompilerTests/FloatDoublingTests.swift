import Kiln
import KilnCompiler
import XCTest

/// Float `x + x` reaches the loop and vector passes as `x * 2.0` (FloatDoubling), the form the
/// SLP vectoriser prices as native code's, and gives the add's bits at every level.
final class FloatDoublingTests: XCTestCase {
    private static let module = """
        (module
          (func (export "f32") (param f32) (result f32) (f32.add (local.get 0) (local.get 0)))
          (func (export "f64") (param f64) (result f64) (f64.add (local.get 0) (local.get 0)))
          (func (export "f32x4") (param v128) (result v128) (f32x4.add (local.get 0) (local.get 0)))
          (func (export "sum") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
          (func (export "twice_plus") (param f32 f32) (result f32)
            (f32.add (f32.add (local.get 0) (local.get 0)) (local.get 1))))
        """

    func testDoublingsReachTheVectorisersAsMultiplies() throws {
        let functions = try optimisedWasmFunctions(Self.module, options: CompileOptions(optimizationLevel: 2))
        for (index, type) in ["float", "double", "<4 x float>"].enumerated() {
            let body = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[\(index)]") }).body
            XCTAssertTrue(body.contains("fmul \(type) %"), "\(type)\n\(body)")
            XCTAssertTrue(body.contains("2.000000e+00"), "\(type)\n\(body)")
            XCTAssertFalse(body.contains("fadd"), "\(type)\n\(body)")
        }
        let sum = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[3]") }).body
        XCTAssertTrue(sum.contains("fadd float"), "an add of two values stays an add\n\(sum)")
    }

    /// x + x at every level: the sum's exact bits for numbers (zeros, subnormals, overflow to
    /// infinity), and a quiet NaN for every NaN, signalling ones included.
    func testDoublingGivesTheAddsBitsAtEveryLevel() throws {
        var singles: [UInt32] = [
            0, 0x8000_0000, 0x3fc0_0000, 0xc020_0000, 0x7f7f_ffff, 0xff7f_ffff, 0x0080_0000, 0x0000_0001,
            0x007f_ffff, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0x7fa0_0000, 0xffc0_0001, 0x7f80_0001,
        ]
        var doubles: [UInt64] = [
            0, 0x8000_0000_0000_0000, 0x7fef_ffff_ffff_ffff, 0x0000_0000_0000_0001, 0x000f_ffff_ffff_ffff,
            0x7ff0_0000_0000_0000, 0xfff0_0000_0000_0000, 0x7ff8_0000_0000_0000, 0x7ff4_0000_0000_0000,
            0xfff0_0000_0000_0001,
        ]
        // And pseudo-random bit patterns (the same every run): every exponent, NaN payloads.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<200 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            singles.append(UInt32(truncatingIfNeeded: state >> 32))
            doubles.append(state)
        }
        for level in 0...3 {
            let instance = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level)).instantiate()
            for bits in singles {
                let x = Float(bitPattern: bits)
                let result = try XCTUnwrap(instance.call("f32", [.f32(bits: bits)]).first?.f32Bits)
                check(UInt64(result), x.isNaN ? nil : UInt64((x + x).bitPattern), quietNaN: 0x7fc0_0000,
                      "-O\(level) f32 0x\(String(bits, radix: 16))")
            }
            for bits in doubles {
                let x = Double(bitPattern: bits)
                let result = try XCTUnwrap(instance.call("f64", [.f64(bits: bits)]).first?.f64Bits)
                check(result, x.isNaN ? nil : (x + x).bitPattern, quietNaN: 0x7ff8_0000_0000_0000,
                      "-O\(level) f64 0x\(String(bits, radix: 16))")
            }
        }
    }

    /// A doubling that overflows stays infinite under a following add: the multiply it became
    /// is never fused with the add (an FMA would keep 2x exact and give back a finite sum).
    func testAnOverflowingDoublingIsNotFusedWithTheNextAdd() throws {
        for level in 0...3 {
            let instance = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level)).instantiate()
            let result = try instance.call("twice_plus", [.f32(.greatestFiniteMagnitude), .f32(-.greatestFiniteMagnitude)])
            XCTAssertEqual(result.first?.f32Bits, Float.infinity.bitPattern, "-O\(level)")
        }
    }

    /// `result` is `expected`'s bits, or, for a NaN operand (`expected` nil), a quiet NaN: all the
    /// bits of `quietNaN` (the exponent and the quiet bit) set.
    private func check(_ result: UInt64, _ expected: UInt64?, quietNaN: UInt64, _ label: String) {
        if let expected {
            XCTAssertEqual(result, expected, label)
        } else {
            XCTAssertEqual(result & quietNaN, quietNaN, "\(label): a NaN in, a quiet NaN out")
        }
    }
}
