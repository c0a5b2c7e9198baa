#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A debugging aid, not an option: with `KILN_PHASE_REPORT=path`, a compile writes to `path` the
/// CPU time of each of its phases, summed over partitions and threads, and the work counts of
/// Kiln's own IR passes. A phase that grows faster than the module then shows at once: Kiln's
/// load-witness release once took half of an interpreter function's compile, unnoticed among
/// LLVM's passes (docs/compile-time.md).
///
/// The totals are the process's: compiles that run at the same time in one process are summed
/// together. A phase measured inside another (the verification between two pipelines) counts in
/// both. Without the variable nothing is measured.
public enum PhaseReport {
    /// Read at every use, like KILN_DUMP_IR, so that a test can set it for one compile.
    private static var path: String? {
        getenv("KILN_PHASE_REPORT").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }
    public static var isRequested: Bool { path != nil }

    private struct Totals {
        var names: [String] = []
        var values: [String: Double] = [:]
        mutating func add(_ name: String, _ amount: Double) {
            if values[name] == nil { names.append(name) }
            values[name, default: 0] += amount
        }
    }
    private static let seconds = Mutex(Totals())
    private static let counts = Mutex(Totals())

    /// Runs `body`, adding the CPU time the calling thread spent in it to `phase`.
    public static func measure<R, E: Error>(_ phase: String, _ body: () throws(E) -> R) throws(E) -> R {
        guard isRequested else { return try body() }
        let start = threadCPUSeconds()
        defer {
            let spent = threadCPUSeconds() - start
            seconds.withLock { $0.add(phase, spent) }
        }
        return try body()
    }

    /// Adds `amount` to the counter `name`.
    public static func count(_ name: String, _ amount: Int) {
        guard isRequested else { return }
        counts.withLock { $0.add(name, Double(amount)) }
    }

    /// Writes the totals since the last report, one `name<TAB>value` line each, and starts again.
    public static func write() {
        guard let path else { return }
        let times = seconds.withLock { totals in defer { totals = Totals() }; return totals }
        let works = counts.withLock { totals in defer { totals = Totals() }; return totals }
        var text = ""
        for name in times.names { text += "\(name) (CPU seconds)\t\(times.values[name]!)\n" }
        for name in works.names { text += "\(name)\t\(Int(works.values[name]!))\n" }
        guard let file = fopen(path, "w") else { return }
        defer { fclose(file) }
        fputs(text, file)
    }

    private static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
