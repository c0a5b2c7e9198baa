import Foundation
import Kiln
@testable import KilnCompiler
import KilnFrontend
import KilnLowering
import WAT
import XCTest

/// The per-function budget (DESIGN.md, decision 12): a function too large for the optimising
/// pipeline is compiled alone, by the bounded one, and still computes what it must; and loops
/// with thousands of branches back (an interpreter's dispatch loop) compile and run at every level.
final class OversizedFunctionTests: XCTestCase {
    /// `run(n)` executes n steps of an interpreter: a loop around a `br_table` over `cases`
    /// case bodies, each of which updates an accumulator, picks the next case and branches back
    /// to the loop (so the loop has `cases` branches back). Flat text, so nesting depth is no issue.
    static func interpreter(cases: Int, rounds: Int) -> String {
        var wat = "(module\n  (func $small (export \"small\") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))\n"
        wat += "  (func (export \"run\") (param $n i32) (result i32) (local $acc i32) (local $pc i32)\n"
        wat += "    block $done\n    loop $top\n"
        wat += "      local.get $n\n      i32.eqz\n      br_if $done\n"
        wat += "      local.get $n\n      i32.const 1\n      i32.sub\n      local.set $n\n"
        for index in (0..<cases).reversed() { wat += "      block $b\(index)\n" }
        wat += "      local.get $pc\n      br_table \((0..<cases).map { "$b\($0)" }.joined(separator: " ")) $b0\n"
        for index in 0..<cases {
            wat += "      end\n"
            for round in 0..<rounds {
                wat += "      local.get $acc i32.const 31 i32.mul i32.const \(index * rounds + round) i32.add local.set $acc\n"
            }
            wat += "      i32.const \(next(index, cases: cases)) local.set $pc br $top\n"
        }
        wat += "    end\n    end\n    local.get $acc)\n"
        return wat + "  (func (export \"after\") (param i32) (result i32) (call $small (call $small (local.get 0)))))"
    }

    static func next(_ index: Int, cases: Int) -> Int { (index * 7 + 3) % cases }

    static func expectedRun(_ steps: Int, cases: Int, rounds: Int) -> Int32 {
        var (acc, pc): (Int32, Int) = (0, 0)
        for _ in 0..<steps {
            for round in 0..<rounds { acc = acc &* 31 &+ Int32(pc * rounds + round) }
            pc = next(pc, cases: cases)
        }
        return acc
    }

    static let cases = 301
    static let rounds = 4

    func testAnOversizedFunctionIsAPartitionOfItsOwn() throws {
        let module = try ModuleDecoder.decode(try wat2wasm(Self.interpreter(cases: Self.cases, rounds: Self.rounds)))
        let interpreterSize = module.codes[1].expression.count
        let partitions = PartitionPlan.partitions(of: module, largestOptimizedFunction: interpreterSize - 1)
        XCTAssertEqual(partitions.map(\.functions), [0..<1, 1..<2, 2..<3])
        XCTAssertEqual(partitions.map(\.holdsOversizedFunction), [false, true, false])
        // Under the limit, the three functions share one partition as before.
        let whole = PartitionPlan.partitions(of: module, largestOptimizedFunction: interpreterSize)
        XCTAssertEqual(whole.map(\.functions), [0..<3])
        XCTAssertEqual(whole.map(\.holdsOversizedFunction), [false])
    }

    func testTheBoundedPipelineComputesWhatTheFullOneDoes() throws {
        let wasm = try wat2wasm(Self.interpreter(cases: Self.cases, rounds: Self.rounds))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-oversized-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for level in 0...3 {
            for bounded in [false, true] {
                var compiler = Compiler(options: CompileOptions(optimizationLevel: level), jobs: 2)
                if bounded { compiler.largestOptimizedFunction = 1000 }
                let path = directory.appendingPathComponent("O\(level)-\(bounded).so").path
                try compiler.compile(wasm: wasm, to: path)
                let instance = try Module(path: path).instantiate()
                for steps in [0, 1, 5000] {
                    XCTAssertEqual(
                        try instance.call("run", [.i32(Int32(steps))]).first?.asI32,
                        Self.expectedRun(steps, cases: Self.cases, rounds: Self.rounds),
                        "-O\(level)\(bounded ? " bounded" : ""), run(\(steps))")
                }
                XCTAssertEqual(try instance.call("after", [.i32(40)]).first?.asI32, 42)
            }
        }
    }
}
