import ArgumentParser
import Foundation
import KilnWast

/// `kiln wast FILE...`: run spec-test scripts, in parallel worker processes.
struct WastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wast",
        abstract: "Run WebAssembly spec-test scripts (.wast) and check every assertion.",
        discussion: """
            Each file runs in its own worker process (a crash or hang costs that file, not the \
            run). Prints one line per failure and ends with "N passed, N failed". Exits non-zero \
            on any failure, or, with --known-failures, on any failure not in the list.
            """
    )

    @Argument(help: "Scripts to run, or directories of them.")
    var files: [String]

    /// Worker processes at once: `-j` of the compile flags, whose modules are too small to be
    /// compiled on several threads each.
    var jobs: Int { flags.jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(
        name: [.customLong("known-failures"), .customLong("skip-list")],
        help: "File of assertions known to fail (name.wast:LINE per line); only others fail the run.")
    var knownFailures: String?

    @Flag(help: "Write the current failures to the --known-failures file instead of checking against it.")
    var updateKnownFailures = false

    @Option(help: "Seconds one file may run before its worker is killed.")
    var timeout: Double = 300

    @Flag(name: .shortAndLong, help: "Also print failures that are in the known-failures list.")
    var verbose = false

    @Flag(help: .hidden)
    var worker = false

    @OptionGroup var flags: CompileFlags

    func run() throws {
        if worker {
            try runWorker()
            return
        }
        try reportingErrors(file: knownFailures ?? "wast") {
            let known = try loadKnownFailures()
            let scripts = try expand(files)
            let pool = WastWorkerPool(executable: Self.executablePath, jobs: jobs, timeout: timeout) { [flags] file in
                ["wast", "--worker"] + flags.arguments + ["--", file]
            }
            let progress = ProgressLine(label: "wast", unit: "files")
            let results = pool.run(files: scripts) { done in progress.update(done, of: scripts.count) }
            progress.finish()
            try report(WastSummary(results: results), against: known)
        }
    }

    /// The known-failures list, read before any script runs, so that a wrong path fails at once
    /// with the reason (not after the whole suite). Empty without one, or when regenerating it.
    private func loadKnownFailures() throws -> KnownFailures {
        guard let path = knownFailures, !updateKnownFailures else { return KnownFailures() }
        return KnownFailures(parsing: String(decoding: try readFile(at: path, expecting: "a known-failures list"), as: UTF8.self))
    }

    /// Prints failures and totals; throws to exit non-zero when the run failed.
    private func report(_ summary: WastSummary, against known: KnownFailures) throws {
        if updateKnownFailures {
            guard let path = knownFailures else { throw InputError("--update-known-failures needs --known-failures PATH") }
            // Keep the existing file's leading comment block.
            let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let header = existing.split(separator: "\n", omittingEmptySubsequences: false)
                .prefix { $0.hasPrefix("#") }.map { $0 + "\n" }.joined()
            try KnownFailures.render(summary.failures, header: header.isEmpty ? nil : header)
                .write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(Set(summary.failures.map(\.key)).count) known failures to \(path)")
            print(summary.countsLine)
            return
        }
        let regressions = summary.regressions(against: known)
        let shown = verbose ? summary.failures : regressions
        for failure in shown {
            print("FAIL \(failure.file):\(failure.line): \(failure.message)")
        }
        if let path = knownFailures {
            for key in summary.fixed(against: known) {
                print("FIXED \(key): listed in \(path) but passes now; remove it from the list")
            }
            let excused = summary.failures.count - regressions.count
            if excused > 0 || !regressions.isEmpty {
                print("\(excused) known failures, \(regressions.count) not in \(path)")
            }
            // Against a list, the known failures are reported apart from the regressions, which
            // alone make the run fail.
            print("\(summary.passed) passed, \(regressions.count) failed, \(excused) known failures skipped")
        } else {
            print(summary.countsLine)
        }
        if !regressions.isEmpty { throw ReportedFailure() }
    }

    /// The worker side: one file, in this process, reporting in `WorkerLine`s on stdout. Each
    /// line is flushed at once so that, if generated code brings the process down, the parent
    /// still has everything up to the directive that did it.
    private func runWorker() throws {
        guard files.count == 1 else { throw ValidationError("--worker takes exactly one file") }
        let emit: (WorkerLine) -> Void = { line in
            FileHandle.standardOutput.write(Data((line.text + "\n").utf8))  // unbuffered
        }
        WastScriptRunner(options: flags.options) { emit(WorkerLine($0)) }.run(path: files[0])
        emit(.done)
    }

    /// Files as given; directories are replaced by the .wast files in them, sorted.
    private func expand(_ paths: [String]) throws -> [String] {
        try paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError("\(path): no such file or directory")
            }
            guard isDirectory.boolValue else { return [path] }
            return try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.hasSuffix(".wast") }.sorted().map { "\(path)/\($0)" }
        }
    }

    /// This executable, to start workers with (argv[0] may be relative or a bare name on PATH).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
