import Kiln
import KilnCompiler
import XCTest

/// A function whose vector code emulates gathers (lanes of data-dependent offsets taken out to
/// address scalar loads, as in base64's encoder) keeps its vectors in 256-bit registers on CPUs
/// that prefer them (emulated_gather_width.cpp).
final class EmulatedGatherWidthTests: XCTestCase {
    private static let alphabet = 1024, input = 4096, output = 65536

    /// Three input bytes at 4096 + 3i become four output bytes at 65536 + 4i, each a lookup in a
    /// 64-byte alphabet at 1024 (filled by "fill", with the input).
    private static let wat = """
        (module (memory 4)
          (func (export "fill") (param $n i32) (local $i i32)
            (loop $alphabet
              (i32.store8 offset=\(alphabet) (local.get $i) (i32.add (i32.mul (local.get $i) (i32.const 7)) (i32.const 33)))
              (br_if $alphabet (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 64))))
            (local.set $i (i32.const 0))
            (loop $bytes
              (i32.store8 offset=\(input) (local.get $i) (i32.mul (local.get $i) (i32.const 0x9E3779B1)))
              (br_if $bytes (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.mul (local.get $n) (i32.const 3))))))
          (func (export "encode") (param $n i32) (local $i i32) (local $v i32)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $v (i32.or (i32.or
                (i32.shl (i32.load8_u offset=\(input) (i32.mul (local.get $i) (i32.const 3))) (i32.const 16))
                (i32.shl (i32.load8_u offset=\(input + 1) (i32.mul (local.get $i) (i32.const 3))) (i32.const 8)))
                (i32.load8_u offset=\(input + 2) (i32.mul (local.get $i) (i32.const 3)))))
              (i32.store8 offset=\(output) (i32.shl (local.get $i) (i32.const 2))
                (i32.load8_u offset=\(alphabet) (i32.shr_u (local.get $v) (i32.const 18))))
              (i32.store8 offset=\(output + 1) (i32.shl (local.get $i) (i32.const 2))
                (i32.load8_u offset=\(alphabet) (i32.and (i32.shr_u (local.get $v) (i32.const 12)) (i32.const 63))))
              (i32.store8 offset=\(output + 2) (i32.shl (local.get $i) (i32.const 2))
                (i32.load8_u offset=\(alphabet) (i32.and (i32.shr_u (local.get $v) (i32.const 6)) (i32.const 63))))
              (i32.store8 offset=\(output + 3) (i32.shl (local.get $i) (i32.const 2))
                (i32.load8_u offset=\(alphabet) (i32.and (local.get $v) (i32.const 63))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next))))
          (func (export "outputByte") (param $at i32) (result i32)
            (i32.load8_u offset=\(output) (local.get $at))))
        """

    private func expectedOutput(groups: Int) -> [UInt8] {
        let alphabet = (0..<64).map { UInt8(truncatingIfNeeded: $0 * 7 + 33) }
        let input = (0..<3 * groups).map { UInt8(truncatingIfNeeded: UInt32($0) &* 0x9E37_79B1) }
        return (0..<groups).flatMap { i -> [UInt8] in
            let v = Int(input[3 * i]) << 16 | Int(input[3 * i + 1]) << 8 | Int(input[3 * i + 2])
            return [v >> 18, v >> 12 & 63, v >> 6 & 63, v & 63].map { alphabet[$0] }
        }
    }


    func testTheLookupsKeepToThePreferredWidth() throws {
        #if !arch(x86_64)
        throw XCTSkip("code for x86-64 CPUs")
        #endif
        for cpu in ["skylake-avx512", "sapphirerapids"] {
            let encoder = try compiledAssembly(Self.wat, options: CompileOptions(cpu: cpu))
            XCTAssertTrue(encoder.contains("%ymm"), "\(cpu): the lookups are not vectorised\n\(encoder)")
            XCTAssertFalse(encoder.contains("%zmm"), "\(cpu): lookups in 512-bit registers\n\(encoder)")
        }
    }

    func testTheEncoderEncodes() throws {
        for level in [0, 2, 3] {
            let instance = try compileAndLoad(Self.wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            for groups in [1, 31, 1000] {
                _ = try instance.call("fill", [.i32(Int32(groups))])
                _ = try instance.call("encode", [.i32(Int32(groups))])
                let encoded = try (0..<4 * groups).map { at in
                    UInt8(try instance.call("outputByte", [.i32(Int32(at))])[0].asI32!)
                }
                XCTAssertEqual(encoded, expectedOutput(groups: groups), "-O\(level), \(groups) groups")
            }
        }
    }
}
