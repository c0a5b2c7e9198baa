import Foundation
import KilnWast
import Testing

/// End to end: each fixture compiled by the real compiler and run by the runner. Until the
/// compiler lands these fail with "not implemented yet"; with a working compiler and runtime
/// every fixture passes except the deliberate failures, which fail exactly where intended.
@Suite struct FixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Runs a fixture on its own thread and gives up after `seconds`: generated code that spins
    /// (say, a runaway recursion turned into a loop) must fail the test, not hang `swift test`.
    /// The abandoned thread ends with the test process.
    static func run(_ name: String, seconds: Int = 120) -> WastFileResult? {
        final class Box: @unchecked Sendable { var result: WastFileResult? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let path = path(name)
        Thread.detachNewThread {
            box.result = WastScriptRunner.runFile(path)
            done.signal()
        }
        guard done.wait(timeout: .now() + .seconds(seconds)) == .success else { return nil }
        return box.result
    }

    @Test(arguments: ["values.wast", "traps.wast", "linking.wast", "rejections.wast", "references.wast", "simd.wast"])
    func fixturePasses(_ name: String) throws {
        let result = try #require(Self.run(name), "\(name) did not finish in time")
        for failure in result.failures {
            Issue.record("\(failure.key): \(failure.message)")
        }
        #expect(result.passed > 0)
    }

    @Test func deliberateFailuresAreEachReportedOnTheirLine() throws {
        let result = try #require(Self.run("deliberate-failures.wast"))
        #expect(result.failures.map(\.line) == [8, 9, 10, 11, 12, 13, 14])
        #expect(result.passed == 2)  // the module and the last assertion
    }
}
