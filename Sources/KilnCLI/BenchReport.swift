import Foundation

/// The table `kiln bench` prints, and the check that both engines behaved the same.
struct BenchReport {
    var title: String
    var kilnCompile: Duration
    var kilnCached: Bool
    var wasmKitCompile: Duration
    var kiln: [BenchTiming]
    var wasmKit: [BenchTiming]
    var outcome: BenchOutcome

    /// Throws (after saying how) unless results, exit code and stdout are identical.
    static func checkAgreement(kiln: BenchOutcome, wasmKit: BenchOutcome) throws {
        guard kiln != wasmKit else { return }
        var lines = ["kiln bench: the engines disagree"]
        if kiln.results != wasmKit.results {
            lines.append("  results: kiln \(kiln.results.map(\.text)), wasmkit \(wasmKit.results.map(\.text))")
        }
        if kiln.exitCode != wasmKit.exitCode {
            lines.append("  exit code: kiln \(kiln.exitCode), wasmkit \(wasmKit.exitCode)")
        }
        if kiln.stdout != wasmKit.stdout {
            let at = zip(kiln.stdout, wasmKit.stdout).prefix { $0 == $1 }.count
            lines.append("  stdout: kiln \(kiln.stdout.count) bytes, wasmkit \(wasmKit.stdout.count) bytes, first difference at byte \(at)")
        }
        printError(lines.joined(separator: "\n"))
        throw ReportedFailure()
    }

    func print() {
        let kilnRun = median(kiln.map(\.run)), wasmKitRun = median(wasmKit.map(\.run))
        let rows: [(String, String, String)] = [
            ("", "kiln", "wasmkit"),
            (kilnCached ? "compile (kiln: cache hit)" : "compile", Self.format(kilnCompile), Self.format(wasmKitCompile)),
            ("instantiate", Self.format(median(kiln.map(\.instantiate))), Self.format(median(wasmKit.map(\.instantiate)))),
            ("run", Self.format(kilnRun), Self.format(wasmKitRun)),
        ]
        var lines = [title]
        for (label, a, b) in rows {
            lines.append(label.padding(toLength: 27, withPad: " ", startingAt: 0) + Self.right(a) + Self.right(b))
        }
        let speedup = kilnRun > .zero ? Self.seconds(wasmKitRun) / Self.seconds(kilnRun) : .infinity
        lines.append("speedup (run): " + String(format: "%.1fx", speedup))
        var agreed = outcome.results.isEmpty ? "" : "results \(outcome.results.map(\.text).joined(separator: " ")), "
        agreed += "exit code \(outcome.exitCode), \(outcome.stdout.count) bytes of stdout"
        lines.append("both engines agree: " + agreed)
        Swift.print(lines.joined(separator: "\n"))
    }

    private func median(_ values: [Duration]) -> Duration {
        let sorted = values.sorted()
        return sorted.isEmpty ? .zero : sorted[sorted.count / 2]
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Milliseconds with enough digits for both microsecond calls and long runs.
    private static func format(_ d: Duration) -> String {
        let ms = seconds(d) * 1000
        return ms < 10 ? String(format: "%.3f ms", ms) : String(format: "%.1f ms", ms)
    }

    private static func right(_ text: String) -> String {
        String(repeating: " ", count: max(0, 14 - text.count)) + text
    }
}
