/// The line protocol between `kiln wast` and its `kiln wast --worker FILE` children, on the
/// child's stdout. Plain text so a worker can be run and read by hand:
///
///     at 12              directive on line 12 starts (so a crash can be located)
///     ok 12              it passed
///     fail 12 <message>  it failed; the message is one line
///     done               the file is finished; without it the worker died
public enum WorkerLine: Equatable, Sendable {
    case started(line: Int)
    case passed(line: Int)
    case failed(line: Int, message: String)
    case done

    public init(_ event: WastEvent) {
        switch event {
        case .started(let line): self = .started(line: line)
        case .passed(let line): self = .passed(line: line)
        case .failed(let line, let message): self = .failed(line: line, message: message)
        }
    }

    public var text: String {
        switch self {
        case .started(let line): "at \(line)"
        case .passed(let line): "ok \(line)"
        case .failed(let line, let message): "fail \(line) " + message.split(whereSeparator: \.isNewline).joined(separator: " ")
        case .done: "done"
        }
    }

    /// nil for anything else a worker might print (stray output is ignored, not fatal).
    public init?(parsing text: Substring) {
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 1, parts[0] == "done" { self = .done; return }
        guard parts.count >= 2, let line = Int(parts[1]) else { return nil }
        switch parts[0] {
        case "at": self = .started(line: line)
        case "ok": self = .passed(line: line)
        case "fail": self = .failed(line: line, message: parts.count > 2 ? String(parts[2]) : "")
        default: return nil
        }
    }
}

extension WastFileResult {
    /// Rebuilds a file's result from a worker's output. A worker that never said `done` crashed
    /// or was killed: the directive it had started is counted as failed with `death` as the reason.
    public init(file: String, workerOutput: Substring, death: String) {
        self.init(file: file)
        var running: Int?
        var finished = false
        for text in workerOutput.split(whereSeparator: \.isNewline) {
            switch WorkerLine(parsing: text) {
            case .started(let line): running = line
            case .passed: passed += 1; running = nil
            case .failed(let line, let message):
                failures.append(WastFailure(file: file, line: line, message: message)); running = nil
            case .done: finished = true
            case nil: break
            }
        }
        if !finished {
            failures.append(WastFailure(file: file, line: running ?? 0, message: death))
        }
    }
}
