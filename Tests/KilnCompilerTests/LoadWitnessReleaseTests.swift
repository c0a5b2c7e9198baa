import Foundation
import Kiln
@testable import KilnCompiler
import XCTest

/// The load witness's release (LoadWitnessRelease) decides, for each witnessed load, whether its
/// bits certainly reach something that stays. Its walks must not grow with the function: in an
/// interpreter's loop every handler's loaded value reaches every other handler through the latch's
/// phis, and a 100 KB interpreter function once spent half of its compile in this pass.
final class LoadWitnessReleaseTests: XCTestCase {
    /// Twice the handlers, twice the walking: each decision stops at its budget (lowered here so
    /// that a small module reaches it) instead of going through every handler. Without the budget
    /// the values walked through grow four times.
    func testTheReleaseWalksInProportionToTheLoadsOfAnInterpreterLoop() throws {
        let budget = 64
        let small = try releaseWork(interpreterLoop(handlers: 24), budget: budget)
        let large = try releaseWork(interpreterLoop(handlers: 48), budget: budget)
        XCTAssertGreaterThanOrEqual(small.decisions, 24)
        XCTAssertGreaterThanOrEqual(large.decisions, 48)
        XCTAssertLessThanOrEqual(large.steps, large.decisions * budget)
        // The budget is reached: without it, each decision would walk through every handler.
        XCTAssertGreaterThan(small.steps, small.decisions * budget / 2)
        XCTAssertLessThan(Double(large.steps) / Double(small.steps), 2.5, "\(small) then \(large)")
    }

    /// The loads still trap where the budget keeps them witnessed, at every level.
    func testAnInterpreterLoopsLoadsTrapWhenTheBudgetKeepsThemWitnessed() throws {
        var compiler = Compiler(options: CompileOptions(optimizationLevel: 2))
        compiler.loadWitnessWalkBudget = 8
        let instance = try compileAndLoad(interpreterLoop(handlers: 16), with: compiler).instantiate()
        XCTAssertThrowsError(try instance.call("run", [.i32(65530), .i32(3)])) { error in
            XCTAssertEqual((error as? KilnError)?.message, "out of bounds memory access")
        }
        XCTAssertEqual(try instance.call("run", [.i32(0), .i32(1000)]).first?.asI32, 0)
    }

    /// A loop of `handlers` cases, chosen by the address: each loads a value carried to the next
    /// iteration, where every handler scrambles it and only compares the result, so no load is
    /// anchored and each decision would walk through all of them.
    private func interpreterLoop(handlers: Int) -> String {
        let labels = (0..<handlers).map { "$h\($0)" }
        var body = "(block $done\n" + labels.reversed().map { "(block \($0)\n" }.joined()
        body += "(br_table \(labels.joined(separator: " ")) $done (i32.rem_u (i32.shr_u (local.get $pc) (i32.const 2)) (i32.const \(handlers))))\n"
        for handler in 0..<handlers {
            body += ")\n(local.set $x (local.get $v))\n"
            for round in 0..<4 {
                body += "(local.set $x (i32.mul (local.get $x) (i32.const \(2 * (handler + round) + 3))))\n"
                body += "(local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const \(round + 5)))))\n"
            }
            body += """
                (if (i32.eq (local.get $x) (i32.const 12345)) (then (local.set $hits (i32.add (local.get $hits) (i32.const 1)))))
                (local.set $v (i32.load offset=\(4 * handler) (local.get $pc)))
                (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
                (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
                (br_if $done (i32.eqz (local.get $steps)))
                (br $top)

                """
        }
        body += ")\n"
        return """
            (module (memory 1)
              (func (export "run") (param $pc i32) (param $steps i32) (result i32) (local $v i32) (local $x i32) (local $hits i32)
                (loop $top \(body))
                (local.get $hits)))
            """
    }

    /// The release's work counts from the phase report (KILN_PHASE_REPORT) of compiling `wat`.
    private func releaseWork(_ wat: String, budget: Int) throws -> (decisions: Int, steps: Int) {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-phases-\(UUID().uuidString).txt").path
        setenv("KILN_PHASE_REPORT", report, 1)
        defer { unsetenv("KILN_PHASE_REPORT"); try? FileManager.default.removeItem(atPath: report) }
        var compiler = Compiler(options: CompileOptions(optimizationLevel: 2), jobs: 1)
        compiler.loadWitnessWalkBudget = budget
        _ = try compileAndLoad(wat, with: compiler)
        let text = try String(contentsOfFile: report, encoding: .utf8)
        for phase in ["lowering", "LLVM pipeline 1 of 3", "code generation"] {
            XCTAssertTrue(text.contains("\n\(phase) (CPU seconds)\t") || text.hasPrefix("\(phase) (CPU seconds)\t"), phase)
        }
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 2, let value = Int(fields[1]) { counts[String(fields[0])] = value }
        }
        return (try XCTUnwrap(counts["load witness release: decisions"]),
                try XCTUnwrap(counts["load witness release: values walked through"]))
    }
}
