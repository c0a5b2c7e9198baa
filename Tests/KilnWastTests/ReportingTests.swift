import KilnWast
import Testing

/// The worker protocol and the known-failures bookkeeping.
@Suite struct ReportingTests {
    @Test func workerLinesRoundTrip() {
        let lines: [WorkerLine] = [.started(line: 3), .passed(line: 3), .failed(line: 9, message: "expected a, got b"), .done]
        for line in lines {
            #expect(WorkerLine(parsing: Substring(line.text)) == line)
        }
        #expect(WorkerLine.failed(line: 1, message: "two\nlines").text == "fail 1 two lines")
        #expect(WorkerLine(parsing: "compiling: 3/4") == nil)
    }

    @Test func aWorkerThatDiesFailsTheDirectiveItWasRunning() {
        let output = "at 1\nok 1\nat 5\nfail 5 wrong\nat 9\n"
        let result = WastFileResult(file: "dir/x.wast", workerOutput: Substring(output), death: "worker crashed with signal 11")
        #expect(result.passed == 1)
        #expect(result.failures.map(\.key) == ["x.wast:5", "x.wast:9"])
        #expect(result.failures.last?.message == "worker crashed with signal 11")

        let finished = WastFileResult(file: "x.wast", workerOutput: "at 1\nok 1\ndone\n", death: "unused")
        #expect(finished.failures.isEmpty)
    }

    @Test func knownFailuresSeparateRegressionsAndFixes() {
        let known = KnownFailures(parsing: """
            # comment
            a.wast:10  # reason
            a.wast:20
            b.wast:5
            """)
        #expect(known.keys == ["a.wast:10", "a.wast:20", "b.wast:5"])
        let summary = WastSummary(results: [
            WastFileResult(file: "suite/a.wast", passed: 7, failures: [
                WastFailure(file: "suite/a.wast", line: 10, message: "known"),
                WastFailure(file: "suite/a.wast", line: 30, message: "new"),
            ]),
        ])
        #expect(summary.regressions(against: known).map(\.key) == ["a.wast:30"])
        // b.wast did not run, so its entry is neither fixed nor failing.
        #expect(summary.fixed(against: known) == ["a.wast:20"])
        #expect(summary.countsLine == "7 passed, 2 failed")
        let rendered = KnownFailures(parsing: KnownFailures.render(summary.failures))
        #expect(rendered.keys == ["a.wast:10", "a.wast:30"])
    }
}
