import Kiln
import KilnCompiler
import XCTest

/// Stores down a column (one double every 200 bytes) are vectorised without scatter instructions:
/// Kiln's target machine prefers no scatters (TargetMachine.tuning), as it prefers no gathers.
/// With AVX-512 scatters a holdout's eigenvalue solver took 1.27x its time (docs/benchmarks.md,
/// Kiln 0.5.40).
final class StridedStoreScatterTests: XCTestCase {
    private static let wat = """
        (module (memory 4)
          (func (export "fill") (local $i i32)
            (loop $next
              (f64.store offset=4096 (i32.shl (local.get $i) (i32.const 3)) (f64.convert_i32_u (local.get $i)))
              (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 256)))))
          (func (export "column") (param $n i32) (local $i i32)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (f64.store offset=65536 (i32.mul (local.get $i) (i32.const 200))
                (f64.mul (f64.load offset=4096 (i32.shl (local.get $i) (i32.const 3))) (f64.const 0.5)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next))))
          (func (export "read") (param $at i32) (result f64) (f64.load offset=65536 (local.get $at))))
        """

    func testTheColumnIsStoredWithoutScatters() throws {
        let column = try XCTUnwrap(optimisedWasmFunctions(Self.wat).first { $0.name.hasPrefix("@\"wasm[1]") }).body
        XCTAssertFalse(column.contains("masked.scatter"), column)
    }

    func testTheColumnHoldsWhatWasStored() throws {
        for level in [0, 2, 3] {
            let instance = try compileAndLoad(Self.wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            _ = try instance.call("fill")
            _ = try instance.call("column", [.i32(256)])
            for i in [0, 1, 7, 8, 100, 255] {
                let value = try instance.call("read", [.i32(Int32(200 * i))])
                XCTAssertEqual(value, [.f64(Double(i) * 0.5)], "-O\(level), row \(i)")
            }
        }
    }
}
