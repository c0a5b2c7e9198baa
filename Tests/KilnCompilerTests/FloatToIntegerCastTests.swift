import Kiln
import KilnCompiler
import XCTest

/// clang guards every C cast from float to integer for wasm32 with a range test before the
/// trapping `trunc` (`fabs(x) < 2^(N-1)` signed, `x < 2^N && x >= 0` unsigned, else INT_MIN or 0).
/// Kiln's `trunc` decides its common case by the same test, so at -O2 the program's test leaves
/// the conversion with no check of its own; and the values that test leaves out still convert or
/// trap exactly at every level.
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
        return "(module\n" + functions.joined(separator: "\n") + "\n)"
    }()

    func testTheCastsRangeTestLeavesTheConversionWithoutChecksOfItsOwn() throws {
        let functions = try optimisedWasmFunctions(Self.module, options: CompileOptions(optimizationLevel: 2))
        for (index, cast) in Self.casts.enumerated() {
            let guarded = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[\(2 * index)]") }, cast.name)
            let compares = guarded.body.components(separatedBy: " fcmp ").count - 1
            XCTAssertEqual(compares, cast.signed ? 1 : 2, "\(cast.name): only the program's own range test is left\n\(guarded.body)")
            XCTAssertFalse(guarded.body.contains("unreachable"), "\(cast.name): no trap is left\n\(guarded.body)")
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
