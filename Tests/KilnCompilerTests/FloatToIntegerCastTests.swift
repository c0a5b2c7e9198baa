import Kiln
import KilnCompiler
import XCTest

/// clang guards every C cast from float to integer for wasm32 with a range test before the
/// trapping `trunc` (`fabs(x) < 2^(N-1)` signed, `x < 2^N && x >= 0` unsigned, else INT_MIN or 0).
/// Kiln's `trunc` decides its common case by the same test, so at -O2 the program's test leaves
/// the conversion with no check of its own; a signed cast's test then folds into x86's
/// truncating conversion, which gives INT_MIN where the test fails (GuardedFloatToInt); and the
/// values the test leaves out still convert or trap exactly at every level.
final class FloatToIntegerCastTests: XCTestCase {
    private static let casts: [(name: String, float: String, integer: String, signed: Bool)] = [
        ("f32_to_i32_s", "f32", "i32", true), ("f32_to_i32_u", "f32", "i32", false),
        ("f64_to_i32_s", "f64", "i32", true), ("f64_to_i32_u", "f64", "i32", false),
        ("f32_to_i64_s", "f32", "i64", true), ("f32_to_i64_u", "f32", "i64", false),
        ("f64_to_i64_s", "f64", "i64", true), ("f64_to_i64_u", "f64", "i64", false),
    ]

    /// Each cast twice: as clang emits a C cast, and the bare `trunc`.
    private static let module: String = {
        var functions: [String] = []
        for cast in casts {
            let bits = cast.integer == "i32" ? 32 : 64
            let suffix = cast.signed ? "s" : "u"
            let trunc = "\(cast.integer).trunc_\(cast.float)_\(suffix)"
            let inRange = cast.signed
                ? "(\(cast.float).lt (\(cast.float).abs (local.get 0)) (\(cast.float).const 0x1p+\(bits - 1)))"
                : "(i32.and (\(cast.float).lt (local.get 0) (\(cast.float).const 0x1p+\(bits))) (\(cast.float).ge (local.get 0) (\(cast.float).const 0)))"
            let outOfRange = cast.signed ? "(\(cast.integer).const \(bits == 32 ? "-2147483648" : "-9223372036854775808"))" : "(\(cast.integer).const 0)"
            functions.append("""
                (func (export "c_\(cast.name)") (param \(cast.float)) (result \(cast.integer))
                  (block (br_if 0 (i32.eqz \(inRange))) (return (\(trunc) (local.get 0))))
                  \(outOfRange))
                (func (export "\(cast.name)") (param \(cast.float)) (result \(cast.integer)) (\(trunc) (local.get 0)))
                """)
        }
        // stencil_ptrs' histogram bin, `v >= 255 ? 255 : (int)v` scaled by 4, as clang emits it:
        // the clamp ends up inside the test and the scaling in the select.
        functions.append("""
            (func (export "c_bin") (param f32) (result i32) (local f32 i32)
              (local.set 1 (select (f32.const 255) (local.get 0) (f32.ge (local.get 0) (f32.const 255))))
              (block (block
                (br_if 0 (i32.eqz (f32.lt (f32.abs (local.get 1)) (f32.const 0x1p+31))))
                (local.set 2 (i32.trunc_f32_s (local.get 1)))
                (br 1))
                (local.set 2 (i32.const -2147483648)))
              (i32.shl (local.get 2) (i32.const 2)))
            """)
        return "(module\n" + functions.joined(separator: "\n") + "\n)"
    }()

    /// What clang's guarded signed cast gives: the truncation where `fabs(x) < 2^(bits-1)`, else
    /// the integer minimum.
    private static func guardedCast(_ x: Double, bits: Int) -> Int64 {
        let limit = bits == 32 ? 2_147_483_648.0 : 9_223_372_036_854_775_808.0
        guard abs(x) < limit else { return bits == 32 ? Int64(Int32.min) : Int64.min }
        return Int64(x.rounded(.towardZero))
    }

    func testTheCastsRangeTestLeavesTheConversionWithoutChecksOfItsOwn() throws {
        let functions = try optimisedWasmFunctions(Self.module, options: CompileOptions(optimizationLevel: 2))
        for (index, cast) in Self.casts.enumerated() {
            let guarded = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[\(2 * index)]") }, cast.name)
            let compares = guarded.body.components(separatedBy: " fcmp ").count - 1
            // Signed: the test folded into the conversion. Unsigned: only the program's test is left.
            XCTAssertEqual(compares, cast.signed ? 0 : 2, "\(cast.name)\n\(guarded.body)")
            XCTAssertEqual(guarded.body.contains("@llvm.x86.sse"), cast.signed, "\(cast.name)\n\(guarded.body)")
            XCTAssertFalse(guarded.body.contains("unreachable"), "\(cast.name): no trap is left\n\(guarded.body)")
        }
        let bin = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[\(2 * Self.casts.count)]") })
        XCTAssertTrue(bin.body.contains("@llvm.x86.sse.cvttss2si("), bin.body)
        XCTAssertFalse(bin.body.contains("llvm.fabs"), "the range test is gone, only the clamp's compare stays\n\(bin.body)")
    }

