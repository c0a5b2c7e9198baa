import Kiln
import KilnCompiler
import XCTest

/// Memory-loop versioning of the two stages of an 8x8 integer transform as clang emits them for
/// wasm32 (a JPEG DCT): loops of eight iterations, one of whose bodies is large once the inner
/// products are unrolled. `rows` multiplies each row of a table by eight values loaded before the
/// loop; `columns` keeps the table's 64 values in locals and computes eight sums per iteration,
/// more than 160 instructions. Neither was versioned before Kiln 0.5.35 (too few iterations, too
/// large a body), so both stayed scalar. The copy runs when every range is inside the memory;
/// otherwise the scalar loop runs and traps where it would have, with the stores before it done.
final class ShortLoopVersioningTests: XCTestCase {
    private static let table = 1024, input = 2048

    /// `fill` writes words 0..<4096; `word` reads one back.
    private let wat: String = {
        let load = { (offset: Int, base: String) in "(i32.load offset=\(offset) (local.get \(base)))" }
        let tableLocals = (0..<64).map { "(local $c\($0) i32)" }.joined(separator: " ")
        let tableLoads = (0..<64).map { "(local.set $c\($0) \(load(4 * $0, "$t")))" }.joined(separator: "\n")
        let inputLocals = (0..<8).map { "(local $x\($0) i32)" }.joined(separator: " ")
        let sum = { (terms: [String]) in
            terms.reduce("(i32.const 1024)") { "(i32.add \($0) \($1))" }
        }
        let rowSum = sum((0..<8).map { "(i32.mul \(load(4 * $0, "$row")) (local.get $x\($0)))" })
        let columnInputs = (0..<8).map { "(local.set $x\($0) \(load(32 * $0, "$at")))" }.joined(separator: "\n")
        let columnStores = (0..<8).map { v in
            let s = sum((0..<8).map { y in "(i32.mul (local.get $c\(v * 8 + y)) (local.get $x\(y)))" })
            return "(i32.store offset=\(32 * v) (local.get $to) (i32.shr_s \(s) (i32.const 11)))"
        }.joined(separator: "\n")
        return """
            (module (memory (export "memory") 1)
              (func (export "fill") (local $i i32)
                (loop $next
                  (i32.store (i32.shl (local.get $i) (i32.const 2))
                    (i32.sub (i32.rem_u (i32.mul (local.get $i) (i32.const 37)) (i32.const 101)) (i32.const 50)))
                  (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 4096)))))
              (func (export "word") (param $at i32) (result i32) (i32.load (local.get $at)))
              (func (export "rows") (param $t i32) (param $in i32) (param $out i32) (local $u i32) (local $row i32) \(inputLocals)
                \((0..<8).map { "(local.set $x\($0) \(load(4 * $0, "$in")))" }.joined(separator: "\n"))
                (loop $next
                  (local.set $row (i32.add (local.get $t) (i32.shl (local.get $u) (i32.const 5))))
                  (i32.store (i32.add (local.get $out) (i32.shl (local.get $u) (i32.const 2)))
                    (i32.shr_s \(rowSum) (i32.const 11)))
                  (br_if $next (i32.ne (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 8)))))
              (func (export "columns") (param $t i32) (param $in i32) (param $out i32)
                (local $u i32) (local $at i32) (local $to i32) \(inputLocals) \(tableLocals)
                \(tableLoads)
                (loop $next
                  (local.set $at (i32.add (local.get $in) (i32.shl (local.get $u) (i32.const 2))))
                  (local.set $to (i32.add (local.get $out) (i32.shl (local.get $u) (i32.const 2))))
                  \(columnInputs)
                  \(columnStores)
                  (br_if $next (i32.ne (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 8))))))
            """
    }()

    private static func filled(_ index: Int) -> Int32 { Int32(index * 37 % 101) - 50 }

    /// The memory's words after `fill` and the scalar loop, in its order of stores, and whether
    /// it trapped (at the first store past the end).
    private func expected(_ stage: String, out: Int) -> (words: [Int: Int32], trapped: Bool) {
        var words: [Int: Int32] = [:]
        let t = { (k: Int) in Self.filled(Self.table / 4 + k) }, x = { (k: Int) in Self.filled(Self.input / 4 + k) }
        for u in 0..<8 {
            let sums: [(at: Int, value: Int32)] = stage == "rows"
                ? [(out + 4 * u, (0..<8).reduce(Int32(1024)) { $0 &+ t(8 * u + $1) &* x($1) })]
                : (0..<8).map { v in (out + 4 * u + 32 * v, (0..<8).reduce(Int32(1024)) { $0 &+ t(8 * v + $1) &* x(8 * $1 + u) }) }
            for (at, value) in sums {
                guard at + 4 <= 65536 else { return (words, true) }
                words[at] = value >> 11
            }
        }
        return (words, false)
    }

    func testBothStagesAreVersionedAndVectorised() throws {
        let functions = try optimisedWasmFunctions(wat)
        for (index, stage) in [(2, "rows"), (3, "columns")] {
            let body = try XCTUnwrap(functions.first { $0.name.hasPrefix("@\"wasm[\(index)]") }, stage).body
            XCTAssertTrue(body.contains(".kiln.fallback"), "\(stage): \(body)")
            XCTAssertTrue(body.contains("x i32>"), "\(stage): \(body)")
        }
    }

    /// Outputs inside the memory, where the copy runs, and ones that run off its end, where the
    /// scalar loop must, trapping after the same stores.
    func testBothStagesComputeWhatTheScalarLoopsDoAndTrapWhereTheyDo() throws {
        let cases = [("rows", 8192), ("rows", 65536 - 12), ("columns", 8192), ("columns", 65536 - 100)]
        for level in [0, 2, 3] {
            let module = try compileAndLoad(wat, options: CompileOptions(optimizationLevel: level))
            for (stage, out) in cases {
                let instance = try module.instantiate()
                _ = try instance.call("fill", [])
                let want = expected(stage, out: out), context = "-O\(level) \(stage) out=\(out)"
                callAsModelled(instance, stage, [.i32(Int32(Self.table)), .i32(Int32(Self.input)), .i32(Int32(out))],
                               trapped: want.trapped, context)
                for at in stride(from: out, to: min(out + 256, 65536 - 3), by: 4) {
                    let word = try instance.call("word", [.i32(Int32(at))]).first?.asI32
                    let written = want.words[at] ?? (at < 16384 ? Self.filled(at / 4) : 0)
                    XCTAssertEqual(word, written, "\(context): the word at \(at)")
                }
            }
        }
    }
}
