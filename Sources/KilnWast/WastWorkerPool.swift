import Foundation
import Synchronization

/// Runs .wast files in child processes, `jobs` at a time: a crash or hang in generated code or
/// the runtime then costs one file, not the run, and the suite's thousands of modules compile on
/// every core. Each child is `executable` with `arguments(file)` and speaks `WorkerLine`.
public struct WastWorkerPool: Sendable {
    public var executable: String
    public var arguments: @Sendable (String) -> [String]
    public var jobs: Int
    /// A file still running after this many seconds is killed and counted as one failure.
    public var timeout: Double

    public init(executable: String, jobs: Int, timeout: Double, arguments: @escaping @Sendable (String) -> [String]) {
        self.executable = executable
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.arguments = arguments
    }

    /// Results in the order of `files`. `finished` is called (from any thread, never twice at once) with
    /// the number of files done so far, for progress display.
    public func run(files: [String], finished: @escaping @Sendable (Int) -> Void = { _ in }) -> [WastFileResult] {
        let next = Atomic<Int>(0)
        let results = Mutex<[Int: WastFileResult]>([:])
        DispatchQueue.concurrentPerform(iterations: min(jobs, files.count)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < files.count else { return }
                let result = runWorker(file: files[index])
                results.withLock { all in
                    all[index] = result
                    finished(all.count)  // under the lock, so calls never overlap
                }
            }
        }
        return results.withLock { all in files.indices.map { all[$0]! } }
    }

    private func runWorker(file: String) -> WastFileResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments(file)
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return WastFileResult(file: file, failures: [
                WastFailure(file: file, line: 0, message: "cannot start worker \(executable): \(error)"),
            ])
        }
        let timedOut = Atomic<Bool>(false)
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem {
            timedOut.store(true, ordering: .relaxed)
            kill(pid, SIGKILL)  // only our own child, by its pid
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()

        let death: String
        if timedOut.load(ordering: .relaxed) {
            death = "timed out after \(String(format: "%g", timeout)) s (worker killed)"
        } else if process.terminationReason == .uncaughtSignal {
            death = "worker crashed with signal \(process.terminationStatus)"
        } else {
            death = "worker exited with status \(process.terminationStatus) before finishing"
        }
        return WastFileResult(file: file, workerOutput: Substring(decoding: output, as: UTF8.self), death: death)
    }
}