    /// The guarded casts (folded at -O2 and -O3) against what clang's test gives, at the edges
    /// of the range, beyond them, NaN and the infinities.
    func testGuardedSignedCastsGiveTheTestsAnswerEverywhere() throws {
        let edges: [Double] = [
            0, -0.0, 0.75, -0.75, 255.9, -1e10, 1e10, .nan, -.nan, .infinity, -.infinity,
            2_147_483_520, 2_147_483_647.5, 2_147_483_648, -2_147_483_648, -2_147_483_648.5, -2_147_483_649,
            9.223372036854775e18, 9_223_372_036_854_775_808, -9_223_372_036_854_775_808, 1e19, -1e19,
        ]
        for level in 0...3 {
            let instance = try instantiate(Self.module, level: level)
            for edge in edges { try checkGuardedCasts(instance, level: level, single: Float(edge), double: edge) }
            // And random bit patterns: every exponent, NaN payloads, subnormals.
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            for _ in 0..<500 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                try checkGuardedCasts(instance, level: level,
                    single: Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32)), double: Double(bitPattern: state))
            }
            for edge in edges + [254.9, 255, 256, -3.5] {
                let v = Float(edge)
                let expected = v >= 255 ? Int32(255 << 2) : Int32(truncatingIfNeeded: Self.guardedCast(Double(v), bits: 32) << 2)
                XCTAssertEqual(try instance.call("c_bin", [.f32(v)]).first?.asI32, expected, "-O\(level) c_bin(\(v))")
            }
        }
    }

    /// Each guarded signed cast of `single` (from f32) or `double` (from f64) against clang's answer.
    private func checkGuardedCasts(_ instance: Instance, level: Int, single: Float, double: Double) throws {
        for cast in Self.casts where cast.signed {
            let bits = cast.integer == "i32" ? 32 : 64
            let (argument, x): (Value, Double) = cast.float == "f32" ? (.f32(single), Double(single)) : (.f64(double), double)
            let result = try instance.call("c_\(cast.name)", [argument]).first
            let actual = bits == 32 ? result?.asI32.map(Int64.init) : result?.asI64
            XCTAssertEqual(actual, Self.guardedCast(x, bits: bits), "-O\(level) c_\(cast.name)(\(x))")
        }
    }

    func testValuesTheRangeTestLeavesOutStillConvertOrTrapExactly() throws {
        let intMin32 = Int64(Int32.min)
        // (cast, argument, result or nil for a trap): the edges of each exact range, NaN, ±0.
        let cases: [(String, Double, Int64?)] = [
            ("f32_to_i32_s", -2_147_483_648, intMin32), ("f32_to_i32_s", 2_147_483_648, nil),
            ("f32_to_i32_s", -0.0, 0), ("f32_to_i32_s", .nan, nil), ("f32_to_i32_s", -2_147_483_904, nil),
            ("f64_to_i32_s", -2_147_483_648.9, intMin32), ("f64_to_i32_s", -2_147_483_649, nil),
            ("f64_to_i32_s", 2_147_483_647.9, Int64(Int32.max)), ("f64_to_i32_s", 2_147_483_648, nil),
            ("f32_to_i32_u", -0.75, 0), ("f32_to_i32_u", -1, nil), ("f32_to_i32_u", -0.0, 0),
            ("f64_to_i32_u", -0.999, 0), ("f64_to_i32_u", 4_294_967_295.5, 4_294_967_295),
            ("f64_to_i32_u", 4_294_967_296, nil), ("f64_to_i32_u", .nan, nil),
            ("f32_to_i64_s", -9_223_372_036_854_775_808, Int64.min), ("f32_to_i64_s", 9_223_372_036_854_775_808, nil),
            ("f64_to_i64_s", -9_223_372_036_854_775_808, Int64.min), ("f64_to_i64_s", .infinity, nil),
            ("f32_to_i64_u", -0.5, 0), ("f32_to_i64_u", 18_446_744_073_709_551_616, nil),
            ("f64_to_i64_u", -0.5, 0), ("f64_to_i64_u", -.infinity, nil),
        ]
        for level in 0...3 {
            let instance = try instantiate(Self.module, level: level)
            for (name, argument, expected) in cases {
                let value: Value = name.hasPrefix("f32") ? .f32(Float(argument)) : .f64(argument)
                let label = "-O\(level) \(name)(\(argument))"
                guard let expected else {
                    XCTAssertThrowsError(try instance.call(name, [value]), label)
                    continue
                }
                let result = try instance.call(name, [value]).first
                if name.hasSuffix("_to_i32_s") || name.hasSuffix("_to_i32_u") {
                    XCTAssertEqual(result?.asI32, Int32(truncatingIfNeeded: expected), label)
                } else {
                    XCTAssertEqual(result?.asI64, expected, label)
                }
            }
        }
    }

    private func instantiate(_ wat: String, level: Int) throws -> Instance {
        try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level)).instantiate()
    }
}
