import Foundation
import Kiln
import KilnCompiler
import XCTest

/// Relaxed SIMD by default takes the host CPU's instruction where the proposal allows its result
/// (SimdLoweringRelaxed); `--deterministic-relaxed-simd` gives each instruction its non-relaxed
/// counterpart's result. Each input here is one where the two differ.
final class RelaxedSimdTests: XCTestCase {
    static let module = """
        (module
          (func (export "swizzle") (result v128)
            (i8x16.relaxed_swizzle (v128.const i8x16 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25)
                                   (v128.const i8x16 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)))
          (func (export "q15mulr") (param i32) (result v128)
            (i16x8.relaxed_q15mulr_s (i16x8.splat (local.get 0)) (i16x8.splat (local.get 0))))
          (func (export "trunc") (param f32) (result v128) (i32x4.relaxed_trunc_f32x4_s (f32x4.splat (local.get 0))))
          (func (export "madd") (param f32 f32 f32) (result v128)
            (f32x4.relaxed_madd (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2))))
          (func (export "min") (param f32 f32) (result v128)
            (f32x4.relaxed_min (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1))))
          (func (export "laneselect") (result v128)
            (i8x16.relaxed_laneselect (i8x16.splat (i32.const 0x0f)) (i8x16.splat (i32.const 0xf0))
                                      (i8x16.splat (i32.const 0x81))))
          (func (export "dot") (result v128)
            (i16x8.relaxed_dot_i8x16_i7x16_s (i8x16.splat (i32.const 1)) (i8x16.splat (i32.const 0x80)))))
        """

    /// The CPU's flags from /proc/cpuinfo ("ssse3", "sse4_1", "fma", ...).
    static let cpuFlags: Set<Substring> = {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = info.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        return Set(line.split(separator: " "))
    }()

    func bytes(_ value: Kiln.Value?) -> [UInt8] {
        guard case .v128(let vector)? = value else { return [] }
        return (0..<16).map { vector[$0] }
    }

    func lane32(_ value: Kiln.Value?) -> UInt32 {
        let b = bytes(value)
        return b.count == 16 ? UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24 : 0
    }

    func lane16(_ value: Kiln.Value?) -> UInt16 {
        let b = bytes(value)
        return b.count == 16 ? UInt16(b[0]) | UInt16(b[1]) << 8 : 0
    }

    func testDeterministicResultsAreTheNonRelaxedOnes() throws {
        for level in [0, 2] {
            let instance = try compileAndLoad(
                Self.module, options: CompileOptions(optimizationLevel: level, deterministicRelaxedSimd: true)).instantiate()
            func call(_ name: String, _ args: [Kiln.Value] = []) throws -> Kiln.Value? { try instance.call(name, args).first }
            XCTAssertEqual(bytes(try call("swizzle")).first, 0, "an index past 15 selects 0, -O\(level)")
            XCTAssertEqual(lane16(try call("q15mulr", [.i32(-0x8000)])), 0x7FFF, "saturated")
            XCTAssertEqual(lane32(try call("trunc", [.f32(.nan)])), 0, "NaN truncates to 0")
            XCTAssertEqual(lane32(try call("madd", [.f32(.greatestFiniteMagnitude), .f32(2), .f32(-.greatestFiniteMagnitude)])),
                           Float.infinity.bitPattern, "two roundings: the product overflows")
            XCTAssertTrue(Float(bitPattern: lane32(try call("min", [.f32(.nan), .f32(1)]))).isNaN, "min with a NaN is NaN")
            XCTAssertEqual(bytes(try call("laneselect")).first, 0x0F & 0x81 | 0xF0 & ~0x81, "bitwise select")
            XCTAssertEqual(lane16(try call("dot")), UInt16(bitPattern: -256), "the 0x80 lanes read as -128")
        }
    }

    func testTheHostInstructionsByDefault() throws {
        for level in [0, 2] {
            let instance = try compileAndLoad(Self.module, options: CompileOptions(optimizationLevel: level)).instantiate()
            func call(_ name: String, _ args: [Kiln.Value] = []) throws -> Kiln.Value? { try instance.call(name, args).first }
            // cvttps2dq and minps are SSE2, which every x86-64 has.
            XCTAssertEqual(lane32(try call("trunc", [.f32(.nan)])), 0x8000_0000, "cvttps2dq, -O\(level)")
            XCTAssertEqual(lane32(try call("min", [.f32(.nan), .f32(1)])), Float(1).bitPattern, "minps gives its second operand")
            if Self.cpuFlags.contains("ssse3") {
                XCTAssertEqual(bytes(try call("swizzle")).first, 11, "pshufb uses the index's low four bits")
                XCTAssertEqual(lane16(try call("q15mulr", [.i32(-0x8000)])), 0x8000, "pmulhrsw")
                XCTAssertEqual(lane16(try call("dot")), 256, "pmaddubsw reads the 0x80 lanes as 128")
            }
            if Self.cpuFlags.contains("sse4_1") {
                XCTAssertEqual(bytes(try call("laneselect")).first, 0x0F, "pblendvb follows the mask's top bit")
            }
            if Self.cpuFlags.contains("fma") {
                XCTAssertEqual(lane32(try call("madd", [.f32(.greatestFiniteMagnitude), .f32(2), .f32(-.greatestFiniteMagnitude)])),
                               Float.greatestFiniteMagnitude.bitPattern, "one rounding")
            }
        }
    }

    func testTheChoiceIsInTheFingerprint() throws {
        let deterministic = try CompilerFingerprint.current(for: CompileOptions(deterministicRelaxedSimd: true)).description
        XCTAssertTrue(deterministic.hasSuffix("; deterministic-relaxed-simd"), deterministic)
        XCTAssertFalse(try CompilerFingerprint.current(for: CompileOptions()).description.contains("deterministic"))
    }
}
