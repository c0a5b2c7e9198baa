import Foundation
import KilnFrontend
import XCTest

/// Hostile input must give an error, never a crash.
final class RobustnessTests: XCTestCase {
    static let sample = """
        (module
          (type (func (param i32 i64) (result i32)))
          (import "env" "f" (func (type 0)))
          (memory 1 2) (table 2 funcref)
          (global (mut i32) (i32.const 1))
          (func (export "g") (param i32 i64) (result i32) (local v128 f64)
            (block (result i32) (local.get 0) (br_if 0 (i32.const 1)) (drop) (i32.const 9))
            (i32.load offset=8 (i32.const 0)) i32.add
            (v128.const i32x4 1 2 3 4) (i32x4.extract_lane 2) i32.add)
          (elem (i32.const 0) func 1)
          (data (i32.const 0) "abcdef")
        )
        """

    func testEveryPrefixIsMalformed() throws {
        let bytes = try assemble(Self.sample, names: true)
        XCTAssertNil(frontEndError(bytes))
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            guard let error = frontEndError(prefix) else {
                // Cutting exactly at a section boundary leaves a shorter but well-formed module,
                // which may still fail validation (function without code and so on) or be valid.
                continue
            }
            if error.kind == .malformed {
                XCTAssertTrue(error.offset.map { $0 >= 0 && $0 <= length } ?? false, "\(length): \(error)")
            }
        }
    }

    func testCorruptedBytesNeverCrash() throws {
        let bytes = try assemble(Self.sample, names: true)
        var generator = SplitMix64(seed: 0x6B696C6E)
        var rejected = 0
        for _ in 0..<20_000 {
            var mutated = bytes
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = 8 + Int(generator.next() % UInt64(mutated.count - 8))
                switch generator.next() % 3 {
                case 0: mutated[position] = UInt8(truncatingIfNeeded: generator.next())
                case 1: mutated[position] ^= UInt8(1 << (generator.next() % 8))
                default: mutated[position] = [0x00, 0x7F, 0x80, 0xFF][Int(generator.next() % 4)]
                }
            }
            if frontEndError(mutated) != nil { rejected += 1 }
        }
        XCTAssertGreaterThan(rejected, 1000)
    }

    func testHugeDeclaredCountsFailFast() {
        // A type section declaring 2^32-1 types, and a code body declaring 2^32-1 locals.
        let types: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x60]
        XCTAssertEqual(frontEndError(types)?.kind, .malformed)
        let locals: [UInt8] = [
            0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
            10, 10, 1, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x0B,
        ]
        XCTAssertEqual(frontEndError(locals)?.message, "too many locals")
    }

    /// A body that runs out right after a legacy `try` (found by scripts/fuzz-frontend): the
    /// rewriter looked for an instruction at the body's end and read past the module.
    func testALegacyBodyThatRunsOutIsMalformed() {
        let bytes: [UInt8] = [
            0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
            10, 5, 1, 3, 0x00, 0x06, 0x40,  // (func try (empty) ... and nothing more
        ]
        var legacy = FeatureSet.default
        legacy.insert(.legacyExceptionHandling)
        XCTAssertEqual(frontEndError(bytes, features: legacy)?.kind, .malformed)
        XCTAssertEqual(frontEndError(bytes)?.kind, .malformed)
    }

    /// Every input kept from the coverage-guided fuzzer goes through the front end with every
    /// proposal on and comes back as a module or an error.
    func testKeptFrontEndFuzzInputs() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../tests/fuzz/frontend").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".wasm") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
            _ = frontEndError(bytes, features: .allSupported)
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
