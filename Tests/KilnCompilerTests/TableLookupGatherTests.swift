import Kiln
import KilnCompiler
import XCTest

/// Lookups in several tables of one linear memory, as table-driven AES does them: sixteen loads a
/// round, four from each of four 1 KiB tables, indexed by the state's bytes. Every such load is
/// the memory's base plus an offset, so the SLP vectoriser took each round's loads for gathers,
/// which put AVX-512 gathers on the rounds' critical path (a holdout AES 2.5x slower); Kiln's
/// target machine prefers no gathers (TargetMachine.tuning), and the lookups stay scalar loads.
final class TableLookupGatherTests: XCTestCase {
    private static let tableBase = 4096

    /// t_i = T0[s_i >> 24] ^ T1[s_{i+1} >> 16 & 255] ^ T2[s_{i+2} >> 8 & 255] ^ T3[s_{i+3} & 255].
    private static let wat: String = {
        func lookup(table: Int, state: Int, shift: Int) -> String {
            let index = shift == 24 ? "(i32.shr_u (local.get $s\(state)) (i32.const 24))"
                : "(i32.and (i32.shr_u (local.get $s\(state)) (i32.const \(shift))) (i32.const 255))"
            return "(i32.load offset=\(tableBase + 1024 * table) (i32.shl \(index) (i32.const 2)))"
        }
        let rounds = (0..<4).map { i in
            let terms = (0..<4).map { k in lookup(table: k, state: (i + k) % 4, shift: 24 - 8 * k) }
            return "(local.set $t\(i) (i32.xor (i32.xor \(terms[0]) \(terms[1])) (i32.xor \(terms[2]) \(terms[3]))))"
        }.joined(separator: "\n")
        return """
            (module (memory 1)
              (func (export "fill") (local $i i32)
                (loop $next
                  (i32.store offset=\(tableBase) (i32.shl (local.get $i) (i32.const 2))
                    (i32.mul (i32.add (local.get $i) (i32.const 1)) (i32.const 0x9E3779B9)))
                  (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1024)))))
              (func (export "rounds") (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $s3 i32) (param $n i32) (result i32)
                (local $t0 i32) (local $t1 i32) (local $t2 i32) (local $t3 i32)
                (loop $round
                  \(rounds)
                  (local.set $s0 (local.get $t0)) (local.set $s1 (local.get $t1))
                  (local.set $s2 (local.get $t2)) (local.set $s3 (local.get $t3))
                  (br_if $round (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (i32.xor (i32.xor (local.get $s0) (local.get $s1)) (i32.xor (local.get $s2) (i32.mul (local.get $s3) (i32.const 3))))))
            """
    }()

    private func expected(_ state: [UInt32], rounds: Int) -> Int32 {
        let table = (0..<1024).map { UInt32(truncatingIfNeeded: ($0 + 1) &* 0x9E37_79B9) }
        var s = state
        for _ in 0..<rounds {
            s = (0..<4).map { i in
                (0..<4).reduce(UInt32(0)) { t, k in
                    let byte = Int(s[(i + k) % 4] >> UInt32(24 - 8 * k) & 255)
                    return t ^ table[256 * k + byte]
                }
            }
        }
        return Int32(bitPattern: (s[0] ^ s[1]) ^ (s[2] ^ s[3] &* 3))
    }

    func testTheLookupsAreNotGathered() throws {
        let rounds = try XCTUnwrap(optimisedWasmFunctions(Self.wat).first { $0.name.hasPrefix("@\"wasm[1]") }).body
        XCTAssertFalse(rounds.contains("masked.gather"), rounds)
        XCTAssertEqual(rounds.components(separatedBy: "load i32").count - 1, 16, rounds)
    }

    func testTheRoundsComputeWhatTheScalarOnesDo() throws {
        let state: [UInt32] = [0x0123_4567, 0x89AB_CDEF, 0xFEDC_BA98, 0x7654_3210]
        for level in [0, 2, 3] {
            let instance = try compileAndLoad(Self.wat, options: CompileOptions(optimizationLevel: level)).instantiate()
            _ = try instance.call("fill")
            for rounds in [1, 9, 1000] {
                let result = try instance.call("rounds", state.map { .i32(Int32(bitPattern: $0)) } + [.i32(Int32(rounds))])
                XCTAssertEqual(result, [.i32(expected(state, rounds: rounds))], "-O\(level) \(rounds) rounds")
            }
        }
    }
}
